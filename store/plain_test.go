package store_test

import (
	"context"
	"errors"
	"testing"

	"polku/store"
)

// The store refuses control characters in every field of an audit row:
// what was done, the detail, the device and who did it. Each is shown in
// the access report a patient may ask for.
func TestAuditRefusesControlCharacters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, err := f.db.AuditLog(ctx, f.patient.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"\x1b[2J", "\u009b31m", "\u202e", "\u2066", "\x07", "\n"} {
		for _, c := range []struct {
			field          string
			actor          store.Actor
			action, detail string
		}{
			{"action", f.actor, "read" + bad, "overview"},
			{"detail", f.actor, "read", "overview" + bad},
			{"device", store.ActorFor(f.therapist, "lap"+bad+"top"), "read", "overview"},
			{"actor_id", store.LocalUser("ad"+bad+"min", "lap"), "read", "overview"},
		} {
			err := f.db.RecordAccess(ctx, c.actor, f.patient.ID, c.action, c.detail)
			var fe *store.FieldError
			if !errors.As(err, &fe) || fe.Record != "audit" || fe.Field != c.field {
				t.Errorf("%q in %s: got %v, want an audit.%s field error", bad, c.field, err, c.field)
			}
		}
	}
	after, _ := f.db.AuditLog(ctx, f.patient.ID)
	if len(after) != len(before) {
		t.Fatalf("refused audit rows were written: %d before, %d after", len(before), len(after))
	}
	// Plain text in any language is fine.
	if err := f.db.RecordAccess(ctx, store.ActorFor(f.therapist, "Åsa's läppäri"), f.patient.ID, "read", "yleiskatsaus — översikt"); err != nil {
		t.Fatal(err)
	}
}

// CheckPlain is the same rule for fields stored outside an operation (a
// token's device on the server).
func TestCheckPlain(t *testing.T) {
	if err := store.CheckPlain("token", "device", "phone\u202egpj.exe"); err == nil || err.Error() != "token.device: contains a control character (U+202E); use plain text" {
		t.Errorf("got %v", err)
	}
	if err := store.CheckPlain("token", "device", "Annan puhelin"); err != nil {
		t.Errorf("plain text refused: %v", err)
	}
}
