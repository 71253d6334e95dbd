package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
)

// The searches of a report run side by side in their own read
// transactions; a write that lands after the report's snapshot must not
// reach any of them: the ones that see a newer change log are read again
// in the report's own transaction.
func TestRunSectionsKeepOneSnapshot(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	add := func(handle string) {
		t.Helper()
		if _, err := db.AddTherapist(ctx, System("test"), Therapist{Handle: handle, Name: handle, Role: RoleTherapist, Languages: []string{"fi"}, Capacity: 10}); err != nil {
			t.Fatal(err)
		}
	}
	add("first")
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var head int64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(seq) FROM changes").Scan(&head); err != nil {
		t.Fatal(err)
	}
	add("second") // lands after the snapshot
	count := make([]int, 4)
	var sections []reportSection
	for i := range count {
		sections = append(sections, reportSection{name: "count", run: func(q querier) error {
			return q.QueryRowContext(ctx, "SELECT COUNT(*) FROM therapists").Scan(&count[i])
		}})
	}
	if err := runSections(ctx, db.r, tx, head, sections); err != nil {
		t.Fatal(err)
	}
	for i, n := range count {
		if n != 1 {
			t.Errorf("section %d saw %d therapists, want the snapshot's 1", i, n)
		}
	}

	// Without a write in between, the sections run on their own
	// transactions and see the same.
	var head2 int64
	tx2, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx2.Rollback()
	if err := tx2.QueryRowContext(ctx, "SELECT MAX(seq) FROM changes").Scan(&head2); err != nil {
		t.Fatal(err)
	}
	if err := runSections(ctx, db.r, tx2, head2, sections); err != nil {
		t.Fatal(err)
	}
	for i, n := range count {
		if n != 2 {
			t.Errorf("section %d saw %d therapists, want 2", i, n)
		}
	}

	// A failing section fails the whole, named.
	boom := errors.New("boom")
	sections = append(sections, reportSection{name: "broken", run: func(querier) error { return boom }})
	if err := runSections(ctx, db.r, tx2, head2, sections); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}
