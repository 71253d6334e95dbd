package demo_test

import (
	"context"
	"strings"
	"testing"

	"polku/store"
	"polku/store/demo"
)

// The demo's intake queue of team 1 shows every state: new, with a risk
// item, over the promise, 16 without the doctor's assessment, 14 for the
// youth program, on the waiting list; and one referral declined and
// referred onward.
func TestDemoIntakeQueueHasEveryState(t *testing.T) {
	db := demoStore(t, 60)
	ctx := context.Background()
	sup, err := db.TherapistByHandle(ctx, demo.SupervisorHandle)
	if err != nil {
		t.Fatal(err)
	}
	q, err := db.Intake(ctx, store.ActorFor(sup, "t"), "")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, it := range q.Items {
		for _, r := range it.Reasons {
			codes[r.Code] = true
		}
	}
	for _, want := range []string{store.ReasonCriticalItem, store.ReasonIntakePromise, store.ReasonDoctorNeeded, store.ReasonYouthOnly, store.ReasonIntakeWaiting} {
		if !codes[want] {
			t.Errorf("no %s in the demo's intake queue", want)
		}
	}
	if q.OverPromise == 0 || q.Waiting != 1 || !q.Items[0].Risk {
		t.Errorf("over the promise %d, waiting %d, first %+v", q.OverPromise, q.Waiting, q.Items[0])
	}
	r, err := db.ResolveReferral(ctx, "SYN-INTAKE-6")
	if err != nil || r.Status != store.ReferralDeclined || !strings.Contains(r.Note, "emergency") {
		t.Errorf("declined showcase: %+v %v", r, err)
	}
	ns, _ := db.Notifications(ctx, 0, 0)
	if len(ns) != 1 || ns[0].Recipient != store.ToReferrer {
		t.Errorf("notifications %+v", ns)
	}
}
