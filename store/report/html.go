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
func weeklyChart(ws []Week) template.HTML {
	s := newSVG(760, 240, "Referrals and starts per week")
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
	s.text(padLeft+24, 13, "start", "referrals")
	s.rect(padLeft+100, 4, 10, 10, colStart, "")
	s.text(padLeft+114, 13, "start", "starts")
	return s.String()
}

// histChart: a histogram with the promise drawn as a dashed line after its
// bin; bars past the promise in red.
func histChart(label, unit string, bins []Bin, lateFrom int, promise string) template.HTML {
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
	s.text(px+4, padTop+4, "start", "promise: "+promise)
	s.text(padLeft+plotW/2, s.h-2, "middle", unit)
	return s.String()
}

// scatterChart: each finished treatment's baseline (x) and last score (y),
// the line of no change, the band of no reliable change around it, and the
// caseness cut-off on both axes.
func scatterChart(o Outcome, program string, ps []Pair, maxScore int) template.HTML {
	s := newSVG(360, 360, fmt.Sprintf("%s baseline and last scores, %s", o.Title, program))
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
	s.text(x(m/2), 360-4, "middle", "baseline")
	s.text(12, y(m/2), "middle", "last")
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
func (r *Report) Rows() []Row {
	var rows []Row
	add := func(sec, fig, val string) { rows = append(rows, Row{sec, fig, val}) }
	a := r.Access
	add("access", "referrals received", strconv.Itoa(a.ReferralsReceived))
	add("access", "started from a referral", strconv.Itoa(a.StartedFromReferral))
	add("access", "working days from referral to start, median", Num(a.WaitWorkingDays.Median))
	add("access", "working days from referral to start, 90th percentile", Num(a.WaitWorkingDays.P90))
	add("access", fmt.Sprintf("started within the promise (%d days)", a.PromiseDays), ShareText(a.WithinPromise))
	e := r.Engagement
	add("engagement", "started", strconv.Itoa(e.Started))
	add("engagement", "completed", strconv.Itoa(e.Completed))
	add("engagement", "discontinued", strconv.Itoa(e.Discontinued))
	for _, rs := range e.DiscontinuedByReason {
		add("engagement", "discontinued: "+rs.Words, ShareText(rs.Share))
	}
	add("engagement", "still active", strconv.Itoa(e.StillActive))
	add("engagement", "modules completed, median share", Num(e.ModulesCompleted))
	in := e.Inactivity
	add("engagement", fmt.Sprintf("inactivity episodes (%d days)", in.Days), strconv.Itoa(in.Episodes))
	add("engagement", "patients with an inactivity episode", ShareText(in.Patients))
	add("engagement", "inactivity episode length in days, median", Num(in.MedianDays))
	w := r.Work
	add("therapist work", "feedback sent", strconv.Itoa(w.FeedbackSent))
	add("therapist work", "feedback latency in working days, median", Num(w.LatencyWorkingDays.Median))
	add("therapist work", "feedback latency in working days, 90th percentile", Num(w.LatencyWorkingDays.P90))
	add("therapist work", fmt.Sprintf("feedback within the promise (%d working days)", w.PromiseWorkingDays), ShareText(w.WithinPromise))
	add("therapist work", "therapist minutes per patient per week", Num(w.MinutesPerPatientWeek))
	add("therapist work", "therapists", strconv.Itoa(w.Therapists))
	add("therapist work", "caseload / capacity", fmt.Sprintf("%d / %d", w.Caseload, w.Capacity))
	add("therapist work", "therapists over capacity", strconv.Itoa(w.OverCapacity))
	for _, o := range r.Outcomes {
		outcomeRows(add, "outcomes: "+o.Title, o)
	}
	for _, o := range r.NotValid {
		outcomeRows(add, "not validated: "+o.Title, o)
	}
	riskRows(add, "risk", r.Risk.RiskFlags)
	for _, s := range r.Risk.BySource {
		riskRows(add, "risk: "+s.Label, s.RiskFlags)
	}
	return rows
}

func riskRows(add func(sec, fig, val string), sec string, k RiskFlags) {
	add(sec, "flags raised", strconv.Itoa(k.Raised))
	add(sec, "acknowledged", strconv.Itoa(k.Acknowledged))
	add(sec, "still open", strconv.Itoa(k.StillOpen))
	add(sec, "hours to acknowledgement, median", Num(k.MedianHoursToAck))
	add(sec, "acknowledged the same working day", ShareText(k.SameWorkingDay))
}

func outcomeRows(add func(sec, fig, val string), sec string, o Outcome) {
	add(sec, "finished treatment (two or more scores)", strconv.Itoa(o.Finished))
	if o.Baseline != nil {
		add(sec, "baseline, mean (SD)", fmt.Sprintf("%.2f (%.2f)", o.Baseline.Mean, o.Baseline.SD))
		add(sec, "last, mean (SD)", fmt.Sprintf("%.2f (%.2f)", o.Last.Mean, o.Last.SD))
	}
	add(sec, "Cohen's d (pooled SD of baseline and last)", Num(o.CohensD))
	if !o.Validated {
		return
	}
	add(sec, "at caseness at baseline", strconv.Itoa(o.CaseAtBaseline))
	for _, s := range []struct {
		name string
		v    *Share
	}{{"reliable improvement", o.ReliableImprovement}, {"recovery", o.Recovery}, {"reliable recovery", o.ReliableRecovery}, {"reliable deterioration", o.ReliableDeterioration}} {
		if s.v != nil {
			add(sec, s.name, ShareText(*s.v))
		}
	}
}

// WriteCSV writes the figures as CSV: section, figure, value.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"section", "figure", "value"})
	for _, row := range r.Rows() {
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
func (r *Report) WriteHTML(w io.Writer) error {
	scope := "the whole service"
	if r.Team != "" {
		scope = "team " + r.Team
	}
	if r.Program != "" {
		scope += ", program " + r.Program
	}
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
				title := fmt.Sprintf("%s, %s (%d finished)", o.Title, prog, len(byProg[prog]))
				if !o.Validated {
					title += " - not a validated instrument"
				}
				charts = append(charts, programChart{Title: title, Chart: scatterChart(o, prog, byProg[prog], maxScore)})
			}
		}
	}
	data := map[string]any{
		"R":      r,
		"Scope":  scope,
		"Rows":   r.Rows(),
		"Weekly": weeklyChart(r.WeeklyFlows),
		"Wait": histChart("Calendar days from referral to start", "days", r.Access.WaitDays, r.Access.PromiseDays+1,
			fmt.Sprintf("%d days", r.Access.PromiseDays)),
		"Latency": histChart("Working days from submission to feedback", "working days", r.Work.Latency, r.Work.PromiseWorkingDays,
			fmt.Sprintf("%d working days", r.Work.PromiseWorkingDays)),
		"Charts": charts,
	}
	var keys, labels []string
	var counts []int
	for _, rs := range r.Engagement.DiscontinuedByReason {
		keys, labels, counts = append(keys, rs.Reason), append(labels, rs.Words), append(counts, rs.Count)
	}
	data["Reasons"] = barsChart("Discontinued by reason", keys, labels, counts)
	keys, labels, counts = nil, nil, nil
	for _, k := range r.Risk.BySource {
		keys, labels, counts = append(keys, k.Source), append(labels, k.Label), append(counts, k.Raised)
	}
	data["Flags"] = barsChart("Risk flags by source", keys, labels, counts)
	return page.Execute(w, data)
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"num": Num, "share": ShareText}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>polku report {{.R.From}} to {{.R.To}}</title>
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
<h1>polku report</h1>
<p>{{.R.From}} to {{.R.To}} ({{.R.Timezone}}), {{.Scope}}. Counts and figures only; no patient is named.
Definitions: docs/reports.md.</p>

<h2>Referrals and starts per week</h2>
<figure id="weekly">{{.Weekly}}<figcaption>Referrals received and treatments started, per week from Monday.</figcaption></figure>

<h2>Waiting for a start</h2>
<figure id="wait">{{.Wait}}<figcaption>Started from a referral: {{.R.Access.StartedFromReferral}}. Red bars are past the promise of {{.R.Access.PromiseDays}} days.</figcaption></figure>

<h2>Feedback latency</h2>
<figure id="latency">{{.Latency}}<figcaption>Feedback sent: {{.R.Work.FeedbackSent}}. Whole working days from submission to the first feedback; red bars are past the promise.</figcaption></figure>

<h2>Discontinued by reason</h2>
<figure id="reasons">{{.Reasons}}<figcaption>Discontinued in the period: {{.R.Engagement.Discontinued}}. "not recorded": ended without a discontinue event.</figcaption></figure>

<h2>Inactivity</h2>
<p>Inactivity episodes ({{.R.Engagement.Inactivity.Days}} days without activity, paused time not counted) reached in the period: <span id="episodes" data-value="{{.R.Engagement.Inactivity.Episodes}}">{{.R.Engagement.Inactivity.Episodes}}</span>.</p>

<h2>Risk flags by source</h2>
<figure id="flags">{{.Flags}}<figcaption>Flags raised in the period: {{.R.Risk.Raised}}. Phrases are the word-list heuristic the queue uses: it can miss and it can be wrong.</figcaption></figure>
<table>
<tr><th>source</th><th>raised</th><th>acknowledged</th><th>hours to acknowledgement, median</th><th>same working day</th></tr>
{{range .R.Risk.BySource}}<tr><td>{{.Label}}</td><td class="v">{{.Raised}}</td><td class="v">{{.Acknowledged}}</td><td class="v">{{num .MedianHoursToAck}}</td><td class="v">{{share .SameWorkingDay}}</td></tr>
{{end}}</table>

<h2>Baseline and last scores</h2>
<p class="note">Each dot is one treatment that ended in the period with at least two scores. Dashed diagonal: no change; shaded band: change smaller than the reliable change; red dashed lines: caseness cut-off. Below the diagonal is better.</p>
<div class="charts">
{{range .Charts}}<figure class="outcome">{{.Chart}}<figcaption>{{.Title}}</figcaption></figure>
{{else}}<p>No treatment with two or more scores ended in the period.</p>
{{end}}</div>

<h2>Figures</h2>
<table>
<tr><th>section</th><th>figure</th><th>value</th></tr>
{{range .Rows}}<tr><td>{{.Section}}</td><td>{{.Figure}}</td><td class="v">{{.Value}}</td></tr>
{{end}}</table>
<p class="note">Shares are given with their counts; a share of fewer than 5 is given as counts only. Cohen's d is the mean change divided by the pooled SD of baseline and last scores. Instruments that are not validated are shown apart, without caseness or recovery figures.</p>
</body>
</html>
`))
