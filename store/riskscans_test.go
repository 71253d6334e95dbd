package store_test

import (
	"context"
	"database/sql"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
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

// unscanned counts the patient texts without a kept scan, by source.
func unscanned(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for typ, q := range map[string]string{
		"message":     "SELECT COUNT(*) FROM messages t WHERE t.direction = 'in' AND NOT EXISTS (SELECT 1 FROM risk_scans s WHERE s.source_type = 'message' AND s.source_id = t.id)",
		"submission":  "SELECT COUNT(*) FROM submissions t WHERE NOT EXISTS (SELECT 1 FROM risk_scans s WHERE s.source_type = 'submission' AND s.source_id = t.id)",
		"diary_entry": "SELECT COUNT(*) FROM diary_entries t WHERE NOT EXISTS (SELECT 1 FROM risk_scans s WHERE s.source_type = 'diary_entry' AND s.source_id = t.id)",
		"group_post":  "SELECT COUNT(*) FROM group_posts t WHERE NOT EXISTS (SELECT 1 FROM risk_scans s WHERE s.source_type = 'group_post' AND s.source_id = t.id)",
	} {
		var n int
		if err := db.Writer().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			out[typ] = n
		}
	}
	return out
}

// Texts written through the operations keep their scan with the write:
// inbound messages, submissions and diary entries (outbound messages are
// the therapist's and are not scanned).
func TestWritesKeepRiskScans(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "Joskus haluan kuolla."}, "")
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, TherapistID: f.therapist.ID, Direction: store.DirectionOut, Body: "haluan kuolla?"}, "")
	if err != nil {
		t.Fatal(err)
	}
	calm, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "Kiitos, hyvin menee."}, "")
	if err != nil {
		t.Fatal(err)
	}
	hit := func(typ, id string) (string, bool) {
		t.Helper()
		var h string
		err := f.db.Writer().QueryRow("SELECT hit FROM risk_scans WHERE source_type = ? AND source_id = ?", typ, id).Scan(&h)
		if err == sql.ErrNoRows {
			return "", false
		}
		if err != nil {
			t.Fatal(err)
		}
		return h, true
	}
	if h, ok := hit("message", in.ID); !ok || !strings.Contains(h, "haluan kuolla") {
		t.Errorf("inbound message: kept %v, hit %q; want the phrase kept", ok, h)
	}
	if h, ok := hit("message", calm.ID); !ok || h != "" {
		t.Errorf("calm inbound message: kept %v, hit %q; want kept with no hit", ok, h)
	}
	if _, ok := hit("message", out.ID); ok {
		t.Error("an outbound message was scanned")
	}
	if got := unscanned(t, f.db); len(got) > 0 {
		t.Errorf("texts written without their scan: %v", got)
	}
}

// A store built by the demo (the import path, and posts through the
// operations) holds every text's scan, all made with the current word
// lists, and a report reading them finds what a report scanning every text
// finds. New word lists make the kept scans stale: the report scans again.
func TestDemoKeepsRiskScans(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"), store.Options{Create: true, Clock: func() time.Time { return benchNow }, Random: rand.NewChaCha8([32]byte{2})})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(ctx, db, demo.Config{Seed: 2, Patients: 40, Now: benchNow}); err != nil {
		t.Fatal(err)
	}
	if got := unscanned(t, db); len(got) > 0 {
		t.Errorf("texts written without their scan: %v", got)
	}
	var kept, keys int
	if err := db.Writer().QueryRow("SELECT COUNT(*), COUNT(DISTINCT words) FROM risk_scans").Scan(&kept, &keys); err != nil {
		t.Fatal(err)
	}
	if kept == 0 || keys != 1 {
		t.Errorf("risk_scans holds %d scans under %d word-list keys, want some under one", kept, keys)
	}
	q := store.ReportQuery{From: benchNow.AddDate(-1, 0, 1), To: benchNow}
	raised := func() map[string]int {
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
	fromKept := raised()
	if len(fromKept) == 0 {
		t.Fatal("the demo's year raised no phrase flags")
	}
	// Another process, no kept scans: every text is read and scanned.
	if _, err := db.Writer().Exec("DELETE FROM risk_scans"); err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(ctx, db.Path(), store.Options{Clock: func() time.Time { return benchNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	r, err := other.Report(ctx, store.System("test"), q)
	if err != nil {
		t.Fatal(err)
	}
	fromTexts := map[string]int{}
	for _, s := range r.Risk.BySource {
		fromTexts[s.Source] = s.Raised
	}
	if !maps.Equal(fromKept, fromTexts) {
		t.Errorf("flags from the kept scans %v, from the texts %v", fromKept, fromTexts)
	}
}

// A peer-group post keeps its scan with the write.
func TestGroupPostKeepsRiskScan(t *testing.T) {
	g := newGroupFixture(t, 1)
	p := g.members[0]
	if err := g.join(t, p, "Kettu"); err != nil {
		t.Fatal(err)
	}
	post, err := g.post(t, p, "Joskus haluan kuolla.")
	if err != nil {
		t.Fatal(err)
	}
	var h string
	if err := g.db.Writer().QueryRow("SELECT hit FROM risk_scans WHERE source_type = 'group_post' AND source_id = ?", post.ID).Scan(&h); err != nil {
		t.Fatalf("the post's scan: %v", err)
	}
	if !strings.Contains(h, "haluan kuolla") {
		t.Errorf("the post's kept hit %q, want the phrase", h)
	}
}

// A message pulled into a replica keeps its scan with the pull.
func TestPulledMessageKeepsRiskScan(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.db.Now()
	msg := store.Message{ID: f.db.NewID(now), EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn,
		Body: "Joskus haluan kuolla.", SentAt: now}
	if _, err := f.db.ApplyPulled(ctx, store.PulledBatch{Items: []store.PulledItem{{Type: "message", ID: msg.ID, Record: &msg, PatientID: msg.PatientID}}}); err != nil {
		t.Fatal(err)
	}
	var h string
	if err := f.db.Writer().QueryRow("SELECT hit FROM risk_scans WHERE source_type = 'message' AND source_id = ?", msg.ID).Scan(&h); err != nil {
		t.Fatalf("the pulled message's scan: %v", err)
	}
	if !strings.Contains(h, "haluan kuolla") {
		t.Errorf("the pulled message's kept hit %q, want the phrase", h)
	}
}

// A report tells by counting whether a text of its period lacks a kept
// scan; one that does is found and scanned (and kept again, with its
// text's time). A text deleted (a replica forgetting a patient) takes its
// scan with it, so that no scan counts for a text that is not there.
func TestReportFindsTheTextWithoutAScan(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var ids []string
	for _, body := range []string{"Joskus haluan kuolla.", "Haluan kuolla, en jaksa.", "Kiitos palautteesta."} {
		m, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: body}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	var at, sent string
	if err := f.db.Writer().QueryRow("SELECT s.at, m.sent_at FROM risk_scans s JOIN messages m ON m.id = s.source_id WHERE s.source_id = ?", ids[2]).Scan(&at, &sent); err != nil {
		t.Fatal(err)
	}
	if at != sent {
		t.Errorf("the kept scan's time %q, the message's %q", at, sent)
	}
	q := store.ReportQuery{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	raised := func() int {
		t.Helper()
		// Another process each time: nothing in the queue's cache.
		db, err := store.Open(ctx, f.db.Path(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		r, err := db.Report(ctx, store.System("test"), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Risk.BySource {
			if s.Source == report.SourceMessage {
				return s.Raised
			}
		}
		return 0
	}
	if n := raised(); n != 2 {
		t.Fatalf("raised %d flags in messages, want 2", n)
	}
	if _, err := f.db.Writer().Exec("DELETE FROM risk_scans WHERE source_id = ?", ids[1]); err != nil {
		t.Fatal(err)
	}
	if n := raised(); n != 2 {
		t.Errorf("with one scan missing, raised %d flags in messages, want 2", n)
	}
	if err := f.db.Writer().QueryRow("SELECT at FROM risk_scans WHERE source_id = ?", ids[1]).Scan(&at); err != nil || at == "" {
		t.Errorf("the report kept the scan it made again: %q %v", at, err)
	}
	if _, err := f.db.Writer().Exec("DELETE FROM messages WHERE id = ?", ids[0]); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.db.Writer().QueryRow("SELECT COUNT(*) FROM risk_scans WHERE source_id = ?", ids[0]).Scan(&n); err != nil || n != 0 {
		t.Errorf("the deleted message's scan is still kept (%d, %v)", n, err)
	}
	if n := raised(); n != 1 {
		t.Errorf("after the message was deleted, raised %d flags in messages, want 1", n)
	}
}

// A site's own risk word lists (settings risk_words.*) are read when a
// patient's text is written: the write succeeds and is scanned with them.
func TestWritesWithTheSitesRiskWords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.db.SetPolicyValue(ctx, sys, "risk_words.fi", `["en jaksa enää"]`); err != nil {
		t.Fatal(err)
	}
	in, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "En jaksa enää mitään."}, "")
	if err != nil {
		t.Fatalf("an inbound message after risk_words.fi was set: %v", err)
	}
	var h string
	if err := f.db.Writer().QueryRow("SELECT hit FROM risk_scans WHERE source_type = 'message' AND source_id = ?", in.ID).Scan(&h); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "en jaksa enää") {
		t.Errorf("kept hit %q; want the site's phrase", h)
	}
}
