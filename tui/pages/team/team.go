// Package team is a supervisor's home: a read-only view of the team's
// queues with counts per triage class, patients per therapist and the
// median time from submission to feedback over the last four weeks.
package team

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"polku/store"
	"polku/store/report"
	"polku/tui/common"
	"polku/tui/pages/intake"
	"polku/tui/sanitize"
)

// KeyMap are the team view's bindings.
type KeyMap struct {
	common.ListKeys
	Reload  key.Binding
	Figures key.Binding
	Intake  key.Binding
}

type teamMsg struct {
	view *store.TeamView
	err  error
}

func (m teamMsg) Failed() error { return m.err }

// Page is the team view.
type Page struct {
	c       *common.Common
	id      int
	team    string
	view    *store.TeamView
	err     error
	loading bool
	again   bool
	cursor  int
	keys    KeyMap
	width   int
	high    int

	showFigures bool
	figures     *report.Report
	figErr      error
}

// New makes the team view of the supervisor's team.
func New(c *common.Common) *Page {
	p := &Page{c: c, id: c.NewPageID(), team: c.Therapist.Team}
	p.keys = KeyMap{ListKeys: common.NewListKeysIn(c.Printer()), Reload: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r/ctrl+r", c.T("pages.team.keys.reload"))),
		Figures: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", c.T("pages.team.keys.figures"))),
		Intake:  key.NewBinding(key.WithKeys("i"), key.WithHelp("i", c.T("pages.team.keys.intake")))}
	p.keys.Intake.SetEnabled(intake.May(c))
	p.keys.Open.SetHelp("enter", c.T("pages.team.keys.open"))
	return p
}

// ID is the page address.
func (p *Page) ID() int { return p.id }

// Title names the page.
func (p *Page) Title() string { return p.c.T("pages.team.title", "Team", sanitize.Line(p.team)) }

// InputFocused is never true: the view is read-only.
func (p *Page) InputFocused() bool { return false }

// TeamView is the loaded team view.
func (p *Page) TeamView() *store.TeamView { return p.view }

// Init loads the team.
func (p *Page) Init() tea.Cmd { return p.load() }

// Refresh reloads when anything changed.
func (p *Page) Refresh(ch common.Changes) tea.Cmd {
	if !ch.All && !ch.Others {
		return nil
	}
	if p.showFigures {
		return tea.Batch(p.load(), p.loadFigures())
	}
	return p.load()
}

// Close has nothing to flush.
func (p *Page) Close() tea.Cmd { return nil }

// SetSize sets the page's box.
func (p *Page) SetSize(w, h int) { p.width, p.high = w, h }

func (p *Page) load() tea.Cmd {
	if p.loading {
		p.again = true
		return nil
	}
	p.loading = true
	st, actor, ctx, team, tr := p.c.Store, p.c.Actor, p.c.Ctx, p.team, p.c.Printer()
	return common.ToPage(p.id, func() tea.Msg {
		v, err := st.Team(ctx, actor, team)
		if err == nil {
			for _, m := range v.Members {
				m.Queue.Localize(tr)
			}
			common.SanitizeTeam(v)
		}
		return teamMsg{view: v, err: err}
	})
}

// Update handles keys and the loaded team.
func (p *Page) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case figuresMsg:
		if msg.err != nil {
			p.figErr = msg.err
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.team.error.figures"), msg.err))
		}
		p.figures, p.figErr = msg.r, nil
		return p, nil
	case teamMsg:
		p.loading = false
		var cmd tea.Cmd
		if p.again {
			p.again = false
			cmd = p.load()
		}
		if msg.err != nil {
			p.err = msg.err
			return p, tea.Batch(cmd, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.team.error.team"), msg.err)))
		}
		p.view, p.err = msg.view, nil
		p.cursor = min(p.cursor, max(0, len(p.view.Members)-1))
		return p, cmd
	case tea.KeyMsg:
		k := p.keys
		n := 0
		if p.view != nil {
			n = len(p.view.Members)
		}
		switch {
		case key.Matches(msg, k.Up):
			p.cursor = max(0, p.cursor-1)
		case key.Matches(msg, k.Down):
			p.cursor = min(max(0, n-1), p.cursor+1)
		case key.Matches(msg, k.Top):
			p.cursor = 0
		case key.Matches(msg, k.Bottom):
			p.cursor = max(0, n-1)
		case key.Matches(msg, k.Intake):
			return p, func() tea.Msg { return common.OpenIntakeMsg{} }
		case key.Matches(msg, k.Figures):
			p.showFigures = !p.showFigures
			if p.showFigures {
				return p, p.loadFigures()
			}
		case key.Matches(msg, k.Reload):
			if p.showFigures {
				return p, tea.Batch(p.load(), p.loadFigures())
			}
			return p, p.load()
		case key.Matches(msg, k.Open):
			if p.cursor < n {
				m := p.view.Members[p.cursor]
				return p, func() tea.Msg { return common.OpenQueueMsg{Therapist: m.Therapist, Queue: m.Queue} }
			}
		}
	}
	return p, nil
}

// ShortHelp lists the main bindings.
func (p *Page) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.Open, common.Short(p.keys.Reload, "r")}
}

// FullHelp lists every binding.
func (p *Page) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Top, p.keys.Bottom}, {p.keys.Open, p.keys.Reload, p.keys.Figures, p.keys.Intake}}
}

var columns = []struct {
	class store.Class
	head  string
}{
	{store.ClassRisk, "pages.team.col.risk"}, {store.ClassOverdue, "pages.team.col.overdue"}, {store.ClassDeterioration, "pages.team.col.deterioration"}, {store.ClassDue, "pages.team.col.due"},
	{store.ClassInactive, "pages.team.col.inactive"}, {store.ClassEnding, "pages.team.col.ending"}, {store.ClassStarting, "pages.team.col.starting"}, {store.ClassWaiting, "pages.team.col.waiting"},
}

const cellW = 4

// View draws the team table.
func (p *Page) View() string {
	st := p.c.Styles
	if p.showFigures {
		return p.figuresView()
	}
	if p.view == nil {
		msg := p.c.T("pages.team.loading", "Team", sanitize.Line(p.team))
		if p.err != nil {
			msg = st.Risk.Render(p.c.T("pages.team.error.team") + ": " + p.c.Err(p.err))
		}
		return common.Fit(msg, p.width, p.high)
	}
	v := p.view
	var b strings.Builder
	med := p.c.T("pages.team.no_feedback")
	if v.MedianFeedbackHours != nil {
		med = p.c.T("pages.team.hours", "Hours", p.c.Number(*v.MedianFeedbackHours, 0))
	}
	total := 0
	for _, m := range v.Members {
		total += m.Patients
	}
	refs := p.c.T("pages.team.open_referrals", "Count", v.OpenReferrals)
	if v.OldestOpenReferral != nil {
		refs += " " + p.c.T("pages.team.oldest", "Date", p.c.Day(*v.OldestOpenReferral))
	}
	b.WriteString(common.Truncate(st.Title.Render(p.c.T("pages.team.title", "Team", v.Team))+st.Subtle.Render(" · "+p.c.T("pages.team.therapists", "Count", len(v.Members))+
		" · "+p.c.T("pages.team.patients", "Count", total)+" · "+refs), p.width) + "\n")
	b.WriteString(common.Truncate(st.Subtle.Render(p.c.T("pages.team.median", "Median", med))+st.Faint.Render(" · "+p.c.T("pages.team.read_only")), p.width) + "\n\n")
	nameW := max(10, min(24, p.width-2-1-7-len(columns)*(cellW+1)-6-7))
	head := "  " + common.Pad(p.c.T("pages.team.col.therapist"), nameW) + " " + common.PadLeft(common.Truncate(p.c.T("pages.team.col.caseload"), 7), 7)
	for _, c := range columns {
		head += " " + common.PadLeft(common.Truncate(p.c.T(c.head), cellW), cellW)
	}
	head += " " + common.PadLeft(common.Truncate(p.c.T("pages.team.col.feedback"), 5), 5) + " " + common.PadLeft(common.Truncate(p.c.T("pages.team.col.median"), 6), 6)
	b.WriteString(st.Label.Render(common.Truncate(head, p.width)) + "\n")
	for i, m := range v.Members {
		line := common.Pad(m.Therapist.Name, nameW) + " " + common.PadLeft(fmt.Sprintf("%d/%d", m.Patients, m.Capacity), 7)
		for _, c := range columns {
			n := m.Counts[c.class]
			cell := common.PadLeft(fmt.Sprint(n), cellW)
			if n > 0 && c.class != store.ClassWaiting {
				cell = st.ClassStyle(c.class.String()).Render(cell)
			} else if n == 0 {
				cell = st.Faint.Render(common.PadLeft("·", cellW))
			}
			line += " " + cell
		}
		mh := "-"
		if m.MedianFeedbackHours != nil {
			mh = p.c.T("pages.team.hours", "Hours", p.c.Number(*m.MedianFeedbackHours, 0))
		}
		line += " " + common.PadLeft(fmt.Sprint(m.FeedbackSent), 5) + " " + common.PadLeft(mh, 6)
		if i == p.cursor {
			b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(common.Pad(common.Truncate(ansi.Strip(line), p.width-2), p.width-2)) + "\n")
		} else {
			b.WriteString("  " + common.Truncate(line, p.width-2) + "\n")
		}
	}
	if len(v.Members) == 0 {
		b.WriteString(st.Subtle.Render("  "+p.c.T("pages.team.no_therapists")) + "\n")
	}
	return common.Fit(strings.TrimRight(b.String(), "\n"), p.width, p.high)
}
