package rqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/client"
	"polku/store/rqlite"
	"polku/store/rqlite/rqlitetest"
	"polku/store/server"
	"polku/store/syncer"
	"polku/store/synctest"
)

// clusterBin is rqlited for a test that needs a cluster: the test is
// skipped without one, but fails under CI when POLKU_RQLITED names none.
func clusterBin(t testing.TB) string {
	t.Helper()
	bin := rqlitetest.Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" && os.Getenv("POLKU_RQLITED") != "" {
			t.Fatal(rqlitetest.ErrNoBinary)
		}
		t.Skip(rqlitetest.ErrNoBinary)
	}
	return bin
}

func startCluster(t testing.TB, nodes int) *rqlitetest.Cluster {
	t.Helper()
	c, err := rqlitetest.Start(clusterBin(t), t.TempDir(), nodes)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// TestFaultLeaderKilled: 20 replicas sync without pause through two
// servers on a 3-node cluster; the leader is killed (SIGKILL) in the
// middle. Writes go on after the election, every operation the replicas
// wrote is on the cluster exactly once (the acknowledged ones and those
// whose answer was lost, pushed again), the replicas converge, and the
// killed node catches up when it comes back.
func TestFaultLeaderKilled(t *testing.T) {
	if os.Getenv("POLKU_RQLITE_FAULT") != "1" {
		t.Skip("set POLKU_RQLITE_FAULT=1 (and POLKU_RQLITED) to kill an rqlite leader under load")
	}
	const replicas = 20
	ctx := context.Background()
	c := startCluster(t, 3)
	var dbs []*store.DB
	var urls []string
	for i := 0; i < 2; i++ {
		db, err := store.Open(ctx, c.Addr(), store.Options{Create: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	fx, err := synctest.Populate(ctx, dbs[0], synctest.Spec{Therapists: replicas, PatientsPer: 1, Weeks: 1})
	if err != nil {
		t.Fatal(err)
	}
	var logs synctest.Buffer
	for _, db := range dbs {
		srv, err := server.New(ctx, server.Config{DB: db, Rate: -1, Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		urls = append(urls, hs.URL)
	}
	type rep struct {
		th  store.Therapist
		db  *store.DB
		eng *syncer.Engine
	}
	reps := make([]*rep, replicas)
	for i, th := range fx.Therapists {
		tok, _, err := server.CreateTherapistToken(ctx, dbs[0], th.ID, server.TokenOptions{Device: "fault"})
		if err != nil {
			t.Fatal(err)
		}
		db, err := syncer.OpenReplica(ctx, filepath.Join(t.TempDir(), "replica.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		cl, err := client.New(urls[i%len(urls)], tok, client.Options{})
		if err != nil {
			t.Fatal(err)
		}
		reps[i] = &rep{th: th, db: db, eng: syncer.New(syncer.Config{DB: db, Client: cl})}
		if _, err := reps[i].eng.Round(ctx); err != nil {
			t.Fatalf("first round of %s: %v", th.Handle, err)
		}
	}

	// The burst: every replica writes two feedback and syncs, again and
	// again. A round is acknowledged when it ends without an error.
	type round struct {
		start, end time.Time
		ok         bool
	}
	var mu sync.Mutex
	var rounds []round
	var roundErrs []string
	written := map[string]string{} // body: replica's therapist id
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				bodies := writeFeedback(t, r.db, fx, r.th, fmt.Sprintf("r%d-%d", i, n), 2)
				mu.Lock()
				for _, b := range bodies {
					written[b] = r.th.ID
				}
				mu.Unlock()
				start := time.Now()
				_, err := r.eng.Round(ctx)
				mu.Lock()
				rounds = append(rounds, round{start: start, end: time.Now(), ok: err == nil})
				if err != nil && len(roundErrs) < 5 {
					roundErrs = append(roundErrs, err.Error())
				}
				mu.Unlock()
				if err != nil {
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	time.Sleep(3 * time.Second)
	leader := c.Leader()
	if leader < 0 {
		t.Fatal("no leader")
	}
	killedAt := time.Now()
	c.Kill(leader)
	t.Logf("killed the leader %s at %s", c.Nodes[leader].ID, killedAt.Format("15:04:05.000"))
	time.Sleep(8 * time.Second)
	close(stop)
	wg.Wait()
	for _, e := range roundErrs {
		t.Logf("a failed round: %s", e)
	}
	if lines := strings.Split(logs.String(), "\n"); len(lines) > 1 {
		t.Logf("the servers logged %d errors; the first:\n%s", len(lines)-1, strings.Join(lines[:min(5, len(lines)-1)], "\n"))
	}

	// Writes went on after the election.
	var before, after, failed int
	var lastBefore, firstAfter time.Time
	for _, r := range rounds {
		switch {
		case !r.ok:
			failed++
		case r.end.Before(killedAt):
			before++
			if r.end.After(lastBefore) {
				lastBefore = r.end
			}
		case r.start.After(killedAt):
			after++
			if firstAfter.IsZero() || r.end.Before(firstAfter) {
				firstAfter = r.end
			}
		}
	}
	if after == 0 {
		t.Fatalf("no round succeeded after the leader was killed (%d before, %d failed)", before, failed)
	}
	t.Logf("rounds: %d acknowledged before the kill, %d after, %d failed; no round acknowledged for %s around the election",
		before, after, failed, firstAfter.Sub(lastBefore).Round(time.Millisecond))

	// Every replica pushes what is left; then every op is there once.
	deadline := time.Now().Add(60 * time.Second)
	for _, r := range reps {
		for {
			_, err := r.eng.Round(ctx)
			pending, perr := syncer.Entries(ctx, r.db, syncer.StatePending)
			if err == nil && perr == nil && len(pending) == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s cannot push what is left: %v %v (%d pending)", r.th.Handle, err, perr, len(pending))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	for _, r := range reps {
		refused, err := syncer.Entries(ctx, r.db, syncer.StateConflict, syncer.StateRejected)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range refused {
			t.Errorf("%s: %s refused: %s %s", r.th.Handle, e.OpType, e.State, e.Error)
		}
	}
	onServer := map[string]int{}
	rows, err := dbs[1].Reader().QueryContext(ctx, "SELECT body FROM feedback WHERE body LIKE 'fault %'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		onServer[b]++
	}
	rows.Close()
	for b := range written {
		if n := onServer[b]; n != 1 {
			t.Errorf("%q is on the cluster %d times, want once", b, n)
		}
	}
	if len(onServer) != len(written) {
		t.Errorf("the cluster has %d feedback of the drill, the replicas wrote %d", len(onServer), len(written))
	}

	// The replicas converge: each has what the cluster has of its
	// patients, after one more round.
	for _, r := range reps {
		if _, err := r.eng.Round(ctx); err != nil {
			t.Fatal(err)
		}
		p := fx.Patients[r.th.ID][0]
		want := bodies(t, dbs[0].Reader(), p.ID)
		got := bodies(t, r.db.Reader(), p.ID)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Errorf("replica of %s: %d feedback, the cluster %d", r.th.Handle, len(got), len(want))
		}
	}

	// The killed node comes back and catches up.
	if err := c.Restart(leader); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitReady(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	var head int64
	if err := dbs[0].Reader().QueryRow("SELECT MAX(seq) FROM changes").Scan(&head); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	node := rqlite.NewClient(rqlite.Config{Hosts: []string{c.Nodes[leader].HTTP}})
	for {
		// level=none: the node's own copy, not the leader's.
		var got int64
		res, err := node.Request(ctx, "/db/query", "level=none", []rqlite.Statement{{SQL: "SELECT MAX(seq) FROM changes"}})
		if err == nil && len(res) == 1 && len(res[0].Values) == 1 {
			if n, ok := res[0].Values[0][0].(json.Number); ok {
				got, _ = n.Int64()
			}
		}
		if got >= head {
			break
		}
		if time.Since(back) > 30*time.Second {
			t.Fatalf("the restarted node is at %d, the cluster at %d (%v)", got, head, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d feedback written by %d replicas through 2 servers, each on the cluster once; the restarted node caught up in %s",
		len(written), replicas, time.Since(back).Round(time.Millisecond))
}

func bodies(t *testing.T, db *sql.DB, patientID string) []string {
	t.Helper()
	rows, err := db.Query("SELECT body FROM feedback WHERE patient_id = ? ORDER BY id", patientID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// writeFeedback sends n feedback on the therapist's patients' submissions
// in the replica and returns their bodies.
func writeFeedback(t testing.TB, db *store.DB, fx *synctest.Fixture, th store.Therapist, tag string, n int) []string {
	ctx := context.Background()
	actor := store.ActorFor(th, "test")
	var out []string
	pats := fx.Patients[th.ID]
	for i := range n {
		p := pats[i%len(pats)]
		subs := fx.Submissions[p.ID]
		s := subs[i%len(subs)]
		body := fmt.Sprintf("fault %s #%d", tag, i)
		var head string
		err := db.Reader().QueryRow(`SELECT id FROM feedback WHERE submission_id = ?1
			AND id NOT IN (SELECT supersedes FROM feedback WHERE submission_id = ?1) ORDER BY sent_at DESC, id DESC LIMIT 1`, s.ID).Scan(&head)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Error(err)
			return out
		}
		if _, err := db.SendFeedback(ctx, actor, store.Feedback{SubmissionID: s.ID, EnrollmentID: s.EnrollmentID, PatientID: p.ID, Body: body, Supersedes: head}, ""); err != nil {
			t.Error(err)
			return out
		}
		out = append(out, body)
	}
	return out
}
