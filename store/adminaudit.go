package store

import (
	"context"
	"database/sql"
)

// ActionTokenRevoke is the audit action of a revoked staff token
// (therapist, supervisor or admin). A staff token opens no one patient's
// record, so its row has no patient (patient_id ""): it is an admin
// action, kept in the same audit table as every read and written in the
// revocation's own transaction. A revoked portal token is written to its
// patient's log instead (action "portal-token-revoke").
const ActionTokenRevoke = "token-revoke"

// adminActions are the audit actions whose rows may have no patient.
var adminActions = map[string]bool{ActionTokenRevoke: true}

// AuditedWrite runs fn in one write transaction as actor and appends the
// audit rows it returns in that same transaction: the change and its audit
// row commit or roll back together. fn writes with tx; the rows it returns
// need only PatientID (or "" for an admin action), Action and Detail: the
// id, time, actor and device are filled in.
func (db *DB) AuditedWrite(ctx context.Context, actor Actor, fn func(tx *sql.Tx) ([]AuditEntry, error)) error {
	return db.write(ctx, actor, auditedWriteOp{}, func(t *tx) error {
		entries, err := fn(t.tx)
		if err != nil {
			return err
		}
		for _, e := range entries {
			e.ID, e.At, e.ActorID, e.Device = db.NewID(t.now), t.now, actor.ID, actor.Device
			if err := (RecordAccessOp{e}).apply(t); err != nil {
				return err
			}
		}
		return nil
	})
}

// auditedWriteOp names an AuditedWrite to the write hooks.
type auditedWriteOp struct{}

func (auditedWriteOp) OpType() string  { return "audit.write" }
func (auditedWriteOp) apply(*tx) error { return nil }
