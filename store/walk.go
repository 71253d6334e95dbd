package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// A first pull (and a pull again from the start after a restore) walks the
// current rows of what the replica may see instead of the whole change
// log: the global records type by type, then the visible patients one by
// one, each with their records in dependency order. Every query goes
// through an index (the patients travel as one JSON parameter), so a walk
// reads the caseload, not the store.

// WalkTypes are the record types of a walk in the order it sends them:
// the global types, then a patient's record types in dependency order.
func WalkTypes() []string {
	return slices.Concat(globalTables, patientTables)
}

// IsGlobalType says whether records of typ belong to no patient.
func IsGlobalType(typ string) bool {
	return slices.Contains(globalTables, typ)
}

// WalkPage reads up to limit records of a global type typ inside q, by
// key, after the key afterID ("" for the start).
func (db *DB) WalkPage(ctx context.Context, q *sql.Tx, typ, afterID string, limit int) ([]any, error) {
	kind, ok := recordKinds[typ]
	if !ok || !IsGlobalType(typ) {
		return nil, fmt.Errorf("%q is not a global record type", typ)
	}
	if limit <= 0 {
		return nil, nil
	}
	key := keyColumn(typ)
	rows, err := q.QueryContext(ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" WHERE "+key+" > ? ORDER BY "+key+" LIMIT ?", afterID, limit)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows, kind, nil)
}

// WalkRecords reads the records of patients (sorted, a few dozen at a
// time) inside q in walk order: patient by patient, a patient's records by
// type in dependency order and by id within a type. Of the patients in
// limited only the types in limitedTypes are read; of drafts only those of
// draftsOf.
func (db *DB) WalkRecords(ctx context.Context, q *TxStmts, patients []string, limited, limitedTypes map[string]bool, draftsOf string) ([]any, error) {
	if len(patients) == 0 {
		return nil, nil
	}
	all, err := json.Marshal(patients)
	if err != nil {
		return nil, err
	}
	some, none := all, false
	if len(limited) > 0 {
		var full []string
		for _, p := range patients {
			if !limited[p] {
				full = append(full, p)
			}
		}
		if some, err = json.Marshal(full); err != nil {
			return nil, err
		}
		none = len(full) == 0
	}
	type rec struct {
		typ     int
		id      string
		patient string
		rec     any
	}
	var recs []rec
	for i, typ := range patientTables {
		kind := recordKinds[typ]
		list := some
		if limitedTypes[typ] {
			list = all
		} else if none {
			// Patients seen only through a referral (an intake queue's):
			// of them no other type is read.
			continue
		}
		query, args := walkQuery(typ), []any{string(list)}
		if typ == "draft" {
			query += " AND therapist_id = ?"
			args = append(args, draftsOf)
		}
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		got, err := scanRecords(rows, kind, nil)
		if err != nil {
			return nil, err
		}
		for _, r := range got {
			id, pid := recordIDs(r)
			recs = append(recs, rec{i, id, pid, r})
		}
	}
	slices.SortFunc(recs, func(a, b rec) int {
		if c := strings.Compare(a.patient, b.patient); c != 0 {
			return c
		}
		if a.typ != b.typ {
			return a.typ - b.typ
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r.rec
	}
	return out, nil
}

// TxStmts runs the queries of one read transaction, each prepared once
// for it (a walk runs the same queries for every chunk of patients), or
// once for the read pool if an earlier transaction learned it.
type TxStmts struct {
	db      *DB
	tx      *sql.Tx
	m       map[string]*sql.Stmt
	learned []string
}

// KeepStmts keeps the statements of tx, a transaction of the read pool.
func (db *DB) KeepStmts(tx *sql.Tx) *TxStmts {
	return &TxStmts{db: db, tx: tx, m: map[string]*sql.Stmt{}}
}

// QueryContext runs query, a fixed string, inside the transaction.
func (k *TxStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st := k.m[query]
	if st == nil {
		if ps := k.db.rstmts.get(query); ps != nil {
			st = k.tx.StmtContext(ctx, ps)
		} else {
			var err error
			if st, err = k.tx.PrepareContext(ctx, query); err != nil {
				return nil, err
			}
			k.learned = append(k.learned, query)
		}
		k.m[query] = st
	}
	return st.QueryContext(ctx, args...)
}

// Learn prepares on the read pool the queries the transaction prepared
// for itself, so that later ones find them prepared. Call it once the
// transaction has ended: it takes a connection of the pool.
func (k *TxStmts) Learn(ctx context.Context) {
	for _, q := range k.learned {
		k.db.ReadStmt(ctx, q) // an error: the next transaction prepares it again
	}
	k.learned = nil
}

// WalkOrder says where a record of a patient stands among the patient's
// records in walk order (its type's place; then its id decides).
func WalkOrder(typ string) int {
	return slices.Index(patientTables, typ)
}

// WalkGroupPage reads up to limit records of a group type typ inside q,
// by id after afterID: those of cohorts (cohorts, members, group
// messages) or of peer groups (groups, members, posts, decisions) named.
func (db *DB) WalkGroupPage(ctx context.Context, q *sql.Tx, typ string, cohorts, groups []string, afterID string, limit int) ([]any, error) {
	kind, ok := groupKinds[typ]
	if !ok {
		return nil, fmt.Errorf("%q is not a group record type", typ)
	}
	list := groups
	if typ == "cohort" || typ == "cohort_member" || typ == "group_message" {
		list = cohorts
	}
	if len(list) == 0 || limit <= 0 {
		return nil, nil
	}
	b, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, groupWalkQuery(typ), string(b), afterID, limit)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows, kind, nil)
}

// WalkPlans returns SQLite's plan of each query a walk makes of patients'
// records and of groups (for a test that they go through indexes), one
// text per query, prefixed with the table.
func (db *DB) WalkPlans(ctx context.Context) ([]string, error) {
	var out []string
	explain := func(table, query string, args ...any) error {
		steps, err := db.QueryPlan(ctx, query, args...)
		if err != nil {
			return err
		}
		plan := table + ":"
		for _, s := range steps {
			plan += " " + s + ";"
		}
		out = append(out, plan)
		return nil
	}
	for _, typ := range patientTables {
		if err := explain(recordKinds[typ].table.name, walkQuery(typ), `["a","b"]`); err != nil {
			return nil, err
		}
	}
	for _, typ := range groupTypes {
		if err := explain(groupKinds[typ].table.name, groupWalkQuery(typ), `["a","b"]`, "", 10); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// QueryPlan returns SQLite's plan of query (EXPLAIN QUERY PLAN), one
// line a step ("SEARCH t USING INDEX i (a=?)"), for tests that a query on
// a hot path goes through an index.
func (db *DB) QueryPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		steps = append(steps, detail)
	}
	return steps, rows.Err()
}

// walkQuery reads the records of type typ of the patients of a JSON list.
func walkQuery(typ string) string {
	kind := recordKinds[typ]
	if typ == "patient" {
		return "SELECT " + kind.table.colList + " FROM patients WHERE id IN (SELECT value FROM json_each(?))"
	}
	return "SELECT " + kind.table.colList + " FROM " + kind.table.name + " WHERE patient_id IN (SELECT value FROM json_each(?))"
}

// groupWalkQuery reads records of a group type typ by id after an id, of
// the cohorts or groups of a JSON list.
func groupWalkQuery(typ string) string {
	const in = " IN (SELECT value FROM json_each(?))"
	var where string
	switch typ {
	case "cohort", "peer_group":
		where = "id" + in
	case "cohort_member", "group_message":
		where = "cohort_id" + in
	case "group_member", "group_post":
		where = "group_id" + in
	case "post_decision":
		where = "post_id IN (SELECT id FROM group_posts WHERE group_id" + in + ")"
	}
	kind := groupKinds[typ]
	return "SELECT " + kind.table.colList + " FROM " + kind.table.name + " WHERE " + where + " AND id > ? ORDER BY id LIMIT ?"
}
