package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
)

// A first pull (and a pull again from the start after a restore) walks the
// current rows of what the replica may see instead of the whole change
// log: the global records, then the records of the visible patients, one
// record type at a time in dependency order, each type in (patient, id)
// order so that a page can stop anywhere and the next one resume after
// the last record sent. Every query goes through an index on the
// patient's id (the patient list travels as one JSON parameter), so a
// walk reads the caseload, not the store.

// WalkTypes are the record types of a walk in the order it sends them:
// the global types, then a patient's record types in dependency order.
func WalkTypes() []string {
	return slices.Concat(globalTables, patientTables)
}

// IsGlobalType says whether records of typ belong to no patient.
func IsGlobalType(typ string) bool {
	return slices.Contains(globalTables, typ)
}

// WalkPage reads up to limit records of type typ inside q, in (patient,
// id) order, after the record (afterPatient, afterID) ("" and "" for the
// start). Global types ignore patients and afterPatient. For the other
// types only records of patients (sorted, at most a few thousand) are
// read, and of drafts only those of draftsOf.
func (db *DB) WalkPage(ctx context.Context, q *sql.Tx, typ string, patients []string, draftsOf, afterPatient, afterID string, limit int) ([]any, error) {
	kind, ok := recordKinds[typ]
	if !ok || typ == "audit" {
		return nil, fmt.Errorf("unknown record type %q", typ)
	}
	if limit <= 0 {
		return nil, nil
	}
	var query string
	var args []any
	switch {
	case IsGlobalType(typ):
		key := keyColumn(typ)
		query = "SELECT " + kind.table.colList + " FROM " + kind.table.name + " WHERE " + key + " > ? ORDER BY " + key + " LIMIT ?"
		args = []any{afterID, limit}
	default:
		// Only the patients from afterPatient on: the walk of a type
		// reads what it sends, and not the patients it has done.
		i, _ := slices.BinarySearch(patients, afterPatient)
		patients = patients[i:]
		if len(patients) == 0 {
			return nil, nil
		}
		list, err := json.Marshal(patients)
		if err != nil {
			return nil, err
		}
		if typ == "patient" {
			query = "SELECT " + kind.table.colList + " FROM patients WHERE id IN (SELECT value FROM json_each(?1)) AND id > ? ORDER BY id LIMIT ?"
			args = []any{string(list), afterPatient, limit}
			break
		}
		draft := ""
		if typ == "draft" {
			draft = " AND therapist_id = ?5"
		}
		query = "SELECT " + kind.table.colList + " FROM " + kind.table.name + " WHERE patient_id IN (SELECT value FROM json_each(?1))" + draft +
			" AND (patient_id > ?2 OR (patient_id = ?2 AND id > ?3)) ORDER BY patient_id, id LIMIT ?4"
		args = []any{string(list), afterPatient, afterID, limit}
		if typ == "draft" {
			args = append(args, draftsOf)
		}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows, kind, nil)
}
