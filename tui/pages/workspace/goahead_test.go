package workspace

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
)

// submitHealthCheck has Aino (insomnia) answer the health check, the
// screening of sleep restriction.
func submitHealthCheck(t *testing.T, f *fixture.Fixture) store.Submission {
	t.Helper()
	e := f.Enrolled["P-0003"]
	s, err := f.DB.Submit(context.Background(), store.System("test"), store.Submission{EnrollmentID: e.ID, PatientID: e.PatientID,
		ModuleID: "sleep-and-diary", ExerciseID: "health-check",
		Answers: map[string]string{"snoring": "Yes, my partner says I stop breathing\x1b[31m at night", "epilepsy": "no"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// keyTo presses a key and runs what it returns.
func keyTo(p *Page, k tea.KeyMsg) []tea.Msg {
	_, cmd := p.Update(k)
	return run(p, cmd)
}

// The go-ahead dialog shows the screening answers (inert), needs a reason
// for "not suitable", and records the decision; the queue then stops
// saying the step waits.
func TestGoAheadDialog(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	sub := submitHealthCheck(t, f)
	it := item(t, f, c, "P-0003")
	waits := func(it store.QueueItem) bool {
		for _, r := range it.Reasons {
			if r.Code == store.ReasonGoAheadWaiting {
				return true
			}
		}
		return false
	}
	if !waits(it) {
		t.Fatalf("the queue does not say the go-ahead waits: %+v", it.Reasons)
	}
	p := New(c, it, false, nil)
	p.SetSize(100, 40)
	run(p, p.Init())
	keyTo(p, press("esc")) // out of the reader
	short := ""
	for _, b := range p.ShortHelp() {
		short += b.Help().Key + " " + b.Help().Desc + "; "
	}
	if !strings.Contains(short, "o go-ahead") {
		t.Errorf("the footer does not say where the go-ahead is made: %s", short)
	}
	keyTo(p, press("o"))
	if p.goAhead == nil || !p.InputFocused() {
		t.Fatal("o does not open the go-ahead dialog")
	}
	v := p.View()
	for _, want := range []string{"Go-ahead", "sleep restriction (the sleep window)", "Health check before the sleep window",
		"Has anyone told you that you snore", "Yes, my partner says I stop breathing", "(no answer)", "1 Go ahead", "2 Not suitable"} {
		if !strings.Contains(v, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "\x1b") {
		t.Error("the patient's escape sequence reaches the screen")
	}
	// Not suitable without a reason: asked for one, nothing stored.
	keyTo(p, press("2"))
	keyTo(p, press("enter"))
	if p.goAhead == nil || !strings.Contains(p.View(), "the comment is required") {
		t.Fatalf("not suitable without a comment was not stopped:\n%s", p.View())
	}
	for _, r := range "apnoea" {
		keyTo(p, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	msgs := keyTo(p, press("enter"))
	if p.goAhead != nil {
		t.Fatal("the dialog stays open after recording")
	}
	status := ""
	for _, m := range msgs {
		if s, ok := m.(common.StatusMsg); ok {
			status += s.Text
			if s.Err != nil {
				t.Fatalf("recording failed: %v", s.Err)
			}
		}
	}
	if !strings.Contains(status, "not suitable") {
		t.Errorf("status %q", status)
	}
	rec, err := f.DB.PatientRecord(context.Background(), c.Actor, it.PatientID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.GoAheads) != 1 || rec.GoAheads[0].Decision != store.GoAheadNotSuitable || rec.GoAheads[0].Comment != "apnoea" || rec.GoAheads[0].SubmissionID != sub.ID {
		t.Fatalf("stored %+v", rec.GoAheads)
	}
	if waits(item(t, f, c, "P-0003")) {
		t.Error("the queue still says the go-ahead waits")
	}
}

// A patient whose program has no go-ahead, or who has not answered the
// screening: o says so and opens nothing.
func TestGoAheadKeyWithNothingToDecide(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	for _, tc := range []struct{ pseudonym, want string }{
		{"P-0002", "No step of this program waits for your go-ahead."},
		{"P-0003", "Nothing to decide yet: 'Health check before the sleep window' is not submitted."},
	} {
		p := New(c, item(t, f, c, tc.pseudonym), false, nil)
		p.SetSize(80, 24)
		run(p, p.Init())
		msgs := keyTo(p, press("o"))
		got := ""
		for _, m := range msgs {
			if s, ok := m.(common.StatusMsg); ok {
				got = s.Text
			}
		}
		if p.goAhead != nil || got != tc.want {
			t.Errorf("%s: o opened %v, said %q; want %q", tc.pseudonym, p.goAhead != nil, got, tc.want)
		}
	}
}
