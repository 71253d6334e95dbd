package store

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
)

// finnishHolidays are the days off of Finland's public holidays on which a
// working day does not count (docs/clinical.md, "Working days"). The
// calendar library has the moveable feasts (Easter, Ascension, Midsummer,
// All Saints'); its release has no Finnish set, so the set is named here.
var finnishHolidays = []*cal.Holiday{
	aa.NewYear.Clone(&cal.Holiday{Name: "Uudenvuodenpäivä"}),
	aa.Epiphany.Clone(&cal.Holiday{Name: "Loppiainen"}),
	aa.GoodFriday.Clone(&cal.Holiday{Name: "Pitkäperjantai"}),
	aa.Easter.Clone(&cal.Holiday{Name: "Pääsiäispäivä"}),
	aa.EasterMonday.Clone(&cal.Holiday{Name: "2. pääsiäispäivä"}),
	aa.WorkersDay.Clone(&cal.Holiday{Name: "Vappu"}),
	aa.AscensionDay.Clone(&cal.Holiday{Name: "Helatorstai"}),
	aa.Pentecost.Clone(&cal.Holiday{Name: "Helluntaipäivä"}),
	// Midsummer Eve is the Friday between 19 and 25 June, Midsummer Day
	// the Saturday after it; All Saints' Day the Saturday between 31
	// October and 6 November.
	{Name: "Juhannusaatto", Month: time.June, Day: 19, Weekday: time.Friday, Offset: 1, Func: cal.CalcWeekdayFrom},
	{Name: "Juhannuspäivä", Month: time.June, Day: 20, Weekday: time.Saturday, Offset: 1, Func: cal.CalcWeekdayFrom},
	{Name: "Pyhäinpäivä", Month: time.October, Day: 31, Weekday: time.Saturday, Offset: 1, Func: cal.CalcWeekdayFrom},
	{Name: "Itsenäisyyspäivä", Month: time.December, Day: 6, Func: cal.CalcDayOfMonth},
	{Name: "Jouluaatto", Month: time.December, Day: 24, Func: cal.CalcDayOfMonth},
	aa.ChristmasDay.Clone(&cal.Holiday{Name: "Joulupäivä"}),
	aa.ChristmasDay2.Clone(&cal.Holiday{Name: "Tapaninpäivä"}),
}

// workCalendar is read-only after it is made (not Cacheable), so the
// queues built at once may share it.
var workCalendar = func() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(finnishHolidays...)
	return c
}()

// IsWorkingDay says whether the day of t (in t's location) is a working
// day: Monday to Friday and not a Finnish public holiday.
func IsWorkingDay(t time.Time) bool {
	return workCalendar.IsWorkday(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC))
}

// workingTime is the time between from and to that falls on working days
// in loc: the clock of the feedback promise.
func workingTime(from, to time.Time, loc *time.Location) time.Duration {
	return workingTimeMemo(from, to, loc, nil)
}

// dayMemo remembers which days are working days: asking the holiday
// calendar is slow, and a queue asks about the same few days thousands of
// times. Keyed by year*10000+month*100+day; a nil memo asks every time.
type dayMemo map[int]bool

func (m dayMemo) isWorking(t time.Time) bool {
	if m == nil {
		return IsWorkingDay(t)
	}
	k := t.Year()*10000 + int(t.Month())*100 + t.Day()
	w, ok := m[k]
	if !ok {
		w = IsWorkingDay(t)
		m[k] = w
	}
	return w
}

func workingTimeMemo(from, to time.Time, loc *time.Location, memo dayMemo) time.Duration {
	if !to.After(from) {
		return 0
	}
	var total time.Duration
	cur := from.In(loc)
	end := to.In(loc)
	for cur.Before(end) {
		next := time.Date(cur.Year(), cur.Month(), cur.Day()+1, 0, 0, 0, 0, loc)
		if next.After(end) {
			next = end
		}
		if memo.isWorking(cur) {
			total += next.Sub(cur)
		}
		cur = next
	}
	return total
}

// WorkingTime is the working-day time between two instants in loc
// (weekends and Finnish public holidays skipped).
func WorkingTime(from, to time.Time, loc *time.Location) time.Duration {
	return workingTime(from, to, loc)
}

// WorkingDays is how many whole working days have passed between from and
// to in loc: the one count the queue and the patient screen both show.
func WorkingDays(from, to time.Time, loc *time.Location) int {
	return int(workingTime(from, to, loc) / (24 * time.Hour))
}

// workingDeadline is the instant at which d of working time in loc has
// passed since from: when the feedback promise runs out.
func workingDeadline(from time.Time, d time.Duration, loc *time.Location) time.Time {
	cur := from.In(loc)
	for i := 0; i < 3660; i++ { // ten years of days: a promise is at most 30 working days
		next := time.Date(cur.Year(), cur.Month(), cur.Day()+1, 0, 0, 0, 0, loc)
		if IsWorkingDay(cur) {
			if span := next.Sub(cur); span >= d {
				return cur.Add(d)
			} else {
				d -= span
			}
		}
		cur = next
	}
	return cur
}
