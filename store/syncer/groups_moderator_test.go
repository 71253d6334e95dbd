package syncer_test

import (
	"context"
	"errors"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// A moderator of a topic group moderates, on their replica, the posts of a
// member who is another therapist's patient (docs/groups.md, "On a
// replica"): the replica receives the alias, the text, the time and the
// status, and no record of the patient (no patients row, no timeline, no
// audit of a read); approving and rejecting there reach the server, which
// decides again. A post held for a risk phrase does not reach the
// moderator, and nobody else's replica receives the posts: not the
// poster's own therapist (who does not moderate the group), not a third
// therapist.
func TestModeratorReplicaModeratesOtherTherapistsPatients(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 3, PatientsPer: 1, Weeks: 1})
	mod, other, third := e.fx.Therapists[0], e.fx.Therapists[1], e.fx.Therapists[2]
	mine, theirs := e.fx.Patients[mod.ID][0], e.fx.Patients[other.ID][0]
	modActor := store.ActorFor(mod, "desk")
	db := e.srvDB
	g, err := db.CreatePeerGroup(ctx, modActor, store.PeerGroup{Name: "Sleep talk", Topic: "sleep"})
	if err != nil {
		t.Fatal(err)
	}
	join := func(p store.Patient, alias string) store.GroupMember {
		code, _, err := db.IssueGroupCode(ctx, modActor, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		now := db.Now()
		m := store.GroupMember{ID: db.NewID(now), PatientID: p.ID, Alias: alias, JoinedAt: now}
		if err := db.Apply(ctx, store.Actor{ID: "patient:" + p.ID, Role: "patient"}, store.JoinGroupOp{Member: m, CodeHash: store.HashGroupCode(code)}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	post := func(p store.Patient, body string) store.GroupPost {
		now := db.Now()
		gp := store.GroupPost{ID: db.NewID(now), GroupID: g.ID, PatientID: p.ID, Body: body, PostedAt: now}
		if err := db.Apply(ctx, store.Actor{ID: "patient:" + p.ID, Role: "patient"}, store.AddGroupPostOp{Post: gp}); err != nil {
			t.Fatal(err)
		}
		return gp
	}
	join(mine, "Owl")
	lark := join(theirs, "Lark")
	first := post(theirs, "Slept badly again")
	second := post(theirs, "Anyone tried a sleep diary?")
	held := post(theirs, "Joskus haluan kuolla.")
	if p, err := db.PostOf(ctx, held.ID); err != nil || p.Status != store.PostHeld {
		t.Fatalf("the risk phrase's post on the server: %+v %v", p, err)
	}

	r := e.replica(mod, nil)
	r.round(t)
	local := store.ActorFor(mod, "laptop")
	queue, err := r.db.ModerationQueue(ctx, local, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 2 || queue[0].ID != first.ID || queue[1].ID != second.ID {
		t.Fatalf("the moderator's queue on the replica: %+v", queue)
	}
	for _, q := range queue {
		if q.Alias != "Lark" || q.Body == "" || q.PostedAt.IsZero() || q.Status != store.PostPending || q.PatientID != "" || q.EnrollmentID != "" || q.Pseudonym != "" {
			t.Errorf("a queued post of another therapist's patient: %+v", q)
		}
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM group_members WHERE id = ? AND patient_id = ''", lark.ID); n != 1 {
		t.Errorf("the member is on the replica %d times without the patient, want once", n)
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM group_posts WHERE id = ?", held.ID); n != 0 {
		t.Errorf("the held post reached the moderator's replica")
	}
	noRecord := func(when string) {
		t.Helper()
		for _, q := range []string{
			"SELECT COUNT(*) FROM patients WHERE id = ?",
			"SELECT COUNT(*) FROM enrollments WHERE patient_id = ?",
			"SELECT COUNT(*) FROM submissions WHERE patient_id = ?",
			"SELECT COUNT(*) FROM messages WHERE patient_id = ?",
			"SELECT COUNT(*) FROM measure_responses WHERE patient_id = ?",
			"SELECT COUNT(*) FROM diary_entries WHERE patient_id = ?",
			"SELECT COUNT(*) FROM group_members WHERE patient_id = ?",
			"SELECT COUNT(*) FROM group_posts WHERE patient_id = ?",
			"SELECT COUNT(*) FROM changes WHERE patient_id = ?",
			"SELECT COUNT(*) FROM audit WHERE patient_id = ?",
		} {
			if n := count(t, r.db, q, theirs.ID); n != 0 {
				t.Errorf("%s: the moderator's replica holds %d rows of another therapist's patient: %s", when, n, q)
			}
		}
		if rec, err := r.db.PatientRecord(ctx, local, theirs.ID, "timeline"); !errors.Is(err, store.ErrForbidden) && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: the patient's timeline on the moderator's replica: %+v %v, want none", when, rec, err)
		}
		// The server sent no record of the patient, so it audited no read.
		if n := count(t, db, "SELECT COUNT(*) FROM audit WHERE actor_id = ? AND patient_id = ?", mod.ID, theirs.ID); n != 0 {
			t.Errorf("%s: the server audited %d reads of the patient by the moderator", when, n)
		}
	}
	noRecord("after the first pull")

	// Approve one, reject the other, on the replica; the server decides
	// again and keeps the decisions.
	if err := r.db.Moderate(ctx, local, first.ID, store.ModApprove, "", queue[0].Version); err != nil {
		t.Fatal(err)
	}
	if err := r.db.Moderate(ctx, local, second.ID, store.ModReject, "Please keep to sleep", queue[1].Version); err != nil {
		t.Fatal(err)
	}
	if rep := r.round(t); rep.Pushed != 2 || rep.Rejected != 0 || rep.Conflicts != 0 {
		t.Fatalf("push: %+v", rep)
	}
	for _, want := range []struct{ id, status, reason string }{{first.ID, store.PostApproved, ""}, {second.ID, store.PostRejected, "Please keep to sleep"}} {
		p, err := db.PostOf(ctx, want.id)
		if err != nil || p.Status != want.status || p.Reason != want.reason || p.DecidedBy != mod.ID || p.PatientID != theirs.ID {
			t.Errorf("the server's post: %+v %v, want %s by %s", p, err, want.status, mod.ID)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM post_decisions WHERE post_id = ? AND therapist_id = ?", want.id, mod.ID); n != 1 {
			t.Errorf("the server has %d decisions on %s", n, want.id)
		}
		if n := count(t, r.db, "SELECT COUNT(*) FROM group_posts WHERE id = ? AND status = ? AND patient_id = ''", want.id, want.status); n != 1 {
			t.Errorf("the replica's post %s is not %s after the round", want.id, want.status)
		}
	}
	if queue, err = r.db.ModerationQueue(ctx, local, false); err != nil || len(queue) != 0 {
		t.Fatalf("the queue after the decisions: %+v %v", queue, err)
	}
	// A post that came later reaches the queue through the change log.
	later := post(theirs, "Better tonight")
	r.round(t)
	if queue, err = r.db.ModerationQueue(ctx, local, false); err != nil || len(queue) != 1 || queue[0].ID != later.ID || queue[0].PatientID != "" {
		t.Fatalf("the queue after a new post: %+v %v", queue, err)
	}
	noRecord("after the decisions")

	// Nobody else's replica receives the posts or the member.
	for _, th := range []store.Therapist{other, third} {
		o := e.replica(th, nil)
		o.round(t)
		for _, id := range []string{first.ID, second.ID, held.ID, later.ID} {
			if n := count(t, o.db, "SELECT COUNT(*) FROM group_posts WHERE id = ?", id); n != 0 {
				t.Errorf("%s's replica holds post %s of a group they do not moderate", th.Handle, id)
			}
		}
		if n := count(t, o.db, "SELECT COUNT(*) FROM group_members WHERE id = ?", lark.ID); n != 0 {
			t.Errorf("%s's replica holds the member", th.Handle)
		}
	}
}

// A patient taken from a therapist who moderates their group leaves the
// therapist's replica with their record, but their membership and posts
// stay in the moderation queue there, without the patient, in the same
// pull.
func TestModeratorKeepsPostsOfAPatientTakenFromThem(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 2, PatientsPer: 1, Weeks: 1})
	mod, other := e.fx.Therapists[0], e.fx.Therapists[1]
	mine := e.fx.Patients[mod.ID][0]
	modActor := store.ActorFor(mod, "desk")
	db := e.srvDB
	g, err := db.CreatePeerGroup(ctx, modActor, store.PeerGroup{Name: "Sleep talk", Topic: "sleep"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := db.IssueGroupCode(ctx, modActor, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	patient := store.Actor{ID: "patient:" + mine.ID, Role: "patient"}
	now := db.Now()
	m := store.GroupMember{ID: db.NewID(now), PatientID: mine.ID, Alias: "Owl", JoinedAt: now}
	if err := db.Apply(ctx, patient, store.JoinGroupOp{Member: m, CodeHash: store.HashGroupCode(code)}); err != nil {
		t.Fatal(err)
	}
	gp := store.GroupPost{ID: db.NewID(now), GroupID: g.ID, PatientID: mine.ID, Body: "Slept six hours", PostedAt: now}
	if err := db.Apply(ctx, patient, store.AddGroupPostOp{Post: gp}); err != nil {
		t.Fatal(err)
	}
	r := e.replica(mod, nil)
	r.round(t)
	if n := count(t, r.db, "SELECT COUNT(*) FROM group_posts WHERE id = ? AND patient_id = ?", gp.ID, mine.ID); n != 1 {
		t.Fatalf("the moderator's own patient's post is on the replica %d times with the patient", n)
	}
	en := e.fx.Enrollments[mine.ID]
	if err := db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: en.ID, Version: en.Version, TherapistID: other.ID}); err != nil {
		t.Fatal(err)
	}
	if rep := r.round(t); rep.Revoked != 1 {
		t.Fatalf("the round after the reassignment: %+v", rep)
	}
	for _, q := range []string{"SELECT COUNT(*) FROM patients WHERE id = ?", "SELECT COUNT(*) FROM enrollments WHERE patient_id = ?",
		"SELECT COUNT(*) FROM group_posts WHERE patient_id = ?", "SELECT COUNT(*) FROM group_members WHERE patient_id = ?"} {
		if n := count(t, r.db, q, mine.ID); n != 0 {
			t.Errorf("the replica still holds %d rows of the patient taken away: %s", n, q)
		}
	}
	queue, err := r.db.ModerationQueue(ctx, store.ActorFor(mod, "laptop"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || queue[0].ID != gp.ID || queue[0].Alias != "Owl" || queue[0].PatientID != "" {
		t.Fatalf("the moderator's queue after the reassignment: %+v", queue)
	}
}
