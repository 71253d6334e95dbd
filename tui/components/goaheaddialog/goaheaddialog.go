// Package goaheaddialog is the dialog in which a therapist reads a
// patient's screening answers and records the go-ahead for the treatment
// step that waits for them (a program's go_ahead, e.g. sleep restriction
// after the health check): go ahead, or not suitable with a reason. It is
// the risk acknowledgement dialog's sibling (tui/components/ackdialog).
package goaheaddialog

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// DecisionLabel says a go-ahead decision in words, in English.
func DecisionLabel(d string) string { return DecisionLabelIn(i18n.New(i18n.EN), d) }

// DecisionLabelIn says a go-ahead decision in p's language.
func DecisionLabelIn(p *i18n.Printer, d string) string {
	switch d {
	case store.GoAheadYes, store.GoAheadNotSuitable:
		return p.T("tui.goahead.decision." + d)
	}
	return sanitize.Line(d)
}

// DoneMsg reports the end of the dialog: Recorded when the decision was
// stored, nothing when cancelled.
type DoneMsg struct {
	Recorded  bool
	Decision  string
	PatientID string
	Err       error
}

// Failed reports a failed recording.
func (m DoneMsg) Failed() error { return m.Err }

// Screening is what the dialog decides on: the go-ahead, its screening
// exercise and the patient's newest answer to it, and the decision that
// stands now (nil when none).
type Screening struct {
	GoAhead    programs.GoAhead
	Exercise   programs.Exercise
	Submission store.Submission
	Standing   *store.GoAhead
}

// KeyMap are the dialog's bindings.
type KeyMap struct {
	Up      key.Binding
	Down    key.Binding
	Number  key.Binding
	Which   key.Binding
	Scroll  key.Binding
	Comment key.Binding
	Record  key.Binding
	Cancel  key.Binding
}

// Dialog is the go-ahead form.
type Dialog struct {
	c            *common.Common
	page         int
	patientID    string
	enrollmentID string
	name         string
	items        []Screening
	which        int
	decision     int
	comment      textinput.Model
	inComment    bool
	saving       bool
	needReason   bool // not suitable was chosen without a comment
	offset       int  // first answer line shown
	keys         KeyMap
	width        int
	height       int
}

// New opens the dialog on a patient's screenings (one per go-ahead whose
// screening was submitted).
func New(c *common.Common, page int, patientID, enrollmentID, name string, items []Screening) *Dialog {
	ti := textinput.New()
	ti.Placeholder = c.T("tui.goahead.comment_placeholder")
	ti.CharLimit = 500
	ti.Prompt = ""
	ti.TextStyle = c.Styles.EditorFocused
	ti.PlaceholderStyle = c.Styles.Faint
	ti.Cursor.Style = c.Styles.EditorCursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	d := &Dialog{c: c, page: page, patientID: patientID, enrollmentID: enrollmentID, name: name, items: items, comment: ti,
		keys: KeyMap{
			Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓/k/j", c.T("tui.goahead.keys.choose"))),
			Down:    key.NewBinding(key.WithKeys("down", "j")),
			Number:  key.NewBinding(key.WithKeys("1", "2"), key.WithHelp("1-2", c.T("tui.dialog.keys.by_number"))),
			Which:   key.NewBinding(key.WithKeys("left", "right", "h", "l"), key.WithHelp("←/→/h/l", c.T("tui.goahead.keys.which_step"))),
			Scroll:  key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", c.T("tui.goahead.keys.scroll"))),
			Comment: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab/shift+tab", c.T("tui.dialog.keys.comment"))),
			Record:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.dialog.keys.record"))),
			Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.dialog.keys.cancel"))),
		}}
	d.keys.Which.SetEnabled(len(items) > 1)
	return d
}

// Comment is the comment typed so far.
func (d *Dialog) Comment() string { return d.comment.Value() }

// Decision is the decision chosen.
func (d *Dialog) Decision() string { return store.GoAheadDecisions[d.decision] }

// SetSize sets the dialog's size.
func (d *Dialog) SetSize(w, h int) {
	d.width, d.height = w, h
	d.comment.Width = max(10, w-14)
	d.offset = min(d.offset, max(0, len(d.answerLines())-d.answerRows()))
}

// ShortHelp lists the main bindings.
func (d *Dialog) ShortHelp() []key.Binding {
	comment := common.Short(d.keys.Comment, "tab")
	if d.inComment {
		return []key.Binding{common.ShortAs(comment, "tab", d.c.T("tui.goahead.keys.back_to_decision")), d.keys.Record, d.keys.Cancel}
	}
	return []key.Binding{common.ShortAs(d.keys.Up, "↑/↓", d.c.T("tui.goahead.keys.decision")), common.Short(d.keys.Scroll, "pgdn"), comment, d.keys.Record, d.keys.Cancel}
}

// FullHelp lists every binding of the dialog's current state (in the
// comment, keys type).
func (d *Dialog) FullHelp() [][]key.Binding {
	if d.inComment {
		c := d.keys.Comment
		c.SetHelp("tab/shift+tab", d.c.T("tui.goahead.keys.back_to_decision"))
		return [][]key.Binding{{c, d.keys.Record, d.keys.Cancel}}
	}
	return [][]key.Binding{{d.keys.Up, d.keys.Number, d.keys.Which, d.keys.Scroll}, {d.keys.Comment, d.keys.Record, d.keys.Cancel}}
}

// Update handles keys.
func (d *Dialog) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok || d.saving {
		return nil
	}
	switch {
	case key.Matches(km, d.keys.Cancel):
		return func() tea.Msg { return common.PageMsg{Page: d.page, Msg: DoneMsg{PatientID: d.patientID}} }
	case key.Matches(km, d.keys.Record):
		return d.record()
	case key.Matches(km, d.keys.Comment):
		d.inComment = !d.inComment
		if d.inComment {
			return d.comment.Focus()
		}
		d.comment.Blur()
		return nil
	}
	if d.inComment {
		var cmd tea.Cmd
		d.comment, cmd = d.comment.Update(km)
		return cmd
	}
	n := len(store.GoAheadDecisions)
	switch {
	case key.Matches(km, d.keys.Up):
		d.decision = (d.decision + n - 1) % n
	case key.Matches(km, d.keys.Down):
		d.decision = (d.decision + 1) % n
	case key.Matches(km, d.keys.Number):
		d.decision = int(km.String()[0] - '1')
	case key.Matches(km, d.keys.Which):
		if s := km.String(); s == "left" || s == "h" {
			d.which = (d.which + len(d.items) - 1) % len(d.items)
		} else {
			d.which = (d.which + 1) % len(d.items)
		}
		d.offset = 0
	case key.Matches(km, d.keys.Scroll):
		step := max(1, d.answerRows()-1)
		if km.String() == "pgup" {
			step = -step
		}
		d.offset = max(0, min(d.offset+step, len(d.answerLines())-d.answerRows()))
	}
	return nil
}

func (d *Dialog) record() tea.Cmd {
	if len(d.items) == 0 {
		return nil
	}
	comment := strings.TrimSpace(d.comment.Value())
	decision := store.GoAheadDecisions[d.decision]
	if decision == store.GoAheadNotSuitable && comment == "" {
		d.needReason = true
		d.inComment = true
		return d.comment.Focus()
	}
	d.saving = true
	it := d.items[d.which]
	g := store.GoAhead{PatientID: d.patientID, EnrollmentID: d.enrollmentID, GoAheadID: it.GoAhead.ID, SubmissionID: it.Submission.ID,
		Decision: decision, Comment: comment}
	st, actor, ctx, pid := d.c.Store, d.c.Actor, d.c.Ctx, d.patientID
	return common.ToPage(d.page, d.c.Write(func() tea.Msg {
		_, err := st.RecordGoAhead(ctx, actor, g)
		return DoneMsg{Recorded: err == nil, Decision: decision, PatientID: pid, Err: err}
	}))
}

// answerLines are the screening's questions and answers, wrapped to the
// dialog's width.
func (d *Dialog) answerLines() []string {
	if len(d.items) == 0 {
		return nil
	}
	st := d.c.Styles
	it := d.items[d.which]
	w := max(20, d.width-10)
	var out []string
	add := func(label, answer string) {
		for _, l := range strings.Split(common.Wrap(sanitize.Line(label), w), "\n") {
			out = append(out, st.Subtle.Render(l))
		}
		a := strings.TrimSpace(sanitize.Text(answer))
		if a == "" {
			out = append(out, "  "+st.Faint.Render(d.c.T("tui.goahead.no_answer")))
			return
		}
		for _, l := range strings.Split(common.Wrap(a, w-2), "\n") {
			out = append(out, "  "+l)
		}
	}
	if len(it.Exercise.Fields) == 0 {
		add(it.Exercise.Title, it.Submission.Answers["text"])
		return out
	}
	for _, f := range it.Exercise.Fields {
		add(f.Label, it.Submission.Answers[f.ID])
	}
	return out
}

// answerRows is how many answer lines fit: the rest of the dialog takes
// 12 lines (the border, 3 lines above the answers, the scroll line, the
// decision, the comment and the footer), one more for a decision made
// before and one for the note that a reason is needed.
func (d *Dialog) answerRows() int {
	rest := 12
	if len(d.items) > 0 && d.items[d.which].Standing != nil {
		rest++
	}
	if d.needReason {
		rest++
	}
	return max(3, d.height-rest)
}

// View draws the dialog.
func (d *Dialog) View() string {
	st := d.c.Styles
	w := max(30, d.width-4)
	var b strings.Builder
	b.WriteString(st.Label.Render(d.c.T("tui.goahead.title")) + st.Subtle.Render(" · "+sanitize.Line(d.name)) + "\n")
	if len(d.items) == 0 {
		b.WriteString(d.c.T("tui.goahead.none") + "\n")
		return st.Box.Width(w).Render(b.String())
	}
	it := d.items[d.which]
	which := ""
	if len(d.items) > 1 {
		which = " " + d.c.T("tui.dialog.n_of", "N", d.which+1, "Total", len(d.items))
	}
	b.WriteString(st.Label.Render(d.c.T("tui.goahead.waits")+which+": ") + common.Wrap(sanitize.Line(it.GoAhead.What), w-12) + "\n")
	b.WriteString(st.Label.Render(d.c.T("tui.goahead.screening")+" ") + sanitize.Line(it.Exercise.Title) + st.Subtle.Render(", "+d.c.T("tui.goahead.submitted", "When", d.c.When(it.Submission.SubmittedAt))) + "\n")
	if s := it.Standing; s != nil {
		b.WriteString(st.Warn.Render(common.Wrap(d.c.T("tui.goahead.decided_before", "Decision", DecisionLabelIn(d.c.Printer(), s.Decision), "When", d.c.When(s.DecidedAt)), w-4)) + "\n")
	}
	lines := d.answerLines()
	rows := d.answerRows()
	end := min(len(lines), d.offset+rows)
	for _, l := range lines[d.offset:end] {
		b.WriteString(l + "\n")
	}
	if len(lines) > rows {
		b.WriteString(st.Faint.Render(d.c.T("tui.goahead.answer_lines", "First", d.offset+1, "Last", end, "Total", len(lines))) + "\n")
	}
	b.WriteString(st.Label.Render(d.c.T("tui.goahead.your_decision")) + "\n")
	for i, dec := range store.GoAheadDecisions {
		cur := "  "
		line := fmt.Sprintf("%d %s", i+1, DecisionLabelIn(d.c.Printer(), dec))
		if i == d.decision {
			cur = st.Cursor.Render("› ")
			line = st.Selected.Render(line)
		}
		b.WriteString(cur + line + "\n")
	}
	b.WriteString(st.Label.Render(d.c.T("tui.dialog.comment")+" ") + d.comment.View() + "\n")
	if d.needReason {
		b.WriteString(st.Warn.Render(d.c.T("tui.goahead.need_reason")) + "\n")
	}
	if d.saving {
		b.WriteString(st.Faint.Render(d.c.T("tui.dialog.recording")))
	} else {
		b.WriteString(st.Faint.Render(d.c.T("tui.dialog.hint_record")))
	}
	return st.Box.Width(w).Render(b.String())
}
