package rqlite_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/client"
	"polku/store/rqlite"
	"polku/store/server"
	"polku/store/syncer"
	"polku/store/synctest"
)

// TestRoundRequests counts the requests one replica's sync round (a push
// of one feedback and a pull) sends to a 3-node cluster, by kind, and the
// time they take: a profile (POLKU_RQLITE_PROFILE=1), not a check.
func TestRoundRequests(t *testing.T) {
	if os.Getenv("POLKU_RQLITE_PROFILE") != "1" {
		t.Skip("set POLKU_RQLITE_PROFILE=1 (and POLKU_RQLITED) to profile a sync round on a cluster")
	}
	ctx := context.Background()
	c := startCluster(t, 3)
	db, err := store.Open(ctx, c.Addr(), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: 2, PatientsPer: 1, Weeks: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{DB: db, Rate: -1})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	th := fx.Therapists[0]
	tok, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "profile"})
	if err != nil {
		t.Fatal(err)
	}
	rdb, err := syncer.OpenReplica(ctx, filepath.Join(t.TempDir(), "r.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	cl, err := client.New(hs.URL, tok, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng := syncer.New(syncer.Config{DB: rdb, Client: cl})
	if _, err := eng.Round(ctx); err != nil {
		t.Fatal(err)
	}
	rounds := 20
	if os.Getenv("TRACE") != "" {
		rounds = 1
	}
	before := db.ClusterStats()
	var took time.Duration
	for k := range rounds {
		writeFeedback(t, rdb, fx, th, fmt.Sprint("profile ", k), 1)
		t0 := time.Now()
		if _, err := eng.Round(ctx); err != nil {
			t.Fatal(err)
		}
		took += time.Since(t0)
	}
	after := db.ClusterStats()
	var lines []string
	var n int64
	var all time.Duration
	for k, v := range after {
		d := rqlite.PathStats{N: v.N - before[k].N, Took: v.Took - before[k].Took}
		if d.N == 0 {
			continue
		}
		n += d.N
		all += d.Took
		lines = append(lines, fmt.Sprintf("%-45s %6.1f/round %7.2f ms each", k, float64(d.N)/float64(rounds), float64(d.Took.Microseconds())/1000/float64(d.N)))
	}
	sort.Strings(lines)
	t.Logf("per round: %.1f requests, %.1f ms in them, round %.1f ms\n%s", float64(n)/float64(rounds),
		float64(all.Microseconds())/1000/float64(rounds), float64(took.Microseconds())/1000/float64(rounds), strings.Join(lines, "\n"))
}

// TestFloor measures rqlite's own latency on a 3-node loopback cluster:
// one INSERT committed (/db/execute), one weak and one linearizable point
// read, each sent to the leader and to a follower (which forwards it), one
// after the other: the floor under a sync round's requests
// (POLKU_RQLITE_PROFILE=1).
func TestFloor(t *testing.T) {
	if os.Getenv("POLKU_RQLITE_PROFILE") != "1" {
		t.Skip("set POLKU_RQLITE_PROFILE=1 (and POLKU_RQLITED) to measure rqlite's latency")
	}
	ctx := context.Background()
	c := startCluster(t, 3)
	leader := c.Leader()
	follower := (leader + 1) % 3
	boot := rqlite.NewClient(rqlite.Config{Hosts: []string{c.Nodes[leader].HTTP}})
	if _, err := boot.Request(ctx, "/db/execute", "", []rqlite.Statement{{SQL: "CREATE TABLE f (id INTEGER PRIMARY KEY, v TEXT)"}}); err != nil {
		t.Fatal(err)
	}
	const n = 200
	for _, who := range []struct {
		name string
		i    int
	}{{"leader", leader}, {"follower", follower}} {
		cl := rqlite.NewClient(rqlite.Config{Hosts: []string{c.Nodes[who.i].HTTP}})
		for _, k := range []struct{ name, path, q, sql string }{
			{"write", "/db/execute", "", "INSERT INTO f (v) VALUES ('x')"},
			{"weak read", "/db/query", "level=weak", "SELECT v FROM f WHERE id = 1"},
			{"linearizable read", "/db/query", "level=linearizable", "SELECT v FROM f WHERE id = 1"},
		} {
			lat := make([]time.Duration, 0, n)
			for range n {
				t0 := time.Now()
				if _, err := cl.Request(ctx, k.path, k.q, []rqlite.Statement{{SQL: k.sql}}); err != nil {
					t.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			t.Logf("%-8s %-18s p50 %6.2f ms  p99 %6.2f ms", who.name, k.name,
				float64(lat[n/2].Microseconds())/1000, float64(lat[n*99/100].Microseconds())/1000)
		}
	}
}

// nodeCPU is the CPU seconds used so far by the processes whose command
// line names dir (a node's data directory).
func nodeCPU(t *testing.T, dir string) float64 {
	out, _ := exec.Command("pgrep", "-f", dir).Output()
	var sum float64
	for _, p := range strings.Fields(string(out)) {
		b, err := os.ReadFile("/proc/" + p + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(b)[strings.LastIndex(string(b), ")")+2:])
		u, _ := strconv.ParseFloat(f[11], 64)
		s, _ := strconv.ParseFloat(f[12], 64)
		sum += (u + s) / 100
	}
	return sum
}

// TestRequestCPU measures what one request of each kind costs the nodes
// of a 3-node loopback cluster in CPU (utime+stime from /proc), sent one
// after the other to the leader: a weak read, a weak read transaction of
// two and of eight statements (a pinned read), a linearizable read, and a
// committed write (POLKU_RQLITE_PROFILE=1; Linux).
func TestRequestCPU(t *testing.T) {
	if os.Getenv("POLKU_RQLITE_PROFILE") != "1" {
		t.Skip("set POLKU_RQLITE_PROFILE=1 (and POLKU_RQLITED) to measure what a request costs the nodes")
	}
	ctx := context.Background()
	c := startCluster(t, 3)
	leader := c.Leader()
	cl := rqlite.NewClient(rqlite.Config{Hosts: []string{c.Nodes[leader].HTTP}})
	if _, err := cl.Request(ctx, "/db/execute", "", []rqlite.Statement{{SQL: "CREATE TABLE f (id INTEGER PRIMARY KEY, v TEXT)"}}); err != nil {
		t.Fatal(err)
	}
	cl.Request(ctx, "/db/execute", "", []rqlite.Statement{{SQL: "INSERT INTO f (v) VALUES ('x')"}})
	for _, k := range []struct {
		name, path, q string
		stmts         []rqlite.Statement
		n             int
	}{
		{"weak1", "/db/query", "level=weak", []rqlite.Statement{{SQL: "SELECT v FROM f WHERE id = 1"}}, 2000},
		{"weak2tx", "/db/query", "level=weak&transaction", []rqlite.Statement{{SQL: "SELECT max(id) FROM f"}, {SQL: "SELECT v FROM f WHERE id = 1"}}, 2000},
		{"weak8tx", "/db/query", "level=weak&transaction", []rqlite.Statement{{SQL: "SELECT max(id) FROM f"}, {SQL: "SELECT v FROM f WHERE id = 1"}, {SQL: "SELECT v FROM f WHERE id = 1"}, {SQL: "SELECT v FROM f WHERE id = 1"}, {SQL: "SELECT v FROM f WHERE id = 1"}, {SQL: "SELECT v FROM f WHERE id = 1"}, {SQL: "SELECT v FROM f WHERE id = 1"}, {SQL: "SELECT v FROM f WHERE id = 1"}}, 2000},
		{"lin", "/db/query", "level=linearizable", []rqlite.Statement{{SQL: "SELECT v FROM f WHERE id = 1"}}, 2000},
		{"write", "/db/execute", "transaction", []rqlite.Statement{{SQL: "INSERT INTO f (v) VALUES ('x')"}}, 500},
	} {
		var before []float64
		for _, nd := range c.Nodes {
			before = append(before, nodeCPU(t, nd.Dir))
		}
		t0 := time.Now()
		for range k.n {
			if _, err := cl.Request(ctx, k.path, k.q, k.stmts); err != nil {
				t.Fatal(err)
			}
		}
		took := time.Since(t0)
		var line []string
		for i, nd := range c.Nodes {
			d := nodeCPU(t, nd.Dir) - before[i]
			line = append(line, strconv.FormatFloat(d*1e6/float64(k.n), 'f', 0, 64))
		}
		t.Logf("%-8s %6.0f µs wall each; CPU µs each of nodes 1-3 (the leader is %d): %s", k.name, float64(took.Microseconds())/float64(k.n), leader+1, strings.Join(line, " "))
	}
}
