package editor

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
)

func setup(t *testing.T) (*fixture.Fixture, *common.Common) {
	t.Helper()
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.DB.Close() })
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	c := &common.Common{Ctx: context.Background(), Store: f.DB, Actor: fixture.Actor(f.Anna), Therapist: f.Anna,
		Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeys(), Clock: f.Clock.Now, Loc: time.UTC,
		Config: common.DefaultConfig(), Templates: common.DefaultTemplates(), Writes: common.NewTracker()}
	// Ticks fire at once.
	c.Tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		return func() tea.Msg { return fn(time.Now()) }
	}
	return f, c
}

// drain runs a command and feeds what comes out back to the editor.
func drain(e *Editor, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if pm, ok := msg.(common.PageMsg); ok {
			msg = pm.Msg
		}
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		case Msg:
			queue = append(queue, e.Update(m))
		default:
			out = append(out, m)
		}
	}
	return out
}

func typeText(e *Editor, s string) {
	for _, r := range s {
		drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
	}
}

func TestDraftSavedAsYouTypeAndSent(t *testing.T) {
	f, c := setup(t)
	p := f.Patients["P-0004"]
	var sent string
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note", Verb: "Save",
		Send: func(ctx context.Context, body, draftID string) error {
			sent = body
			_, err := c.Store.AddNote(ctx, c.Actor, store.Note{PatientID: p.ID, Body: body}, draftID)
			return err
		}})
	e.SetSize(60, 8)
	e.Focus()
	typeText(e, "Called Elias.")
	ds, _ := f.DB.Drafts(context.Background(), f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "Called Elias." || ds[0].Version != int64(len("Called Elias.")) {
		t.Fatalf("drafts: %+v", ds)
	}
	if e.Dirty() {
		t.Error("everything typed is saved")
	}
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlS}))
	if !e.Confirming() {
		t.Fatal("ctrl+s asks first")
	}
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}))
	if sent != "Called Elias." || !e.Sent() {
		t.Fatalf("sent %q, state sent=%v", sent, e.Sent())
	}
	if ds, _ := f.DB.Drafts(context.Background(), f.Anna.ID); len(ds) != 0 {
		t.Errorf("the draft is removed by the send: %+v", ds)
	}
	// After sending, keys do nothing.
	typeText(e, "more")
	if e.Value() != "Called Elias." {
		t.Errorf("text changed after sending: %q", e.Value())
	}
}

func TestDraftConflictKeepsTheTextOnScreen(t *testing.T) {
	f, c := setup(t)
	p := f.Patients["P-0004"]
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note", Verb: "Save"})
	e.SetSize(60, 8)
	e.Focus()
	typeText(e, "ab")
	ds, _ := f.DB.Drafts(context.Background(), f.Anna.ID)
	// The same therapist in a second window saves over it.
	if _, err := f.DB.SaveDraft(context.Background(), c.Actor, store.Draft{ID: ds[0].ID, PatientID: p.ID, TargetType: store.DraftNote,
		TargetID: p.ID, Body: "other window", Version: ds[0].Version}); err != nil {
		t.Fatal(err)
	}
	typeText(e, "c")
	ds, _ = f.DB.Drafts(context.Background(), f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "abc" {
		t.Fatalf("after a conflict the text on screen is saved: %+v", ds)
	}
	// A draft deleted elsewhere (sent from another window) is made anew.
	if err := f.DB.DeleteDraft(context.Background(), c.Actor, ds[0].ID, ds[0].Version); err != nil {
		t.Fatal(err)
	}
	typeText(e, "d")
	ds, _ = f.DB.Drafts(context.Background(), f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "abcd" {
		t.Fatalf("after a deletion elsewhere: %+v", ds)
	}
}

func TestExistingDraftIsSanitized(t *testing.T) {
	f, c := setup(t)
	p := f.Patients["P-0004"]
	d := &store.Draft{ID: "x", PatientID: p.ID, TargetType: store.DraftNote, TargetID: p.ID, Body: "hello\x1b[2Jworld", Version: 3}
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Existing: d})
	if e.Value() != "helloworld" {
		t.Errorf("value %q", e.Value())
	}
}

func TestSendFailureKeepsText(t *testing.T) {
	_, c := setup(t)
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: "p", PatientID: "p",
		Send: func(context.Context, string, string) error { return errors.New("disk full") }})
	e.SetSize(60, 8)
	e.Focus()
	e.ta.SetValue("text")
	e.saved = "text"
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlS}))
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}))
	if e.Sent() || e.Value() != "text" {
		t.Errorf("a failed send must keep the text: sent=%v value=%q", e.Sent(), e.Value())
	}
}

// TestOnlyYConfirmsSending: the confirmation says "y"; enter (or any other
// key) must not send, and the text stays as it was.
func TestOnlyYConfirmsSending(t *testing.T) {
	_, c := setup(t)
	var sent []string
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: "p", PatientID: "p", Verb: "Save this note",
		Send: func(_ context.Context, body, _ string) error { sent = append(sent, body); return nil }})
	e.SetSize(60, 8)
	e.Focus()
	e.ta.SetValue("text")
	e.saved = "text"
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlS}))
	if !e.Confirming() || !strings.Contains(e.View(), "y sends") {
		t.Fatalf("ctrl+s asks, naming y:\n%s", e.View())
	}
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEnter}, {Type: tea.KeyRunes, Runes: []rune("Y")}, {Type: tea.KeyRunes, Runes: []rune("x")}, {Type: tea.KeySpace, Runes: []rune(" ")}} {
		drain(e, e.Update(k))
		if len(sent) != 0 || e.Value() != "text" || !e.Confirming() {
			t.Fatalf("%q during the confirmation: sent %q, text %q, confirming %v", k.String(), sent, e.Value(), e.Confirming())
		}
	}
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}))
	if len(sent) != 1 || sent[0] != "text" {
		t.Errorf("y sends once: %q", sent)
	}
}
