package rqlite

import (
	"context"
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Connector is a cluster as a database/sql connector: sql.OpenDB(c).
type Connector struct{ Client *Client }

// NewConnector makes a connector for a cluster.
func NewConnector(c Config) *Connector { return &Connector{Client: NewClient(c)} }

// Connect makes a connection; connections hold no socket of their own
// (the client's HTTP pool is shared), only the state of a transaction.
func (c *Connector) Connect(context.Context) (driver.Conn, error) {
	return &conn{cl: c.Client}, nil
}

// Driver is the connector's driver.
func (c *Connector) Driver() driver.Driver { return drv{} }

type drv struct{}

func (drv) Open(name string) (driver.Conn, error) {
	cfg, err := ParseURL(name)
	if err != nil {
		return nil, err
	}
	return &conn{cl: NewClient(cfg)}, nil
}

type guardKey struct{}

// Guard is a statement that must fail (a CHECK constraint, say) when the
// state a transaction depends on has moved.
type Guard struct {
	stmt Statement
	pin  *Statement // a read of the value the guard checks
	want int64
	// of makes the guard for a value read with the transaction's first
	// read (NewHeadGuard); nil when the value is given.
	of    func(v int64) Statement
	known bool // want (and stmt) are known
	// turn is taken before the value is read (WithTurn); held says it is.
	turn  sync.Locker
	held  bool
	moved atomic.Bool
	mu    sync.Mutex
	err   error
}

// NewGuard makes a guard of a statement.
func NewGuard(st Statement) *Guard { return &Guard{stmt: st, known: true} }

// NewHeadGuard makes a pinned guard (see Pin) whose value is not read
// beforehand: the transaction's first read is sent with read, and the
// value it gives is the one the guard (of(value)) checks at commit and the
// other reads must give. Such a transaction makes no request of its own
// for the value (unless it writes before it reads anything).
func NewHeadGuard(read Statement, of func(v int64) Statement) *Guard {
	return &Guard{pin: &read, of: of}
}

// Pin makes the transaction's reads cheap: they are "weak" reads (the
// leader's own state, no round of heartbeats), each sent together with
// read, in one read transaction, and the answer counts only when read
// gives want, the value the guard checks at commit. A read of an older
// or newer state than the one the guard will accept fails with ErrMoved
// at once. With the guard, every read of the transaction and its commit
// are then of one state.
func (g *Guard) Pin(read Statement, want int64) *Guard {
	g.pin, g.want, g.known = &read, want, true
	return g
}

// WithTurn makes a head guard take l before its value is read, and keep
// it until Release: the writers that share l then read and commit one
// after the other (a value read while another of them commits is stale by
// the commit), while a transaction that reads nothing (and so sends no
// guard) never waits for the others.
func (g *Guard) WithTurn(l sync.Locker) *Guard {
	g.turn = l
	return g
}

// Release gives back the turn, if it was taken.
func (g *Guard) Release() {
	if g.held {
		g.held = false
		g.turn.Unlock()
	}
}

func (g *Guard) take() {
	if g.turn != nil && !g.held && !g.known {
		g.turn.Lock()
		g.held = true
	}
}

// pinValue reads the value of a pin out of a batch's answer (-1: none).
func pinValue(r Result) int64 {
	var got int64 = -1
	if len(r.Values) == 1 && len(r.Values[0]) == 1 {
		if n, ok := r.Values[0][0].(json.Number); ok {
			got, _ = n.Int64()
		}
	}
	return got
}

// learn sets a head guard's value.
func (g *Guard) learn(v int64) {
	g.want, g.stmt, g.known = v, g.of(v), true
}

// ready makes sure the guard's statement is known: a head guard whose
// transaction has read nothing yet reads its value now.
func (t *tx) readyGuard() error {
	g := t.guard
	if g == nil || g.known {
		return nil
	}
	g.take()
	res, err := t.c.cl.Request(t.ctx, "/db/query", "level=weak", []Statement{*g.pin})
	if err != nil {
		t.lost(err)
		return err
	}
	if err := one(res, 1); err != nil {
		t.lost(err)
		return err
	}
	v := pinValue(res[0])
	if v < 0 {
		err := fmt.Errorf("rqlite: the guard's value reads %v", res[0].Values)
		t.lost(err)
		return err
	}
	g.learn(v)
	return nil
}

// Moved says whether the guard failed in a transaction it was sent with,
// whatever the caller made of the error.
func (g *Guard) Moved() bool { return g.moved.Load() }

// Err is the first error the cluster gave the transaction that was not
// the answer to one of the caller's own reads: a cluster that could not
// be reached, or a buffered write that failed (reported by whatever
// statement came next). The caller may have read it as something else
// ("not found"); this is what happened.
func (g *Guard) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

func (g *Guard) fail(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
}

// WithGuard makes the write transactions begun with ctx send g first in
// each of their batches; when it fails, the transaction's statements and
// its commit fail with ErrMoved.
func WithGuard(ctx context.Context, g *Guard) context.Context {
	return context.WithValue(ctx, guardKey{}, g)
}

type monotonicKey struct{}

// WithMonotonicReads makes a read-only transaction begun with ctx read
// cheaply: its first read is linearizable, its later ones "weak" (the
// leader's own state, no round of heartbeats), each sent with pin in one
// read transaction. pin must give a number that never decreases and that
// moves with every write the transaction's reads depend on (the change
// log's head, for reads of records that are written only with a change
// row). A read whose pin is below the highest the transaction has seen
// came from a node behind it and is sent again, linearizable.
//
// Why that is enough. A weak read is answered from the leader's state,
// which has every write acknowledged so far: rqlite applies an entry on
// the leader before it answers the write. It can be older only on a
// leader deposed without knowing it yet (a network split, for about a
// lease); a follower forwards weak reads to the leader it knows. The
// first read, linearizable, gives a state at least as new as any write
// acknowledged before the transaction began; every later read is of a
// state whose pin is at least that high, so at least as new for what the
// reads depend on: the reads of the transaction are monotonic, as
// linearizable reads are (a later read never sees less than an earlier
// one), which is all a reader without a snapshot across statements may
// rely on (see docs/operations.md, the pull). What is given up: a later
// read may lag the newest state by the writes committed since the first
// read, as it could anyway (they came during the transaction).
func WithMonotonicReads(ctx context.Context, pin Statement) context.Context {
	return context.WithValue(ctx, monotonicKey{}, &pin)
}

type conn struct {
	cl *Client
	tx *tx
}

// tx is a write transaction: its writes, buffered, and the answers known
// so far (results[i] is the answer to writes[i] once a batch carried it).
type tx struct {
	c        *conn
	ctx      context.Context
	readOnly bool
	guard    *Guard
	writes   []Statement
	results  []*Result
	tables   map[string]bool // the tables the writes write
	err      error           // a statement failed: the transaction is lost
	done     bool
	// mono: the read-only transaction's reads are monotonic (see
	// WithMonotonicReads); floor is the highest pin value read, seen
	// whether one was.
	mono  *Statement
	floor int64
	seen  bool
}

var (
	_ driver.ConnBeginTx                    = (*conn)(nil)
	_ driver.ExecerContext                  = (*conn)(nil)
	_ driver.QueryerContext                 = (*conn)(nil)
	_ driver.ConnPrepareContext             = (*conn)(nil)
	_ driver.Pinger                         = (*conn)(nil)
	_ driver.NamedValueChecker              = (*conn)(nil)
	_ driver.StmtExecContext                = (*stmt)(nil)
	_ driver.StmtQueryContext               = (*stmt)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	if err := refuse(query); err != nil {
		return nil, err
	}
	return &stmt{c: c, query: query}, nil
}

func (c *conn) Close() error { return nil }

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.tx != nil {
		return nil, errors.New("rqlite: a transaction is already open on this connection")
	}
	t := &tx{c: c, ctx: context.WithoutCancel(ctx), readOnly: opts.ReadOnly}
	if g, ok := ctx.Value(guardKey{}).(*Guard); ok && !opts.ReadOnly {
		t.guard = g
	}
	if pin, ok := ctx.Value(monotonicKey{}).(*Statement); ok && opts.ReadOnly {
		t.mono = pin
	}
	c.tx = t
	return t, nil
}

func (c *conn) Ping(ctx context.Context) error { return c.cl.Ping(ctx) }

// CheckNamedValue takes the values database/sql's default converter
// takes, and keeps them as they are for args().
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return err
	}
	nv.Value = v
	return nil
}

// refuse turns away the statements that would break the cluster's own
// transactions: the driver makes the transactions.
func refuse(query string) error {
	switch firstWord(query) {
	case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return fmt.Errorf("rqlite: %s is not sent to a cluster: use database/sql transactions", firstWord(query))
	}
	return nil
}

func firstWord(query string) string {
	q := strings.TrimSpace(query)
	for strings.HasPrefix(q, "--") {
		_, q, _ = strings.Cut(q, "\n")
		q = strings.TrimSpace(q)
	}
	end := strings.IndexFunc(q, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
	if end < 0 {
		end = len(q)
	}
	return strings.ToUpper(q[:end])
}

// isRead says whether a statement only reads (it may then be answered
// outside the transaction's batch when nothing is buffered).
func isRead(query string) bool {
	switch firstWord(query) {
	case "SELECT", "EXPLAIN", "VALUES":
		return true
	case "WITH":
		switch mainVerb(query) {
		case "SELECT", "VALUES":
			return true
		}
		return false
	case "PRAGMA":
		return !strings.Contains(query, "=")
	}
	return false
}

// mainVerb is the statement a WITH clause leads to: the first of SELECT,
// VALUES, INSERT, REPLACE, UPDATE or DELETE outside parentheses, quotes
// and comments ("" when there is none). The common table expressions are
// all in parentheses, so that a WITH ... SELECT whose expressions write
// nothing, or name a column updated_at, is a read.
func mainVerb(query string) string {
	depth := 0
	for i := 0; i < len(query); {
		ch := query[i]
		switch {
		case ch == '\'' || ch == '"' || ch == '`' || ch == '[':
			end := ch
			if ch == '[' {
				end = ']'
			}
			j := strings.IndexByte(query[i+1:], end)
			if j < 0 {
				return ""
			}
			i += j + 2
		case ch == '-' && strings.HasPrefix(query[i:], "--"):
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				return ""
			}
			i += j + 1
		case ch == '/' && strings.HasPrefix(query[i:], "/*"):
			j := strings.Index(query[i+2:], "*/")
			if j < 0 {
				return ""
			}
			i += j + 4
		case ch == '(':
			depth++
			i++
		case ch == ')':
			depth--
			i++
		case ch == '_' || 'a' <= ch|0x20 && ch|0x20 <= 'z':
			j := i
			for j < len(query) && (query[j] == '_' || 'a' <= query[j]|0x20 && query[j]|0x20 <= 'z' || '0' <= query[j] && query[j] <= '9') {
				j++
			}
			if depth == 0 {
				switch w := strings.ToUpper(query[i:j]); w {
				case "SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE":
					return w
				}
			}
			i = j
		default:
			i++
		}
	}
	return ""
}

func args(nv []driver.NamedValue) ([]any, error) {
	out := make([]any, len(nv))
	for i, v := range nv {
		if v.Name != "" {
			return nil, fmt.Errorf("rqlite: named argument %s: use positional ones", v.Name)
		}
		switch x := v.Value.(type) {
		case time.Time:
			out[i] = x.Format("2006-01-02 15:04:05.999999999-07:00")
		case []byte:
			out[i] = string(x)
		case bool:
			if x {
				out[i] = 1
			} else {
				out[i] = 0
			}
		default:
			out[i] = x
		}
	}
	return out, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, nv []driver.NamedValue) (driver.Result, error) {
	if err := refuse(query); err != nil {
		return nil, err
	}
	a, err := args(nv)
	if err != nil {
		return nil, err
	}
	st := Statement{SQL: query, Args: a}
	if c.tx != nil {
		return c.tx.exec(st)
	}
	res, err := c.cl.Request(ctx, "/db/execute", "", []Statement{st})
	if err != nil {
		return nil, err
	}
	if isDDL(query) {
		c.cl.schema.forget()
	}
	if err := one(res, 1); err != nil {
		return nil, err
	}
	return result{res[0].LastInsertID, res[0].RowsAffected}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, nv []driver.NamedValue) (driver.Rows, error) {
	if err := refuse(query); err != nil {
		return nil, err
	}
	a, err := args(nv)
	if err != nil {
		return nil, err
	}
	st := Statement{SQL: query, Args: a}
	if c.tx != nil && !c.tx.readOnly {
		return c.tx.query(ctx, st)
	}
	if c.tx != nil && c.tx.mono != nil && isRead(query) {
		return c.tx.monotonic(ctx, st)
	}
	if !isRead(query) {
		// A write that returns rows (RETURNING), alone.
		res, err := c.cl.Request(ctx, "/db/execute", "", []Statement{st})
		if err != nil {
			return nil, err
		}
		if err := one(res, 1); err != nil {
			return nil, err
		}
		return newRows(res[0]), nil
	}
	res, err := c.cl.Request(ctx, "/db/query", c.cl.readQ, []Statement{st})
	if err != nil {
		return nil, err
	}
	if err := one(res, 1); err != nil {
		return nil, err
	}
	return newRows(res[0]), nil
}

// one checks a batch's answer: n results, none an error.
func one(res []Result, n int) error {
	if len(res) != n {
		for i := range res {
			if res[i].Error != "" {
				return &Error{Msg: res[i].Error, Index: i}
			}
		}
		return fmt.Errorf("rqlite: %d statements got %d answers", n, len(res))
	}
	for i := range res {
		if res[i].Error != "" {
			return &Error{Msg: res[i].Error, Index: i}
		}
	}
	return nil
}

// exec buffers a write; its result is known when asked for.
func (t *tx) exec(st Statement) (driver.Result, error) {
	if err := t.usable(); err != nil {
		return nil, err
	}
	if t.readOnly {
		return nil, errors.New("rqlite: a write in a read-only transaction")
	}
	t.add(st)
	return &lazyResult{t: t, i: len(t.writes) - 1}, nil
}

// add buffers a write.
func (t *tx) add(st Statement) {
	t.writes = append(t.writes, st)
	t.results = append(t.results, nil)
	if t.tables == nil {
		t.tables = map[string]bool{}
	}
	t.c.cl.schema.written(t.ctx, t.c.cl, target(st.SQL), t.tables)
}

// lost notes on the guard an error that loses the transaction.
func (t *tx) lost(err error) {
	if t.guard != nil {
		t.guard.fail(err)
	}
}

func (t *tx) usable() error {
	if t.done {
		return driver.ErrBadConn
	}
	return t.err
}

// query answers a statement inside a write transaction.
func (t *tx) query(ctx context.Context, st Statement) (driver.Rows, error) {
	if err := t.usable(); err != nil {
		return nil, err
	}
	if isRead(st.SQL) && !names(st.SQL, t.tables) {
		// Nothing of the transaction's own to see: the cluster's state
		// is the transaction's (the guard checks at commit that it
		// still is).
		if t.guard != nil && t.guard.pin != nil {
			return t.pinned(ctx, st)
		}
		res, err := t.c.cl.Request(ctx, "/db/query", t.c.cl.readQ, []Statement{st})
		if err != nil {
			t.lost(err)
			return nil, err
		}
		if err := one(res, 1); err != nil {
			return nil, err
		}
		return newRows(res[0]), nil
	}
	if isRead(st.SQL) {
		r, err := t.probe(len(t.writes), &st)
		if err != nil {
			return nil, err
		}
		return newRows(*r), nil
	}
	// A write that returns rows: buffered like any write, answered now.
	t.add(st)
	if _, err := t.probe(len(t.writes), nil); err != nil {
		return nil, err
	}
	return newRows(*t.results[len(t.writes)-1]), nil
}

// monotonic answers a read of a read-only transaction begun with
// WithMonotonicReads.
func (t *tx) monotonic(ctx context.Context, st Statement) (driver.Rows, error) {
	if t.done {
		return nil, driver.ErrBadConn
	}
	q := "level=weak&transaction"
	if !t.seen && t.c.cl.readQ != "level=weak" {
		q = "level=linearizable&transaction"
	}
	for {
		res, err := t.c.cl.Request(ctx, "/db/query", q, []Statement{*t.mono, st})
		if err != nil {
			return nil, err
		}
		if err := one(res, 2); err != nil {
			var e *Error
			if errors.As(err, &e) && e.Index == 1 {
				e.Index = 0
			}
			return nil, err
		}
		v := pinValue(res[0])
		if v < t.floor && q != "level=linearizable&transaction" {
			// A node behind what this transaction has seen.
			q = "level=linearizable&transaction"
			continue
		}
		t.floor, t.seen = max(t.floor, v), true
		return newRows(res[1]), nil
	}
}

// pinned answers a read with the guard's pin (see Guard.Pin).
func (t *tx) pinned(ctx context.Context, st Statement) (driver.Rows, error) {
	t.guard.take()
	res, err := t.c.cl.Request(ctx, "/db/query", "level=weak&transaction", []Statement{*t.guard.pin, st})
	if err != nil {
		t.lost(err)
		return nil, err
	}
	if len(res) != 2 {
		return nil, one(res, 2)
	}
	if res[0].Error != "" {
		err := &Error{Msg: res[0].Error, Index: 0}
		t.lost(err)
		return nil, err
	}
	got := pinValue(res[0])
	if !t.guard.known && got >= 0 {
		// The first read: its state is the transaction's.
		t.guard.learn(got)
	}
	if got != t.guard.want {
		t.guard.moved.Store(true)
		t.err = fmt.Errorf("%w (read at %d, the transaction began at %d)", ErrMoved, got, t.guard.want)
		return nil, t.err
	}
	if res[1].Error != "" {
		return nil, &Error{Msg: res[1].Error, Index: 1}
	}
	return newRows(res[1]), nil
}

// failing is the last statement of a probe: it always fails, so that the
// probe is rolled back. It must fail when it runs, not when it is
// prepared: rqlite v8's /db/request skips a statement that does not
// prepare and commits the rest of a transaction (checked on v8.43.4),
// where a failure while running rolls the whole batch back.
var failing = Statement{SQL: "SELECT abs(-9223372036854775808)"}

// probe sends, as one transaction that is rolled back, the guard, the
// first n buffered writes, extra (when given) and a failing statement,
// keeps the writes' answers and returns extra's.
func (t *tx) probe(n int, extra *Statement) (*Result, error) {
	if err := t.readyGuard(); err != nil {
		return nil, err
	}
	batch := make([]Statement, 0, n+3)
	off := 0
	if t.guard != nil {
		batch = append(batch, t.guard.stmt)
		off = 1
	}
	batch = append(batch, t.writes[:n]...)
	if extra != nil {
		batch = append(batch, *extra)
	}
	batch = append(batch, failing)
	// Always rolled back: safe to send to another node when the answer
	// is lost.
	res, err := t.c.cl.request(t.ctx, "/db/request", "transaction", batch, true)
	if err != nil {
		t.lost(err)
		return nil, err
	}
	if err := t.take(res, off, n); err != nil {
		return nil, err
	}
	if extra == nil {
		return nil, nil
	}
	i := off + n
	if i >= len(res) {
		return nil, fmt.Errorf("rqlite: %d statements got %d answers", len(batch), len(res))
	}
	if res[i].Error != "" {
		return nil, &Error{Msg: res[i].Error, Index: i}
	}
	return &res[i], nil
}

// take reads a batch's answers to the guard and the first n writes: a
// failed guard is ErrMoved, a failed write loses the transaction.
func (t *tx) take(res []Result, off, n int) error {
	if off == 1 && len(res) > 0 && res[0].Error != "" {
		t.guard.moved.Store(true)
		t.err = fmt.Errorf("%w (%s)", ErrMoved, res[0].Error)
		return t.err
	}
	for i := 0; i < n; i++ {
		if off+i >= len(res) {
			return fmt.Errorf("rqlite: %d writes got %d answers", n, len(res)-off)
		}
		r := res[off+i]
		if r.Error != "" {
			t.err = &Error{Msg: r.Error, Index: i}
			t.lost(t.err)
			return t.err
		}
		t.results[i] = &r
	}
	return nil
}

func (t *tx) Commit() error {
	defer t.end()
	if t.done {
		return driver.ErrBadConn
	}
	if t.err != nil {
		return t.err
	}
	if t.readOnly || len(t.writes) == 0 {
		return nil
	}
	batch := make([]Statement, 0, len(t.writes)+1)
	off := 0
	// A head guard whose transaction read nothing has nothing to check:
	// its writes depend on no state read (an audit row, say), and the
	// commit is atomic by itself.
	if t.guard != nil && t.guard.known {
		batch = append(batch, t.guard.stmt)
		off = 1
	}
	batch = append(batch, t.writes...)
	// /db/execute, not /db/request: a statement that does not prepare
	// rolls the batch back there (see failing). Execute applies it at
	// most once, and says whether it was when the answer is lost.
	res, err := t.c.cl.Execute(t.ctx, batch)
	if err != nil {
		t.lost(err)
		return err
	}
	if res != nil {
		if err := t.take(res, off, len(t.writes)); err != nil {
			return err
		}
	}
	for _, w := range t.writes {
		if isDDL(w.SQL) {
			t.c.cl.schema.forget()
			break
		}
	}
	return nil
}

func (t *tx) Rollback() error {
	t.end()
	return nil
}

func (t *tx) end() {
	if !t.done {
		t.done = true
		t.c.tx = nil
		// The turn ends with the transaction: what the caller does next
		// (database/sql preparing statements on another connection, say)
		// must not wait with it held.
		if t.guard != nil {
			t.guard.Release()
		}
	}
}

type result struct{ id, n int64 }

func (r result) LastInsertId() (int64, error) { return r.id, nil }
func (r result) RowsAffected() (int64, error) { return r.n, nil }

// lazyResult is a buffered write's result, asked of the cluster when the
// caller wants it.
type lazyResult struct {
	t *tx
	i int
}

func (r *lazyResult) get() (*Result, error) {
	if res := r.t.results[r.i]; res != nil {
		return res, nil
	}
	if r.t.done {
		return nil, errors.New("rqlite: the result of a write asked after its transaction ended")
	}
	if err := r.t.usable(); err != nil {
		return nil, err
	}
	if _, err := r.t.probe(r.i+1, nil); err != nil {
		return nil, err
	}
	return r.t.results[r.i], nil
}

func (r *lazyResult) LastInsertId() (int64, error) {
	res, err := r.get()
	if err != nil {
		return 0, err
	}
	return res.LastInsertID, nil
}

func (r *lazyResult) RowsAffected() (int64, error) {
	res, err := r.get()
	if err != nil {
		return 0, err
	}
	return res.RowsAffected, nil
}

type stmt struct {
	c     *conn
	query string
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(a []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(a))
}

func (s *stmt) Query(a []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(a))
}

func (s *stmt) ExecContext(ctx context.Context, nv []driver.NamedValue) (driver.Result, error) {
	return s.c.ExecContext(ctx, s.query, nv)
}

func (s *stmt) QueryContext(ctx context.Context, nv []driver.NamedValue) (driver.Rows, error) {
	return s.c.QueryContext(ctx, s.query, nv)
}

func named(a []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(a))
	for i, v := range a {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv
}

type rows struct {
	r Result
	i int
}

func newRows(r Result) *rows { return &rows{r: r} }

func (r *rows) Columns() []string { return r.r.Columns }
func (r *rows) Close() error      { return nil }

func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if i < len(r.r.Types) {
		return strings.ToUpper(r.r.Types[i])
	}
	return ""
}

func (r *rows) Next(dest []driver.Value) error {
	if r.i >= len(r.r.Values) {
		return io.EOF
	}
	row := r.r.Values[r.i]
	r.i++
	for j := range dest {
		var v any
		if j < len(row) {
			v = row[j]
		}
		typ := ""
		if j < len(r.r.Types) {
			typ = strings.ToLower(r.r.Types[j])
		}
		dest[j] = value(v, typ)
	}
	return nil
}

// value turns a JSON value of rqlite's answer into what SQLite's own
// driver gives: int64, float64, string, []byte or nil.
func value(v any, typ string) driver.Value {
	switch x := v.(type) {
	case nil:
		return nil
	case json.Number:
		if strings.Contains(typ, "real") || strings.Contains(typ, "floa") || strings.Contains(typ, "doub") {
			f, _ := x.Float64()
			return f
		}
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case string:
		if typ == "blob" {
			if b, err := base64.StdEncoding.DecodeString(x); err == nil {
				return b
			}
		}
		return x
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
