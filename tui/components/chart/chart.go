// Package chart draws an instrument's scores over the program weeks as a
// text chart: severity bands shaded and labelled, the reliable-change
// lines (baseline minus and plus the reliable-change points) marked, and
// one point per answered week.
package chart

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"polku/programs"
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
}

// Styles colour the chart.
type Styles struct {
	Axis  lipgloss.Style
	Point lipgloss.Style
	Line  lipgloss.Style
	Label lipgloss.Style
	Shade []lipgloss.Style // alternating band backgrounds
}

type class uint8

const (
	cEmpty class = iota
	cAxis
	cPoint
	cLine
	cLabel
)

type cell struct {
	r     rune
	class class
	band  int // -1: not in the plot area
}

// Render draws the chart.
func Render(sp Spec, st Styles) string {
	if sp.Height < 3 {
		sp.Height = 3
	}
	if sp.Hi <= sp.Lo {
		sp.Hi = sp.Lo + 1
	}
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
	if sp.Reliable > 0 {
		labelW = max(labelW, len(" ↑RC 99"))
	}
	labelW = min(labelW, 20)
	plotW := sp.Width - axisW - labelW
	step := 1
	if lastWeek > 0 {
		step = max(1, min(8, (plotW-1)/(lastWeek+1)))
	}
	plotW = step*(lastWeek+1) + 1
	if axisW+plotW+labelW > sp.Width {
		labelW = max(0, sp.Width-axisW-plotW)
	}
	H := sp.Height
	rowOf := func(v int) int { // 0 is the top row
		v = min(max(v, sp.Lo), sp.Hi)
		r := (v - sp.Lo) * (H - 1) * 2 / (sp.Hi - sp.Lo)
		return H - 1 - (r+1)/2
	}
	valueOf := func(row int) int { // the score a row stands for
		return sp.Lo + ((H-1-row)*(sp.Hi-sp.Lo)*2/(H-1)+1)/2
	}
	bandOf := func(v int) int {
		for i, b := range sp.Bands {
			if v >= b.Min && v <= b.Max {
				return i
			}
		}
		return -1
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
	// Axis and band shading.
	labelled := map[int]bool{}
	for r := 0; r < H; r++ {
		v := valueOf(r)
		band := bandOf(v)
		for c := axisW; c < axisW+plotW; c++ {
			grid[r][c].band = band
		}
		tick := "│"
		if r == 0 || r == H-1 || (r > 0 && bandOf(valueOf(r-1)) != band) {
			tick = "┤"
			put(r, 0, fmt.Sprintf("%3d ", v), cAxis)
		}
		put(r, axisW-1, tick, cAxis)
	}
	// Reliable change lines around the baseline.
	if sp.Reliable > 0 && len(sp.Points) > 0 {
		base := sp.Points[0].Total
		for _, l := range []struct {
			v     int
			label string
		}{{base - sp.Reliable, fmt.Sprintf("↓RC %d", base-sp.Reliable)}, {base + sp.Reliable, fmt.Sprintf("↑RC %d", base+sp.Reliable)}} {
			if l.v < sp.Lo || l.v > sp.Hi {
				continue
			}
			r := rowOf(l.v)
			for c := axisW; c < axisW+plotW; c++ {
				if (c-axisW)%2 == 0 {
					put(r, c, "┄", cLine)
				}
			}
			put(r, axisW+plotW+1, l.label, cLine)
			labelled[r] = true
		}
	}
	// Band labels on the middle row of each band, or the nearest free row
	// inside it.
	for _, b := range sp.Bands {
		top, bottom := rowOf(b.Max), rowOf(b.Min)
		mid := (top + bottom) / 2
		for d := 0; d <= 2*(bottom-top)+1; d++ {
			r := mid - d/2 // mid, mid+1, mid-1, mid+2, ...
			if d%2 == 1 {
				r = mid + (d+1)/2
			}
			if r < top || r > bottom || r < 0 || r >= H || labelled[r] {
				continue
			}
			labelled[r] = true
			put(r, axisW+plotW+1, ansi.Truncate(b.Label, labelW-1, "…"), cLabel)
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
	put(H+1, axisW+plotW+1, "week", cAxis)
	// Points.
	for _, p := range sp.Points {
		mark := "●"
		if step >= 4 {
			mark += fmt.Sprint(p.Total) // the value beside the point
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
	default:
		s = st.Axis.UnsetForeground()
	}
	if band >= 0 && len(st.Shade) > 0 {
		s = s.Inherit(st.Shade[band%len(st.Shade)])
	}
	return s
}
