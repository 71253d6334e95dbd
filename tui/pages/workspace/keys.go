package workspace

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/components/ackdialog"
)

func (p *Page) onKey(msg tea.KeyMsg) tea.Cmd {
	if p.ack != nil {
		return p.ack.Update(msg)
	}
	if p.goAhead != nil {
		return p.goAhead.Update(msg)
	}
	if p.course != nil {
		return p.course.Update(msg)
	}
	k := p.keys
	if e := p.activeEditor(); e != nil && e.Focused() {
		if key.Matches(msg, k.Back) && !e.Confirming() {
			cmd := e.Blur()
			p.layout()
			return cmd
		}
		if p.reading != "" && key.Matches(msg, k.ReaderScroll) {
			scroll(&p.reader, msg, k) // read on while writing
			return nil
		}
		cmd := e.Update(msg)
		p.layout()
		return cmd
	}
	switch {
	case key.Matches(msg, k.Lang) && p.rec != nil:
		return common.Status(p.toggleLang())
	case key.Matches(msg, k.Ack):
		if p.riskReasons() == nil {
			return common.Status(p.c.T("pages.triage.no_flags"))
		}
		p.ack = ackdialog.New(p.c, p.id, p.item)
		p.ack.SetWidth(p.width)
		return nil
	case key.Matches(msg, k.GoAhead):
		return p.openGoAhead()
	case key.Matches(msg, k.Course):
		if !p.mayChangeCourse() {
			return nil
		}
		return p.openCourse()
	case key.Matches(msg, k.Summary):
		e := p.summaryTarget()
		if e == nil {
			return common.Status(p.c.T("pages.workspace.no_finished"))
		}
		return p.openSummary(e.ID)
	case key.Matches(msg, k.Next):
		pid := p.patientID
		return func() tea.Msg { return common.NextPatientMsg{After: pid} }
	case key.Matches(msg, k.Write), p.reading != "" && key.Matches(msg, k.ReaderWrite):
		if e := p.activeEditor(); e != nil {
			e.Focus()
			p.layout()
			return nil
		}
		if p.reading != "" {
			return common.Status(p.c.T("pages.workspace.already_sent"))
		}
		return nil
	}
	if p.reading != "" {
		return p.readerKeys(msg)
	}
	switch {
	case key.Matches(msg, k.NextTab):
		return p.switchTab((p.tab + 1) % Tab(len(tabNames)))
	case key.Matches(msg, k.PrevTab):
		return p.switchTab((p.tab + Tab(len(tabNames)) - 1) % Tab(len(tabNames)))
	case key.Matches(msg, k.TabN):
		return p.switchTab(Tab(msg.String()[0] - '1'))
	case key.Matches(msg, k.Back):
		return func() tea.Msg { return common.BackMsg{} }
	}
	if p.tab == TabSubmissions {
		switch {
		case key.Matches(msg, k.Up):
			p.moveSub(p.subCursor - 1)
		case key.Matches(msg, k.Down):
			p.moveSub(p.subCursor + 1)
		case key.Matches(msg, k.PageUp):
			p.moveSub(p.subCursor - p.content.Height)
		case key.Matches(msg, k.PageDown):
			p.moveSub(p.subCursor + p.content.Height)
		case key.Matches(msg, k.Top):
			p.moveSub(0)
		case key.Matches(msg, k.Bottom):
			p.moveSub(len(p.subs) - 1)
		case key.Matches(msg, k.Open):
			if p.subCursor < len(p.subs) {
				return p.openReader(p.subs[p.subCursor].sub.ID)
			}
		}
		return nil
	}
	scroll(&p.content, msg, k)
	return nil
}

func (p *Page) moveSub(to int) {
	if len(p.subs) == 0 {
		return
	}
	p.subCursor = min(max(0, to), len(p.subs)-1)
	p.subSelected = p.subs[p.subCursor].sub.ID
}

func (p *Page) readerKeys(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch {
	case key.Matches(msg, k.ReaderOut):
		return p.closeReader()
	case key.Matches(msg, k.Correct):
		if !p.canCorrect() {
			return nil
		}
		if e := p.ensureEditor(store.DraftFeedback, p.reading); e != nil {
			e.Focus()
			p.layout()
		}
		return nil
	}
	scroll(&p.reader, msg, k)
	return nil
}

func scroll(vp *viewport.Model, msg tea.KeyMsg, k KeyMap) {
	switch {
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	}
}

// canCorrect says the submission in the reader has feedback to correct.
func (p *Page) canCorrect() bool {
	row, ok := p.subByID(p.reading)
	return ok && !p.readOnly && len(row.feedback) > 0
}

// editorHelp is the help of a focused editor, with the reader's scroll
// keys when it sits below the submission.
func (p *Page) editorHelp(e interface{ FullHelp() [][]key.Binding }) [][]key.Binding {
	groups := e.FullHelp()
	if p.reading != "" {
		groups = append(groups, []key.Binding{p.keys.ReaderScroll})
	}
	return groups
}

// ShortHelp lists the main bindings of the current view.
func (p *Page) ShortHelp() []key.Binding {
	if p.ack != nil {
		return p.ack.ShortHelp()
	}
	if p.goAhead != nil {
		return p.goAhead.ShortHelp()
	}
	if p.course != nil {
		return p.course.ShortHelp()
	}
	if e := p.activeEditor(); e != nil && e.Focused() {
		return e.ShortHelp()
	}
	k := p.keys
	if p.reading != "" {
		if p.readOnly {
			return []key.Binding{k.Down, k.ReaderOut}
		}
		short := []key.Binding{common.Short(k.ReaderWrite, "e"), common.ShortAs(k.ReaderOut, "esc", p.c.T("pages.workspace.keys.close")), k.Next, k.Ack}
		if p.activeEditor() == nil && p.canCorrect() {
			short[0] = k.Correct
		}
		return short
	}
	tab := common.Short(k.NextTab, "tab")
	var short []key.Binding
	switch p.tab {
	case TabSubmissions:
		short = []key.Binding{k.Open, tab, k.Next, k.Ack}
	case TabMessages, TabNotes:
		short = []key.Binding{common.Short(k.Write, "e"), tab, k.Next, k.Ack}
	default:
		short = []key.Binding{k.Down, tab, k.Next, k.Ack}
	}
	if !p.readOnly && p.goAheadPending() {
		// A screening waits for the decision: say where it is made.
		short = append(short, common.ShortAs(k.GoAhead, "o", p.c.T("pages.workspace.keys.go_ahead_short")))
	}
	return short
}

// FullHelp lists every binding of the current view.
func (p *Page) FullHelp() [][]key.Binding {
	if p.ack != nil {
		return p.ack.FullHelp()
	}
	if p.goAhead != nil {
		return p.goAhead.FullHelp()
	}
	if p.course != nil {
		return p.course.FullHelp()
	}
	if e := p.activeEditor(); e != nil && e.Focused() {
		return p.editorHelp(e)
	}
	k := p.keys
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
	if p.reading != "" {
		acts := []key.Binding{k.ReaderWrite}
		if p.canCorrect() {
			acts = append(acts, k.Correct)
		}
		// The course keys go with the reader's actions: the last group
		// fits beside the app's keys on a 24-row screen.
		return [][]key.Binding{nav, append(acts, k.ReaderOut, k.Course, k.Summary, k.Lang), {k.Next, k.Ack, k.GoAhead}}
	}
	acts := []key.Binding{k.NextTab, k.PrevTab, k.TabN, k.Lang}
	if p.tab == TabSubmissions {
		acts = append(acts, k.Open)
	}
	if (p.tab == TabMessages || p.tab == TabNotes || p.tab == TabTimeline) && p.activeEditor() != nil {
		acts = append(acts, k.Write)
	}
	return [][]key.Binding{nav, acts, {k.Next, k.Ack, k.GoAhead, k.Course, k.Summary, k.Back}}
}
