package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"polku/store"
)

// A first pull reads the caseload, not the store: every query of a walk
// finds a patient's records through an index on the patient.
func TestWalkQueriesUseIndexes(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plans, err := db.WalkPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) < 10 {
		t.Fatalf("%d plans", len(plans))
	}
	for _, p := range plans {
		table, plan, _ := strings.Cut(p, ":")
		if strings.Contains(plan, "SCAN "+table) || !strings.Contains(plan, "SEARCH "+table) {
			t.Errorf("the walk reads %s without an index: %s", table, plan)
		}
	}
}
