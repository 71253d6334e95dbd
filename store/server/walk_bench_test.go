//go:build unix

package server_test

// The server's share of a first sync: every page of a first pull, as a
// function (no HTTP, no replica), against demo stores of growing size.
// Build the stores with `polku demo --no-tui --patients N --db
// $POLKU_BENCH_DIR/demo-N.db` (N = 2000, 20000, 100000; those present are
// used), then
//
//	POLKU_BENCH_DIR=... go test -run XXX -bench PullDemo -benchtime 5x ./store/server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
)

func BenchmarkPullDemo(b *testing.B) {
	dir := os.Getenv("POLKU_BENCH_DIR")
	if dir == "" {
		b.Skip("set POLKU_BENCH_DIR to a folder with demo-N.db stores")
	}
	for _, n := range []int{2000, 20000, 100000} {
		path := filepath.Join(dir, fmt.Sprintf("demo-%d.db", n))
		if _, err := os.Stat(path); err != nil {
			continue
		}
		for _, handle := range []string{"demo", "super"} {
			b.Run(fmt.Sprintf("%s/%d", handle, n), func(b *testing.B) {
				ctx := context.Background()
				db, err := store.Open(ctx, path, store.Options{ReadOnly: true})
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
				actor := store.ActorFor(th, "bench")
				items, pages := 0, 0
				cpu0 := walkCPUTime()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					items, pages = 0, 0
					cursor := "0"
					for {
						resp, err := srv.Pull(ctx, actor, cursor, 5000)
						if err != nil {
							b.Fatal(err)
						}
						items += len(resp.Items)
						pages++
						cursor = resp.Cursor
						if !resp.More {
							break
						}
					}
				}
				b.ReportMetric(float64(walkCPUTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(items), "records")
				b.ReportMetric(float64(pages), "pages")
			})
		}
	}
}

// walkCPUTime is the CPU time (user and system) the process has used: unlike
// the wall clock, it does not count the time others' load takes.
func walkCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
