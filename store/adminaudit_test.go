package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"polku/store"
)

// An admin audit row (a revoked staff token: no patient) is written with
// the write it records, is refused for any other action without a
// patient, and goes through a full export and import like every audit row.
func TestAdminAuditRows(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	root := store.LocalUser("root", "console")
	err := f.db.AuditedWrite(ctx, root, func(tx *sql.Tx) ([]store.AuditEntry, error) {
		return []store.AuditEntry{{Action: store.ActionTokenRevoke, Detail: "token x of anna (therapist) revoked"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.AuditedWrite(ctx, root, func(tx *sql.Tx) ([]store.AuditEntry, error) {
		if _, err := tx.Exec("INSERT INTO meta (key, value) VALUES ('probe', '1')"); err != nil {
			return nil, err
		}
		return []store.AuditEntry{{Action: "read", Detail: "no patient"}}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "audit.patient_id") {
		t.Fatalf("an audit row with no patient for a read: %v", err)
	}
	if _, err := f.db.Meta(ctx, "probe"); err == nil {
		t.Fatal("the write went in though its audit row was refused")
	}
	var exp bytes.Buffer
	if _, err := f.db.Export(ctx, store.System("test"), &exp, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exp.String(), `"action":"token-revoke"`) {
		t.Fatalf("the admin row is not exported:\n%s", exp.String())
	}
	other := openStore(t, newClock())
	if _, err := other.Import(ctx, store.System("test"), bytes.NewReader(exp.Bytes()), false); err != nil {
		t.Fatalf("a full export with an admin audit row does not import: %v", err)
	}
}
