package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// Snapshot describes a store file as one consistent read sees it: what a
// backup is checked against.
type Snapshot struct {
	Schema int    `json:"schema"`
	Epoch  string `json:"epoch"`
	// Head is the newest change-log sequence number (0: an empty log).
	Head int64 `json:"change_log_head"`
	// Tables counts the rows of every table.
	Tables map[string]int64 `json:"tables"`
}

// BackupReport is what Backup wrote and how it was checked.
type BackupReport struct {
	Source string `json:"source"`
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	Snapshot
	// Integrity is the backup's PRAGMA integrity_check ("ok").
	Integrity string `json:"integrity"`
}

// ErrStoreBusy: another process (a running 'polku serve', another restore)
// holds the store's lock.
var ErrStoreBusy = errors.New("the store is in use")

// busyError says who holds the store; it is ErrStoreBusy.
type busyError string

func (e busyError) Error() string        { return string(e) }
func (e busyError) Is(target error) bool { return target == ErrStoreBusy }

// rawOpen opens path with one plain connection: no migration, no polku
// pragmas beyond a busy timeout. The file must exist.
func rawOpen(path string) (*sql.DB, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, newErr(ErrNotFound, "store.err.no_such_file", "Path", path)
		}
		return nil, err
	}
	if st.IsDir() {
		return nil, newErr(ErrInvalid, "store.err.folder_not_store", "Path", path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// snapshot reads a store's schema version, epoch, change-log head and row
// counts through q (inside one read transaction when q is one).
func snapshot(ctx context.Context, q queryer, path string) (Snapshot, error) {
	s := Snapshot{Tables: map[string]int64{}}
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&s.Schema); err != nil {
		return s, fmt.Errorf("%s: %w", path, describeDriverError(err))
	}
	rows, err := q.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return s, fmt.Errorf("%s: %w", path, describeDriverError(err))
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return s, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	if s.Schema == 0 || !slices.Contains(names, "meta") || !slices.Contains(names, "changes") {
		return s, newErr(ErrInvalid, "store.err.not_polku_store", "Path", path)
	}
	if s.Schema > SchemaVersion() {
		return s, newErr(ErrInvalid, "store.err.schema_newer", "Path", path, "Schema", s.Schema, "Known", SchemaVersion())
	}
	for _, n := range names {
		var c int64
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"`).Scan(&c); err != nil {
			return s, fmt.Errorf("%s: count %s: %w", path, n, err)
		}
		s.Tables[n] = c
	}
	var head sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT MAX(seq) FROM changes").Scan(&head); err != nil {
		return s, err
	}
	s.Head = head.Int64
	if err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'epoch'").Scan(&s.Epoch); err != nil {
		return s, newErr(ErrInvalid, "store.err.no_epoch", "Path", path)
	}
	return s, nil
}

// integrity runs PRAGMA integrity_check and returns its answer ("ok", or
// the problems found, joined).
func integrity(ctx context.Context, q queryer) (string, error) {
	rows, err := q.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return "", describeDriverError(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		out = append(out, s)
	}
	return strings.Join(out, "; "), rows.Err()
}

// Verify checks a store file: PRAGMA integrity_check, that it is a polku
// store this polku can open, and what it holds. It opens the file for
// writing (SQLite may recover its WAL): give it a copy, not a live store.
func Verify(ctx context.Context, path string) (Snapshot, string, error) {
	db, err := rawOpen(path)
	if err != nil {
		return Snapshot{}, "", err
	}
	defer db.Close()
	ic, err := integrity(ctx, db)
	if err != nil {
		return Snapshot{}, "", fmt.Errorf("%s: integrity check: %w", path, err)
	}
	if ic != "ok" {
		return Snapshot{}, ic, newErr(ErrInvalid, "store.err.integrity", "Path", path, "Check", ic)
	}
	s, err := snapshot(ctx, db, path)
	return s, ic, err
}

// Backup copies the store at src to out while the store stays in use (the
// server keeps serving): SQLite's online backup inside one read
// transaction, so the copy is one consistent state of the store. The copy
// is written next to out, checked (integrity, the row count of every
// table and the change-log head against what the read transaction saw)
// and only then renamed to out, with mode 0600. An existing out is not
// overwritten.
func Backup(ctx context.Context, src, out string) (*BackupReport, error) {
	if out == "" {
		return nil, invalid("", "out", "store.err.no_backup_file_given")
	}
	if abs(src) == abs(out) {
		return nil, invalid("", "out", "store.err.backup_file_store_itself")
	}
	if _, err := os.Lstat(out); err == nil {
		return nil, newErr(ErrConflict, "store.err.backup_exists", "Path", out)
	}
	srcDB, err := rawOpen(src)
	if err != nil {
		return nil, err
	}
	defer srcDB.Close()
	tmp := out + ".partial"
	removeStore(tmp)
	// Made here, private and empty, before SQLite writes into it.
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create the backup file: %w", err)
	}
	f.Close()
	done := false
	defer func() {
		if !done {
			removeStore(tmp)
		}
	}()

	conn, err := srcDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, fmt.Errorf("%s: %w", src, describeDriverError(err))
	}
	// The counts open the read transaction; the copy is made inside it, so
	// both see the same state however many writes the server commits now.
	want, err := snapshot(ctx, conn, src)
	if err != nil {
		conn.ExecContext(ctx, "ROLLBACK")
		return nil, err
	}
	err = conn.Raw(func(dc any) error {
		b, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver has no online backup")
		}
		bk, err := b.NewBackup("file:" + tmp)
		if err != nil {
			return err
		}
		for {
			more, err := bk.Step(-1)
			if err != nil {
				bk.Finish()
				return err
			}
			if !more {
				break
			}
		}
		return bk.Finish()
	})
	conn.ExecContext(ctx, "ROLLBACK")
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", src, err)
	}
	got, ic, err := Verify(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("the copy fails its check, nothing written to %s: %w", out, err)
	}
	if err := sameSnapshot(want, got); err != nil {
		return nil, fmt.Errorf("the copy differs from the store, nothing written to %s: %w", out, err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, err
	}
	done = true
	syncDir(filepath.Dir(out))
	st, err := os.Stat(out)
	if err != nil {
		return nil, err
	}
	return &BackupReport{Source: src, Path: out, Bytes: st.Size(), Snapshot: got, Integrity: ic}, nil
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// sameSnapshot says how got differs from want, if it does.
func sameSnapshot(want, got Snapshot) error {
	var diffs []string
	if want.Schema != got.Schema {
		diffs = append(diffs, fmt.Sprintf("schema %d, want %d", got.Schema, want.Schema))
	}
	if want.Epoch != got.Epoch {
		diffs = append(diffs, "another epoch")
	}
	if want.Head != got.Head {
		diffs = append(diffs, fmt.Sprintf("change-log head %d, want %d", got.Head, want.Head))
	}
	names := map[string]bool{}
	for n := range want.Tables {
		names[n] = true
	}
	for n := range got.Tables {
		names[n] = true
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		w, wok := want.Tables[n]
		g, gok := got.Tables[n]
		switch {
		case !wok:
			diffs = append(diffs, "extra table "+n)
		case !gok:
			diffs = append(diffs, "table "+n+" missing")
		case w != g:
			diffs = append(diffs, fmt.Sprintf("%s has %d rows, want %d", n, g, w))
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%s: %w", strings.Join(diffs, ", "), ErrInvalid)
	}
	return nil
}

// removeStore removes a store file and its -wal and -shm files.
func removeStore(path string) {
	for _, s := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + s)
	}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// restoredKey is the meta key a restore leaves for the next 'polku serve':
// its value says where the store came from, and serve announces a new
// epoch and deletes it.
const restoredKey = "restored"

// RestoreReport is what Restore installed and where the old store went.
type RestoreReport struct {
	From  string `json:"from"`
	Path  string `json:"path"`
	Aside string `json:"aside,omitempty"` // the store that was replaced ("" when there was none)
	Snapshot
	Integrity string `json:"integrity"`
}

// Restore installs the backup at from as the store at path. It refuses
// while a 'polku serve' (or another restore) holds the store (ErrStoreBusy).
// The backup is copied next to path and checked (integrity, a polku store
// this polku can open) before anything is moved; the store it replaces is
// renamed to PATH.before-restore-TIMESTAMP (with its -wal, so that it opens
// with everything it had); the installed store carries a mark that makes
// the next 'polku serve' announce a new epoch by itself (TakeNewEpoch).
func Restore(ctx context.Context, from, path string, now time.Time) (*RestoreReport, error) {
	if from == "" || path == "" {
		return nil, invalid("", "db", "store.err.give_backup_file_store")
	}
	if abs(from) == abs(path) {
		return nil, invalid("", "db", "store.err.backup_file_store_itself_2")
	}
	if _, err := os.Stat(from); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, newErr(ErrNotFound, "store.err.no_backup_file", "Path", from)
		}
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	release, err := LockStore(path, "polku restore")
	if err != nil {
		return nil, err
	}
	defer release()

	tmp := path + ".restoring"
	removeStore(tmp)
	done := false
	defer func() {
		if !done {
			removeStore(tmp)
		}
	}()
	for _, s := range []string{"", "-wal"} {
		if err := copyFile(from+s, tmp+s); err != nil {
			if s != "" && errors.Is(err, os.ErrNotExist) {
				continue
			}
			return nil, fmt.Errorf("copy the backup: %w", err)
		}
	}
	snap, ic, err := Verify(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("the backup %s cannot be restored, the store is unchanged: %w", from, err)
	}
	if err := markRestored(ctx, tmp, from, now); err != nil {
		return nil, err
	}
	if err := syncFile(tmp); err != nil {
		return nil, err
	}
	rep := &RestoreReport{From: from, Path: path, Snapshot: snap, Integrity: ic}
	if _, err := os.Lstat(path); err == nil {
		aside := path + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		for i := 2; exists(aside); i++ { // never over an older one
			aside = fmt.Sprintf("%s.before-restore-%s-%d", path, now.UTC().Format("20060102T150405Z"), i)
		}
		if err := os.Rename(path, aside); err != nil {
			return nil, fmt.Errorf("keep the old store aside: %w", err)
		}
		if err := os.Rename(path+"-wal", aside+"-wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Rename(aside, path)
			return nil, fmt.Errorf("keep the old store's log aside: %w", err)
		}
		// The -shm file is an index of the -wal, rebuilt when the store is
		// next opened; nothing has it open (the lock says no server runs).
		os.Remove(path + "-shm")
		rep.Aside = aside
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("install the restored store: %w (the old store is at %s)", err, rep.Aside)
	}
	done = true
	syncDir(filepath.Dir(path))
	tightenModes(path)
	return rep, nil
}

// markRestored writes the restore mark into the store at path and leaves it
// as one file (no -wal).
func markRestored(ctx context.Context, path, from string, now time.Time) error {
	db, err := rawOpen(path)
	if err != nil {
		return err
	}
	v, _ := json.Marshal(map[string]string{"from": filepath.Base(from), "at": fmtTime(now)})
	if _, err := db.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", restoredKey, string(v)); err != nil {
		db.Close()
		return fmt.Errorf("mark the restored store: %w", describeDriverError(err))
	}
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TakeNewEpoch gives the store a new epoch when force is set (serve
// --new-epoch) or when the store was installed by Restore, and removes the
// restore mark, in one transaction. It returns the new epoch and why ("" for
// none: the epoch is unchanged).
func (db *DB) TakeNewEpoch(ctx context.Context, force bool) (epoch, reason string, err error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return "", "", err
	}
	defer tx.Rollback()
	var mark string
	err = tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", restoredKey).Scan(&mark)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if !force {
			return "", "", nil
		}
		reason = "--new-epoch"
	case err != nil:
		return "", "", err
	default:
		var m struct{ From, At string }
		json.Unmarshal([]byte(mark), &m)
		reason = fmt.Sprintf("restored from %s at %s", m.From, m.At)
	}
	epoch = db.NewID(db.Now())
	if _, err := tx.ExecContext(ctx, "UPDATE meta SET value = ? WHERE key = 'epoch'", epoch); err != nil {
		return "", "", err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM meta WHERE key = ?", restoredKey); err != nil {
		return "", "", err
	}
	return epoch, reason, tx.Commit()
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
