// Package coursedialog is the dialog in which a therapist (or the team's
// supervisor) changes the course of a treatment from the patient's
// workspace: extend, pause, resume, complete, discontinue, and for a
// supervisor transfer (docs/clinical.md, "The course of a treatment").
// Each choice is one store.StepCourse at the enrollment version the
// screen holds; a conflict or a refusal keeps what was typed.
package coursedialog

import (
	"errors"
	"fmt"
	"strconv"
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

// DoneMsg reports the end of one attempt: Changed when the step was
// stored; Err when refused or conflicting (the dialog stays open then);
// neither when cancelled.
type DoneMsg struct {
	Changed bool
	Kind    string
	Result  store.CourseResult
	Err     error
}

// Failed reports a failed step.
func (m DoneMsg) Failed() error { return m.Err }

// ActionLabel says a course step in words, in English.
func ActionLabel(kind string) string { return ActionLabelIn(i18n.New(i18n.EN), kind) }

// ActionLabelIn says a course step in p's language.
func ActionLabelIn(p *i18n.Printer, kind string) string {
	switch kind {
	case store.CourseExtend, store.CoursePause, store.CourseResume, store.CourseComplete, store.CourseDiscontinue, store.CourseTransfer:
		return p.T("tui.course.action." + kind)
	}
	return kind
}

// StatusIn says an enrollment's status in p's language.
func StatusIn(p *i18n.Printer, status string) string {
	switch status {
	case store.EnrollmentScheduled, store.EnrollmentActive, store.EnrollmentCompleted, store.EnrollmentDiscontinued:
		return p.T("tui.course.status." + status)
	}
	return sanitize.Line(status)
}

// EndReasonIn says a discontinuation reason code in p's language.
func EndReasonIn(p *i18n.Printer, code string) string {
	for _, c := range store.DiscontinueReasons {
		if c == code {
			return p.T("tui.course.end_reason.code_" + code)
		}
	}
	return store.DiscontinueWords(code)
}

// Actions are the steps open to an enrollment for an actor.
func Actions(e store.Enrollment, supervisor bool) []string {
	if e.Finished() {
		return nil
	}
	out := []string{store.CourseExtend}
	if e.Paused() {
		out = append(out, store.CourseResume)
	} else {
		out = append(out, store.CoursePause)
	}
	out = append(out, store.CourseComplete, store.CourseDiscontinue)
	if supervisor {
		out = append(out, store.CourseTransfer)
	}
	return out
}

type field int

const (
	fAction field = iota
	fChoice
	fWeeks
	fReason
)

// Dialog is the course form.
type Dialog struct {
	c          *common.Common
	page       int
	name       string
	enr        store.Enrollment
	actions    []string
	action     int
	code       int
	therapists []store.Therapist // of the team, for a transfer
	to         int
	weeks      textinput.Model
	reason     textinput.Model
	focus      field
	saving     bool
	problem    string // what to fix, why it was refused, or what changed
	keys       KeyMap
	width      int
}

// KeyMap are the dialog's bindings.
type KeyMap struct {
	Up     key.Binding
	Down   key.Binding
	Number key.Binding
	Next   key.Binding
	Run    key.Binding
	Cancel key.Binding
}

func input(c *common.Common, placeholder string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Placeholder = placeholder
	ti.CharLimit = limit
	ti.Prompt = ""
	ti.TextStyle = c.Styles.EditorFocused
	ti.PlaceholderStyle = c.Styles.Faint
	ti.Cursor.Style = c.Styles.EditorCursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return ti
}

// New opens the dialog on an enrollment; therapists are the team's
// therapists a supervisor may transfer to (nil for a therapist).
func New(c *common.Common, page int, name string, e store.Enrollment, therapists []store.Therapist) *Dialog {
	d := &Dialog{c: c, page: page, name: name, enr: e, therapists: therapists,
		actions: Actions(e, therapists != nil),
		weeks:   input(c, fmt.Sprintf("1-%d", store.MaxExtendWeeks), 2),
		reason:  input(c, c.T("tui.course.reason_placeholder"), 500),
		keys: KeyMap{
			Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓/k/j", c.T("tui.course.keys.choose"))),
			Down:   key.NewBinding(key.WithKeys("down", "j")),
			Number: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", c.T("tui.dialog.keys.by_number"))),
			Next:   key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab/shift+tab", c.T("tui.course.keys.next"))),
			Run:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.course.keys.run"))),
			Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.dialog.keys.cancel"))),
		}}
	return d
}

// Kind is the step chosen.
func (d *Dialog) Kind() string {
	if len(d.actions) == 0 {
		return ""
	}
	return d.actions[d.action]
}

// Reason is the reason typed so far.
func (d *Dialog) Reason() string { return d.reason.Value() }

// Weeks is the weeks typed so far.
func (d *Dialog) Weeks() string { return d.weeks.Value() }

// Problem is what the dialog says is wrong ("" when nothing).
func (d *Dialog) Problem() string { return d.problem }

// Saving says a step is being stored.
func (d *Dialog) Saving() bool { return d.saving }

// Enrollment is the enrollment (and version) the dialog acts on.
func (d *Dialog) Enrollment() store.Enrollment { return d.enr }

// SetWidth sets the dialog's width.
func (d *Dialog) SetWidth(w int) {
	d.width = w
	d.weeks.Width = 4
	d.reason.Width = max(10, w-16)
}

// Refused shows why the step was refused; what was typed is kept.
func (d *Dialog) Refused(err error) {
	d.saving = false
	d.problem = d.c.T("tui.course.not_done", "Err", sanitize.Line(d.c.Err(err)))
}

// Reloaded takes the enrollment as reloaded after a conflict and says
// what changed meanwhile; the choice and the text typed are kept.
func (d *Dialog) Reloaded(e store.Enrollment, who func(id string) string) {
	d.saving = false
	was := d.enr
	kind := d.Kind()
	d.enr = e
	d.actions = Actions(e, d.therapists != nil)
	d.action = 0
	for i, a := range d.actions {
		if a == kind {
			d.action = i
		}
	}
	d.problem = d.c.T("tui.course.changed_check", "Changes", ChangesIn(d.c.Printer(), was, e, who))
	if len(d.actions) == 0 {
		d.problem = d.c.T("tui.course.changed_done", "Changes", ChangesIn(d.c.Printer(), was, e, who))
	}
}

// Changes says in English words how an enrollment changed.
func Changes(was, now store.Enrollment, who func(id string) string) string {
	return ChangesIn(i18n.New(i18n.EN), was, now, who)
}

// ChangesIn says in p's language how an enrollment changed.
func ChangesIn(p *i18n.Printer, was, now store.Enrollment, who func(id string) string) string {
	var out []string
	if was.Status != now.Status {
		out = append(out, p.T("tui.course.change.status", "Now", StatusIn(p, now.Status), "Was", StatusIn(p, was.Status)))
	}
	if was.Paused() != now.Paused() {
		if now.Paused() {
			out = append(out, p.T("tui.course.change.paused"))
		} else {
			out = append(out, p.T("tui.course.change.resumed"))
		}
	}
	if was.PlannedEnd != now.PlannedEnd {
		out = append(out, p.T("tui.course.change.planned_end", "Now", now.PlannedEnd, "Was", was.PlannedEnd))
	}
	if was.TherapistID != now.TherapistID {
		out = append(out, p.T("tui.course.change.transferred", "Name", who(now.TherapistID)))
	}
	if len(out) == 0 {
		return p.T("tui.course.change.updated")
	}
	return strings.Join(out, ", ")
}

// fields are the focusable fields of the step chosen.
func (d *Dialog) fields() []field {
	switch d.Kind() {
	case store.CourseExtend:
		return []field{fAction, fWeeks, fReason}
	case store.CourseDiscontinue, store.CourseTransfer:
		return []field{fAction, fChoice, fReason}
	}
	return []field{fAction, fReason}
}

func (d *Dialog) setFocus(f field) tea.Cmd {
	d.focus = f
	d.weeks.Blur()
	d.reason.Blur()
	switch f {
	case fWeeks:
		return d.weeks.Focus()
	case fReason:
		return d.reason.Focus()
	}
	return nil
}

// ShortHelp lists the main bindings.
func (d *Dialog) ShortHelp() []key.Binding {
	return []key.Binding{common.ShortAs(d.keys.Up, "↑/↓", d.c.T("tui.course.keys.choose")), common.Short(d.keys.Next, "tab"), d.keys.Run, d.keys.Cancel}
}

// FullHelp lists every binding of the dialog (in a text field, keys type).
func (d *Dialog) FullHelp() [][]key.Binding {
	if d.focus == fWeeks || d.focus == fReason {
		return [][]key.Binding{{d.keys.Next, d.keys.Run, d.keys.Cancel}}
	}
	return [][]key.Binding{{d.keys.Up, d.keys.Number}, {d.keys.Next, d.keys.Run, d.keys.Cancel}}
}

// Update handles keys.
func (d *Dialog) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok || d.saving {
		return nil
	}
	switch {
	case key.Matches(km, d.keys.Cancel):
		return func() tea.Msg { return common.PageMsg{Page: d.page, Msg: DoneMsg{}} }
	case key.Matches(km, d.keys.Run):
		return d.run()
	case key.Matches(km, d.keys.Next):
		fs := d.fields()
		i := 0
		for j, f := range fs {
			if f == d.focus {
				i = j
			}
		}
		step := 1
		if km.String() == "shift+tab" {
			step = len(fs) - 1
		}
		return d.setFocus(fs[(i+step)%len(fs)])
	}
	switch d.focus {
	case fWeeks:
		var cmd tea.Cmd
		d.weeks, cmd = d.weeks.Update(km)
		return cmd
	case fReason:
		var cmd tea.Cmd
		d.reason, cmd = d.reason.Update(km)
		return cmd
	}
	n, cur := len(d.actions), &d.action
	if d.focus == fChoice {
		if d.Kind() == store.CourseDiscontinue {
			n, cur = len(store.DiscontinueReasons), &d.code
		} else {
			n, cur = len(d.therapists), &d.to
		}
	}
	if n == 0 {
		return nil
	}
	switch {
	case key.Matches(km, d.keys.Up):
		*cur = (*cur + n - 1) % n
	case key.Matches(km, d.keys.Down):
		*cur = (*cur + 1) % n
	case key.Matches(km, d.keys.Number):
		if i := int(km.String()[0] - '1'); i < n {
			*cur = i
		}
	}
	if d.focus == fAction {
		d.problem = ""
	}
	return nil
}

// change is the step as asked, or what to fix first.
func (d *Dialog) change() (store.CourseChange, string, field) {
	c := store.CourseChange{EnrollmentID: d.enr.ID, Version: d.enr.Version, Kind: d.Kind(), Reason: strings.TrimSpace(d.reason.Value()),
		Lang: d.c.Printer().Lang()}
	switch c.Kind {
	case "":
		return c, d.c.T("tui.course.ended_nothing"), fAction
	case store.CourseExtend:
		w, err := strconv.Atoi(strings.TrimSpace(d.weeks.Value()))
		if err != nil || w < 1 || w > store.MaxExtendWeeks {
			return c, d.c.T("tui.course.weeks_invalid", "Max", store.MaxExtendWeeks), fWeeks
		}
		c.Weeks = w
		if c.Reason == "" {
			return c, d.c.T("tui.course.reason_extend"), fReason
		}
	case store.CourseDiscontinue:
		c.ReasonCode = store.DiscontinueReasons[d.code]
		if c.ReasonCode == store.EndOther && c.Reason == "" {
			return c, d.c.T("tui.course.reason_other"), fReason
		}
	case store.CourseTransfer:
		if len(d.therapists) == 0 {
			return c, d.c.T("tui.course.no_one_to_transfer"), fAction
		}
		c.ToTherapist = d.therapists[d.to].ID
	}
	return c, "", fAction
}

func (d *Dialog) run() tea.Cmd {
	c, problem, where := d.change()
	if problem != "" {
		d.problem = problem
		if where == fWeeks || where == fReason {
			return d.setFocus(where)
		}
		return nil
	}
	d.saving, d.problem = true, ""
	st, actor, ctx := d.c.Store, d.c.Actor, d.c.Ctx
	return common.ToPage(d.page, d.c.Write(func() tea.Msg {
		r, err := st.StepCourse(ctx, actor, c)
		return DoneMsg{Changed: err == nil, Kind: c.Kind, Result: r, Err: err}
	}))
}

// Conflict says whether err is a version conflict (reload and retry).
func Conflict(err error) bool { return errors.Is(err, store.ErrConflict) }

// View draws the dialog.
func (d *Dialog) View() string {
	st := d.c.Styles
	w := max(30, d.width-4)
	var b strings.Builder
	state := StatusIn(d.c.Printer(), d.enr.Status)
	if d.enr.Paused() {
		state += ", " + d.c.T("tui.course.change.paused")
	}
	b.WriteString(st.Label.Render(d.c.T("tui.course.title")) + st.Subtle.Render(" · "+sanitize.Line(d.name)+" · "+d.c.T("tui.course.state", "State", state, "End", d.enr.PlannedEnd)) + "\n")
	list := func(f field, items []string, sel int) {
		for i, it := range items {
			cur := "  "
			line := fmt.Sprintf("%d %s", i+1, it)
			if i == sel {
				cur = st.Cursor.Render("› ")
				if d.focus == f {
					line = st.Selected.Render(line)
				} else {
					line = st.Label.Render(line)
				}
			}
			b.WriteString(cur + line + "\n")
		}
	}
	if len(d.actions) == 0 {
		b.WriteString(d.c.T("tui.course.ended_nothing") + "\n")
	}
	labels := make([]string, len(d.actions))
	for i, a := range d.actions {
		labels[i] = ActionLabelIn(d.c.Printer(), a)
	}
	list(fAction, labels, d.action)
	switch d.Kind() {
	case store.CourseExtend:
		b.WriteString(st.Label.Render(d.c.T("tui.course.weeks")+" ") + d.weeks.View() + "\n")
	case store.CourseDiscontinue:
		b.WriteString(st.Label.Render(d.c.T("tui.course.why_ends")) + "\n")
		words := make([]string, len(store.DiscontinueReasons))
		for i, c := range store.DiscontinueReasons {
			words[i] = EndReasonIn(d.c.Printer(), c)
		}
		list(fChoice, words, d.code)
	case store.CourseTransfer:
		b.WriteString(st.Label.Render(d.c.T("tui.course.to")) + "\n")
		names := make([]string, len(d.therapists))
		for i, t := range d.therapists {
			names[i] = sanitize.Line(t.Name) + " (" + sanitize.Line(t.Handle) + ")"
		}
		list(fChoice, names, d.to)
	}
	if d.Kind() != "" {
		b.WriteString(st.Label.Render(d.c.T("tui.course.reason")+" ") + d.reason.View() + "\n")
	}
	if d.problem != "" {
		b.WriteString(st.Warn.Render(common.Wrap(d.problem, w-4)) + "\n")
	}
	if d.saving {
		b.WriteString(st.Faint.Render(d.c.T("tui.editor.state_saving")))
	} else {
		b.WriteString(st.Faint.Render(d.c.T("tui.course.hint")))
	}
	return st.Box.Width(w).Render(b.String())
}
