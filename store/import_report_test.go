package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"polku/programs/builtin"
	"polku/store"
)

// One bad line is reported once; the lines that only refer to the record
// it would have made (and to records refused because of it) are counted,
// not listed one by one.
func TestImportReportsTheCauseOnceAndCountsDependents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := 0; i < 30; i++ {
		f.clock.advance(time.Minute)
		if _, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn,
			Body: fmt.Sprintf("message %d", i)}, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.submit(t, "some answer")
	var exp bytes.Buffer
	if _, err := f.db.Export(ctx, sys, &exp, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(exp.String(), `"handle":"anna"`, `"handle":"Anna Virtanen!"`, 1)
	if bad == exp.String() {
		t.Fatal("no therapist line to spoil")
	}
	other := openStore(t, newClock())
	b, _ := builtin.Load()
	other.ImportPrograms(ctx, sys, b, false)
	_, err := other.Import(ctx, sys, strings.NewReader(bad), false)
	var ie store.ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("got %v", err)
	}
	if len(ie.Lines) != 1 || !strings.Contains(ie.Lines[0].Error(), "handle") {
		t.Fatalf("listed %d lines, want only the therapist's: %v", len(ie.Lines), err)
	}
	// The enrollment, its 30 messages and the submission at least.
	if ie.Dependent < 32 || ie.Total != 1+ie.Dependent {
		t.Fatalf("dependent %d of %d bad lines: %v", ie.Dependent, ie.Total, err)
	}
	if want := fmt.Sprintf("%d lines refer to records refused above", ie.Dependent); !strings.Contains(err.Error(), want) {
		t.Fatalf("report %q does not say %q", err, want)
	}
}

// A built-in stored with other content than the file's names the field
// that differs, with both values, besides the key and both hashes.
func TestImportClashOnInstrumentNamesTheField(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var exp bytes.Buffer
	f.db.Export(ctx, sys, &exp, store.ExportFilter{})
	c := newClock()
	c.advance(time.Hour)
	other := openStore(t, c)
	b, _ := builtin.Load()
	for _, d := range b.Docs {
		if d.Instrument != nil && d.Instrument.ID == "gad7" {
			nine := 9
			d.Instrument.Caseness = &nine
		}
	}
	if _, err := other.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	_, err := other.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false)
	if err == nil || !strings.Contains(err.Error(), "caseness: 8 in the file, 9 stored") || !strings.Contains(err.Error(), "hash") {
		t.Fatalf("clash: %v", err)
	}
}
