package syncer_test

import (
	"context"
	"path/filepath"
	"testing"

	"polku/store"
	"polku/store/client"
	"polku/store/syncer"
	"polku/store/synctest"
)

// OnPull is told, page by page, how many records the round has pulled so
// far: a first sync in many pages can show a counter.
func TestOnPullCountsPages(t *testing.T) {
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 3, Weeks: 2})
	ctx := context.Background()
	db, err := syncer.OpenReplica(ctx, filepath.Join(t.TempDir(), "replica.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, _ := client.New(e.http.URL, e.tokens[e.fx.Therapists[0].Handle], client.Options{})
	eng := syncer.New(syncer.Config{DB: db, Client: c, PageSize: 10})
	var seen []int
	eng.OnPull(func(n int) { seen = append(seen, n) })
	rep, err := eng.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 3 || seen[len(seen)-1] != rep.Pulled {
		t.Fatalf("told %v for a round of %d pages and %d records", seen, rep.Pages, rep.Pulled)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Fatalf("the count went back: %v", seen)
		}
	}
}
