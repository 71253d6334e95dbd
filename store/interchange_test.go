package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"polku/programs/builtin"
	"polku/store"
)

// A restore as people do it: a fresh store gets the built-in programs from
// init (with its own ids), then the export of another store is imported.
// The built-ins in the file are the same content: recognised as unchanged,
// and the records that refer to them follow the stored versions.
func TestImportIntoInitialisedStore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.submit(t, "restored")
	var exp bytes.Buffer
	if _, err := f.db.Export(ctx, sys, &exp, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	c.advance(time.Hour)
	fresh := openStore(t, c)
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	sum, err := fresh.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false)
	if err != nil {
		t.Fatalf("import into an initialised store: %v", err)
	}
	if sum.Added["program"] != 0 || sum.Added["instrument"] != 0 || sum.Added["enrollment"] != 1 || sum.Added["submission"] != 1 {
		t.Fatalf("summary %+v", sum)
	}
	stored, err := fresh.ProgramVersion(ctx, "gad", 0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := fresh.ResolvePatient(ctx, f.patient.Pseudonym)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := fresh.PatientRecord(ctx, sys, p.ID, "overview")
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := rec.Current(); e.ProgramVersionID != stored.ID {
		t.Fatalf("the enrollment refers to %s, want the stored gad version %s", e.ProgramVersionID, stored.ID)
	}
	// Importing the same file again changes nothing.
	sum, err = fresh.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false)
	if err != nil || sum.Unchanged != sum.Lines {
		t.Fatalf("re-import: %+v, %v", sum, err)
	}
}

// A real clash names the field, the value and both records.
func TestImportClashNamesFieldAndRecords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var exp bytes.Buffer
	f.db.Export(ctx, sys, &exp, store.ExportFilter{})
	other := openStore(t, newClock())
	other.AddTherapist(ctx, sys, store.Therapist{Handle: "anna", Name: "Another Anna", Role: store.RoleTherapist, Team: "north", Capacity: 10})
	stored, _ := other.TherapistByHandle(ctx, "anna")
	_, err := other.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false)
	if err == nil {
		t.Fatal("a clashing handle was imported")
	}
	for _, want := range []string{`handle "anna"`, f.therapist.ID, stored.ID} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("clash error %q does not name %s", err, want)
		}
	}
	// The same id with other content names the field and both values.
	changed := strings.Replace(exp.String(), `"name":"Anna Virtanen"`, `"name":"Anna V."`, 1)
	if _, err := f.db.Import(ctx, sys, strings.NewReader(changed), false); err == nil ||
		!strings.Contains(err.Error(), `name: "Anna V." in the file, "Anna Virtanen" stored`) {
		t.Fatalf("changed content: %v", err)
	}
}

// import reports every bad line up to a limit, then how many more there were.
func TestImportReportsManyBadLines(t *testing.T) {
	db := openStore(t, newClock())
	var in strings.Builder
	for i := 0; i < 80; i++ {
		in.WriteString(`{"type":"alien"}` + "\n")
	}
	_, err := db.Import(context.Background(), sys, strings.NewReader(in.String()), false)
	var ie store.ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("got %v", err)
	}
	if len(ie.Lines) != store.MaxImportErrors || ie.Total != 80 {
		t.Fatalf("reported %d of %d bad lines, want %d of 80", len(ie.Lines), ie.Total, store.MaxImportErrors)
	}
}

// export escapes C1 and bidi controls, so that 'cat' of the file cannot
// drive a terminal, and import reads them back exactly.
func TestExportEscapesC1AndRoundTrips(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	body := "CSI \u009b31m red, OSC \u009d0;title\u009c, RLO \u202eevil\u202c, and ä ö – fine"
	if _, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: body}, ""); err != nil {
		t.Fatal(err)
	}
	var exp bytes.Buffer
	if _, err := f.db.Export(ctx, sys, &exp, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range exp.String() {
		if (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) {
			t.Fatalf("export holds a raw control U+%04X", r)
		}
	}
	if !strings.Contains(exp.String(), `CSI \u009b31m`) || !strings.Contains(exp.String(), `ä ö – fine`) {
		t.Fatalf("export does not escape as expected:\n%s", exp.String())
	}
	other := openStore(t, newClock())
	if _, err := other.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	other.Export(ctx, sys, &again, store.ExportFilter{})
	if again.String() != exp.String() {
		t.Fatal("the round trip changed the file")
	}
	if !strings.Contains(again.String(), `CSI \u009b31m`) {
		t.Fatal("lost the C1 character")
	}
	p, _ := other.ResolvePatient(ctx, f.patient.Pseudonym)
	rec, err := other.PatientRecord(ctx, sys, p.ID, "messages")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range rec.Messages {
		found = found || m.Body == body
	}
	if !found {
		t.Fatal("the imported message body is not the exported one")
	}
}

// A built-in version stored with other content than the file's is a real
// clash: it names the program, its version, both ids and what to do.
func TestImportClashOnProgramVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var exp bytes.Buffer
	f.db.Export(ctx, sys, &exp, store.ExportFilter{})
	c := newClock()
	c.advance(time.Hour) // other ids than the fixture's
	other := openStore(t, c)
	b, _ := builtin.Load()
	for _, d := range b.Docs {
		if d.Program != nil && d.Program.ID == "gad" {
			d.Program.Title += " (edited)"
		}
	}
	if _, err := other.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	stored, _ := other.ProgramVersion(ctx, "gad", 0)
	_, err := other.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false)
	if err == nil {
		t.Fatal("a program version with other content was taken as the same")
	}
	for _, want := range []string{`program_id "gad", version 2`, stored.ID, "new version", "polku init --no-builtin"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("clash error %q does not say %s", err, want)
		}
	}
}

// A backup made before the built-in content was revised (the store of
// commit 602552d: every built-in at version 1, no crisis blocks, no patient
// titles) restores into a store made today: the old versions come back as
// they were, next to the revised built-ins at version 2, and the patient
// enrolled on version 1 keeps version 1's text.
func TestRestoreBackupOfVersionOneContent(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, newClock())
	b, _ := builtin.Load()
	if _, err := db.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/export-602552d.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, sys, bytes.NewReader(data), false); err != nil {
		t.Fatalf("restore of a version-1 backup: %v", err)
	}
	for _, id := range []string{"gad", "depression", "insomnia", "social-anxiety-youth"} {
		newest, err := db.ProgramVersion(ctx, id, 0)
		if err != nil || newest.Version != 2 {
			t.Errorf("newest %s = %d (%v), want the revised built-in, version 2", id, newest.Version, err)
		}
	}
	old, err := db.ProgramVersion(ctx, "insomnia", 1)
	if err != nil {
		t.Fatal(err)
	}
	def, err := db.ProgramDef(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if def.Crisis != nil || len(def.GoAhead) > 0 {
		t.Errorf("insomnia version 1 came back with the revised content (crisis %v, go-ahead %v)", def.Crisis != nil, def.GoAhead)
	}
	rec, err := db.PatientRecord(ctx, sys, "p1", "overview")
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := rec.Current(); e.ProgramVersionID != old.ID {
		t.Errorf("the enrollment is on %s, want insomnia version 1 (%s)", e.ProgramVersionID, old.ID)
	}
}
