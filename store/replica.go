package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// This file holds what the sync server and the replica need from the store
// beyond operations: reading current rows by change-log entity, decoding
// records by type, and writing pulled records into a replica without going
// through operations (so that they never reach the replica's outbox).

// patientTables are the tables of one patient's record in dependency order.
var patientTables = []string{"patient", "referral", "assessment", "notification", "enrollment", "submission", "feedback", "message",
	"measure_response", "diary_entry", "note", "risk_ack", "enrollment_event", "summary", "go_ahead", "draft", "time_spent"}

// globalTables are the record types every signed-in person needs to read.
var globalTables = []string{"therapist", "instrument", "program", "service", "setting"}

var entityTypes = func() map[string]string {
	m := map[string]string{}
	for typ, k := range recordKinds {
		m[k.table.name] = typ
	}
	for typ, k := range groupKinds {
		m[k.table.name] = typ
	}
	return m
}()

// EntityType names the record type stored in a change-log entity (a table
// name), e.g. "feedback" for "feedback" and "measure_response" for
// "measure_responses". It is "" for tables that hold no records.
func EntityType(entity string) string {
	if entity == "audit" {
		return ""
	}
	return entityTypes[entity]
}

// RecordRef says which record rec (a pointer to a record struct) is: its
// interchange type, its id (the key for settings) and its patient ("" for
// records that belong to no patient).
func RecordRef(rec any) (typ, id, patientID string) {
	if typ, id, patientID, ok := groupRef(rec); ok {
		return typ, id, patientID
	}
	id, patientID = recordIDs(rec)
	return RecordType(rec), id, patientID
}

// DecodeRecord decodes one record of type typ from its JSON fields (without
// the "type" field), rejecting unknown fields.
func DecodeRecord(typ string, raw []byte) (any, error) {
	kind, ok := syncKind(typ)
	if !ok || typ == "audit" {
		return nil, fmt.Errorf("unknown record type %q", typ)
	}
	rec := kind.rec(kind.new())
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		return nil, fmt.Errorf("%s: %v", typ, cleanJSONError(err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the record", typ)
	}
	return rec, nil
}

func keyColumn(typ string) string {
	if typ == "setting" {
		return "key"
	}
	return "id"
}

// LoadRecords reads the current rows of records of one type by id inside q
// (a read transaction, for one consistent snapshot). Ids not stored are left
// out. The result holds pointers to record structs, in no particular order.
func (db *DB) LoadRecords(ctx context.Context, q *sql.Tx, typ string, ids []string) ([]any, error) {
	kind, ok := syncKind(typ)
	if !ok {
		return nil, fmt.Errorf("unknown record type %q", typ)
	}
	var out []any
	const batch = 400
	for start := 0; start < len(ids); start += batch {
		end := min(start+batch, len(ids))
		args := make([]any, end-start)
		for i, id := range ids[start:end] {
			args[i] = id
		}
		marks := strings.Repeat("?, ", len(args))
		marks = marks[:len(marks)-2]
		rows, err := q.QueryContext(ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" WHERE "+keyColumn(typ)+" IN ("+marks+")", args...)
		if err != nil {
			return nil, err
		}
		if out, err = scanRecords(rows, kind, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LoadAllRecords reads every stored record of one type inside q, in no
// particular order.
func (db *DB) LoadAllRecords(ctx context.Context, q *sql.Tx, typ string) ([]any, error) {
	kind, ok := recordKinds[typ]
	if !ok || typ == "audit" {
		return nil, fmt.Errorf("unknown record type %q", typ)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows, kind, nil)
}

// scanRecords appends every row (selected with the kind's column list) as a
// record pointer, and closes rows.
func scanRecords(rows *sql.Rows, kind recordKind, out []any) ([]any, error) {
	defer rows.Close()
	for rows.Next() {
		rec := kind.rec(kind.new())
		if err := kind.table.scanInto(rows, rec); err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// LoadPatientRecords reads every record of one patient inside q, in
// dependency order, and by id within a type (so that a long list can be
// sent in parts and resumed after a record). Drafts are private: only those
// of draftsOf are read.
func (db *DB) LoadPatientRecords(ctx context.Context, q *sql.Tx, patientID, draftsOf string) ([]any, error) {
	var out []any
	for _, typ := range patientTables {
		kind := recordKinds[typ]
		where, args := "WHERE patient_id = ?", []any{patientID}
		switch typ {
		case "patient":
			where = "WHERE id = ?"
		case "draft":
			where, args = "WHERE patient_id = ? AND therapist_id = ?", []any{patientID, draftsOf}
		}
		rows, err := q.QueryContext(ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" "+where+" ORDER BY id", args...)
		if err != nil {
			return nil, err
		}
		if out, err = scanRecords(rows, kind, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RecordAccessMany writes one audit row per patient in one transaction: a
// person received these patients' records (detail says what).
func (db *DB) RecordAccessMany(ctx context.Context, actor Actor, patientIDs []string, action, detail string) error {
	if !actor.IsPerson() || len(patientIDs) == 0 {
		return nil
	}
	if db.cluster != nil {
		rows := make([]AuditEntry, len(patientIDs))
		for i, id := range patientIDs {
			rows[i] = AuditEntry{ActorID: actor.ID, Device: actor.Device, PatientID: id, Action: action, Detail: detail}
		}
		return db.audits.submit(db, &auditReq{ctx: ctx, actor: actor, rows: rows})
	}
	return db.write(ctx, actor, RecordAccessOp{}, func(t *tx) error {
		for _, id := range patientIDs {
			e := AuditEntry{ID: db.NewID(t.now), At: t.now, ActorID: actor.ID, Device: actor.Device, PatientID: id, Action: action, Detail: detail}
			if err := (RecordAccessOp{e}).apply(t); err != nil {
				return err
			}
		}
		return nil
	})
}

// PulledItem is one record as a replica receives it from the server: its
// current content, or the news that it was deleted.
type PulledItem struct {
	Type      string
	ID        string
	Deleted   bool
	Record    any    // pointer to a record struct; nil when Deleted
	PatientID string // the record's patient (needed for deletions)
	By        string // who changed it on the server (an actor id), if known
}

// PulledBatch is one page of pulled records with the replica's bookkeeping.
type PulledBatch struct {
	// Reset deletes every record first (the server was restored and the
	// replica is pulled again from the start).
	Reset bool
	// Purge lists patients the actor may no longer see: all their records
	// are deleted.
	Purge []string
	Items []PulledItem
	// Skip runs first, inside the transaction, and names record ids that
	// must be left as they are (local changes not yet pushed).
	Skip func(tx *sql.Tx) (map[string]bool, error)
	// Before runs next, before a Reset deletes anything (the sync engine
	// notes there what the replica had, to keep aside what the restored
	// server turns out to have lost).
	Before func(tx *sql.Tx) error
	// Within runs last, inside the same transaction (the pull cursor is
	// saved there, so that rows and cursor commit together).
	Within func(tx *sql.Tx) error
}

// ApplyPulled writes pulled records into a replica in one transaction,
// replacing rows by id, with a change-log row per patient touched (so that
// the workbench notices; the row names the server-side author when all of
// the patient's records in the page had the same one) but without write
// hooks: pulled records are the
// server's, never the replica's outbox. Foreign keys are checked at commit,
// so a page may hold records in any order.
func (db *DB) ApplyPulled(ctx context.Context, b PulledBatch) (int, error) {
	if db.readOnly {
		return 0, forbidden("store.err.store_open_read_only")
	}
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, driverFail("begin write", err)
	}
	t := &tx{ctx: ctx, tx: sqlTx, db: db, now: db.Now(), actor: System("sync"), stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, s := range t.stmts {
			s.Close()
		}
	}()
	n, err := t.applyPulled(b)
	if err != nil {
		sqlTx.Rollback()
		return 0, err
	}
	if err := sqlTx.Commit(); err != nil {
		return 0, driverFail("commit pulled records", err)
	}
	return n, nil
}

func (t *tx) applyPulled(b PulledBatch) (int, error) {
	if _, err := t.tx.ExecContext(t.ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return 0, err
	}
	skip := map[string]bool{}
	if b.Skip != nil {
		var err error
		if skip, err = b.Skip(t.tx); err != nil {
			return 0, err
		}
	}
	if b.Before != nil {
		if err := b.Before(t.tx); err != nil {
			return 0, err
		}
	}
	if b.Reset {
		if _, err := t.exec("DELETE FROM group_codes"); err != nil {
			return 0, err
		}
		for i := len(groupTypes) - 1; i >= 0; i-- {
			if _, err := t.exec("DELETE FROM " + groupKinds[groupTypes[i]].table.name); err != nil {
				return 0, err
			}
		}
		for i := len(patientTables) - 1; i >= 0; i-- {
			if _, err := t.exec("DELETE FROM " + recordKinds[patientTables[i]].table.name); err != nil {
				return 0, err
			}
		}
		for _, typ := range globalTables {
			if _, err := t.exec("DELETE FROM " + recordKinds[typ].table.name); err != nil {
				return 0, err
			}
		}
		if err := t.changed("sync", "reset", "", "reset"); err != nil {
			return 0, err
		}
	}
	for _, p := range b.Purge {
		// The patient's part of groups first: their posts (with the
		// decisions on them) and memberships.
		for _, q := range []string{
			"DELETE FROM post_decisions WHERE post_id IN (SELECT id FROM group_posts WHERE patient_id = ?)",
			"DELETE FROM group_posts WHERE patient_id = ?",
			"DELETE FROM group_members WHERE patient_id = ?",
			"DELETE FROM cohort_members WHERE patient_id = ?",
		} {
			if _, err := t.exec(q, p); err != nil {
				return 0, err
			}
		}
		for i := len(patientTables) - 1; i >= 0; i-- {
			typ := patientTables[i]
			col := "patient_id"
			if typ == "patient" {
				col = "id"
			}
			if _, err := t.exec("DELETE FROM "+recordKinds[typ].table.name+" WHERE "+col+" = ?", p); err != nil {
				return 0, err
			}
		}
		if err := t.changed("patients", p, p, "purge"); err != nil {
			return 0, err
		}
	}
	n := 0
	// One change-log row per patient (and one for records of no patient):
	// who changed them, when it was one actor, else "sync".
	by := map[string]string{}
	var order []string
	touch := func(patientID, actor string) {
		if actor == "" {
			actor = "sync"
		}
		prev, ok := by[patientID]
		switch {
		case !ok:
			order = append(order, patientID)
			by[patientID] = actor
		case prev != actor:
			by[patientID] = "sync"
		}
	}
	for _, it := range b.Items {
		if skip[it.ID] {
			continue
		}
		kind, ok := syncKind(it.Type)
		if !ok || it.Type == "audit" {
			return n, fmt.Errorf("pulled record of unknown type %q", it.Type)
		}
		patientID := it.PatientID
		if it.Deleted {
			if _, err := t.exec("DELETE FROM "+kind.table.name+" WHERE "+keyColumn(it.Type)+" = ?", it.ID); err != nil {
				return n, err
			}
		} else {
			typ, id, pid := RecordRef(it.Record)
			if typ != it.Type {
				return n, fmt.Errorf("pulled %s %s holds a %T", it.Type, it.ID, it.Record)
			}
			patientID = pid
			if id != it.ID {
				return n, fmt.Errorf("pulled %s %s holds record %s", it.Type, it.ID, id)
			}
			args, err := kind.table.args(it.Record)
			if err != nil {
				return n, err
			}
			if err := t.insertOrReplace(kind.table, args); err != nil {
				return n, t.db.constraintError(kind.table.name, it.ID, err)
			}
			if err := t.keepScan(it.Record); err != nil {
				return n, err
			}
		}
		touch(patientID, it.By)
		n++
	}
	for _, p := range order {
		t.actor.ID = by[p]
		if err := t.changed("sync", p, p, "pull"); err != nil {
			return n, err
		}
	}
	t.actor.ID = "system"
	if err := t.flushChanges(); err != nil {
		return n, err
	}
	if b.Within != nil {
		if err := b.Within(t.tx); err != nil {
			return n, err
		}
	}
	return n, nil
}

// insertOrReplace writes a pulled record: a plain insert, and only when
// a row with the same key is there already an INSERT OR REPLACE. With
// foreign keys on, SQLite runs every OR REPLACE statement with a
// statement journal, copying each page it touches first; a first sync,
// whose records are all new, wrote a third of its time into that.
func (t *tx) insertOrReplace(tb *table, args []any) error {
	_, err := t.exec(tb.insert, args...)
	if err == nil || !isUniqueViolation(err) {
		return err
	}
	_, err = t.exec(strings.Replace(tb.insert, "INSERT", "INSERT OR REPLACE", 1), args...)
	return err
}
