// Package cohort is the cohort view: the cohorts, and for one cohort its
// members, who has done this week's module, the group's scores by week
// (median and quartiles, with the reliable-change band) and its group
// messages; its therapists write a group message here (docs/groups.md).
package cohort

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// Source is what the page reads.
type Source interface {
	Cohorts(ctx context.Context, actor store.Actor) ([]store.CohortSummary, error)
	CohortDetail(ctx context.Context, actor store.Actor, idOrName string) (*store.CohortView, error)
	NamedMembers(ctx context.Context, cohortID, text string) ([]string, error)
	NewID(at time.Time) string
}

// OpenKey opens the page from a home page.
var OpenKey = key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cohorts"))

// OpenKeyIn is OpenKey described in the therapist's language.
func OpenKeyIn(c *common.Common) key.Binding {
	return key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("pages.cohort.keys.open_page")))
}

// KeyMap are the page's bindings.
type KeyMap struct {
	common.ListKeys
	Write   key.Binding
	Send    key.Binding
	Yes     key.Binding
	No      key.Binding
	Back    key.Binding
	Reload  key.Binding
	Discard key.Binding
}

type mode int

const (
	modeList mode = iota
	modeDetail
	modeWrite
	modeConfirm
)

type listMsg struct {
	list []store.CohortSummary
	err  error
}

type detailMsg struct {
	v   *store.CohortView
	err error
}

type namedMsg struct {
	names []string
	err   error
}

type sentMsg struct{ err error }

// Page is the cohort view.
type Page struct {
	c      *common.Common
	src    Source
	id     int
	keys   KeyMap
	mode   mode
	list   []store.CohortSummary
	view   *store.CohortView
	err    error
	cursor int
	editor textarea.Model
	named  []string
	width  int
	height int
}

// New makes the page.
func New(c *common.Common, src Source) *Page {
	p := &Page{c: c, src: src, id: c.NewPageID()}
	p.keys = KeyMap{ListKeys: common.NewListKeysIn(c.Printer()),
		Write:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", c.T("pages.cohort.keys.write"))),
		Send:    key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("pages.cohort.keys.send"))),
		Discard: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.cohort.keys.discard"))),
		Yes:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", c.T("pages.cohort.keys.yes"))),
		No:      key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", c.T("pages.cohort.keys.no"))),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.cohort.keys.back"))),
		Reload:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r/ctrl+r", c.T("pages.cohort.keys.reload"))),
	}
	p.keys.Open.SetHelp("enter", c.T("pages.cohort.keys.open"))
	p.editor = textarea.New()
	p.editor.Placeholder = c.T("pages.cohort.placeholder")
	p.editor.ShowLineNumbers = false
	p.editor.CharLimit = 10000
	p.editor.Cursor.SetMode(cursor.CursorStatic)
	return p
}

// ID is the page address.
func (p *Page) ID() int { return p.id }

// Title names the page.
func (p *Page) Title() string {
	if p.view != nil && p.mode != modeList {
		return p.c.T("pages.cohort.title_one", "Name", sanitize.Line(p.view.Cohort.Name))
	}
	return p.c.T("pages.cohort.title")
}

// InputFocused: the message editor has the keyboard.
func (p *Page) InputFocused() bool { return p.mode == modeWrite || p.mode == modeConfirm }

// Init loads the cohorts.
func (p *Page) Init() tea.Cmd { return p.loadList() }

// Refresh reloads what is shown.
func (p *Page) Refresh(ch common.Changes) tea.Cmd {
	switch p.mode {
	case modeList:
		return p.loadList()
	case modeDetail:
		return p.loadDetail(p.view.Cohort.ID)
	}
	return nil
}

// Close has nothing to flush.
func (p *Page) Close() tea.Cmd { return nil }

// SetSize sets the page's box.
func (p *Page) SetSize(w, h int) {
	p.width, p.height = w, h
	p.editor.SetWidth(max(10, w-2))
	p.editor.SetHeight(max(3, h/3))
}

// View of one cohort, when open.
func (p *Page) Cohort() *store.CohortView { return p.view }

func (p *Page) mine() bool {
	if p.view == nil || p.c.Therapist.Role != store.RoleTherapist {
		return false
	}
	for _, id := range p.view.Cohort.TherapistIDs {
		if id == p.c.Actor.ID {
			return true
		}
	}
	return false
}

func (p *Page) loadList() tea.Cmd {
	src, actor, ctx := p.src, p.c.Actor, p.c.Ctx
	return common.ToPage(p.id, func() tea.Msg {
		l, err := src.Cohorts(ctx, actor)
		for i := range l {
			l[i].Name = sanitize.Line(l[i].Name)
		}
		return listMsg{l, err}
	})
}

func (p *Page) loadDetail(id string) tea.Cmd {
	src, actor, ctx := p.src, p.c.Actor, p.c.Ctx
	return common.ToPage(p.id, func() tea.Msg {
		v, err := src.CohortDetail(ctx, actor, id)
		if v != nil {
			v.Cohort.Name = sanitize.Line(v.Cohort.Name)
			for i := range v.Members {
				m := &v.Members[i]
				m.Pseudonym, m.DisplayName, m.Status = sanitize.Line(m.Pseudonym), sanitize.Line(m.DisplayName), sanitize.Line(m.Status)
			}
			for i := range v.Messages {
				v.Messages[i].Body = sanitize.Text(v.Messages[i].Body)
			}
			for i := range v.Scores {
				v.Scores[i].Instrument = sanitize.Line(v.Scores[i].Instrument)
			}
		}
		return detailMsg{v, err}
	})
}

func (p *Page) checkNames() tea.Cmd {
	src, ctx, id, body := p.src, p.c.Ctx, p.view.Cohort.ID, p.editor.Value()
	return common.ToPage(p.id, func() tea.Msg {
		names, err := src.NamedMembers(ctx, id, body)
		return namedMsg{names, err}
	})
}

func (p *Page) send() tea.Cmd {
	st, src, actor, ctx := p.c.Store, p.src, p.c.Actor, p.c.Ctx
	now := p.c.Now().UTC().Truncate(time.Millisecond)
	m := store.GroupMessage{ID: src.NewID(now), CohortID: p.view.Cohort.ID, TherapistID: actor.ID, Body: strings.TrimSpace(p.editor.Value()), SentAt: now}
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		return sentMsg{st.Apply(ctx, actor, store.SendGroupMessageOp{Message: m})}
	}))
}

// Update handles keys and results.
func (p *Page) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case listMsg:
		if msg.err != nil {
			p.err = msg.err
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.cohort.error.list"), msg.err))
		}
		p.list, p.err = msg.list, nil
		p.cursor = min(p.cursor, max(0, len(p.list)-1))
		return p, nil
	case detailMsg:
		if msg.err != nil {
			p.mode = modeList
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.cohort.error.open"), msg.err))
		}
		p.view = msg.v
		if p.mode == modeList {
			p.mode = modeDetail
		}
		return p, nil
	case namedMsg:
		switch {
		case msg.err != nil:
			return p, common.Error(msg.err)
		case len(msg.names) > 0:
			p.named, p.mode = msg.names, modeConfirm
			return p, nil
		}
		return p, p.send()
	case sentMsg:
		if msg.err != nil {
			p.mode = modeWrite
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.cohort.error.send"), msg.err))
		}
		p.editor.Reset()
		p.editor.Blur()
		p.mode = modeDetail
		return p, tea.Batch(p.loadDetail(p.view.Cohort.ID), common.Status(p.c.T("pages.cohort.sent", "Count", activeMembers(p.view), "Name", p.view.Cohort.Name)))
	case tea.KeyMsg:
		return p, p.onKey(msg)
	}
	return p, nil
}

func activeMembers(v *store.CohortView) int {
	n := 0
	for _, m := range v.Members {
		if m.LeftAt == nil {
			n++
		}
	}
	return n
}

func (p *Page) onKey(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch p.mode {
	case modeConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			return p.send()
		case key.Matches(msg, k.No):
			p.mode = modeWrite
		}
		return nil
	case modeWrite:
		switch {
		case key.Matches(msg, k.Send):
			if strings.TrimSpace(p.editor.Value()) == "" {
				return common.Status(p.c.T("pages.cohort.write_first"))
			}
			return p.checkNames()
		case key.Matches(msg, k.Discard):
			p.editor.Reset()
			p.editor.Blur()
			p.mode = modeDetail
			return nil
		}
		var cmd tea.Cmd
		p.editor, cmd = p.editor.Update(msg)
		return cmd
	case modeDetail:
		switch {
		case key.Matches(msg, k.Back):
			p.mode = modeList
			return p.loadList()
		case key.Matches(msg, k.Reload):
			return p.loadDetail(p.view.Cohort.ID)
		case key.Matches(msg, k.Write) && p.mine():
			p.mode = modeWrite
			return p.editor.Focus()
		case key.Matches(msg, k.Write):
			return common.Status(p.c.T("pages.cohort.only_therapists"))
		}
		return nil
	}
	n := len(p.list)
	switch {
	case key.Matches(msg, k.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, k.Down):
		p.cursor = min(max(0, n-1), p.cursor+1)
	case key.Matches(msg, k.Top):
		p.cursor = 0
	case key.Matches(msg, k.Bottom):
		p.cursor = max(0, n-1)
	case key.Matches(msg, k.Reload):
		return p.loadList()
	case key.Matches(msg, k.Open) && p.cursor < n:
		return p.loadDetail(p.list[p.cursor].ID)
	case key.Matches(msg, k.Back):
		return func() tea.Msg { return common.BackMsg{} }
	}
	return nil
}

// ShortHelp lists the main bindings.
func (p *Page) ShortHelp() []key.Binding {
	switch p.mode {
	case modeConfirm:
		return []key.Binding{p.keys.Yes, p.keys.No}
	case modeWrite:
		return []key.Binding{p.keys.Send, p.keys.Discard}
	case modeDetail:
		if p.mine() {
			return []key.Binding{p.keys.Write, p.keys.Back}
		}
		return []key.Binding{p.keys.Back}
	}
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.Open}
}

// FullHelp lists every binding.
func (p *Page) FullHelp() [][]key.Binding {
	switch p.mode {
	case modeConfirm:
		return [][]key.Binding{{p.keys.Yes, p.keys.No}}
	case modeWrite:
		return [][]key.Binding{{p.keys.Send, p.keys.Discard}}
	case modeDetail:
		if p.mine() {
			return [][]key.Binding{{p.keys.Write, p.keys.Reload, p.keys.Back}}
		}
		return [][]key.Binding{{p.keys.Reload, p.keys.Back}}
	}
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Top, p.keys.Bottom}, {p.keys.Open, p.keys.Reload, p.keys.Back}}
}

// View draws the list, or one cohort.
func (p *Page) View() string {
	st := p.c.Styles
	var b strings.Builder
	if p.mode == modeList {
		b.WriteString(st.Title.Render(p.c.T("pages.cohort.title")) + st.Subtle.Render(" · "+p.c.Int(len(p.list))) + "\n\n")
		if len(p.list) == 0 {
			b.WriteString(st.Subtle.Render(p.c.T("pages.cohort.none")))
		}
		b.WriteString(st.Label.Render(common.Truncate("  "+common.Pad(p.c.T("pages.cohort.col.name"), 22)+" "+common.Pad(p.c.T("pages.cohort.col.program"), 14)+" "+common.Pad(p.c.T("pages.cohort.col.start"), 10)+" "+common.PadLeft(p.c.T("pages.cohort.col.week"), 4)+"  "+p.c.T("pages.cohort.col.members"), p.width)) + "\n")
		for i, c := range p.list {
			line := common.Pad(c.Name, 22) + " " + common.Pad(sanitize.Line(c.ProgramID), 14) + " " + common.Pad(p.isoDate(c.StartDate), 10) + " " +
				common.PadLeft(fmt.Sprint(c.Week), 4) + "  " + fmt.Sprintf("%d/%d", c.Members, c.Capacity)
			if i == p.cursor {
				b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(common.Pad(common.Truncate(ansi.Strip(line), p.width-2), p.width-2)) + "\n")
			} else {
				b.WriteString("  " + common.Truncate(line, p.width-2) + "\n")
			}
		}
		return common.Fit(strings.TrimRight(b.String(), "\n"), p.width, p.height)
	}
	v := p.view
	done := 0
	for _, m := range v.Members {
		if m.DoneThisWeek && m.LeftAt == nil {
			done++
		}
	}
	b.WriteString(common.Truncate(st.Title.Render(v.Cohort.Name)+st.Subtle.Render(" · "+p.c.T("pages.cohort.heading", "Program", sanitize.Line(v.Cohort.ProgramID),
		"Start", p.isoDate(v.Cohort.StartDate), "Week", v.Week, "Members", activeMembers(v), "Capacity", v.Cohort.Capacity, "Therapists", strings.Join(v.Therapists, ", "))), p.width) + "\n")
	b.WriteString(st.Subtle.Render(p.c.T("pages.cohort.module", "Module", dash(v.ModuleID), "Done", done, "Of", activeMembers(v))) + "\n\n")
	for _, m := range v.Members {
		mark, name := st.Faint.Render("·"), common.Pad(m.Pseudonym, 12)+" "+common.Pad(m.DisplayName, 24)
		switch {
		case m.LeftAt != nil:
			mark, name = st.Faint.Render("-"), st.Faint.Render(name+" "+p.c.T("pages.cohort.removed"))
		case m.DoneThisWeek:
			mark = st.OK.Render("✓")
		}
		b.WriteString(common.Truncate("  "+mark+" "+name, p.width) + "\n")
	}
	for _, s := range v.Scores {
		band := ""
		if s.RCI > 0 {
			band = " · " + p.c.T("pages.cohort.band", "Low", p.c.Number(s.BandLow, 1), "High", p.c.Number(s.BandHigh, 1))
		}
		b.WriteString("\n" + st.Label.Render(p.c.T("pages.cohort.by_week", "Scale", s.Instrument)) + st.Faint.Render(band) + "\n")
		for _, w := range s.Weeks {
			out := ""
			if s.RCI > 0 && (w.Median < s.BandLow || w.Median > s.BandHigh) {
				out = st.Accent.Render(" " + p.c.T("pages.cohort.outside"))
			}
			b.WriteString(common.Truncate("  "+p.c.T("pages.cohort.week_row", "Week", fmt.Sprintf("%2d", w.Week), "N", fmt.Sprintf("%-2d", w.N), "Median", fmt.Sprintf("%5s", p.c.Number(w.Median, 1)),
				"Q1", fmt.Sprintf("%4s", p.c.Number(w.Q1, 1)), "Q3", fmt.Sprintf("%4s", p.c.Number(w.Q3, 1)), "Bar", bar(w, 30))+out, p.width) + "\n")
		}
	}
	if len(v.Messages) > 0 {
		b.WriteString("\n" + st.Label.Render(p.c.T("pages.cohort.messages")) + "\n")
		for i := max(0, len(v.Messages)-3); i < len(v.Messages); i++ {
			m := v.Messages[i]
			b.WriteString(common.Truncate(st.Faint.Render(common.Pad(p.c.When(m.SentAt), max(13, ansi.StringWidth(p.c.When(m.SentAt))+1)))+" "+strings.ReplaceAll(m.Body, "\n", " "), p.width) + "\n")
		}
	}
	switch p.mode {
	case modeWrite:
		b.WriteString("\n" + st.Label.Render(p.c.T("pages.cohort.editor_label")) + "\n" + p.editor.View())
	case modeConfirm:
		b.WriteString("\n" + st.Risk.Render(p.c.T("pages.cohort.names_warning", "Names", strings.Join(p.named, ", "))) + "\n" +
			st.Subtle.Render(p.c.T("pages.cohort.names_choice")))
	}
	return common.Fit(strings.TrimRight(b.String(), "\n"), p.width, p.height)
}

// bar draws the quartile range of a week on a 0-27 scale.
func bar(w store.WeekScore, width int) string {
	const top = 27.0
	pos := func(x float64) int { return min(width-1, max(0, int(x/top*float64(width-1)+0.5))) }
	r := []rune(strings.Repeat(" ", width))
	for i := pos(w.Q1); i <= pos(w.Q3); i++ {
		r[i] = '─'
	}
	r[pos(w.Median)] = '●'
	return "│" + string(r) + "│"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// isoDate shows a stored date (YYYY-MM-DD) in the therapist's form.
func (p *Page) isoDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return p.c.Printer().Date(t)
}
