package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
)

// storedRecords answers whether an interchange line is exactly a record
// the store held before the import began, without decoding the line: it
// reads the store's records of the line's type in id order, alongside the
// file (an export is in that order), and compares the line with the
// stored record written as a line. A re-import of an export, or of a file
// that mostly repeats the store, then costs little more than reading both.
// Lines it cannot match (another order, another encoding, new records)
// take the ordinary path: decoded, checked, inserted or compared.
type storedRecords struct {
	ctx  context.Context
	db   *DB
	rtx  *sql.Tx // a read snapshot of the store before the import
	typ  string  // the record type rows reads
	rows *sql.Rows
	from string // the id rows started at
	cur  any    // the stored record rows is at (nil: none left)
	id   string // its id
	line []byte // it, written as a line (made when first compared)
}

func (db *DB) storedRecords(ctx context.Context) (*storedRecords, error) {
	rtx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return &storedRecords{ctx: ctx, db: db, rtx: rtx}, nil
}

// close ends the snapshot; it may be called more than once.
func (s *storedRecords) close() {
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	if s.rtx != nil {
		s.rtx.Rollback()
		s.rtx = nil
	}
	s.cur, s.typ = nil, ""
}

// lineHead reads the type and id of a line written by MarshalLine:
// {"type":"T","id":"ID",...}. ok is false for any other shape.
func lineHead(b []byte) (typ, id string, ok bool) {
	const p1, p2 = `{"type":"`, `","id":"`
	if !bytes.HasPrefix(b, []byte(p1)) {
		return "", "", false
	}
	rest := b[len(p1):]
	i := bytes.IndexByte(rest, '"')
	if i < 0 || !bytes.HasPrefix(rest[i:], []byte(p2)) {
		return "", "", false
	}
	typ = string(rest[:i])
	rest = rest[i+len(p2):]
	j := bytes.IndexByte(rest, '"')
	if j <= 0 || bytes.IndexByte(rest[:j], '\\') >= 0 {
		return "", "", false
	}
	return typ, string(rest[:j]), true
}

// same says whether line is byte for byte a stored record.
func (s *storedRecords) same(line []byte) (bool, error) {
	typ, id, ok := lineHead(line)
	if !ok || typ == "setting" {
		return false, nil
	}
	kind, ok := recordKinds[typ]
	if !ok || s.rtx == nil {
		return false, nil
	}
	if typ != s.typ || id < s.from {
		if err := s.open(kind, id); err != nil {
			return false, err
		}
	}
	for s.cur != nil && s.id < id {
		if err := s.next(kind); err != nil {
			return false, err
		}
	}
	if s.cur == nil || s.id != id {
		return false, nil
	}
	if s.line == nil {
		b, err := MarshalLine(s.cur)
		if err != nil {
			return false, nil
		}
		s.line = b
	}
	return bytes.Equal(s.line, line), nil
}

func (s *storedRecords) open(kind recordKind, from string) error {
	if s.rows != nil {
		s.rows.Close()
	}
	rows, err := s.rtx.QueryContext(s.ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" WHERE id >= ? ORDER BY id", from)
	if err != nil {
		return err
	}
	s.typ, s.rows, s.from = kind.name, rows, from
	return s.next(kind)
}

func (s *storedRecords) next(kind recordKind) error {
	s.cur, s.id, s.line = nil, "", nil
	if !s.rows.Next() {
		return s.rows.Err()
	}
	rec := kind.rec(kind.new())
	if err := kind.table.scanInto(s.rows, rec); err != nil {
		return err
	}
	s.cur = rec
	s.id, _ = recordIDs(rec)
	return nil
}

// query and queryRow run a fixed query with its statement kept prepared
// (tx.stmt), for the checks an import runs per record.
func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

func (t *tx) queryRow(query string, args ...any) *sql.Row {
	st, err := t.stmt(query)
	if err != nil {
		return t.tx.QueryRowContext(t.ctx, query, args...) // fails the same way
	}
	return st.QueryRowContext(t.ctx, args...)
}

// deferredIndexes are the secondary indexes that no check of an import
// reads (the checks look records up by id, feedback by submission,
// enrollments by patient, events, messages and feedback by enrollment;
// a risk scan is written by its key): an import into a store that holds
// next to nothing builds them once, at the end, instead of entry by entry.
// Unique indexes always stay: they are checks themselves.
var deferredIndexes = []string{
	"changes_patient",
	"submissions_enrollment", "submissions_patient",
	"feedback_patient", "feedback_therapist",
	"measures_enrollment", "measures_patient",
	"diary_enrollment", "diary_patient",
	"messages_patient", "notes_patient", "risk_acks_patient", "risk_acks_enrollment",
	"go_aheads_patient", "go_aheads_enrollment",
	"time_spent_patient", "summaries_patient", "enrollment_events_patient",
	"referrals_patient", "referrals_status", "referrals_intake",
	"notifications_patient", "referral_assessments_patient",
	"enrollments_therapist",
	// risk_scans: their period index took one random insert (and, in a
	// statement of many rows, a statement-journal page) per text
	"risk_scans_period", "risk_scans_hits",
	"audit_patient", "audit_actor",
}

// deferIndexesBelow is the size of the change log under which an import
// defers the indexes: rebuilding them costs what the store holds, so only
// an import into a (nearly) empty store, a restore or the demo, gains.
const deferIndexesBelow = 50_000

// smallStore says whether the store is small enough for an import to
// defer its indexes (deferIndexesBelow). It is decided once, before the
// import's transaction begins (sortInFiles must be set before it): a
// write that lands in between changes only what the import costs, not
// what it does, since the indexes are built again either way.
func (db *DB) smallStore(ctx context.Context) (bool, error) {
	var seq sql.NullInt64
	if err := db.w.QueryRowContext(ctx, "SELECT MAX(seq) FROM changes").Scan(&seq); err != nil {
		return false, err
	}
	return seq.Int64 < deferIndexesBelow, nil
}

// sortInFiles lets SQLite's sorter spill to temporary files while an
// import that will defer its indexes runs. The store keeps temporary data
// in memory (temp_store), where the sorter would hold all of a new index's
// entries (some 300 MB for changes_patient at 100,000 patients); with
// temp_store FILE it sorts in runs of the page cache's size. The setting
// cannot change inside a transaction: it is set on the write connection
// before the import's begins, and set back after.
func (db *DB) sortInFiles(ctx context.Context) (restore func(), err error) {
	// The page cache's size too, which restoreIndexes changes inside the
	// transaction, is set back here should the transaction have ended
	// before it could.
	var size int64
	if err := db.w.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&size); err != nil {
		return nil, err
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA temp_store = FILE"); err != nil {
		return nil, err
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		db.w.ExecContext(ctx, "PRAGMA temp_store = MEMORY")
		db.w.ExecContext(ctx, "PRAGMA cache_size = "+strconv.FormatInt(size, 10))
	}, nil
}

// deferIndexes drops the deferred indexes inside the import's transaction
// (of a store that was nearly empty: smallStore) and returns the
// statements that make them again (nil when it dropped none). A rollback
// brings them back (a dry run's among others: it builds none).
func (t *tx) deferIndexes() ([]string, error) {
	var again []string
	for _, name := range deferredIndexes {
		var create string
		err := t.tx.QueryRowContext(t.ctx, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND sql IS NOT NULL", name).Scan(&create)
		if errors.Is(err, sql.ErrNoRows) {
			continue // not in this schema
		}
		if err != nil {
			return nil, err
		}
		if _, err := t.tx.ExecContext(t.ctx, "DROP INDEX "+name); err != nil {
			return nil, err
		}
		again = append(again, create)
	}
	return again, nil
}

// restoreIndexes makes the deferred indexes again, from the rows the
// transaction holds. SQLite's sorter keeps runs as large as the page
// cache in memory: while the indexes are built the cache is made a
// quarter of its size, so that the sorter takes the memory the cache
// gives back instead of as much again.
func (t *tx) restoreIndexes(creates []string) error {
	if len(creates) == 0 {
		return nil
	}
	var size int64
	if err := t.tx.QueryRowContext(t.ctx, "PRAGMA cache_size").Scan(&size); err != nil {
		return err
	}
	// The setting is the connection's: it is set back whatever happens.
	defer t.tx.ExecContext(context.WithoutCancel(t.ctx), "PRAGMA cache_size = "+strconv.FormatInt(size, 10))
	if _, err := t.tx.ExecContext(t.ctx, "PRAGMA cache_size = "+strconv.FormatInt(size/4, 10)); err != nil {
		return err
	}
	for _, c := range creates {
		if _, err := t.tx.ExecContext(t.ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// Chunks of imported lines. An import cuts the lines of each record type
// into chunks of consecutive lines, where a chunk ends before a line
// whose id hashes to a multiple of chunkSpread (so that the same lines cut
// the same way wherever they stand in a file) or at chunkMax lines. When
// an import is written, every chunk whose lines were all stored as they
// stand (added, or found identical to the stored record of their id) is
// kept, with the SHA-256 of its lines, in meta import_chunks (a line of
// type, first id, last id, number of lines and hash per chunk: some 7,000
// lines for 3.6 million records), and meta import_chunks_seq is set to
// the newest change-log row. A later import (or dry run) counts a chunk
// of its file as unchanged, without reading or decoding a record, when
// import_chunks has the same lines and none of their records appears in
// the change log after import_chunks_seq. Any other chunk takes the
// ordinary path, line by line.
const (
	chunkSpread = 512
	chunkMax    = 4096
	// chunkChangesMax is how many change-log rows after import_chunks_seq
	// an import reads to know which records changed; beyond it, no chunk
	// is trusted.
	chunkChangesMax = 1_000_000
	metaChunks      = "import_chunks"
	metaChunkSeq    = "import_chunks_seq"
	metaChunkSchema = "import_chunks_schema"
)

// chunkTypes are the record types imported in chunks: not settings
// (keyed by name), and not the definitions, whose stored form is their
// checked form and may stand under another id.
func chunkType(typ string) bool {
	switch typ {
	case "setting", "program", "instrument", "service", "":
		return false
	}
	_, ok := recordKinds[typ]
	return ok
}

type importChunk struct {
	typ, first, last string
	lines            int
	hash             string
}

// chunkMark follows the lines of a chunk to the writer, which keeps the
// chunk when all of them were stored as they stand.
type chunkMark struct{ importChunk }

// knownChunks is what the store knows of earlier imports' chunks.
type knownChunks struct {
	chunks map[[2]string]importChunk // by type and first id
	// changed records (by type and id) since the chunks were kept; all:
	// every chunk is stale (a sync, a purge, too many changes)
	changed map[[2]string]bool
	all     bool
}

// tableTypes names the record type of each record table.
var tableTypes = func() map[string]string {
	m := map[string]string{}
	for typ, k := range recordKinds {
		m[k.table.name] = typ
	}
	return m
}()

// loadChunks reads the chunks and the records changed since, in the
// import's transaction. The change log is read only when chunks are kept,
// and not at all when more rows may follow their position than
// chunkChangesMax (it is never deleted from: no more rows follow a
// position than MAX(seq) less it); it stops at the first change that does
// not name its record.
func (t *tx) loadChunks() (*knownChunks, error) {
	k := &knownChunks{chunks: map[[2]string]importChunk{}, changed: map[[2]string]bool{}}
	var seq, schema, kept sql.NullString
	var last sql.NullInt64
	err := t.tx.QueryRowContext(t.ctx, "SELECT (SELECT value FROM meta WHERE key = ?), (SELECT value FROM meta WHERE key = ?), (SELECT value FROM meta WHERE key = ?), (SELECT MAX(seq) FROM changes)",
		metaChunkSeq, metaChunkSchema, metaChunks).Scan(&seq, &schema, &kept, &last)
	if err != nil {
		return nil, fmt.Errorf("read the chunks of earlier imports: %w", err)
	}
	if seq.String == "" || kept.String == "" || schema.String != strconv.Itoa(SchemaVersion()) {
		// none kept yet, or kept under another schema: a migration may
		// have rewritten records without the change log
		k.all = true
		k.changed = nil
		return k, nil
	}
	from, err := strconv.ParseInt(seq.String, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("read the chunks of earlier imports: meta %s is %q, not a change-log position", metaChunkSeq, seq.String)
	}
	if last.Int64-from > chunkChangesMax {
		k.all = true
		k.changed = nil
		return k, nil
	}
	rows, err := t.tx.QueryContext(t.ctx, "SELECT entity, entity_id, op FROM changes WHERE seq > ? ORDER BY seq", from)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var entity, id, op string
		if err := rows.Scan(&entity, &id, &op); err != nil {
			rows.Close()
			return nil, err
		}
		if op != "insert" && op != "update" && op != "delete" {
			// a sync's reset or pull, a purge: rows changed without a
			// change-log row of their own
			k.all = true
			break
		}
		if typ := tableTypes[entity]; typ != "" {
			k.changed[[2]string{typ, id}] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if k.all {
		k.changed = nil
		return k, nil
	}
	for _, l := range strings.Split(kept.String, "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 {
			continue
		}
		n, err := strconv.Atoi(f[3])
		if err != nil {
			continue
		}
		c := importChunk{typ: f[0], first: f[1], last: f[2], lines: n, hash: f[4]}
		k.chunks[[2]string{c.typ, c.first}] = c
	}
	return k, nil
}

// unchanged says whether a chunk of the file is one the store has kept
// and none of whose records changed since.
func (k *knownChunks) unchanged(c importChunk, ids []string) bool {
	if k == nil || k.all {
		return false
	}
	kept, ok := k.chunks[[2]string{c.typ, c.first}]
	if !ok || kept != c {
		return false
	}
	for _, id := range ids {
		if k.changed[[2]string{c.typ, id}] {
			return false
		}
	}
	return true
}

// saveChunks forgets the chunks that hold a changed record or overlap a
// chunk of this import, keeps the chunks of this import whose lines were
// all stored as they stand, and moves import_chunks_seq to the newest
// change-log row. It runs last in the import's transaction. The chunks
// of a type never overlap, so a changed record is in one chunk at most.
func (t *tx) saveChunks(known *knownChunks, clean []importChunk) error {
	byType := func(cs []importChunk) map[string][]importChunk {
		m := map[string][]importChunk{}
		for _, c := range cs {
			m[c.typ] = append(m[c.typ], c)
		}
		for _, l := range m {
			sort.Slice(l, func(i, j int) bool { return l[i].first < l[j].first })
		}
		return m
	}
	// holding returns the index of the chunk of l (sorted, disjoint) that
	// holds id, or -1.
	holding := func(l []importChunk, id string) int {
		i := sort.Search(len(l), func(i int) bool { return l[i].first > id }) - 1
		if i >= 0 && l[i].last >= id {
			return i
		}
		return -1
	}
	var old []importChunk
	if !known.all {
		for _, c := range known.chunks {
			old = append(old, c)
		}
	}
	olds := byType(old)
	for key := range known.changed {
		if l := olds[key[0]]; len(l) > 0 {
			if i := holding(l, key[1]); i >= 0 {
				l[i].lines = 0 // stale
			}
		}
	}
	// This import's chunks, without overlaps among them (a file may
	// repeat a type), then the earlier ones that overlap none of them.
	news := byType(clean)
	var keep []importChunk
	for typ, l := range news {
		var disjoint []importChunk
		for _, c := range l {
			if len(disjoint) == 0 || c.first > disjoint[len(disjoint)-1].last {
				disjoint = append(disjoint, c)
			}
		}
		news[typ] = disjoint
		keep = append(keep, disjoint...)
	}
	for typ, l := range olds {
		n := news[typ]
		for _, c := range l {
			if c.lines == 0 {
				continue
			}
			// the first new chunk ending at or after c begins after c
			i := sort.Search(len(n), func(i int) bool { return n[i].last >= c.first })
			if i < len(n) && n[i].first <= c.last {
				continue
			}
			keep = append(keep, c)
		}
	}
	sort.Slice(keep, func(i, j int) bool {
		if keep[i].typ != keep[j].typ {
			return keep[i].typ < keep[j].typ
		}
		return keep[i].first < keep[j].first
	})
	var b strings.Builder
	for _, c := range keep {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%d\t%s\n", c.typ, c.first, c.last, c.lines, c.hash)
	}
	if err := t.flushChanges(); err != nil {
		return err
	}
	var seq sql.NullInt64
	if err := t.tx.QueryRowContext(t.ctx, "SELECT MAX(seq) FROM changes").Scan(&seq); err != nil {
		return err
	}
	for k, v := range map[string]string{metaChunks: b.String(), metaChunkSeq: strconv.FormatInt(seq.Int64, 10), metaChunkSchema: strconv.Itoa(SchemaVersion())} {
		if _, err := t.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return err
		}
	}
	return nil
}

// chunker cuts the lines read into chunks and hands each line on: as
// unchanged when its whole chunk is known, else to the ordinary path.
type chunker struct {
	known *knownChunks
	cur   importChunk
	h     hash.Hash
	lines [][]byte // the current chunk's lines (copies)
	nums  []int    // and their line numbers
	ids   []string
	// emit hands on one line: unchanged (as a known chunk's) or not
	emit func(line int, b []byte, unchanged bool) bool
	// mark hands on a finished chunk
	mark func(c importChunk) bool
}

func chunkBoundary(id string) bool {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()%chunkSpread == 0
}

// add takes the next line; typ and id are its head (lineHead), typ ""
// for a line that belongs to no chunk.
func (c *chunker) add(line int, b []byte, typ, id string) bool {
	if !chunkType(typ) {
		if !c.flush() {
			return false
		}
		return c.emit(line, b, false)
	}
	if len(c.lines) > 0 && (typ != c.cur.typ || id <= c.cur.last || len(c.lines) >= chunkMax || chunkBoundary(id)) {
		if !c.flush() {
			return false
		}
	}
	if len(c.lines) == 0 {
		c.cur = importChunk{typ: typ, first: id}
		if c.h == nil {
			c.h = sha256.New()
		}
		c.h.Reset()
	}
	c.cur.last = id
	c.h.Write(b)
	c.h.Write([]byte{'\n'})
	c.lines = append(c.lines, append([]byte(nil), b...))
	c.nums = append(c.nums, line)
	c.ids = append(c.ids, id)
	return true
}

// flush ends the current chunk.
func (c *chunker) flush() bool {
	if len(c.lines) == 0 {
		return true
	}
	c.cur.lines = len(c.lines)
	c.cur.hash = hex.EncodeToString(c.h.Sum(nil))
	same := c.known.unchanged(c.cur, c.ids)
	for i, b := range c.lines {
		if !c.emit(c.nums[i], b, same) {
			return false
		}
	}
	c.lines, c.nums, c.ids = c.lines[:0], c.nums[:0], c.ids[:0]
	return c.mark(c.cur)
}

// scanned is the risk scan of a patient text of an import, made by the
// goroutine that reads the lines (prescan) as tx.keepScan makes it (with
// the same helpers); the writer keeps it with the record.
type scanned struct {
	words    *scanWords
	src      scanSource // typ "": the record has no text to scan
	hit      string     // the hit as stored ("" : none)
	prepared bool       // false: the writer scans (tx.keepScan)
}

// prescan scans rec's texts with words as tx.keepScan does.
func prescan(words *scanWords, rec any) scanned {
	src := scanSourceOf(rec)
	switch {
	case src.typ == "":
		return scanned{prepared: true}
	case words == nil:
		return scanned{} // the word lists were not read: keepScan reads them
	case words.matcher == nil:
		return scanned{prepared: true}
	}
	hit, err := words.scan(src)
	if err != nil {
		return scanned{}
	}
	src.texts = nil // scanned
	return scanned{words: words, src: src, hit: hit, prepared: true}
}

// keepScan keeps a record's scan with it: the one made while reading, or
// (when it could not be made there) tx.keepScan's.
func (im *importer) keepScan(rec any, s scanned) error {
	if !s.prepared {
		return im.t.keepScan(rec)
	}
	if s.src.typ == "" {
		return nil
	}
	return im.t.addScan(s.src, s.words.key, s.hit)
}
