package tui

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/team"
	"polku/tui/pages/triage"
	"polku/tui/pages/workspace"
)

func TestQueueLoadsMostUrgentFirst(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	p := h.triage()
	vis := p.Visible()
	if len(vis) != 6 {
		t.Fatalf("needs-you section has %d patients, want 6", len(vis))
	}
	if vis[0].Pseudonym != "P-0001" || vis[0].Class != store.ClassRisk {
		t.Errorf("first row is %s (%s), want Maria at risk", vis[0].Pseudonym, vis[0].Class)
	}
	s := h.view()
	mustContain(t, s, "Needs you 6", "Waiting on patient 1", "All 7", "RISK PHQ-9#9=2", "FB 4d!", "Maria Korhonen")
	// The preview says why, in sentences.
	mustContain(t, s, "PHQ-9 item 9 answered 2 on 15 Nov, not yet")
}

func TestQueueSectionsMoveAndFilter(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	p := h.triage()
	h.keys("down", "down")
	if it, _ := p.Selected(); it.Pseudonym != "P-0002" {
		t.Errorf("after two downs the cursor is on %s, want Juha (P-0002)", it.Pseudonym)
	}
	h.keys("tab") // waiting on patient
	names := pseudonyms(p.Visible())
	if strings.Join(names, ",") != "P-0001,P-0005" {
		t.Errorf("waiting section shows %v, want the pinned risk patient then Sofia", names)
	}
	h.keys("3") // all
	if n := len(p.Visible()); n != 7 {
		t.Errorf("all section shows %d, want 7", n)
	}
	h.keys("/")
	h.typeText("insom")
	if !p.InputFocused() {
		t.Fatal("the filter should have the keyboard")
	}
	if got := strings.Join(pseudonyms(p.Visible()), ","); got != "P-0001,P-0003" {
		t.Errorf("filter 'insom' shows %v, want Maria (risk, pinned) and Aino", got)
	}
	mustContain(t, h.view(), "/insom", "risk pinned on top")
	h.keys("enter")
	if p.InputFocused() {
		t.Error("enter should leave the filter")
	}
	h.keys("esc")
	if n := len(p.Visible()); n != 7 {
		t.Errorf("esc should clear the filter; %d rows", n)
	}
	// q quits from the home screen.
	_, cmd := h.m.Update(keyMsg("q"))
	if cmd == nil || cmd() != tea.Quit() {
		t.Error("q on the queue should quit")
	}
}

func pseudonyms(items []store.QueueItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Pseudonym)
	}
	return out
}

func TestOpenPatientAuditsAndFocusesTheReason(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0002") // Juha: overdue feedback
	h.keys("enter")
	ws := h.workspace()
	if ws.Reading() != f.Subs["juha-log"].ID {
		t.Fatalf("the workspace should open the overdue submission in the reader; reading %q", ws.Reading())
	}
	s := h.view()
	mustContain(t, s, "Submissions › Worry log", "Juha wrote", "What if I say something", "Feedback on 'Worry log'")
	log, err := f.DB.AuditLog(context.Background(), f.Patients["P-0002"].ID)
	if err != nil {
		t.Fatal(err)
	}
	var views []string
	for _, e := range log {
		if e.ActorID == f.Anna.ID {
			views = append(views, e.Detail)
		}
	}
	sort.Strings(views) // same instant: the order of ids is random
	if strings.Join(views, ";") != "submission "+f.Subs["juha-log"].ID+";workspace" {
		t.Errorf("audit log has %v, want the workspace read and the submission", views)
	}
	// esc closes the reader, esc again goes back to the queue.
	h.keys("esc")
	if ws.Reading() != "" || ws.Tab() != workspace.TabSubmissions {
		t.Errorf("esc should close the reader to the submissions tab")
	}
	h.keys("esc")
	if _, ok := h.m.Top().(*triage.Page); !ok {
		t.Fatalf("second esc should return to the queue, top is %T", h.m.Top())
	}
	if it, _ := h.triage().Selected(); it.Pseudonym != "P-0002" {
		t.Errorf("back on the queue the cursor is on %s, want Juha", it.Pseudonym)
	}
}

func TestQuitOnlyFromHome(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0005")
	h.keys("enter")
	_, cmd := h.m.Update(keyMsg("q"))
	if cmd != nil {
		if msg := cmd(); msg == tea.Quit() {
			t.Fatal("q in a workspace must not quit")
		}
	}
	mustContain(t, h.view(), "q quits from the queue")
}

func TestWorkspaceTabs(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 120, 40)
	h.selectPatient(f, "P-0003") // Aino: insomnia with a sleep diary
	h.keys("enter", "esc")
	ws := h.workspace()
	want := map[string][]string{
		"1": {"My sleep and my goals", "waiting"},
		"2": {"Welcome to the program!"},
		"3": {"Sleep check", "not validated", "RC better ≤10", "PHQ-9"},
		"4": {"Sleep diary", "sleep efficiency by program week", "based on", "consider narrowing", "night"},
		"5": {"No notes yet", "Private clinical note"},
		"6": {"submitted", "enrolled", "referral", "score"},
	}
	for _, k := range []string{"1", "2", "3", "4", "5", "6"} {
		h.keys(k)
		if int(ws.Tab()) != int(k[0]-'1') {
			t.Fatalf("key %s: tab %v", k, ws.Tab())
		}
		mustContain(t, h.view(), want[k]...)
	}
	h.keys("tab")
	if ws.Tab() != workspace.TabSubmissions {
		t.Errorf("tab from the last tab wraps to the first, got %v", ws.Tab())
	}
}

func TestSleepDiaryWeeks(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 120, 40)
	h.selectPatient(f, "P-0003")
	h.keys("enter", "esc", "4")
	s := h.view()
	// Week 1 (4-10 Nov) has 6 of 7 nights (the 9th is missing); week 3 is
	// in progress.
	mustContain(t, s, "6 of 7 nights", "efficiency below 85%")
}

func TestMessagesMarkedReadWhenShown(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0001")
	h.keys("enter") // Maria's top reason is the PHQ-9 risk: measures tab
	ws := h.workspace()
	if ws.Tab() != workspace.TabMeasures {
		t.Fatalf("a measure risk should open the measures tab, got %v", ws.Tab())
	}
	mustContain(t, h.view(), "RISK (a: acknowledge): PHQ-9 item 9")
	h.keys("2")
	mustContain(t, h.view(), "● new", "I had a hard week")
	rec, err := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0001"].ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rec.Messages {
		if m.Direction == store.DirectionIn && m.ReadAt == nil {
			t.Errorf("message %q still unread after the thread was shown", m.Body)
		}
	}
}

func TestSupervisorReadOnly(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Sara), 80, 24)
	tp, ok := h.m.Top().(*team.Page)
	if !ok {
		t.Fatalf("a supervisor's home is the team view, got %T", h.m.Top())
	}
	v := tp.TeamView()
	if v == nil || len(v.Members) != 2 {
		t.Fatalf("team view: %+v", v)
	}
	mustContain(t, h.view(), "Team south", "Anna Virtanen", "Ben Lindqvist", "7/80", "read-only")
	h.keys("enter")
	q := h.triage()
	if len(q.Visible()) == 0 || !strings.Contains(q.Title(), "read-only") {
		t.Fatalf("drilling in shows Anna's queue read-only; title %q, %d rows", q.Title(), len(q.Visible()))
	}
	h.keys("a") // no acknowledgement in a read-only view
	if q.InputFocused() {
		t.Error("a supervisor must not get the acknowledgement dialog")
	}
	h.keys("enter")
	ws := h.workspace()
	if !ws.ReadOnly() {
		t.Fatal("the supervisor's workspace must be read-only")
	}
	h.keys("1", "enter", "e")
	if ws.Editor() != nil || ws.InputFocused() {
		t.Error("no editor in a read-only workspace")
	}
	h.keys("2")
	// Reading the thread as a supervisor does not mark it read.
	rec, _ := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0001"].ID, "test")
	unread := 0
	for _, m := range rec.Messages {
		if m.Direction == store.DirectionIn && m.ReadAt == nil {
			unread++
		}
	}
	if unread != 1 {
		t.Errorf("supervisor reading marked messages read (%d unread left)", unread)
	}
	h.keys("esc", "esc", "esc")
	if _, ok := h.m.Top().(*team.Page); !ok {
		t.Errorf("esc goes back to the team view, top is %T", h.m.Top())
	}
}

func TestAcknowledgeRisk(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.keys("a")
	if !h.triage().InputFocused() {
		t.Fatal("a on a risk patient opens the acknowledgement dialog")
	}
	mustContain(t, h.view(), "Acknowledge risk", "Called the patient", "Assessed: no acute risk")
	h.keys("down", "down") // no-acute-risk
	h.keys("tab")
	h.typeText("Phoned, safety plan in place")
	h.keys("enter")
	acks, err := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0001"].ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(acks.RiskAcks) != 1 || acks.RiskAcks[0].Action != store.AckNoAcuteRisk || acks.RiskAcks[0].Comment != "Phoned, safety plan in place" {
		t.Fatalf("risk acks: %+v", acks.RiskAcks)
	}
	// The queue reloads: Maria leaves the risk class.
	for _, it := range h.triage().Visible() {
		if it.Pseudonym == "P-0001" && it.Class == store.ClassRisk {
			t.Error("Maria is still in the risk class after the acknowledgement")
		}
	}
	mustContain(t, h.view(), "Risk acknowledged.")
}

func TestDraftSavedAndNeverReplacedByRefresh(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0003")
	h.keys("enter", "e")
	h.typeText("Hei Aino")
	drafts, err := f.DB.Drafts(context.Background(), f.Anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 || drafts[0].Body != "Hei Aino" || drafts[0].TargetType != store.DraftFeedback || drafts[0].TargetID != f.Subs["aino-goals"].ID {
		t.Fatalf("drafts: %+v", drafts)
	}
	// Someone else writes to the patient's record: the page refreshes,
	// the text in the editor stays.
	ws := h.workspace()
	e := f.Enrolled["P-0003"]
	if _, err := f.DB.SendMessage(context.Background(), store.System("import"), store.Message{EnrollmentID: e.ID, PatientID: e.PatientID,
		Direction: store.DirectionIn, Body: "One more thing"}, ""); err != nil {
		t.Fatal(err)
	}
	h.fire()
	h.typeText(", kiitos")
	if got := ws.Editor().Value(); got != "Hei Aino, kiitos" {
		t.Errorf("editor text after a live refresh: %q", got)
	}
	ws.SetQueue(nil)
	// Leaving and coming back restores the draft.
	h.keys("esc", "esc", "esc")
	h.selectPatient(f, "P-0003")
	h.keys("enter")
	ws = h.workspace()
	if got := ws.Editor().Value(); got != "Hei Aino, kiitos" {
		t.Errorf("the draft is not restored: %q", got)
	}
	mustContain(t, h.view(), "Hei Aino, kiitos")
}

func TestTemplatesInsertVariables(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0002")
	h.keys("enter", "e", "alt+1", "alt+2")
	got := h.workspace().Editor().Value()
	for _, want := range []string{"Hi Juha,", "thank you for sending 'Worry log'", "GAD-7 from 15 to 10"} {
		if !strings.Contains(got, want) {
			t.Errorf("template text %q lacks %q", got, want)
		}
	}
}

func TestSendFeedbackMovesToNext(t *testing.T) {
	f := newFixture(t)
	var triggered int
	opts := options(f, f.Anna)
	opts.Sync = &fakeSync{trigger: func() { triggered++ }}
	h := newHarness(t, opts, 80, 24)
	h.selectPatient(f, "P-0002")
	h.keys("enter", "e")
	h.keys("ctrl+s") // empty: nothing to send
	mustContain(t, h.view(), "Nothing to send yet.")
	h.typeText("Good log, Juha.")
	h.keys("ctrl+s")
	mustContain(t, h.view(), "Send this feedback to Juha? y sends")
	h.keys("n")
	if got := h.workspace().Editor().Value(); got != "Good log, Juha." {
		t.Fatalf("n keeps the text, got %q", got)
	}
	h.keys("ctrl+s", "y")
	ctx := context.Background()
	rec, err := f.DB.PatientRecord(ctx, store.System("test"), f.Patients["P-0002"].ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	fb := rec.FeedbackFor(f.Subs["juha-log"].ID)
	if len(fb) != 1 || fb[0].Body != "Good log, Juha." || fb[0].TherapistID != f.Anna.ID {
		t.Fatalf("feedback: %+v", fb)
	}
	if len(rec.Drafts) != 0 {
		t.Errorf("the draft should be gone after sending: %+v", rec.Drafts)
	}
	if triggered != 1 {
		t.Errorf("Sync.Trigger called %d times, want 1", triggered)
	}
	// Next: the patient after Juha in the queue who needs the therapist.
	ws := h.workspace()
	if ws.PatientID() == f.Patients["P-0002"].ID {
		t.Fatal("still on Juha after sending")
	}
	if ws.PatientID() != f.Patients["P-0003"].ID || ws.Reading() != f.Subs["aino-goals"].ID {
		t.Errorf("next is %s reading %q, want Aino's waiting submission", ws.PatientName(), ws.Reading())
	}
	mustContain(t, h.view(), "Feedback sent.")
}

func TestCorrectionSupersedes(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0005")
	h.keys("enter", "1", "enter")
	if h.workspace().Editor() != nil {
		t.Fatal("no editor on a submission with feedback until c")
	}
	mustContain(t, h.view(), "Feedback sent (read-only", "Wonderful, Sofia.")
	h.keys("c")
	h.typeText("Correction: wonderful news.")
	h.keys("ctrl+s", "y")
	rec, _ := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0005"].ID, "test")
	var first, second store.Feedback
	for _, fb := range rec.Feedback {
		if fb.Body == "Wonderful, Sofia." {
			first = fb
		}
		if fb.Body == "Correction: wonderful news." {
			second = fb
		}
	}
	if second.ID == "" || second.Supersedes != first.ID {
		t.Errorf("the correction should supersede the first feedback: %+v", rec.Feedback)
	}
}

func TestReplyMessageAndNote(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0001")
	h.keys("enter", "2", "e")
	h.typeText("Let us talk on Thursday.")
	h.keys("ctrl+s", "y")
	h.keys("5", "e")
	h.typeText("Called about item 9.")
	h.keys("ctrl+s", "y")
	rec, _ := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0001"].ID, "test")
	last := rec.Messages[len(rec.Messages)-1]
	if last.Body != "Let us talk on Thursday." || last.Direction != store.DirectionOut {
		t.Errorf("last message: %+v", last)
	}
	if len(rec.Notes) != 1 || rec.Notes[0].Body != "Called about item 9." {
		t.Errorf("notes: %+v", rec.Notes)
	}
	if len(rec.Drafts) != 0 {
		t.Errorf("drafts left: %+v", rec.Drafts)
	}
	mustContain(t, h.view(), "Called about item 9.")
}

func TestLiveRefreshKeepsCursor(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0004") // Elias, inactive
	// Another process: Sofia sends a message (she moves up).
	e := f.Enrolled["P-0005"]
	if _, err := f.DB.SendMessage(context.Background(), store.System("import"), store.Message{EnrollmentID: e.ID, PatientID: e.PatientID,
		Direction: store.DirectionIn, Body: "Hello again"}, ""); err != nil {
		t.Fatal(err)
	}
	h.fire()
	if it, _ := h.triage().Selected(); it.Pseudonym != "P-0004" {
		t.Errorf("cursor moved to %s on a live refresh", it.Pseudonym)
	}
	mustContain(t, h.view(), "● 1 new", "Sofia Virtanen")
	found := false
	for _, it := range h.triage().Visible() {
		found = found || it.Pseudonym == "P-0005"
	}
	if !found {
		t.Error("Sofia should now be in the needs-you section")
	}
}

func TestStatusBar(t *testing.T) {
	f := newFixture(t)
	opts := options(f, f.Anna)
	opts.Demo = true
	opts.Sync = &fakeSync{status: SyncStatus{Online: false, LastSync: fixture.Now.Add(-time.Hour), Pending: 3}}
	h := newHarness(t, opts, 120, 40)
	h.fire()
	mustContain(t, h.view(), "anna", "local polku.db", "● live", "offline", "synced 11:00", "3 pending", "synthetic demo data")
	// The time meter while a patient is open.
	h.keys("enter")
	f.Clock.Advance(3 * time.Minute)
	mustContain(t, h.view(), "⏱ 3m with Maria this week")
	h.keys("esc", "esc")
	got, err := f.DB.TimeThisWeek(context.Background(), f.Anna.ID, f.Patients["P-0001"].ID, f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got != 3*time.Minute {
		t.Errorf("time written when leaving the patient: %v, want 3m", got)
	}
}

func TestTimeMeterStopsWhenIdle(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.keys("enter")
	f.Clock.Advance(20 * time.Minute) // away from the keyboard
	h.keys("esc")
	h.keys("esc")
	got, _ := f.DB.TimeThisWeek(context.Background(), f.Anna.ID, f.Patients["P-0001"].ID, f.Clock.Now())
	if got != 5*time.Minute {
		t.Errorf("idle time counted: %v, want the 5-minute cut-off", got)
	}
}

func TestFlushSyncSavesUnsavedDraft(t *testing.T) {
	f := newFixture(t)
	opts := options(f, f.Anna)
	cfg := *opts.Config
	cfg.DraftDelay = time.Hour // the debounce never fires
	opts.Config = &cfg
	h := newHarness(t, opts, 80, 24)
	h.selectPatient(f, "P-0003")
	h.keys("enter", "e")
	h.typeText("unsaved words")
	if d, _ := f.DB.Drafts(context.Background(), f.Anna.ID); len(d) != 0 {
		t.Fatalf("nothing should be saved yet: %+v", d)
	}
	if err := h.m.flushSync(context.Background()); err != nil {
		t.Fatal(err)
	}
	d, _ := f.DB.Drafts(context.Background(), f.Anna.ID)
	if len(d) != 1 || d[0].Body != "unsaved words" {
		t.Errorf("drafts after the final flush: %+v", d)
	}
}

func TestHostileTextIsInert(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 120, 40)
	s := h.view()
	mustContain(t, s, "Leo Salo")
	h.selectPatient(f, "P-0006")
	h.keys("enter", "1", "enter")
	s = h.view()
	mustContain(t, s, "Normal start.", "After clear.", "I am fine", "AM NOT")
	for _, r := range s {
		if r == 0x1b || r == 0x07 || r == '\r' || r == 0x08 || (r >= 0x80 && r <= 0x9f) || r == 0 {
			t.Fatalf("control character %U reached the screen:\n%q", r, s)
		}
	}
	h.keys("esc", "2")
	s = h.view()
	mustContain(t, s, "Hello there", "GOODBYE")
	mustNotContain(t, s, "owned", "\x1b")
}

type fakeSync struct {
	mu      sync.Mutex
	status  SyncStatus
	trigger func()
}

func (s *fakeSync) Status() SyncStatus { s.mu.Lock(); defer s.mu.Unlock(); return s.status }

func (s *fakeSync) set(st SyncStatus) { s.mu.Lock(); s.status = st; s.mu.Unlock() }
func (s *fakeSync) Trigger() {
	if s.trigger != nil {
		s.trigger()
	}
}

// TestChangesLeaveOutOnlyThisProcess: the writes this process made are
// not news; the same therapist's writes from another window are.
func TestChangesLeaveOutOnlyThisProcess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	own := common.NewOwnWrites()
	mine := common.Track(f.DB, own)
	actor := fixture.Actor(f.Anna)
	pid := f.Patients["P-0001"].ID
	before, _ := f.DB.LastSeq(ctx)
	d, err := mine.SaveDraft(ctx, actor, store.Draft{PatientID: pid, TargetType: store.DraftNote, TargetID: pid, Body: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mine.AddNote(ctx, actor, store.Note{PatientID: pid, Body: "x"}, d.ID); err != nil {
		t.Fatal(err)
	}
	if err := mine.AddTime(ctx, actor, pid, time.Minute); err != nil {
		t.Fatal(err)
	}
	after, _ := f.DB.LastSeq(ctx)
	msg := describeChanges(ctx, f.DB, own, before, after, f.Anna.ID)
	if msg.ch.Others || msg.ch.All || msg.n != 0 || msg.seq != after {
		t.Errorf("this process's own writes counted as a change: %+v", msg)
	}
	// The same therapist in another window (another process: not through
	// this process's store).
	before = after
	if _, err := f.DB.SaveDraft(ctx, actor, store.Draft{PatientID: pid, TargetType: store.DraftNote, TargetID: pid, Body: "y"}); err != nil {
		t.Fatal(err)
	}
	after, _ = f.DB.LastSeq(ctx)
	msg = describeChanges(ctx, f.DB, own, before, after, f.Anna.ID)
	if !msg.ch.Others || !msg.ch.Touches(pid) || msg.n != 1 {
		t.Errorf("another window's write not seen: %+v", msg)
	}
	// Someone else entirely.
	msg = describeChanges(ctx, f.DB, own, before, after, "someone-else")
	if !msg.ch.Others || !msg.ch.Touches(pid) {
		t.Errorf("another writer's change not seen: %+v", msg)
	}
}

// TestLiveRefreshSeesTheSameTherapistElsewhere: the therapist sends
// feedback from a second window; this window's queue and open workspace
// follow.
func TestLiveRefreshSeesTheSameTherapistElsewhere(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0003")
	h.keys("enter", "esc", "2") // Aino's thread, while Juha waits in the queue
	h.keys("e")
	h.typeText("A draft typed here")
	h.keys("esc")
	h.fire()
	mustContain(t, h.view(), "● live")
	mustNotContain(t, h.view(), " new")
	s := f.Subs["juha-log"]
	if _, err := f.DB.SendFeedback(ctx, fixture.Actor(f.Anna), store.Feedback{SubmissionID: s.ID, EnrollmentID: s.EnrollmentID,
		PatientID: s.PatientID, Body: "Sent from the laptop."}, ""); err != nil {
		t.Fatal(err)
	}
	e := f.Enrolled["P-0003"]
	if _, err := f.DB.SendMessage(ctx, fixture.Actor(f.Anna), store.Message{EnrollmentID: e.ID, PatientID: e.PatientID,
		Direction: store.DirectionOut, Body: "Written in the other window."}, ""); err != nil {
		t.Fatal(err)
	}
	h.fire()
	mustContain(t, h.view(), "Written in the other window.")
	h.keys("esc")
	for _, it := range h.triage().Queue().Items {
		if it.Pseudonym == "P-0002" && it.Waiting != 0 {
			t.Errorf("Juha's queue row still waits for the feedback sent elsewhere: %+v", it.Reasons)
		}
	}
}

func TestKeysArrivingTogether(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	// "jj" read in one go moves twice; "e" then text goes to the editor.
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if it, _ := h.triage().Selected(); it.Pseudonym != "P-0002" {
		t.Fatalf("jj moved to %s, want the third row (Juha)", it.Pseudonym)
	}
	h.keys("enter")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("eHello")})
	if got := h.workspace().Editor().Value(); got != "Hello" {
		t.Errorf("editor has %q, want Hello", got)
	}
}

// TestSentTextDoesNotComeBackAsDraft: a reply or note written, left as a
// draft, reopened and sent must not reappear in the editor as a saved
// draft (where sending again would send it twice).
func TestSentTextDoesNotComeBackAsDraft(t *testing.T) {
	for _, tc := range []struct{ tab, text string }{{"2", "See you on Thursday."}, {"5", "Called about item 9."}} {
		f := newFixture(t)
		h := newHarness(t, options(f, f.Anna), 80, 24)
		h.selectPatient(f, "P-0001")
		h.keys("enter", tc.tab, "e")
		h.typeText(tc.text)
		h.keys("esc", "esc") // back to the queue: the draft is kept
		h.keys("enter", tc.tab, "e")
		if got := h.workspace().Editor().Value(); got != tc.text {
			t.Fatalf("tab %s: the draft comes back when reopened: %q", tc.tab, got)
		}
		h.keys("ctrl+s", "y")
		if e := h.workspace().Editor(); e == nil || e.Value() != "" {
			t.Fatalf("tab %s: after sending the editor starts empty, has %q", tc.tab, h.workspace().Editor().Value())
		}
		mustNotContain(t, h.view(), "draft saved")
		h.keys("e", "ctrl+s")
		mustContain(t, h.view(), "Nothing to send yet.")
		h.keys("y")
		rec, err := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0001"].ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range rec.Messages {
			if m.Body == tc.text {
				n++
			}
		}
		for _, no := range rec.Notes {
			if no.Body == tc.text {
				n++
			}
		}
		if n != 1 {
			t.Errorf("tab %s: %q stored %d times, want once", tc.tab, tc.text, n)
		}
		if len(rec.Drafts) != 0 {
			t.Errorf("tab %s: drafts left: %+v", tc.tab, rec.Drafts)
		}
	}
}

// flakyDrafts fails draft saves while armed.
type flakyDrafts struct {
	store.Store
	mu    sync.Mutex
	armed bool
}

func (s *flakyDrafts) arm(on bool) { s.mu.Lock(); s.armed = on; s.mu.Unlock() }

func (s *flakyDrafts) SaveDraft(ctx context.Context, a store.Actor, d store.Draft) (store.Draft, error) {
	s.mu.Lock()
	armed := s.armed
	s.mu.Unlock()
	if armed {
		return d, errors.New("disk I/O error")
	}
	return s.Store.SaveDraft(ctx, a, d)
}

// TestFailedCloseFlushIsSavedAtExit: leaving a patient saves the draft in
// the background; when that save fails, the text is not lost with the
// page: the status says so and the final flush saves it.
func TestFailedCloseFlushIsSavedAtExit(t *testing.T) {
	f := newFixture(t)
	fl := &flakyDrafts{Store: f.DB}
	opts := options(f, f.Anna)
	opts.Store = fl
	cfg := *opts.Config
	cfg.DraftDelay = time.Hour // only the flush on leaving saves
	opts.Config = &cfg
	h := newHarness(t, opts, 80, 24)
	h.selectPatient(f, "P-0003")
	h.keys("enter", "e")
	h.typeText("words typed before leaving")
	fl.arm(true)
	h.keys("esc", "esc", "esc") // stop writing, close the reader, leave the patient
	if _, ok := h.m.Top().(*triage.Page); !ok {
		t.Fatalf("back on the queue, top is %T", h.m.Top())
	}
	mustContain(t, h.view(), "draft not saved", "kept")
	if d, _ := f.DB.Drafts(context.Background(), f.Anna.ID); len(d) != 0 {
		t.Fatalf("nothing could be saved: %+v", d)
	}
	fl.arm(false)
	if err := h.m.flushSync(context.Background()); err != nil {
		t.Fatal(err)
	}
	d, _ := f.DB.Drafts(context.Background(), f.Anna.ID)
	if len(d) != 1 || d[0].Body != "words typed before leaving" {
		t.Errorf("drafts after the final flush: %+v", d)
	}
}

// TestFeedbackSentElsewhereBecomesACorrection: while the therapist writes
// feedback, feedback on the same submission goes out from another window.
// The store refuses a second original: the text stays, the therapist is
// told plainly, and after a reload is asked whether to send it as a
// correction of the newest feedback (a new confirmation).
func TestFeedbackSentElsewhereBecomesACorrection(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, pseudonym, keys string
	}{
		{"original", "P-0002", "e"},           // Juha's log, no feedback yet
		{"correction", "P-0005", "1 enter c"}, // Sofia's circle: correcting sent feedback
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			h := newHarness(t, options(f, f.Anna), 80, 24)
			h.selectPatient(f, tc.pseudonym)
			h.keys("enter")
			h.keys(strings.Fields(tc.keys)...)
			ws := h.workspace()
			subID := ws.Reading()
			h.typeText("Mine.")
			rec, _ := f.DB.PatientRecord(ctx, store.System("test"), f.Patients[tc.pseudonym].ID, "test")
			sub := rec.Submissions[0]
			for _, s := range rec.Submissions {
				if s.ID == subID {
					sub = s
				}
			}
			prev := ""
			if fb := rec.FeedbackFor(subID); len(fb) > 0 {
				prev = fb[len(fb)-1].ID
			}
			elsewhere, err := f.DB.SendFeedback(ctx, fixture.Actor(f.Anna), store.Feedback{SubmissionID: sub.ID, EnrollmentID: sub.EnrollmentID,
				PatientID: sub.PatientID, Body: "From the laptop.", Supersedes: prev}, "")
			if err != nil {
				t.Fatal(err)
			}
			h.keys("ctrl+s", "y")
			e := ws.Editor()
			if e == nil || e.Value() != "Mine." || e.Sent() {
				t.Fatalf("the text stays after the refusal: %+v", e)
			}
			s := h.view()
			mustContain(t, s, "was already sent (by you", "as a correction of it? y sends it")
			if !e.Confirming() {
				t.Fatal("the correction is offered with a confirmation")
			}
			h.keys("n")
			if e.Confirming() || e.Sent() {
				t.Fatal("n keeps the text as a draft")
			}
			mustContain(t, h.view(), "Correction of your feedback")
			h.keys("ctrl+s")
			mustContain(t, h.view(), "Send this correction to")
			h.keys("y")
			rec, _ = f.DB.PatientRecord(ctx, store.System("test"), f.Patients[tc.pseudonym].ID, "test")
			fb := rec.FeedbackFor(subID)
			last := fb[len(fb)-1]
			if last.Body != "Mine." || last.Supersedes != elsewhere.ID {
				t.Errorf("the text goes out as a correction of the feedback sent elsewhere: %+v", fb)
			}
			if len(rec.Drafts) != 0 {
				t.Errorf("drafts left: %+v", rec.Drafts)
			}
		})
	}
}

// controlRune finds a control character on a screen.
func controlRune(s string) (rune, bool) {
	for _, r := range s {
		if r == 0x1b || r == 0x07 || r == '\r' || r == 0x08 || (r >= 0x80 && r <= 0x9f) || r == 0 {
			return r, true
		}
	}
	return 0, false
}

// TestHostileDefinitionsAreInert: program and instrument definitions, the
// therapists' names and the team name planted in SQLite with escape
// sequences never reach the terminal: not in the queue, the header, the
// tabs, the reader, the editor (label and templates), the measures, the
// diary, the timeline or the team view.
func TestHostileDefinitionsAreInert(t *testing.T) {
	ctx := context.Background()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		f := newFixture(t)
		if err := fixture.PlantHostileText(ctx, f); err != nil {
			t.Fatal(err)
		}
		check := func(h *harness, where string) {
			t.Helper()
			s := h.view()
			if r, bad := controlRune(s); bad {
				t.Fatalf("%dx%d %s: control character %U reached the screen:\n%q", size[0], size[1], where, r, s)
			}
		}
		h := newHarness(t, options(f, f.Anna), size[0], size[1])
		check(h, "queue")
		for _, ps := range []string{"P-0001", "P-0002", "P-0003", "P-0004", "P-0005", "P-0006", "P-0007"} {
			h.selectPatient(f, ps)
			h.keys("enter")
			check(h, ps+" opened")
			ws := h.workspace()
			if ws.Reading() != "" {
				h.keys("e", "alt+1", "alt+2")
				check(h, ps+" editor")
				if r, bad := controlRune(ws.Editor().Value()); bad {
					t.Fatalf("%s: a template put %U into the text", ps, r)
				}
				h.keys("esc", "esc")
			}
			for _, k := range []string{"1", "enter", "esc", "2", "3", "4", "5", "6"} {
				h.keys(k)
				check(h, ps+" key "+k)
			}
			h.keys("esc")
		}
		mustContain(t, h.view(), "Maria Korhonen")
		sh := newHarness(t, options(f, f.Sara), size[0], size[1])
		check(sh, "team")
		mustContain(t, sh.view(), "Team south", "Anna Virtanen")
		sh.keys("?")
		check(sh, "team help")
		sh.keys("esc", "enter")
		check(sh, "team queue")
		sh.keys("enter")
		check(sh, "team patient")
	}
}

// TestAckCommentSurvivesAcknowledgementElsewhere: while the therapist types
// a comment in the acknowledgement dialog, the flag is acknowledged in
// another window. The dialog does not vanish with the comment: it says
// what happened, and enter still records it.
func TestAckCommentSurvivesAcknowledgementElsewhere(t *testing.T) {
	// (Only the assigned therapist may acknowledge: a colleague cannot even
	// see the patient, so the other writer is the same therapist elsewhere.)
	for _, who := range []string{"another window", "another device"} {
		t.Run(who, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			other := fixture.Actor(f.Anna)
			if who == "another device" {
				other.Device = "phone"
			}
			h := newHarness(t, options(f, f.Anna), 80, 24)
			it, _ := h.triage().Selected() // Maria, at risk
			h.keys("enter", "a", "tab")    // her workspace, the dialog, the comment
			h.typeText("Phoned her, she is safe tonight")
			var flag store.Reason
			for _, r := range it.Reasons {
				if r.Class == store.ClassRisk {
					flag = r
				}
			}
			if _, err := f.DB.AckRisk(ctx, other, store.RiskAck{PatientID: it.PatientID, EnrollmentID: it.EnrollmentID,
				SourceType: flag.SourceType, SourceID: flag.SourceID, Action: store.AckCalledPatient}); err != nil {
				t.Fatal(err)
			}
			h.fire()
			mustContain(t, h.view(), "Phoned her, she is safe tonight", "acknowledged elsewhere")
			h.keys("enter")
			rec, err := f.DB.PatientRecord(ctx, store.System("test"), it.PatientID, "test")
			if err != nil {
				t.Fatal(err)
			}
			if n := len(rec.RiskAcks); n != 2 || rec.RiskAcks[1].Comment != "Phoned her, she is safe tonight" {
				t.Errorf("the comment is recorded with the second acknowledgement: %+v", rec.RiskAcks)
			}
			if h.workspace().InputFocused() {
				t.Error("the dialog closes once recorded")
			}
		})
	}
}

// TestCourseWritesAreOwn: a course step, opening the summary draft and
// signing it from this process are not news to the live refresh.
func TestCourseWritesAreOwn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	own := common.NewOwnWrites()
	mine := common.Track(f.DB, own)
	actor := fixture.Actor(f.Anna)
	e := f.Enrolled["P-0002"]
	before, _ := f.DB.LastSeq(ctx)
	r, err := mine.StepCourse(ctx, actor, store.CourseChange{EnrollmentID: e.ID, Version: e.Version, Kind: store.CoursePause, Reason: "away"})
	if err != nil {
		t.Fatal(err)
	}
	r, err = mine.StepCourse(ctx, actor, store.CourseChange{EnrollmentID: e.ID, Version: r.Enrollment.Version, Kind: store.CourseComplete})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mine.SummaryDraft(ctx, actor, e.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.SignSummary(ctx, actor, e.ID, ""); err != nil {
		t.Fatal(err)
	}
	// A summary draft made here (none left after signing) is own too.
	if _, err := mine.SummaryDraft(ctx, actor, e.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := f.DB.LastSeq(ctx)
	msg := describeChanges(ctx, f.DB, own, before, after, f.Anna.ID)
	if msg.ch.Others || msg.ch.All || msg.n != 0 || msg.seq != after {
		t.Errorf("this process's course writes counted as a change: %+v", msg)
	}
}
