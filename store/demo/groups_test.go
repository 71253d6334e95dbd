package demo_test

import (
	"context"
	"testing"

	"polku/store"
	"polku/store/demo"
)

// A demo of 100 patients has one cohort of eight of them, with a peer
// group, a group message and posts waiting for the demo therapist.
func TestDemoHasACohortWithAPeerGroup(t *testing.T) {
	db := demoStore(t, 100)
	ctx := context.Background()
	var n int
	db.Reader().QueryRow("SELECT COUNT(*) FROM patients").Scan(&n)
	if n != 100+demo.ShowcaseReferrals {
		t.Fatalf("%d patients, want 100 and the %d showcase referrals (the cohort's members among the 100)", n, demo.ShowcaseReferrals)
	}
	cs, err := db.Cohorts(ctx, store.System("t"))
	if err != nil || len(cs) != 1 || cs[0].Members != 8 || cs[0].Week != 3 {
		t.Fatalf("cohorts %+v %v", cs, err)
	}
	th, err := db.Therapist(ctx, cs[0].TherapistIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	q, err := db.ModerationQueue(ctx, store.ActorFor(th, "t"), false)
	if err != nil || len(q) != 3 {
		t.Fatalf("queue %d %v", len(q), err)
	}
	if ms, _ := db.GroupMessagesOf(ctx, q[0].PatientID); len(ms) != 1 {
		t.Fatalf("group messages %+v", ms)
	}
	small := demoStore(t, 20)
	if cs, _ := small.Cohorts(ctx, store.System("t")); len(cs) != 0 {
		t.Fatalf("a small demo has cohorts: %+v", cs)
	}
}
