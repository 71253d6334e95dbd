package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// serve --store and --db together is a usage error (exit 2), not --store
// winning in silence.
func TestServeStoreAndDB(t *testing.T) {
	vars := map[string]string{"HOME": t.TempDir()}
	db := filepath.Join(t.TempDir(), "server.db")
	code, _, stderr := runIn(t, vars, "--db", db, "serve", "--store", "rqlite://127.0.0.1:1", "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(stderr, "not both") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
