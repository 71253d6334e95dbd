package chart

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/programs"
)

var (
	phq9 = []programs.Band{{Min: 0, Max: 4, Label: "minimal"}, {Min: 5, Max: 9, Label: "mild"}, {Min: 10, Max: 14, Label: "moderate"},
		{Min: 15, Max: 19, Label: "moderately severe"}, {Min: 20, Max: 27, Label: "severe"}}
	gad7 = []programs.Band{{Min: 0, Max: 4, Label: "minimal"}, {Min: 5, Max: 9, Label: "mild"}, {Min: 10, Max: 14, Label: "moderate"},
		{Min: 15, Max: 21, Label: "severe"}}
)

// noColor are the styles as NO_COLOR draws them: no colour, no shading.
func noColor() Styles {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	n := r.NewStyle
	return Styles{Axis: n(), Point: n(), Line: n(), Label: n(), Shade: []lipgloss.Style{n(), n()}}
}

var axisLabel = regexp.MustCompile(`^\s*(\d+) [┤┼]`)

// axis reads the y-axis labels of a render: row -> value.
func axis(lines []string) map[int]int {
	out := map[int]int{}
	for i, l := range lines {
		if m := axisLabel.FindStringSubmatch(l); m != nil {
			v, _ := strconv.Atoi(m[1])
			out[i] = v
		}
	}
	return out
}

func cutOffs(bands []programs.Band) []int {
	var cs []int
	for _, b := range bands[1:] {
		cs = append(cs, b.Min)
	}
	return cs
}

// TestAxisAtBandCutOffs: at NO_COLOR, the y axis is labelled at the
// instrument's cut-offs (and its ends, nothing else), each cut-off row is
// drawn as a band edge with characters, and every score lies inside its
// own band.
func TestAxisAtBandCutOffs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bands  []programs.Band
		hi     int
		points []Point
	}{
		{"PHQ-9", phq9, 27, []Point{{0, 16}, {1, 14}, {2, 10}, {3, 9}, {4, 15}, {5, 20}, {6, 4}, {7, 5}, {8, 19}, {9, 27}, {10, 0}}},
		{"GAD-7", gad7, 21, []Point{{0, 15}, {1, 14}, {2, 10}, {3, 9}, {4, 5}, {5, 4}, {6, 21}, {7, 0}}},
	} {
		for _, height := range []int{6, 10, 14} {
			for _, width := range []int{80, 120} {
				t.Run(fmt.Sprintf("%s-%dx%d", tc.name, width, height), func(t *testing.T) {
					sp := Spec{Points: tc.points, Lo: 0, Hi: tc.hi, Bands: tc.bands, Weeks: 10, Width: width, Height: height}
					out := Render(sp, noColor())
					if strings.Contains(out, "\x1b") {
						t.Fatalf("escape codes at NO_COLOR:\n%s", out)
					}
					lines := strings.Split(out, "\n")
					labels := axis(lines)
					rowOf := map[int]int{} // value -> row
					for r, v := range labels {
						rowOf[v] = r
					}
					for _, c := range cutOffs(tc.bands) {
						r, ok := rowOf[c]
						if !ok {
							t.Errorf("no axis label at the cut-off %d:\n%s", c, out)
							continue
						}
						// A band edge drawn with characters across the plot.
						plot := []rune(lines[r])[5:]
						if strings.Count(string(plot), EdgeGlyph) < 5 {
							t.Errorf("cut-off %d: row %d is not drawn as a band edge: %q", c, r, lines[r])
						}
					}
					for _, v := range labels {
						ok := v == sp.Lo || v == sp.Hi
						for _, c := range cutOffs(tc.bands) {
							ok = ok || v == c
						}
						if !ok {
							t.Errorf("axis label %d is neither a cut-off nor an end:\n%s", v, out)
						}
					}
					// Each score is drawn in its band: below the row of the
					// next cut-off above it, at or above the row of its own.
					for _, p := range tc.points {
						row := -1
						for i, l := range lines {
							if regexp.MustCompile(fmt.Sprintf(`●%d(\D|$)`, p.Total)).MatchString(l) {
								row = i
							}
						}
						if row < 0 {
							if width >= 120 {
								t.Errorf("score %d not drawn with its value:\n%s", p.Total, out)
							}
							continue
						}
						for _, c := range cutOffs(tc.bands) {
							if p.Total >= c && row > rowOf[c] {
								t.Errorf("score %d drawn below the %d cut-off (row %d > %d):\n%s", p.Total, c, row, rowOf[c], out)
							}
							if p.Total < c && row <= rowOf[c] {
								t.Errorf("score %d drawn at or above the %d cut-off (row %d <= %d):\n%s", p.Total, c, row, rowOf[c], out)
							}
						}
					}
				})
			}
		}
	}
}

// TestReliableChangeIsNotAScore: the reliable-change lines use their own
// glyph and say RC; no number on them can be read as a score, and the
// legend explains every mark.
func TestReliableChangeIsNotAScore(t *testing.T) {
	sp := Spec{Points: []Point{{0, 16}, {1, 14}, {2, 13}}, Lo: 0, Hi: 27, Bands: phq9, Reliable: 6, Weeks: 10, Width: 80, Height: 10}
	out := Render(sp, noColor())
	var rc []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, RCGlyph) {
			rc = append(rc, l)
		}
	}
	if len(rc) != 2 {
		t.Fatalf("want two reliable-change lines (10 and 22), got %d:\n%s", len(rc), out)
	}
	for _, l := range rc {
		if !strings.Contains(l, "RC") {
			t.Errorf("a reliable-change line without RC: %q", l)
		}
		if strings.Contains(l, "●") {
			continue // a score may sit on the line; it is drawn as a point
		}
		if regexp.MustCompile(`[┄\s]\d+\s*$`).MatchString(l) {
			t.Errorf("a bare number at the end of a reliable-change line reads as a score: %q", l)
		}
	}
	if RCGlyph == EdgeGlyph || strings.Contains("●", RCGlyph) {
		t.Error("the reliable-change glyph must differ from band edges and points")
	}
	leg := Legend(sp)
	for _, want := range []string{"●", EdgeGlyph, RCGlyph, "reliable change", "16", "6"} {
		if !strings.Contains(leg, want) {
			t.Errorf("legend %q lacks %q", leg, want)
		}
	}
	if leg := Legend(Spec{Points: sp.Points, Lo: 0, Hi: 27, Bands: phq9}); strings.Contains(leg, RCGlyph) {
		t.Errorf("legend without reliable change mentions it: %q", leg)
	}
}
