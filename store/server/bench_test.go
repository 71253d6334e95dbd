package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
	"polku/store/synctest"
)

// Server writes against the durable-commit floor of the same machine,
// measured in the same run. Every request pushes one operation (a
// therapist's message to their own patient, each client a therapist of
// its own); the floor is a bare table in a file of its own, one row per
// commit, WAL and synchronous=FULL, the store's own settings.
//
//	go test ./store/server -run '^$' -bench 'BenchmarkPush/group=on' -benchtime 4000x
//
// Each result reports ops/s, floor/s (the floor measured right before and
// right after, averaged), of-floor (their ratio), cpu-µs/op (the process's
// CPU time, clients included, per operation) and ops/group; group=off is
// the same with group commit turned off
// (-bench BenchmarkPush runs both).
func BenchmarkPush(b *testing.B) {
	for _, group := range []int{0, 1} {
		for _, clients := range []int{1, 4, 16} {
			name := fmt.Sprintf("group=on/clients=%d", clients)
			if group == 1 {
				name = fmt.Sprintf("group=off/clients=%d", clients)
			}
			b.Run(name, func(b *testing.B) { benchPush(b, clients, group) })
		}
	}
}

func benchPush(b *testing.B, clients, groupSize int) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "server.db"), store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: clients, PatientsPer: 1, Weeks: 1})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{DB: db, Rate: -1, GroupSize: groupSize})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	type client struct {
		token string
		th    store.Therapist
		e     store.Enrollment
	}
	cs := make([]client, clients)
	for i, th := range fx.Therapists {
		tok, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		cs[i] = client{token: tok, th: th, e: fx.Enrollments[fx.Patients[th.ID][0].ID]}
	}
	push := func(c client, n int64) error {
		now := time.Now().UTC().Truncate(time.Millisecond)
		msg := store.Message{ID: db.NewID(now), EnrollmentID: c.e.ID, PatientID: c.e.PatientID, Direction: store.DirectionOut,
			TherapistID: c.th.ID, Body: "See you next week.", SentAt: now}
		op, _ := json.Marshal(store.SendMessageOp{Message: msg})
		body, _ := json.Marshal(api.PushRequest{Ops: []api.PushOp{{Key: fmt.Sprintf("%s-%d", c.th.Handle, n), Type: "message.send", Op: op}}})
		req, _ := http.NewRequest("POST", hs.URL+"/v1/ops", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var pr api.PushResponse
		if err := json.NewDecoder(resp.Body).Decode(&pr); err != nil || len(pr.Results) != 1 || pr.Results[0].Status != api.StatusApplied {
			return fmt.Errorf("push: %d %+v %v", resp.StatusCode, pr, err)
		}
		return nil
	}
	// Warm up: connections, statements, caches.
	for _, c := range cs {
		if err := push(c, -1); err != nil {
			b.Fatal(err)
		}
	}
	before := db.GroupCommitStats()
	floorBefore := durableFloor(b, filepath.Join(dir, "floor.db"), time.Second)
	cpuBefore := cpuTime()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	b.ResetTimer()
	start := time.Now()
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				if err := push(c, n); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	cpu := cpuTime() - cpuBefore
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	after := db.GroupCommitStats()
	rate := float64(b.N) / took.Seconds()
	floor := (floorBefore + durableFloor(b, filepath.Join(dir, "floor.db"), time.Second)) / 2
	b.ReportMetric(rate, "ops/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(floor, "floor/s")
	b.ReportMetric(rate/floor, "of-floor")
	if g := after.Groups - before.Groups; g > 0 {
		b.ReportMetric(float64(after.Ops-before.Ops)/float64(g), "ops/group")
	}
}

// durableFloor is how many durable commits per second this machine makes
// now: one row per transaction into a bare table, WAL, synchronous=FULL,
// for about d.
func durableFloor(b *testing.B, path string, d time.Duration) float64 {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	fdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	defer fdb.Close()
	fdb.SetMaxOpenConns(1)
	if _, err := fdb.Exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	ins, err := fdb.Prepare("INSERT INTO t (v) VALUES (?)")
	if err != nil {
		b.Fatal(err)
	}
	defer ins.Close()
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		if _, err := ins.Exec("a row of about the size of a change-log entry"); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
