package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
)

// courseWorld is the fixture with a colleague, a supervisor of the team,
// a supervisor of another team and an admin account.
type courseWorld struct {
	*fixture
	bert, sara, otto, adam store.Therapist
}

func newCourseWorld(t *testing.T) *courseWorld {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	w := &courseWorld{fixture: f}
	var err error
	add := func(handle string, role, team string) store.Therapist {
		th, e := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: handle, Name: handle, Role: role, Team: team, Capacity: 10})
		if e != nil {
			err = e
		}
		return th
	}
	w.bert = add("bert", store.RoleTherapist, "south")
	w.sara = add("sara", store.RoleSupervisor, "south")
	w.otto = add("otto", store.RoleSupervisor, "north")
	w.adam = add("adam", store.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *courseWorld) as(th store.Therapist) store.Actor { return store.ActorFor(th, "test") }

func TestCourseWhoMay(t *testing.T) {
	w := newCourseWorld(t)
	ctx := context.Background()
	e := w.enroll
	for _, c := range []struct {
		name  string
		actor store.Actor
		kind  string
		want  error
	}{
		{"a colleague", w.as(w.bert), store.CoursePause, store.ErrForbidden},
		{"another team's supervisor", w.as(w.otto), store.CoursePause, store.ErrForbidden},
		{"an admin account", w.as(w.adam), store.CoursePause, store.ErrForbidden},
		{"the therapist transferring", w.actor, store.CourseTransfer, store.ErrForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.db.ChangeCourse(ctx, c.actor, store.CourseChange{EnrollmentID: e.ID, Version: e.Version, Kind: c.kind, ToTherapist: w.bert.ID})
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	// The therapist extends their own; the team's supervisor pauses it.
	got, err := w.db.ExtendEnrollment(ctx, w.actor, e.ID, e.Version, 2, "holiday in week 4")
	if err != nil {
		t.Fatal(err)
	}
	end, _ := time.Parse(time.DateOnly, e.PlannedEnd)
	if got.PlannedEnd != end.AddDate(0, 0, 14).Format(time.DateOnly) || got.Version != e.Version+1 {
		t.Fatalf("extended: %+v", got)
	}
	// A stale version is a conflict.
	if _, err := w.db.PauseEnrollment(ctx, w.as(w.sara), e.ID, e.Version, ""); !store.IsConflict(err) {
		t.Fatalf("stale version: %v, want a conflict", err)
	}
	if _, err := w.db.ExtendEnrollment(ctx, w.actor, e.ID, got.Version, 2, " "); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("extend without a reason: %v", err)
	}
	got, err = w.db.PauseEnrollment(ctx, w.as(w.sara), e.ID, got.Version, "in hospital")
	if err != nil || !got.Paused() || got.Status != store.EnrollmentActive {
		t.Fatalf("paused: %+v, %v", got, err)
	}
	evs, err := w.db.CourseEvents(ctx, w.actor, e.ID)
	if err != nil || len(evs) != 2 || evs[0].Reason != "holiday in week 4" || evs[0].Weeks != 2 || evs[1].ActorID != w.sara.ID {
		t.Fatalf("events: %+v, %v", evs, err)
	}
}

func TestPausedPatientRaisesNoInactivity(t *testing.T) {
	w := newCourseWorld(t)
	ctx := context.Background()
	e, err := w.db.PauseEnrollment(ctx, w.actor, w.enroll.ID, w.enroll.Version, "surgery")
	if err != nil {
		t.Fatal(err)
	}
	w.clock.advance(20 * 24 * time.Hour)
	q, err := w.db.Triage(ctx, w.actor, w.therapist.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range q.Items[0].Reasons {
		if r.Class == store.ClassInactive {
			t.Fatalf("paused patient raised %q", r.Text)
		}
	}
	if !q.Items[0].Paused {
		t.Error("the queue item does not say paused")
	}
	if _, err := w.db.ResumeEnrollment(ctx, w.actor, e.ID, e.Version, ""); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(8 * 24 * time.Hour)
	q, _ = w.db.Triage(ctx, w.actor, w.therapist.ID)
	found := ""
	for _, r := range q.Items[0].Reasons {
		if r.Class == store.ClassInactive {
			found = r.Text
		}
	}
	if !strings.Contains(found, "20 days paused not counted") {
		t.Fatalf("after resuming: inactivity %q, want the paused days left out", found)
	}
}

func TestCompleteDraftsSummaryKeepsRiskAndSchedulesFollowUp(t *testing.T) {
	w := newCourseWorld(t)
	ctx := context.Background()
	f := w.fixture
	add := func(week int, answers []int) store.MeasureResponse {
		m, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "gad7", Week: week, Answers: answers})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	add(0, []int{3, 2, 2, 2, 2, 2, 2})
	f.clock.advance(24 * time.Hour)
	red, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 1,
		Answers: []int{1, 1, 1, 1, 1, 1, 1, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(24 * time.Hour)
	add(12, []int{1, 0, 1, 0, 1, 0, 1})
	f.clock.advance(time.Hour)
	e, err := f.db.CompleteEnrollment(ctx, f.actor, f.enroll.ID, f.enroll.Version, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != store.EnrollmentCompleted || e.EndedOn == "" || e.FollowUpDue == "" {
		t.Fatalf("completed: %+v", e)
	}
	ended, _ := time.Parse(time.DateOnly, e.EndedOn)
	if e.FollowUpDue != ended.AddDate(0, 0, 84).Format(time.DateOnly) {
		t.Errorf("follow-up due %s, want 12 weeks after %s", e.FollowUpDue, e.EndedOn)
	}
	// Completing twice is refused.
	if _, err := f.db.CompleteEnrollment(ctx, f.actor, e.ID, e.Version, ""); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "already completed") {
		t.Fatalf("complete twice: %v", err)
	}
	// Ending never hides the unacknowledged flag.
	q, err := f.db.Triage(ctx, f.actor, f.therapist.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, rs := riskReasons(q, f.patient.ID); n != 1 || len(rs) != 1 || rs[0].SourceID != red.ID {
		t.Fatalf("after completing: %d items, risk %+v", n, rs)
	}
	// The draft, for the therapist to edit.
	d, err := f.db.SummaryDraft(ctx, f.actor, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Discharge summary: P-0001", "Modules completed: 0 of", "GAD-7: first 15 severe", "last 4 minimal",
		"change -11 (threshold 4): reliable recovery", "PHQ-9 item 9 answered 1", "NOT ACKNOWLEDGED", "Follow-up measurement (GAD-7, PHQ-9) 12 weeks after the end, due " + e.FollowUpDue} {
		if !strings.Contains(d.Body, want) {
			t.Errorf("draft lacks %q:\n%s", want, d.Body)
		}
	}
	// The same draft for a therapist who works in Finnish or Swedish.
	facts, err := store.SummaryFactsNow(ctx, f.db, f.actor, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	due, _ := time.Parse(time.DateOnly, e.FollowUpDue)
	for lang, wants := range map[string][]string{
		i18n.FI: {"# Loppuyhteenveto: P-0001", "Suoritetut moduulit: 0/", "muutos -11 (raja 4): luotettava toipuminen", "KUITTAAMATTA",
			"Seurantamittaus (GAD-7, PHQ-9) 12 viikkoa hoidon päättymisen jälkeen, viimeistään " + i18n.New(i18n.FI).Date(due)},
		i18n.SV: {"# Slutsammanfattning: P-0001", "förändring -11 (gräns 4): tillförlitlig återhämtning", "INTE KVITTERAD", "12 veckor efter avslutet"},
	} {
		body := store.RenderSummaryIn(i18n.New(lang), facts)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s draft lacks %q:\n%s", lang, want, body)
			}
		}
		for _, english := range []string{"Discharge summary", "Modules completed", "threshold", "NOT ACKNOWLEDGED", "weeks after"} {
			if strings.Contains(body, english) {
				t.Errorf("%s draft has %q:\n%s", lang, english, body)
			}
		}
	}
	if got := store.RenderSummaryIn(i18n.New(i18n.EN), facts); got != store.RenderSummary(facts) {
		t.Errorf("English draft differs from RenderSummary")
	}
	// Edited, then signed; the draft is gone; a correction supersedes.
	d.Body += "\nThe patient did well.\n"
	if d, err = f.db.SaveDraft(ctx, f.actor, d); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SignSummary(ctx, w.as(w.adam), e.ID, ""); err == nil {
		t.Fatal("an admin account signed a summary")
	}
	s1, err := f.db.SignSummary(ctx, f.actor, e.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s1.Body, "did well") {
		t.Fatalf("signed body %q", s1.Body)
	}
	if ds, _ := f.db.Drafts(ctx, f.therapist.ID); len(ds) != 0 {
		t.Fatalf("draft left after signing: %+v", ds)
	}
	f.clock.advance(time.Hour)
	s2, err := f.db.SignSummary(ctx, f.actor, e.ID, "Corrected.\n")
	if err != nil || s2.Supersedes != s1.ID {
		t.Fatalf("correction: %+v, %v", s2, err)
	}
	v, err := f.db.PatientSummary(ctx, f.actor, "P-0001", "")
	if err != nil || !v.Signed || v.Body != "Corrected.\n" || len(v.Superseded) != 1 || v.Facts.ModulesCompleted != 0 || v.Facts.Scores[0].Change == nil {
		t.Fatalf("view %+v, %v", v, err)
	}
	if !strings.Contains(v.Markdown(), "Signed by anna") {
		t.Errorf("markdown: %s", v.Markdown())
	}

	// The follow-up: due after 12 weeks; answered, the change since the end.
	f.clock.advance(85 * 24 * time.Hour)
	q, _ = f.db.Triage(ctx, f.actor, f.therapist.ID)
	if got := reasonText(q, f.patient.ID, store.ClassFollowUp); !strings.Contains(got, "Follow-up due since") {
		t.Fatalf("follow-up: %q", got)
	}
	add(24, []int{2, 2, 2, 2, 1, 1, 1})
	q, _ = f.db.Triage(ctx, f.actor, f.therapist.ID)
	if got := reasonText(q, f.patient.ID, store.ClassFollowUp); !strings.Contains(got, "GAD-7 4 at the end, 11 at follow-up (+7, threshold 4: reliable deterioration)") {
		t.Fatalf("follow-up answered: %q", got)
	}
}

func reasonText(q *store.Queue, patientID string, c store.Class) string {
	for _, it := range q.Items {
		if it.PatientID != patientID {
			continue
		}
		for _, r := range it.Reasons {
			if r.Class == c {
				return r.Text
			}
		}
	}
	return ""
}

func TestTransferMovesTheRecord(t *testing.T) {
	w := newCourseWorld(t)
	ctx := context.Background()
	f := w.fixture
	old := f.submit(t, "my first exercise")
	if _, err := f.db.TransferEnrollment(ctx, w.as(w.otto), f.enroll.ID, f.enroll.Version, w.bert.ID, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("another team's supervisor: %v", err)
	}
	e, err := f.db.TransferEnrollment(ctx, w.as(w.sara), f.enroll.ID, f.enroll.Version, w.bert.ID, "anna on leave")
	if err != nil {
		t.Fatal(err)
	}
	if e.TherapistID != w.bert.ID {
		t.Fatalf("transferred to %s", e.TherapistID)
	}
	rec, err := f.db.PatientRecord(ctx, w.as(w.bert), f.patient.ID, "test")
	if err != nil || len(rec.Submissions) != 1 || rec.Submissions[0].ID != old.ID {
		t.Fatalf("bert reads the past records: %v", err)
	}
	if _, err := f.db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: e.ID, PatientID: f.patient.ID, Direction: store.DirectionOut, Body: "hi"}, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("anna writing after the transfer: %v", err)
	}
	if _, err := f.db.PauseEnrollment(ctx, f.actor, e.ID, e.Version, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("anna pausing after the transfer: %v", err)
	}
	// Her only enrollment of the patient moved: she no longer reads the record.
	if err := f.db.CanRead(ctx, f.actor, f.patient.ID); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("anna reading after the transfer: %v", err)
	}
}

func TestCourseEventFromTheFutureIsRefused(t *testing.T) {
	w := newCourseWorld(t)
	ctx := context.Background()
	at := w.clock.now().Add(2 * time.Hour)
	op := store.CourseOp{Version: w.enroll.Version, Event: store.EnrollmentEvent{ID: w.db.NewID(at), EnrollmentID: w.enroll.ID, PatientID: w.patient.ID,
		Kind: store.CoursePause, At: at, Date: at.Format(time.DateOnly), ActorID: w.therapist.ID}}
	if err := w.db.Apply(ctx, w.actor, op); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "in the future") {
		t.Fatalf("a pause two hours ahead: %v", err)
	}
}
