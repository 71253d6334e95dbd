package team

import (
	"fmt"
	"strings"

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
func bar(s report.Share, w int) string {
	if s.Of == 0 {
		return strings.Repeat("·", w) + " -"
	}
	n := s.Count * w / s.Of
	return strings.Repeat("█", n) + strings.Repeat("░", w-n) + " " + report.ShareText(s)
}

func (p *Page) figuresView() string {
	st := p.c.Styles
	var b strings.Builder
	line := func(s string) { b.WriteString(common.Truncate(s, p.width) + "\n") }
	if p.figures == nil {
		msg := "Loading the team's figures…"
		if p.figErr != nil {
			msg = st.Risk.Render("Could not load the figures: " + p.figErr.Error())
		}
		return common.Fit(msg, p.width, p.high)
	}
	r := p.figures
	line(st.Title.Render("Team "+sanitize.Line(p.team)+" · figures") + st.Subtle.Render(fmt.Sprintf(" · %s to %s · as in 'polku report'", r.From, r.To)))
	line("")
	var refs, starts []int
	for _, w := range r.WeeklyFlows {
		refs = append(refs, w.Referrals)
		starts = append(starts, w.Starts)
	}
	a, e, w, k := r.Access, r.Engagement, r.Work, r.Risk
	line(st.Label.Render("Access"))
	line(fmt.Sprintf("  referrals %-4d %s   starts %-4d %s  (per week)", a.ReferralsReceived, spark(refs), e.Started, spark(starts)))
	line(fmt.Sprintf("  wait, working days: median %s, 90th %s", report.Num(a.WaitWorkingDays.Median), report.Num(a.WaitWorkingDays.P90)))
	line(fmt.Sprintf("  started within %d days  %s", a.PromiseDays, bar(a.WithinPromise, 20)))
	line(st.Label.Render("Engagement"))
	line(fmt.Sprintf("  completed %d · discontinued %d · still active %d · modules done (median) %s", e.Completed, e.Discontinued, e.StillActive, report.Num(e.ModulesCompleted)))
	line(st.Label.Render("Feedback"))
	var lat []int
	for _, bin := range w.Latency {
		lat = append(lat, bin.Count)
	}
	line(fmt.Sprintf("  sent %d · median %s working days · by day %s", w.FeedbackSent, report.Num(w.LatencyWorkingDays.Median), spark(lat)))
	line(fmt.Sprintf("  within %d working days %s", w.PromiseWorkingDays, bar(w.WithinPromise, 20)))
	line(fmt.Sprintf("  caseload %d / capacity %d · over capacity %d", w.Caseload, w.Capacity, w.OverCapacity))
	line(st.Label.Render("Outcomes") + st.Subtle.Render(" (treatments ended in the period, two or more scores)"))
	if len(r.Outcomes) == 0 {
		line(st.Faint.Render("  none ended with two scores"))
	}
	for _, o := range r.Outcomes {
		rec := "-"
		if o.Recovery != nil {
			rec = bar(*o.Recovery, 10)
		}
		ri := "-"
		if o.ReliableImprovement != nil {
			ri = report.ShareText(*o.ReliableImprovement)
		}
		line(fmt.Sprintf("  %-7s n %-3d recovery %s · reliable improvement %s · d %s", sanitize.Line(o.Title), o.Finished, rec, ri, report.Num(o.CohensD)))
	}
	line(st.Label.Render("Risk"))
	line(fmt.Sprintf("  flags %d · open %d · acknowledged the same working day %s", k.Raised, k.StillOpen, bar(k.SameWorkingDay, 10)))
	return common.Fit(strings.TrimRight(b.String(), "\n"), p.width, p.high)
}
