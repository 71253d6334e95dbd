package syncer_test

import (
	"context"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// The course of a treatment made on a replica reaches the server and the
// other replicas: a pause, a completion with its summary draft, the signed
// summary; a transfer made by the supervisor moves the patient and the
// course between replicas.
func TestCourseTravels(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 2, PatientsPer: 1, Weeks: 2, Supervisor: true})
	a, b := e.fx.Therapists[0], e.fx.Therapists[1]
	ra, rb, rs := e.replica(a, nil), e.replica(b, nil), e.replica(e.fx.Supervisor, nil)
	ra.round(t)
	rb.round(t)
	rs.round(t)
	p := e.fx.Patients[a.ID][0]
	en := e.fx.Enrollments[p.ID]
	aa := store.ActorFor(a, "replica-a")
	got, err := ra.db.PauseEnrollment(ctx, aa, en.ID, en.Version, "surgery")
	if err != nil {
		t.Fatal(err)
	}
	ra.round(t)
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM enrollments WHERE id = ? AND paused_since IS NOT NULL", en.ID); n != 1 {
		t.Fatal("the pause did not reach the server")
	}
	// The supervisor, on their replica, transfers the patient to B.
	rs.round(t)
	cur, err := rs.db.Enrollment(ctx, store.ActorFor(e.fx.Supervisor, "replica-s"), en.ID)
	if err != nil || cur.Version != got.Version {
		t.Fatalf("supervisor's copy: %+v, %v", cur, err)
	}
	if _, err := rs.db.TransferEnrollment(ctx, store.ActorFor(e.fx.Supervisor, "replica-s"), en.ID, cur.Version, b.ID, "A on leave"); err != nil {
		t.Fatal(err)
	}
	rs.round(t)
	if rep := ra.round(t); rep.Revoked != 1 {
		t.Fatalf("A's round after the transfer: %+v", rep)
	}
	rb.round(t)
	if n := count(t, rb.db, "SELECT COUNT(*) FROM enrollment_events WHERE enrollment_id = ?", en.ID); n != 2 {
		t.Fatalf("B's replica has %d course events, want the pause and the transfer", n)
	}
	// B resumes, completes (the draft is made on the replica) and signs.
	ba := store.ActorFor(b, "replica-b")
	cur, _ = rb.db.Enrollment(ctx, ba, en.ID)
	if cur, err = rb.db.ResumeEnrollment(ctx, ba, en.ID, cur.Version, ""); err != nil {
		t.Fatal(err)
	}
	if cur, err = rb.db.CompleteEnrollment(ctx, ba, en.ID, cur.Version, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := rb.db.SignSummary(ctx, ba, en.ID, ""); err != nil {
		t.Fatal(err)
	}
	rb.round(t)
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM summaries WHERE enrollment_id = ? AND therapist_id = ?", en.ID, b.ID); n != 1 {
		t.Fatal("the signed summary did not reach the server")
	}
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM enrollments WHERE id = ? AND status = 'completed' AND follow_up_due <> ''", en.ID); n != 1 {
		t.Fatal("the completion did not reach the server")
	}
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM drafts WHERE target_type = 'summary'"); n != 0 {
		t.Fatal("the summary draft outlived the signing on the server")
	}
	// The supervisor's replica receives the summary.
	rs.round(t)
	if n := count(t, rs.db, "SELECT COUNT(*) FROM summaries WHERE enrollment_id = ?", en.ID); n != 1 {
		t.Fatal("the supervisor's replica has no summary")
	}
}
