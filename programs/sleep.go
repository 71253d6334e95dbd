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
	Advice     string        `json:"advice"`
}

// Based says how many nights a week is based on, for display.
func (w SleepWeek) Based() string {
	if w.Missing == 0 {
		return fmt.Sprintf("%d nights", w.Nights)
	}
	return fmt.Sprintf("%d of %d nights", w.Nights, w.Nights+w.Missing)
}

// MinTimeInBed is the floor of sleep restriction.
const MinTimeInBed = 5 * time.Hour

// SleepWeeks groups nights into program weeks counted from start (a
// date), up to and including today. The advice is guidance for the
// therapist, never applied automatically: mean efficiency >= 85% -> widen
// the sleep window by 15-20 minutes; below -> narrow it, never below five
// hours in bed.
func SleepWeeks(start, today time.Time, nights []Night) []SleepWeek {
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
		switch {
		case sw.Efficiency >= 85:
			sw.Advice = "efficiency 85% or more: the sleep window may widen by 15-20 min"
		case sw.TimeInBed-15*time.Minute < MinTimeInBed:
			sw.Advice = "efficiency below 85%, but the window is already near the 5-hour floor: keep it"
		default:
			sw.Advice = "efficiency below 85%: consider narrowing the sleep window (never below 5 h in bed)"
		}
		out = append(out, sw)
	}
	return out
}
