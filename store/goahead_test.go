package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"polku/store"
)

// goAheadFixture is a patient of anna's on the insomnia program who has
// submitted the health check (the screening of sleep restriction).
type goAheadFixture struct {
	*fixture
	e      store.Enrollment
	p      store.Patient
	health store.Submission
	goals  store.Submission // another exercise of the same module
}

func newGoAheadFixture(t *testing.T) *goAheadFixture {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t)
	p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0002", DisplayName: "Sleep Patient", BirthDate: "1980-02-01", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := f.db.ProgramVersion(ctx, "insomnia", 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: f.therapist.ID, UnlockedModules: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := &goAheadFixture{fixture: f, e: e, p: p}
	f.clock.advance(time.Hour)
	submit := func(ex string, answers map[string]string) store.Submission {
		s, err := f.db.Submit(ctx, sys, store.Submission{EnrollmentID: e.ID, PatientID: p.ID, ModuleID: "sleep-and-diary", ExerciseID: ex,
			Answers: answers})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	g.health = submit("health-check", map[string]string{"snoring": "no", "dozing": "not sure"})
	g.goals = submit("sleep-goals", map[string]string{"text": "sleep through the night"})
	f.clock.advance(time.Hour)
	return g
}

func (g *goAheadFixture) decision(mod func(*store.GoAhead)) store.GoAhead {
	d := store.GoAhead{PatientID: g.p.ID, EnrollmentID: g.e.ID, GoAheadID: "sleep-restriction", SubmissionID: g.health.ID, Decision: store.GoAheadYes}
	if mod != nil {
		mod(&d)
	}
	return d
}

func TestGoAheadRefusals(t *testing.T) {
	ctx := context.Background()
	g := newGoAheadFixture(t)
	bert, err := g.db.AddTherapist(ctx, sys, store.Therapist{Handle: "bert", Name: "Bert B", Role: store.RoleTherapist, Team: "south", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		actor store.Actor
		mod   func(*store.GoAhead)
		want  string
	}{
		{"unknown go-ahead", g.actor, func(d *store.GoAhead) { d.GoAheadID = "exposure-ladder" },
			`go_ahead.go_ahead_id: "exposure-ladder" is not a go-ahead of program insomnia (it declares sleep-restriction)`},
		{"not the screening", g.actor, func(d *store.GoAhead) { d.SubmissionID = g.goals.ID }, `answers "sleep-goals", not the screening "health-check"`},
		{"not suitable without a reason", g.actor, func(d *store.GoAhead) { d.Decision = store.GoAheadNotSuitable }, "go_ahead.comment: is required when the step is not suitable"},
		{"unknown decision", g.actor, func(d *store.GoAhead) { d.Decision = "maybe" }, `go_ahead.decision: "maybe" is not one of go-ahead, not-suitable`},
		{"before the screening", g.actor, func(d *store.GoAhead) { d.DecidedAt = g.health.SubmittedAt.Add(-time.Minute) }, "is before the screening it decides on"},
		{"another patient's submission", g.actor, func(d *store.GoAhead) { d.PatientID = g.patient.ID; d.EnrollmentID = g.enroll.ID },
			"is not a go-ahead of program gad"},
		{"not the patient's therapist", store.ActorFor(bert, "test"), nil, "only the patient's therapist gives the go-ahead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := g.db.RecordGoAhead(ctx, tc.actor, g.decision(tc.mod))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
			if !errors.Is(err, store.ErrInvalid) && !errors.Is(err, store.ErrForbidden) {
				t.Errorf("%v is neither invalid nor forbidden", err)
			}
		})
	}
	var n int
	g.db.Reader().QueryRow("SELECT COUNT(*) FROM go_aheads").Scan(&n)
	if n != 0 {
		t.Fatalf("%d go-aheads stored by refused ops", n)
	}
}

// The queue says the step waits once the health check is in, and stops
// saying it when the therapist decides; the decision is in the record and
// in the change log, with who made it.
func TestGoAheadClearsTheQueueReason(t *testing.T) {
	ctx := context.Background()
	g := newGoAheadFixture(t)
	waiting := func() *store.Reason {
		t.Helper()
		q, err := g.db.Triage(ctx, g.actor, g.therapist.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range q.Items {
			for _, r := range it.Reasons {
				if it.PatientID == g.p.ID && r.Code == store.ReasonGoAheadWaiting {
					return &r
				}
			}
		}
		return nil
	}
	r := waiting()
	if r == nil || r.SourceID != g.health.ID || r.Class != store.ClassOverdue || !strings.Contains(r.Text, "sleep restriction (the sleep window) waits for your go-ahead") {
		t.Fatalf("before the decision: %+v", r)
	}
	d, err := g.db.RecordGoAhead(ctx, g.actor, g.decision(func(d *store.GoAhead) { d.Comment = "no contraindications" }))
	if err != nil {
		t.Fatal(err)
	}
	if r := waiting(); r != nil {
		t.Fatalf("after the go-ahead: %+v", r)
	}
	rec, err := g.db.PatientRecord(ctx, g.actor, g.p.ID, "overview")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.GoAheads) != 1 || rec.GoAheads[0].ID != d.ID || !rec.GoAheads[0].Approved() || rec.GoAheads[0].TherapistID != g.therapist.ID {
		t.Fatalf("record holds %+v", rec.GoAheads)
	}
	var actor string
	g.db.Reader().QueryRow("SELECT actor_id FROM changes WHERE entity = 'go_aheads' AND entity_id = ?", d.ID).Scan(&actor)
	if actor != g.therapist.ID {
		t.Errorf("change log: actor %q, want %s", actor, g.therapist.ID)
	}
}

// A go-ahead is part of the record: it leaves in an export and comes back
// from it, checked like any other writer's (a "not suitable" without a
// reason is refused there too).
func TestGoAheadExportsAndImports(t *testing.T) {
	ctx := context.Background()
	g := newGoAheadFixture(t)
	d, err := g.db.RecordGoAhead(ctx, g.actor, g.decision(nil))
	if err != nil {
		t.Fatal(err)
	}
	var exp bytes.Buffer
	if _, err := g.db.Export(ctx, sys, &exp, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exp.String(), `"type":"go_ahead","id":"`+d.ID+`"`) {
		t.Fatalf("the export lacks the go-ahead:\n%s", exp.String())
	}
	other := openStore(t, g.clock)
	if _, err := other.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	var n int
	other.Reader().QueryRow("SELECT COUNT(*) FROM go_aheads WHERE id = ? AND decision = 'go-ahead'", d.ID).Scan(&n)
	if n != 1 {
		t.Fatal("the go-ahead did not come back")
	}
	bad := strings.Replace(exp.String(), `"decision":"go-ahead"`, `"decision":"not-suitable"`, 1)
	third := openStore(t, g.clock)
	if _, err := third.Import(ctx, sys, strings.NewReader(bad), false); err == nil || !strings.Contains(err.Error(), "go_ahead.comment: is required") {
		t.Fatalf("import of a reasonless not-suitable: %v", err)
	}
}
