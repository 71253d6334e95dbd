package common

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Template is a feedback or message opening with variables:
// {first_name}, {exercise}, {score_change}, {therapist}.
type Template struct {
	Name string
	Body string
}

// DefaultTemplates are the built-in templates, inserted with alt+1..alt+n.
func DefaultTemplates() []Template {
	return []Template{
		{Name: "thanks", Body: "Hi {first_name},\n\nthank you for sending '{exercise}'. "},
		{Name: "scores", Body: "Your scores have changed since the start: {score_change}. "},
		{Name: "keep going", Body: "You have done good work this week. Keep practising a little every day, and tell me how it goes. "},
		{Name: "sign-off", Body: "\n\nBest wishes,\n{therapist}"},
	}
}

// Vars are the values of template variables.
type Vars struct {
	FirstName   string
	Exercise    string
	ScoreChange string
	Therapist   string
}

// Expand fills in a template.
func (t Template) Expand(v Vars) string {
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	r := strings.NewReplacer(
		"{first_name}", or(v.FirstName, "there"),
		"{exercise}", or(v.Exercise, "your exercise"),
		"{score_change}", or(v.ScoreChange, "no scores yet"),
		"{therapist}", v.Therapist,
	)
	return r.Replace(t.Body)
}

// FirstName is the first word of a display name.
func FirstName(display string) string {
	f := strings.Fields(display)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Truncate cuts s (which may hold styling) to width cells, with an ellipsis.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// Pad pads or cuts s to exactly width cells.
func Pad(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", width-w)
}

// PadLeft right-aligns s in width cells.
func PadLeft(s string, width int) string {
	w := ansi.StringWidth(s)
	if w >= width {
		return Truncate(s, width)
	}
	return strings.Repeat(" ", width-w) + s
}

// Ago says how long ago t was, briefly: "5m", "3h", "2d", "6w".
func Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 14*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return fmt.Sprintf("%dw", int(d.Hours()/24/7))
}

// Minutes formats a duration as "1h05" or "12m".
func Minutes(d time.Duration) string {
	m := int(d.Round(time.Minute).Minutes())
	if m >= 60 {
		return fmt.Sprintf("%dh%02d", m/60, m%60)
	}
	return fmt.Sprintf("%dm", m)
}

// When formats a time for lists, in loc.
func When(t, now time.Time, loc *time.Location) string {
	lt, ln := t.In(loc), now.In(loc)
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return "today " + lt.Format("15:04")
	}
	if lt.Year() == ln.Year() {
		return lt.Format("2 Jan 15:04")
	}
	return lt.Format("2 Jan 2006")
}

// Day formats a date briefly, in loc.
func Day(t time.Time, loc *time.Location) string { return t.In(loc).Format("2 Jan") }

// Rule draws a horizontal line.
func Rule(width int) string {
	if width <= 0 {
		return ""
	}
	return strings.Repeat("─", width)
}

// Fit makes s exactly height lines of at most width cells (cutting or
// padding with empty lines), so that layouts never jump.
func Fit(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Wrap wraps plain text to width.
func Wrap(s string, width int) string {
	if width < 10 {
		width = 10
	}
	return ansi.Wrap(s, width, " -")
}
