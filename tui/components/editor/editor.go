// Package editor is the text editor for feedback, messages and notes. It
// saves what the therapist types as a draft in the store (debounced, by
// compare-and-set on the draft's version), so that a crash, a closed
// terminal or a kill -9 loses at most the last fraction of a second; it
// sends only after a one-line confirmation.
package editor

import (
	"context"
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
	key  string
	body string
	res  saveResult
}

// SentMsg reports the end of a send.
type SentMsg struct {
	Key     string
	Kind    string
	DraftID string // the draft the send removed ("" if none was saved)
	// RecordID is the record the send wrote.
	RecordID string
	Err      error
	// Conflict: nothing was sent, because another window saved other
	// text in this draft meanwhile (the therapist chooses first).
	Conflict *store.Draft
}

func (m saveTickMsg) EditorKey() string { return m.key }
func (m savedMsg) EditorKey() string    { return m.key }

// EditorKey addresses the editor.
func (m SentMsg) EditorKey() string { return m.Key }

// Failed reports a failed save for the status bar.
func (m savedMsg) Failed() error { return m.res.err }

// Failed reports a failed send.
func (m SentMsg) Failed() error { return m.Err }

// SendFunc performs the send in a command: body is the text, draftID the
// draft it replaces ("" if none was saved). It returns the id of the
// record it wrote (the feedback, message or note), so that a replica can
// tell when the server has it.
type SendFunc func(ctx context.Context, body, draftID string) (recordID string, err error)

// KeyMap are the editor's bindings.
type KeyMap struct {
	Send      key.Binding
	Done      key.Binding
	Templates key.Binding
	Newline   key.Binding
	Yes       key.Binding
	No        key.Binding
	KeepMine  key.Binding
	LoadOther key.Binding
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
	// Word is what sending does, as a verb ("sign"); "send" when empty.
	Word string
	// Templates, when set, are offered instead of the common ones: the
	// templates of the patient's language and program.
	Templates []common.Template
}

// Editor is a draft-backed textarea.
type Editor struct {
	c    *common.Common
	page int
	opts Options
	key  string
	ta   textarea.Model
	keys KeyMap
	slot *slot

	draft      store.Draft // as last stored (for the state line)
	saved      string      // the text last known to be stored
	gen        int
	saving     bool
	confirming bool
	sending    bool
	sent       bool
	saveErr    error
	sendErr    error
	// conflict is the other window's version of this draft, while the
	// therapist chooses between it and the text on screen.
	conflict *store.Draft
	offer    string // a question asked instead of the plain confirmation
	notice   string // a plain-words line about what happened
	width    int
	height   int
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
	ta.Placeholder = c.T("tui.editor.placeholder")
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
	e.slot = &slot{draft: e.draft, note: "\n\n--- " + c.T("tui.editor.conflict_note") + " ---\n"}
	e.keys = KeyMap{
		Done:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.editor.keys.done"))),
		Templates: key.NewBinding(key.WithKeys(templateKeys(len(e.templates()))...), key.WithHelp(templateHelp(len(e.templates())), c.T("tui.editor.keys.template"))),
		Newline:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.editor.keys.newline"))),
		No:        key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", c.T("tui.editor.keys.no"))),
		KeepMine:  key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", c.T("tui.editor.keys.keep_mine"))),
		LoadOther: key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", c.T("tui.editor.keys.load_other"))),
	}
	e.keys.Send = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", e.say("send_key")))
	e.keys.Yes = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", e.say("yes")))
	return e
}

// say renders one of the sentences that name what sending does (send,
// sign): tui.editor.<what>.<word>.
func (e *Editor) say(what string, kv ...any) string {
	w := "send"
	if e.opts.Word == "sign" {
		w = "sign"
	}
	return e.c.T("tui.editor."+what+"."+w, kv...)
}

// templates are the templates this editor offers.
func (e *Editor) templates() []common.Template {
	if e.opts.Templates != nil {
		return e.opts.Templates
	}
	return e.c.Templates
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
	e.offer = ""
	return e.saveNow()
}

// Confirming says the send confirmation is showing.
func (e *Editor) Confirming() bool { return e.confirming }

// Sent says the text has gone out.
func (e *Editor) Sent() bool { return e.sent }

// Sending says a send is on its way.
func (e *Editor) Sending() bool { return e.sending }

// Conflict is the other window's version of the draft while the therapist
// has not chosen between it and the text on screen (nil otherwise).
func (e *Editor) Conflict() *store.Draft { return e.conflict }

// Dirty says there is text not yet saved.
func (e *Editor) Dirty() bool { return !e.sent && (e.ta.Value() != e.saved || e.conflict != nil) }

// Retarget changes what the editor sends and how it says so (feedback that
// turns out to need to be a correction), keeping the text.
func (e *Editor) Retarget(label, verb string, send SendFunc) {
	e.opts.Label, e.opts.Verb, e.opts.Send = label, verb, send
}

// Offer asks the therapist a yes/no question about sending the text (y
// sends with the editor's current target): a new explicit confirmation. An
// editor without the keyboard shows the question as a notice instead.
func (e *Editor) Offer(question string) {
	if e.sent || e.sending {
		return
	}
	if e.ta.Focused() {
		e.confirming, e.offer, e.notice = true, question, ""
		return
	}
	e.notice = question + " " + e.c.T("tui.editor.press_e_then_send")
}

// SetNotice shows a line in plain words about what happened.
func (e *Editor) SetNotice(s string) { e.notice = s }

// SetSize sets the editor's box.
func (e *Editor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.ta.SetWidth(max(10, w))
	e.ta.SetHeight(max(1, h-2))
}

// ShortHelp lists the editor's main bindings.
func (e *Editor) ShortHelp() []key.Binding {
	switch {
	case e.confirming:
		return []key.Binding{e.keys.Yes, e.keys.No}
	case e.conflict != nil:
		return []key.Binding{e.keys.KeepMine, e.keys.LoadOther, e.keys.Done}
	}
	return []key.Binding{e.keys.Send, e.keys.Done, e.keys.Templates}
}

// FullHelp lists every binding of the editor's current state.
func (e *Editor) FullHelp() [][]key.Binding {
	switch {
	case e.confirming:
		return [][]key.Binding{{e.keys.Yes, e.keys.No}}
	case e.conflict != nil:
		return [][]key.Binding{{e.keys.KeepMine, e.keys.LoadOther}, {e.keys.Done, e.keys.Templates, e.keys.Newline}}
	}
	return [][]key.Binding{{e.keys.Send, e.keys.Done, e.keys.Templates, e.keys.Newline}}
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
		return e.onSaved(msg)
	case SentMsg:
		e.sending = false
		if msg.Conflict != nil {
			e.conflict = msg.Conflict
			return common.Status(e.c.T("tui.editor.conflict_not_sent"))
		}
		if msg.Err != nil {
			e.sendErr = msg.Err
			if e.ta.Value() != e.saved {
				return e.save()
			}
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
				e.confirming, e.offer = false, ""
			}
			return nil
		}
		if e.conflict != nil {
			switch {
			case key.Matches(msg, e.keys.KeepMine):
				return e.keepMine()
			case key.Matches(msg, e.keys.LoadOther):
				return e.loadOther()
			}
		}
		switch {
		case key.Matches(msg, e.keys.Send):
			if e.conflict != nil {
				return common.Status(e.c.T("tui.editor.conflict_choose"))
			}
			if strings.TrimSpace(e.ta.Value()) == "" {
				return common.Status(e.c.T("tui.editor.nothing_to_send"))
			}
			e.confirming = true
			return nil
		case key.Matches(msg, e.keys.Templates):
			n := int(msg.String()[len(msg.String())-1] - '1')
			if n >= 0 && n < len(e.templates()) {
				e.ta.InsertString(sanitize.Text(e.templates()[n].Expand(e.opts.Vars)))
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

func (e *Editor) onSaved(msg savedMsg) tea.Cmd {
	e.saving = false
	if e.sent {
		return nil
	}
	r := msg.res
	if r.err != nil {
		e.saveErr = r.err
		return common.Error(fmt.Errorf("%s: %w", e.c.T("tui.editor.draft_not_saved"), r.err))
	}
	e.saveErr = nil
	if r.conflict != nil {
		e.conflict = r.conflict
		e.confirming, e.offer = false, ""
		return common.Status(e.c.T("tui.editor.conflict_found"))
	}
	e.draft, e.saved = r.draft, msg.body
	if e.ta.Value() != e.saved {
		return e.save()
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
// handler saves again) or the therapist has yet to choose between this
// text and another window's.
func (e *Editor) save() tea.Cmd {
	if e.sent || e.sending || e.saving || e.conflict != nil || e.ta.Value() == e.saved {
		return nil
	}
	return e.write(nil)
}

// write saves the text on screen through the slot; over, if set, is the
// version to save over (the therapist chose to keep their text).
func (e *Editor) write(over *store.Draft) tea.Cmd {
	e.saving = true
	body := e.ta.Value()
	s, st, actor, ctx, k := e.slot, e.c.Store, e.c.Actor, e.c.Ctx, e.key
	return common.ToPage(e.page, e.c.Write(func() tea.Msg {
		return savedMsg{key: k, body: body, res: s.write(ctx, st, actor, body, writeOpts{over: over})}
	}))
}

// saveNow saves at once (leaving the editor).
func (e *Editor) saveNow() tea.Cmd {
	e.gen++ // a pending tick is no longer needed
	return e.save()
}

// keepMine saves the text on screen over the other window's version.
func (e *Editor) keepMine() tea.Cmd {
	over := *e.conflict
	e.conflict = nil
	e.notice = ""
	if e.saving {
		return nil
	}
	return e.write(&over)
}

// loadOther replaces the text on screen with the other window's version.
func (e *Editor) loadOther() tea.Cmd {
	cur := *e.conflict
	e.conflict = nil
	e.notice = ""
	e.gen++
	e.slot.adopt(cur)
	e.draft, e.saved = cur, cur.Body
	e.ta.SetValue(sanitize.Text(cur.Body))
	return e.save()
}

// Flush returns a command that saves unsaved text even if the editor is
// gone by the time it finishes (a page closing). It runs after any save or
// send of this editor still on its way, and reports nothing as saved
// before the write has succeeded; text it cannot save is kept on the
// root's Unsaved list and saved again before the program ends.
func (e *Editor) Flush() tea.Cmd {
	if e.sent {
		return nil
	}
	body := e.ta.Value()
	force := e.conflict != nil
	if !force && !e.saving && !e.sending && body == e.saved {
		return nil
	}
	s, st, actor, ctx, un, what := e.slot, e.c.Store, e.c.Actor, e.c.Ctx, e.c.Unsaved, e.opts.Label
	notSaved, kept := e.c.T("tui.editor.draft_not_saved"), e.c.T("tui.editor.kept_until_quit", "What", what)
	o := writeOpts{merge: true, force: force}
	return e.c.Write(func() tea.Msg {
		r := s.write(ctx, st, actor, body, o)
		if r.err == nil {
			return nil
		}
		un.Add(what, func(ctx context.Context) error { return s.write(ctx, st, actor, body, o).err })
		return common.StatusMsg{Err: fmt.Errorf("%s: %w; %s", notSaved, r.err, kept)}
	})
}

// FlushSync saves unsaved text now (outside the program loop), after any
// write of this editor still on its way.
func (e *Editor) FlushSync(ctx context.Context) error {
	if e.sent {
		return nil
	}
	r := e.slot.write(ctx, e.c.Store, e.c.Actor, e.ta.Value(), writeOpts{merge: true, force: e.conflict != nil})
	if r.err == nil {
		e.draft, e.saved, e.conflict = r.draft, r.draft.Body, nil
	}
	return r.err
}

func (e *Editor) send() tea.Cmd {
	e.sending = true
	e.sendErr, e.offer, e.notice = nil, "", ""
	e.gen++ // the text goes out as it is now; no save of it is needed
	body := strings.TrimRight(e.ta.Value(), " \n")
	s, st, actor, k, kind, fn, ctx := e.slot, e.c.Store, e.c.Actor, e.key, e.opts.Kind, e.opts.Send, e.c.Ctx
	return common.ToPage(e.page, e.c.Write(func() tea.Msg {
		id, recordID, conflict, err := s.send(ctx, st, actor, fn, body)
		return SentMsg{Key: k, Kind: kind, DraftID: id, RecordID: recordID, Err: err, Conflict: conflict}
	}))
}

// View draws the label, the text and the confirmation or hint line.
func (e *Editor) View() string {
	st := e.c.Styles
	state := ""
	switch {
	case e.sent:
		state = st.OK.Render(e.say("state_done"))
	case e.sending:
		state = st.Subtle.Render(e.say("state_sending"))
	case e.conflict != nil:
		state = st.Risk.Render(e.c.T("tui.editor.state_conflict"))
	case e.sendErr != nil:
		state = st.Risk.Render(e.say("state_failed"))
	case e.saveErr != nil:
		state = st.Risk.Render(e.c.T("tui.editor.draft_not_saved") + ": " + e.c.Err(e.saveErr))
	case e.saving:
		state = st.Faint.Render(e.c.T("tui.editor.state_saving"))
	case e.ta.Value() != e.saved:
		state = st.Faint.Render(e.c.T("tui.editor.state_editing"))
	case e.draft.ID != "":
		state = st.Faint.Render(e.c.T("tui.editor.state_saved", "When", e.c.When(e.draft.UpdatedAt)))
	}
	label := st.Label.Render(sanitize.Line(e.opts.Label))
	top := common.Truncate(label+"  "+state, e.width)
	var bottom string
	switch {
	case e.confirming && e.offer != "":
		bottom = st.Confirm.Render(e.offer + " " + e.c.T("tui.editor.offer_keys"))
	case e.confirming:
		bottom = st.Confirm.Render(e.say("confirm", "Question", e.opts.Verb))
	case e.conflict != nil:
		bottom = st.Confirm.Render(e.c.T("tui.editor.conflict_keys"))
	case e.notice != "":
		bottom = st.Warn.Render(e.notice)
	case e.sendErr != nil && e.Dirty():
		bottom = st.Risk.Render(e.say("failed_kept_here", "Err", e.c.Err(e.sendErr)))
	case e.sendErr != nil:
		bottom = st.Risk.Render(e.say("failed_kept_draft", "Err", e.c.Err(e.sendErr)))
	case e.ta.Focused():
		bottom = st.Faint.Render(e.say("hint", "Templates", templateHelp(len(e.templates()))))
	case e.ta.Value() == "":
		bottom = st.Faint.Render(e.c.T("tui.editor.press_e_start"))
	default:
		bottom = st.Faint.Render(e.c.T("tui.editor.press_e_continue"))
	}
	// A question or notice wraps (it must be read in full); the text area
	// gives up the lines it takes.
	bottom = common.Wrap(bottom, max(10, e.width))
	if n := strings.Count(bottom, "\n") + 1; n > 1 {
		e.ta.SetHeight(max(1, e.height-1-n))
	} else {
		e.ta.SetHeight(max(1, e.height-2))
	}
	return lipgloss.JoinVertical(lipgloss.Left, top, e.ta.View(), bottom)
}
