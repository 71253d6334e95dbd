package server_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"testing"

	"polku/store"
	"polku/store/server"
)

// JSON is UTF-8: a body declared in another charset is refused, on every
// endpoint that takes a body (the push included), not read as UTF-8.
func TestBodiesMustBeUTF8(t *testing.T) {
	f := newFixture(t, server.Config{})
	for _, ct := range []string{"application/json; charset=latin1", "application/json; charset=iso-8859-1", "application/json; version=2"} {
		if st, _, body := f.req("POST", "/v1/patient/messages", f.tok["pa"], ct, `{"body": "hei"}`); st != http.StatusUnsupportedMediaType || !strings.Contains(body, "UTF-8") {
			t.Errorf("message as %q: %d %s, want 415", ct, st, body)
		}
		if st, _, body := f.req("POST", "/v1/ops", f.tok["a"], ct, `{"ops":[]}`); st != http.StatusUnsupportedMediaType {
			t.Errorf("push as %q: %d %s, want 415", ct, st, body)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE body = 'hei'"); n != 0 {
		t.Errorf("a refused body wrote %d messages", n)
	}
}

// A cursor past the newest change is one this server never gave (it was
// restored from an older copy): answered 409 resync, as a cursor whose
// check does not match, not 200 with the cursor echoed back.
func TestCursorPastTheHeadIsResync(t *testing.T) {
	f := newFixture(t, server.Config{})
	st, body := f.do("GET", "/v1/changes?since=99999999", f.tok["a"], "")
	if st != http.StatusConflict || !strings.Contains(body, `"resync"`) {
		t.Fatalf("since past the head: %d %s, want 409 resync", st, body)
	}
	if st, body := f.do("GET", "/v1/changes?since=0", f.tok["a"], ""); st != http.StatusOK {
		t.Fatalf("since=0: %d %s", st, body)
	}
}

// A request the store refuses as invalid is a 400 that names the field,
// from every handler: a device name with a terminal escape is the
// client's mistake, not an internal error.
func TestInvalidFieldsAre400(t *testing.T) {
	f := newFixture(t, server.Config{})
	st, body := f.do("POST", "/v1/admin/patient-tokens", f.tok["a"], `{"patient_id":"`+f.pa.ID+`","device":"x\u001b[31m"}`)
	if st != http.StatusBadRequest || !strings.Contains(body, "device") || strings.Contains(body, "internal") {
		t.Fatalf("a device name with an escape: %d %s, want 400 naming device", st, body)
	}
	if strings.Contains(body, "\x1b") || strings.Contains(body, "\\u001b[31m") {
		t.Errorf("the answer echoes the escape: %s", body)
	}
	if n := f.count("SELECT COUNT(*) FROM tokens WHERE device LIKE 'x%'"); n != 0 {
		t.Errorf("the refused token was stored")
	}
}

// A portal message that is only an escape sequence shows as nothing: 400,
// not an empty unanswered message in the therapist's queue.
func TestEscapeOnlyMessagesAre400(t *testing.T) {
	f := newFixture(t, server.Config{})
	for _, body := range []string{`"\u001b[31m"`, `"\u001b]0;t\u0007"`, `"\u009b2J"`} {
		st, resp := f.do("POST", "/v1/patient/messages", f.tok["pa"], `{"body": `+body+`}`)
		if st != http.StatusBadRequest || !strings.Contains(resp, "body") {
			t.Errorf("message %s: %d %s, want 400", body, st, resp)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE body LIKE '%' || char(27) || '%' OR body LIKE '%' || char(155) || '%'"); n != 0 {
		t.Errorf("%d escape-only messages stored", n)
	}
}

// Revoking a staff or admin token writes an audit row, as revoking a
// portal token does: an admin row with no patient (action token-revoke)
// naming the token and its account, by whoever revoked it, through the
// CLI's function and through DELETE /v1/admin/tokens/{id} alike.
func TestRevokingAStaffTokenIsAudited(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	root := store.LocalUser("root", "console")
	if n, err := server.RevokeTokens(ctx, f.db, root, "", f.a.ID); err != nil || n != 1 {
		t.Fatalf("revoke a's token: %d %v", n, err)
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = '' AND actor_id = 'os:root' AND device = 'console' AND action = 'token-revoke' AND detail LIKE '%of " + f.a.Handle + " (therapist)%'"); n != 1 {
		t.Fatalf("%d audit rows for a's revoked token, want 1", n)
	}
	var id string
	if err := f.db.Reader().QueryRow("SELECT id FROM tokens WHERE subject_id = ? AND revoked_at IS NULL", f.fx.Supervisor.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if st, body := f.do("DELETE", "/v1/admin/tokens/"+id, f.tok["admin"], ""); st != http.StatusNoContent {
		t.Fatalf("revoke sup's token through the API: %d %s", st, body)
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = '' AND action = 'token-revoke' AND actor_id = (SELECT id FROM therapists WHERE handle = 'admin') AND detail LIKE '%" + id + "%'"); n != 1 {
		t.Fatalf("%d audit rows for the API's revocation, want 1", n)
	}
	// The list names who revoked.
	list, err := server.ListTokens(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, ti := range list {
		switch {
		case ti.ID == id && ti.RevokedByHandle != "admin":
			t.Errorf("the API's revocation: revoked by %q, want admin", ti.RevokedByHandle)
		case ti.SubjectID == f.a.ID && ti.RevokedByHandle != "os:root":
			t.Errorf("a's revocation: revoked by %q, want os:root", ti.RevokedByHandle)
		}
	}
}

// A revocation and its audit row are one transaction: when the audit row
// cannot be written, the token is not revoked either.
func TestRevocationAndItsAuditCommitTogether(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	failAudit := true
	f.db.AddWriteHook(func(ctx context.Context, tx *sql.Tx, op store.Op, actor store.Actor) error {
		if failAudit && strings.HasPrefix(op.OpType(), "audit.") {
			return errors.New("the audit log is full")
		}
		return nil
	})
	for _, subject := range []string{f.pa.ID, f.b.ID} {
		if _, err := server.RevokeTokens(ctx, f.db, store.LocalUser("root", "console"), "", subject); err == nil {
			t.Errorf("revoking %s's tokens with the audit failing succeeded", subject)
		}
		if n := f.count("SELECT COUNT(*) FROM tokens WHERE subject_id = ? AND revoked_at IS NOT NULL", subject); n != 0 {
			t.Errorf("%d of %s's tokens revoked without their audit row", n, subject)
		}
	}
	failAudit = false
	if n, err := server.RevokeTokens(ctx, f.db, store.LocalUser("root", "console"), "", f.pa.ID); err != nil || n != 1 {
		t.Fatalf("revoke pa's token: %d %v", n, err)
	}
}

// GET /v1/audit/{patient}: the access report from the server's audit log,
// for whoever may read the record (as store.PatientAuditLog), and the read
// is itself audited with the token's device.
func TestAuditEndpoint(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	if err := f.db.RecordAccess(ctx, store.ActorFor(f.a, "desk"), f.pa.ID, "read", "tui:record"); err != nil {
		t.Fatal(err)
	}
	st, body := f.do("GET", "/v1/audit/"+f.pa.Pseudonym, f.tok["a"], "")
	if st != http.StatusOK || !strings.Contains(body, `"tui:record"`) || !strings.Contains(body, `"who":"`+f.a.Handle+`"`) || !strings.Contains(body, `"time_zone":"Europe/Helsinki"`) {
		t.Fatalf("a reads pa's access report: %d %s", st, body)
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = ? AND detail = 'api:audit' AND device = 'dev-a'", f.pa.ID); n != 1 {
		t.Errorf("%d audit rows for reading the report, want 1", n)
	}
	for _, c := range []struct {
		tok  string
		want int
	}{{"b", http.StatusNotFound}, {"pa", http.StatusForbidden}, {"admin", http.StatusForbidden}} {
		if st, body := f.do("GET", "/v1/audit/"+f.pa.ID, f.tok[c.tok], ""); st != c.want {
			t.Errorf("%s reads pa's access report: %d %s, want %d", c.tok, st, body, c.want)
		}
	}
}
