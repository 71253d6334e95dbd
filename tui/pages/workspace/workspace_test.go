package workspace

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/programs"
	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/internal/langtest"
)

func setup(t *testing.T, th func(*fixture.Fixture) store.Therapist) (*fixture.Fixture, *common.Common) {
	t.Helper()
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.DB.Close() })
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	who := th(f)
	c := &common.Common{Ctx: context.Background(), Store: f.DB, Actor: fixture.Actor(who), Therapist: who,
		Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeys(), Clock: f.Clock.Now, Loc: fixture.Helsinki(),
		Config: common.DefaultConfig(), Templates: common.DefaultTemplates(), Writes: common.NewTracker(),
		Markdown: common.NewMarkdown(common.MarkdownPlain, termenv.Ascii)}
	c.Tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	return f, c
}

// run executes a command and delivers its page messages to p, as the
// root would; it returns the other messages.
func run(p *Page, cmd tea.Cmd) []tea.Msg { return langtest.Drain(p, cmd) }

func item(t *testing.T, f *fixture.Fixture, c *common.Common, pseudonym string) store.QueueItem {
	t.Helper()
	q, err := f.DB.Triage(context.Background(), c.Actor, f.Anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q.Items {
		if it.Pseudonym == pseudonym {
			return it
		}
	}
	t.Fatalf("%s not in the queue", pseudonym)
	return store.QueueItem{}
}

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestOpensTheMostUrgentItem(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	cases := []struct {
		pseudonym string
		reading   string
		tab       Tab
	}{
		{"P-0001", "", TabMeasures},            // PHQ-9 item 9
		{"P-0002", f.Subs["juha-log"].ID, 0},   // overdue feedback
		{"P-0006", "", TabMessages},            // overdue message
		{"P-0003", f.Subs["aino-goals"].ID, 0}, // feedback due
		{"P-0005", "", TabSubmissions},         // nothing to do
		{"P-0004", "", TabSubmissions},         // inactive
		{"P-0007", "", TabSubmissions},         // starting
	}
	for _, tc := range cases {
		p := New(c, item(t, f, c, tc.pseudonym), false, nil)
		p.SetSize(80, 22)
		run(p, p.Init())
		if p.Reading() != tc.reading || (tc.reading == "" && p.Tab() != tc.tab) {
			t.Errorf("%s opens reading %q tab %v, want %q %v", tc.pseudonym, p.Reading(), p.Tab(), tc.reading, tc.tab)
		}
	}
}

func TestTabsAndBack(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := New(c, item(t, f, c, "P-0004"), false, nil)
	p.SetSize(80, 22)
	run(p, p.Init())
	for i, want := range []Tab{TabMessages, TabMeasures, TabDiary, TabNotes, TabTimeline, TabSubmissions} {
		run(p, func() tea.Msg { _, cmd := p.Update(press("tab")); return cmd })
		if p.Tab() != want {
			t.Fatalf("tab %d: %v, want %v", i, p.Tab(), want)
		}
		if v := p.View(); strings.Count(v, "\n")+1 != 22 {
			t.Errorf("tab %v draws %d lines, want 22", want, strings.Count(v, "\n")+1)
		}
	}
	_, cmd := p.Update(press("esc"))
	if cmd == nil {
		t.Fatal("esc on a tab goes back")
	}
	if _, ok := cmd().(common.BackMsg); !ok {
		t.Error("esc on a tab sends BackMsg")
	}
}

func TestReadOnlyHasNoEditors(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Sara })
	p := New(c, item(t, f, c, "P-0002"), true, nil)
	p.SetSize(80, 22)
	run(p, p.Init())
	if p.Reading() == "" {
		t.Fatal("a supervisor reads the waiting submission too")
	}
	for _, k := range []string{"e", "c", "a", "2", "5"} {
		run(p, func() tea.Msg { _, cmd := p.Update(press(k)); return cmd })
		if p.InputFocused() || p.Editor() != nil {
			t.Fatalf("key %s gave a supervisor an editor or a dialog", k)
		}
	}
	if !strings.Contains(p.View(), "read-only") {
		t.Error("the header says read-only")
	}
}

func TestSanitizeRecord(t *testing.T) {
	rec := &store.PatientRecord{
		Patient:     store.Patient{DisplayName: "A\x1b[2JB"},
		Submissions: []store.Submission{{Answers: map[string]string{"text": "x\x1b]0;t\x07y"}}},
		Messages:    []store.Message{{Body: "m\u009b1mn"}},
		Notes:       []store.Note{{Body: "n\ro"}},
		Diary:       []store.DiaryEntry{{Fields: map[string]string{"k\x1b": "v\x07"}}},
		Therapists:  map[string]store.Therapist{"t": {Name: "T\x1b[31m"}},
	}
	SanitizeRecord(rec)
	if rec.Patient.DisplayName != "AB" || rec.Submissions[0].Answers["text"] != "xy" || rec.Messages[0].Body != "mn" ||
		rec.Notes[0].Body != "n\no" || rec.Diary[0].Fields["k"] != "v" || rec.Therapists["t"].Name != "T" {
		t.Errorf("not sanitized: %+v", rec)
	}
}

// auditFails fails every audit write.
type auditFails struct{ store.Store }

func (auditFails) RecordAccess(context.Context, store.Actor, string, string, string) error {
	return errors.New("disk full")
}

// TestSubmissionReadAuditFailureIsShown: opening a submission writes the
// read to the audit log; the write is counted as in flight (the program
// waits for it before it ends), and a failure reaches the status bar.
func TestSubmissionReadAuditFailureIsShown(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := New(c, item(t, f, c, "P-0005"), false, &common.Focus{Tab: "Submissions"})
	p.SetSize(80, 22)
	run(p, p.Init())
	c.Store = auditFails{f.DB}
	cmd := p.openReader(p.subs[0].sub.ID)
	if n := c.Writes.Pending(); n != 1 {
		t.Fatalf("the audit write is not tracked: %d writes in flight", n)
	}
	out := run(p, cmd)
	if n := c.Writes.Pending(); n != 0 {
		t.Errorf("%d writes still counted after the audit write ended", n)
	}
	var shown bool
	for _, m := range out {
		if s, ok := m.(common.StatusMsg); ok && s.Err != nil && strings.Contains(s.Err.Error(), "audit log") && strings.Contains(s.Err.Error(), "disk full") {
			shown = true
		}
	}
	if !shown {
		t.Errorf("the failed audit write does not reach the status bar: %+v", out)
	}
}

// TestSanitizeRecordCopiesDefinitions: program definitions are shared (the
// store caches them): the record gets sanitized copies, the cache keeps
// what it had.
func TestSanitizeRecordCopiesDefinitions(t *testing.T) {
	orig := &programs.Program{ID: "p", Title: "T\x1b[2J", Modules: []programs.Module{{ID: "m", Title: "M\x1b]0;x\x07",
		Exercises: []programs.Exercise{{ID: "e", Title: "E\x1b[31m", Prompt: "P\u009b1m", Fields: []programs.Field{{ID: "f", Label: "L\x1b[0m"}}}}}}}
	rec := &store.PatientRecord{Programs: map[string]*programs.Program{"v1": orig},
		Enrollments: []store.Enrollment{{Status: "active\x1b[5m"}}, Referrals: []store.Referral{{RequestedProgram: "gad\x07"}}}
	SanitizeRecord(rec)
	p := rec.Programs["v1"]
	ex := p.Modules[0].Exercises[0]
	if p == orig || p.Title != "T" || p.Modules[0].Title != "M" || ex.Title != "E" || ex.Prompt != "P" || ex.Fields[0].Label != "L" || ex.ID != "e" {
		t.Errorf("program not sanitized into a copy: %+v", p)
	}
	if orig.Title != "T\x1b[2J" || orig.Modules[0].Exercises[0].Title != "E\x1b[31m" || orig.Modules[0].Exercises[0].Fields[0].Label != "L\x1b[0m" {
		t.Errorf("the shared definition was changed: %+v", orig)
	}
	if rec.Enrollments[0].Status != "active" || rec.Referrals[0].RequestedProgram != "gad" {
		t.Errorf("enrollment or referral text not sanitized: %+v %+v", rec.Enrollments, rec.Referrals)
	}
	in := &programs.Instrument{ID: "i", Title: "Scale\x1b[1m", Bands: []programs.Band{{Label: "mild\x1b[31m"}}, Critical: []programs.Critical{{Item: "q9", Label: "self-harm\x07"}},
		Items: []programs.Item{{ID: "q9", Text: "Q\x1b[2J"}}}
	c := common.SanitizeInstrument(in)
	if c.Title != "Scale" || c.Bands[0].Label != "mild" || c.Critical[0].Label != "self-harm" || c.Items[0].Text != "Q" || c.Critical[0].Item != "q9" {
		t.Errorf("instrument not sanitized: %+v", c)
	}
	if in.Bands[0].Label != "mild\x1b[31m" {
		t.Error("the shared instrument was changed")
	}
}
