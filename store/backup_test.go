package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"polku/store"
)

func addTherapists(t testing.TB, db *store.DB, prefix string, n int) {
	t.Helper()
	for i := range n {
		if _, err := db.AddTherapist(context.Background(), store.System("test"), store.Therapist{
			Handle: fmt.Sprintf("%s%d", prefix, i), Name: "T", Role: "therapist"}); err != nil {
			t.Fatal(err)
		}
	}
}

// A backup taken while another connection keeps writing is one consistent
// state: its row counts and change-log head agree with each other (every
// therapist row has its change-log row), it passes its checks, and it is
// private.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "server.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	addTherapists(t, db, "base", 200)

	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			if _, err := db.AddTherapist(ctx, store.System("test"), store.Therapist{Handle: fmt.Sprintf("w%d", i), Name: "W", Role: "therapist"}); err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	}()
	var reps []*store.BackupReport
	for i := range 3 {
		time.Sleep(30 * time.Millisecond)
		rep, err := store.Backup(ctx, path, filepath.Join(dir, fmt.Sprintf("b%d.db", i)))
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep)
	}
	stop.Store(true)
	wg.Wait()
	if written.Load() == 0 {
		t.Fatal("nothing was written during the backups")
	}
	for _, rep := range reps {
		if rep.Integrity != "ok" {
			t.Fatalf("integrity %q", rep.Integrity)
		}
		if fi, err := os.Stat(rep.Path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("backup mode: %v %v", fi, err)
		}
		b, err := store.Open(ctx, rep.Path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var therapists, logged int64
		b.Reader().QueryRow("SELECT COUNT(*) FROM therapists").Scan(&therapists)
		b.Reader().QueryRow("SELECT COUNT(*) FROM changes WHERE entity = 'therapists'").Scan(&logged)
		head, _ := b.LastSeq(ctx)
		b.Close()
		if therapists != rep.Tables["therapists"] || head != rep.Head || therapists != logged || therapists < 200 {
			t.Fatalf("backup not consistent: %d therapists, %d logged, head %d; report %+v", therapists, logged, head, rep.Snapshot)
		}
		if _, err := os.Stat(rep.Path + ".partial"); !os.IsNotExist(err) {
			t.Fatalf("the partial file is left: %v", err)
		}
	}
	if reps[2].Head <= reps[0].Head {
		t.Fatalf("the backups did not see the writes: heads %d %d", reps[0].Head, reps[2].Head)
	}
}

func TestBackupRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "server.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(dir, "b.db")
	writeFile(out, "keep me")
	if _, err := store.Backup(ctx, path, out); !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "never overwritten") {
		t.Fatalf("backup over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "keep me" {
		t.Fatal("the existing file was changed")
	}
	if _, err := store.Backup(ctx, filepath.Join(dir, "none.db"), filepath.Join(dir, "c.db")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("backup of a missing store: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !os.IsNotExist(err) {
		t.Fatal("backup of a missing store made it")
	}
	notStore := filepath.Join(dir, "plain.txt")
	writeFile(notStore, strings.Repeat("not sqlite ", 100))
	if _, err := store.Backup(ctx, notStore, filepath.Join(dir, "d.db")); err == nil {
		t.Fatal("backup of a file that is no store")
	}
	if _, err := os.Stat(filepath.Join(dir, "d.db")); !os.IsNotExist(err) {
		t.Fatal("a failed backup left its file")
	}
}

// Restore keeps the old store aside (with its log), installs the checked
// backup, refuses while the store's lock is held, and the next open of the
// restored store gets a new epoch by itself, once.
func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "server.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	addTherapists(t, db, "a", 3)
	oldEpoch, _ := db.Meta(ctx, "epoch")
	backup := filepath.Join(dir, "backup.db")
	if _, err := store.Backup(ctx, path, backup); err != nil {
		t.Fatal(err)
	}
	addTherapists(t, db, "after", 2) // lost by the restore, kept aside
	db.Close()

	// A running server holds the lock: the restore refuses and changes
	// nothing.
	release, err := store.LockStore(path, "polku serve")
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Restore(ctx, backup, path, time.Now())
	if !errors.Is(err, store.ErrStoreBusy) || !strings.Contains(err.Error(), "polku serve (pid") {
		t.Fatalf("restore under a running server: %v", err)
	}
	release()
	if n := countTherapists(t, path); n != 5 {
		t.Fatalf("the refused restore changed the store: %d therapists", n)
	}

	// A damaged backup is refused before anything moves.
	bad := filepath.Join(dir, "bad.db")
	b, _ := os.ReadFile(backup)
	copy(b[len(b)/2:], make([]byte, 4096))
	for i := 100; i < len(b)-100; i += 997 {
		b[i] ^= 0x5a
	}
	os.WriteFile(bad, b, 0o600)
	if _, err := store.Restore(ctx, bad, path, time.Now()); err == nil {
		t.Fatal("a damaged backup was restored")
	}
	if n := countTherapists(t, path); n != 5 {
		t.Fatalf("the refused restore changed the store: %d therapists", n)
	}
	if _, err := store.Restore(ctx, filepath.Join(dir, "none.db"), path, time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("restore of a missing file: %v", err)
	}

	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	rep, err := store.Restore(ctx, backup, path, at)
	if err != nil {
		t.Fatal(err)
	}
	wantAside := path + ".before-restore-20260304T050607Z"
	if rep.Aside != wantAside {
		t.Fatalf("aside %q, want %q", rep.Aside, wantAside)
	}
	if n := countTherapists(t, wantAside); n != 5 {
		t.Fatalf("the store kept aside has %d therapists, want 5", n)
	}
	if n := countTherapists(t, path); n != 3 || rep.Tables["therapists"] != 3 {
		t.Fatalf("the restored store has %d therapists (report %d), want 3", n, rep.Tables["therapists"])
	}
	for _, f := range []string{path, wantAside} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, fi, err)
		}
	}
	// A second restore in the same second keeps both old stores.
	rep2, err := store.Restore(ctx, backup, path, at)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Aside == wantAside || countTherapists(t, wantAside) != 5 || countTherapists(t, rep2.Aside) != 3 {
		t.Fatalf("the second restore's aside %q overwrote the first", rep2.Aside)
	}
	if _, err := os.Stat(path + ".restoring"); !os.IsNotExist(err) {
		t.Fatalf("the restore left its temporary file: %v", err)
	}

	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if e, _ := db.Meta(ctx, "epoch"); e != oldEpoch {
		t.Fatalf("the epoch changed before serve took it")
	}
	epoch, reason, err := db.TakeNewEpoch(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if epoch == "" || epoch == oldEpoch || !strings.Contains(reason, "restored from backup.db at 2026-03-04") {
		t.Fatalf("new epoch %q (old %q), reason %q", epoch, oldEpoch, reason)
	}
	if e, _ := db.Meta(ctx, "epoch"); e != epoch {
		t.Fatalf("stored epoch %q, announced %q", e, epoch)
	}
	// Only once: the next start keeps the epoch.
	if e, r, err := db.TakeNewEpoch(ctx, false); err != nil || e != "" || r != "" {
		t.Fatalf("second start: %q %q %v", e, r, err)
	}
	if e, r, err := db.TakeNewEpoch(ctx, true); err != nil || e == "" || e == epoch || r != "--new-epoch" {
		t.Fatalf("--new-epoch: %q %q %v", e, r, err)
	}
}

func countTherapists(t *testing.T, path string) int {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.Reader().QueryRow("SELECT COUNT(*) FROM therapists").Scan(&n)
	return n
}
