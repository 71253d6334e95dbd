package rqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// TestAuditRowsOfConcurrentPullsWrittenTogether: the audit rows of reads
// that arrive together on a cluster are written in fewer writes than
// reads, every row is there once, and each caller hears only after its
// rows are committed.
func TestAuditRowsOfConcurrentPullsWrittenTogether(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t, 3)
	db, err := store.Open(ctx, c.Addr(), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: 4, PatientsPer: 3, Weeks: 1})
	if err != nil {
		t.Fatal(err)
	}
	const callers = 24
	before := db.ClusterStats()["/db/execute?transaction"].N
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		th := fx.Therapists[i%len(fx.Therapists)]
		var ids []string
		for _, p := range fx.Patients[th.ID] {
			ids = append(ids, p.ID)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = db.RecordAccessMany(ctx, store.ActorFor(th, "test"), ids, "sync-pull", fmt.Sprint("group test ", i))
			if errs[i] != nil {
				return
			}
			// Heard only once written: this caller's rows are there now.
			for _, id := range ids {
				log, err := db.AuditLog(ctx, id)
				if err != nil {
					errs[i] = err
					return
				}
				found := false
				for _, e := range log {
					found = found || e.Detail == fmt.Sprint("group test ", i)
				}
				if !found {
					errs[i] = fmt.Errorf("caller %d: the audit row of %s is not there after the call returned", i, id)
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	writes := db.ClusterStats()["/db/execute?transaction"].N - before
	rows := 0
	for _, ps := range fx.Patients {
		for _, p := range ps {
			log, err := db.AuditLog(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range log {
				if e.Action == "sync-pull" {
					rows++
				}
			}
		}
	}
	t.Logf("%d callers, %d audit rows, %d writes", callers, rows, writes)
	if rows != callers*3 {
		t.Errorf("%d audit rows, want %d (one per patient per caller)", rows, callers*3)
	}
	if writes >= callers/2 {
		t.Errorf("%d writes for %d concurrent callers: the rows were not written together", writes, callers)
	}
}
