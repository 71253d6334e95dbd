package tui

import (
	"context"
	"strings"
	"testing"

	"polku/store"
)

// The whole path in the workbench: the health check is in, Aino's row
// says GO-AHEAD?; o in her workspace and enter record the go-ahead; back
// in the queue the badge is gone.
func TestGoAheadFromQueueToDecision(t *testing.T) {
	f := newFixture(t)
	e := f.Enrolled["P-0003"]
	if _, err := f.DB.Submit(context.Background(), store.System("test"), store.Submission{EnrollmentID: e.ID, PatientID: e.PatientID,
		ModuleID: "sleep-and-diary", ExerciseID: "health-check", Answers: map[string]string{"snoring": "no", "epilepsy": "no"}}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, options(f, f.Anna), 120, 40)
	h.fx = f
	row := func() string {
		for _, l := range strings.Split(h.view(), "\n") {
			if strings.Contains(l, "Aino L") {
				return l
			}
		}
		return ""
	}
	if r := row(); !strings.Contains(r, "GO-AHEAD?") {
		t.Fatalf("Aino's row lacks the badge: %q\n%s", r, h.view())
	}
	h.selectPatient(f, "P-0003")
	h.keys("enter", "o")
	if v := h.view(); !strings.Contains(v, "Go-ahead · Aino Laine") {
		t.Fatalf("o did not open the dialog:\n%s", v)
	}
	h.keys("enter")
	if v := h.view(); !strings.Contains(v, "Go-ahead recorded") {
		t.Errorf("no word of the recording:\n%s", v)
	}
	h.keys("esc", "esc")
	if r := row(); r == "" || strings.Contains(r, "GO-AHEAD?") {
		t.Fatalf("after the go-ahead Aino's row is %q\n%s", r, h.view())
	}
}
