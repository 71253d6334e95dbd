package team

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/store/report"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// The figures panel ('f'): the key figures of 'polku report' for the team
// over the last four weeks, with small charts drawn in text. The numbers
// come from the same computation as the report (store.Report).

// FiguresDays is the period of the panel: the last four weeks, today
// included.
const FiguresDays = 28

type figuresMsg struct {
	r   *report.Report
	err error
}

func (m figuresMsg) Failed() error { return m.err }

func (p *Page) loadFigures() tea.Cmd {
	st, actor, ctx, team := p.c.Store, p.c.Actor, p.c.Ctx, p.team
	today := p.c.Now().In(p.c.Loc)
	q := store.ReportQuery{From: today.AddDate(0, 0, -(FiguresDays - 1)), To: today, Team: team}
	return common.ToPage(p.id, func() tea.Msg {
		r, err := st.Report(ctx, actor, q)
		return figuresMsg{r: r, err: err}
	})
}

// Figures is the loaded report of the panel.
func (p *Page) Figures() *report.Report { return p.figures }

var blocks = []rune(" ▁▂▃▄▅▆▇█")

// spark draws values as a row of block characters, scaled to the largest.
func spark(vals []int) string {
	top := 0
	for _, v := range vals {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range vals {
		i := 0
		if top > 0 {
			i = (v*(len(blocks)-1) + top - 1) / top
		}
		if v > 0 && i == 0 {
			i = 1
		}
		b.WriteRune(blocks[i])
	}
	return b.String()
}

// bar draws a share as a bar of width w with its counts.
func bar(c *common.Common, s report.Share, w int) string {
	if s.Of == 0 {
		return strings.Repeat("·", w) + " -"
	}
	n := s.Count * w / s.Of
	return strings.Repeat("█", n) + strings.Repeat("░", w-n) + " " + shareText(c, s)
}

// shareText is a share as "3/4 (75,0 %)" in the therapist's language.
func shareText(c *common.Common, s report.Share) string {
	if s.Percent == nil {
		return fmt.Sprintf("%d/%d", s.Count, s.Of)
	}
	return c.T("pages.team.figures.share", "Count", s.Count, "Of", s.Of, "Percent", c.Number(*s.Percent, 1))
}

// num is an optional figure ("-" when there is none), with the
// language's decimal mark.
func num(c *common.Common, v *float64) string {
	if v == nil {
		return "-"
	}
	prec := 0
	if _, frac, ok := strings.Cut(strconv.FormatFloat(*v, 'f', -1, 64), "."); ok {
		prec = len(frac)
	}
	return c.Number(*v, prec)
}

func (p *Page) figuresView() string {
	st := p.c.Styles
	var b strings.Builder
	line := func(s string) { b.WriteString(common.Truncate(s, p.width) + "\n") }
	if p.figures == nil {
		msg := p.c.T("pages.team.figures.loading")
		if p.figErr != nil {
			msg = st.Risk.Render(p.c.T("pages.team.error.figures") + ": " + p.c.Err(p.figErr))
		}
		return common.Fit(msg, p.width, p.high)
	}
	r := p.figures
	line(st.Title.Render(p.c.T("pages.team.figures.title", "Team", sanitize.Line(p.team))) + st.Subtle.Render(" · "+p.c.T("pages.team.figures.period", "From", p.isoDate(r.From), "To", p.isoDate(r.To))))
	line("")
	var refs, starts []int
	for _, w := range r.WeeklyFlows {
		refs = append(refs, w.Referrals)
		starts = append(starts, w.Starts)
	}
	a, e, w, k := r.Access, r.Engagement, r.Work, r.Risk
	line(st.Label.Render(p.c.T("pages.team.figures.access")))
	line("  " + p.c.T("pages.team.figures.flows", "Referrals", fmt.Sprintf("%-4d", a.ReferralsReceived), "RefSpark", spark(refs), "Starts", fmt.Sprintf("%-4d", e.Started), "StartSpark", spark(starts)))
	line("  " + p.c.T("pages.team.figures.wait", "Median", num(p.c, a.WaitWorkingDays.Median), "P90", num(p.c, a.WaitWorkingDays.P90)))
	line("  " + p.c.T("pages.team.figures.started_within", "Count", a.PromiseDays, "Bar", bar(p.c, a.WithinPromise, 20)))
	line(st.Label.Render(p.c.T("pages.team.figures.engagement")))
	line("  " + p.c.T("pages.team.figures.engagement_line", "Completed", e.Completed, "Discontinued", e.Discontinued, "Active", e.StillActive, "Modules", num(p.c, e.ModulesCompleted)))
	line(st.Label.Render(p.c.T("pages.team.figures.feedback")))
	var lat []int
	for _, bin := range w.Latency {
		lat = append(lat, bin.Count)
	}
	line("  " + p.c.T("pages.team.figures.sent", "Sent", w.FeedbackSent, "Median", num(p.c, w.LatencyWorkingDays.Median), "Spark", spark(lat)))
	line("  " + p.c.T("pages.team.figures.within", "Count", w.PromiseWorkingDays, "Bar", bar(p.c, w.WithinPromise, 20)))
	line("  " + p.c.T("pages.team.figures.caseload", "Caseload", w.Caseload, "Capacity", w.Capacity, "Over", w.OverCapacity))
	line(st.Label.Render(p.c.T("pages.team.figures.outcomes")) + st.Subtle.Render(" "+p.c.T("pages.team.figures.outcomes_note")))
	if len(r.Outcomes) == 0 {
		line(st.Faint.Render("  " + p.c.T("pages.team.figures.no_outcomes")))
	}
	for _, o := range r.Outcomes {
		rec := "-"
		if o.Recovery != nil {
			rec = bar(p.c, *o.Recovery, 10)
		}
		ri := "-"
		if o.ReliableImprovement != nil {
			ri = shareText(p.c, *o.ReliableImprovement)
		}
		line("  " + p.c.T("pages.team.figures.outcome", "Title", fmt.Sprintf("%-7s", sanitize.Line(o.Title)), "N", fmt.Sprintf("%-3d", o.Finished), "Recovery", rec, "Improvement", ri, "D", num(p.c, o.CohensD)))
	}
	line(st.Label.Render(p.c.T("pages.team.figures.risk")))
	line("  " + p.c.T("pages.team.figures.risk_line", "Raised", k.Raised, "Open", k.StillOpen, "Bar", bar(p.c, k.SameWorkingDay, 10)))
	return common.Fit(strings.TrimRight(b.String(), "\n"), p.width, p.high)
}

// isoDate shows a report's date (YYYY-MM-DD) in the therapist's form.
func (p *Page) isoDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return p.c.Printer().Date(t)
}
