package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A write whose operation panics (after it prepared a statement) gives the
// one write connection back: the panic reaches the caller, and the next
// write goes through instead of waiting for ever.
func TestAPanickingWriteDoesNotHoldTheWriter(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "polku.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	done := make(chan error, 1)
	go func() {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic did not reach the caller")
				}
			}()
			db.write(ctx, System("test"), ImportProgramsOp{}, func(t *tx) error {
				if _, err := t.exec("SELECT count(*) FROM settings WHERE key = ?", "x"); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		done <- db.write(ctx, System("test"), ImportProgramsOp{}, func(t *tx) error {
			_, err := t.exec("SELECT count(*) FROM settings WHERE key = ?", "y")
			return err
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the write after the panic: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the write after a panicking write still waits for the write connection")
	}
}
