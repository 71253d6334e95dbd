package syncer_test

import (
	"context"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// A go-ahead recorded on a replica reaches the server once; one recorded
// on the server (or another device) reaches the replica.
func TestGoAheadRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 1, Weeks: 1})
	th := e.fx.Therapists[0]
	sys := store.System("test")
	p, err := e.srvDB.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-SLEEP", DisplayName: "Sleep Patient", BirthDate: "1980-02-01", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := e.srvDB.ProgramVersion(ctx, "insomnia", 0)
	if err != nil {
		t.Fatal(err)
	}
	en, err := e.srvDB.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: th.ID, UnlockedModules: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.srvDB.Submit(ctx, sys, store.Submission{EnrollmentID: en.ID, PatientID: p.ID, ModuleID: "sleep-and-diary", ExerciseID: "health-check",
		Answers: map[string]string{"snoring": "no"}})
	if err != nil {
		t.Fatal(err)
	}
	r := e.replica(th, nil)
	r.round(t)
	actor := store.ActorFor(th, "laptop")
	g, err := r.db.RecordGoAhead(ctx, actor, store.GoAhead{PatientID: p.ID, EnrollmentID: en.ID, GoAheadID: "sleep-restriction", SubmissionID: s.ID,
		Decision: store.GoAheadYes, Comment: "screened"})
	if err != nil {
		t.Fatal(err)
	}
	if rep := r.round(t); rep.Pushed != 1 {
		t.Fatalf("push: %+v", rep)
	}
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM go_aheads WHERE id = ? AND therapist_id = ?", g.ID, th.ID); n != 1 {
		t.Fatalf("server has the go-ahead %d times", n)
	}
	if _, err := e.srvDB.RecordGoAhead(ctx, store.ActorFor(th, "desk"), store.GoAhead{PatientID: p.ID, EnrollmentID: en.ID, GoAheadID: "sleep-restriction",
		SubmissionID: s.ID, Decision: store.GoAheadNotSuitable, Comment: "apnoea found later"}); err != nil {
		t.Fatal(err)
	}
	r.round(t)
	if n := count(t, r.db, "SELECT COUNT(*) FROM go_aheads WHERE patient_id = ?", p.ID); n != 2 {
		t.Fatalf("replica has %d go-aheads, want 2", n)
	}
}
