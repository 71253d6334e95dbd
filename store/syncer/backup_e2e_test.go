package syncer_test

import (
	"strings"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// A server restored with 'polku backup' and 'polku restore' while a
// replica holds work the backup lacks: acknowledged ops (pushed after the
// backup) and pending ops written on top of them (feedback correcting the
// acknowledged feedback). The next sync learns of the new epoch before it
// pushes anything, so the pending corrections are not refused for want of
// the feedback they correct: everything lands, once, in order.
func TestRestoredServerTakesWorkBuiltOnLostOps(t *testing.T) {
	if testing.Short() {
		t.Skip("starts polku serve")
	}
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 1, PatientsPer: 3, Weeks: 2})
	srv := startServe(t, path)
	th := fx.Therapists[0]
	c := newCLI(t)
	c.login(t, srv, tokens[th.Handle])
	c.must("sync")

	// The backup, taken while the server runs.
	backup := t.TempDir() + "/backup.db"
	if out := c.must("backup", "--db", path, "--out", backup); !strings.Contains(out, "integrity ok") {
		t.Fatalf("backup: %s", out)
	}
	var acked, pending []string
	c.withReplica(nil, func(db *store.DB) { acked = writeFeedback(t, db, fx, th, "acked", 3) })
	if out := c.must("sync"); !strings.Contains(out, "pushed 3 ops") {
		t.Fatalf("sync: %s", out)
	}
	srv.stop()
	// Written while the server is down: corrections of the acked feedback.
	c.withReplica(nil, func(db *store.DB) { pending = writeFeedback(t, db, fx, th, "pending", 3) })

	if out, errs, code := c.run("", "restore", backup, "--db", path); code != 0 || !strings.Contains(out, "new epoch") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	srv.start()
	out := c.must("sync")
	if !strings.Contains(out, "new epoch") || strings.Contains(out, "refused") {
		t.Fatalf("sync after the restore: %s", out)
	}
	checkSame(t, path, c.replicaPath(), th.ID, append(acked, pending...))
	if st := c.must("sync", "status"); !strings.Contains(st, "0 pending, 0 refused") {
		t.Fatalf("status: %s", st)
	}
}
