package syncer_test

// Sync speed. Run:
//
//	go test -run XXX -bench . -benchtime 20x ./store/syncer
//
// and the load test (200 clients syncing every 5 s against one polku serve
// process):
//
//	POLKU_LOAD=1 go test -run TestLoad200Clients -v -timeout 20m ./store/syncer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/client"
	"polku/store/server"
	"polku/store/syncer"
	"polku/store/synctest"
)

// benchServer is a server with therapist t001 carrying 120 patients with
// twelve weeks of history (about 15,000 records) and t002 with 60 more.
type benchServer struct {
	db    *store.DB
	http  *httptest.Server
	fx    *synctest.Fixture
	th    store.Therapist
	token string
	recs  int
}

var (
	benchOnce sync.Once
	benchSrv  *benchServer
	benchErr  error
	benchDir  string
)

func getBenchServer(b *testing.B) *benchServer {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		benchDir, benchErr = os.MkdirTemp("", "polku-bench-")
		if benchErr != nil {
			return
		}
		db, err := store.Open(ctx, filepath.Join(benchDir, "server.db"), store.Options{Create: true})
		if err != nil {
			benchErr = err
			return
		}
		fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: 1, PatientsPer: 120, Weeks: 12, Seed: 1})
		if err != nil {
			benchErr = err
			return
		}
		if _, err := synctest.Populate(ctx, db, synctest.Spec{Prefix: "u", Therapists: 1, PatientsPer: 60, Weeks: 12, Seed: 2}); err != nil {
			benchErr = err
			return
		}
		srv, err := server.New(ctx, server.Config{DB: db, Rate: -1})
		if err != nil {
			benchErr = err
			return
		}
		th := fx.Therapists[0]
		tok, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "bench"})
		if err != nil {
			benchErr = err
			return
		}
		var recs int
		db.Reader().QueryRow(`SELECT (SELECT COUNT(*) FROM changes WHERE patient_id IN (SELECT patient_id FROM enrollments WHERE therapist_id = ?))`, th.ID).Scan(&recs)
		benchSrv = &benchServer{db: db, http: httptest.NewServer(srv.Handler()), fx: fx, th: th, token: tok, recs: recs}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSrv
}

func (s *benchServer) replica(b *testing.B, dir string) (*store.DB, *syncer.Engine) {
	b.Helper()
	db, err := syncer.OpenReplica(context.Background(), filepath.Join(dir, "replica.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	c, err := client.New(s.http.URL, s.token, client.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return db, syncer.New(syncer.Config{DB: db, Client: c})
}

func BenchmarkFirstSync(b *testing.B) {
	s := getBenchServer(b)
	ctx := context.Background()
	pulled := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		db, eng := s.replica(b, dir)
		b.StartTimer()
		rep, err := eng.Round(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pulled = rep.Pulled
		db.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(pulled), "records")
}

func BenchmarkIncrementalNothingNew(b *testing.B) {
	s := getBenchServer(b)
	ctx := context.Background()
	db, eng := s.replica(b, b.TempDir())
	defer db.Close()
	if _, err := eng.Round(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := eng.Round(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Pulled != 0 || rep.Pushed != 0 {
			b.Fatalf("idle round moved things: %+v", rep)
		}
	}
}

func BenchmarkIncrementalOneFeedback(b *testing.B) {
	s := getBenchServer(b)
	ctx := context.Background()
	db, eng := s.replica(b, b.TempDir())
	defer db.Close()
	if _, err := eng.Round(ctx); err != nil {
		b.Fatal(err)
	}
	actor := store.ActorFor(s.th, "bench")
	pats := s.fx.Patients[s.th.ID]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p := pats[i%len(pats)]
		sub := s.fx.Submissions[p.ID][0]
		if _, err := db.SendFeedback(ctx, actor, store.Feedback{SubmissionID: sub.ID, EnrollmentID: sub.EnrollmentID, PatientID: p.ID, Body: "bench feedback " + strconv.Itoa(i),
			Supersedes: feedbackHead(b, db, sub.ID)}, ""); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := eng.Round(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Pushed != 1 || rep.Pulled != 1 {
			b.Fatalf("round: %+v", rep)
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestLoad200Clients runs 200 replicas (50 therapists, 4 devices each)
// syncing every 5 s against one 'polku serve' process; one round in ten
// pushes a new feedback first. It reports the round latencies and fails
// if p99 is 100 ms or more, or any round fails.
func TestLoad200Clients(t *testing.T) {
	if os.Getenv("POLKU_LOAD") == "" {
		t.Skip("set POLKU_LOAD=1 (and POLKU_LOAD_SECONDS, default 60) to run the load test")
	}
	ctx := context.Background()
	clients := envInt("POLKU_LOAD_CLIENTS", 200)
	seconds := envInt("POLKU_LOAD_SECONDS", 60)
	const therapists, devices = 50, 4
	path := filepath.Join(t.TempDir(), "server.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: therapists, PatientsPer: 20, Weeks: 12})
	if err != nil {
		t.Fatal(err)
	}
	tokens := make([]string, clients)
	for i := range clients {
		if tokens[i], _, err = server.CreateTherapistToken(ctx, db, fx.Therapists[i%therapists].ID, server.TokenOptions{Device: fmt.Sprintf("device-%d", i/therapists)}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	t.Logf("server store: %d records, %d therapists, %d clients (%d devices each)", fx.Records, therapists, clients, devices)
	srv := startServe(t, path)

	type cl struct {
		db  *store.DB
		eng *syncer.Engine
		th  store.Therapist
	}
	cls := make([]*cl, clients)
	dir := t.TempDir()
	start := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range clients {
		rdb, err := syncer.OpenReplica(ctx, filepath.Join(dir, fmt.Sprintf("r%03d.db", i)), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer rdb.Close()
		c, err := client.New(srv.url(), tokens[i], client.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cls[i] = &cl{db: rdb, eng: syncer.New(syncer.Config{DB: rdb, Client: c}), th: fx.Therapists[i%therapists]}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, err := cls[i].eng.Round(ctx); err != nil {
				t.Errorf("first sync of client %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	t.Logf("first sync of %d clients: %.1fs", clients, time.Since(start).Seconds())

	var mu sync.Mutex
	var lat []time.Duration
	errs, pushes := 0, 0
	stop := time.Now().Add(time.Duration(seconds) * time.Second)
	for i, c := range cls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(i), 7))
			time.Sleep(time.Duration(rnd.IntN(5000)) * time.Millisecond)
			actor := store.ActorFor(c.th, "load")
			pats := fx.Patients[c.th.ID]
			for n := 0; time.Now().Before(stop); n++ {
				next := time.Now().Add(5 * time.Second)
				pushed := false
				if rnd.IntN(10) == 0 {
					p := pats[rnd.IntN(len(pats))]
					sub := fx.Submissions[p.ID][rnd.IntN(len(fx.Submissions[p.ID]))]
					if _, err := c.db.SendFeedback(ctx, actor, store.Feedback{SubmissionID: sub.ID, EnrollmentID: sub.EnrollmentID, PatientID: p.ID,
						Body: fmt.Sprintf("load feedback %d/%d", i, n), Supersedes: feedbackHead(t, c.db, sub.ID)}, ""); err != nil {
						t.Errorf("client %d: write: %v", i, err)
					}
					pushed = true
				}
				t0 := time.Now()
				_, err := c.eng.Round(ctx)
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				if err != nil {
					errs++
					if errs <= 5 {
						t.Logf("client %d: %v", i, err)
					}
				}
				if pushed {
					pushes++
				}
				mu.Unlock()
				time.Sleep(time.Until(next))
			}
		}()
	}
	wg.Wait()
	srv.stop()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
	t.Logf("%d rounds in %ds (%d with a pushed feedback), %d errors: p50 %s, p95 %s, p99 %s, max %s",
		len(lat), seconds, pushes, errs, ms(q(0.5)), ms(q(0.95)), ms(q(0.99)), ms(lat[len(lat)-1]))
	if errs > 0 {
		t.Errorf("%d rounds failed", errs)
	}
	if q(0.99) >= 100*time.Millisecond {
		t.Errorf("p99 of a sync round is %s, want under 100ms", ms(q(0.99)))
	}
}
