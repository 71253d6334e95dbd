package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"polku/internal/i18n"
	"strings"
	"testing"

	"modernc.org/sqlite"

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

// A store another process is writing to, a damaged store file, and a file
// that is not a store are told as what to do, without the driver's words
// or result codes ("database is locked (5) (SQLITE_BUSY)").
func TestDriverErrorsAreSentences(t *testing.T) {
	ctx := context.Background()
	noCodes := func(t *testing.T, msg string) {
		t.Helper()
		for _, raw := range []string{"(5)", "(11)", "(26)", "(14)", "SQLITE_", "database is locked", "malformed", "begin write"} {
			if strings.Contains(msg, raw) {
				t.Errorf("%q shows the driver's %q", msg, raw)
			}
		}
	}
	t.Run("busy", func(t *testing.T) {
		if testing.Short() {
			t.Skip("waits for the busy timeout")
		}
		f := newFixture(t)
		lock, err := sql.Open("sqlite", "file:"+f.db.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Close()
		conn, err := lock.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, "ROLLBACK")
		_, err = f.db.AddTherapist(ctx, f.actor, store.Therapist{Handle: "bo", Name: "Bo", Role: store.RoleTherapist})
		if err == nil || err.Error() != "the store is busy: another polku is writing to it; try again" {
			t.Errorf("a write while the store is locked: %v", err)
		}
		if got := store.ExplainError(i18n.New("en"), fmt.Errorf("add bo: %w", err)); got != "add bo: the store is busy: another polku is writing to it; try again" {
			t.Errorf("ExplainError = %q", got)
		}
		var se *sqlite.Error
		if !errors.As(err, &se) {
			t.Errorf("the driver's error is not kept for errors.As: %v", err)
		}
		// In the reader's language, inside whatever wrapped it.
		for lang, want := range map[string]string{
			"fi": "add bo: tietovarasto on varattu: toinen polku kirjoittaa siihen; yritä uudelleen",
			"sv": "add bo: lagret är upptaget: en annan polku skriver till det; försök igen",
		} {
			if got, ok := store.LocalizeError(i18n.New(lang), fmt.Errorf("add bo: %w", err)); !ok || got != want {
				t.Errorf("LocalizeError in %s = %q, %v; want %q", lang, got, ok, want)
			}
		}
	})
	t.Run("damaged", func(t *testing.T) {
		f := newFixture(t)
		path := f.db.Path()
		f.db.Close()
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, st.Size()/2); err != nil {
			t.Fatal(err)
		}
		os.Remove(path + "-wal")
		db, err := store.Open(ctx, path, store.Options{})
		if err == nil {
			_, err = db.Therapists(ctx)
			if err == nil {
				_, err = db.Patients(ctx, store.LocalUser("u", "d"), store.PatientFilter{})
			}
			db.Close()
		}
		if err == nil {
			t.Skip("the truncated file still reads")
		}
		got := store.ExplainError(i18n.New("en"), err)
		if !strings.Contains(got, "damaged") {
			t.Errorf("a truncated store: %q, want it called damaged", got)
		}
		noCodes(t, got)
	})
	t.Run("not a store", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		if err := writeFile(path, strings.Repeat("this is not sqlite. ", 20)); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(ctx, path, store.Options{})
		if err == nil {
			t.Fatal("opened a text file")
		}
		noCodes(t, err.Error())
	})
}

// A store path that cannot be opened (here a folder) says so, without the
// driver's "(14)".
func TestCannotOpenSaysWhy(t *testing.T) {
	dir := t.TempDir()
	_, err := store.Open(context.Background(), dir, store.Options{})
	if err == nil {
		t.Fatal("opened a folder as a store")
	}
	if msg := store.ExplainError(i18n.New("en"), err); strings.Contains(msg, "(14)") || strings.Contains(msg, "SQLITE") || strings.Contains(msg, "unable to open") {
		t.Errorf("opening a folder: %q", msg)
	}
}
