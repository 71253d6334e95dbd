package syncer_test

import (
	"context"
	"testing"

	"polku/store"
	"polku/store/client"
	"polku/store/syncer"
	"polku/store/synctest"
)

// A message written on a replica is "sent" only once the server has it;
// offline it waits in the outbox, and says so.
func TestDeliverSaysWhetherTheServerHasIt(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 1, Weeks: 1})
	th := e.fx.Therapists[0]
	r := e.replica(th, nil)
	r.round(t)
	p := e.fx.Patients[th.ID][0]
	send := func(db *store.DB, body string) store.Message {
		m, err := db.SendMessage(ctx, store.ActorFor(th, "laptop"), store.Message{EnrollmentID: e.fx.Enrollments[p.ID].ID, PatientID: p.ID,
			Direction: store.DirectionOut, Body: body}, "")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := send(r.db, "online")
	if d, err := syncer.DeliveryOf(ctx, r.db, m.ID); d != syncer.Waiting || err != nil {
		t.Fatalf("before the round: %v %v, want waiting", d, err)
	}
	if d, err := r.eng.Deliver(ctx, m.ID); d != syncer.Delivered || err != nil {
		t.Fatalf("online: %v %v, want delivered", d, err)
	}
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM messages WHERE id = ?", m.ID); n != 1 {
		t.Fatalf("the server has the message %d times", n)
	}

	// The same replica, its server gone.
	e.http.Close()
	m2 := send(r.db, "offline")
	d, err := r.eng.Deliver(ctx, m2.ID)
	if d != syncer.Waiting || !client.IsOffline(err) {
		t.Fatalf("offline: %v %v, want waiting and an offline error", d, err)
	}
	// A store that is not a replica has no outbox: what it writes is there.
	if d, err := syncer.DeliveryOf(ctx, e.srvDB, m.ID); d != syncer.Delivered || err != nil {
		t.Fatalf("server store: %v %v", d, err)
	}
}
