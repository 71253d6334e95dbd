package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"polku/store"
)

// A past item-9 answer is acknowledged by the therapist the enrollment
// assigns, so never before the enrollment was made, also when the baseline
// was answered in the hours before it (patient 88,203 of a 100,000-patient
// demo generated at this moment: its baseline PHQ-9 at 05:29, the
// enrollment at 09:00, and the acknowledgement was at 07:37).
func TestDemoAcknowledgesAfterTheEnrollment(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 1, 5, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), store.Options{Clock: func() time.Time { return now }, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := Config{Seed: 1, Patients: 100_000, Therapists: TherapistCount(100_000), Now: now}
	g, err := newGen(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	g.staff()
	acks := 0
	for _, i := range append([]int{88_203}, seq(0, 2000)...) {
		var created time.Time
		for _, rec := range g.patient(i) {
			switch r := rec.(type) {
			case *store.Enrollment:
				created = r.CreatedAt
			case *store.RiskAck:
				acks++
				if !r.AckedAt.After(created) {
					t.Fatalf("patient %d: acknowledged at %s, the enrollment made at %s", i, r.AckedAt.UTC(), created.UTC())
				}
			}
		}
	}
	if acks == 0 {
		t.Fatal("no acknowledgements generated")
	}
}

func seq(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}
