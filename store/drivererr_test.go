package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"polku/store"
)

// Errors from the store name the record and what is wrong, never the
// driver's own text (SQL, table names, result codes): that text reaches
// screens and HTTP answers.
func TestConstraintErrorsHideTheDriver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m, err := f.db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "hi"}, "")
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.Apply(ctx, f.actor, store.SendMessageOp{Message: m})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("the same message twice: %v, want ErrConflict", err)
	}
	for _, raw := range []string{"constraint failed", "UNIQUE", "(1555)", "(2067)", "messages.id"} {
		if strings.Contains(err.Error(), raw) {
			t.Errorf("error %q shows the driver's text %q", err, raw)
		}
	}
	if !strings.Contains(err.Error(), m.ID) {
		t.Errorf("error %q does not name the record", err)
	}
}
