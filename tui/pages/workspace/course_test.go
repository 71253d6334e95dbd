package workspace

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
)

func typeIn(p *Page, s string) {
	for _, r := range s {
		keyTo(p, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func statusOf(msgs []tea.Msg) (text string, err error) {
	for _, m := range msgs {
		if s, ok := m.(common.StatusMsg); ok {
			text += s.Text
			if s.Err != nil {
				err = s.Err
			}
		}
	}
	return text, err
}

func stored(t *testing.T, f *fixture.Fixture, id string) store.Enrollment {
	t.Helper()
	e, err := f.DB.Enrollment(context.Background(), store.System("test"), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func openWorkspace(t *testing.T, f *fixture.Fixture, c *common.Common, pseudonym string, readOnly bool) *Page {
	t.Helper()
	p := New(c, item(t, f, c, pseudonym), readOnly, nil)
	p.SetSize(100, 40)
	run(p, p.Init())
	if p.reading != "" {
		keyTo(p, press("esc"))
	}
	return p
}

// choose picks the dialog's action by its label.
func choose(t *testing.T, p *Page, kind string) {
	t.Helper()
	for i := 0; i < 6 && p.course.Kind() != kind; i++ {
		keyTo(p, press("down"))
	}
	if p.course.Kind() != kind {
		t.Fatalf("the dialog offers no %s", kind)
	}
}

// C opens the course dialog; pause with a reason pauses the treatment
// (header PAUSED, timeline), and resume resumes it.
func TestCoursePauseThenResume(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := openWorkspace(t, f, c, "P-0002", false)
	keyTo(p, press("C"))
	if p.course == nil || !p.InputFocused() {
		t.Fatal("C does not open the course dialog")
	}
	v := p.View()
	for _, want := range []string{"Course of treatment", "Extend the treatment", "Pause", "Complete", "Discontinue"} {
		if !strings.Contains(v, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "Transfer") {
		t.Error("a therapist is offered a transfer")
	}
	choose(t, p, store.CoursePause)
	keyTo(p, press("tab"))
	typeIn(p, "travelling")
	text, err := statusOf(keyTo(p, press("enter")))
	if err != nil || p.course != nil {
		t.Fatalf("pause failed: %v (dialog open %v)", err, p.course != nil)
	}
	if !strings.Contains(text, "paused") {
		t.Errorf("status %q", text)
	}
	e := stored(t, f, f.Enrolled["P-0002"].ID)
	if !e.Paused() {
		t.Fatal("the enrollment is not paused")
	}
	if !strings.Contains(p.View(), "PAUSED") {
		t.Errorf("the header does not say paused:\n%s", p.View())
	}
	keyTo(p, press("6"))
	if v := p.View(); !strings.Contains(v, "paused (travelling) by") {
		t.Errorf("the timeline does not show the pause:\n%s", v)
	}
	keyTo(p, press("C"))
	choose(t, p, store.CourseResume)
	if _, err := statusOf(keyTo(p, press("enter"))); err != nil {
		t.Fatal(err)
	}
	if e2 := stored(t, f, e.ID); e2.Paused() || strings.Contains(p.View(), "PAUSED") {
		t.Error("resume did not resume")
	}
}

// Extend checks weeks and reason before storing, keeps what was typed,
// and moves the planned end.
func TestCourseExtend(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := openWorkspace(t, f, c, "P-0002", false)
	before := stored(t, f, f.Enrolled["P-0002"].ID)
	keyTo(p, press("C"))
	choose(t, p, store.CourseExtend)
	keyTo(p, press("tab"))
	typeIn(p, "30")
	keyTo(p, press("enter"))
	if p.course == nil || !strings.Contains(p.View(), "whole number from 1 to 26") {
		t.Fatalf("30 weeks was not stopped:\n%s", p.View())
	}
	keyTo(p, press("backspace"))
	keyTo(p, press("backspace"))
	typeIn(p, "4")
	keyTo(p, press("enter"))
	if p.course == nil || !strings.Contains(p.View(), "say why the treatment is extended") {
		t.Fatalf("no reason was not stopped:\n%s", p.View())
	}
	typeIn(p, "holiday")
	if _, err := statusOf(keyTo(p, press("enter"))); err != nil || p.course != nil {
		t.Fatalf("extend failed: %v", err)
	}
	after := stored(t, f, before.ID)
	if after.PlannedEnd <= before.PlannedEnd {
		t.Errorf("planned end %s, was %s", after.PlannedEnd, before.PlannedEnd)
	}
}

// A change made meanwhile elsewhere: the dialog stays with what was
// typed, says what changed, and the next enter works on the new version.
func TestCourseConflictKeepsWhatWasTyped(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := openWorkspace(t, f, c, "P-0002", false)
	keyTo(p, press("C"))
	choose(t, p, store.CourseExtend)
	keyTo(p, press("tab"))
	typeIn(p, "2")
	keyTo(p, press("tab"))
	typeIn(p, "needs more time")
	e := stored(t, f, f.Enrolled["P-0002"].ID)
	if _, err := f.DB.PauseEnrollment(context.Background(), c.Actor, e.ID, e.Version, "elsewhere"); err != nil {
		t.Fatal(err)
	}
	keyTo(p, press("enter"))
	if p.course == nil {
		t.Fatal("the dialog closed on a conflict")
	}
	if !strings.Contains(p.course.Problem(), "Changed meanwhile") || !strings.Contains(p.course.Problem(), "paused") {
		t.Errorf("the conflict does not say what changed: %q", p.course.Problem())
	}
	if p.course.Reason() != "needs more time" || p.course.Weeks() != "2" || p.course.Kind() != store.CourseExtend {
		t.Errorf("what was typed is lost: %q %q %s", p.course.Reason(), p.course.Weeks(), p.course.Kind())
	}
	if _, err := statusOf(keyTo(p, press("enter"))); err != nil || p.course != nil {
		t.Fatalf("the retry failed: %v (open %v)", err, p.course != nil)
	}
	if got := stored(t, f, e.ID); got.PlannedEnd == e.PlannedEnd {
		t.Error("the retry did not extend")
	}
}

// A refusal says why and keeps the dialog: a treatment that has not
// started cannot be completed.
func TestCourseRefusalSaysWhy(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := openWorkspace(t, f, c, "P-0007", false)
	keyTo(p, press("C"))
	choose(t, p, store.CourseComplete)
	keyTo(p, press("tab"))
	typeIn(p, "done")
	keyTo(p, press("enter"))
	if p.course == nil {
		t.Fatal("the dialog closed on a refusal")
	}
	if pr := p.course.Problem(); !strings.Contains(pr, "Not done") || !strings.Contains(pr, "has not started") {
		t.Errorf("the refusal does not say why: %q", pr)
	}
	if p.course.Reason() != "done" {
		t.Error("the reason typed is lost")
	}
	if e := stored(t, f, f.Enrolled["P-0007"].ID); e.Finished() {
		t.Error("the enrollment was completed")
	}
}

// Discontinue: "other" needs words; then the summary draft opens in the
// editor, the risk banner stays, ctrl+s asks and only y signs; the signed
// summary shows in the timeline.
func TestCourseDiscontinueThenSignSummary(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := openWorkspace(t, f, c, "P-0001", false)
	if p.riskReasons() == nil {
		t.Fatal("P-0001 has no risk flag to keep")
	}
	keyTo(p, press("C"))
	choose(t, p, store.CourseDiscontinue)
	keyTo(p, press("tab"))
	if v := p.View(); !strings.Contains(v, "the patient's choice") || !strings.Contains(v, "moved to other care") {
		t.Errorf("the reason codes are not listed in words:\n%s", v)
	}
	keyTo(p, press("6")) // other
	keyTo(p, press("enter"))
	if p.course == nil || !strings.Contains(p.course.Problem(), "needs the reason in words") {
		t.Fatalf("other without words was not stopped: %q", p.course.Problem())
	}
	typeIn(p, "moved abroad")
	if _, err := statusOf(keyTo(p, press("enter"))); err != nil || p.course != nil {
		t.Fatalf("discontinue failed: %v", err)
	}
	e := stored(t, f, f.Enrolled["P-0001"].ID)
	if e.Status != store.EnrollmentDiscontinued {
		t.Fatalf("status %s", e.Status)
	}
	ed := p.Editor()
	if ed == nil || ed.Kind() != store.DraftSummary || !ed.Focused() || p.Tab() != TabTimeline {
		t.Fatalf("the summary draft is not open in the editor (tab %s)", p.Tab())
	}
	if !strings.Contains(ed.Value(), "Discharge summary") && len(strings.TrimSpace(ed.Value())) == 0 {
		t.Errorf("the draft is empty")
	}
	v := p.View()
	if !strings.Contains(v, "discontinued") {
		t.Errorf("the header does not say discontinued:\n%s", v)
	}
	if p.riskReasons() == nil || !strings.Contains(strings.ToLower(v), "risk") {
		t.Errorf("the risk banner is gone after discontinuing:\n%s", v)
	}
	// The queue reloaded after the step still carries the flag.
	q, err := f.DB.Triage(context.Background(), c.Actor, f.Anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.SetQueue(q)
	if p.riskReasons() == nil {
		t.Error("the reloaded queue dropped the risk flag of the discontinued treatment")
	}
	typeIn(p, "X")
	keyTo(p, press("ctrl+s"))
	if !ed.Confirming() || !strings.Contains(p.View(), "Sign this discharge summary? y signs") {
		t.Fatalf("ctrl+s does not ask:\n%s", p.View())
	}
	keyTo(p, press("n"))
	keyTo(p, press("ctrl+s"))
	keyTo(p, press("x"))
	if rec, _ := f.DB.PatientRecord(context.Background(), c.Actor, e.PatientID, "test"); len(rec.Summaries) != 0 {
		t.Fatal("signed without y")
	}
	keyTo(p, press("ctrl+s"))
	msgs := keyTo(p, press("y"))
	for _, m := range msgs {
		if s, ok := m.(common.SentMsg); ok && s.What == "discharge summary" {
			goto signed
		}
	}
	t.Fatalf("no signed message: %v", msgs)
signed:
	rec, err := f.DB.PatientRecord(context.Background(), c.Actor, e.PatientID, "test")
	if err != nil || len(rec.Summaries) != 1 {
		t.Fatalf("summaries %v, %v", rec.Summaries, err)
	}
	if p.Editor() != nil && p.Editor().Kind() == store.DraftSummary {
		t.Error("the editor stays after signing")
	}
	if v := p.View(); !strings.Contains(v, "discharge summary signed by Anna") {
		t.Errorf("the timeline does not show the signed summary:\n%s", v)
	}
}

// S opens the summary of the newest finished treatment, or says there
// is none.
func TestSummaryKey(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := openWorkspace(t, f, c, "P-0002", false)
	text, _ := statusOf(keyTo(p, press("S")))
	if !strings.Contains(text, "No completed or discontinued treatment") {
		t.Errorf("S said %q", text)
	}
	e := stored(t, f, f.Enrolled["P-0002"].ID)
	if _, err := f.DB.CompleteEnrollment(context.Background(), c.Actor, e.ID, e.Version, ""); err != nil {
		t.Fatal(err)
	}
	run(p, p.load("test"))
	keyTo(p, press("S"))
	if ed := p.Editor(); ed == nil || ed.Kind() != store.DraftSummary || strings.TrimSpace(ed.Value()) == "" {
		t.Fatal("S does not open the summary draft")
	}
	keyTo(p, press("esc"))
	if !strings.Contains(p.View(), "completed") {
		t.Errorf("the header does not say completed:\n%s", p.View())
	}
}

// A supervisor transfers from the team's read-only view.
func TestCourseTransferBySupervisor(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Sara })
	p := New(c, store.QueueItem{PatientID: f.Enrolled["P-0002"].PatientID, DisplayName: "x"}, true, nil)
	p.SetSize(100, 40)
	run(p, p.Init())
	keyTo(p, press("C"))
	if p.course == nil {
		t.Fatal("C does not open the dialog for a supervisor")
	}
	choose(t, p, store.CourseTransfer)
	if !strings.Contains(p.View(), "Ben") {
		t.Fatalf("the team is not listed:\n%s", p.View())
	}
	keyTo(p, press("tab"))
	// pick Ben
	for i := 0; i < 5 && !strings.Contains(selectedLine(p.View()), "Ben"); i++ {
		keyTo(p, press("down"))
	}
	if _, err := statusOf(keyTo(p, press("enter"))); err != nil || p.course != nil {
		t.Fatalf("transfer failed: %v", err)
	}
	if got := stored(t, f, f.Enrolled["P-0002"].ID); got.TherapistID != f.Ben.ID {
		t.Errorf("assigned to %s", got.TherapistID)
	}
	if p.reading != "" {
		keyTo(p, press("esc"))
	}
	p.SetSize(160, 40)
	keyTo(p, press("6"))
	want := "transferred from " + f.Anna.Name + " to " + f.Ben.Name + " by " + f.Sara.Name
	if v := p.View(); !strings.Contains(v, want) {
		t.Errorf("the timeline lacks %q:\n%s", want, v)
	}
}

func selectedLine(v string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "›") && !strings.Contains(l, "Transfer") {
			return l
		}
	}
	return ""
}

// A supervisor completing from the read-only view makes no summary draft
// of their own: the draft is the assigned therapist's.
func TestSupervisorCompletesWithoutOwnDraft(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Sara })
	p := New(c, store.QueueItem{PatientID: f.Enrolled["P-0002"].PatientID, DisplayName: "x"}, true, nil)
	p.SetSize(100, 40)
	run(p, p.Init())
	keyTo(p, press("C"))
	choose(t, p, store.CourseComplete)
	text, err := statusOf(keyTo(p, press("enter")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "assigned therapist writes") {
		t.Errorf("status %q", text)
	}
	ds, err := f.DB.Drafts(context.Background(), f.Sara.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 0 {
		t.Errorf("the supervisor got drafts: %+v", ds)
	}
	ds, _ = f.DB.Drafts(context.Background(), f.Anna.ID)
	found := false
	for _, d := range ds {
		found = found || d.TargetType == store.DraftSummary
	}
	if !found {
		t.Error("the assigned therapist has no summary draft")
	}
}
