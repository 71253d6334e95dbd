package rqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/rqlite"
)

// lossy is a proxy in front of one rqlite node that loses the answer to
// the commits it is told to: "after" forwards the request (the node
// applies it) and closes the connection without answering; "before"
// closes it without forwarding; "always" does "after" to every write
// batch, the fence's included.
type lossy struct {
	t      *testing.T
	node   string
	mu     sync.Mutex
	mode   string
	match  string // drop only requests whose body has this
	n      int    // how many more to drop ("always": no limit)
	lost   [][]byte
	served int
}

func newLossy(t *testing.T, node string) (*lossy, *httptest.Server) {
	p := &lossy{t: t, node: node}
	hs := httptest.NewServer(p)
	t.Cleanup(hs.Close)
	return p, hs
}

func (p *lossy) drop(mode, match string, n int) {
	p.mu.Lock()
	p.mode, p.match, p.n = mode, match, n
	p.mu.Unlock()
}

func (p *lossy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	mode := ""
	write := r.URL.Path != "/db/query"
	if write && p.mode != "" && bytes.Contains(body, []byte(p.match)) && (p.mode == "always" || p.n > 0) {
		mode = p.mode
		p.n--
		p.lost = append(p.lost, body)
	}
	p.served++
	p.mu.Unlock()
	hang := func() {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			p.t.Error(err)
			return
		}
		conn.Close()
	}
	if mode == "before" {
		hang()
		return
	}
	req, _ := http.NewRequest(r.Method, "http://"+p.node+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if mode != "" {
		hang()
		return
	}
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	w.Write(out)
}

// A commit whose answer is lost after the node applied it is applied once,
// and reported as applied: not sent again to the next node (where its
// guard would fail and the caller would run the operation again, writing
// it twice). One whose request was lost before it reached the node is sent
// again, once, and the lost request, should it arrive later, is refused.
func TestLostAnswerCommitsOnce(t *testing.T) {
	c := startCluster(t, 1)
	node := c.Nodes[0].HTTP
	p, hs := newLossy(t, node)
	// The second node is the same one through a proxy that loses nothing:
	// the client's leader finding (GET /leader names the node itself)
	// would otherwise skip the lossy one.
	_, hs2 := newLossy(t, node)
	db := sql.OpenDB(rqlite.NewConnector(rqlite.Config{Hosts: []string{hs.URL, hs2.URL}}))
	t.Cleanup(func() { db.Close() })
	for _, s := range []string{
		"CREATE TABLE guard (ok INTEGER CHECK (ok = 1))",
		"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, n REAL, b BLOB)",
		"INSERT INTO t (id, v) VALUES (1, 'one')",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	ctx := context.Background()
	commit := func(want int, stmt string) (error, *rqlite.Guard) {
		t.Helper()
		g := rqlite.NewGuard(rqlite.Statement{SQL: "INSERT INTO guard (ok) SELECT 0 WHERE (SELECT COUNT(*) FROM t) != ?", Args: []any{want}})
		tx, err := db.BeginTx(rqlite.WithGuard(ctx, g), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(stmt); err != nil {
			t.Fatal(err)
		}
		return tx.Commit(), g
	}

	p.drop("after", "'two'", 1)
	if err, g := commit(1, "INSERT INTO t (id, v) VALUES (2, 'two')"); err != nil || g.Moved() {
		t.Fatalf("answer lost after the commit: %v (moved %v)", err, g.Moved())
	}
	if n := count(t, db); n != 2 {
		t.Fatalf("%d rows, want 2", n)
	}

	p.drop("before", "'three'", 1)
	if err, g := commit(2, "INSERT INTO t (id, v) VALUES (3, 'three')"); err != nil || g.Moved() {
		t.Fatalf("request lost before the commit: %v (moved %v)", err, g.Moved())
	}
	if n := count(t, db); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
	// The lost request arrives now, late: its marker was fenced.
	p.mu.Lock()
	late := p.lost[len(p.lost)-1]
	p.mu.Unlock()
	if _, err := db.Exec("DELETE FROM t WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post("http://"+node+"/db/execute?transaction", "application/json", bytes.NewReader(late))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(out), "UNIQUE constraint failed: write_attempts.id") {
		t.Fatalf("the late request: %s", out)
	}
	if n := count(t, db); n != 2 {
		t.Fatalf("the late request applied: %d rows, want 2", n)
	}

	// No node answers whether it was applied: the outcome is unknown,
	// not "moved" (which would make the caller run it again).
	short := sql.OpenDB(rqlite.NewConnector(rqlite.Config{Hosts: []string{hs.URL}, Timeout: 1500 * time.Millisecond}))
	t.Cleanup(func() { short.Close() })
	warm, _ := short.Begin() // makes the markers' table known to short's client
	warm.Exec("DELETE FROM t WHERE id = 99")
	if err := warm.Commit(); err != nil {
		t.Fatal(err)
	}
	p.drop("always", "", 0)
	g := rqlite.NewGuard(rqlite.Statement{SQL: "INSERT INTO guard (ok) SELECT 0 WHERE (SELECT COUNT(*) FROM t) != ?", Args: []any{2}})
	tx, err := short.BeginTx(rqlite.WithGuard(ctx, g), nil)
	if err != nil {
		t.Fatal(err)
	}
	tx.Exec("INSERT INTO t (id, v) VALUES (4, 'four')")
	err = tx.Commit()
	var unknown *rqlite.OutcomeUnknownError
	if !errors.As(err, &unknown) || errors.Is(err, rqlite.ErrMoved) || g.Moved() {
		t.Fatalf("no answer at all: %v", err)
	}
	p.drop("", "", 0)
	if n := count(t, db); n != 3 {
		t.Fatalf("%d rows, want 3 (applied once, the answer lost)", n)
	}
}

// On a store, an operation whose commit's answer is lost is applied once
// and succeeds: before, it was sent to the next node, where its guard
// failed, and run again (a second therapist, or "already exists").
func TestStoreLostAnswerAppliesOnce(t *testing.T) {
	c := startCluster(t, 1)
	node := c.Nodes[0].HTTP
	p, hs := newLossy(t, node)
	_, hs2 := newLossy(t, node)
	ctx := context.Background()
	db, err := store.Open(ctx, "rqlite://"+strings.TrimPrefix(hs.URL, "http://")+","+strings.TrimPrefix(hs2.URL, "http://"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p.drop("after", "INSERT INTO therapists", 1)
	th, err := db.AddTherapist(ctx, store.System("test"), store.Therapist{Handle: "anna", Name: "Anna", Role: "therapist"})
	if err != nil {
		t.Fatalf("add a therapist, the answer lost: %v", err)
	}
	var n int
	if err := db.Reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM therapists WHERE handle = 'anna'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d therapists anna (%v), want 1", n, err)
	}
	p.mu.Lock()
	lost := len(p.lost)
	p.mu.Unlock()
	if lost != 1 || th.ID == "" {
		t.Fatalf("%d answers lost, want 1", lost)
	}
}

// A cluster without the store is made into one only when asked (Create),
// as a file that does not exist.
func TestOpenWithoutCreate(t *testing.T) {
	c := startCluster(t, 1)
	ctx := context.Background()
	if db, err := store.Open(ctx, c.Addr(), store.Options{}); !errors.Is(err, store.ErrNotFound) {
		if db != nil {
			db.Close()
		}
		t.Fatalf("open an empty cluster without Create: %v", err)
	}
	cl := rqlite.NewClient(rqlite.Config{Hosts: []string{c.Nodes[0].HTTP}})
	res, err := cl.Request(ctx, "/db/query", "", []rqlite.Statement{{SQL: "SELECT COUNT(*) FROM sqlite_schema"}})
	if err != nil || len(res) != 1 || len(res[0].Values) != 1 {
		t.Fatal(res, err)
	}
	if fmt.Sprint(res[0].Values[0][0]) != "0" {
		t.Fatalf("the empty cluster was written: %v tables", res[0].Values[0][0])
	}
	for _, create := range []bool{true, false} {
		db, err := store.Open(ctx, c.Addr(), store.Options{Create: create})
		if err != nil {
			t.Fatalf("create %v: %v", create, err)
		}
		db.Close()
	}
}
