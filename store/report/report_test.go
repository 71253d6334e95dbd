package report

import (
	"testing"
	"time"

	"polku/programs"
)

var hel, _ = time.LoadLocation("Europe/Helsinki")

// weekdays is a working-time clock without holidays, as the store's.
func weekdays(from, to time.Time) time.Duration {
	var total time.Duration
	for cur := from.In(hel); cur.Before(to); {
		next := time.Date(cur.Year(), cur.Month(), cur.Day()+1, 0, 0, 0, 0, hel)
		if next.After(to) {
			next = to
		}
		if wd := cur.Weekday(); wd != time.Saturday && wd != time.Sunday {
			total += next.Sub(cur)
		}
		cur = next
	}
	return total
}

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, hel)
	if err != nil {
		panic(err)
	}
	return t
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hel)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func facts() *Facts {
	return &Facts{
		From: day("2026-11-01"), To: day("2026-12-01"), Loc: hel, Now: day("2026-12-01"),
		StartDays: 7, FeedbackWorkingDays: 2, WorkingTime: weekdays,
		Instruments: map[string]*programs.Instrument{},
		Scores:      map[string][]Score{},
	}
}

func phq9() *programs.Instrument {
	return &programs.Instrument{ID: "phq9", Version: 1, Title: "PHQ-9", ShortTitle: "PHQ-9", Validated: ptr(true),
		Caseness: ptr(10), ReliableChange: ptr(6)}
}

func TestShareHidesPercentBelowFive(t *testing.T) {
	for _, c := range []struct {
		n, of int
		want  *float64
	}{
		{0, 0, nil}, {1, 4, nil}, {4, 4, nil}, {1, 5, ptr(20.0)}, {2, 3, nil}, {1, 3, nil}, {10, 30, ptr(33.3)},
	} {
		s := share(c.n, c.of)
		if s.Count != c.n || s.Of != c.of {
			t.Errorf("share(%d, %d) counts = %d/%d", c.n, c.of, s.Count, s.Of)
		}
		if (s.Percent == nil) != (c.want == nil) || (s.Percent != nil && *s.Percent != *c.want) {
			t.Errorf("share(%d, %d).Percent = %v, want %v", c.n, c.of, s.Percent, c.want)
		}
	}
}

func TestAccessWaitInWorkingDaysAndPromiseInCalendarDays(t *testing.T) {
	f := facts()
	// Received Friday 6 Nov; starts on Mon 9 (1 working day: Friday), Fri 13
	// (5), Mon 16 (6 working days, 10 calendar days: over the promise).
	recv := at("2026-11-06 14:00")
	for i, start := range []string{"2026-11-09", "2026-11-13", "2026-11-16"} {
		f.Enrollments = append(f.Enrollments, Enrollment{ID: string(rune('a' + i)), Status: "active", Start: day(start), ReferralReceived: &recv})
	}
	// Started before the period: not counted.
	f.Enrollments = append(f.Enrollments, Enrollment{ID: "old", Status: "active", Start: day("2026-10-30"), ReferralReceived: &recv})
	f.Referrals = []Referral{{ReceivedAt: recv}, {ReceivedAt: at("2026-11-20 09:00")}}
	a := access(f)
	if a.ReferralsReceived != 2 || a.StartedFromReferral != 3 {
		t.Fatalf("referrals %d, started %d; want 2, 3", a.ReferralsReceived, a.StartedFromReferral)
	}
	if *a.WaitWorkingDays.Median != 5 || *a.WaitWorkingDays.P90 != 6 {
		t.Errorf("wait median %v p90 %v, want 5 and 6", *a.WaitWorkingDays.Median, *a.WaitWorkingDays.P90)
	}
	if a.WithinPromise.Count != 2 || a.WithinPromise.Of != 3 || a.WithinPromise.Percent != nil {
		t.Errorf("within promise %+v, want 2 of 3 without a percentage", a.WithinPromise)
	}
	var inHist int
	for _, b := range a.WaitDays {
		inHist += b.Count
	}
	if inHist != 3 || a.WaitDays[3].Count != 1 || a.WaitDays[7].Count != 1 || a.WaitDays[10].Count != 1 {
		t.Errorf("wait histogram %+v", a.WaitDays)
	}
}

func TestEngagement(t *testing.T) {
	f := facts()
	ended := at("2026-11-20 10:00")
	before := at("2026-10-20 10:00")
	f.Enrollments = []Enrollment{
		{ID: "1", Status: "active", Start: day("2026-11-02")},
		{ID: "2", Status: "scheduled", Start: day("2026-11-30")},
		{ID: "3", Status: "completed", Start: day("2026-08-01"), EndedAt: &ended, Modules: 8, ModulesDone: 8},
		{ID: "4", Status: "discontinued", Start: day("2026-09-01"), EndedAt: &ended, Modules: 8, ModulesDone: 2},
		{ID: "5", Status: "completed", Start: day("2026-07-01"), EndedAt: &before, Modules: 8, ModulesDone: 8},
		{ID: "6", Status: "active", Start: day("2026-10-01")},
	}
	e := engagement(f)
	if e.Started != 1 || e.Completed != 1 || e.Discontinued != 1 || e.StillActive != 2 {
		t.Errorf("engagement %+v", e)
	}
	if e.DiscontinuedByReason[DiscontinuedReasonUnknown] != 1 {
		t.Errorf("by reason %v", e.DiscontinuedByReason)
	}
	if e.ModulesCompleted == nil || *e.ModulesCompleted != 0.63 { // median of 1 and 0.25
		t.Errorf("modules completed %v, want 0.63", e.ModulesCompleted)
	}
}

func TestFeedbackLatencySkipsTheWeekend(t *testing.T) {
	f := facts()
	f.Feedback = []Feedback{
		{SubmittedAt: at("2026-11-06 12:00"), SentAt: at("2026-11-09 12:00")}, // Fri to Mon: 1 working day
		{SubmittedAt: at("2026-11-02 12:00"), SentAt: at("2026-11-05 18:00")}, // 3.25 working days: late
		{SubmittedAt: at("2026-11-10 08:00"), SentAt: at("2026-11-10 10:00")},
	}
	f.Time = []TimeSpent{{"p1", "2026-W45", 600}, {"p1", "2026-W46", 1200}, {"p2", "2026-W45", 900}}
	f.Therapists = []Therapist{{ID: "t1", Capacity: 1}, {ID: "t2", Capacity: 5}}
	f.Enrollments = []Enrollment{{ID: "a", TherapistID: "t1", Status: "active"}, {ID: "b", TherapistID: "t1", Status: "scheduled"}, {ID: "c", TherapistID: "t2", Status: "completed"}}
	w := work(f)
	if w.WithinPromise.Count != 2 || w.WithinPromise.Of != 3 {
		t.Errorf("within promise %+v", w.WithinPromise)
	}
	if *w.LatencyWorkingDays.Median != 1 || *w.LatencyWorkingDays.P90 != 3.25 {
		t.Errorf("latency %v / %v", *w.LatencyWorkingDays.Median, *w.LatencyWorkingDays.P90)
	}
	if w.Latency[0].Count != 1 || w.Latency[1].Count != 1 || w.Latency[3].Count != 1 {
		t.Errorf("latency histogram %+v", w.Latency)
	}
	if *w.MinutesPerPatientWeek != 15 { // 2700 s over 3 patient-weeks
		t.Errorf("minutes per patient-week %v, want 15", *w.MinutesPerPatientWeek)
	}
	if w.Caseload != 2 || w.Capacity != 6 || w.OverCapacity != 1 {
		t.Errorf("caseload %d capacity %d over %d", w.Caseload, w.Capacity, w.OverCapacity)
	}
}

func TestOutcomes(t *testing.T) {
	f := facts()
	f.Instruments["phq9"] = phq9()
	f.Instruments["sleep-check"] = &programs.Instrument{ID: "sleep-check", Title: "Sleep check", Validated: ptr(false), Caseness: ptr(5), ReliableChange: ptr(2)}
	ended := at("2026-11-20 10:00")
	pairs := [][2]int{
		{20, 8},  // reliable recovery
		{12, 9},  // recovery, not reliable
		{18, 11}, // reliable improvement, still case
		{5, 12},  // reliable deterioration, not case at baseline
		{9, 9},   // no change
	}
	for i, p := range pairs {
		id := string(rune('a' + i))
		f.Enrollments = append(f.Enrollments, Enrollment{ID: id, ProgramID: "depression", Status: "completed", EndedAt: &ended})
		f.Scores[id] = []Score{{Instrument: "phq9", Total: p[0]}, {Instrument: "phq9", Total: 15}, {Instrument: "phq9", Total: p[1]},
			{Instrument: "sleep-check", Total: 8}, {Instrument: "sleep-check", Total: 3}}
	}
	// One score only: not finished on that instrument.
	f.Enrollments = append(f.Enrollments, Enrollment{ID: "z", Status: "completed", EndedAt: &ended})
	f.Scores["z"] = []Score{{Instrument: "phq9", Total: 20}}
	// Still active: not in the outcomes.
	f.Enrollments = append(f.Enrollments, Enrollment{ID: "y", Status: "active"})
	f.Scores["y"] = []Score{{Instrument: "phq9", Total: 20}, {Instrument: "phq9", Total: 2}}

	valid, notValid := outcomes(f)
	if len(valid) != 1 || len(notValid) != 1 {
		t.Fatalf("valid %d, not validated %d", len(valid), len(notValid))
	}
	o := valid[0]
	if o.Finished != 5 || o.CaseAtBaseline != 3 {
		t.Errorf("finished %d, case at baseline %d", o.Finished, o.CaseAtBaseline)
	}
	check := func(name string, s *Share, n, of int) {
		t.Helper()
		if s == nil || s.Count != n || s.Of != of {
			t.Errorf("%s = %+v, want %d of %d", name, s, n, of)
		}
	}
	check("reliable improvement", o.ReliableImprovement, 2, 5)
	check("reliable deterioration", o.ReliableDeterioration, 1, 5)
	check("recovery", o.Recovery, 2, 3)
	check("reliable recovery", o.ReliableRecovery, 1, 3)
	if o.Recovery.Percent != nil {
		t.Errorf("a share of 3 has no percentage")
	}
	// Baseline 20,12,18,5,9: mean 12.8, SD 6.22; last 8,9,11,12,9: mean 9.8, SD 1.64.
	if o.Baseline.Mean != 12.8 || o.Last.Mean != 9.8 || o.Baseline.SD != 6.22 || o.Last.SD != 1.64 {
		t.Errorf("baseline %+v last %+v", *o.Baseline, *o.Last)
	}
	// d = 3 / sqrt((38.7 + 2.7) / 2) = 0.66 (the variances, unrounded)
	if o.CohensD == nil || *o.CohensD != 0.66 {
		t.Errorf("Cohen's d %v, want 0.66", *o.CohensD)
	}
	nv := notValid[0]
	if nv.Validated || nv.Recovery != nil || nv.ReliableImprovement != nil || nv.Caseness != nil || nv.Finished != 5 {
		t.Errorf("a not-validated instrument carries recovery figures: %+v", nv)
	}
}

func TestCohensDPooledSD(t *testing.T) {
	for _, c := range []struct {
		b, l Stat
		want float64
		ok   bool
	}{
		{Stat{15, 4}, Stat{9, 4}, 1.5, true},
		{Stat{15, 3}, Stat{9, 5}, 6 / 4.123105625617661, true}, // sqrt((9+25)/2)
		{Stat{15, 0}, Stat{9, 0}, 0, false},
	} {
		d, ok := CohensD(c.b, c.l)
		if ok != c.ok || (ok && (d-c.want > 1e-9 || c.want-d > 1e-9)) {
			t.Errorf("CohensD(%v, %v) = %v, %v; want %v", c.b, c.l, d, ok, c.want)
		}
	}
}

func TestRiskSameWorkingDay(t *testing.T) {
	f := facts()
	f.Flags = []Flag{
		{RaisedAt: at("2026-11-10 09:00"), AckedAt: ptr(at("2026-11-10 15:00"))}, // same day
		{RaisedAt: at("2026-11-10 22:00"), AckedAt: ptr(at("2026-11-11 08:00"))}, // next day: late
		{RaisedAt: at("2026-11-14 10:00"), AckedAt: ptr(at("2026-11-16 09:00"))}, // Saturday -> Monday: in time
		{RaisedAt: at("2026-11-20 10:00")},                                       // open
	}
	r := risk(f)
	if r.Raised != 4 || r.Acknowledged != 3 || r.StillOpen != 1 {
		t.Errorf("risk %+v", r)
	}
	if r.SameWorkingDay.Count != 2 || r.SameWorkingDay.Of != 4 {
		t.Errorf("same working day %+v, want 2 of 4", r.SameWorkingDay)
	}
	if *r.MedianHoursToAck != 10 {
		t.Errorf("median hours %v, want 10", *r.MedianHoursToAck)
	}
}

func TestWeekly(t *testing.T) {
	f := facts()
	f.Referrals = []Referral{{at("2026-11-01 10:00")}, {at("2026-11-02 10:00")}, {at("2026-11-03 10:00")}}
	f.Enrollments = []Enrollment{{Status: "active", Start: day("2026-11-04")}, {Status: "scheduled", Start: day("2026-11-05")}}
	w := weekly(f)
	// 1 Nov 2026 is a Sunday: its week starts Monday 26 Oct.
	if len(w) != 6 || w[0].Start != "2026-10-26" || w[0].Referrals != 1 || w[1].Referrals != 2 || w[1].Starts != 1 {
		t.Errorf("weekly %+v", w)
	}
}

func TestComputePeriodIsInclusive(t *testing.T) {
	r := Compute(facts())
	if r.From != "2026-11-01" || r.To != "2026-11-30" || r.Timezone != "Europe/Helsinki" {
		t.Errorf("period %s..%s %s", r.From, r.To, r.Timezone)
	}
}
