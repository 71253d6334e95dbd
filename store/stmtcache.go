package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the write connection's statements prepared across
// transactions: a write prepares each statement it has not seen in its
// transaction, and once the transaction has ended (the one write
// connection is free again) the statement is prepared on the pool and
// kept, so that later transactions reuse it (sql.Tx.StmtContext finds it
// already prepared on the connection) instead of parsing the SQL again.
// Statement text is built from table definitions and fixed strings, never
// from values, so the set is small; it is capped all the same.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const maxCachedStmts = 1024

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.RLock()
	s := c.m[query]
	c.mu.RUnlock()
	return s
}

// learn prepares on pool the statements of a finished transaction that
// are not cached yet. It must not run while this goroutine holds a
// connection of pool.
func (c *stmtCache) learn(pool *sql.DB, stmts map[string]*sql.Stmt) {
	var missing []string
	c.mu.RLock()
	for q := range stmts {
		if _, ok := c.m[q]; !ok && len(c.m)+len(missing) < maxCachedStmts {
			missing = append(missing, q)
		}
	}
	c.mu.RUnlock()
	for _, q := range missing {
		s, err := pool.PrepareContext(context.Background(), q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		if _, ok := c.m[q]; ok || len(c.m) >= maxCachedStmts {
			s.Close()
		} else {
			c.m[q] = s
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	for _, s := range c.m {
		s.Close()
	}
	c.m = nil
	c.mu.Unlock()
}

// ReadStmt is query prepared on the read pool, kept for the store's
// lifetime (each read connection prepares it once). For queries a server
// runs on every request; query must be a fixed string.
func (db *DB) ReadStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s := db.rstmts.get(query); s != nil {
		return s, nil
	}
	s, err := db.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.rstmts.mu.Lock()
	defer db.rstmts.mu.Unlock()
	if old, ok := db.rstmts.m[query]; ok {
		s.Close()
		return old, nil
	}
	if db.rstmts.m == nil {
		db.rstmts.m = map[string]*sql.Stmt{}
	}
	if len(db.rstmts.m) < maxCachedStmts {
		db.rstmts.m[query] = s
	}
	return s, nil
}

// Querier reads and writes through a transaction or a pool.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// txQuerier is a write transaction whose statements stay prepared (see
// stmtCache). Statement texts must be fixed strings. Statements run with
// the transaction's context, whatever context they are given: in a group
// commit an operation's caller cannot interrupt a statement (which would
// roll back the whole group).
type txQuerier struct{ t *tx }

func (q txQuerier) QueryContext(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := q.t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(q.t.ctx, args...)
}

func (q txQuerier) QueryRowContext(_ context.Context, query string, args ...any) *sql.Row {
	s, err := q.t.stmt(query)
	if err != nil {
		// The transaction's own QueryRowContext carries the error.
		return q.t.tx.QueryRowContext(q.t.ctx, query, args...)
	}
	return s.QueryRowContext(q.t.ctx, args...)
}

func (q txQuerier) ExecContext(_ context.Context, query string, args ...any) (sql.Result, error) {
	s, err := q.t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(q.t.ctx, args...)
}

// readPool is the read pool with its statements kept prepared.
type readPool struct{ db *DB }

func (p readPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := p.db.ReadStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (p readPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := p.db.ReadStmt(ctx, query)
	if err != nil {
		return p.db.r.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (p readPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.r.ExecContext(ctx, query, args...)
}
