// Package editor is the text editor for feedback, messages and notes. It
// saves what the therapist types as a draft in the store (debounced, by
// compare-and-set on the draft's version), so that a crash, a closed
// terminal or a kill -9 loses at most the last fraction of a second; it
// sends only after a one-line confirmation.
package editor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// Msg is a message addressed to one editor.
type Msg interface {
	EditorKey() string
}

type saveTickMsg struct {
	key string
	gen int
}

type savedMsg struct {
	key   string
	draft store.Draft
	body  string
	err   error
}

// SentMsg reports the end of a send.
type SentMsg struct {
	Key  string
	Kind string
	Err  error
}

func (m saveTickMsg) EditorKey() string { return m.key }
func (m savedMsg) EditorKey() string    { return m.key }

// EditorKey addresses the editor.
func (m SentMsg) EditorKey() string { return m.Key }

// Failed reports a failed save for the status bar.
func (m savedMsg) Failed() error { return m.err }

// Failed reports a failed send.
func (m SentMsg) Failed() error { return m.Err }

// SendFunc performs the send in a command: body is the text, draftID the
// draft it replaces ("" if none was saved).
type SendFunc func(ctx context.Context, body, draftID string) error

// KeyMap are the editor's bindings.
type KeyMap struct {
	Send      key.Binding
	Done      key.Binding
	Templates key.Binding
	Newline   key.Binding
	Yes       key.Binding
	No        key.Binding
}

// Options configure an editor.
type Options struct {
	Kind      string // store.DraftFeedback, DraftMessage, DraftNote
	TargetID  string
	PatientID string
	Label     string // "Feedback to Maria on 'Worry time'"
	Verb      string // "Send feedback to Maria"
	Existing  *store.Draft
	Vars      common.Vars
	Send      SendFunc
}

// Editor is a draft-backed textarea.
type Editor struct {
	c    *common.Common
	page int
	opts Options
	key  string
	ta   textarea.Model
	keys KeyMap

	draft       store.Draft
	saved       string
	gen         int
	saving      bool
	confirming  bool
	sending     bool
	pendingSend bool
	sent        bool
	err         error
	width       int
	height      int
}

// Key is the address of an editor: kind and target.
func Key(kind, targetID string) string { return kind + ":" + targetID }

// New makes an editor; existing is the saved draft to continue, if any.
func New(c *common.Common, page int, o Options) *Editor {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.Prompt = "│ "
	ta.Placeholder = "Write here. Saved as a draft as you type."
	ta.Cursor.SetMode(cursor.CursorStatic)
	st := c.Styles
	ta.FocusedStyle = textarea.Style{Base: st.EditorFocused, Text: st.EditorFocused, Prompt: st.Accent, Placeholder: st.Faint,
		CursorLine: st.EditorFocused, EndOfBuffer: st.Faint, LineNumber: st.Faint, CursorLineNumber: st.Faint}
	ta.BlurredStyle = textarea.Style{Base: st.EditorBlurred, Text: st.EditorBlurred, Prompt: st.Faint, Placeholder: st.Faint,
		CursorLine: st.EditorBlurred, EndOfBuffer: st.Faint, LineNumber: st.Faint, CursorLineNumber: st.Faint}
	ta.Cursor.Style = st.EditorCursor
	ta.Blur()
	e := &Editor{c: c, page: page, opts: o, key: Key(o.Kind, o.TargetID), ta: ta,
		draft: store.Draft{TherapistID: c.Actor.ID, PatientID: o.PatientID, TargetType: o.Kind, TargetID: o.TargetID}}
	if o.Existing != nil {
		e.draft = *o.Existing
		body := sanitize.Text(o.Existing.Body)
		e.ta.SetValue(body)
		e.saved = o.Existing.Body
	}
	e.keys = KeyMap{
		Send:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send…")),
		Done:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop writing (draft kept)")),
		Templates: key.NewBinding(key.WithKeys(templateKeys(len(c.Templates))...), key.WithHelp(templateHelp(len(c.Templates)), "insert template")),
		Newline:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "new line")),
		Yes:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, send")),
		No:        key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "not yet, keep writing")),
	}
	return e
}

func templateKeys(n int) []string {
	var ks []string
	for i := 1; i <= n && i <= 9; i++ {
		ks = append(ks, fmt.Sprintf("alt+%d", i))
	}
	return ks
}

func templateHelp(n int) string {
	if n <= 1 {
		return "alt+1"
	}
	return fmt.Sprintf("alt+1…%d", min(n, 9))
}

// EditorKey is the editor's address.
func (e *Editor) EditorKey() string { return e.key }

// Kind is the draft kind.
func (e *Editor) Kind() string { return e.opts.Kind }

// Value is the text.
func (e *Editor) Value() string { return e.ta.Value() }

// Focused says the editor has the keyboard.
func (e *Editor) Focused() bool { return e.ta.Focused() }

// Focus gives the editor the keyboard.
func (e *Editor) Focus() { e.ta.Focus() }

// Blur takes the keyboard away and saves now.
func (e *Editor) Blur() tea.Cmd {
	e.ta.Blur()
	e.confirming = false
	return e.saveNow()
}

// Confirming says the send confirmation is showing.
func (e *Editor) Confirming() bool { return e.confirming }

// Sent says the text has gone out.
func (e *Editor) Sent() bool { return e.sent }

// Dirty says there is text not yet saved.
func (e *Editor) Dirty() bool { return !e.sent && e.ta.Value() != e.saved }

// SetSize sets the editor's box.
func (e *Editor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.ta.SetWidth(max(10, w))
	e.ta.SetHeight(max(1, h-2))
}

// ShortHelp lists the editor's main bindings.
func (e *Editor) ShortHelp() []key.Binding {
	if e.confirming {
		return []key.Binding{e.keys.Yes, e.keys.No}
	}
	return []key.Binding{e.keys.Send, e.keys.Done, e.keys.Templates}
}

// FullHelp lists every binding.
func (e *Editor) FullHelp() [][]key.Binding {
	return [][]key.Binding{{e.keys.Send, e.keys.Done, e.keys.Templates, e.keys.Newline}, {e.keys.Yes, e.keys.No}}
}

// Update handles keys (when focused) and the editor's own messages.
func (e *Editor) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case saveTickMsg:
		if msg.gen == e.gen {
			return e.save()
		}
		return nil
	case savedMsg:
		e.saving = false
		if msg.err != nil {
			e.err = msg.err
			return common.Error(fmt.Errorf("draft not saved: %w", msg.err))
		}
		e.err = nil
		e.draft = msg.draft
		e.saved = msg.body
		if e.pendingSend {
			e.pendingSend = false
			return e.send()
		}
		if e.ta.Value() != e.saved {
			return e.save()
		}
		return nil
	case SentMsg:
		e.sending = false
		if msg.Err != nil {
			e.err = msg.Err
			return nil
		}
		e.sent = true
		return nil
	case tea.KeyMsg:
		if !e.ta.Focused() || e.sent || e.sending {
			return nil
		}
		if e.confirming {
			switch {
			case key.Matches(msg, e.keys.Yes):
				e.confirming = false
				return e.send()
			case key.Matches(msg, e.keys.No):
				e.confirming = false
			}
			return nil
		}
		switch {
		case key.Matches(msg, e.keys.Send):
			if strings.TrimSpace(e.ta.Value()) == "" {
				return common.Status("Nothing to send yet.")
			}
			e.confirming = true
			return nil
		case key.Matches(msg, e.keys.Templates):
			n := int(msg.String()[len(msg.String())-1] - '1')
			if n >= 0 && n < len(e.c.Templates) {
				e.ta.InsertString(e.c.Templates[n].Expand(e.opts.Vars))
				return e.changed()
			}
			return nil
		}
		if msg.Paste {
			msg.Runes = []rune(sanitize.Text(string(msg.Runes)))
		}
		before := e.ta.Value()
		var cmd tea.Cmd
		e.ta, cmd = e.ta.Update(msg)
		if e.ta.Value() != before {
			return tea.Batch(cmd, e.changed())
		}
		return cmd
	}
	return nil
}

// changed schedules a debounced save.
func (e *Editor) changed() tea.Cmd {
	e.gen++
	gen, k := e.gen, e.key
	return common.ToPage(e.page, e.c.After(e.c.Config.DraftDelay, func(time.Time) tea.Msg { return saveTickMsg{key: k, gen: gen} }))
}

// save writes the draft now unless a save is running (then the result
// handler saves again).
func (e *Editor) save() tea.Cmd {
	if e.sent || e.sending || e.saving || !e.Dirty() {
		return nil
	}
	e.saving = true
	d := e.draft
	d.Body = e.ta.Value()
	st, actor, ctx, k := e.c.Store, e.c.Actor, e.c.Ctx, e.key
	return common.ToPage(e.page, e.c.Write(func() tea.Msg {
		saved, err := SaveDraft(ctx, st, actor, d)
		return savedMsg{key: k, draft: saved, body: d.Body, err: err}
	}))
}

// saveNow saves at once (leaving the editor).
func (e *Editor) saveNow() tea.Cmd {
	e.gen++ // a pending tick is no longer needed
	return e.save()
}

// Flush returns a command that saves unsaved text even if the editor is
// gone by the time it finishes (a page closing).
func (e *Editor) Flush() tea.Cmd {
	if !e.Dirty() {
		return nil
	}
	d := e.draft
	d.Body = e.ta.Value()
	st, actor, ctx := e.c.Store, e.c.Actor, e.c.Ctx
	e.saved = d.Body // no second save from this editor
	return e.c.Write(func() tea.Msg {
		if _, err := SaveDraft(ctx, st, actor, d); err != nil {
			return common.StatusMsg{Err: fmt.Errorf("draft not saved: %w", err)}
		}
		return nil
	})
}

// FlushSync saves unsaved text now (outside the program loop).
func (e *Editor) FlushSync(ctx context.Context) error {
	if !e.Dirty() {
		return nil
	}
	d := e.draft
	d.Body = e.ta.Value()
	saved, err := SaveDraft(ctx, e.c.Store, e.c.Actor, d)
	if err == nil {
		e.draft, e.saved = saved, d.Body
	}
	return err
}

// SaveDraft saves d by compare-and-set. If the draft changed elsewhere
// (another save of this same text raced it, or the same therapist in a
// second window), the newest version is read and the text in this editor
// is saved over it: the text on screen is what the therapist sees and
// means.
func SaveDraft(ctx context.Context, st store.Store, actor store.Actor, d store.Draft) (store.Draft, error) {
	saved, err := st.SaveDraft(ctx, actor, d)
	if err == nil || !errors.Is(err, store.ErrConflict) && !(errors.Is(err, store.ErrNotFound) && d.Version > 0) {
		return saved, err
	}
	drafts, lerr := st.Drafts(ctx, actor.ID)
	if lerr != nil {
		return d, err
	}
	d.Version = 0
	for _, cur := range drafts {
		if cur.ID == d.ID {
			d.Version = cur.Version
		}
	}
	if d.Version == 0 {
		d.ID = "" // it was deleted: start a new one
	}
	return st.SaveDraft(ctx, actor, d)
}

func (e *Editor) send() tea.Cmd {
	if e.saving {
		e.pendingSend = true
		return nil
	}
	e.sending = true
	body := strings.TrimRight(e.ta.Value(), " \n")
	draftID, k, kind, fn, ctx := e.draft.ID, e.key, e.opts.Kind, e.opts.Send, e.c.Ctx
	return common.ToPage(e.page, e.c.Write(func() tea.Msg {
		return SentMsg{Key: k, Kind: kind, Err: fn(ctx, body, draftID)}
	}))
}

// View draws the label, the text and the confirmation or hint line.
func (e *Editor) View() string {
	st := e.c.Styles
	state := ""
	switch {
	case e.sent:
		state = st.OK.Render("sent")
	case e.sending:
		state = st.Subtle.Render("sending…")
	case e.err != nil:
		state = st.Risk.Render("not saved: " + e.err.Error())
	case e.saving:
		state = st.Faint.Render("saving…")
	case e.ta.Value() != e.saved:
		state = st.Faint.Render("editing")
	case e.draft.ID != "":
		state = st.Faint.Render("draft saved " + e.c.When(e.draft.UpdatedAt))
	}
	label := st.Label.Render(e.opts.Label)
	top := common.Truncate(label+"  "+state, e.width)
	var bottom string
	switch {
	case e.confirming:
		bottom = st.Confirm.Render(e.opts.Verb + "? y sends · n/esc: not yet · final once sent")
	case e.ta.Focused():
		bottom = st.Faint.Render("ctrl+s send · " + templateHelp(len(e.c.Templates)) + " templates · esc stop writing")
	case e.ta.Value() == "":
		bottom = st.Faint.Render("press e to start writing")
	default:
		bottom = st.Faint.Render("press e to go on writing")
	}
	return lipgloss.JoinVertical(lipgloss.Left, top, e.ta.View(), common.Truncate(bottom, e.width))
}
