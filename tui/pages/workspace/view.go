package workspace

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"polku/store"
	"polku/tui/common"
	"polku/tui/components/editor"
	"polku/tui/components/sparkline"
)

// View draws the workspace.
func (p *Page) View() string {
	st := p.c.Styles
	if p.rec == nil {
		msg := p.c.T("pages.workspace.opening", "Name", p.name)
		if p.err != nil {
			msg = st.Risk.Render(p.c.T("pages.workspace.error.open") + ": " + p.c.Err(p.err))
		}
		return common.Fit(msg, p.width, p.high)
	}
	parts := []string{p.headerView()}
	if rs := p.riskReasons(); rs != nil {
		parts = append(parts, p.riskBanner(rs))
	}
	bodyH := max(1, p.high-p.headerHeight())
	if p.ack != nil {
		parts = append(parts, p.tabsView(), common.Fit(p.ack.View(), p.width, bodyH))
		return common.Fit(strings.Join(parts, "\n"), p.width, p.high)
	}
	if p.goAhead != nil {
		parts = append(parts, p.tabsView(), common.Fit(p.goAhead.View(), p.width, bodyH))
		return common.Fit(strings.Join(parts, "\n"), p.width, p.high)
	}
	if p.course != nil {
		parts = append(parts, p.tabsView(), common.Fit(p.course.View(), p.width, bodyH))
		return common.Fit(strings.Join(parts, "\n"), p.width, p.high)
	}
	if p.reading != "" {
		parts = append(parts, p.readerTitle(), p.readerView(bodyH))
	} else {
		parts = append(parts, p.tabsView(), p.tabView(bodyH))
	}
	return common.Fit(strings.Join(parts, "\n"), p.width, p.high)
}

func (p *Page) headerView() string {
	st := p.c.Styles
	e, prog := p.current()
	line1 := st.Header.Render(p.name) + " " + st.Faint.Render(p.rec.Patient.Pseudonym)
	if p.readOnly {
		line1 += st.Warn.Render(" · " + p.c.T("pages.workspace.read_only_short"))
	}
	if prog != nil {
		// When before what: on a narrow screen the program title is cut.
		week, weeks := p.weekOf()
		when := p.c.T("pages.workspace.week_of", "Week", week, "Weeks", weeks)
		switch e.Status {
		case store.EnrollmentActive:
		case store.EnrollmentScheduled:
			when = p.c.Starts(e.StartDate)
		default:
			when += " · " + p.c.T("pages.workspace.status."+e.Status)
			if e.EndedOn != "" {
				when += " " + p.isoDate(e.EndedOn)
			}
		}
		if e.Paused() {
			when += " · " + p.c.T("pages.workspace.paused")
		}
		if e.FollowUpDue != "" {
			due := p.c.T("pages.workspace.follow_up", "Date", p.isoDate(e.FollowUpDue))
			if e.FollowUpDue <= p.c.Now().In(p.c.Loc).Format(time.DateOnly) {
				due = p.c.T("pages.workspace.follow_up_due", "Date", p.isoDate(e.FollowUpDue))
			}
			when += " · " + due
		}
		line1 += st.Subtle.Render(" · " + when + " · " + prog.Title)
	}
	// Activity and scores first, the module last: on a narrow screen the
	// long module title is what is cut.
	var facts []string
	if last := p.lastActive(); !last.IsZero() {
		facts = append(facts, p.c.T("pages.workspace.active", "Ago", p.c.Ago(last)))
	} else {
		facts = append(facts, p.c.T("pages.workspace.no_activity"))
	}
	for _, s := range p.measureSeries() {
		vals := make([]int, len(s.points))
		for i, m := range s.points {
			vals[i] = m.Total
		}
		lo, hi, _ := s.in.Range()
		last := vals[len(vals)-1]
		facts = append(facts, fmt.Sprintf("%s %s %d %s", common.ScaleOf(s.in).Short(), st.Spark.Render(sparkline.Render(vals, lo, hi, 12)), last, st.Faint.Render(s.in.Band(last))))
	}
	if e != nil && prog != nil && e.UnlockedModules > 0 && e.UnlockedModules <= len(prog.Modules) {
		facts = append(facts, p.c.T("pages.workspace.module", "N", e.UnlockedModules, "Title", prog.Modules[e.UnlockedModules-1].Title))
	}
	line2 := strings.Join(facts, st.Faint.Render(" · "))
	return common.Truncate(line1, p.width) + "\n" + common.Truncate(line2, p.width)
}

func (p *Page) riskBanner(rs []store.Reason) string {
	st := p.c.Styles
	text := p.c.T("pages.workspace.risk")
	if !p.readOnly {
		text += " " + p.c.T("pages.workspace.risk_ack_key")
	}
	text += ": " + common.ReasonText(rs[0], p.c.Scales)
	if len(rs) > 1 {
		text += " " + p.c.T("pages.workspace.risk_more", "Count", len(rs)-1)
	}
	return st.RiskBanner.Render(common.Pad(" "+text, p.width))
}

func (p *Page) tabsView() string {
	st := p.c.Styles
	var parts []string
	for i := range tabNames {
		label := fmt.Sprintf("%d %s", i+1, p.c.T(tabIDs[i]))
		switch Tab(i) {
		case TabSubmissions:
			if w := p.waitingCount(); w > 0 {
				label += fmt.Sprintf(" (%d)", w)
			}
		case TabMessages:
			if u := p.unreadCount(); u > 0 {
				label += fmt.Sprintf(" (%d)", u)
			}
		}
		if Tab(i) == p.tab {
			parts = append(parts, st.TabOn.Render("["+label+"]"))
		} else {
			parts = append(parts, st.Tab.Render(" "+label+" "))
		}
	}
	return common.Truncate(strings.Join(parts, ""), p.width)
}

func (p *Page) waitingCount() int {
	n := 0
	for _, r := range p.subs {
		if r.waiting() && !p.sentSubs[r.sub.ID] {
			n++
		}
	}
	return n
}

func (p *Page) unreadCount() int {
	n := 0
	for _, m := range p.rec.Messages {
		if m.Direction == store.DirectionIn && m.ReadAt == nil {
			n++
		}
	}
	return n
}

func (p *Page) tabView(bodyH int) string {
	var body string
	switch p.tab {
	case TabSubmissions:
		body = p.submissionsView(bodyH)
	default:
		key := fmt.Sprintf("%d/%d/%d", p.tab, p.version, p.width)
		if key != p.contentKey {
			atBottom := p.contentKey == "" || p.content.AtBottom()
			p.content.SetContent(p.tabContent())
			if p.tab == TabMessages || p.tab == TabNotes {
				if atBottom {
					p.content.GotoBottom()
				}
			} else if p.contentKey == "" {
				p.content.GotoTop()
			}
			p.contentKey = key
		}
		body = p.content.View()
	}
	if e := p.activeEditor(); e != nil {
		eh := p.editorRows(bodyH)
		top := common.Fit(body, p.width, max(1, bodyH-eh-1))
		return top + "\n" + p.c.Styles.Rule.Render(common.Rule(p.width)) + "\n" + e.View()
	}
	return common.Fit(body, p.width, bodyH)
}

func (p *Page) tabContent() string {
	switch p.tab {
	case TabMessages:
		return p.messagesContent()
	case TabMeasures:
		return p.measuresContent()
	case TabDiary:
		return p.diaryContent()
	case TabNotes:
		return p.notesContent()
	case TabTimeline:
		return p.timelineContent()
	}
	return ""
}

func (p *Page) submissionsView(h int) string {
	st := p.c.Styles
	if len(p.subs) == 0 {
		return st.Subtle.Render("  " + p.c.T("pages.workspace.no_submissions"))
	}
	offset := 0
	if p.subCursor >= h {
		offset = p.subCursor - h + 1
	}
	// The status column fits the longest status on screen.
	statusW := 14
	for _, r := range p.subs {
		if r.waiting() && !p.sentSubs[r.sub.ID] {
			statusW = max(statusW, ansi.StringWidth(p.c.T("pages.workspace.sub.waiting", "Waited", p.waited(r)))+1)
		}
	}
	var b strings.Builder
	for i := offset; i < len(p.subs) && i < offset+h; i++ {
		r := p.subs[i]
		var status string
		switch {
		case p.sentSubs[r.sub.ID]:
			status = st.OK.Render(common.Pad(p.c.T("pages.workspace.sub.sent_now"), statusW))
		case r.superseded:
			status = st.Faint.Render(common.Pad(p.c.T("pages.workspace.sub.replaced"), statusW))
		case r.waiting():
			status = st.Badge["due"].Render(common.Pad(p.c.T("pages.workspace.sub.waiting", "Waited", p.waited(r)), statusW))
		default:
			status = st.OK.Render(common.Pad(p.c.T("pages.workspace.sub.feedback"), statusW))
		}
		draft := ""
		if e, ok := p.editors[editor.Key(store.DraftFeedback, r.sub.ID)]; ok && e.Value() != "" || p.draftFor(store.DraftFeedback, r.sub.ID) != nil {
			draft = st.Accent.Render(" " + p.c.T("pages.workspace.draft"))
		}
		line := fmt.Sprintf("%s %s %s · %s%s  %s", status, p.c.T("pages.workspace.sub.week", "Week", fmt.Sprintf("%-2d", r.week)), r.moduleTitle(), st.Bold.Render(r.title()), draft, st.Faint.Render(p.c.When(r.sub.SubmittedAt)))
		if i == p.subCursor {
			b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(common.Pad(common.Truncate(ansi.Strip(line), p.width-2), p.width-2)))
		} else {
			b.WriteString("  " + common.Truncate(line, p.width-2))
		}
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

// vsep draws a vertical separator for side-by-side layouts.
func vsep(st *common.Styles, h int) string {
	return strings.TrimRight(strings.Repeat(st.Rule.Render("│")+"\n", h), "\n")
}

func joinH(parts ...string) string { return lipgloss.JoinHorizontal(lipgloss.Top, parts...) }

// isoDate shows a stored date (YYYY-MM-DD) in the therapist's form; a
// text that is not a date is shown as it is.
func (p *Page) isoDate(s string) string {
	t, err := time.ParseInLocation(time.DateOnly, s, p.c.Loc)
	if err != nil {
		return s
	}
	return p.c.Date(t)
}
