//go:build unix

package store_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"polku/store"
)

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// Store files hold patient records: only their owner reads them, whatever
// the umask (a shared machine often has 022, some have 0).
func TestStoreFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	ctx := context.Background()
	root := t.TempDir()
	path := filepath.Join(root, "data", "polku", "replicas", "anna.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddTherapist(ctx, store.System("test"), store.Therapist{Handle: "anna", Name: "Anna", Role: store.RoleTherapist}); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"data", "data/polku", "data/polku/replicas"} {
		if m := mode(t, filepath.Join(root, dir)); m != 0o700 {
			t.Errorf("folder %s: %v, want 0700", dir, m)
		}
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, f); m != 0o600 {
			t.Errorf("%s: %v, want 0600", filepath.Base(f), m)
		}
	}
	db.Close()

	// A store whose files were opened up is tightened when it is opened.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o644); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, f); m != 0o600 {
			t.Errorf("reopened %s: %v, want 0600", filepath.Base(f), m)
		}
	}
}
