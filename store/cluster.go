package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"polku/store/rqlite"
)

// A store on an rqlite cluster (Open with rqlite://host1:4001,...): the
// same SQL through the driver in store/rqlite, one rqlite transaction per
// operation. Every write transaction starts by reading the change log's
// head and sends a guard with its writes that rolls the whole transaction
// back when the head has moved by then: another writer (another polku
// serve on the cluster, or another operation of this one) committed
// first, and what this operation read and checked (authorization, record
// versions) may be stale. The operation is then read, checked and applied
// again, a bounded number of times.

// IsClusterAddr says whether a store path names an rqlite cluster.
func IsClusterAddr(path string) bool {
	return strings.HasPrefix(path, "rqlite://") || strings.HasPrefix(path, "rqlites://")
}

// guardSchema is the table the guards write to: a row with ok = 0 breaks
// its CHECK. It lives on clusters only (not a migration): the embedded
// store has one writer and needs no guard.
const guardSchema = "CREATE TABLE IF NOT EXISTS guard (ok INTEGER CHECK (ok = 1))"

// headQuery is the change log's head.
const headQuery = "SELECT COALESCE(MAX(seq), 0) FROM changes"

// headGuard fails when the change log's head is no longer ?.
const headGuard = "INSERT INTO guard (ok) SELECT 0 WHERE (SELECT COALESCE(MAX(seq), 0) FROM changes) != ?"

// versionGuard fails when the schema version is no longer ?: migrations
// run once per cluster however many servers start at once.
const versionGuard = "INSERT INTO guard (ok) SELECT 0 WHERE (SELECT user_version FROM pragma_user_version) != ?"

// clusterWriteConns is how many write transactions of one server are open
// on the cluster at once. Those that read take turns (clusterMu, see
// writeClusterOnce): every operation writes to the change log, so two
// reading at once means the later commit's guard fails and it runs again,
// its round trips wasted; guards fail only between servers. Those that
// read nothing (a pull's audit rows) commit beside them.
const clusterWriteConns = 8

// maxMoves bounds how often an operation runs again because another
// writer committed first.
const maxMoves = 40

func openCluster(ctx context.Context, addr string, opts Options) (*DB, error) {
	cfg, err := rqlite.ParseURL(addr)
	if err != nil {
		return nil, invalid("", "store", "store.err.detail", "Detail", err)
	}
	conn := rqlite.NewConnector(cfg)
	w := sql.OpenDB(conn)
	w.SetMaxOpenConns(clusterWriteConns)
	w.SetMaxIdleConns(clusterWriteConns)
	r := sql.OpenDB(conn)
	r.SetMaxOpenConns(4 * readConns)
	r.SetMaxIdleConns(4 * readConns)
	db := newDB(addr, w, r, opts)
	db.cluster = conn.Client
	fail := func(err error) (*DB, error) {
		db.Close()
		return nil, err
	}
	var fk int
	if err := db.r.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return fail(fmt.Errorf("open %s: %w", addr, err))
	}
	if fk != 1 {
		return fail(fmt.Errorf("the rqlite cluster %s does not check foreign keys: start every rqlited with -fk", addr))
	}
	if opts.ReadOnly {
		if err := db.checkSchema(ctx); err != nil {
			return fail(err)
		}
		return db, nil
	}
	if !opts.Create {
		// As a file that does not exist: a cluster without the store is
		// not made into one unless asked.
		v, err := db.userVersion(ctx, db.r)
		if err != nil {
			return fail(fmt.Errorf("open %s: %w", addr, err))
		}
		if v == 0 {
			return fail(newErr(ErrNotFound, "store.err.no_cluster_store", "Addr", addr))
		}
	}
	if _, err := db.w.ExecContext(ctx, guardSchema); err != nil {
		return fail(fmt.Errorf("open %s: make the guard table: %w", addr, err))
	}
	if err := db.migrate(ctx); err != nil {
		return fail(err)
	}
	return db, nil
}

// migrateTx begins migration i's transaction: on a cluster it carries a
// guard that rolls it back when another server has migrated meanwhile.
func (db *DB) migrateTx(ctx context.Context, i int) (*sql.Tx, *rqlite.Guard, error) {
	if db.cluster == nil {
		tx, err := db.w.BeginTx(ctx, nil)
		return tx, nil, err
	}
	g := rqlite.NewGuard(rqlite.Statement{SQL: versionGuard, Args: []any{i}})
	tx, err := db.w.BeginTx(rqlite.WithGuard(ctx, g), nil)
	return tx, g, err
}

// writeCluster runs one operation on a cluster: fn in a transaction
// guarded by the change log's head, again while another writer commits
// first.
func (db *DB) writeCluster(ctx context.Context, actor Actor, op Op, fn func(t *tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.writeClusterOnce(ctx, actor, op, fn)
		if err == nil || !errors.Is(err, rqlite.ErrMoved) {
			return err
		}
		if attempt >= maxMoves {
			return driverErr(err, "store.err.driver.cluster_busy")
		}
		// A random wait, doubling up to 64 ms, so that writers that
		// collided do not collide again.
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(1)<<min(attempt, 6)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(n.Int64()+1) * time.Millisecond):
		}
	}
}

// writeClusterOnce is one attempt. It returns ErrMoved when another
// writer committed first. Its reads and commit run while no other
// operation of this server reads or commits (clusterMu, taken at its
// first read: a head read before its turn would be stale by then, and
// the attempt lost); an operation that reads nothing (audit rows) does
// not wait for a turn: it sends no guard and moves no head.
func (db *DB) writeClusterOnce(ctx context.Context, actor Actor, op Op, fn func(t *tx) error) error {
	// The head is read with the operation's first read, as the leader
	// has it ("weak": no round of heartbeats), and every later read
	// must give the same head (see rqlite.Guard.Pin). An older head (a
	// deposed leader's) only makes the guard fail at commit.
	g := rqlite.NewHeadGuard(rqlite.Statement{SQL: headQuery}, func(head int64) rqlite.Statement {
		return rqlite.Statement{SQL: headGuard, Args: []any{head}}
	}).WithTurn(&db.clusterMu)
	defer g.Release()
	err := db.writeTx(rqlite.WithGuard(ctx, g), actor, op, fn)
	if err == nil {
		return nil
	}
	if g.Moved() || errors.Is(err, rqlite.ErrMoved) {
		return fmt.Errorf("%w", rqlite.ErrMoved)
	}
	// What the cluster said, whatever the operation made of it: a
	// check that could not read says "not yours" on a store where
	// reads do not fail; here the truth is "try again".
	if lost := g.Err(); lost != nil {
		return clusterError(lost)
	}
	return clusterError(err)
}

// clusterError tells a statement's error from the cluster in the store's
// terms: a broken constraint is ErrConflict or ErrInvalid, as the
// embedded store says it (constraintFailed); a cluster that cannot be
// reached, or that did not say whether a write was applied, is a
// DriverError that is ErrUnavailable (try again: a push is idempotent by
// its key).
func clusterError(err error) error {
	var re *rqlite.Error
	var ue *rqlite.UnavailableError
	var oe *rqlite.OutcomeUnknownError
	switch {
	case errors.As(err, &oe):
		return driverErr(fmt.Errorf("%w: %w", ErrUnavailable, err), "store.err.driver.cluster_unknown")
	case errors.As(err, &ue):
		return driverErr(fmt.Errorf("%w: %w", ErrUnavailable, err), "store.err.driver.cluster_unreachable")
	case !errors.As(err, &re) || re.Constraint() == "":
		return err
	}
	table := ""
	if _, cols, ok := strings.Cut(re.Msg, "constraint failed: "); ok {
		if t, _, ok := strings.Cut(cols, "."); ok && t != "" {
			table = t
		}
	}
	if e := constraintFailed(table, "", re.Constraint(), re.Msg); e != nil {
		return e
	}
	return err
}

// ClusterStats is what the store sent to its cluster so far, by path and
// query (nil on a file): for profiling.
func (db *DB) ClusterStats() map[string]rqlite.PathStats {
	if db.cluster == nil {
		return nil
	}
	return db.cluster.Stats()
}

// BeginLogRead begins a read-only transaction of records and the change
// log (a pull). On a cluster its reads are monotonic (rqlite's
// WithMonotonicReads, pinned to the change log's head: every record is
// written with a change row): the first linearizable, the others weak
// reads, a round of heartbeats cheaper each.
func (db *DB) BeginLogRead(ctx context.Context) (*sql.Tx, error) {
	if db.cluster != nil {
		ctx = rqlite.WithMonotonicReads(ctx, rqlite.Statement{SQL: headQuery})
	}
	return db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}
