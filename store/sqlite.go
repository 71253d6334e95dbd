package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"polku/internal/i18n"
	"polku/store/rqlite"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Options configure a store. The zero value is valid: the real clock and
// random UUIDv7 ids.
type Options struct {
	// Clock returns the current time; injected so tests and the demo can
	// control it.
	Clock func() time.Time
	// Random feeds the random bits of new ids (default crypto/rand). The demo
	// passes a seeded source so that a seed always makes the same store.
	Random io.Reader
	// Create allows Open to create a store that does not exist yet.
	Create bool
	// ReadOnly opens without migrating and refuses writes.
	ReadOnly bool
	// Scratch is for a new file that is thrown away unless it is closed
	// without error (the demo builds beside its store and renames): it is
	// written with its rollback journal in memory and without syncing, and
	// made a write-ahead-log store again when it is closed. A crash leaves
	// it corrupt.
	Scratch bool
}

// DB is the SQLite store. It is safe for concurrent use: writes go through
// one connection, reads through a pool.
type DB struct {
	path      string
	w         *sql.DB
	r         *sql.DB
	clock     func() time.Time
	ids       *idGen
	readOnly  bool
	scratch   bool // Options.Scratch
	defs      *defCache
	riskCache *riskCache
	// the word lists written texts are scanned with (risk_scans)
	writeScans writeScans
	hooks      []WriteHook
	hooksMu    sync.RWMutex
	group      *committer // nil: every write is a transaction of its own
	wstmts     stmtCache  // statements kept prepared on the write connection
	rstmts     stmtCache  // and on the read pool
	// cluster is the rqlite cluster the store is on (nil: an SQLite file)
	cluster   *rqlite.Client
	clusterMu sync.Mutex // one operation of this server at a time on it
	audits    auditGroup // audit rows of concurrent pulls, written together (a cluster)
}

// WriteHook is called inside every write transaction after the operation
// wrote its rows; the sync engine uses it to add outbox rows in the same
// transaction. Returning an error rolls the write back.
type WriteHook func(ctx context.Context, tx *sql.Tx, op Op, actor Actor) error

// readConns is the size of the read pool.
const readConns = 4

// SchemaVersion is the number of the newest embedded migration.
func SchemaVersion() int {
	names, _ := migrationNames()
	return len(names)
}

func dsn(path string, readOnly, scratch bool) string {
	q := url.Values{}
	if scratch {
		q.Add("_pragma", "journal_mode(MEMORY)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	if scratch {
		q.Add("_pragma", "synchronous(OFF)")
	} else {
		q.Add("_pragma", "synchronous(FULL)")
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-8192)") // 8 MiB per reader
	} else {
		q.Set("_txlock", "immediate")
		// 64 MiB of page cache for the one writer (the default is 2 MiB):
		// big writes stay in memory until commit instead of spilling.
		q.Add("_pragma", "cache_size(-65536)")
		// Statement journals in memory, not in temp files: every insert
		// inside a big transaction would otherwise write one.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (and migrates) the store at path.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, invalid("", "db", "store.err.no_store_path_given")
	}
	if IsClusterAddr(path) {
		return openCluster(ctx, path, opts)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if !opts.Create {
			return nil, newErr(ErrNotFound, "store.err.no_store", "Path", path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create store folder: %w", err)
		}
		// Made here, private, before SQLite makes it with 0644 less the
		// umask; SQLite gives the -wal and -shm files the database's mode.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create the store file: %w", err)
		}
		if err == nil {
			f.Close()
		}
	}
	scratch := opts.Scratch && !opts.ReadOnly
	w, err := sql.Open("sqlite", dsn(path, false, scratch))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn(path, true, scratch))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	db := newDB(path, w, r, opts)
	if !opts.ReadOnly {
		if err := db.migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	} else if err := db.checkSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if !opts.ReadOnly {
		tightenModes(path)
	}
	return db, nil
}

func newDB(path string, w, r *sql.DB, opts Options) *DB {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	random := opts.Random
	if random == nil {
		random = rand.Reader
	}
	return &DB{path: path, w: w, r: r, clock: clock, ids: &idGen{r: random}, readOnly: opts.ReadOnly, scratch: opts.Scratch && !opts.ReadOnly, defs: newDefCache(), riskCache: &riskCache{}}
}

// tightenModes makes the store's files readable by their owner only
// (0600): the database, its -wal and -shm files, whatever mode they were
// made with (by an older polku, a copy or a restore). It does what it can:
// a file this user does not own keeps its mode. The folder is left as it
// is; folders polku makes are 0700.
func tightenModes(path string) {
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if st, err := os.Stat(f); err == nil && st.Mode().Perm()&0o077 != 0 {
			os.Chmod(f, 0o600)
		}
	}
}

// Close closes both connection pools.
func (db *DB) Close() error {
	db.wstmts.close()
	db.rstmts.close()
	err1 := db.r.Close()
	var err3 error
	if db.scratch && err1 == nil {
		_, err3 = db.w.Exec("PRAGMA journal_mode = WAL")
	}
	err2 := db.w.Close()
	return errors.Join(err1, err2, err3)
}

// Path is the store's file path.
func (db *DB) Path() string { return db.path }

// Now is the store's clock, truncated to what the store keeps (ms, UTC).
func (db *DB) Now() time.Time { return db.clock().UTC().Truncate(time.Millisecond) }

// NewID makes a UUIDv7 for a record written at t.
func (db *DB) NewID(t time.Time) string { return db.ids.next(t) }

// AddWriteHook registers a hook run inside every write transaction.
func (db *DB) AddWriteHook(h WriteHook) {
	db.hooksMu.Lock()
	db.hooks = append(db.hooks, h)
	db.hooksMu.Unlock()
}

// Writer exposes the single write connection pool to sibling packages
// (sync) that need their own tables in the same file.
func (db *DB) Writer() *sql.DB { return db.w }

// Reader exposes the read pool.
func (db *DB) Reader() *sql.DB { return db.r }

func migrationNames() ([]string, error) {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for i, n := range names {
		num, err := strconv.Atoi(strings.SplitN(n, "_", 2)[0])
		if err != nil || num != i+1 {
			return nil, fmt.Errorf("migration %s is out of sequence (want number %04d)", n, i+1)
		}
	}
	return names, nil
}

func (db *DB) userVersion(ctx context.Context, q querier) (int, error) {
	rows, err := q.QueryContext(ctx, "PRAGMA user_version")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	v := 0
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
	}
	return v, rows.Err()
}

func (db *DB) checkSchema(ctx context.Context) error {
	v, err := db.userVersion(ctx, db.r)
	if err != nil {
		return fmt.Errorf("read schema version of %s: %w", db.path, err)
	}
	if want := SchemaVersion(); v != want {
		return fmt.Errorf("store %s has schema %d, this polku needs %d: run 'polku init' to migrate", db.path, v, want)
	}
	return nil
}

// migrate applies every embedded migration newer than the store's
// user_version, each in its own transaction.
func (db *DB) migrate(ctx context.Context) error {
	names, err := migrationNames()
	if err != nil {
		return err
	}
	cur, err := db.userVersion(ctx, db.w)
	if err != nil {
		var de *DriverError
		if errors.As(describeDriverError(err), &de) {
			return driverErr(err, "store.err.driver.at_path", "Detail", de.Why, "Path", db.path)
		}
		return fmt.Errorf("open %s: %w", db.path, err)
	}
	if cur > len(names) {
		return driverErr(nil, "store.err.driver.schema_newer", "Path", db.path, "Schema", cur, "Known", len(names))
	}
	for i := cur; i < len(names); i++ {
		body, err := migrationFiles.ReadFile("migrations/" + names[i])
		if err != nil {
			return err
		}
		tx, guard, err := db.migrateTx(ctx, i)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", names[i], err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if i == 0 {
			now := fmtTime(db.Now())
			if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('created_at', ?), ('epoch', ?)", now, db.NewID(db.Now())); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			if guard != nil && guard.Moved() {
				// Another server on the cluster migrated meanwhile.
				return db.migrate(ctx)
			}
			return err
		}
	}
	return nil
}

// DriverError is a failure of the SQLite file itself (busy, damaged,
// full, read-only, a disk error) told in words a person can act on. The
// driver's error, with its result code, is kept in Err for errors.As and
// never shown.
type DriverError struct {
	// Why says it (store.err.driver.*), in the reader's language.
	Why i18n.Message
	Err error
}

func (e *DriverError) Error() string { return englishText(e.Why) }
func (e *DriverError) Unwrap() error { return e.Err }

// Message is what the error says, for LocalizeError.
func (e *DriverError) Message() i18n.Message { return e.Why }

func driverErr(err error, id string, kv ...any) *DriverError {
	return &DriverError{Why: i18n.Msg(id, kv...), Err: err}
}

// driverSentence is the message id of what a driver result code means for
// the person at the keyboard; "" for codes that need the caller's own
// words.
func driverSentence(se *sqlite.Error) string {
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return "store.err.driver.busy"
	case sqlite3.SQLITE_CORRUPT:
		return "store.err.driver.corrupt"
	case sqlite3.SQLITE_NOTADB:
		return "store.err.driver.not_a_db"
	case sqlite3.SQLITE_FULL:
		return "store.err.driver.full"
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		return "store.err.driver.read_only"
	case sqlite3.SQLITE_IOERR:
		return "store.err.driver.io"
	case sqlite3.SQLITE_CANTOPEN:
		return "store.err.driver.cant_open"
	}
	return ""
}

// describeDriverError tells a driver error of the store file as a
// *DriverError; any other error passes as it is.
func describeDriverError(err error) error {
	var se *sqlite.Error
	var de *DriverError
	if err == nil || errors.As(err, &de) || !errors.As(err, &se) {
		return err
	}
	if id := driverSentence(se); id != "" {
		return driverErr(err, id)
	}
	return err
}

// driverFail is what for an error of the driver: the sentence alone when
// the code is one a person can act on (the driver's words and code are
// not for a person), else "what: error".
func driverFail(what string, err error) error {
	d := describeDriverError(err)
	var de *DriverError
	if errors.As(d, &de) {
		return d
	}
	return fmt.Errorf("%s: %w", what, err)
}

// ExplainError is err's text with a driver error in it (however it was
// wrapped) replaced by what it means for the person at the keyboard, and
// without the driver's result codes ("(5)", "(SQLITE_BUSY)"), in p's
// language. A DriverError is left as it is (LocalizeError says it).
// Commands print errors through it.
func ExplainError(p *i18n.Printer, err error) string {
	msg := err.Error()
	var de *DriverError
	if errors.As(err, &de) {
		return msg
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return msg
	}
	raw := se.Error()
	id := driverSentence(se)
	if id == "" {
		id = "store.err.driver.unknown"
	}
	s := RenderMessage(p, i18n.Msg(id))
	if i := strings.Index(msg, raw); i >= 0 {
		return msg[:i] + s + msg[i+len(raw):]
	}
	return s
}

// Meta returns a value of the store's meta table ("epoch", "created_at").
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("meta", key)
	}
	return v, err
}

// SetMeta stores a value in the store's meta table.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := db.w.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// LastSeq is the newest change-log sequence number; the TUI polls it to
// notice writes made by other processes.
func (db *DB) LastSeq(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	err := db.r.QueryRowContext(ctx, "SELECT MAX(seq) FROM changes").Scan(&seq)
	return seq.Int64, err
}

// tx is one write transaction: the operation's rows, their change-log rows
// and the hooks commit or roll back together.
type tx struct {
	ctx   context.Context
	tx    *sql.Tx
	db    *DB
	now   time.Time
	actor Actor
	stmts map[string]*sql.Stmt
	// change-log rows not yet written, changeCols values each
	pending []any
	// definitions parsed in this transaction, cached when it commits
	defs *txDefs
	// the word lists this transaction's texts are scanned with, and the
	// risk_scans rows not yet written, riskScanCols values each
	words *scanWords
	scans []any
}

func (t *tx) stmt(query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if p := t.db.wstmts.get(query); p != nil {
		s = t.tx.StmtContext(t.ctx, p)
	} else {
		var err error
		if s, err = t.tx.PrepareContext(t.ctx, query); err != nil {
			return nil, err
		}
	}
	t.stmts[query] = s
	return s, nil
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(t.ctx, args...)
}

// insert writes a new record and its change-log row.
func (t *tx) insert(tb *table, rec any, id, patientID string) error {
	args, err := tb.args(rec)
	if err != nil {
		return err
	}
	if _, err := t.exec(tb.insert, args...); err != nil {
		return t.db.constraintError(tb.name, id, err)
	}
	if err := t.keepScan(rec); err != nil {
		return err
	}
	return t.changed(tb.name, id, patientID, "insert")
}

// changed appends a change-log row. Rows are buffered and written in
// multi-row inserts (a big import writes one per record); the buffer is
// flushed before the transaction's hooks run and before it commits.
func (t *tx) changed(entity, id, patientID, op string) error {
	t.pending = append(t.pending, fmtTime(t.now), t.actor.ID, entity, id, patientID, op)
	if len(t.pending) >= changeBatch*changeCols {
		return t.flushChanges()
	}
	return nil
}

const (
	changeCols  = 6
	changeBatch = 128
)

func (t *tx) flushChanges() error {
	for len(t.pending) > 0 {
		n := min(len(t.pending)/changeCols, changeBatch)
		query := "INSERT INTO changes (at, actor_id, entity, entity_id, patient_id, op) VALUES (?, ?, ?, ?, ?, ?)" +
			strings.Repeat(", (?, ?, ?, ?, ?, ?)", n-1)
		if _, err := t.exec(query, t.pending[:n*changeCols]...); err != nil {
			return err
		}
		t.pending = t.pending[n*changeCols:]
	}
	t.pending = t.pending[:0]
	return t.flushScans()
}

// isUniqueViolation says whether err is a statement's failure on a
// primary key or a unique index.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

func (db *DB) constraintError(tableName, id string, err error) error {
	// The driver's text (SQL terms, result codes) stays out of the error:
	// it reaches screens and HTTP answers. The columns of a unique
	// constraint are named, as fields.
	var se *sqlite.Error
	if errors.As(err, &se) {
		kind := ""
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			kind = "PRIMARY KEY"
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			kind = "UNIQUE"
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			kind = "FOREIGN KEY"
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			kind = "CHECK"
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			kind = "NOT NULL"
		}
		if e := constraintFailed(tableName, id, kind, se.Error()); e != nil {
			return e
		}
	}
	var re *rqlite.Error
	if errors.As(err, &re) {
		if e := constraintFailed(tableName, id, re.Constraint(), re.Msg); e != nil {
			return e
		}
	}
	return err
}

// constraintFailed is a broken constraint in the store's terms, the one
// wording of the file and the cluster: table and id name the record
// written (table "" and id "": not known; id "": a record of table), kind
// SQLite's name of the constraint (PRIMARY KEY, UNIQUE, FOREIGN KEY,
// CHECK, NOT NULL), msg SQLite's message (for a unique constraint's
// columns). nil for another kind.
func constraintFailed(table, id, kind, msg string) error {
	if kind == "UNIQUE" && uniqueColumns(msg) == "id" {
		kind = "PRIMARY KEY"
	}
	if id != "" {
		switch kind {
		case "PRIMARY KEY":
			return newErr(ErrConflict, "store.err.row_exists", "Table", table, "ID", id)
		case "UNIQUE":
			return newErr(ErrConflict, "store.err.row_unique", "Table", table, "ID", id, "Columns", uniqueColumns(msg))
		case "FOREIGN KEY":
			return newErr(ErrInvalid, "store.err.row_refers_missing", "Table", table, "ID", id)
		case "CHECK", "NOT NULL":
			return newErr(ErrInvalid, "store.err.row_refused", "Table", table, "ID", id)
		}
		return nil
	}
	what := i18n.Msg("store.err.a_record")
	if table != "" {
		what = i18n.Msg("store.err.a_table_record", "Table", table)
	}
	switch kind {
	case "PRIMARY KEY":
		return newErr(ErrConflict, "store.err.record_exists", "What", what)
	case "UNIQUE":
		return newErr(ErrConflict, "store.err.record_unique", "What", what, "Columns", uniqueColumns(msg))
	case "FOREIGN KEY":
		return newErr(ErrInvalid, "store.err.record_refers_missing", "What", what)
	case "CHECK", "NOT NULL":
		return newErr(ErrInvalid, "store.err.record_refused", "What", what)
	}
	return nil
}

// uniqueColumns reads the columns out of SQLite's "UNIQUE constraint
// failed: t.a, t.b" as "a, b" ("value" when it says none).
func uniqueColumns(msg string) string {
	_, cols, ok := strings.Cut(msg, "UNIQUE constraint failed: ")
	if !ok {
		return "value"
	}
	cols, _, _ = strings.Cut(cols, " (")
	var out []string
	for _, c := range strings.Split(cols, ",") {
		c = strings.TrimSpace(c)
		if i := strings.LastIndexByte(c, '.'); i >= 0 {
			c = c[i+1:]
		}
		if c != "" {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return "value"
	}
	return strings.Join(out, ", ")
}

// Op is one write operation. Every write to the store is an Op applied in
// one transaction, so that the same code serves the CLI, the TUI, imports
// and the sync server.
type Op interface {
	// OpType names the operation, e.g. "feedback.send".
	OpType() string
	apply(t *tx) error
}

// Apply runs one operation in one transaction as actor.
func (db *DB) Apply(ctx context.Context, actor Actor, op Op) error {
	return db.applyOp(ctx, actor, op, op.apply)
}

// ApplyChecked runs one operation like Apply, after check has passed inside
// the same write transaction, before the operation writes anything. The
// store has one writer, so what check reads (who an enrollment is assigned
// to, whose a draft is) cannot change between the check and the commit: the
// sync server authorizes pushed operations this way. An error from check
// rolls the transaction back and is returned as it is. check may change op
// (through a pointer) before it is applied; a nil check is Apply.
func (db *DB) ApplyChecked(ctx context.Context, actor Actor, op Op, check func(tx *sql.Tx) error) error {
	return db.applyOp(ctx, actor, op, func(t *tx) error {
		if check != nil {
			if err := check(t.tx); err != nil {
				return err
			}
		}
		return op.apply(t)
	})
}

// ApplyAuthorized is ApplyChecked with a check that reads (and writes)
// through q, the write transaction with its statements kept prepared
// across transactions: the sync server authorizes every pushed operation
// this way, and stores its idempotency key in the same transaction.
func (db *DB) ApplyAuthorized(ctx context.Context, actor Actor, op Op, check func(q Querier) error) error {
	return db.applyOp(ctx, actor, op, func(t *tx) error {
		if check != nil {
			if err := check(txQuerier{t}); err != nil {
				return err
			}
		}
		return op.apply(t)
	})
}

func (db *DB) write(ctx context.Context, actor Actor, op Op, fn func(t *tx) error) error {
	if db.readOnly {
		return forbidden("store.err.store_open_read_only")
	}
	if db.cluster != nil {
		return db.writeCluster(ctx, actor, op, fn)
	}
	return db.writeTx(ctx, actor, op, fn)
}

// writeTx runs one operation in one transaction.
func (db *DB) writeTx(ctx context.Context, actor Actor, op Op, fn func(t *tx) error) error {
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return driverFail("begin write", err)
	}
	t := &tx{ctx: ctx, tx: sqlTx, db: db, now: db.Now(), actor: actor, stmts: map[string]*sql.Stmt{}}
	defer db.endStmts(t.stmts)
	// Runs before endStmts: should fn panic, the write connection is given
	// back before endStmts prepares on it (a no-op after Commit).
	defer sqlTx.Rollback()
	if err := t.run(op, fn); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return driverFail("commit", err)
	}
	db.defs.publish(t.defs)
	return nil
}

// endStmts closes a finished transaction's statements and keeps the new
// ones prepared for the next transactions.
func (db *DB) endStmts(stmts map[string]*sql.Stmt) {
	for _, s := range stmts {
		s.Close()
	}
	db.wstmts.learn(db.w, stmts)
}

// run writes one operation inside t: fn, the buffered change-log rows,
// then the write hooks. An error leaves t to be rolled back.
func (t *tx) run(op Op, fn func(t *tx) error) error {
	if err := fn(t); err != nil {
		return err
	}
	if err := t.flushChanges(); err != nil {
		return err
	}
	t.db.hooksMu.RLock()
	hooks := t.db.hooks
	t.db.hooksMu.RUnlock()
	for _, h := range hooks {
		if err := h(t.ctx, t.tx, op, t.actor); err != nil {
			return err
		}
	}
	return nil
}

// idGen makes UUIDv7 ids: 48 bits of Unix milliseconds, then random bits.
type idGen struct {
	mu sync.Mutex
	r  io.Reader
}

func (g *idGen) next(t time.Time) string {
	var b [16]byte
	g.mu.Lock()
	_, err := io.ReadFull(g.r, b[6:])
	g.mu.Unlock()
	if err != nil {
		panic("polku: no randomness for ids: " + err.Error())
	}
	ms := uint64(t.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	b[6] = 0x70 | (b[6] & 0x0f)
	b[8] = 0x80 | (b[8] & 0x3f)
	const hex = "0123456789abcdef"
	out := make([]byte, 36)
	j := 0
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hex[x>>4], hex[x&0x0f]
		j += 2
	}
	return string(out)
}
