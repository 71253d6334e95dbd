package rqlite

import (
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestIsRead(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1": true,
		"WITH x AS (SELECT id, updated_at FROM t) SELECT * FROM x":                           true,
		"with recursive n(i) as (values(1) union all select i+1 from n) select i from n":     true,
		"WITH x AS (SELECT 1) SELECT 'insert into t', \"delete\" FROM x -- update t\n":       true,
		"WITH x AS (SELECT 1) /* delete */ VALUES (1)":                                       true,
		"WITH x AS (SELECT id FROM t) DELETE FROM t WHERE id IN x":                           false,
		"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x":                                 false,
		"WITH x AS MATERIALIZED (SELECT 1) UPDATE t SET v = 1":                               false,
		"WITH x AS (SELECT 1) REPLACE INTO t SELECT * FROM x":                                false,
		"WITH a AS (SELECT 1), b(c) AS (SELECT 2) SELECT * FROM a, b":                        true,
		"INSERT INTO t VALUES (1)":                                                           false,
		"PRAGMA foreign_keys":                                                                true,
		"PRAGMA user_version = 3":                                                            false,
		"WITH x AS (SELECT 1) SELECT updated_at, deleted FROM t, x":                          true,
		"WITH \"insert\" AS (SELECT 1) SELECT * FROM \"insert\"":                             true,
		"WITH [update] AS (SELECT 1) SELECT * FROM [update]":                                 true,
		"WITH x AS (SELECT ')') SELECT * FROM x":                                             true,
		"WITH x AS (SELECT ')') DELETE FROM t":                                               false,
		"WITH x AS (SELECT 1)":                                                               false,
		"WITH x AS (SELECT 1) SELECT * FROM t WHERE v = 'it''s' AND w IN (SELECT 1) LIMIT 1": true,
	} {
		if got := isRead(q); got != want {
			t.Errorf("isRead(%q) = %v, want %v", q, got, want)
		}
	}
}

// A schema that cannot be read is asked for once, not again at every
// write of every transaction (until schemaRetry has passed).
func TestSchemaFailureIsKept(t *testing.T) {
	var asked atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), "sqlite_schema") {
			asked.Add(1)
			io.WriteString(w, `{"results":[{"error":"no such table: sqlite_schema"}]}`)
			return
		}
		io.WriteString(w, `{"results":[]}`)
	}))
	defer hs.Close()
	c := NewConnector(Config{Hosts: []string{hs.URL}})
	db := sql.OpenDB(c)
	defer db.Close()
	for i := 0; i < 3; i++ {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"INSERT INTO a VALUES (1)", "UPDATE b SET c = 1", "DELETE FROM d"} {
			if _, err := tx.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		tx.Rollback()
	}
	if n := asked.Load(); n != 1 {
		t.Fatalf("the schema was asked for %d times, want 1", n)
	}
	// Once schemaRetry has passed, the next write asks again.
	c.Client.schema.mu.Lock()
	c.Client.schema.retryAt = time.Now().Add(-time.Millisecond)
	c.Client.schema.mu.Unlock()
	tx, _ := db.Begin()
	tx.Exec("INSERT INTO a VALUES (2)")
	tx.Rollback()
	if n := asked.Load(); n != 2 {
		t.Fatalf("after the wait the schema was asked for %d times, want 2", n)
	}
}
