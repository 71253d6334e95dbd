package common

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"polku/store"
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

// Ago says how long ago t was, as a phrase: "just now", "5m ago", "3h
// ago", "2d ago", "6w ago". A time a little in the future (another
// device's clock) is "just now".
func Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	case d < 14*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
	return fmt.Sprintf("%dw ago", int(d.Hours()/24/7))
}

// startDays is how many calendar days from today (in loc) a start date
// (YYYY-MM-DD) is: 0 today, 2 the day after tomorrow, -1 yesterday.
func startDays(date string, now time.Time, loc *time.Location) (time.Time, int, bool) {
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return time.Time{}, 0, false
	}
	n := now.In(loc)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	// Whole days between two midnights; a day with a DST change is 23 or
	// 25 hours, so round.
	return d, int(math.Round(d.Sub(today).Hours() / 24)), true
}

// Starts says when a scheduled enrollment starts: "starts today",
// "starts tomorrow", "starts in 2 days (Fri 20 Nov)", or, for a start date
// already past, "was due to start 1 day ago (Tue 17 Nov)".
func Starts(date string, now time.Time, loc *time.Location) string {
	d, days, ok := startDays(date, now, loc)
	if !ok {
		return "starts " + date
	}
	on := d.Format("Mon 2 Jan")
	switch {
	case days == 0:
		return "starts today"
	case days == 1:
		return "starts tomorrow"
	case days > 1:
		return fmt.Sprintf("starts in %d days (%s)", days, on)
	case days == -1:
		return fmt.Sprintf("was due to start 1 day ago (%s)", on)
	}
	return fmt.Sprintf("was due to start %d days ago (%s)", -days, on)
}

// StartBadge is the queue badge of a scheduled enrollment: "START today",
// "START in 2d", or "START 3d late" when the start date has passed and the
// enrollment has not started.
func StartBadge(date string, now time.Time, loc *time.Location) string {
	_, days, ok := startDays(date, now, loc)
	switch {
	case !ok:
		return "START"
	case days == 0:
		return "START today"
	case days > 0:
		return fmt.Sprintf("START in %dd", days)
	}
	return fmt.Sprintf("START %dd late", -days)
}

// WorkingDays says how many whole working days lie between from and to,
// counted by the store's working-day calendar in loc (the service's time
// zone; weekends and Finnish public holidays skipped): the same count as
// the queue's "FB 4d!".
func WorkingDays(from, to time.Time, loc *time.Location) string {
	n := store.WorkingDays(from, to, loc)
	if n == 0 {
		return "less than a working day"
	}
	return Plural(n, "working day", "working days")
}

// Plural says a count with its noun: "1 working day", "3 working days".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
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
