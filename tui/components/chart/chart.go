// Package chart draws an instrument's scores over the program weeks as a
// text chart that tells the truth without colour: the y axis is labelled
// at the instrument's band cut-offs, each cut-off row is drawn as a dotted
// band edge, every score is drawn inside its own band, and the
// reliable-change lines (baseline minus and plus the reliable-change
// points) have their own glyph and say RC. Colour only adds shading.
package chart

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"polku/internal/i18n"
	"polku/programs"
)

// The marks of the chart (Legend explains them).
const (
	PointGlyph = "●" // a score
	EdgeGlyph  = "·" // a band edge: the row of a cut-off, labelled on the axis
	RCGlyph    = "┄" // a reliable-change line
)

// Point is one score.
type Point struct {
	Week  int
	Total int
}

// Spec is what to draw.
type Spec struct {
	Points   []Point // oldest first; the first is the baseline
	Lo, Hi   int     // score range
	Bands    []programs.Band
	Reliable int // reliable-change points; 0: none
	Weeks    int // program weeks (x axis 0..Weeks)
	Width    int
	Height   int // plot rows
	// Tr says the axis and the legend in the therapist's language (nil:
	// English); pages pass c.Printer().
	Tr *i18n.Printer
}

// printer is the spec's printer, English when none is set.
func (sp Spec) printer() *i18n.Printer {
	if sp.Tr == nil {
		return i18n.New(i18n.EN)
	}
	return sp.Tr
}

// Styles colour the chart.
type Styles struct {
	Axis  lipgloss.Style
	Point lipgloss.Style
	Line  lipgloss.Style
	Label lipgloss.Style
	Edge  lipgloss.Style   // band edges
	Shade []lipgloss.Style // alternating band backgrounds
}

type class uint8

const (
	cEmpty class = iota
	cAxis
	cPoint
	cLine
	cLabel
	cEdge
)

type cell struct {
	r     rune
	class class
	band  int // -1: not in the plot area
}

// segment is a stretch of the score range drawn as whole rows: a band,
// or a stretch no band covers.
type segment struct {
	min, max int
	band     int // index into Spec.Bands; -1: no band
	rows     int
	top      int // first (top) row
}

func (g segment) span() int { return g.max - g.min + 1 }

// segments cuts [lo, hi] at the band edges.
func segments(sp Spec) []segment {
	bands := make([]int, len(sp.Bands))
	for i := range bands {
		bands[i] = i
	}
	sort.SliceStable(bands, func(a, b int) bool { return sp.Bands[bands[a]].Min < sp.Bands[bands[b]].Min })
	var out []segment
	cur := sp.Lo
	for _, i := range bands {
		b := sp.Bands[i]
		if b.Max < cur || b.Min > sp.Hi {
			continue
		}
		if b.Min > cur {
			out = append(out, segment{min: cur, max: b.Min - 1, band: -1})
		}
		g := segment{min: max(b.Min, cur), max: min(b.Max, sp.Hi), band: i}
		out = append(out, g)
		cur = g.max + 1
	}
	if cur <= sp.Hi {
		out = append(out, segment{min: cur, max: sp.Hi, band: -1})
	}
	return out
}

// allot shares h rows among the segments in proportion to their spans,
// at least one each (largest remainder), and places them top-down.
func allot(segs []segment, h int) {
	total := 0
	for _, g := range segs {
		total += g.span()
	}
	used := 0
	rem := make([]float64, len(segs))
	for i := range segs {
		exact := float64(h*segs[i].span()) / float64(total)
		segs[i].rows = max(1, int(exact))
		rem[i] = exact - float64(int(exact))
		used += segs[i].rows
	}
	for used > h { // the minimum of one row took more than its share
		big := -1
		for i := range segs {
			if segs[i].rows > 1 && (big < 0 || segs[i].rows > segs[big].rows) {
				big = i
			}
		}
		if big < 0 {
			break
		}
		segs[big].rows--
		used--
	}
	for used < h {
		best := 0
		for i := range segs {
			if rem[i] > rem[best] {
				best = i
			}
		}
		segs[best].rows++
		rem[best] = -1
		used++
	}
	top := 0
	for i := len(segs) - 1; i >= 0; i-- {
		segs[i].top = top
		top += segs[i].rows
	}
}

// Render draws the chart.
func Render(sp Spec, st Styles) string {
	if sp.Hi <= sp.Lo {
		sp.Hi = sp.Lo + 1
	}
	segs := segments(sp)
	H := max(sp.Height, 3, len(segs))
	allot(segs, H)
	lastWeek := sp.Weeks
	for _, p := range sp.Points {
		lastWeek = max(lastWeek, p.Week)
	}
	if lastWeek < 1 {
		lastWeek = 1
	}
	const axisW = 5 // " 27 ┤"
	labelW := 0
	for _, b := range sp.Bands {
		labelW = max(labelW, ansi.StringWidth(b.Label)+1)
	}
	rcLabels := rcLines(sp)
	for _, l := range rcLabels {
		labelW = max(labelW, ansi.StringWidth(l.label)+1)
	}
	labelW = min(labelW, 20)
	plotW := sp.Width - axisW - labelW
	step := max(1, min(8, (plotW-1)/(lastWeek+1)))
	plotW = step*(lastWeek+1) + 1
	if axisW+plotW+labelW > sp.Width {
		labelW = max(0, sp.Width-axisW-plotW)
	}
	segOf := func(v int) segment {
		v = min(max(v, sp.Lo), sp.Hi)
		for _, g := range segs {
			if v >= g.min && v <= g.max {
				return g
			}
		}
		return segs[0]
	}
	rowOf := func(v int) int { // 0 is the top row; always inside v's band
		v = min(max(v, sp.Lo), sp.Hi)
		g := segOf(v)
		return g.top + g.rows - 1 - (v-g.min)*g.rows/g.span()
	}
	grid := make([][]cell, H+2)
	width := axisW + plotW + labelW
	for r := range grid {
		grid[r] = make([]cell, width)
		for c := range grid[r] {
			grid[r][c] = cell{r: ' ', band: -1}
		}
	}
	put := func(r, c int, s string, cl class) {
		for _, ch := range s {
			if c >= 0 && c < width && r >= 0 && r < len(grid) {
				grid[r][c].r, grid[r][c].class = ch, cl
			}
			c++
		}
	}
	// Axis, band shading and band edges: the bottom row of every band but
	// the lowest is its cut-off, labelled and dotted across.
	for r := 0; r < H; r++ {
		put(r, axisW-1, "│", cAxis)
	}
	for i, g := range segs {
		for r := g.top; r < g.top+g.rows; r++ {
			for c := axisW; c < axisW+plotW; c++ {
				grid[r][c].band = g.band
			}
		}
		bottom := g.top + g.rows - 1
		if i == 0 {
			put(bottom, 0, fmt.Sprintf("%3d ┤", sp.Lo), cAxis)
			continue
		}
		put(bottom, 0, fmt.Sprintf("%3d ┼", g.min), cAxis)
		for c := axisW + 1; c < axisW+plotW; c += 2 {
			put(bottom, c, EdgeGlyph, cEdge)
		}
	}
	if top := segs[len(segs)-1]; top.rows > 1 {
		put(0, 0, fmt.Sprintf("%3d ┤", sp.Hi), cAxis)
	}
	// Reliable-change lines around the baseline, on the columns the band
	// edges leave free.
	labelled := map[int]bool{}
	for _, l := range rcLabels {
		r := rowOf(l.v)
		for c := axisW; c < axisW+plotW; c += 2 {
			put(r, c, RCGlyph, cLine)
		}
		put(r, axisW+plotW+1, ansi.Truncate(l.label, max(0, labelW-1), "…"), cLine)
		labelled[r] = true
	}
	// Band labels on the middle row of each band, or the nearest free row
	// inside it.
	for _, g := range segs {
		if g.band < 0 {
			continue
		}
		top, bottom := g.top, g.top+g.rows-1
		mid := (top + bottom) / 2
		for d := 0; d <= 2*(bottom-top)+1; d++ {
			r := mid - d/2 // mid, mid+1, mid-1, mid+2, ...
			if d%2 == 1 {
				r = mid + (d+1)/2
			}
			if r < top || r > bottom || labelled[r] {
				continue
			}
			labelled[r] = true
			put(r, axisW+plotW+1, ansi.Truncate(sp.Bands[g.band].Label, max(0, labelW-1), "…"), cLabel)
			break
		}
	}
	// X axis.
	put(H, axisW-1, "└", cAxis)
	for c := axisW; c < axisW+plotW; c++ {
		put(H, c, "─", cAxis)
	}
	for w := 0; w <= lastWeek; w++ {
		c := axisW + 1 + w*step
		if step >= 3 || w%2 == 0 || w == lastWeek {
			put(H+1, c, fmt.Sprint(w), cAxis)
		}
	}
	put(H+1, axisW+plotW+1, sp.printer().T("tui.chart.week"), cAxis)
	// Points.
	for _, p := range sp.Points {
		mark := PointGlyph
		if step >= 4 {
			mark += fmt.Sprint(p.Total) // the value beside the point
			if ansi.StringWidth(mark) < step {
				mark += " " // kept apart from a band edge's dots
			}
		}
		put(rowOf(p.Total), axisW+1+p.Week*step, mark, cPoint)
	}
	// Render runs of equal style.
	var out strings.Builder
	for r, row := range grid {
		var run strings.Builder
		cur := -2
		var curClass class
		flush := func() {
			if run.Len() == 0 {
				return
			}
			out.WriteString(styleFor(st, curClass, cur).Render(run.String()))
			run.Reset()
		}
		for _, c := range row {
			if c.class != curClass || c.band != cur {
				flush()
				curClass, cur = c.class, c.band
			}
			run.WriteRune(c.r)
		}
		flush()
		if r < len(grid)-1 {
			out.WriteByte('\n')
		}
	}
	return out.String()
}

type rcLine struct {
	v     int
	label string
}

// rcLines are the reliable-change lines inside the range: a score at or
// below the lower one is a reliable improvement, at or above the upper
// one a reliable deterioration.
func rcLines(sp Spec) []rcLine {
	if sp.Reliable <= 0 || len(sp.Points) == 0 {
		return nil
	}
	base := sp.Points[0].Total
	p := sp.printer()
	var out []rcLine
	for _, l := range []rcLine{{base - sp.Reliable, p.T("tui.chart.rc_better", "Score", base-sp.Reliable)}, {base + sp.Reliable, p.T("tui.chart.rc_worse", "Score", base+sp.Reliable)}} {
		if l.v >= sp.Lo && l.v <= sp.Hi {
			out = append(out, l)
		}
	}
	return out
}

// Legend explains the chart's marks in one line.
func Legend(sp Spec) string {
	p := sp.printer()
	parts := []string{PointGlyph + " " + p.T("tui.chart.score"), EdgeGlyph + " " + p.T("tui.chart.band_edge")}
	if sp.Reliable > 0 && len(sp.Points) > 0 {
		parts = append(parts, RCGlyph+" "+p.T("tui.chart.rc_legend", "Baseline", sp.Points[0].Total, "Points", sp.Reliable))
	}
	return strings.Join(parts, "   ")
}

func styleFor(st Styles, cl class, band int) lipgloss.Style {
	var s lipgloss.Style
	switch cl {
	case cAxis:
		s = st.Axis
	case cPoint:
		s = st.Point
	case cLine:
		s = st.Line
	case cLabel:
		s = st.Label
	case cEdge:
		s = st.Edge
	default:
		s = st.Axis.UnsetForeground()
	}
	if band >= 0 && len(st.Shade) > 0 {
		s = s.Inherit(st.Shade[band%len(st.Shade)])
	}
	return s
}
