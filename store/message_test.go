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
	for _, body := range []string{" ", "\n\t \r\n", "\u00a0\u3000", "\x07\x1b\x00", "\x1b\x1b \x7f", "\u200b\ufeff", "\u0085\u009b",
		"\x1b[31m", "\x1b]0;t\x07", "\u009b2J", " \x1b[1;31m \x1b[0m\u00ad\u2028"} {
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

// A name is one line: the line and paragraph separators U+2028 and U+2029
// are refused in it, as control characters are.
func TestLineSeparatorsRefusedInNames(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, name := range []string{"Anna\u2028Virtanen", "Anna\u2029Virtanen"} {
		_, err := f.db.AddTherapist(ctx, f.actor, store.Therapist{Handle: "bo", Name: name, Role: store.RoleTherapist})
		if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "therapist.name") {
			t.Errorf("name %q: %v, want invalid therapist.name", name, err)
		}
		if err := store.CheckPlain("token", "device", name); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("device %q: %v, want invalid", name, err)
		}
	}
}
