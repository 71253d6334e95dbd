package report

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"polku/internal/i18n"
)

// The HTML report is one self-contained file: inline CSS and inline SVG
// drawn here by hand, no scripts, no fonts or images from anywhere. Every
// bar and dot carries its number in a data-value (or data-baseline and
// data-last) attribute, which a test compares with the JSON.

// svg builds one chart.
type svg struct {
	b    strings.Builder
	w, h float64
}

func newSVG(w, h float64, label string) *svg {
	s := &svg{w: w, h: h}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="%g" height="%g" viewBox="0 0 %g %g" role="img" aria-label="%s">`, w, h, w, h, template.HTMLEscapeString(label))
	fmt.Fprintf(&s.b, `<rect x="0" y="0" width="%g" height="%g" fill="#ffffff"/>`, w, h)
	return s
}

func (s *svg) rect(x, y, w, h float64, fill string, attrs string) {
	fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" %s/>`, x, y, w, h, fill, attrs)
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, dash bool) {
	d := ""
	if dash {
		d = ` stroke-dasharray="4 3"`
	}
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5"%s/>`, x1, y1, x2, y2, stroke, d)
}

func (s *svg) text(x, y float64, anchor, t string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-size="11" fill="#333">%s</text>`, x, y, anchor, template.HTMLEscapeString(t))
}

func (s *svg) polygon(pts [][2]float64, fill string) {
	var p []string
	for _, pt := range pts {
		p = append(p, fmt.Sprintf("%.1f,%.1f", pt[0], pt[1]))
	}
	fmt.Fprintf(&s.b, `<polygon points="%s" fill="%s" fill-opacity="0.25"/>`, strings.Join(p, " "), fill)
}

func (s *svg) String() template.HTML {
	return template.HTML(s.b.String() + "</svg>")
}

const (
	colRef   = "#4c72b0"
	colStart = "#dd8452"
	colBar   = "#55a868"
	colLate  = "#c44e52"
	colAxis  = "#999999"
	colDot   = "#4c72b0"
	colBand  = "#8da0cb"
	padLeft  = 40.0
	padBot   = 30.0
	padTop   = 20.0
	padRight = 10.0
)

func niceMax(v int) int {
	if v < 5 {
		return 5
	}
	return int(math.Ceil(float64(v)/5) * 5)
}

// weeklyChart: referrals and starts per week, side by side.
func weeklyChart(p *i18n.Printer, ws []Week) template.HTML {
	s := newSVG(760, 240, p.T("report.html.weekly_title"))
	top := 0
	for _, w := range ws {
		top = max(top, w.Referrals, w.Starts)
	}
	top = niceMax(top)
	plotW, plotH := s.w-padLeft-padRight, s.h-padTop-padBot
	s.line(padLeft, padTop+plotH, padLeft+plotW, padTop+plotH, colAxis, false)
	s.text(padLeft-4, padTop+8, "end", strconv.Itoa(top))
	s.text(padLeft-4, padTop+plotH, "end", "0")
	if len(ws) > 0 {
		slot := plotW / float64(len(ws))
		bw := slot * 0.4
		for i, w := range ws {
			x := padLeft + float64(i)*slot + slot*0.1
			for j, v := range []int{w.Referrals, w.Starts} {
				h := plotH * float64(v) / float64(top)
				col, series := colRef, "referrals"
				if j == 1 {
					col, series = colStart, "starts"
				}
				s.rect(x+float64(j)*bw, padTop+plotH-h, bw, h, col, fmt.Sprintf(`data-series="%s" data-week="%s" data-value="%d"`, series, w.Start, v))
			}
			if len(ws) <= 8 || i%4 == 0 {
				s.text(x+bw, s.h-padBot+14, "middle", w.Start[5:])
			}
		}
	}
	s.rect(padLeft+10, 4, 10, 10, colRef, "")
	s.text(padLeft+24, 13, "start", p.T("report.html.legend_referrals"))
	s.rect(padLeft+100, 4, 10, 10, colStart, "")
	s.text(padLeft+114, 13, "start", p.T("report.html.legend_starts"))
	return s.String()
}

// histChart: a histogram with the promise drawn as a dashed line after its
// bin; bars past the promise in red.
func histChart(p *i18n.Printer, label, unit string, bins []Bin, lateFrom int, promise string) template.HTML {
	s := newSVG(760, 220, label)
	top := 0
	for _, b := range bins {
		top = max(top, b.Count)
	}
	top = niceMax(top)
	plotW, plotH := s.w-padLeft-padRight, s.h-padTop-padBot
	s.line(padLeft, padTop+plotH, padLeft+plotW, padTop+plotH, colAxis, false)
	s.text(padLeft-4, padTop+8, "end", strconv.Itoa(top))
	s.text(padLeft-4, padTop+plotH, "end", "0")
	if len(bins) == 0 {
		return s.String()
	}
	slot := plotW / float64(len(bins))
	for i, b := range bins {
		x := padLeft + float64(i)*slot
		h := plotH * float64(b.Count) / float64(top)
		col := colBar
		if b.Min >= lateFrom {
			col = colLate
		}
		s.rect(x+slot*0.1, padTop+plotH-h, slot*0.8, h, col, fmt.Sprintf(`data-min="%d" data-max="%d" data-value="%d"`, b.Min, b.Max, b.Count))
		lab := strconv.Itoa(b.Min)
		if b.Max < 0 {
			lab += "+"
		}
		s.text(x+slot/2, s.h-padBot+14, "middle", lab)
	}
	px := padLeft + float64(min(lateFrom, len(bins)))*slot
	s.line(px, padTop-5, px, padTop+plotH, colLate, true)
	s.text(px+4, padTop+4, "start", p.T("report.html.promise", "Promise", promise))
	s.text(padLeft+plotW/2, s.h-2, "middle", unit)
	return s.String()
}

// scatterChart: each finished treatment's baseline (x) and last score (y),
// the line of no change, the band of no reliable change around it, and the
// caseness cut-off on both axes.
func scatterChart(p *i18n.Printer, o Outcome, program string, ps []Pair, maxScore int) template.HTML {
	s := newSVG(360, 360, p.T("report.html.scatter_title", "Title", o.Title, "Program", program))
	plot := 360 - padLeft - padBot - padRight
	x := func(v float64) float64 { return padLeft + plot*v/float64(maxScore) }
	y := func(v float64) float64 { return padTop + plot - plot*v/float64(maxScore) }
	m := float64(maxScore)
	if o.ReliableChange != nil {
		rc := float64(*o.ReliableChange)
		// The band |last - baseline| < rc, clipped to the plot.
		s.polygon([][2]float64{{x(0), y(0)}, {x(0), y(rc)}, {x(m - rc), y(m)}, {x(m), y(m)}, {x(rc), y(0)}}, colBand)
	}
	s.line(x(0), y(0), x(m), y(m), colAxis, true)
	s.line(x(0), y(0), x(m), y(0), colAxis, false)
	s.line(x(0), y(0), x(0), y(m), colAxis, false)
	if o.Caseness != nil {
		c := float64(*o.Caseness)
		s.line(x(c), y(0), x(c), y(m), colLate, true)
		s.line(x(0), y(c), x(m), y(c), colLate, true)
	}
	s.text(x(m/2), 360-4, "middle", p.T("report.html.axis_baseline"))
	s.text(12, y(m/2), "middle", p.T("report.html.axis_last"))
	s.text(x(0)-4, y(0), "end", "0")
	s.text(x(0)-4, y(m)+8, "end", strconv.Itoa(maxScore))
	for _, p := range ps {
		fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s" fill-opacity="0.5" data-baseline="%d" data-last="%d"/>`,
			x(float64(p.Baseline)), y(float64(p.Last)), colDot, p.Baseline, p.Last)
	}
	return s.String()
}

// barsChart: one horizontal bar per labelled count, each with its number
// in data-value (and its key in data-key).
func barsChart(label string, keys, labels []string, counts []int) template.HTML {
	const rowH, labelW = 20.0, 260.0
	s := newSVG(760, rowH*float64(len(counts))+10, label)
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	top = niceMax(top)
	plotW := s.w - labelW - 60
	for i, c := range counts {
		y := 5 + float64(i)*rowH
		s.text(labelW-6, y+13, "end", labels[i])
		s.rect(labelW, y+3, plotW*float64(c)/float64(top), rowH-6, colBar, fmt.Sprintf(`data-key="%s" data-value="%d"`, template.HTMLEscapeString(keys[i]), c))
		s.text(labelW+plotW*float64(c)/float64(top)+4, y+13, "start", strconv.Itoa(c))
	}
	return s.String()
}

// ShareText is a share as people read it: "12/40 (30.0%)", or "3/4" when
// the denominator is under 5.
func ShareText(s Share) string {
	if s.Percent == nil {
		return fmt.Sprintf("%d/%d", s.Count, s.Of)
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", s.Count, s.Of, *s.Percent)
}

// ShareIn is a share in the language's form: "12/40 (30,0 %)" in
// Finnish, the counts only when the denominator is under 5.
func ShareIn(p *i18n.Printer, s Share) string {
	if p.Lang() == i18n.EN {
		return ShareText(s)
	}
	if s.Percent == nil {
		return fmt.Sprintf("%d/%d", s.Count, s.Of)
	}
	return fmt.Sprintf("%d/%d (%s\u00a0%%)", s.Count, s.Of, p.Number(*s.Percent, 1))
}

// NumIn is an optional figure in the language's form (a decimal comma in
// Finnish and Swedish), "-" when there is none.
func NumIn(p *i18n.Printer, v *float64) string {
	if v == nil {
		return "-"
	}
	return p.Number(*v, -1)
}

// Num is an optional figure as text ("-" when there is none).
func Num(v *float64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// Row is one line of the figures table (and the CSV): section, figure,
// value.
type Row struct{ Section, Figure, Value string }

// Rows lists every figure of the report as text, in one order for the
// table, the CSV and the HTML.
func (r *Report) Rows(p *i18n.Printer) []Row {
	if p == nil {
		p = i18n.New(i18n.EN)
	}
	var rows []Row
	t := p.T
	num := func(v *float64) string { return NumIn(p, v) }
	share := func(s Share) string { return ShareIn(p, s) }
	itoa := p.Int
	add := func(sec, fig, val string) { rows = append(rows, Row{sec, fig, val}) }
	a := r.Access
	add(t("report.sec.access"), t("report.fig.referrals_received"), itoa(a.ReferralsReceived))
	add(t("report.sec.access"), t("report.fig.started_from_referral"), itoa(a.StartedFromReferral))
	add(t("report.sec.access"), t("report.fig.wait_median"), num(a.WaitWorkingDays.Median))
	add(t("report.sec.access"), t("report.fig.wait_p90"), num(a.WaitWorkingDays.P90))
	add(t("report.sec.access"), t("report.fig.within_promise", "Days", a.PromiseDays), share(a.WithinPromise))
	e := r.Engagement
	add(t("report.sec.engagement"), t("report.fig.started"), itoa(e.Started))
	add(t("report.sec.engagement"), t("report.fig.completed"), itoa(e.Completed))
	add(t("report.sec.engagement"), t("report.fig.discontinued"), itoa(e.Discontinued))
	for _, rs := range e.DiscontinuedByReason {
		add(t("report.sec.engagement"), t("report.fig.discontinued_reason", "Reason", rs.Words), share(rs.Share))
	}
	add(t("report.sec.engagement"), t("report.fig.still_active"), itoa(e.StillActive))
	add(t("report.sec.engagement"), t("report.fig.modules_completed"), num(e.ModulesCompleted))
	in := e.Inactivity
	add(t("report.sec.engagement"), t("report.fig.inactivity_episodes", "Days", in.Days), itoa(in.Episodes))
	add(t("report.sec.engagement"), t("report.fig.inactive_patients"), share(in.Patients))
	add(t("report.sec.engagement"), t("report.fig.inactivity_median"), num(in.MedianDays))
	w := r.Work
	add(t("report.sec.work"), t("report.fig.feedback_sent"), itoa(w.FeedbackSent))
	add(t("report.sec.work"), t("report.fig.latency_median"), num(w.LatencyWorkingDays.Median))
	add(t("report.sec.work"), t("report.fig.latency_p90"), num(w.LatencyWorkingDays.P90))
	add(t("report.sec.work"), t("report.fig.feedback_within_promise", "Days", w.PromiseWorkingDays), share(w.WithinPromise))
	add(t("report.sec.work"), t("report.fig.minutes_per_patient"), num(w.MinutesPerPatientWeek))
	add(t("report.sec.work"), t("report.fig.therapists"), itoa(w.Therapists))
	add(t("report.sec.work"), t("report.fig.caseload_capacity"), itoa(w.Caseload)+" / "+itoa(w.Capacity))
	add(t("report.sec.work"), t("report.fig.over_capacity"), itoa(w.OverCapacity))
	for _, o := range r.Outcomes {
		outcomeRows(p, add, t("report.sec.outcomes", "Title", o.Title), o)
	}
	for _, o := range r.NotValid {
		outcomeRows(p, add, t("report.sec.not_validated", "Title", o.Title), o)
	}
	riskRows(p, add, t("report.sec.risk"), r.Risk.RiskFlags)
	for _, s := range r.Risk.BySource {
		riskRows(p, add, t("report.sec.risk_source", "Source", s.Label), s.RiskFlags)
	}
	return rows
}

func riskRows(p *i18n.Printer, add func(sec, fig, val string), sec string, k RiskFlags) {
	t, itoa, num, share := p.T, p.Int, func(v *float64) string { return NumIn(p, v) }, func(s Share) string { return ShareIn(p, s) }
	add(sec, t("report.fig.flags_raised"), itoa(k.Raised))
	add(sec, t("report.fig.acknowledged"), itoa(k.Acknowledged))
	add(sec, t("report.fig.still_open"), itoa(k.StillOpen))
	add(sec, t("report.fig.hours_to_ack"), num(k.MedianHoursToAck))
	add(sec, t("report.fig.same_working_day"), share(k.SameWorkingDay))
}

func outcomeRows(p *i18n.Printer, add func(sec, fig, val string), sec string, o Outcome) {
	t, itoa, num, share := p.T, p.Int, func(v *float64) string { return NumIn(p, v) }, func(s Share) string { return ShareIn(p, s) }
	add(sec, t("report.fig.finished"), itoa(o.Finished))
	if o.Baseline != nil {
		add(sec, t("report.fig.baseline_mean"), p.Number(o.Baseline.Mean, 2)+" ("+p.Number(o.Baseline.SD, 2)+")")
		add(sec, t("report.fig.last_mean"), p.Number(o.Last.Mean, 2)+" ("+p.Number(o.Last.SD, 2)+")")
	}
	add(sec, t("report.fig.cohens_d"), num(o.CohensD))
	if !o.Validated {
		return
	}
	add(sec, t("report.fig.case_at_baseline"), itoa(o.CaseAtBaseline))
	for _, s := range []struct {
		name string
		v    *Share
	}{{t("report.fig.reliable_improvement"), o.ReliableImprovement}, {t("report.fig.recovery"), o.Recovery}, {t("report.fig.reliable_recovery"), o.ReliableRecovery}, {t("report.fig.reliable_deterioration"), o.ReliableDeterioration}} {
		if s.v != nil {
			add(sec, s.name, share(*s.v))
		}
	}
}

// WriteCSV writes the figures as CSV: section, figure, value.
func (r *Report) WriteCSV(w io.Writer, p *i18n.Printer) error {
	if p == nil {
		p = i18n.New(i18n.EN)
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{p.T("report.csv.section"), p.T("report.csv.figure"), p.T("report.csv.value")})
	for _, row := range r.Rows(p) {
		cw.Write([]string{row.Section, row.Figure, row.Value})
	}
	cw.Flush()
	return cw.Error()
}

type programChart struct {
	Title string
	Chart template.HTML
}

// WriteHTML writes the report as one self-contained HTML page.
func (r *Report) WriteHTML(w io.Writer, p *i18n.Printer) error {
	if p == nil {
		p = i18n.New(i18n.EN)
	}
	scope := Scope(p, r)
	var charts []programChart
	for _, group := range [][]Outcome{r.Outcomes, r.NotValid} {
		for _, o := range group {
			byProg := map[string][]Pair{}
			var progs []string
			maxScore := 0
			for _, p := range o.Pairs {
				if _, ok := byProg[p.Program]; !ok {
					progs = append(progs, p.Program)
				}
				byProg[p.Program] = append(byProg[p.Program], p)
				maxScore = max(maxScore, p.Baseline, p.Last)
			}
			maxScore = niceMax(maxScore)
			sort.Strings(progs)
			for _, prog := range progs {
				title := p.T("report.html.chart_title", "Title", o.Title, "Program", prog, "Count", len(byProg[prog]))
				if !o.Validated {
					title += p.T("report.html.not_validated")
				}
				charts = append(charts, programChart{Title: title, Chart: scatterChart(p, o, prog, byProg[prog], maxScore)})
			}
		}
	}
	data := map[string]any{
		"R":      r,
		"Scope":  scope,
		"Rows":   r.Rows(p),
		"Weekly": weeklyChart(p, r.WeeklyFlows),
		"Wait": histChart(p, p.T("report.html.wait_title"), p.T("report.html.unit_days"), r.Access.WaitDays, r.Access.PromiseDays+1,
			p.T("report.html.days", "Count", r.Access.PromiseDays)),
		"Latency": histChart(p, p.T("report.html.latency_title"), p.T("report.html.unit_working_days"), r.Work.Latency, r.Work.PromiseWorkingDays,
			p.T("report.html.working_days", "Count", r.Work.PromiseWorkingDays)),
		"Lang":   p.Lang(),
		"Charts": charts,
	}
	var keys, labels []string
	var counts []int
	for _, rs := range r.Engagement.DiscontinuedByReason {
		keys, labels, counts = append(keys, rs.Reason), append(labels, rs.Words), append(counts, rs.Count)
	}
	data["Reasons"] = barsChart(p.T("report.html.reasons_title"), keys, labels, counts)
	keys, labels, counts = nil, nil, nil
	for _, k := range r.Risk.BySource {
		keys, labels, counts = append(keys, k.Source), append(labels, k.Label), append(counts, k.Raised)
	}
	data["Flags"] = barsChart(p.T("report.html.flags_title"), keys, labels, counts)
	tmpl, err := page.Clone()
	if err != nil {
		return err
	}
	tmpl.Funcs(template.FuncMap{"t": p.T, "num": func(v *float64) string { return NumIn(p, v) }, "share": func(s Share) string { return ShareIn(p, s) }})
	return tmpl.Execute(w, data)
}

// Scope says whom a report is about: the whole service, a team, a program.
func Scope(p *i18n.Printer, r *Report) string {
	scope := p.T("report.scope.service")
	if r.Team != "" {
		scope = p.T("report.scope.team", "Team", r.Team)
	}
	if r.Program != "" {
		scope += p.T("report.scope.program", "Program", r.Program)
	}
	return scope
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"t": func(string, ...any) string { return "" }, "num": Num, "share": ShareText}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{t "report.html.title_period" "From" .R.From "To" .R.To}}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; background: #fff; max-width: 1100px; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #ddd; padding: 0.2em 0.8em; text-align: left; }
td.v { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0 0 1em 0; }
figcaption { font-size: 0.9em; color: #444; }
.note { font-size: 0.85em; color: #555; }
</style>
</head>
<body>
<h1>{{t "report.html.title"}}</h1>
<p>{{t "report.html.intro" "From" .R.From "To" .R.To "Zone" .R.Timezone "Scope" .Scope}}</p>

<h2>{{t "report.html.weekly_title"}}</h2>
<figure id="weekly">{{.Weekly}}<figcaption>{{t "report.html.weekly_caption"}}</figcaption></figure>

<h2>{{t "report.html.wait_heading"}}</h2>
<figure id="wait">{{.Wait}}<figcaption>{{t "report.html.wait_caption" "Started" .R.Access.StartedFromReferral "Days" .R.Access.PromiseDays}}</figcaption></figure>

<h2>{{t "report.html.latency_heading"}}</h2>
<figure id="latency">{{.Latency}}<figcaption>{{t "report.html.latency_caption" "Sent" .R.Work.FeedbackSent}}</figcaption></figure>

<h2>{{t "report.html.reasons_title"}}</h2>
<figure id="reasons">{{.Reasons}}<figcaption>{{t "report.html.reasons_caption" "Count" .R.Engagement.Discontinued}}</figcaption></figure>

<h2>{{t "report.html.inactivity_heading"}}</h2>
<p>{{t "report.html.inactivity_text" "Days" .R.Engagement.Inactivity.Days}} <span id="episodes" data-value="{{.R.Engagement.Inactivity.Episodes}}">{{.R.Engagement.Inactivity.Episodes}}</span>.</p>

<h2>{{t "report.html.flags_title"}}</h2>
<figure id="flags">{{.Flags}}<figcaption>{{t "report.html.flags_caption" "Count" .R.Risk.Raised}}</figcaption></figure>
<table>
<tr><th>{{t "report.html.col_source"}}</th><th>{{t "report.html.col_raised"}}</th><th>{{t "report.fig.acknowledged"}}</th><th>{{t "report.fig.hours_to_ack"}}</th><th>{{t "report.html.col_same_day"}}</th></tr>
{{range .R.Risk.BySource}}<tr><td>{{.Label}}</td><td class="v">{{.Raised}}</td><td class="v">{{.Acknowledged}}</td><td class="v">{{num .MedianHoursToAck}}</td><td class="v">{{share .SameWorkingDay}}</td></tr>
{{end}}</table>

<h2>{{t "report.html.scores_heading"}}</h2>
<p class="note">{{t "report.html.scores_note"}}</p>
<div class="charts">
{{range .Charts}}<figure class="outcome">{{.Chart}}<figcaption>{{.Title}}</figcaption></figure>
{{else}}<p>{{t "report.html.no_scores"}}</p>
{{end}}</div>

<h2>{{t "report.html.figures_heading"}}</h2>
<table>
<tr><th>{{t "report.csv.section"}}</th><th>{{t "report.csv.figure"}}</th><th>{{t "report.csv.value"}}</th></tr>
{{range .Rows}}<tr><td>{{.Section}}</td><td>{{.Figure}}</td><td class="v">{{.Value}}</td></tr>
{{end}}</table>
<p class="note">{{t "report.html.figures_note"}}</p>
</body>
</html>
`))
