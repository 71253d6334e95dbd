package programs

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Sleep diary field ids (docs/programs.md).
const (
	SleepBedTime   = "bed_time"
	SleepLightsOut = "lights_out"
	SleepOnset     = "onset_min"
	SleepWakings   = "awakenings"
	SleepWASO      = "waso_min"
	SleepFinalWake = "final_wake"
	SleepOutOfBed  = "out_of_bed"
	SleepQuality   = "quality"
)

// IsSleepDiary says whether a diary exercise carries the sleep-diary fields
// polku computes with.
func IsSleepDiary(ex *Exercise) bool {
	need := map[string]bool{SleepBedTime: true, SleepOnset: true, SleepWASO: true, SleepFinalWake: true, SleepOutOfBed: true}
	for _, f := range ex.Fields {
		delete(need, f.ID)
	}
	return ex.Kind == KindDiary && len(need) == 0
}

// Night is one night of the sleep diary, computed.
type Night struct {
	Date       string        `json:"date"`
	TimeInBed  time.Duration `json:"time_in_bed"`
	TotalSleep time.Duration `json:"total_sleep"`
	Efficiency float64       `json:"efficiency"` // percent
	Awakenings int           `json:"awakenings"`
	Quality    int           `json:"quality,omitempty"`
}

func clock(v string) (time.Duration, error) {
	t, err := time.Parse("15:04", v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time (HH:MM)", v)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func minutes(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a number of minutes", v)
	}
	return time.Duration(n) * time.Minute, nil
}

// after returns the clock time b as a duration after a, wrapping midnight.
func after(a, b time.Duration) time.Duration {
	d := b - a
	if d < 0 {
		d += 24 * time.Hour
	}
	return d
}

// SleepNight computes one night from the diary fields:
//
//	time in bed  = out of bed - to bed
//	total sleep  = time in bed - (lights out - to bed) - onset latency - WASO - (out of bed - final awakening)
//	efficiency   = total sleep / time in bed x 100
//
// The time between going to bed and trying to sleep counts as awake, as in
// the Consensus Sleep Diary; without lights_out it is taken as zero.
func SleepNight(date string, f map[string]string) (Night, error) {
	n := Night{Date: date}
	bed, err := clock(f[SleepBedTime])
	if err != nil {
		return n, fmt.Errorf("%s: %v", SleepBedTime, err)
	}
	out, err := clock(f[SleepOutOfBed])
	if err != nil {
		return n, fmt.Errorf("%s: %v", SleepOutOfBed, err)
	}
	final, err := clock(f[SleepFinalWake])
	if err != nil {
		return n, fmt.Errorf("%s: %v", SleepFinalWake, err)
	}
	lights := bed
	if v := f[SleepLightsOut]; v != "" {
		if lights, err = clock(v); err != nil {
			return n, fmt.Errorf("%s: %v", SleepLightsOut, err)
		}
	}
	onset, err := minutes(f[SleepOnset])
	if err != nil {
		return n, fmt.Errorf("%s: %v", SleepOnset, err)
	}
	waso, err := minutes(f[SleepWASO])
	if err != nil {
		return n, fmt.Errorf("%s: %v", SleepWASO, err)
	}
	n.TimeInBed = after(bed, out)
	if n.TimeInBed == 0 {
		return n, fmt.Errorf("%s equals %s: no time in bed", SleepOutOfBed, SleepBedTime)
	}
	preSleep := after(bed, lights)
	terminal := after(final, out)
	if preSleep > n.TimeInBed || terminal > n.TimeInBed {
		return n, fmt.Errorf("times are out of order (to bed %s, lights out %s, final awakening %s, out of bed %s)",
			f[SleepBedTime], f[SleepLightsOut], f[SleepFinalWake], f[SleepOutOfBed])
	}
	n.TotalSleep = n.TimeInBed - preSleep - onset - waso - terminal
	if n.TotalSleep < 0 {
		n.TotalSleep = 0
	}
	n.Efficiency = float64(n.TotalSleep) / float64(n.TimeInBed) * 100
	n.Awakenings, _ = strconv.Atoi(f[SleepWakings])
	n.Quality, _ = strconv.Atoi(f[SleepQuality])
	return n, nil
}

// SleepWeek summarises the nights of one program week.
type SleepWeek struct {
	Week       int           `json:"week"` // program week, 1 = the first 7 days from the start
	Nights     int           `json:"nights"`
	Missing    int           `json:"missing"` // nights of the week without a diary entry (up to today)
	TimeInBed  time.Duration `json:"time_in_bed"`
	TotalSleep time.Duration `json:"total_sleep"`
	Efficiency float64       `json:"efficiency"` // mean total sleep / mean time in bed x 100
	Window     time.Duration `json:"window"`     // the suggested time in bed for next week
	Floor      time.Duration `json:"floor"`      // the floor of time in bed for this patient
	Advice     string        `json:"advice"`
}

// Based says how many nights a week is based on, for display.
func (w SleepWeek) Based() string {
	if w.Missing == 0 {
		return fmt.Sprintf("%d nights", w.Nights)
	}
	return fmt.Sprintf("%d of %d nights", w.Nights, w.Nights+w.Missing)
}

// MinTimeInBed is the adult floor of sleep restriction.
const MinTimeInBed = 5 * time.Hour

// The titration rule (Spielman): mean sleep efficiency of the week.
const (
	WidenAt    = 90.0             // at or above: widen the window by Step
	KeepFrom   = 85.0             // from here up to WidenAt: keep the window; below: narrow by Step
	WindowStep = 15 * time.Minute // one change of the window
)

// TimeInBedFloor is the floor of time in bed for a patient of the given
// age: the program's age rule for that age, or the adult floor. A nil
// program has no age rules.
func (p *Program) TimeInBedFloor(age int) (time.Duration, *AgeRule) {
	if p != nil {
		for i, r := range p.AgeRules {
			if age >= r.MinAge && age <= r.MaxAge {
				return time.Duration(r.MinTimeInBed) * time.Minute, &p.AgeRules[i]
			}
		}
	}
	return MinTimeInBed, nil
}

// AgeOn is a person's age in whole years on a day, from a YYYY-MM-DD
// birth date.
func AgeOn(birthDate string, on time.Time) (int, bool) {
	b, err := time.Parse(time.DateOnly, birthDate)
	if err != nil {
		return 0, false
	}
	age := on.Year() - b.Year()
	if on.Month() < b.Month() || (on.Month() == b.Month() && on.Day() < b.Day()) {
		age--
	}
	return age, age >= 0
}

// Titrate applies the titration rule to a week's mean efficiency and mean
// time in bed (taken, rounded to 15 minutes, as the current window): the
// suggested window for next week and the advice in words. The window is
// never below the floor; a window already below it is raised to it.
func Titrate(efficiency float64, timeInBed, floor time.Duration, rule *AgeRule) (time.Duration, string) {
	current := timeInBed.Round(WindowStep)
	floorText := "the floor of " + hours(floor) + " in bed"
	if rule != nil {
		floorText += fmt.Sprintf(" for ages %d-%d", rule.MinAge, rule.MaxAge)
	}
	switch {
	case current < floor:
		return floor, fmt.Sprintf("time in bed %s is below %s: widen the sleep window to %s", hours(current), floorText, hours(floor))
	case efficiency >= WidenAt:
		return current + WindowStep, fmt.Sprintf("efficiency 90%% or more: widen the sleep window by 15 min (to %s)", hours(current+WindowStep))
	case efficiency >= KeepFrom:
		return current, fmt.Sprintf("efficiency 85-89%%: keep the sleep window (%s)", hours(current))
	case current-WindowStep < floor:
		return floor, fmt.Sprintf("efficiency below 85%%, but the window is at %s: keep it", floorText)
	default:
		return current - WindowStep, fmt.Sprintf("efficiency below 85%%: consider narrowing the sleep window by 15 min (to %s, never below %s)", hours(current-WindowStep), floorText)
	}
}

// hours writes a duration as "7 h" or "6 h 45 min".
func hours(d time.Duration) string {
	m := int(d.Round(time.Minute).Minutes())
	if m%60 == 0 {
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// SleepWeeks is SleepWeeksFor an adult with no program age rules.
func SleepWeeks(start, today time.Time, nights []Night) []SleepWeek {
	return SleepWeeksFor(nil, 0, start, today, nights)
}

// SleepWeeksFor groups nights into program weeks counted from start (a
// date), up to and including today, and advises on each week's sleep
// window by Titrate with the floor of the patient's age (the program's
// age_rules, or 5 hours). The advice is guidance for the therapist, never
// applied automatically.
func SleepWeeksFor(p *Program, age int, start, today time.Time, nights []Night) []SleepWeek {
	floor, rule := p.TimeInBedFloor(age)
	byWeek := map[int][]Night{}
	for _, n := range nights {
		d, err := time.ParseInLocation(time.DateOnly, n.Date, start.Location())
		if err != nil {
			continue
		}
		w := int(d.Sub(start).Hours()/24)/7 + 1
		if w < 1 {
			w = 1
		}
		byWeek[w] = append(byWeek[w], n)
	}
	var weeks []int
	for w := range byWeek {
		weeks = append(weeks, w)
	}
	sort.Ints(weeks)
	var out []SleepWeek
	for _, w := range weeks {
		ns := byWeek[w]
		sw := SleepWeek{Week: w, Nights: len(ns)}
		days := 7
		weekStart := start.AddDate(0, 0, 7*(w-1))
		if elapsed := int(today.Sub(weekStart).Hours()/24) + 1; elapsed < days {
			days = elapsed
		}
		if days > len(ns) {
			sw.Missing = days - len(ns)
		}
		var tib, tst time.Duration
		for _, n := range ns {
			tib += n.TimeInBed
			tst += n.TotalSleep
		}
		sw.TimeInBed = tib / time.Duration(len(ns))
		sw.TotalSleep = tst / time.Duration(len(ns))
		if tib > 0 {
			sw.Efficiency = float64(tst) / float64(tib) * 100
		}
		sw.Floor = floor
		sw.Window, sw.Advice = Titrate(sw.Efficiency, sw.TimeInBed, floor, rule)
		out = append(out, sw)
	}
	return out
}
