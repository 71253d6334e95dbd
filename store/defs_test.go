package store_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"polku/store"
)

// A program or instrument definition is parsed once per stored version,
// by readers and inside write transactions alike, and shared; a new
// version is a new entry, seen at once.
func TestDefinitionsParsedOncePerVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	db := f.db
	message := func(body string) {
		t.Helper()
		if _, err := db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionOut,
			TherapistID: f.therapist.ID, Body: body}, ""); err != nil {
			t.Fatal(err)
		}
	}
	measure := func() {
		t.Helper()
		if _, err := db.AddMeasure(ctx, store.Actor{ID: "patient:" + f.patient.ID}, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID,
			InstrumentID: "gad7", InstrumentVersion: 1, Answers: []int{1, 1, 1, 1, 1, 1, 1}}); err != nil {
			t.Fatal(err)
		}
	}
	// The enrollment's program was parsed when it was made; its
	// instrument is parsed by the first measure.
	measure()
	parsed := store.DefParses(db)
	for i := range 5 {
		message("message " + itoa(i))
		measure()
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.ProgramDef(ctx, f.enroll.ProgramVersionID)
			db.InstrumentDef(ctx, "gad7", 1)
		}()
	}
	wg.Wait()
	if n := store.DefParses(db) - parsed; n != 0 {
		t.Fatalf("%d definitions parsed again for writes and reads of stored versions", n)
	}
	a, _ := db.ProgramDef(ctx, f.enroll.ProgramVersionID)
	b, _ := db.ProgramDef(ctx, f.enroll.ProgramVersionID)
	if a != b {
		t.Fatal("two reads of one version got two parsed definitions")
	}

	// A new version of the program and of the instrument.
	now := db.Now()
	next := func(table, col, id string) int {
		var v int
		db.Reader().QueryRowContext(ctx, "SELECT MAX(version) + 1 FROM "+table+" WHERE "+col+" = ?", id).Scan(&v)
		return v
	}
	prog := *f.program
	prog.Version, prog.Title = next("program_versions", "program_id", prog.ID), "GAD, second edition"
	rawProg, _ := json.Marshal(prog)
	in, err := db.InstrumentDef(ctx, "gad7", 1)
	if err != nil {
		t.Fatal(err)
	}
	inst := *in
	inst.Version, inst.Title = next("instruments", "instrument_id", "gad7"), "GAD-7, second edition"
	rawInst, _ := json.Marshal(inst)
	pv := store.ProgramVersion{ID: db.NewID(now), ProgramID: prog.ID, Version: prog.Version, Title: prog.Title, Language: prog.Language, Hash: "v2", Definition: rawProg, ImportedAt: now}
	iv := store.InstrumentVersion{ID: db.NewID(now), InstrumentID: "gad7", Version: inst.Version, Title: inst.Title, Hash: "v2", Definition: rawInst, ImportedAt: now}
	if err := db.Apply(ctx, sys, store.ImportProgramsOp{Programs: []store.ProgramVersion{pv}, Instruments: []store.InstrumentVersion{iv}}); err != nil {
		t.Fatal(err)
	}
	parsed = store.DefParses(db)
	p2, err := db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0002", DisplayName: "Second Patient", BirthDate: "1991-05-01", Language: "fi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Enroll(ctx, sys, store.Enrollment{PatientID: p2.ID, ProgramVersionID: pv.ID, TherapistID: f.therapist.ID, UnlockedModules: 1}, 0); err != nil {
		t.Fatal(err)
	}
	got, err := db.ProgramDef(ctx, pv.ID)
	if err != nil || got.Title != prog.Title {
		t.Fatalf("the new version: %v %v", got, err)
	}
	newest, err := db.InstrumentDef(ctx, "gad7", 0)
	if err != nil || newest.Version != inst.Version || newest.Title != inst.Title {
		t.Fatalf("the newest instrument: %+v %v", newest, err)
	}
	if n := store.DefParses(db) - parsed; n != 2 {
		t.Fatalf("%d definitions parsed for two new versions, want 2", n)
	}
	if old, _ := db.ProgramDef(ctx, f.enroll.ProgramVersionID); old != a {
		t.Fatal("the old version was parsed again")
	}
}
