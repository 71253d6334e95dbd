package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
)

func demoStore(t testing.TB, patients int) *store.DB {
	t.Helper()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"), store.Options{Create: true, Clock: func() time.Time { return now }, Random: rand.NewChaCha8([32]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Generate(context.Background(), db, demo.Config{Seed: 1, Patients: patients, Now: now}); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestReportAccess(t *testing.T) {
	db := demoStore(t, 120)
	ctx := context.Background()
	get := func(h string) store.Actor {
		th, err := db.TherapistByHandle(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		return store.ActorFor(th, "test")
	}
	sup, ther, admin := get(demo.SupervisorHandle), get(demo.DemoHandle), get(demo.AdminHandle)
	q := store.ReportQuery{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}

	if _, err := db.Report(ctx, ther, q); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a therapist's service report: %v, want forbidden", err)
	}
	other := q
	other.Team = "team-2"
	if _, err := db.Report(ctx, sup, other); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a supervisor's report of another team: %v, want forbidden", err)
	}
	own, err := db.Report(ctx, sup, q)
	if err != nil {
		t.Fatal(err)
	}
	if own.Team != sup.Team {
		t.Errorf("a supervisor's report is of team %q, want their own %q", own.Team, sup.Team)
	}
	all, err := db.Report(ctx, admin, q)
	if err != nil {
		t.Fatal(err)
	}
	if all.Team != "" || all.Access.ReferralsReceived < own.Access.ReferralsReceived || all.Access.ReferralsReceived == 0 {
		t.Errorf("service referrals %d, team %d", all.Access.ReferralsReceived, own.Access.ReferralsReceived)
	}
	if all.Engagement.Completed == 0 || len(all.Outcomes) == 0 || all.Work.FeedbackSent == 0 {
		t.Errorf("a demo store's report has no completions, outcomes or feedback: %+v", all.Engagement)
	}
	for _, o := range all.Outcomes {
		if !o.Validated {
			t.Errorf("%s is not validated but is among the outcomes", o.Instrument)
		}
	}
	bad := q
	bad.From, bad.To = q.To, q.From
	if _, err := db.Report(ctx, admin, bad); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a period that ends before it starts: %v, want invalid", err)
	}
}
