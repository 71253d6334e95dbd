package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"polku/store"
)

// A message nobody can see is not a message: blank text, or text of only
// control and invisible characters, is refused wherever it comes from.
func TestBlankMessagesAreRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, body := range []string{" ", "\n\t \r\n", "\u00a0\u3000", "\x07\x1b\x00", "\x1b\x1b \x7f", "\u200b\ufeff", "\u0085\u009b"} {
		_, err := f.db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: body}, "")
		if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "message.body") {
			t.Errorf("body %q: %v, want invalid message.body", body, err)
		}
	}
	for _, body := range []string{"ok", "  kiitos  ", "\x1b[31mred\x1b[0m"} {
		if _, err := f.db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: body}, ""); err != nil {
			t.Errorf("body %q: %v", body, err)
		}
	}
}
