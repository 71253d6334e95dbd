package syncer_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"polku/store"
	"polku/store/client"
	"polku/store/server"
	"polku/store/syncer"
	"polku/store/synctest"
)

// A server restored from an older copy of its store, without --new-epoch,
// that has since written more than the replica had seen: the change at the
// replica's cursor is another one now. The replica must notice (by the
// check that came with its cursor), push again what the server lost, pull
// everything again, and keep aside the records the server lost that it
// cannot push (a patient's message).
func TestServerRestoredWithoutNewEpoch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "server.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: 2, PatientsPer: 2, Weeks: 2})
	if err != nil {
		t.Fatal(err)
	}
	th, other := fx.Therapists[0], fx.Therapists[1]
	token, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "laptop"})
	if err != nil {
		t.Fatal(err)
	}
	var handler atomic.Pointer[http.Handler]
	serve := func(db *store.DB) {
		srv, err := server.New(ctx, server.Config{DB: db, Rate: -1})
		if err != nil {
			t.Fatal(err)
		}
		h := srv.Handler()
		handler.Store(&h)
	}
	serve(db)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*handler.Load()).ServeHTTP(w, r) }))
	defer hs.Close()

	rpath := filepath.Join(dir, "replica.db")
	rdb, err := syncer.OpenReplica(ctx, rpath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	c, err := client.New(hs.URL, token, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng := syncer.New(syncer.Config{DB: rdb, Client: c})
	round := func() syncer.Report {
		t.Helper()
		rep, err := eng.Round(ctx)
		if err != nil {
			t.Fatalf("round: %v", err)
		}
		return rep
	}
	round()
	bodies := writeFeedback(t, rdb, fx, th, "before-backup", 2)
	round()

	// A backup of the server's store, taken while it runs.
	backup := filepath.Join(dir, "backup.db")
	if _, err := db.Writer().ExecContext(ctx, "VACUUM INTO ?", backup); err != nil {
		t.Fatal(err)
	}
	// Work after the backup: the therapist's feedback (pushed) and a
	// patient's message (pulled).
	bodies = append(bodies, writeFeedback(t, rdb, fx, th, "after-backup", 3)...)
	p := fx.Patients[th.ID][0]
	lost, err := db.SendMessage(ctx, store.Actor{ID: "patient:" + p.ID, Role: "patient"}, store.Message{EnrollmentID: fx.Enrollments[p.ID].ID, PatientID: p.ID,
		Direction: store.DirectionIn, Body: "lost in the restore"}, "")
	if err != nil {
		t.Fatal(err)
	}
	round()
	var cursor string
	rdb.Reader().QueryRow("SELECT value FROM sync_state WHERE key = 'cursor'").Scan(&cursor)

	// The server is restored from the backup, with the same epoch, and
	// writes on (for another therapist's patient) past the replica's cursor.
	db.Close()
	restored, err := store.Open(ctx, backup, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	serve(restored)
	q := fx.Patients[other.ID][0]
	for {
		head, err := restored.LastSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if head > seqOf(cursor)+5 {
			break
		}
		if _, err := restored.SendMessage(ctx, store.Actor{ID: "patient:" + q.ID, Role: "patient"}, store.Message{EnrollmentID: fx.Enrollments[q.ID].ID,
			PatientID: q.ID, Direction: store.DirectionIn, Body: "after the restore"}, ""); err != nil {
			t.Fatal(err)
		}
	}

	rep := round()
	if !rep.Resynced {
		t.Fatalf("the replica did not notice the restore: %+v", rep)
	}
	checkSame(t, backup, rpath, th.ID, bodies)
	// The patient's message the server lost is not in the replica's
	// records (they mirror the server) but kept aside, with its text.
	if n := count(t, rdb, "SELECT COUNT(*) FROM messages WHERE id = ?", lost.ID); n != 0 {
		t.Fatalf("the replica shows a message the server does not have")
	}
	refused, err := syncer.Entries(ctx, rdb, syncer.StateRejected)
	if err != nil {
		t.Fatal(err)
	}
	if len(refused) != 1 || refused[0].Text != "lost in the restore" || !strings.Contains(refused[0].Error, "restored from a backup") || rep.KeptAside != 1 {
		t.Fatalf("kept aside: %+v (report %+v)", refused, rep)
	}
	// Another round moves nothing.
	if rep := round(); rep.Pushed+rep.Pulled+rep.Duplicates != 0 || rep.Resynced {
		t.Fatalf("round after the resync: %+v", rep)
	}
}

func seqOf(cursor string) int64 {
	var n int64
	for _, c := range cursor {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
