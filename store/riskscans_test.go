package store_test

import (
	"context"
	"testing"
	"time"

	"polku/store"
	"polku/store/report"
)

// A report finds risk phrases in diary entries too, keeps what it scanned
// in the risk_scans table, and a later report in another process reads the
// kept results instead of the texts; new word lists scan again.
func TestReportKeepsRiskScans(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	msg, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "Joskus haluan kuolla."}, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0002", DisplayName: "Unen Potilas", BirthDate: "1980-01-01", Language: "fi"})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := f.db.ProgramVersion(ctx, "insomnia", 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: f.therapist.ID, UnlockedModules: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.db.AddDiary(ctx, sys, store.DiaryEntry{EnrollmentID: e.ID, PatientID: p.ID, ExerciseID: "sleep-diary", Date: "2026-11-16",
		Fields: map[string]string{"bed_time": "23:00", "lights_out": "23:30", "onset_min": "60", "awakenings": "3", "waso_min": "90",
			"final_wake": "05:00", "out_of_bed": "07:00", "quality": "1", "naps_min": "0", "sleep_aid": "unilääke, haluan kuolla"}})
	if err != nil {
		t.Fatal(err)
	}
	q := store.ReportQuery{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	raised := func(db *store.DB) map[string]int {
		t.Helper()
		r, err := db.Report(ctx, store.System("test"), q)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, s := range r.Risk.BySource {
			out[s.Source] = s.Raised
		}
		return out
	}
	want := func(got map[string]int, msgs, diaries int) {
		t.Helper()
		if got[report.SourceMessage] != msgs || got[report.SourceDiary] != diaries {
			t.Errorf("raised %v, want %d in messages and %d in diary entries", got, msgs, diaries)
		}
	}
	want(raised(f.db), 1, 1)
	var kept, hits int
	if err := f.db.Writer().QueryRow("SELECT COUNT(*), COUNT(NULLIF(hit, '')) FROM risk_scans").Scan(&kept, &hits); err != nil {
		t.Fatal(err)
	}
	if kept != 2 || hits != 2 {
		t.Errorf("risk_scans holds %d scans with %d hits, want the period's 2 texts, both hits", kept, hits)
	}

	// The texts change under the kept results (a test's shortcut: records
	// are append-only): another process's report trusts what was kept.
	for _, s := range []string{"UPDATE messages SET body = 'kiitos' WHERE id = '" + msg.ID + "'",
		`UPDATE diary_entries SET fields = '{"sleep_aid":"ei mitään"}' WHERE id = '` + d.ID + "'"} {
		if _, err := f.db.Writer().Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	other, err := store.Open(ctx, f.db.Path(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	want(raised(other), 1, 1)

	// New word lists: every text is scanned again, and the changed texts
	// no longer match.
	if err := other.SetPolicyValue(ctx, sys, "risk_words.fi", `["en jaksa"]`); err != nil {
		t.Fatal(err)
	}
	want(raised(other), 0, 0)
}
