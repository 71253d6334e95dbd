//go:build unix

package syncer_test

// First syncs against demo stores of growing size: the cost should follow
// what the replica may see, not the store. Build the stores once with
//
//	polku demo --no-tui --patients 2000 --db $POLKU_BENCH_DIR/demo-2000.db
//	polku demo --no-tui --patients 100000 --db $POLKU_BENCH_DIR/demo-100000.db
//
// (and 20000 alike, if you like), then run
//
//	POLKU_BENCH_DIR=... go test -run XXX -bench FirstSyncDemo -benchtime 5x ./store/syncer
//
// Each store present is synced to a new replica as the demo therapist
// ("demo") and as the supervisor of team-1 ("super"). The server writes
// the audit rows of each pull into the demo store, as it does in use.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"polku/store"
	"polku/store/client"
	"polku/store/server"
	"polku/store/syncer"
)

func BenchmarkFirstSyncDemo(b *testing.B) {
	dir := os.Getenv("POLKU_BENCH_DIR")
	if dir == "" {
		b.Skip("set POLKU_BENCH_DIR to a folder with demo-N.db stores (see the comment at the top)")
	}
	for _, n := range []int{2000, 20000, 100000} {
		path := filepath.Join(dir, fmt.Sprintf("demo-%d.db", n))
		if _, err := os.Stat(path); err != nil {
			continue
		}
		for _, handle := range []string{"demo", "super"} {
			b.Run(fmt.Sprintf("%s/%d", handle, n), func(b *testing.B) {
				benchFirstSyncDemo(b, path, handle)
			})
		}
	}
}

func benchFirstSyncDemo(b *testing.B, path, handle string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	th, err := db.TherapistByHandle(ctx, handle)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{DB: db, Rate: -1})
	if err != nil {
		b.Fatal(err)
	}
	// The server's share: the time its handler takes, summed.
	var served atomic.Int64
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		served.Add(int64(time.Since(start)))
	}))
	defer hs.Close()
	tok, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	var rep syncer.Report
	served.Store(0)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rdir := b.TempDir()
		rdb, err := syncer.OpenReplica(ctx, filepath.Join(rdir, "replica.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		c, err := client.New(hs.URL, tok, client.Options{})
		if err != nil {
			b.Fatal(err)
		}
		eng := syncer.New(syncer.Config{DB: rdb, Client: c})
		b.StartTimer()
		if rep, err = eng.Round(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		rdb.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(served.Load())/1e6/float64(b.N), "server-ms/op")
	b.ReportMetric(float64(rep.Pulled), "records")
	b.ReportMetric(float64(rep.Pages), "pages")
	b.ReportMetric(float64(rep.Patients), "patients")
}

// cpuTime is the CPU time (user and system) the process has used: unlike
// the wall clock, it does not count the time others' load takes.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
