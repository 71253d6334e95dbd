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
	if n := len(e.DiscontinuedByReason); n == 0 || e.DiscontinuedByReason[n-1].Reason != DiscontinuedReasonUnknown || e.DiscontinuedByReason[n-1].Count != 1 {
		t.Errorf("by reason %+v", e.DiscontinuedByReason)
	}
	if e.ModulesCompleted == nil || *e.ModulesCompleted != 0.63 { // median of 1 and 0.25
		t.Errorf("modules completed %v, want 0.63", e.ModulesCompleted)
	}
}

var reasons = []Reason{{"patient_choice", "the patient's choice"}, {"did_not_start", "did not start"}, {"no_contact", "no contact"}, {"other", "other"}}

func TestDiscontinuedByReason(t *testing.T) {
	ended, before := at("2026-11-20 10:00"), at("2026-10-20 10:00")
	disc := func(reason string, when time.Time) Enrollment {
		return Enrollment{Status: "discontinued", Start: day("2026-09-01"), EndedAt: &when, DiscontinueReason: reason}
	}
	for _, c := range []struct {
		name string
		ens  []Enrollment
		want map[string]string // reason -> ShareText
	}{
		{"none", nil, map[string]string{"patient_choice": "0/0", "did_not_start": "0/0", "no_contact": "0/0", "other": "0/0", DiscontinuedReasonUnknown: "0/0"}},
		{"few: counts only", []Enrollment{disc("patient_choice", ended), disc("", ended), disc("no_contact", before)},
			map[string]string{"patient_choice": "1/2", "did_not_start": "0/2", "no_contact": "0/2", DiscontinuedReasonUnknown: "1/2"}},
		{"five: percentages", []Enrollment{disc("patient_choice", ended), disc("patient_choice", ended), disc("no_contact", ended), disc("other", ended), disc("", ended),
			{Status: "completed", EndedAt: &ended}},
			map[string]string{"patient_choice": "2/5 (40.0%)", "no_contact": "1/5 (20.0%)", "other": "1/5 (20.0%)", "did_not_start": "0/5 (0.0%)", DiscontinuedReasonUnknown: "1/5 (20.0%)"}},
		{"a code not in the list is shown after it", []Enrollment{disc("moved_to_mars", ended)},
			map[string]string{"moved_to_mars": "1/1", "patient_choice": "0/1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := facts()
			f.Reasons = reasons
			f.Enrollments = c.ens
			e := engagement(f)
			got := map[string]string{}
			total := 0
			for i, r := range e.DiscontinuedByReason {
				got[r.Reason] = ShareText(r.Share)
				total += r.Count
				if i < len(reasons) && r.Reason != reasons[i].Code {
					t.Errorf("reason %d is %s, want the list's order (%s)", i, r.Reason, reasons[i].Code)
				}
				if r.Words == "" {
					t.Errorf("reason %s has no words", r.Reason)
				}
			}
			if total != e.Discontinued {
				t.Errorf("reasons add up to %d, discontinued %d", total, e.Discontinued)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s: %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}

func TestInactivityEpisodes(t *testing.T) {
	// Period: November 2026; policy 7 days. Every treatment starts 1 Oct.
	act := func(ss ...string) []time.Time {
		var out []time.Time
		for _, s := range ss {
			out = append(out, at(s))
		}
		return out
	}
	ended := at("2026-11-12 10:00")
	for _, c := range []struct {
		name     string
		e        Enrollment
		now      string
		episodes int
		lengths  []float64 // the median over just this enrollment
	}{
		{"active all month: one gap of 9 days", Enrollment{Activity: act("2026-11-02 10:00", "2026-11-11 09:00", "2026-11-13 12:00", "2026-11-19 12:00", "2026-11-25 12:00")},
			"", 1, []float64{9}},
		{"a gap of 6 days is not an episode", Enrollment{Activity: act("2026-11-02 10:00", "2026-11-08 23:00", "2026-11-14 10:00", "2026-11-20 10:00", "2026-11-26 10:00")},
			"", 0, nil},
		{"exactly 7 calendar days is one (the queue flags it that morning)", Enrollment{Activity: act("2026-11-02 23:50", "2026-11-09 00:10", "2026-11-14 10:00", "2026-11-20 10:00", "2026-11-26 10:00")},
			"", 1, []float64{7}},
		{"reached before the period: counted in the month it was reached", Enrollment{Activity: act("2026-10-20 10:00", "2026-11-03 10:00", "2026-11-08 10:00", "2026-11-14 10:00", "2026-11-20 10:00", "2026-11-26 10:00")},
			"", 0, nil},
		{"reached on the first day of the period", Enrollment{Activity: act("2026-10-25 10:00", "2026-11-03 10:00", "2026-11-08 10:00", "2026-11-14 10:00", "2026-11-20 10:00", "2026-11-26 10:00")},
			"", 1, []float64{9}},
		{"no activity since the start: counted from the start", Enrollment{Start: day("2026-11-05")},
			"", 1, []float64{26}},
		{"still going at the end of the period: up to then", Enrollment{Activity: act("2026-11-20 10:00")},
			"", 1, []float64{11}},
		{"a pause takes its days off", Enrollment{Activity: act("2026-11-02 10:00", "2026-11-13 10:00", "2026-11-18 10:00", "2026-11-24 10:00", "2026-11-29 10:00"),
			Pauses: []Pause{{at("2026-11-04 12:00"), at("2026-11-10 12:00")}}}, "", 0, nil},
		{"after a long pause the rest still counts", Enrollment{Activity: act("2026-11-02 10:00", "2026-11-19 10:00", "2026-11-24 10:00", "2026-11-29 10:00"),
			Pauses: []Pause{{at("2026-11-04 12:00"), at("2026-11-10 12:00")}}}, "", 1, []float64{11}},
		{"paused still: nothing", Enrollment{Activity: act("2026-11-02 10:00"), Pauses: []Pause{{From: at("2026-11-04 12:00")}}}, "", 0, nil},
		{"discontinued during an episode: up to the end", Enrollment{Status: "discontinued", EndedAt: &ended, Activity: act("2026-11-01 10:00")},
			"", 1, []float64{11}},
		{"ended before it reached the days: none", Enrollment{Status: "completed", EndedAt: &ended, Activity: act("2026-11-06 10:00")}, "", 0, nil},
		{"did not start: never active", Enrollment{Status: "discontinued", EndedAt: &ended, DiscontinueReason: "did_not_start", Start: day("2026-11-01")}, "", 0, nil},
		{"scheduled: not active", Enrollment{Status: "scheduled", Start: day("2026-11-01")}, "", 0, nil},
		{"the period reaches past now: up to today", Enrollment{Activity: act("2026-11-02 10:00")}, "2026-11-15 12:00", 1, []float64{13}},
		{"activity after the end does not count", Enrollment{Status: "completed", EndedAt: &ended, Activity: act("2026-11-01 10:00", "2026-11-13 10:00")}, "", 1, []float64{11}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := facts()
			f.InactiveDays = 7
			if c.now != "" {
				f.Now = at(c.now)
			}
			e := c.e
			e.ID, e.PatientID = "e1", "p1"
			if e.Status == "" {
				e.Status = "active"
			}
			if e.Start.IsZero() {
				e.Start = day("2026-10-01")
			}
			// A second patient active all month without a gap.
			var steady []time.Time
			for d := day("2026-10-28").Add(10 * time.Hour); d.Before(f.To); d = d.AddDate(0, 0, 3) {
				steady = append(steady, d)
			}
			f.Enrollments = []Enrollment{e, {ID: "e2", PatientID: "p2", Status: "active", Start: day("2026-10-01"), Activity: steady}}
			in := inactivity(f)
			if in.Episodes != c.episodes || in.Days != 7 {
				t.Fatalf("%d episodes (days %d), want %d", in.Episodes, in.Days, c.episodes)
			}
			wantPatients := 0
			if c.episodes > 0 {
				wantPatients = 1
			}
			if in.Patients.Count != wantPatients {
				t.Errorf("patients %+v, want %d", in.Patients, wantPatients)
			}
			if m := median(c.lengths); (m == nil) != (in.MedianDays == nil) || (m != nil && *m != *in.MedianDays) {
				t.Errorf("median %v, want %v", show(in.MedianDays), show(m))
			}
		})
	}
}

func show(v *float64) string { return Num(v) }

func TestInactivityPatientsAndMedian(t *testing.T) {
	f := facts()
	f.InactiveDays = 7
	// p1: two enrollments, each with an episode (10 and 20 days); p2: one
	// of 12; p3: none; p4 active only before the period: not counted.
	ended := at("2026-10-15 10:00")
	f.Enrollments = []Enrollment{
		{ID: "a", PatientID: "p1", Status: "active", Start: day("2026-10-01"), Activity: []time.Time{at("2026-11-02 10:00"), at("2026-11-12 10:00"), at("2026-11-16 10:00"), at("2026-11-22 10:00"), at("2026-11-28 10:00")}},
		{ID: "b", PatientID: "p1", Status: "active", Start: day("2026-10-01"), Activity: []time.Time{at("2026-11-03 10:00"), at("2026-11-23 10:00"), at("2026-11-28 10:00")}},
		{ID: "c", PatientID: "p2", Status: "active", Start: day("2026-10-01"), Activity: []time.Time{at("2026-11-04 10:00"), at("2026-11-16 10:00"), at("2026-11-22 10:00"), at("2026-11-28 10:00")}},
		{ID: "d", PatientID: "p3", Status: "active", Start: day("2026-10-01"), Activity: []time.Time{at("2026-10-30 10:00"), at("2026-11-05 10:00"), at("2026-11-10 10:00"), at("2026-11-15 10:00"), at("2026-11-20 10:00"), at("2026-11-25 10:00")}},
		{ID: "e", PatientID: "p4", Status: "completed", Start: day("2026-09-01"), EndedAt: &ended},
	}
	in := inactivity(f)
	if in.Episodes != 3 || in.Patients.Count != 2 || in.Patients.Of != 3 || in.Patients.Percent != nil {
		t.Errorf("episodes %d, patients %+v; want 3, 2/3", in.Episodes, in.Patients)
	}
	if in.MedianDays == nil || *in.MedianDays != 12 {
		t.Errorf("median %s, want 12", show(in.MedianDays))
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

func TestRiskBySource(t *testing.T) {
	f := facts()
	f.Flags = []Flag{
		{Source: SourceCritical, RaisedAt: at("2026-11-10 09:00"), AckedAt: ptr(at("2026-11-10 11:00"))}, // 2 h, same day
		{Source: SourceCritical, RaisedAt: at("2026-11-10 22:00")},                                       // open
		{Source: SourceMessage, RaisedAt: at("2026-11-12 10:00"), AckedAt: ptr(at("2026-11-13 10:00"))},  // 24 h, late
		{Source: SourceMessage, RaisedAt: at("2026-11-14 10:00"), AckedAt: ptr(at("2026-11-16 10:00"))},  // Saturday -> Monday: in time
		{Source: SourceMessage, RaisedAt: at("2026-11-17 10:00"), AckedAt: ptr(at("2026-11-17 14:00"))},  // 4 h
		{Source: SourceMessage, RaisedAt: at("2026-11-18 10:00"), AckedAt: ptr(at("2026-11-18 16:00"))},  // 6 h
		{Source: SourceMessage, RaisedAt: at("2026-11-19 10:00"), AckedAt: ptr(at("2026-11-19 18:00"))},  // 8 h
		{Source: SourceExercise, RaisedAt: at("2026-11-20 10:00"), AckedAt: ptr(at("2026-11-20 13:00"))}, // 3 h
		{Source: SourceDiary, RaisedAt: at("2026-11-23 10:00"), AckedAt: ptr(at("2026-11-23 11:00"))},    // 1 h
	}
	r := risk(f)
	if r.Raised != 9 || r.Acknowledged != 8 || r.StillOpen != 1 || *r.MedianHoursToAck != 5 {
		t.Errorf("all sources %+v (median %s)", r.RiskFlags, show(r.MedianHoursToAck))
	}
	if len(r.BySource) != 5 {
		t.Fatalf("%d sources, want 5: %+v", len(r.BySource), r.BySource)
	}
	for i, c := range []struct {
		source        string
		raised, acked int
		median        float64
		same          string
	}{
		{SourceCritical, 2, 1, 2, "1/2"},
		{SourceMessage, 5, 5, 8, "4/5 (80.0%)"},
		{SourceExercise, 1, 1, 3, "1/1"},
		{SourceDiary, 1, 1, 1, "1/1"},
	} {
		s := r.BySource[i]
		if s.Source != c.source || s.Label == "" || s.Raised != c.raised || s.Acknowledged != c.acked || s.StillOpen != c.raised-c.acked ||
			s.MedianHoursToAck == nil || *s.MedianHoursToAck != c.median || ShareText(s.SameWorkingDay) != c.same {
			t.Errorf("source %d: %+v (median %s, same day %s), want %+v", i, s, show(s.MedianHoursToAck), ShareText(s.SameWorkingDay), c)
		}
	}
	// A source without flags is still listed, with nothing in it.
	f.Flags = f.Flags[:1]
	r = risk(f)
	if len(r.BySource) != 5 || r.BySource[4].Raised != 0 || r.BySource[4].MedianHoursToAck != nil {
		t.Errorf("empty sources %+v", r.BySource)
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
