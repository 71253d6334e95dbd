package rqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"polku/store/rqlite"
)

func TestParseURL(t *testing.T) {
	c, err := rqlite.ParseURL("rqlite://a:4001, b:4001,c:4001")
	if err != nil || strings.Join(c.Hosts, " ") != "http://a:4001 http://b:4001 http://c:4001" {
		t.Fatalf("%v %v", c.Hosts, err)
	}
	if c, err := rqlite.ParseURL("rqlites://a:4001"); err != nil || c.Hosts[0] != "https://a:4001" {
		t.Fatalf("%v %v", c.Hosts, err)
	}
	if c, err := rqlite.ParseURL("rqlite://a:4001,b:4001?level=weak"); err != nil || c.ReadLevel != "weak" || len(c.Hosts) != 2 {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{"a:4001", "http://a:4001", "rqlite://", "rqlite://a", "rqlite://,", "rqlite://a:4001?level=none", "rqlite://a:4001?x=1"} {
		if _, err := rqlite.ParseURL(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	c := startCluster(t, 1)
	cfg, err := rqlite.ParseURL(c.Addr())
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(rqlite.NewConnector(cfg))
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
	return db
}

func count(t *testing.T, q interface {
	QueryRow(string, ...any) *sql.Row
}) int {
	t.Helper()
	var n int
	if err := q.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A write transaction sees its own writes, nobody else does before the
// commit, and a rollback leaves nothing.
func TestTransactionReadsItsOwnWrites(t *testing.T) {
	db := openDB(t)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	res, err := tx.Exec("INSERT INTO t (id, v, n) VALUES (?, ?, ?)", 2, "two", 2.5)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := res.LastInsertId(); err != nil || id != 2 {
		t.Fatalf("last insert id %d %v", id, err)
	}
	if n := count(t, tx); n != 2 {
		t.Fatalf("inside: %d rows", n)
	}
	if n := count(t, db); n != 1 {
		t.Fatalf("outside, before the commit: %d rows", n)
	}
	res, err = tx.Exec("UPDATE t SET v = v || '!' WHERE id <= 2")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 2 {
		t.Fatalf("rows affected %d %v", n, err)
	}
	var got []string
	rows, err := tx.Query("UPDATE t SET v = v || '?' WHERE id = 2 RETURNING v")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		rows.Scan(&v)
		got = append(got, v)
	}
	rows.Close()
	if strings.Join(got, ",") != "two!?" {
		t.Fatalf("returning: %q", got)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db); n != 1 {
		t.Fatalf("after the rollback: %d rows", n)
	}
	var v string
	if err := db.QueryRow("SELECT v FROM t WHERE id = 1").Scan(&v); err != nil || v != "one" {
		t.Fatalf("after the rollback: %q %v", v, err)
	}

	tx, _ = db.Begin()
	tx.Exec("INSERT INTO t (id, v, n, b) VALUES (3, 'three', 3, 'x')")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var n float64
	if err := db.QueryRow("SELECT n FROM t WHERE id = 3").Scan(&n); err != nil || n != 3 {
		t.Fatalf("committed: %v %v", n, err)
	}
}

// A statement that fails, whether it fails to prepare or while it runs,
// loses the whole transaction: nothing of it is committed.
func TestFailedStatementLosesTheTransaction(t *testing.T) {
	db := openDB(t)
	for _, bad := range []string{"INSERT INTO nosuch VALUES (1)", "INSERT INTO t (id, v) VALUES (9, 'one')"} {
		tx, _ := db.Begin()
		tx.Exec("INSERT INTO t (id, v) VALUES (5, 'five')")
		tx.Exec(bad)
		tx.Exec("INSERT INTO t (id, v) VALUES (6, 'six')")
		err := tx.Commit()
		var re *rqlite.Error
		if !errors.As(err, &re) {
			t.Fatalf("%s: commit: %v", bad, err)
		}
		if n := count(t, db); n != 1 {
			t.Fatalf("%s: %d rows after a failed commit", bad, n)
		}
	}
	// A constraint is named.
	tx, _ := db.Begin()
	tx.Exec("INSERT INTO t (id, v) VALUES (9, 'one')")
	err := tx.Commit()
	var re *rqlite.Error
	if !errors.As(err, &re) || re.Constraint() != "UNIQUE" {
		t.Fatalf("commit: %v", err)
	}
	// A failure seen by a query inside the transaction is the query's.
	tx, _ = db.Begin()
	tx.Exec("INSERT INTO t (id, v) VALUES (9, 'one')")
	if err := tx.QueryRow("SELECT COUNT(*) FROM t").Scan(new(int)); !errors.As(err, &re) {
		t.Fatalf("query after a failed write: %v", err)
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("a lost transaction committed")
	}
	// Transaction statements are not sent: the driver makes them.
	if _, err := db.Exec("BEGIN"); err == nil {
		t.Fatal("BEGIN was sent")
	}
}

// The guard rolls a transaction back when what it read has moved.
func TestGuard(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	guarded := func(want int) (*sql.Tx, *rqlite.Guard) {
		g := rqlite.NewGuard(rqlite.Statement{SQL: "INSERT INTO guard (ok) SELECT 0 WHERE (SELECT COUNT(*) FROM t) != ?", Args: []any{want}})
		tx, err := db.BeginTx(rqlite.WithGuard(ctx, g), nil)
		if err != nil {
			t.Fatal(err)
		}
		return tx, g
	}
	tx, g := guarded(1)
	tx.Exec("INSERT INTO t (id, v) VALUES (2, 'two')")
	if err := tx.Commit(); err != nil || g.Moved() {
		t.Fatalf("unmoved: %v %v", err, g.Moved())
	}
	// Another writer commits between the read and the commit.
	tx, g = guarded(2)
	tx.Exec("INSERT INTO t (id, v) VALUES (3, 'three')")
	if _, err := db.Exec("INSERT INTO t (id, v) VALUES (4, 'four')"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); !errors.Is(err, rqlite.ErrMoved) || !g.Moved() {
		t.Fatalf("moved: %v %v", err, g.Moved())
	}
	if n := count(t, db); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
	// A query inside a moved transaction says so too.
	tx, g = guarded(2)
	tx.Exec("INSERT INTO t (id, v) VALUES (5, 'five')")
	if err := tx.QueryRow("SELECT COUNT(*) FROM t").Scan(new(int)); !errors.Is(err, rqlite.ErrMoved) || !g.Moved() {
		t.Fatalf("query: %v", err)
	}
	tx.Rollback()
}

// A read inside a write transaction that names no table the transaction
// wrote (or that their triggers write) is answered without a probe, and
// still sees the transaction's writes when it does.
func TestReadsOfOtherTables(t *testing.T) {
	db := openDB(t)
	for _, s := range []string{
		"CREATE TABLE u (id INTEGER PRIMARY KEY)",
		"CREATE TABLE log (n INTEGER)",
		"CREATE TRIGGER u_log AFTER INSERT ON u BEGIN INSERT INTO log (n) VALUES (NEW.id); END",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	tx, _ := db.Begin()
	tx.Exec("INSERT INTO u (id) VALUES (7)")
	var n int
	// log is written by u's trigger: the read sees the row.
	if err := tx.QueryRow("SELECT COUNT(*) FROM log").Scan(&n); err != nil || n != 1 {
		t.Fatalf("log inside: %d %v", n, err)
	}
	if err := tx.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("t inside: %d %v", n, err)
	}
	tx.Rollback()
	if err := db.QueryRow("SELECT COUNT(*) FROM log").Scan(&n); err != nil || n != 0 {
		t.Fatalf("log after the rollback: %d %v", n, err)
	}
}

// A head guard learns its value with the transaction's first read; a
// later read of another state, or a commit on one, is ErrMoved; a
// transaction that read nothing commits without a guard.
func TestHeadGuard(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	begin := func() (*sql.Tx, *rqlite.Guard) {
		g := rqlite.NewHeadGuard(rqlite.Statement{SQL: "SELECT COUNT(*) FROM t"}, func(v int64) rqlite.Statement {
			return rqlite.Statement{SQL: "INSERT INTO guard (ok) SELECT 0 WHERE (SELECT COUNT(*) FROM t) != ?", Args: []any{v}}
		})
		tx, err := db.BeginTx(rqlite.WithGuard(ctx, g), nil)
		if err != nil {
			t.Fatal(err)
		}
		return tx, g
	}
	tx, g := begin()
	var v string
	if err := tx.QueryRow("SELECT v FROM t WHERE id = 1").Scan(&v); err != nil || v != "one" {
		t.Fatalf("first read: %q %v", v, err)
	}
	tx.Exec("INSERT INTO t (id, v) VALUES (2, 'two')")
	if err := tx.Commit(); err != nil || g.Moved() {
		t.Fatalf("unmoved: %v", err)
	}
	// Another writer between two reads.
	tx, g = begin()
	tx.QueryRow("SELECT v FROM t WHERE id = 1").Scan(&v)
	if _, err := db.Exec("INSERT INTO t (id, v) VALUES (3, 'three')"); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow("SELECT v FROM t WHERE id = 2").Scan(&v); !errors.Is(err, rqlite.ErrMoved) || !g.Moved() {
		t.Fatalf("second read: %v", err)
	}
	tx.Rollback()
	// Another writer between the read and the commit.
	tx, g = begin()
	tx.QueryRow("SELECT v FROM t WHERE id = 1").Scan(&v)
	tx.Exec("INSERT INTO t (id, v) VALUES (4, 'four')")
	if _, err := db.Exec("INSERT INTO t (id, v) VALUES (5, 'five')"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); !errors.Is(err, rqlite.ErrMoved) || !g.Moved() {
		t.Fatalf("commit: %v", err)
	}
	// Nothing read: committed whatever moved.
	tx, g = begin()
	tx.Exec("INSERT INTO t (id, v) VALUES (6, 'six')")
	if err := tx.Commit(); err != nil || g.Moved() {
		t.Fatalf("blind write: %v", err)
	}
	// A read after a write (a probe) learns the value first.
	tx, g = begin()
	tx.Exec("INSERT INTO t (id, v) VALUES (7, 'seven')")
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 6 {
		t.Fatalf("probe: %d %v", n, err)
	}
	if err := tx.Commit(); err != nil || g.Moved() {
		t.Fatalf("after a probe: %v", err)
	}
	if n := count(t, db); n != 6 {
		t.Fatalf("%d rows, want 6", n)
	}
}

// A read-only transaction with monotonic reads reads as any other.
func TestMonotonicReads(t *testing.T) {
	db := openDB(t)
	ctx := rqlite.WithMonotonicReads(context.Background(), rqlite.Statement{SQL: "SELECT COUNT(*) FROM t"})
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := 0; i < 3; i++ {
		if n := count(t, tx); n != 1+i {
			t.Fatalf("read %d: %d rows", i, n)
		}
		if _, err := db.Exec("INSERT INTO t (v) VALUES (?)", fmt.Sprint("x", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.QueryRow("SELECT nosuch FROM t").Scan(new(int)); err == nil {
		t.Fatal("a bad read answered")
	}
}
