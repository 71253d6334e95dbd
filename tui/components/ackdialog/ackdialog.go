// Package ackdialog is the dialog in which a therapist acknowledges a risk
// flag with the action they took (from store.AckActions) and an optional
// comment. The flag then leaves the risk class.
package ackdialog

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// ActionLabel says an acknowledgement action in words, in English.
func ActionLabel(a string) string { return ActionLabelIn(i18n.New(i18n.EN), a) }

// ActionLabelIn says an acknowledgement action in p's language.
func ActionLabelIn(p *i18n.Printer, a string) string {
	switch a {
	case store.AckCalledPatient, store.AckEmergency, store.AckNoAcuteRisk, store.AckSafetyPlan, store.AckConsulted, store.AckMessageSent, store.AckFalsePositive:
		return p.T("tui.ack.action." + a)
	}
	return sanitize.Line(a)
}

// DoneMsg reports the end of the dialog: Acked when recorded, nothing when
// cancelled.
type DoneMsg struct {
	Acked     bool
	PatientID string
	Err       error
}

// Failed reports a failed acknowledgement.
func (m DoneMsg) Failed() error { return m.Err }

// KeyMap are the dialog's bindings.
type KeyMap struct {
	Up      key.Binding
	Down    key.Binding
	Number  key.Binding
	Flag    key.Binding
	Comment key.Binding
	Record  key.Binding
	Cancel  key.Binding
}

// Dialog is the acknowledgement form.
type Dialog struct {
	c            *common.Common
	page         int
	patientID    string
	enrollmentID string
	name         string
	reasons      []store.Reason
	flag         int
	action       int
	comment      textinput.Model
	inComment    bool
	saving       bool
	elsewhere    bool // the flag was acknowledged elsewhere while the dialog was open
	keys         KeyMap
	width        int
}

// New opens the dialog on a patient's risk reasons (the risk-class ones
// are kept).
func New(c *common.Common, page int, item store.QueueItem) *Dialog {
	var rs []store.Reason
	for _, r := range item.Reasons {
		if r.Class == store.ClassRisk && r.SourceID != "" {
			rs = append(rs, r)
		}
	}
	ti := textinput.New()
	ti.Placeholder = c.T("tui.ack.comment_placeholder")
	ti.CharLimit = 500
	ti.Prompt = ""
	ti.TextStyle = c.Styles.EditorFocused
	ti.PlaceholderStyle = c.Styles.Faint
	ti.Cursor.Style = c.Styles.EditorCursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	numbers := make([]string, len(store.AckActions))
	for i := range numbers {
		numbers[i] = fmt.Sprint(i + 1)
	}
	d := &Dialog{c: c, page: page, patientID: item.PatientID, enrollmentID: item.EnrollmentID, name: item.DisplayName, reasons: rs, comment: ti,
		keys: KeyMap{
			Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓/k/j", c.T("tui.ack.keys.choose"))),
			Down:    key.NewBinding(key.WithKeys("down", "j")),
			Number:  key.NewBinding(key.WithKeys(numbers...), key.WithHelp(fmt.Sprintf("1-%d", len(numbers)), c.T("tui.dialog.keys.by_number"))),
			Flag:    key.NewBinding(key.WithKeys("left", "right", "h", "l"), key.WithHelp("←/→/h/l", c.T("tui.ack.keys.which_flag"))),
			Comment: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab/shift+tab", c.T("tui.dialog.keys.comment"))),
			Record:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.dialog.keys.record"))),
			Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.dialog.keys.cancel"))),
		}}
	d.keys.Flag.SetEnabled(len(rs) > 1)
	return d
}

// Comment is the comment typed so far.
func (d *Dialog) Comment() string { return d.comment.Value() }

// AcknowledgedElsewhere tells the dialog that its flag was acknowledged
// meanwhile (another window, a colleague): it stays open with what was
// typed, and says so.
func (d *Dialog) AcknowledgedElsewhere() { d.elsewhere = true }

// Empty says there is nothing to acknowledge.
func (d *Dialog) Empty() bool { return len(d.reasons) == 0 }

// InputFocused says the comment field has the keyboard.
func (d *Dialog) InputFocused() bool { return true }

// SetWidth sets the dialog's width.
func (d *Dialog) SetWidth(w int) { d.width = w; d.comment.Width = max(10, w-14) }

// ShortHelp lists the main bindings.
func (d *Dialog) ShortHelp() []key.Binding {
	comment := common.Short(d.keys.Comment, "tab")
	if d.inComment {
		return []key.Binding{common.ShortAs(comment, "tab", d.c.T("tui.ack.keys.back_to_actions")), d.keys.Record, d.keys.Cancel}
	}
	return []key.Binding{common.ShortAs(d.keys.Up, "↑/↓", d.c.T("tui.ack.keys.action")), common.Short(d.keys.Flag, "←/→"), comment, d.keys.Record, d.keys.Cancel}
}

// FullHelp lists every binding of the dialog's current state (in the
// comment, keys type).
func (d *Dialog) FullHelp() [][]key.Binding {
	if d.inComment {
		c := d.keys.Comment
		c.SetHelp("tab/shift+tab", d.c.T("tui.ack.keys.back_to_actions"))
		return [][]key.Binding{{c, d.keys.Record, d.keys.Cancel}}
	}
	return [][]key.Binding{{d.keys.Up, d.keys.Number, d.keys.Flag}, {d.keys.Comment, d.keys.Record, d.keys.Cancel}}
}

// Update handles keys and the result of recording.
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
	switch {
	case key.Matches(km, d.keys.Up):
		d.action = (d.action + len(store.AckActions) - 1) % len(store.AckActions)
	case key.Matches(km, d.keys.Down):
		d.action = (d.action + 1) % len(store.AckActions)
	case key.Matches(km, d.keys.Flag):
		if s := km.String(); s == "left" || s == "h" {
			d.flag = (d.flag + len(d.reasons) - 1) % len(d.reasons)
		} else {
			d.flag = (d.flag + 1) % len(d.reasons)
		}
	case key.Matches(km, d.keys.Number):
		d.action = int(km.String()[0] - '1')
	}
	return nil
}

func (d *Dialog) record() tea.Cmd {
	if len(d.reasons) == 0 {
		return nil
	}
	d.saving = true
	r := d.reasons[d.flag]
	ack := store.RiskAck{PatientID: d.patientID, EnrollmentID: d.enrollmentID, SourceType: r.SourceType, SourceID: r.SourceID,
		Action: store.AckActions[d.action], Comment: strings.TrimSpace(d.comment.Value())}
	st, actor, ctx, pid := d.c.Store, d.c.Actor, d.c.Ctx, d.patientID
	return common.ToPage(d.page, d.c.Write(func() tea.Msg {
		_, err := st.AckRisk(ctx, actor, ack)
		return DoneMsg{Acked: err == nil, PatientID: pid, Err: err}
	}))
}

// View draws the dialog.
func (d *Dialog) View() string {
	st := d.c.Styles
	w := max(30, d.width-4)
	var b strings.Builder
	b.WriteString(st.Risk.Render(d.c.T("tui.ack.title")) + st.Subtle.Render(" · "+sanitize.Line(d.name)) + "\n")
	if len(d.reasons) == 0 {
		b.WriteString(d.c.T("tui.ack.none") + "\n")
	} else {
		r := d.reasons[d.flag]
		which := ""
		if len(d.reasons) > 1 {
			which = " " + d.c.T("tui.dialog.n_of", "N", d.flag+1, "Total", len(d.reasons))
		}
		r.Text = sanitize.Line(r.Text)
		b.WriteString(st.Label.Render(d.c.T("tui.ack.flag")+which+": ") + common.Wrap(common.ReasonText(r, d.c.Scales), w-8) + "\n")
	}
	b.WriteString(st.Label.Render(d.c.T("tui.ack.what_did_you_do")) + "\n")
	for i, a := range store.AckActions {
		cur := "  "
		line := fmt.Sprintf("%d %s", i+1, ActionLabelIn(d.c.Printer(), a))
		if i == d.action {
			cur = st.Cursor.Render("› ")
			line = st.Selected.Render(line)
		}
		b.WriteString(cur + line + "\n")
	}
	b.WriteString(st.Label.Render(d.c.T("tui.dialog.comment")+" ") + d.comment.View() + "\n")
	if d.elsewhere {
		b.WriteString(st.Warn.Render(common.Wrap(d.c.T("tui.ack.elsewhere"), w-4)) + "\n")
	}
	if d.saving {
		b.WriteString(st.Faint.Render(d.c.T("tui.dialog.recording")))
	} else {
		b.WriteString(st.Faint.Render(d.c.T("tui.dialog.hint_record")))
	}
	return st.Box.Width(w).Render(b.String())
}
