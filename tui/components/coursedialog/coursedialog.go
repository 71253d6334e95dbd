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

// ActionLabel says a course step in words.
func ActionLabel(kind string) string {
	switch kind {
	case store.CourseExtend:
		return "Extend the treatment (weeks and why)"
	case store.CoursePause:
		return "Pause (no inactivity raised while paused)"
	case store.CourseResume:
		return "Resume"
	case store.CourseComplete:
		return "Complete, then write the discharge summary"
	case store.CourseDiscontinue:
		return "Discontinue (reason), then write the discharge summary"
	case store.CourseTransfer:
		return "Transfer to another therapist of the team"
	}
	return kind
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
		reason:  input(c, "why, in words", 500),
		keys: KeyMap{
			Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓/k/j", "choose")),
			Down:   key.NewBinding(key.WithKeys("down", "j")),
			Number: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", "choose by number")),
			Next:   key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab/shift+tab", "next/previous field")),
			Run:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "do it")),
			Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
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
	d.problem = "Not done: " + sanitize.Line(err.Error())
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
	d.problem = "Changed meanwhile by someone else: " + Changes(was, e, who) + ". Check, then press enter again."
	if len(d.actions) == 0 {
		d.problem = "Changed meanwhile by someone else: " + Changes(was, e, who) + ". Nothing more to do here: esc."
	}
}

// Changes says in words how an enrollment changed.
func Changes(was, now store.Enrollment, who func(id string) string) string {
	var out []string
	if was.Status != now.Status {
		out = append(out, fmt.Sprintf("now %s (was %s)", now.Status, was.Status))
	}
	if was.Paused() != now.Paused() {
		if now.Paused() {
			out = append(out, "paused")
		} else {
			out = append(out, "resumed")
		}
	}
	if was.PlannedEnd != now.PlannedEnd {
		out = append(out, fmt.Sprintf("planned end %s (was %s)", now.PlannedEnd, was.PlannedEnd))
	}
	if was.TherapistID != now.TherapistID {
		out = append(out, fmt.Sprintf("transferred to %s", who(now.TherapistID)))
	}
	if len(out) == 0 {
		return "the treatment was updated"
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
	return []key.Binding{common.ShortAs(d.keys.Up, "↑/↓", "choose"), common.Short(d.keys.Next, "tab"), d.keys.Run, d.keys.Cancel}
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
func (d *Dialog) change() (store.CourseChange, string) {
	c := store.CourseChange{EnrollmentID: d.enr.ID, Version: d.enr.Version, Kind: d.Kind(), Reason: strings.TrimSpace(d.reason.Value())}
	switch c.Kind {
	case "":
		return c, "This treatment has ended: there is nothing to change."
	case store.CourseExtend:
		w, err := strconv.Atoi(strings.TrimSpace(d.weeks.Value()))
		if err != nil || w < 1 || w > store.MaxExtendWeeks {
			return c, fmt.Sprintf("Weeks: give a whole number from 1 to %d.", store.MaxExtendWeeks)
		}
		c.Weeks = w
		if c.Reason == "" {
			return c, "Reason: say why the treatment is extended."
		}
	case store.CourseDiscontinue:
		c.ReasonCode = store.DiscontinueReasons[d.code]
		if c.ReasonCode == store.EndOther && c.Reason == "" {
			return c, "Reason: \"other\" needs the reason in words."
		}
	case store.CourseTransfer:
		if len(d.therapists) == 0 {
			return c, "There is no other therapist in the team to transfer to."
		}
		c.ToTherapist = d.therapists[d.to].ID
	}
	return c, ""
}

func (d *Dialog) run() tea.Cmd {
	c, problem := d.change()
	if problem != "" {
		d.problem = problem
		switch {
		case strings.HasPrefix(problem, "Weeks"):
			return d.setFocus(fWeeks)
		case strings.HasPrefix(problem, "Reason"):
			return d.setFocus(fReason)
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
	state := d.enr.Status
	if d.enr.Paused() {
		state += ", paused"
	}
	b.WriteString(st.Label.Render("Course of treatment") + st.Subtle.Render(fmt.Sprintf(" · %s · %s, planned end %s", sanitize.Line(d.name), state, d.enr.PlannedEnd)) + "\n")
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
		b.WriteString("This treatment has ended: nothing to change.\n")
	}
	labels := make([]string, len(d.actions))
	for i, a := range d.actions {
		labels[i] = ActionLabel(a)
	}
	list(fAction, labels, d.action)
	switch d.Kind() {
	case store.CourseExtend:
		b.WriteString(st.Label.Render("Weeks: ") + d.weeks.View() + "\n")
	case store.CourseDiscontinue:
		b.WriteString(st.Label.Render("Why it ends:") + "\n")
		words := make([]string, len(store.DiscontinueReasons))
		for i, c := range store.DiscontinueReasons {
			words[i] = store.DiscontinueWords(c)
		}
		list(fChoice, words, d.code)
	case store.CourseTransfer:
		b.WriteString(st.Label.Render("To:") + "\n")
		names := make([]string, len(d.therapists))
		for i, t := range d.therapists {
			names[i] = sanitize.Line(t.Name) + " (" + sanitize.Line(t.Handle) + ")"
		}
		list(fChoice, names, d.to)
	}
	if d.Kind() != "" {
		b.WriteString(st.Label.Render("Reason: ") + d.reason.View() + "\n")
	}
	if d.problem != "" {
		b.WriteString(st.Warn.Render(common.Wrap(d.problem, w-4)) + "\n")
	}
	if d.saving {
		b.WriteString(st.Faint.Render("saving…"))
	} else {
		b.WriteString(st.Faint.Render("enter do it · tab next field · esc cancel · f1 help"))
	}
	return st.Box.Width(w).Render(b.String())
}
