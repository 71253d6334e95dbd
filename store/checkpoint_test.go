package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"polku/store"
)

// Litestream keeps a read transaction open on the store so that no
// checkpoint moves past what it has copied, and checkpoints itself. While
// it replicates (its folder .NAME-litestream is beside the store) polku's
// own checkpoint after a big import is PASSIVE: a TRUNCATE would hold the
// write lock for the whole busy timeout waiting for Litestream's reader,
// stalling every write of the server, and then fail anyway.
func TestCheckpointLeavesLitestreamAlone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "server.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	addTherapists(t, db, "a", 5)

	if mode, err := db.CheckpointLog(ctx); err != nil || mode != "TRUNCATE" {
		t.Fatalf("without Litestream: %q %v", mode, err)
	}

	// Litestream: its folder, and its long read transaction.
	if err := os.Mkdir(filepath.Join(dir, ".server.db-litestream"), 0o700); err != nil {
		t.Fatal(err)
	}
	reader, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	rtx, err := reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rtx.Rollback()
	var x int
	rtx.QueryRow("SELECT COUNT(*) FROM therapists").Scan(&x)
	addTherapists(t, db, "b", 5)

	start := time.Now()
	mode, err := db.CheckpointLog(ctx)
	if err != nil || mode != "PASSIVE" {
		t.Fatalf("with Litestream: %q %v", mode, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the checkpoint waited %v for Litestream's reader", d)
	}
	// Writes go on at once.
	start = time.Now()
	addTherapists(t, db, "c", 1)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("a write after the checkpoint waited %v", d)
	}
}
