package common

import (
	"time"

	"polku/internal/i18n"
	"polku/store/client"
)

// The helpers below are the workbench's language: every page and component
// says what a person reads through them (c.T("id"), c.When(t), ...), in
// the therapist's language, in the workbench's time zone and by its clock.

// Printer is the workbench's printer; English when none was set (a test
// that builds a Common by hand).
func (c *Common) Printer() *i18n.Printer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Tr == nil {
		c.Tr = i18n.New(i18n.EN)
	}
	return c.Tr
}

// Lang is the interface language: "fi", "sv" or "en".
func (c *Common) Lang() string { return c.Printer().Lang() }

// T renders a catalog message: c.T("tui.help.title"),
// c.T("tui.status.pending", "Count", 3).
func (c *Common) T(id string, kv ...any) string { return c.Printer().T(id, kv...) }

// M renders a Message (a sentence the store built as data).
func (c *Common) M(m i18n.Message) string { return c.Printer().M(m) }

// loc is the time zone of the screen.
func (c *Common) loc() *time.Location {
	if c.Loc == nil {
		return time.Local
	}
	return c.Loc
}

// Ago says compactly how long ago t was: "5m ago", "5 min sitten", "för 5
// min sedan".
func (c *Common) Ago(t time.Time) string { return c.Printer().Ago(c.Clock(), t) }

// AgoLong says in words how long ago t was: "3 days ago", "3 päivää
// sitten", "för 3 dagar sedan".
func (c *Common) AgoLong(t time.Time) string { return c.Printer().AgoLong(c.Clock(), t) }

// Date is a calendar date: "1 Dec 2026", "1.12.2026".
func (c *Common) Date(t time.Time) string { return c.Printer().Date(t.In(c.loc())) }

// DayMonth is a date with its weekday, without the year: "Tue 1 Dec", "ti
// 1.12.", "tis 1.12.".
func (c *Common) DayMonth(t time.Time) string { return c.Printer().DayMonth(t.In(c.loc())) }

// Time is a time of day: "09:30", "9.30".
func (c *Common) Time(t time.Time) string { return c.Printer().Time(t.In(c.loc())) }

// DateTime is a date with its time: "1 Dec 2026 09:30", "1.12.2026 klo
// 9.30", "1.12.2026 kl. 9.30".
func (c *Common) DateTime(t time.Time) string { return c.Printer().DateTime(t.In(c.loc())) }

// Number is a number with prec decimals and the language's decimal mark
// ("4.5", "4,5").
func (c *Common) Number(f float64, prec int) string { return c.Printer().Number(f, prec) }

// Int is a whole number in the language's form.
func (c *Common) Int(n int) string { return c.Printer().Int(n) }

// Compare orders two names by the language's collation (å, ä, ö after z
// in Finnish and Swedish).
func (c *Common) Compare(a, b string) int { return c.Printer().Compare(a, b) }

// Sort sorts names by the language's collation.
func (c *Common) Sort(names []string) { c.Printer().Sort(names) }

// When formats a time for lists: "today 09:30", "tänään 9.30"; a day this
// year with its time ("1 Dec 09:30", "1.12. klo 9.30"), an older one as a
// date.
func (c *Common) When(t time.Time) string { return WhenIn(c.Printer(), t, c.Clock(), c.loc()) }

// Day formats a date briefly: "1 Dec", "1.12.".
func (c *Common) Day(t time.Time) string { return DayIn(c.Printer(), t, c.loc()) }

// Minutes formats a duration briefly: "1h05", "12m" ("1 t 05 min", "12
// min").
func (c *Common) Minutes(d time.Duration) string { return MinutesIn(c.Printer(), d) }

// Starts says when a scheduled enrollment starts: "starts today", "starts
// in 2 days (Fri 20 Nov)", "was due to start 1 day ago (Tue 17 Nov)".
func (c *Common) Starts(date string) string { return StartsIn(c.Printer(), date, c.Clock(), c.loc()) }

// StartBadge is the queue badge of a scheduled enrollment: "START today",
// "START in 2d", "START 3d late".
func (c *Common) StartBadge(date string) string {
	return StartBadgeIn(c.Printer(), date, c.Clock(), c.loc())
}

// WorkingDays says how many whole working days lie between from and to:
// "3 working days", "3 arkipäivää".
func (c *Common) WorkingDays(from, to time.Time) string {
	return WorkingDaysIn(c.Printer(), from, to, c.loc())
}

// Err is an error's text in the screen's language: a store error's
// sentence rendered from its message (a wrapper's own words stay), a
// server's refusal from the message it sent; any other error as it says
// itself.
func (c *Common) Err(err error) string {
	if err == nil {
		return ""
	}
	if s, ok := client.LocalizeError(c.Printer(), err); ok {
		return s
	}
	return err.Error()
}
