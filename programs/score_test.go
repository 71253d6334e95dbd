package programs_test

import (
	"math"
	"testing"
	"time"

	"polku/programs"
	"polku/programs/builtin"
)

func instrument(t *testing.T, id string) *programs.Instrument {
	t.Helper()
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range b.Instruments() {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("no built-in instrument %s", id)
	return nil
}

// answers makes a response with the given total (items filled in order)
// and item 9 set separately.
func answers(n, total, last int) []int {
	a := make([]int, n)
	a[n-1] = last
	total -= last
	for i := 0; i < n-1 && total > 0; i++ {
		a[i] = min(3, total)
		total -= a[i]
	}
	return a
}

func TestPHQ9Bands(t *testing.T) {
	phq := instrument(t, "phq9")
	for _, c := range []struct {
		total  int
		band   string
		isCase bool
	}{
		{0, "minimal", false}, {4, "minimal", false}, {5, "mild", false}, {9, "mild", false},
		{10, "moderate", true}, {14, "moderate", true}, {15, "moderately severe", true},
		{19, "moderately severe", true}, {20, "severe", true}, {27, "severe", true},
	} {
		s, err := phq.Score(answers(9, c.total, 0))
		if c.total == 27 {
			s, err = phq.Score([]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
		}
		if err != nil {
			t.Fatal(err)
		}
		if s.Total != c.total || s.Band != c.band || s.Case == nil || *s.Case != c.isCase {
			t.Errorf("PHQ-9 total %d: got %d %q case=%v, want %q case=%v", c.total, s.Total, s.Band, *s.Case, c.band, c.isCase)
		}
	}
}

func TestGAD7Bands(t *testing.T) {
	gad := instrument(t, "gad7")
	for _, c := range []struct {
		total  int
		band   string
		isCase bool
	}{
		{0, "minimal", false}, {4, "minimal", false}, {5, "mild", false}, {7, "mild", false}, {8, "mild", true},
		{9, "mild", true}, {10, "moderate", true}, {14, "moderate", true}, {15, "severe", true}, {21, "severe", true},
	} {
		s, err := gad.Score(answers(7, c.total, min(3, max(0, c.total-18))))
		if err != nil {
			t.Fatal(err)
		}
		if s.Total != c.total || s.Band != c.band || *s.Case != c.isCase {
			t.Errorf("GAD-7 total %d: got %d %q case=%v, want %q case=%v", c.total, s.Total, s.Band, *s.Case, c.band, c.isCase)
		}
	}
}

func TestPHQ9ItemNineIsCriticalWhateverTheTotal(t *testing.T) {
	phq := instrument(t, "phq9")
	for _, c := range []struct {
		item9 int
		level string
	}{{0, ""}, {1, programs.LevelAmber}, {2, programs.LevelRed}, {3, programs.LevelRed}} {
		s, err := phq.Score(answers(9, c.item9, c.item9)) // total = item 9 alone: a "minimal" score
		if err != nil {
			t.Fatal(err)
		}
		if c.level == "" {
			if len(s.Critical) != 0 {
				t.Errorf("item 9 = 0 flagged: %+v", s.Critical)
			}
			continue
		}
		if len(s.Critical) != 1 || s.Critical[0].Level != c.level || s.Critical[0].Item != "9" || s.Critical[0].Answer != c.item9 {
			t.Errorf("item 9 = %d (total %d, %s): critical %+v, want one %s hit", c.item9, s.Total, s.Band, s.Critical, c.level)
		}
	}
}

func TestReliableChangeAndRecovery(t *testing.T) {
	phq, gad := instrument(t, "phq9"), instrument(t, "gad7")
	for _, c := range []struct {
		in             *programs.Instrument
		baseline, last int
		status         string
	}{
		{phq, 15, 10, programs.ChangeNone},                  // -5: not reliable, still a case
		{phq, 15, 9, programs.ChangeReliableRecovery},       // -6 and below 10
		{phq, 12, 9, programs.ChangeRecovery},               // below cut-off, but only -3
		{phq, 22, 16, programs.ChangeReliableImprovement},   // -6, still a case
		{phq, 8, 3, programs.ChangeNone},                    // not a case at baseline: no recovery
		{phq, 8, 2, programs.ChangeReliableImprovement},     // -6 from a non-case
		{phq, 10, 15, programs.ChangeNone},                  // +5
		{phq, 10, 16, programs.ChangeReliableDeterioration}, // +6
		{gad, 12, 8, programs.ChangeReliableImprovement},    // -4, 8 is still a case (>= 8)
		{gad, 12, 7, programs.ChangeReliableRecovery},       // -5 and below 8
		{gad, 9, 7, programs.ChangeRecovery},                // -2 and below 8
		{gad, 6, 10, programs.ChangeReliableDeterioration},  // +4
		{gad, 6, 9, programs.ChangeNone},                    // +3
	} {
		ch := c.in.Change(c.baseline, c.last)
		if ch.Status != c.status {
			t.Errorf("%s %d -> %d: %q, want %q", c.in.ID, c.baseline, c.last, ch.Status, c.status)
		}
		if ch.Delta != c.last-c.baseline {
			t.Errorf("delta %d", ch.Delta)
		}
	}
}

func TestJacobsonTruax(t *testing.T) {
	// RC = 1.96 * SD * sqrt(2) * sqrt(1 - r). SD 5.0, r 0.84: 1.96*5*1.41421*0.4 = 5.544
	rc := programs.JacobsonTruax(5.0, 0.84)
	if math.Abs(rc-5.5437) > 0.001 {
		t.Fatalf("RC = %.4f, want 5.5437", rc)
	}
	sd, r := 5.0, 0.84
	in := &programs.Instrument{ID: "x", SD: &sd, Reliability: &r}
	if pts, ok := in.ReliableChangePoints(); !ok || pts != 6 {
		t.Fatalf("points = %d, want 6 (a change must exceed 5.54)", pts)
	}
	if ch := in.Change(20, 14); !ch.ReliableImprovement || in.Change(20, 15).ReliableImprovement {
		t.Fatal("JT threshold not applied: -6 must be reliable, -5 not")
	}
}

func TestNotOnTrack(t *testing.T) {
	for _, c := range []struct {
		totals      []int
		week, weeks int
		off, ok     bool
	}{
		{[]int{20, 19}, 2, 10, false, false},        // fewer than 3 scores: no signal
		{[]int{20, 19, 18}, 4, 10, true, true},      // expected 16 at week 4 (50% over 10 weeks)
		{[]int{20, 17, 15}, 4, 10, false, true},     // below 16: on track
		{[]int{20, 18, 16}, 4, 10, true, true},      // exactly on the line is not below it
		{[]int{20, 15, 12, 11}, 10, 10, true, true}, // expected 10 at the end
	} {
		off, _, ok := programs.NotOnTrack(c.totals, c.week, c.weeks, 0.5, 3)
		if off != c.off || ok != c.ok {
			t.Errorf("%v week %d/%d: off=%v ok=%v, want off=%v ok=%v", c.totals, c.week, c.weeks, off, ok, c.off, c.ok)
		}
	}
}

func TestSleepNightAndWeeks(t *testing.T) {
	n, err := programs.SleepNight("2026-11-16", map[string]string{
		"bed_time": "23:00", "lights_out": "23:15", "onset_min": "30", "awakenings": "2",
		"waso_min": "45", "final_wake": "06:30", "out_of_bed": "07:00", "quality": "3"})
	if err != nil {
		t.Fatal(err)
	}
	// In bed 23:00-07:00 = 8 h; awake: 15 + 30 + 45 + 30 = 120 min; asleep 6 h; 75 %.
	if n.TimeInBed != 8*time.Hour || n.TotalSleep != 6*time.Hour || n.Efficiency != 75 {
		t.Fatalf("night = %+v", n)
	}
	if _, err := programs.SleepNight("d", map[string]string{"bed_time": "25:00", "out_of_bed": "07:00", "final_wake": "06:00"}); err == nil {
		t.Fatal("a bad time passed")
	}
	loc := time.UTC
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, loc)
	today := time.Date(2026, 11, 12, 0, 0, 0, 0, loc) // day 11: week 2 has 4 days so far
	good := func(date string) programs.Night {
		n, _ := programs.SleepNight(date, map[string]string{"bed_time": "23:30", "onset_min": "10", "waso_min": "20",
			"final_wake": "06:00", "out_of_bed": "06:00"})
		return n
	}
	nights := []programs.Night{n, good("2026-11-10"), good("2026-11-11")}
	nights[0].Date = "2026-11-03"
	weeks := programs.SleepWeeks(start, today, nights)
	if len(weeks) != 2 {
		t.Fatalf("weeks = %+v", weeks)
	}
	if weeks[0].Week != 1 || weeks[0].Nights != 1 || weeks[0].Missing != 6 || weeks[0].Based() != "1 of 7 nights" {
		t.Errorf("week 1 = %+v (%s)", weeks[0], weeks[0].Based())
	}
	// 6.5 h in bed, 6 h asleep: 92.3 %, widen (90% or more).
	if w := weeks[1]; w.Nights != 2 || w.Missing != 2 || math.Abs(w.Efficiency-92.307) > 0.01 || w.Advice[:13] != "efficiency 90" {
		t.Errorf("week 2 = %+v", w)
	}
	if weeks[0].Advice[:20] != "efficiency below 85%" {
		t.Errorf("week 1 advice %q", weeks[0].Advice)
	}
}
