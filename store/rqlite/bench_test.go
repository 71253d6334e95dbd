package rqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/client"
	"polku/store/server"
	"polku/store/syncer"
	"polku/store/synctest"
)

// BenchmarkSync200 is issue 14's load: 200 replicas, each writing one
// feedback and syncing (push, then pull) every 5 s, against the embedded
// server and against a 3-node loopback cluster, one after the other in
// one run. Reported: the rounds' p50 and p99 (one round is what
// `polku sync` does), the operations applied per second, and the load
// average; the cluster twice, with linearizable reads (the default) and
// with "weak" reads outside write transactions (?level=weak). Then the most one server sustains: 20 replicas syncing
// without pause (the ops/s of that phase is the capacity figure).
//
//	POLKU_RQLITED=... go test ./store/rqlite -run '^$' -bench BenchmarkSync200 -benchtime 1x -timeout 30m
//
// POLKU_BENCH_SECONDS sets how long each engine is measured (default 60).
func BenchmarkSync200(b *testing.B) {
	clusterBin(b)
	secs := 60
	if n, err := strconv.Atoi(os.Getenv("POLKU_BENCH_SECONDS")); err == nil && n > 0 {
		secs = n
	}
	engines := []string{"embedded", "rqlite3", "rqlite3-weak"}
	if e := os.Getenv("POLKU_BENCH_ENGINES"); e != "" {
		engines = strings.Split(e, ",")
	}
	for _, engine := range engines {
		b.Run("engine="+engine, func(b *testing.B) {
			for range b.N {
				addr := filepath.Join(b.TempDir(), "server.db")
				switch engine {
				case "rqlite3":
					addr = startCluster(b, 3).Addr()
				case "rqlite3-weak":
					// Reads outside write transactions (pulls) "weak".
					addr = startCluster(b, 3).Addr() + "?level=weak"
				}
				paced, capacity := syncLoad(b, addr, 200, time.Duration(secs)*time.Second)
				b.ReportMetric(paced.p(50), "p50-ms")
				b.ReportMetric(paced.p(99), "p99-ms")
				b.ReportMetric(paced.opsPerSec(), "ops/s")
				b.ReportMetric(capacity.opsPerSec(), "max-ops/s")
				b.ReportMetric(capacity.p(50), "max-p50-ms")
				b.ReportMetric(loadAvg(), "load1")
				b.Logf("%s: paced %d rounds, %d failed, %d ops in %s; saturated %d rounds, %d failed, %d ops in %s; load %s",
					engine, len(paced.lat), paced.failed, paced.ops, paced.took.Round(time.Millisecond),
					len(capacity.lat), capacity.failed, capacity.ops, capacity.took.Round(time.Millisecond), loadLine())
			}
		})
	}
}

type loadResult struct {
	lat    []time.Duration
	failed int
	ops    int
	took   time.Duration
}

func (r loadResult) p(q int) float64 {
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	i := min(len(s)-1, len(s)*q/100)
	return float64(s[i].Microseconds()) / 1000
}

func (r loadResult) opsPerSec() float64 {
	if r.took <= 0 {
		return 0
	}
	return float64(r.ops) / r.took.Seconds()
}

// syncLoad serves the store at addr and runs n replicas on it: first each
// writing and syncing every 5 s for d, then a tenth of them without pause
// for d/4.
func syncLoad(b *testing.B, addr string, n int, d time.Duration) (paced, saturated loadResult) {
	ctx := context.Background()
	db, err := store.Open(ctx, addr, store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: n, PatientsPer: 1, Weeks: 1})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{DB: db, Rate: -1})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	type rep struct {
		th  store.Therapist
		db  *store.DB
		eng *syncer.Engine
	}
	reps := make([]*rep, n)
	dir := b.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, th := range fx.Therapists {
		tok, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		rdb, err := syncer.OpenReplica(ctx, filepath.Join(dir, fmt.Sprintf("r%d.db", i)), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer rdb.Close()
		cl, err := client.New(hs.URL, tok, client.Options{})
		if err != nil {
			b.Fatal(err)
		}
		reps[i] = &rep{th: th, db: rdb, eng: syncer.New(syncer.Config{DB: rdb, Client: cl})}
	}
	// The first pulls, a few at a time, before the clock starts.
	sem := make(chan struct{}, 8)
	for _, r := range reps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := r.eng.Round(ctx); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	b.ResetTimer()
	run := func(reps []*rep, d, every time.Duration) loadResult {
		var mu sync.Mutex
		var res loadResult
		start := time.Now()
		end := start.Add(d)
		for i, r := range reps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if every > 0 {
					time.Sleep(time.Duration(rand.Int64N(int64(every))))
				}
				for k := 0; time.Now().Before(end); k++ {
					next := time.Now().Add(every)
					if len(writeFeedback(b, r.db, fx, r.th, fmt.Sprintf("bench %d-%d", i, k), 1)) != 1 {
						return
					}
					t0 := time.Now()
					rep, err := r.eng.Round(ctx)
					lat := time.Since(t0)
					mu.Lock()
					if err != nil {
						res.failed++
					} else {
						res.lat = append(res.lat, lat)
						res.ops += rep.Pushed
					}
					mu.Unlock()
					if every > 0 {
						time.Sleep(time.Until(next))
					}
				}
			}()
		}
		wg.Wait()
		res.took = time.Since(start)
		return res
	}
	paced = run(reps, d, 5*time.Second)
	saturated = run(reps[:n/10], d/4, 0)
	b.StopTimer()
	return paced, saturated
}

func loadLine() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func loadAvg() float64 {
	f, _ := strconv.ParseFloat(strings.Fields(loadLine() + " 0")[0], 64)
	return f
}
