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

func typeText(e *Editor, s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))...)
	}
	return out
}

func mustShow(t *testing.T, view string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(view, s) {
			t.Errorf("editor lacks %q:\n%s", s, view)
		}
	}
}

// gateStore holds SaveDraft calls until the test lets them through (nil
// proceeds, an error fails the call).
type gateStore struct {
	store.Store
	gate    chan error
	entered chan struct{}
}

func (g *gateStore) SaveDraft(ctx context.Context, a store.Actor, d store.Draft) (store.Draft, error) {
	if g.gate != nil {
		g.entered <- struct{}{}
		if err := <-g.gate; err != nil {
			return d, err
		}
	}
	return g.Store.SaveDraft(ctx, a, d)
}

// pending runs cmd up to the first message for the editor and returns the
// editor's answer to it (the next command) without running that.
func pending(e *Editor, cmd tea.Cmd) tea.Cmd {
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
		case tea.BatchMsg:
			queue = append(queue, m...)
		case Msg:
			return e.Update(m)
		}
	}
	return nil
}

// within waits for a channel operation, failing the test after a while
// (a broken order of writes must fail, not hang).
func within(t *testing.T, what string, op func() bool) {
	t.Helper()
	done := make(chan bool, 1)
	go func() { done <- op() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out: %s", what)
	}
}

func run(cmd tea.Cmd) <-chan tea.Msg {
	ch := make(chan tea.Msg, 1)
	go func() {
		if cmd == nil {
			ch <- nil
			return
		}
		msg := cmd()
		if pm, ok := msg.(common.PageMsg); ok {
			msg = pm.Msg
		}
		ch <- msg
	}()
	return ch
}

func TestDraftSavedAsYouTypeAndSent(t *testing.T) {
	f, c := setup(t)
	p := f.Patients["P-0004"]
	var sent string
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note", Verb: "Save",
		Send: func(ctx context.Context, body, draftID string) (string, error) {
			sent = body
			n, err := c.Store.AddNote(ctx, c.Actor, store.Note{PatientID: p.ID, Body: body}, draftID)
			return n.ID, err
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

func TestDraftConflictAsksBeforeOverwriting(t *testing.T) {
	f, c := setup(t)
	ctx := context.Background()
	p := f.Patients["P-0004"]
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note", Verb: "Save"})
	e.SetSize(80, 8)
	e.Focus()
	typeText(e, "ab")
	ds, _ := f.DB.Drafts(ctx, f.Anna.ID)
	// The same therapist in a second window saves over it.
	if _, err := f.DB.SaveDraft(ctx, c.Actor, store.Draft{ID: ds[0].ID, PatientID: p.ID, TargetType: store.DraftNote,
		TargetID: p.ID, Body: "other window", Version: ds[0].Version}); err != nil {
		t.Fatal(err)
	}
	typeText(e, "c")
	ds, _ = f.DB.Drafts(ctx, f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "other window" {
		t.Fatalf("a conflict must not overwrite the other window's text: %+v", ds)
	}
	if e.Value() != "abc" || e.Conflict() == nil || e.Conflict().Body != "other window" {
		t.Fatalf("the text stays on screen and the conflict is shown: value %q conflict %+v", e.Value(), e.Conflict())
	}
	mustShow(t, e.View(), "changed in another window", "ctrl+o keeps yours", "ctrl+l loads theirs")
	// Sending waits for the choice; typing goes on without saving.
	msgs := drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlS}))
	if e.Confirming() || len(msgs) == 0 {
		t.Errorf("ctrl+s during a conflict asks to choose first: confirming %v, %v", e.Confirming(), msgs)
	}
	typeText(e, "d")
	if ds, _ = f.DB.Drafts(ctx, f.Anna.ID); ds[0].Body != "other window" {
		t.Fatalf("typing during a conflict overwrote the other text: %+v", ds)
	}
	// Keep mine: saved over the fresh version.
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlO}))
	ds, _ = f.DB.Drafts(ctx, f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "abcd" || e.Conflict() != nil || e.Dirty() {
		t.Fatalf("keep mine saves the text on screen: %+v conflict %v dirty %v", ds, e.Conflict(), e.Dirty())
	}
	// Again, and this time load the other window's text.
	if _, err := f.DB.SaveDraft(ctx, c.Actor, store.Draft{ID: ds[0].ID, PatientID: p.ID, TargetType: store.DraftNote,
		TargetID: p.ID, Body: "second window text", Version: ds[0].Version}); err != nil {
		t.Fatal(err)
	}
	typeText(e, "e")
	if e.Conflict() == nil {
		t.Fatal("the second conflict is shown")
	}
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlL}))
	if e.Value() != "second window text" || e.Conflict() != nil {
		t.Fatalf("ctrl+l loads the other text: %q", e.Value())
	}
	typeText(e, "!")
	if ds, _ = f.DB.Drafts(ctx, f.Anna.ID); len(ds) != 1 || ds[0].Body != "second window text!" {
		t.Fatalf("after loading, typing saves on the other version: %+v", ds)
	}
	// A draft deleted elsewhere (sent from another window) is made anew.
	if err := f.DB.DeleteDraft(ctx, c.Actor, ds[0].ID, ds[0].Version); err != nil {
		t.Fatal(err)
	}
	typeText(e, "?")
	ds, _ = f.DB.Drafts(ctx, f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "second window text!?" {
		t.Fatalf("after a deletion elsewhere: %+v", ds)
	}
}

// TestNeverSavedDraftConflictRecovers: the editor has never saved, and a
// draft for the same target already exists (another window, or a save that
// finished after this editor was made): the store's one-draft-per-target
// rule makes the insert fail. The draft is found by its target, and the
// therapist chooses.
func TestNeverSavedDraftConflictRecovers(t *testing.T) {
	f, c := setup(t)
	ctx := context.Background()
	p := f.Patients["P-0004"]
	if _, err := f.DB.SaveDraft(ctx, c.Actor, store.Draft{PatientID: p.ID, TargetType: store.DraftNote, TargetID: p.ID, Body: "theirs"}); err != nil {
		t.Fatal(err)
	}
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note", Verb: "Save"})
	e.SetSize(80, 8)
	e.Focus()
	msgs := typeText(e, "mine")
	for _, m := range msgs {
		if s, ok := m.(common.StatusMsg); ok && s.Err != nil {
			t.Fatalf("the save failed instead of finding the other draft: %v", s.Err)
		}
	}
	if e.Conflict() == nil || e.Conflict().Body != "theirs" {
		t.Fatalf("the existing draft is offered as a conflict: %+v", e.Conflict())
	}
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlO}))
	ds, _ := f.DB.Drafts(ctx, f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "mine" {
		t.Fatalf("keep mine saves over the existing draft: %+v", ds)
	}
	// The same text elsewhere is no conflict at all.
	q := f.Patients["P-0002"]
	if _, err := f.DB.SaveDraft(ctx, c.Actor, store.Draft{PatientID: q.ID, TargetType: store.DraftNote, TargetID: q.ID, Body: "same"}); err != nil {
		t.Fatal(err)
	}
	e2 := New(c, 1, Options{Kind: store.DraftNote, TargetID: q.ID, PatientID: q.ID})
	e2.SetSize(80, 8)
	e2.Focus()
	drain(e2, e2.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("same"), Paste: true}))
	if e2.Conflict() != nil || e2.Dirty() {
		t.Errorf("identical text is taken over silently: conflict %+v dirty %v", e2.Conflict(), e2.Dirty())
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
		Send: func(context.Context, string, string) (string, error) { return "", errors.New("disk full") }})
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
		Send: func(_ context.Context, body, _ string) (string, error) { sent = append(sent, body); return "r1", nil }})
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

// TestConfirmedTextIsWhatIsSent: "y" sends the text confirmed, even while
// a save is on its way and fails; typing waits until the send is done, and
// nothing goes out later without a new confirmation.
func TestConfirmedTextIsWhatIsSent(t *testing.T) {
	f, c := setup(t)
	g := &gateStore{Store: f.DB, gate: make(chan error), entered: make(chan struct{})}
	c.Store = g
	p := f.Patients["P-0004"]
	var sent []string
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Verb: "Save this note",
		Send: func(ctx context.Context, body, draftID string) (string, error) {
			sent = append(sent, body)
			n, err := f.DB.AddNote(ctx, c.Actor, store.Note{PatientID: p.ID, Body: body}, draftID)
			return n.ID, err
		}})
	e.SetSize(60, 8)
	e.Focus()
	saveCmd := pending(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})) // the debounced save, not yet run
	if saveCmd == nil {
		t.Fatal("typing schedules a save")
	}
	e.Update(tea.KeyMsg{Type: tea.KeyCtrlS})
	sendCmd := e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	for _, r := range " and more, unfinished" {
		e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if e.Value() != "a" {
		t.Fatalf("typing after the confirmation changed the text: %q", e.Value())
	}
	saved := run(saveCmd)
	within(t, "the save reaches the store", func() bool { <-g.entered; return true })
	sentCh := run(sendCmd)
	within(t, "the save fails", func() bool { g.gate <- errors.New("database is locked"); return true })
	var msgs []tea.Msg
	for _, ch := range []<-chan tea.Msg{saved, sentCh} {
		within(t, "the save and the send end", func() bool {
			if m := <-ch; m != nil {
				msgs = append(msgs, m)
			}
			return true
		})
	}
	g.gate = nil
	for _, m := range msgs {
		drain(e, e.Update(m))
	}
	typeText(e, "x")
	if len(sent) != 1 || sent[0] != "a" || !e.Sent() {
		t.Fatalf("sent %q (sent=%v), want the confirmed text once", sent, e.Sent())
	}
}

// TestFlushWaitsForTheRunningSave: a page closing while a save is on its
// way saves the rest after it, from the version it left: no conflict with
// itself, nothing lost.
func TestFlushWaitsForTheRunningSave(t *testing.T) {
	f, c := setup(t)
	g := &gateStore{Store: f.DB, gate: make(chan error), entered: make(chan struct{})}
	c.Store = g
	p := f.Patients["P-0004"]
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note on Elias"})
	e.SetSize(60, 8)
	e.Focus()
	for _, r := range "ab" {
		e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	saveCmd := e.save() // "ab" on its way
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	saved := run(saveCmd)
	within(t, "the save reaches the store", func() bool { <-g.entered; return true })
	flushed := run(e.Flush()) // the page closes
	within(t, "the save goes through", func() bool { g.gate <- nil; return true })
	within(t, "the flush writes after the save", func() bool { <-g.entered; g.gate <- nil; return true })
	within(t, "the flush ends", func() bool {
		if m := <-flushed; m != nil {
			t.Errorf("the flush failed: %+v", m)
		}
		return true
	})
	within(t, "the save ends", func() bool { <-saved; return true })
	ds, _ := f.DB.Drafts(context.Background(), f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "abc" {
		t.Fatalf("drafts after closing: %+v", ds)
	}
}

// failStore fails the next n SaveDraft calls.
type failStore struct {
	store.Store
	n int
}

func (s *failStore) SaveDraft(ctx context.Context, a store.Actor, d store.Draft) (store.Draft, error) {
	if s.n > 0 {
		s.n--
		return d, errors.New("disk I/O error")
	}
	return s.Store.SaveDraft(ctx, a, d)
}

// TestFailedFlushIsKeptForTheFinalFlush: text whose save failed when its
// page closed is not reported saved; it waits on the Unsaved list and the
// final flush writes it.
func TestFailedFlushIsKeptForTheFinalFlush(t *testing.T) {
	f, c := setup(t)
	fs := &failStore{Store: f.DB}
	c.Store = fs
	c.Unsaved = common.NewUnsaved()
	p := f.Patients["P-0004"]
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note on Elias"})
	e.SetSize(60, 8)
	e.Focus()
	typeText(e, "ab")
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")}) // not saved yet
	fs.n = 1
	msg := e.Flush()()
	if s, ok := msg.(common.StatusMsg); !ok || s.Err == nil || !strings.Contains(s.Err.Error(), "kept") {
		t.Fatalf("a failed flush says so: %+v", msg)
	}
	if c.Unsaved.Len() != 1 {
		t.Fatalf("the text is kept: %d unsaved", c.Unsaved.Len())
	}
	if err := c.Unsaved.Retry(context.Background()); err != nil {
		t.Fatal(err)
	}
	ds, _ := f.DB.Drafts(context.Background(), f.Anna.ID)
	if len(ds) != 1 || ds[0].Body != "abc" || c.Unsaved.Len() != 0 {
		t.Fatalf("after the final flush: %+v (%d unsaved)", ds, c.Unsaved.Len())
	}
}

// TestFailedSendSaysNotSent: the draft is saved, the send failed: the
// editor says "not sent" and that the text is kept as a draft.
func TestFailedSendSaysNotSent(t *testing.T) {
	f, c := setup(t)
	p := f.Patients["P-0004"]
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note",
		Send: func(context.Context, string, string) (string, error) { return "", errors.New("database is locked") }})
	e.SetSize(100, 8)
	e.Focus()
	typeText(e, "text")
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlS}))
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}))
	v := e.View()
	mustShow(t, v, "not sent", "Not sent: database is locked. Your text is kept as a draft.")
	if strings.Contains(v, "not saved") {
		t.Errorf("a failed send is not a failed save:\n%s", v)
	}
}

// TestSendWaitsForAChoiceWhenTheDraftChangedElsewhere: sending removes the
// draft; when another window has saved other text in it meanwhile, nothing
// is sent (that text would be lost unseen) until the therapist chooses.
func TestSendWaitsForAChoiceWhenTheDraftChangedElsewhere(t *testing.T) {
	f, c := setup(t)
	ctx := context.Background()
	p := f.Patients["P-0004"]
	var sent []string
	e := New(c, 1, Options{Kind: store.DraftNote, TargetID: p.ID, PatientID: p.ID, Label: "Note", Verb: "Save this note",
		Send: func(ctx context.Context, body, draftID string) (string, error) {
			sent = append(sent, body)
			n, err := f.DB.AddNote(ctx, c.Actor, store.Note{PatientID: p.ID, Body: body}, draftID)
			return n.ID, err
		}})
	e.SetSize(80, 8)
	e.Focus()
	typeText(e, "mine")
	ds, _ := f.DB.Drafts(ctx, f.Anna.ID)
	if _, err := f.DB.SaveDraft(ctx, c.Actor, store.Draft{ID: ds[0].ID, PatientID: p.ID, TargetType: store.DraftNote,
		TargetID: p.ID, Body: "the other window's", Version: ds[0].Version}); err != nil {
		t.Fatal(err)
	}
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlS}))
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}))
	if len(sent) != 0 || e.Sent() || e.Conflict() == nil {
		t.Fatalf("sent %q over another window's draft (conflict %+v)", sent, e.Conflict())
	}
	if ds, _ = f.DB.Drafts(ctx, f.Anna.ID); len(ds) != 1 || ds[0].Body != "the other window's" {
		t.Fatalf("the other window's draft is kept: %+v", ds)
	}
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlO}))
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyCtrlS}))
	drain(e, e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}))
	if len(sent) != 1 || sent[0] != "mine" || !e.Sent() {
		t.Fatalf("after keeping mine, the send goes out once: %q", sent)
	}
}
