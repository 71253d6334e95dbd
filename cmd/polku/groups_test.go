package main

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/demo"
)

// simulate plays group members: a member of a peer group posts, and the
// post waits in the moderation queue.
func TestSimulateGroupMembersPost(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), store.Options{Create: true, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(ctx, db, demo.Config{Seed: 1, Patients: 100, Now: now}); err != nil {
		t.Fatal(err)
	}
	cs, _ := db.Cohorts(ctx, store.System("t"))
	th, _ := db.Therapist(ctx, cs[0].TherapistIDs[0])
	before, _ := db.ModerationQueue(ctx, store.ActorFor(th, "t"), false)
	member := before[0].PatientID
	var p portal = localPortal{db: db, patientID: member}
	if !isGroupPoster(p) || !isGroupPoster(httpPortal{}) {
		t.Fatal("both portals post to groups")
	}
	what, err := p.(groupPoster).groupPost(ctx, rand.New(rand.NewPCG(1, 2)))
	gs, _ := db.GroupsOfPatient(ctx, member)
	if err != nil || len(gs) != 1 || i18n.New(i18n.EN).M(what) != "posted to "+gs[0].Name {
		t.Fatalf("groupPost: %q %v", what, err)
	}
	after, _ := db.ModerationQueue(ctx, store.ActorFor(th, "t"), false)
	if len(after) != len(before)+1 {
		t.Fatalf("queue %d, was %d", len(after), len(before))
	}
	// A patient in no group does not post.
	var outside string
	db.Reader().QueryRow("SELECT id FROM patients WHERE id NOT IN (SELECT patient_id FROM group_members) LIMIT 1").Scan(&outside)
	if what, err := (localPortal{db: db, patientID: outside}).groupPost(ctx, rand.New(rand.NewPCG(1, 2))); what.ID != "" || err != nil {
		t.Fatalf("outside a group: %q %v", what, err)
	}
}
