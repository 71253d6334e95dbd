package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"polku/programs"
)

// A definition a write transaction stored and read is cached only when
// the transaction commits: rolled back, it is not found afterwards.
func TestDefinitionOfARolledBackWriteIsNotCached(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "polku.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := db.Now()
	raw, _ := json.Marshal(programs.Program{ID: "x", Version: 1, Title: "X"})
	pv := ProgramVersion{ID: db.NewID(now), ProgramID: "x", Version: 1, Title: "X", Language: "en", Hash: "h", Definition: raw, ImportedAt: now}
	boom := errors.New("boom")
	for _, commit := range []bool{false, true} {
		err := db.write(ctx, System("test"), ImportProgramsOp{}, func(t *tx) error {
			if err := (ImportProgramsOp{Programs: []ProgramVersion{pv}}).apply(t); err != nil {
				return err
			}
			if p, err := t.db.programDef(t.ctx, t.tx, pv.ID, t); err != nil || p.Title != "X" {
				return errors.Join(err, errors.New("not read inside its transaction"))
			}
			if !commit {
				return boom
			}
			return nil
		})
		if !commit {
			if !errors.Is(err, boom) {
				t.Fatal(err)
			}
			if _, ok := db.defs.program(pv.ID); ok {
				t.Fatal("a rolled-back definition was cached")
			}
			if _, err := db.ProgramDef(ctx, pv.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("a rolled-back definition: %v, want not found", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := db.defs.program(pv.ID); !ok {
			t.Fatal("a committed definition was not cached")
		}
	}
}
