package i18n

import (
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date: "1.12.2026" in Finnish and Swedish, "1 Dec
// 2026" in English.
func (p *Printer) Date(t time.Time) string {
	if p.lang == EN {
		return t.Format("2 Jan 2006")
	}
	return strconv.Itoa(t.Day()) + "." + strconv.Itoa(int(t.Month())) + "." + strconv.Itoa(t.Year())
}

// DayMonth is a date without the year, with the weekday: "ti 1.12." in
// Finnish, "tis 1.12." in Swedish, "Tue 1 Dec" in English.
func (p *Printer) DayMonth(t time.Time) string {
	if p.lang == EN {
		return t.Format("Mon 2 Jan")
	}
	return p.Weekday(t.Weekday()) + " " + strconv.Itoa(t.Day()) + "." + strconv.Itoa(int(t.Month())) + "."
}

// Time is a time of day: "9.30" in Finnish and Swedish, "09:30" in
// English.
func (p *Printer) Time(t time.Time) string {
	if p.lang == EN {
		return t.Format("15:04")
	}
	return strconv.Itoa(t.Hour()) + "." + t.Format("04")
}

// DateTime is a date with a time: "1.12.2026 klo 9.30", "1.12.2026 kl.
// 9.30", "1 Dec 2026 09:30".
func (p *Printer) DateTime(t time.Time) string {
	return p.T("format.date_time", "Date", p.Date(t), "Time", p.Time(t))
}

// Weekday is a weekday's short name: "ma", "mån", "Mon".
func (p *Printer) Weekday(d time.Weekday) string {
	return p.T("format.weekday_short." + strings.ToLower(d.String()[:3]))
}

// WeekdayLong is a weekday's name: "maanantai", "måndag", "Monday".
func (p *Printer) WeekdayLong(d time.Weekday) string {
	return p.T("format.weekday." + strings.ToLower(d.String()[:3]))
}

// Month is a month's name: "joulukuu", "december", "December".
func (p *Printer) Month(m time.Month) string {
	return p.T("format.month." + strings.ToLower(m.String()[:3]))
}

// Number is a number with prec decimals, with the language's decimal mark
// (a comma in Finnish and Swedish) and, from five digits on, its digit
// grouping (a no-break space in Finnish and Swedish, a comma in English).
func (p *Printer) Number(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	group, dec := ",", "."
	if p.lang != EN {
		group, dec = "\u00a0", ","
	}
	if len(intPart) > 4 {
		var b strings.Builder
		for i, r := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteString(group)
			}
			b.WriteRune(r)
		}
		intPart = b.String()
	}
	out := intPart
	if hasFrac {
		out += dec + frac
	}
	if neg && strings.Trim(out, "0,.") != "" {
		if p.lang == EN {
			out = "-" + out
		} else {
			out = "\u2212" + out // the minus sign of CLDR's fi and sv
		}
	}
	return out
}

// Int is a whole number in the language's form.
func (p *Printer) Int(n int) string { return p.Number(float64(n), 0) }

// Ago says how long ago t was, compactly, for lists: "just now", "5m
// ago", "3h ago", "2d ago", "6w ago" ("5 min sitten", "för 5 min sedan").
// A time a little in the future (another device's clock) is "just now".
func (p *Printer) Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return p.T("format.ago.now")
	case d < time.Hour:
		return p.T("format.ago.minutes", "Count", int(d.Minutes()))
	case d < 48*time.Hour:
		return p.T("format.ago.hours", "Count", int(d.Hours()))
	case d < 14*24*time.Hour:
		return p.T("format.ago.days", "Count", int(d.Hours()/24))
	}
	return p.T("format.ago.weeks", "Count", int(d.Hours()/24/7))
}

// AgoLong says how long ago t was in words: "3 päivää sitten", "för 3
// dagar sedan", "3 days ago".
func (p *Printer) AgoLong(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return p.T("format.ago.now")
	case d < time.Hour:
		return p.T("format.ago_long.minutes", "Count", int(d.Minutes()))
	case d < 48*time.Hour:
		return p.T("format.ago_long.hours", "Count", int(d.Hours()))
	case d < 14*24*time.Hour:
		return p.T("format.ago_long.days", "Count", int(d.Hours()/24))
	}
	return p.T("format.ago_long.weeks", "Count", int(d.Hours()/24/7))
}
