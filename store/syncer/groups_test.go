package syncer_test

import (
	"context"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// Cohorts and peer groups reach the replica of the therapist who runs and
// moderates them, through a real server: the cohort with its member and
// group message, the groups with the members and posts of the therapist's
// own patients, and those of another therapist's patient without the
// patient (never a group the therapist does not moderate). Moderation and
// group messages made on the replica are pushed to the server.
func TestGroupsReachTheReplica(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 2, PatientsPer: 2, Weeks: 1, Supervisor: true})
	th, other := e.fx.Therapists[0], e.fx.Therapists[1]
	mine, theirs := e.fx.Patients[th.ID][0], e.fx.Patients[other.ID][0]
	thActor, otherActor := store.ActorFor(th, "desk"), store.ActorFor(other, "desk")
	db := e.srvDB
	pv, err := db.ProgramVersion(ctx, e.fx.Enrollments[mine.ID].ProgramID, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCohort(ctx, thActor, store.Cohort{Name: "Autumn group", ProgramVersionID: pv.ID, StartDate: db.Now().Format("2006-01-02"),
		Capacity: 8, TherapistIDs: []string{th.ID}})
	if err != nil {
		t.Fatal(err)
	}
	add, err := db.CohortEnrollment(ctx, c, e.fx.Patients[th.ID][1].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, thActor, add); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SendGroupMessage(ctx, thActor, store.GroupMessage{CohortID: c.ID, Body: "Welcome, everyone"}); err != nil {
		t.Fatal(err)
	}
	// th's topic group, with th's patient and the other therapist's
	// patient; and a group of the other therapist.
	g, err := db.CreatePeerGroup(ctx, thActor, store.PeerGroup{Name: "Sleep talk", Topic: "sleep"})
	if err != nil {
		t.Fatal(err)
	}
	og, err := db.CreatePeerGroup(ctx, otherActor, store.PeerGroup{Name: "Worry talk", Topic: "worry"})
	if err != nil {
		t.Fatal(err)
	}
	join := func(by store.Actor, group string, p store.Patient, alias string) store.GroupMember {
		code, _, err := db.IssueGroupCode(ctx, by, group)
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
	post := func(group string, p store.Patient, body string) store.GroupPost {
		now := db.Now()
		gp := store.GroupPost{ID: db.NewID(now), GroupID: group, PatientID: p.ID, Body: body, PostedAt: now}
		if err := db.Apply(ctx, store.Actor{ID: "patient:" + p.ID, Role: "patient"}, store.AddGroupPostOp{Post: gp}); err != nil {
			t.Fatal(err)
		}
		return gp
	}
	join(thActor, g.ID, mine, "Owl")
	join(thActor, g.ID, theirs, "Lark")
	join(otherActor, og.ID, theirs, "Wren")
	myPost := post(g.ID, mine, "I slept six hours")
	theirPost := post(g.ID, theirs, "Me too")
	post(og.ID, theirs, "Worries at night")

	r := e.replica(th, nil)
	r.round(t)
	has := func(table, id string) bool {
		return count(t, r.db, "SELECT COUNT(*) FROM "+table+" WHERE id = ?", id) == 1
	}
	for _, want := range []struct{ table, id string }{{"cohorts", c.ID}, {"cohort_members", add.Member.ID}, {"peer_groups", g.ID}, {"group_posts", myPost.ID}} {
		if !has(want.table, want.id) {
			t.Errorf("the replica lacks %s %s", want.table, want.id)
		}
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM group_messages WHERE cohort_id = ?", c.ID); n != 1 {
		t.Errorf("the replica has %d group messages, want 1", n)
	}
	if has("peer_groups", og.ID) {
		t.Errorf("the replica holds a group its therapist does not moderate")
	}
	// The other therapist's patient's post, for moderation, without the
	// patient (TestModeratorReplicaModeratesOtherTherapistsPatients).
	if n := count(t, r.db, "SELECT COUNT(*) FROM group_posts WHERE id = ? AND patient_id = '' AND enrollment_id = ''", theirPost.ID); n != 1 {
		t.Errorf("the replica has the other therapist's patient's post %d times without the patient, want once", n)
	}
	for _, table := range []string{"group_members", "group_posts", "cohort_members"} {
		if n := count(t, r.db, "SELECT COUNT(*) FROM "+table+" WHERE patient_id = ?", theirs.ID); n != 0 {
			t.Errorf("the replica has %d %s of another therapist's patient", n, table)
		}
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM group_codes"); n != 0 {
		t.Errorf("join codes reached the replica: %d", n)
	}
	// The workbench's views read the replica.
	local := store.ActorFor(th, "laptop")
	queue, err := r.db.ModerationQueue(ctx, local, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 2 || queue[0].ID != myPost.ID || queue[0].Alias != "Owl" || queue[1].ID != theirPost.ID || queue[1].Alias != "Lark" || queue[1].Pseudonym != "" {
		t.Fatalf("moderation queue on the replica: %+v", queue)
	}
	view, err := r.db.CohortDetail(ctx, local, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Members) != 1 {
		t.Fatalf("cohort on the replica: %+v", view)
	}
	// Moderation and a group message on the replica reach the server
	// (with the audit of the cohort view's reads).
	if err := r.db.Moderate(ctx, local, myPost.ID, store.ModApprove, "", queue[0].Version); err != nil {
		t.Fatal(err)
	}
	gm, err := r.db.SendGroupMessage(ctx, local, store.GroupMessage{CohortID: c.ID, Body: "This week: the sleep diary"})
	if err != nil {
		t.Fatal(err)
	}
	if rep := r.round(t); rep.Pushed < 2 || rep.Rejected != 0 || rep.Conflicts != 0 {
		t.Fatalf("push: %+v", rep)
	}
	if p, err := db.PostOf(ctx, myPost.ID); err != nil || p.Status != store.PostApproved {
		t.Fatalf("the server's post: %+v %v", p, err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM group_messages WHERE id = ? AND therapist_id = ?", gm.ID, th.ID); n != 1 {
		t.Fatalf("the server has the group message %d times", n)
	}
	// A new post on the server reaches the replica's queue.
	next := post(g.ID, mine, "Better tonight")
	notMe := post(g.ID, theirs, "Not me")
	r.round(t)
	queue, err = r.db.ModerationQueue(ctx, local, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 3 || queue[0].ID != theirPost.ID || queue[1].ID != next.ID || queue[2].ID != notMe.ID {
		t.Fatalf("the queue after the new posts: %+v", queue)
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM post_decisions WHERE post_id = ?", myPost.ID); n != 1 {
		t.Fatalf("the replica has %d decisions on the approved post", n)
	}
	// The team's supervisor reads both therapists' groups, with the posts
	// of the team's patients.
	sup := e.replica(e.fx.Supervisor, nil)
	sup.round(t)
	for _, want := range []struct{ table, id string }{{"cohorts", c.ID}, {"peer_groups", g.ID}, {"peer_groups", og.ID}, {"group_posts", theirPost.ID}, {"group_posts", next.ID}} {
		if count(t, sup.db, "SELECT COUNT(*) FROM "+want.table+" WHERE id = ?", want.id) != 1 {
			t.Errorf("the supervisor's replica lacks %s %s", want.table, want.id)
		}
	}
}
