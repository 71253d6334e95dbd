package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/programs/builtin"
	"polku/store"
)

// intakeStore is a store with 2,000 open referrals in one team (and 20
// therapists with room for them), the size the intake targets are set
// for: the queue under 20 ms, accepting one referral under 10 ms.
func intakeStore(b *testing.B) (*store.DB, store.Actor, []string) {
	b.Helper()
	ctx := context.Background()
	now := benchNow
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "intake.db"), store.Options{Create: true, Clock: func() time.Time { return now }, Random: rand.NewChaCha8([32]byte{2})})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	bundle, err := builtin.Load()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ImportPrograms(ctx, sys, bundle, false); err != nil {
		b.Fatal(err)
	}
	sup, err := db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara", Role: store.RoleSupervisor, Team: "south"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if _, err := db.AddTherapist(ctx, sys, store.Therapist{Handle: fmt.Sprintf("t%02d", i), Name: "T", Role: store.RoleTherapist, Team: "south",
			Languages: []string{"fi", "sv", "en"}[i%3 : i%3+1], Capacity: 200}); err != nil {
			b.Fatal(err)
		}
	}
	codes := []string{"F41.1", "F32.1", "F51.0", "F40.1"}
	ids := make([]string, 0, 2000)
	for i := 0; i < 2000; i++ {
		now = benchNow.Add(-time.Duration(i) * 7 * time.Minute) // the last two weeks
		in := referralIn(fmt.Sprintf("B-%d", i), fmt.Sprintf("BP-%05d", i), "1985-03-01")
		in.Reason = strings.Repeat("Worry about work and family, trouble sleeping, low mood some days. ", 3)
		in.Codes = []string{codes[i%4]}
		if i%50 == 0 {
			in.Screening = []store.Screening{{Instrument: "phq9", Date: "2026-11-01", Answers: []int{2, 2, 2, 2, 1, 1, 1, 1, 1}}}
		}
		got, err := db.ReceiveReferral(ctx, sys, in, false)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, got.Referral.ID)
	}
	now = benchNow
	return db, store.ActorFor(sup, "bench"), ids
}

// Target: the intake queue of 2,000 open referrals under 20 ms.
func BenchmarkIntakeQueue2000(b *testing.B) {
	db, actor, _ := intakeStore(b)
	ctx := context.Background()
	start := time.Now()
	q, err := db.Intake(ctx, actor, "")
	if err != nil || q.Open != 2000 || !q.Items[0].Risk {
		b.Fatalf("%v, %+v", err, q)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "first-ms")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Intake(ctx, actor, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: accepting one referral (the whole operation: suggestions,
// checks, the enrollment, the referral, the notification) under 10 ms.
func BenchmarkAcceptReferral2000(b *testing.B) {
	db, actor, ids := intakeStore(b)
	ctx := context.Background()
	if b.N > len(ids) {
		b.N = len(ids)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.AcceptReferral(ctx, actor, store.AcceptRequest{ReferralID: ids[i], ProgramID: "gad"}, false); err != nil {
			b.Fatal(err)
		}
	}
}
