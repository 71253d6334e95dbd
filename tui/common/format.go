package common

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"polku/internal/i18n"
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
// device's clock) is "just now". English; c.Ago speaks the therapist's
// language.
func Ago(now, t time.Time) string { return i18n.New(i18n.EN).Ago(now, t) }

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
// already past, "was due to start 1 day ago (Tue 17 Nov)". English;
// c.Starts speaks the therapist's language.
func Starts(date string, now time.Time, loc *time.Location) string {
	return StartsIn(i18n.New(i18n.EN), date, now, loc)
}

// StartsIn is Starts in p's language.
func StartsIn(p *i18n.Printer, date string, now time.Time, loc *time.Location) string {
	d, days, ok := startDays(date, now, loc)
	if !ok {
		return p.T("tui.starts.on", "Date", date)
	}
	on := p.DayMonth(d)
	switch {
	case days == 0:
		return p.T("tui.starts.today")
	case days == 1:
		return p.T("tui.starts.tomorrow")
	case days > 1:
		return p.T("tui.starts.in_days", "Count", days, "On", on)
	}
	return p.T("tui.starts.late_days", "Count", -days, "On", on)
}

// StartBadge is the queue badge of a scheduled enrollment: "START today",
// "START in 2d", or "START 3d late" when the start date has passed and the
// enrollment has not started. English; c.StartBadge speaks the
// therapist's language.
func StartBadge(date string, now time.Time, loc *time.Location) string {
	return StartBadgeIn(i18n.New(i18n.EN), date, now, loc)
}

// StartBadgeIn is StartBadge in p's language.
func StartBadgeIn(p *i18n.Printer, date string, now time.Time, loc *time.Location) string {
	_, days, ok := startDays(date, now, loc)
	switch {
	case !ok:
		return p.T("tui.badge.start")
	case days == 0:
		return p.T("tui.badge.start_today")
	case days > 0:
		return p.T("tui.badge.start_in", "Count", days)
	}
	return p.T("tui.badge.start_late", "Count", -days)
}

// WorkingDays says how many whole working days lie between from and to,
// counted by the store's working-day calendar in loc (the service's time
// zone; weekends and Finnish public holidays skipped): the same count as
// the queue's "FB 4d!". English; c.WorkingDays speaks the therapist's
// language.
func WorkingDays(from, to time.Time, loc *time.Location) string {
	return WorkingDaysIn(i18n.New(i18n.EN), from, to, loc)
}

// WorkingDaysIn is WorkingDays in p's language.
func WorkingDaysIn(p *i18n.Printer, from, to time.Time, loc *time.Location) string {
	n := store.WorkingDays(from, to, loc)
	if n == 0 {
		return p.T("tui.working_days.none")
	}
	return p.T("tui.working_days.count", "Count", n)
}

// Plural says a count with its noun: "1 working day", "3 working days".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Minutes formats a duration as "1h05" or "12m". English; c.Minutes
// speaks the therapist's language.
func Minutes(d time.Duration) string { return MinutesIn(i18n.New(i18n.EN), d) }

// MinutesIn is Minutes in p's language: "1 t 05 min", "12 min".
func MinutesIn(p *i18n.Printer, d time.Duration) string {
	m := int(d.Round(time.Minute).Minutes())
	if m >= 60 {
		return p.T("tui.duration.hours_minutes", "Hours", m/60, "Minutes", fmt.Sprintf("%02d", m%60))
	}
	return p.T("tui.duration.minutes", "Minutes", m)
}

// When formats a time for lists, in loc. English; c.When speaks the
// therapist's language.
func When(t, now time.Time, loc *time.Location) string { return WhenIn(i18n.New(i18n.EN), t, now, loc) }

// WhenIn is When in p's language: "today 09:30", "tänään 9.30", "1.12.
// klo 9.30", "1.12.2025".
func WhenIn(p *i18n.Printer, t, now time.Time, loc *time.Location) string {
	lt, ln := t.In(loc), now.In(loc)
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return p.T("tui.when.today", "Time", p.Time(lt))
	}
	if lt.Year() == ln.Year() {
		return p.T("format.date_time", "Date", DayIn(p, lt, loc), "Time", p.Time(lt))
	}
	return p.Date(lt)
}

// Day formats a date briefly, in loc. English; c.Day speaks the
// therapist's language.
func Day(t time.Time, loc *time.Location) string { return DayIn(i18n.New(i18n.EN), t, loc) }

// DayIn is Day in p's language: "1 Dec", "1.12.".
func DayIn(p *i18n.Printer, t time.Time, loc *time.Location) string {
	lt := t.In(loc)
	if p.Lang() == i18n.EN {
		return lt.Format("2 Jan")
	}
	return strconv.Itoa(lt.Day()) + "." + strconv.Itoa(int(lt.Month())) + "."
}

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
