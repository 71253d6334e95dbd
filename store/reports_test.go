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

// The course, the activity and the risk phrases of one treatment, as the
// report loads them.
func TestReportCourseInactivityAndPhraseFlags(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Monday 16 Nov: a message with a risk phrase, one without, and an
	// exercise answer with one; the message's flag is acknowledged.
	msg, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "Joskus haluan kuolla."}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "Kiitos palautteesta"}, ""); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	f.submit(t, "En jaksa enää mitään.")
	f.clock.advance(time.Hour)
	if _, err := f.db.AckRisk(ctx, f.actor, store.RiskAck{PatientID: f.patient.ID, EnrollmentID: f.enroll.ID, SourceType: store.RiskSourceMessage, SourceID: msg.ID, Action: store.AckNoAcuteRisk}); err != nil {
		t.Fatal(err)
	}
	// Nothing more for ten days (the queue raises inactivity on the 23rd),
	// then paused two days, resumed and discontinued: no contact.
	f.clock.advance(10 * 24 * time.Hour)
	e, err := f.db.PauseEnrollment(ctx, f.actor, f.enroll.ID, f.enroll.Version, "flu")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(48 * time.Hour)
	if e, err = f.db.ResumeEnrollment(ctx, f.actor, e.ID, e.Version, ""); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	if _, err = f.db.DiscontinueEnrollment(ctx, f.actor, e.ID, e.Version, store.EndNoContact, ""); err != nil {
		t.Fatal(err)
	}

	r, err := f.db.Report(ctx, store.System("test"), store.ReportQuery{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	en := r.Engagement
	if en.Discontinued != 1 {
		t.Fatalf("discontinued %d, want 1", en.Discontinued)
	}
	for _, rs := range en.DiscontinuedByReason {
		want := 0
		if rs.Reason == store.EndNoContact {
			want = 1
		}
		if rs.Count != want || rs.Of != 1 {
			t.Errorf("discontinued %s: %d/%d, want %d/1", rs.Reason, rs.Count, rs.Of, want)
		}
	}
	// 16 to 28 Nov less the two days paused.
	in := en.Inactivity
	if in.Episodes != 1 || in.Patients.Count != 1 || in.Patients.Of != 1 || in.MedianDays == nil || *in.MedianDays != 10 || in.Days != 7 {
		t.Errorf("inactivity %+v (median %v)", in, in.MedianDays)
	}
	k := r.Risk
	if k.Raised != 2 || k.Acknowledged != 1 || len(k.BySource) != 5 {
		t.Fatalf("risk %+v", k)
	}
	for i, want := range [][2]int{{0, 0}, {1, 1}, {1, 0}} { // critical item; phrase in a message; in an exercise answer
		s := k.BySource[i]
		if s.Raised != want[0] || s.Acknowledged != want[1] {
			t.Errorf("%s: raised %d acknowledged %d, want %v", s.Source, s.Raised, s.Acknowledged, want)
		}
	}
	if s := k.BySource[1]; s.SameWorkingDay.Count != 1 || s.MedianHoursToAck == nil || *s.MedianHoursToAck != 2 {
		t.Errorf("message flag acknowledged %+v, median %v h", s.SameWorkingDay, s.MedianHoursToAck)
	}
}

// Feedback sent in the period on a submission made long before it (more
// than the three months the report reads submissions by time) is counted
// like any other.
func TestReportCountsFeedbackOnAnOldSubmission(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.submit(t, "Harjoitus tehty.")
	f.clock.advance(130 * 24 * time.Hour) // the period starts more than 92 days after the submission
	if _, err := f.db.SendFeedback(ctx, f.actor, store.Feedback{SubmissionID: s.ID, EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Body: "Hyvää työtä."}, ""); err != nil {
		t.Fatal(err)
	}
	sent := f.clock.t
	from := time.Date(sent.Year(), sent.Month(), 1, 0, 0, 0, 0, time.UTC)
	r, err := f.db.Report(ctx, store.System("test"), store.ReportQuery{From: from, To: from.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Work.FeedbackSent != 1 {
		t.Errorf("feedback sent %d, want 1 (on a submission of %s, sent %s)", r.Work.FeedbackSent, s.SubmittedAt.Format(time.DateOnly), sent.Format(time.DateOnly))
	}
}
