package syncer_test

import (
	"context"
	"fmt"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// A therapist who opens a thread of more than 1000 unread messages marks
// them read in one local write; the server takes at most 1000 ids per
// op, so the push sends it in parts, and the write counts as pushed once
// every part is through.
func TestLongReadMarkIsPushedInParts(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 1, Weeks: 1})
	th := e.fx.Therapists[0]
	p := e.fx.Patients[th.ID][0]
	for i := range 1005 {
		if _, err := e.srvDB.SendMessage(ctx, store.System("portal"), store.Message{EnrollmentID: e.fx.Enrollments[p.ID].ID, PatientID: p.ID,
			Direction: store.DirectionIn, Body: fmt.Sprint("message ", i)}, ""); err != nil {
			t.Fatal(err)
		}
	}
	r := e.replica(th, nil)
	r.round(t)
	rows, err := r.db.Reader().Query("SELECT id FROM messages WHERE direction = 'in' AND read_at IS NULL")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) <= 1000 {
		t.Fatalf("only %d unread messages", len(ids))
	}
	if err := r.db.MarkRead(ctx, store.ActorFor(th, "laptop"), "message", ids...); err != nil {
		t.Fatal(err)
	}
	rep, err := r.eng.Round(ctx)
	if err != nil || rep.Pushed != 1 || rep.Rejected != 0 {
		t.Fatalf("round: %+v %v; want the one write pushed", rep, err)
	}
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM messages WHERE patient_id = ? AND direction = 'in' AND read_at IS NULL", p.ID); n != 0 {
		t.Fatalf("%d messages still unread on the server", n)
	}
	if n := count(t, r.db, "SELECT COUNT(*) FROM outbox WHERE state <> 'pushed'"); n != 0 {
		t.Fatalf("%d outbox rows not pushed", n)
	}
	// Pushed again (after a restore), the parts are duplicates.
	if _, err := r.db.Writer().Exec("UPDATE outbox SET state = 'pending'"); err != nil {
		t.Fatal(err)
	}
	if rep, err := r.eng.Round(ctx); err != nil || rep.Duplicates != 1 {
		t.Fatalf("again: %+v %v", rep, err)
	}
}
