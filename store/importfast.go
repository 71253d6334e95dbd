package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
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

// deferredIndexes are the secondary indexes that no check of an import
// reads (the checks look records up by id, feedback by submission,
// enrollments by patient, events, messages and feedback by enrollment):
// an import into a store that holds next to nothing builds them once, at
// the end, instead of entry by entry. Unique indexes always stay: they
// are checks themselves.
var deferredIndexes = []string{
	"changes_patient",
	"submissions_enrollment", "submissions_patient",
	"feedback_patient", "feedback_therapist",
	"measures_enrollment", "measures_patient",
	"diary_enrollment", "diary_patient",
	"messages_patient", "notes_patient", "risk_acks_patient", "go_aheads_patient",
	"time_spent_patient", "summaries_patient", "enrollment_events_patient",
	"referrals_patient", "notifications_patient", "referral_assessments_patient",
	"enrollments_therapist",
}

// deferIndexesBelow is the size of the change log under which an import
// defers the indexes: rebuilding them costs what the store holds, so only
// an import into a (nearly) empty store, a restore or the demo, gains.
const deferIndexesBelow = 50_000

// deferIndexes drops the deferred indexes inside the import's transaction
// when the store is nearly empty and returns the statements that make
// them again (nil when it dropped none). A rollback brings them back.
func (t *tx) deferIndexes() ([]string, error) {
	var seq sql.NullInt64
	if err := t.tx.QueryRowContext(t.ctx, "SELECT MAX(seq) FROM changes").Scan(&seq); err != nil {
		return nil, err
	}
	if seq.Int64 >= deferIndexesBelow {
		return nil, nil
	}
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
// transaction holds.
func (t *tx) restoreIndexes(creates []string) error {
	for _, c := range creates {
		if _, err := t.tx.ExecContext(t.ctx, c); err != nil {
			return err
		}
	}
	return nil
}
