package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// Group commit. A store that serves many writers at once (the sync
// server) commits the operations that arrive together in one transaction:
// one writer takes every operation waiting, applies each inside its own
// savepoint, commits once and then answers each caller. The durable
// commit (the fsync) is the cost that dominates a small write; a group
// shares it.
//
// Nothing an operation checks is weakened: each one runs exactly as it
// would alone (validation, version checks, the caller's check, the write
// hooks) inside the write transaction, and sees the operations before it
// in the group as committed state, in the order they are applied, which
// is their order in the change log. An operation that fails is rolled
// back to its savepoint and its caller gets its own error; the others go
// on. No caller hears anything before the commit: when the commit fails,
// every operation of the group fails with it and nothing is acknowledged.
//
// The design needs no more of the engine than a transaction with
// savepoints: a batch of "check, apply, keep or undo" units in order,
// committed once. On an engine without savepoints a group degrades to
// groups of one.

// DefaultGroupSize is the most operations one group commit takes.
const DefaultGroupSize = 64

// GroupStats counts what group commit did: operations applied through it
// (applied or refused), the transactions they were committed in, and the
// operations waiting for the next group now.
type GroupStats struct {
	Ops, Groups int64
	Waiting     int
}

type committer struct {
	db      *DB
	max     int
	mu      sync.Mutex
	queue   []*groupReq
	running bool
	ops     atomic.Int64
	groups  atomic.Int64
}

type groupReq struct {
	ctx   context.Context
	actor Actor
	op    Op
	fn    func(t *tx) error
	err   error
	done  chan struct{}
}

// EnableGroupCommit makes Apply and ApplyChecked commit concurrent
// operations together, at most max (DefaultGroupSize when max <= 0) in
// one transaction. Operations that arrive alone still commit alone, at
// once: a group is whatever waited while the previous one committed.
// Call it before the store is used concurrently.
//
// On an rqlite cluster it does nothing: every operation is an rqlite
// transaction of its own (the cluster has no savepoints across requests).
func (db *DB) EnableGroupCommit(max int) {
	if db.cluster != nil {
		return
	}
	if max <= 0 {
		max = DefaultGroupSize
	}
	db.group = &committer{db: db, max: max}
}

// GroupCommitStats reports what group commit did so far (zero when it is
// off).
func (db *DB) GroupCommitStats() GroupStats {
	if db.group == nil {
		return GroupStats{}
	}
	c := db.group
	c.mu.Lock()
	waiting := len(c.queue)
	c.mu.Unlock()
	return GroupStats{Ops: c.ops.Load(), Groups: c.groups.Load(), Waiting: waiting}
}

// applyOp writes one operation: through the group committer when it is
// on, else in a transaction of its own.
func (db *DB) applyOp(ctx context.Context, actor Actor, op Op, fn func(t *tx) error) error {
	if db.group == nil || db.readOnly {
		return db.write(ctx, actor, op, fn)
	}
	return db.group.submit(ctx, actor, op, fn)
}

// submit queues an operation and waits for its group to commit (or
// fail). The wait is not cut short by ctx: once queued, an operation's
// outcome is known only after its group, and the caller must not report
// "not applied" for an operation that then commits. An operation whose
// ctx has ended before its turn is not applied.
//
// A caller that finds no group being committed commits one itself (with
// whatever waits by then), so that a write alone costs no hand-over to
// another goroutine; what queued meanwhile is handed to a goroutine of its
// own once the caller's operation is done.
func (c *committer) submit(ctx context.Context, actor Actor, op Op, fn func(t *tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &groupReq{ctx: ctx, actor: actor, op: op, fn: fn, done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, r)
	lead := !c.running
	c.running = true
	c.mu.Unlock()
	if lead {
		c.loop(r)
	}
	<-r.done
	return r.err
}

// loop commits groups while operations wait. With own, it returns once
// own is done, handing what still waits to a new goroutine.
func (c *committer) loop(own *groupReq) {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		if own != nil && isDone(own) {
			c.mu.Unlock()
			go c.loop(nil)
			return
		}
		n := min(len(c.queue), c.max)
		batch := c.queue[:n:n]
		c.queue = append([]*groupReq(nil), c.queue[n:]...)
		c.mu.Unlock()
		c.commit(batch)
		c.ops.Add(int64(len(batch)))
		c.groups.Add(1)
		for _, r := range batch {
			close(r.done)
		}
	}
}

func isDone(r *groupReq) bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// commit applies a group in one transaction, each operation in its own
// savepoint, and sets every request's error.
func (c *committer) commit(batch []*groupReq) {
	db := c.db
	ctx := context.Background()
	fail := func(err error) {
		for _, r := range batch {
			r.err = err
		}
	}
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		fail(driverFail("begin write", err))
		return
	}
	stmts := map[string]*sql.Stmt{}
	defer db.endStmts(stmts)
	// A panic in an operation fails its group (the callers wait on it,
	// and the write connection must be given back), not the process.
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			fail(fmt.Errorf("write failed: %v", p))
		}
	}()
	// g runs the savepoints, through statements kept prepared.
	g := &tx{ctx: ctx, tx: sqlTx, db: db, stmts: stmts}
	var kept []*tx
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if len(batch) == 1 {
			// Alone: the transaction is the operation's.
			t := &tx{ctx: context.WithoutCancel(r.ctx), tx: sqlTx, db: db, now: db.Now(), actor: r.actor, stmts: stmts}
			if r.err = t.run(r.op, r.fn); r.err == nil {
				kept = append(kept, t)
			}
			break
		}
		if _, err := g.exec("SAVEPOINT op"); err != nil {
			sqlTx.Rollback()
			fail(driverFail("begin write", err))
			return
		}
		// The operation's statements do not end with its caller's
		// context: an interrupted write would roll back the whole group.
		t := &tx{ctx: context.WithoutCancel(r.ctx), tx: sqlTx, db: db, now: db.Now(), actor: r.actor, stmts: stmts}
		if err := t.run(r.op, r.fn); err != nil {
			r.err = err
			// Some driver errors (a full disk, an I/O error) end the
			// whole transaction; then the savepoint is gone and the
			// group fails.
			if _, err2 := g.exec("ROLLBACK TO op"); err2 != nil {
				sqlTx.Rollback()
				fail(fmt.Errorf("%w (%s)", err, driverFail("roll back a refused operation", err2)))
				return
			}
		}
		if _, err := g.exec("RELEASE op"); err != nil {
			sqlTx.Rollback()
			fail(driverFail("release a savepoint", err))
			return
		}
		if r.err == nil {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		fail(driverFail("commit", err))
		return
	}
	for _, t := range kept {
		db.defs.publish(t.defs)
	}
}
