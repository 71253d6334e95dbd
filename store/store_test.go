package store_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/programs"
	"polku/programs/builtin"
	"polku/store"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)} }
func seeded(seed uint64) *rand.ChaCha8   { var s [32]byte; s[0] = byte(seed); return rand.NewChaCha8(s) }

func openStore(t testing.TB, c *clock) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "polku.db"), store.Options{Clock: c.now, Create: true, Random: seeded(1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var sys = store.System("test")

type fixture struct {
	db        *store.DB
	clock     *clock
	therapist store.Therapist
	actor     store.Actor
	patient   store.Patient
	enroll    store.Enrollment
	program   *programs.Program
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	c := newClock()
	db := openStore(t, c)
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	th, err := db.AddTherapist(ctx, sys, store.Therapist{Handle: "anna", Name: "Anna Virtanen", Role: store.RoleTherapist, Team: "south", Languages: []string{"fi", "en"}, Capacity: 100})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0001", DisplayName: "Test Patient", BirthDate: "1990-05-01", Language: "fi"})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := db.ProgramVersion(ctx, "gad", 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: th.ID, UnlockedModules: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := db.ProgramDef(ctx, pv.ID)
	return &fixture{db: db, clock: c, therapist: th, actor: store.ActorFor(th, "test"), patient: p, enroll: e, program: def}
}

func (f *fixture) submit(t testing.TB, text string) store.Submission {
	t.Helper()
	m := f.program.Modules[0]
	ex := m.Exercises[0]
	answers := map[string]string{}
	if len(ex.Fields) == 0 {
		answers["text"] = text
	} else {
		for _, fl := range ex.Fields {
			if fl.Type == programs.FieldText {
				answers[fl.ID] = text
			}
		}
	}
	s, err := f.db.Submit(context.Background(), sys, store.Submission{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, ModuleID: m.ID, ExerciseID: ex.ID, Answers: answers})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMigrateFromEmpty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "polku.db")
	if _, err := store.Open(ctx, path, store.Options{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("opening a missing store without Create: got %v, want ErrNotFound", err)
	}
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	epoch, err := db.Meta(ctx, "epoch")
	if err != nil || len(epoch) != 36 {
		t.Fatalf("epoch = %q, %v", epoch, err)
	}
	db.Close()
	// Reopening migrates nothing and keeps the epoch.
	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, _ := db.Meta(ctx, "epoch")
	if again != epoch {
		t.Fatalf("epoch changed on reopen: %s -> %s", epoch, again)
	}
	var v int
	db.Reader().QueryRow("PRAGMA user_version").Scan(&v)
	if v != store.SchemaVersion() || v < 1 {
		t.Fatalf("user_version = %d, want %d", v, store.SchemaVersion())
	}
	var mode string
	db.Reader().QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal_mode = %s, want wal", mode)
	}
}

func TestNotAStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	if err := writeFile(path, "this is not sqlite, just text that is long enough to be a header of a file......"); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "not a polku store") {
		t.Fatalf("got %v, want a 'not a polku store' error", err)
	}
}

func TestFeedbackFlowWritesChangesAndAudit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	seq0, _ := f.db.LastSeq(ctx)
	s := f.submit(t, "I worried about work all week.")
	d, err := f.db.SaveDraft(ctx, f.actor, store.Draft{PatientID: f.patient.ID, TargetType: store.DraftFeedback, TargetID: s.ID, Body: "Thank you"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 1 {
		t.Fatalf("new draft version = %d, want 1", d.Version)
	}
	d.Body = "Thank you for writing this down."
	if d, err = f.db.SaveDraft(ctx, f.actor, d); err != nil || d.Version != 2 {
		t.Fatalf("update draft: version %d, %v", d.Version, err)
	}
	stale := d
	stale.Version = 1
	if _, err := f.db.SaveDraft(ctx, f.actor, stale); !store.IsConflict(err) {
		t.Fatalf("stale draft save: got %v, want a conflict", err)
	}
	fb, err := f.db.SendFeedback(ctx, f.actor, store.Feedback{SubmissionID: s.ID, EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Body: d.Body}, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := f.db.PatientRecord(ctx, f.actor, f.patient.ID, "submission")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Drafts) != 0 {
		t.Fatalf("draft survived sending: %+v", rec.Drafts)
	}
	if got := rec.FeedbackFor(s.ID); len(got) != 1 || got[0].ID != fb.ID || got[0].TherapistID != f.therapist.ID {
		t.Fatalf("feedback on submission = %+v", got)
	}
	changes, _ := f.db.Changes(ctx, seq0, 100)
	var kinds []string
	for _, c := range changes {
		kinds = append(kinds, c.Entity+":"+c.Op)
	}
	want := "submissions:insert drafts:insert drafts:update feedback:insert drafts:delete"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("change log = %v, want %s", kinds, want)
	}
	audit, _ := f.db.AuditLog(ctx, f.patient.ID)
	if len(audit) != 1 || audit[0].ActorID != f.therapist.ID || audit[0].Detail != "submission" || audit[0].Device != "test" {
		t.Fatalf("audit = %+v", audit)
	}
	// Reading does not move the change log (the TUI watches it).
	after, _ := f.db.LastSeq(ctx)
	if after != changes[len(changes)-1].Seq {
		t.Fatalf("a read moved the change log to %d", after)
	}
}

func TestAccessIsEnforced(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "bert", Name: "Bert", Role: store.RoleTherapist, Team: "north"})
	sup, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara", Role: store.RoleSupervisor, Team: "south"})
	nsup, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "nils", Name: "Nils", Role: store.RoleSupervisor, Team: "north"})
	for _, c := range []struct {
		who  store.Therapist
		want error
	}{{f.therapist, nil}, {other, store.ErrForbidden}, {sup, nil}, {nsup, store.ErrForbidden}} {
		_, err := f.db.PatientRecord(ctx, store.ActorFor(c.who, "t"), f.patient.ID, "overview")
		if !errors.Is(err, c.want) {
			t.Errorf("%s reading: got %v, want %v", c.who.Handle, err, c.want)
		}
	}
	audit, _ := f.db.AuditLog(ctx, f.patient.ID)
	if len(audit) != 2 {
		t.Fatalf("want 2 audited reads (the allowed ones), got %d", len(audit))
	}
}

func TestAppendOnlyValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.submit(t, "x")
	cases := []struct {
		name string
		op   store.Op
		want string
	}{
		{"feedback without body", store.SendFeedbackOp{Feedback: store.Feedback{ID: "f1", SubmissionID: s.ID, EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, TherapistID: f.therapist.ID, SentAt: f.clock.t}}, "feedback.body: is required"},
		{"feedback on unknown submission", store.SendFeedbackOp{Feedback: store.Feedback{ID: "f1", SubmissionID: "nope", EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, TherapistID: f.therapist.ID, Body: "x", SentAt: f.clock.t}}, "feedback.submission_id: nope does not exist"},
		{"message bad direction", store.SendMessageOp{Message: store.Message{ID: "m1", EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: "sideways", Body: "x", SentAt: f.clock.t}}, `message.direction: "sideways" is not one of in, out`},
		{"measure wrong item count", store.AddMeasureOp{Measure: store.MeasureResponse{ID: "m1", EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", InstrumentVersion: 1, Answers: []int{1, 2}, AnsweredAt: f.clock.t}}, "phq9 has 9 items, got 2 answers"},
		{"measure answer out of range", store.AddMeasureOp{Measure: store.MeasureResponse{ID: "m1", EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "gad7", InstrumentVersion: 1, Answers: []int{0, 0, 0, 4, 0, 0, 0}, AnsweredAt: f.clock.t}}, "item 4: 4 is not an answer option (0-3)"},
		{"submission wrong patient", store.SubmitOp{Submission: store.Submission{ID: "s2", EnrollmentID: f.enroll.ID, PatientID: "someone", ModuleID: s.ModuleID, ExerciseID: s.ExerciseID, Answers: s.Answers, SubmittedAt: f.clock.t}}, "submission.patient_id: someone is not the patient of enrollment"},
	}
	for _, c := range cases {
		err := f.db.Apply(ctx, f.actor, c.op)
		if err == nil || !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want invalid containing %q", c.name, err, c.want)
		}
	}
	m, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Answers: []int{1, 1, 2, 0, 0, 3, 0, 1, 1}})
	if err != nil || m.Total != 9 || m.InstrumentVersion != 1 {
		t.Fatalf("measure total = %d (version %d), %v; want 9", m.Total, m.InstrumentVersion, err)
	}
}

func TestProgramReimport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b, _ := builtin.Load()
	res, err := f.db.ImportPrograms(ctx, sys, b, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != store.ImportUnchanged {
			t.Errorf("%s %s: %s on identical re-import", r.Kind, r.ID, r.Status)
		}
	}
	// Change a module's title without raising the version.
	for _, d := range b.Docs {
		if d.Program != nil && d.Program.ID == "gad" {
			d.Program.Modules[0].Title += " (revised)"
		}
	}
	res, err = f.db.ImportPrograms(ctx, sys, b, true)
	if err != nil {
		t.Fatal(err)
	}
	var gad store.ProgramImport
	for _, r := range res {
		if r.ID == "gad" && r.Language == "en" {
			gad = r
		}
	}
	if gad.Status != store.ImportNewVersion || gad.Version != 3 || !strings.Contains(gad.Warning, "raise version") {
		t.Fatalf("changed gad: %+v", gad)
	}
	if pv, _ := f.db.ProgramVersion(ctx, "gad", 0); pv.Version != 2 {
		t.Fatalf("dry run stored version %d", pv.Version)
	}
	if _, err := f.db.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	pv, _ := f.db.ProgramVersion(ctx, "gad", 0)
	if pv.Version != 3 {
		t.Fatalf("newest gad = %d, want 3", pv.Version)
	}
	// The running enrollment stays on version 2 (the built-in's).
	rec, _ := f.db.PatientRecord(ctx, f.actor, f.patient.ID, "overview")
	e, p := rec.Current()
	if e.ProgramVersionID == pv.ID || strings.Contains(p.Modules[0].Title, "revised") {
		t.Fatal("the enrollment moved to the new program version")
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.submit(t, "Line one\nline \"two\" with ünïcödé")
	f.db.SendFeedback(ctx, f.actor, store.Feedback{SubmissionID: s.ID, EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Body: "Good work."}, "")
	f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "Hello?"}, "")
	f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "gad7", Answers: []int{1, 2, 3, 0, 1, 2, 3}})
	f.db.AddNote(ctx, f.actor, store.Note{PatientID: f.patient.ID, Body: "Called, doing ok."}, "")
	f.db.SaveDraft(ctx, f.actor, store.Draft{PatientID: f.patient.ID, TargetType: store.DraftMessage, TargetID: f.enroll.ID, Body: "Half a thought"})
	f.db.AddTime(ctx, f.actor, f.patient.ID, 90*time.Second)
	f.db.SetSetting(ctx, sys, "feedback_days", 2, 0)
	f.db.PatientRecord(ctx, f.actor, f.patient.ID, "overview")

	var first bytes.Buffer
	if _, err := f.db.Export(ctx, sys, &first, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	other := openStore(t, newClock())
	sum, err := other.Import(ctx, sys, bytes.NewReader(first.Bytes()), false)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added["feedback"] != 1 || sum.Added["program"] != 4 || sum.Added["audit"] != 1 {
		t.Fatalf("import summary %+v", sum)
	}
	var second bytes.Buffer
	if _, err := other.Export(ctx, sys, &second, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("round trip differs:\n--- first\n%s\n--- second\n%s", first.String(), second.String())
	}
	// Importing the same file again changes nothing.
	sum, err = other.Import(ctx, sys, bytes.NewReader(first.Bytes()), false)
	if err != nil || sum.Unchanged != sum.Lines {
		t.Fatalf("re-import: %+v, %v", sum, err)
	}
}

func TestImportBadLineWritesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.submit(t, "x")
	var buf bytes.Buffer
	f.db.Export(ctx, sys, &buf, store.ExportFilter{})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// Break the submission line: an unknown exercise.
	bad := -1
	for i, l := range lines {
		if strings.HasPrefix(l, `{"type":"submission"`) {
			lines[i] = strings.Replace(l, `"exercise_id":"`, `"exercise_id":"nope-`, 1)
			bad = i + 1
		}
	}
	other := openStore(t, newClock())
	_, err := other.Import(ctx, sys, strings.NewReader(strings.Join(lines, "\n")), false)
	if err == nil {
		t.Fatal("import of a bad file succeeded")
	}
	wantPrefix := "line " + itoa(bad) + ": submission.exercise_id: module "
	if !strings.HasPrefix(err.Error(), wantPrefix) {
		t.Fatalf("error %q, want prefix %q", err, wantPrefix)
	}
	if seq, _ := other.LastSeq(ctx); seq != 0 {
		t.Fatalf("a failed import wrote %d change rows", seq)
	}
	if ths, _ := other.Therapists(ctx); len(ths) != 0 {
		t.Fatalf("a failed import left %d therapists", len(ths))
	}
	for _, c := range []struct{ line, want string }{
		{`{"type":"therapist","id":"x","handle":"a","name":"A","role":"boss","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","version":1}`, `line 1: therapist.role: "boss" is not one of therapist, supervisor, admin`},
		{`{"type":"therapist","id":"x","nickname":"a"}`, `line 1: therapist: unknown field "nickname"`},
		{`{"type":"patient","id":"p","capacity":"x"}`, `line 1: patient: unknown field "capacity"`},
		{`{"type":"referral","id":1}`, `line 1: referral: field id: expected string, got JSON number`},
		{`{"type":"alien"}`, `line 1: unknown type "alien"`},
		{`not json`, `line 1: not a JSON object`},
	} {
		_, err := other.Import(ctx, sys, strings.NewReader(c.line), false)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("import %s: got %v, want %q", c.line, err, c.want)
		}
	}
}

func TestEnrollmentCAS(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	two := 2
	if err := f.db.UpdateEnrollment(ctx, sys, store.UpdateEnrollmentOp{ID: f.enroll.ID, Version: 1, UnlockedModules: &two}); err != nil {
		t.Fatal(err)
	}
	err := f.db.UpdateEnrollment(ctx, sys, store.UpdateEnrollmentOp{ID: f.enroll.ID, Version: 1, Status: store.EnrollmentCompleted})
	var ce *store.ConflictError
	if !errors.As(err, &ce) || ce.Current != 2 {
		t.Fatalf("stale update: got %v, want conflict at version 2", err)
	}
}

// Two windows (or devices) sending feedback on the same submission: the
// second original is refused; a correction must supersede the newest.
func TestFeedbackChainIsCompareAndSet(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.submit(t, "x")
	fb := func(supersedes string) (store.Feedback, error) {
		return f.db.SendFeedback(ctx, f.actor, store.Feedback{SubmissionID: s.ID, EnrollmentID: f.enroll.ID, PatientID: f.patient.ID,
			Body: "Thanks.", Supersedes: supersedes}, "")
	}
	first, err := fb("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fb(""); !store.IsConflict(err) || !strings.Contains(err.Error(), "was already sent") {
		t.Fatalf("second original: %v, want a conflict", err)
	}
	second, err := fb(first.ID)
	if err != nil {
		t.Fatalf("correction: %v", err)
	}
	if _, err := fb(first.ID); !store.IsConflict(err) || !strings.Contains(err.Error(), "has a newer correction") {
		t.Fatalf("stale correction: %v, want a conflict", err)
	}
	if _, err := fb(second.ID); err != nil {
		t.Fatalf("correction of the correction: %v", err)
	}
	if _, err := fb("nope"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("superseding unknown feedback: %v", err)
	}
}

func TestNamesRefuseControlCharacters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-9", DisplayName: "Eve\x1b]52;c;Zm9v\x07", BirthDate: "1990-01-01", Language: "fi"})
	if err == nil || !strings.Contains(err.Error(), "patient.display_name: contains a control character (U+001B)") {
		t.Fatalf("got %v", err)
	}
	_, err = f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "x", Name: "X", Role: store.RoleTherapist, Team: "t\u202eam"})
	if err == nil || !strings.Contains(err.Error(), "therapist.team: contains a control character (U+202E)") {
		t.Fatalf("got %v", err)
	}
}

// A therapist with an old enrollment of a patient may read the patient but
// writes only on enrollments assigned to them.
func TestWritesOnlyOnOwnEnrollments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ben, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "ben", Name: "Ben", Role: store.RoleTherapist, Team: "south"})
	benActor := store.ActorFor(ben, "t")
	pv, _ := f.db.ProgramVersion(ctx, "depression", 0)
	old, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: f.patient.ID, ProgramVersionID: pv.ID, TherapistID: ben.ID, Status: store.EnrollmentCompleted}, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := f.submit(t, "x") // on anna's enrollment
	in, _ := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "hi"}, "")
	if _, err := f.db.PatientRecord(ctx, benActor, f.patient.ID, "t"); err != nil {
		t.Fatalf("ben can read through his old enrollment: %v", err)
	}
	for name, err := range map[string]error{
		"feedback": func() error {
			_, err := f.db.SendFeedback(ctx, benActor, store.Feedback{SubmissionID: s.ID, EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Body: "b"}, "")
			return err
		}(),
		"message": func() error {
			_, err := f.db.SendMessage(ctx, benActor, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionOut, Body: "b"}, "")
			return err
		}(),
		"mark read": f.db.MarkRead(ctx, benActor, "message", in.ID),
	} {
		if !errors.Is(err, store.ErrForbidden) {
			t.Errorf("ben's %s on anna's enrollment: %v, want forbidden", name, err)
		}
	}
	if _, err := f.db.SendMessage(ctx, benActor, store.Message{EnrollmentID: old.ID, PatientID: f.patient.ID, Direction: store.DirectionOut, Body: "b"}, ""); err != nil {
		t.Errorf("ben writing on his own enrollment: %v", err)
	}
}
