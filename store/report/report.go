// Package report computes the service's monthly figures (access,
// engagement, therapist work, outcomes, risk) from facts the store loads.
// Everything here is a pure function of Facts: no SQL, no clock, no IO, so
// that each figure can be tested on its own with a fixed calendar, and the
// table, JSON, CSV and HTML of 'polku report' all show one computed Report.
// The definitions are written out in docs/reports.md.
package report

import (
	"math"
	"sort"
	"time"

	"polku/programs"
)

// Facts are the records a report is computed from, loaded by the store in
// a few batched queries for one period and scope.
type Facts struct {
	From, To time.Time // the period [From, To), local midnights in Loc
	Loc      *time.Location
	Now      time.Time
	Team     string // "" for the whole service
	Program  string // "" for every program

	StartDays           int // policy start_days: calendar days from referral to start
	FeedbackWorkingDays int // policy feedback_working_days
	InactiveDays        int // policy inactive_days: calendar days without activity

	// Reasons are the discontinuation reason codes in the order shown,
	// with their words.
	Reasons []Reason

	// WorkingTime is the store's working-time clock (weekdays, without the
	// service's public holidays), injected so that this package stays pure.
	WorkingTime func(from, to time.Time) time.Duration

	Referrals   []Referral   // received in the period, in scope
	Enrollments []Enrollment // every enrollment in scope that overlaps the period
	Therapists  []Therapist  // therapists in scope
	Feedback    []Feedback   // first feedback on a submission, sent in the period
	Time        []TimeSpent  // time meter rows of the weeks in the period
	Flags       []Flag       // risk flags raised in the period
	Instruments map[string]*programs.Instrument
	// Scores of the enrollments that ended in the period, oldest first.
	Scores map[string][]Score // by enrollment id
}

// Referral is one received referral.
type Referral struct {
	ReceivedAt time.Time
}

// Enrollment is one treatment.
type Enrollment struct {
	ID               string
	ProgramID        string
	TherapistID      string
	Status           string     // scheduled, active, completed, discontinued
	Start            time.Time  // local midnight of the start date
	EndedAt          *time.Time // completed or discontinued: when
	ReferralReceived *time.Time // when its referral arrived, if it has one
	Modules          int        // modules in the program
	ModulesDone      int        // modules with at least one submission
	PatientID        string
	// DiscontinueReason is the reason code of its discontinue event, ""
	// when none is recorded.
	DiscontinueReason string
	// Pauses are its paused stretches, oldest first (an open one has a
	// zero To).
	Pauses []Pause
	// Activity is the patient's activity on it (submissions, messages in,
	// measures, diary entries) before the end of the period, oldest first.
	Activity []time.Time
}

// Pause is one paused stretch of a treatment.
type Pause struct{ From, To time.Time }

// Reason is one discontinuation reason code and its words.
type Reason struct{ Code, Words string }

// Therapist is one therapist in scope.
type Therapist struct {
	ID       string
	Handle   string
	Capacity int
}

// Feedback is the first feedback on one submission.
type Feedback struct {
	SubmittedAt, SentAt time.Time
}

// TimeSpent is one time-meter row: a therapist's seconds with a patient in
// one ISO week.
type TimeSpent struct {
	PatientID string
	Week      string
	Seconds   int64
}

// Flag is a risk flag and its first acknowledgement: a critical answer
// (e.g. PHQ-9 item 9 above 0), or a risk phrase the queue's matcher found
// in a message, an exercise answer, a diary entry or a peer-group post.
type Flag struct {
	Source   string // one of FlagSources
	RaisedAt time.Time
	Level    string
	AckedAt  *time.Time
}

// Flag sources, in the order they are shown.
const (
	SourceCritical = "critical_item"
	SourceMessage  = "phrase_message"
	SourceExercise = "phrase_exercise"
	SourceDiary    = "phrase_diary"
	SourcePost     = "phrase_post"
)

// FlagSources lists the flag sources in order, with their labels.
var FlagSources = []struct{ Source, Label string }{
	{SourceCritical, "critical item"},
	{SourceMessage, "phrase in a message (heuristic)"},
	{SourceExercise, "phrase in an exercise answer (heuristic)"},
	{SourceDiary, "phrase in a diary entry (heuristic)"},
	{SourcePost, "phrase in a peer-group post (heuristic)"},
}

// Score is one total score of an instrument.
type Score struct {
	Instrument string // instrument id
	Version    int
	Total      int
	At         time.Time
}

// Report is every figure of one report.
type Report struct {
	From        string     `json:"from"` // first day, inclusive
	To          string     `json:"to"`   // last day, inclusive
	Timezone    string     `json:"timezone"`
	Team        string     `json:"team,omitempty"`
	Program     string     `json:"program,omitempty"`
	Access      Access     `json:"access"`
	Engagement  Engagement `json:"engagement"`
	Work        Work       `json:"therapist_work"`
	Outcomes    []Outcome  `json:"outcomes"`
	NotValid    []Outcome  `json:"not_validated_outcomes"`
	Risk        Risk       `json:"risk"`
	WeeklyFlows []Week     `json:"weekly"`
}

// Share is a count out of a denominator. Percent is left out when the
// denominator is under 5: a share of so few is shown as its counts only.
type Share struct {
	Count   int      `json:"count"`
	Of      int      `json:"of"`
	Percent *float64 `json:"percent,omitempty"`
}

// MinShareDenominator is the smallest denominator a percentage is given for.
const MinShareDenominator = 5

func share(n, of int) Share {
	s := Share{Count: n, Of: of}
	if of >= MinShareDenominator {
		p := round1(100 * float64(n) / float64(of))
		s.Percent = &p
	}
	return s
}

// Dist is the median and 90th percentile of a set of values.
type Dist struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	P90    *float64 `json:"p90"`
}

// Bin is one bar of a histogram: values from Min up to Max (inclusive;
// Max -1 for "and more").
type Bin struct {
	Min   int `json:"min"`
	Max   int `json:"max"`
	Count int `json:"count"`
}

// Week is one week's flow, from its Monday.
type Week struct {
	Start     string `json:"start"`
	Referrals int    `json:"referrals"`
	Starts    int    `json:"starts"`
}

// Access: how fast people get in.
type Access struct {
	ReferralsReceived int `json:"referrals_received"`
	// Treatments started in the period that came from a referral.
	StartedFromReferral int   `json:"started_from_referral"`
	WaitWorkingDays     Dist  `json:"wait_working_days"`
	PromiseDays         int   `json:"promise_days"` // calendar days (setting start_days)
	WithinPromise       Share `json:"within_promise"`
	WaitDays            []Bin `json:"wait_days_histogram"` // calendar days
}

// ReasonShare is the discontinuations with one reason, out of all.
type ReasonShare struct {
	Reason string `json:"reason"` // the code, or "not recorded"
	Words  string `json:"words"`
	Share
}

// Inactivity counts the inactivity episodes that reached the policy's
// days in the period.
type Inactivity struct {
	Days     int   `json:"inactive_days"`
	Episodes int   `json:"episodes"`
	Patients Share `json:"patients"` // with at least one, of the patients with an active treatment in the period
	// Median length in days (paused days not counted); an episode still
	// going at the end of the period or of the treatment counts up to then.
	MedianDays *float64 `json:"median_days"`
}

// Engagement: how many start, finish, stop.
type Engagement struct {
	Started              int           `json:"started"`
	Completed            int           `json:"completed"`
	Discontinued         int           `json:"discontinued"`
	DiscontinuedByReason []ReasonShare `json:"discontinued_by_reason"`
	StillActive          int           `json:"still_active"`
	Inactivity           Inactivity    `json:"inactivity"`
	// Median share of the program's modules with a submission, over the
	// treatments that ended in the period (0-1).
	ModulesCompleted *float64 `json:"modules_completed_median"`
}

// Work: the therapists' side.
type Work struct {
	FeedbackSent          int      `json:"feedback_sent"`
	LatencyWorkingDays    Dist     `json:"feedback_latency_working_days"`
	PromiseWorkingDays    int      `json:"feedback_promise_working_days"`
	WithinPromise         Share    `json:"feedback_within_promise"`
	Latency               []Bin    `json:"feedback_latency_histogram"` // whole working days
	MinutesPerPatientWeek *float64 `json:"minutes_per_patient_week"`
	Therapists            int      `json:"therapists"`
	Caseload              int      `json:"caseload"` // active and scheduled at the end of the period
	Capacity              int      `json:"capacity"`
	OverCapacity          int      `json:"therapists_over_capacity"`
}

// Stat is a mean and a sample standard deviation.
type Stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

// Pair is one finished treatment's baseline and last score, for the chart.
type Pair struct {
	Program  string `json:"program"`
	Baseline int    `json:"baseline"`
	Last     int    `json:"last"`
}

// Outcome is the change over treatment on one instrument, for the
// treatments that ended in the period with at least two scores on it.
type Outcome struct {
	Instrument     string `json:"instrument"`
	Title          string `json:"title"`
	Validated      bool   `json:"validated"`
	Caseness       *int   `json:"caseness,omitempty"`
	ReliableChange *int   `json:"reliable_change,omitempty"`
	Finished       int    `json:"finished"`
	Baseline       *Stat  `json:"baseline,omitempty"`
	Last           *Stat  `json:"last,omitempty"`
	// Cohen's d of the pre-post change: (mean baseline - mean last) / pooled
	// SD of baseline and last, sqrt((SD1^2 + SD2^2) / 2).
	CohensD               *float64 `json:"cohens_d,omitempty"`
	CaseAtBaseline        int      `json:"case_at_baseline"`
	ReliableImprovement   *Share   `json:"reliable_improvement,omitempty"`
	Recovery              *Share   `json:"recovery,omitempty"`
	ReliableRecovery      *Share   `json:"reliable_recovery,omitempty"`
	ReliableDeterioration *Share   `json:"reliable_deterioration,omitempty"`
	Pairs                 []Pair   `json:"pairs"`
}

// Risk: flags and how fast they are seen to, over every source and by
// source.
type Risk struct {
	RiskFlags
	BySource []RiskSource `json:"by_source"`
}

// RiskFlags are the figures of a set of flags.
type RiskFlags struct {
	Raised           int      `json:"flags_raised"`
	Acknowledged     int      `json:"acknowledged"`
	MedianHoursToAck *float64 `json:"median_hours_to_ack"`
	SameWorkingDay   Share    `json:"acknowledged_same_working_day"`
	StillOpen        int      `json:"still_open"`
}

// RiskSource is the flags of one source.
type RiskSource struct {
	Source string `json:"source"`
	Label  string `json:"label"`
	RiskFlags
}

// Compute computes every figure from the facts.
func Compute(f *Facts) *Report {
	r := &Report{
		From:     f.From.In(f.Loc).Format(time.DateOnly),
		To:       f.To.In(f.Loc).AddDate(0, 0, -1).Format(time.DateOnly),
		Timezone: f.Loc.String(),
		Team:     f.Team,
		Program:  f.Program,
	}
	r.Access = access(f)
	r.Engagement = engagement(f)
	r.Work = work(f)
	r.Outcomes, r.NotValid = outcomes(f)
	r.Risk = risk(f)
	r.WeeklyFlows = weekly(f)
	return r
}

func (f *Facts) in(t time.Time) bool { return !t.Before(f.From) && t.Before(f.To) }

func (f *Facts) day(t time.Time) time.Time {
	l := t.In(f.Loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, f.Loc)
}

// calendarDays between two local midnights (DST-safe).
func calendarDays(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

func access(f *Facts) Access {
	a := Access{ReferralsReceived: len(f.Referrals), PromiseDays: f.StartDays}
	var waits []float64
	var days []int
	within := 0
	for _, e := range f.Enrollments {
		if !f.in(e.Start) || e.ReferralReceived == nil {
			continue
		}
		recv := f.day(*e.ReferralReceived)
		wd := f.WorkingTime(recv, e.Start)
		waits = append(waits, math.Round(wd.Hours()/24))
		d := max(0, calendarDays(recv, e.Start))
		days = append(days, d)
		if d <= f.StartDays {
			within++
		}
	}
	a.StartedFromReferral = len(waits)
	a.WaitWorkingDays = dist(waits)
	a.WithinPromise = share(within, len(waits))
	a.WaitDays = histogram(days, max(f.StartDays*2, 14))
	return a
}

// DiscontinuedReasonUnknown is the reason of a discontinuation without a
// recorded reason (no discontinue event: ended before the store recorded
// the course).
const DiscontinuedReasonUnknown = "not recorded"

func engagement(f *Facts) Engagement {
	e := Engagement{}
	var done []float64
	byReason := map[string]int{}
	for _, en := range f.Enrollments {
		if f.in(en.Start) && en.Status != "scheduled" {
			e.Started++
		}
		if en.EndedAt != nil && f.in(*en.EndedAt) {
			switch en.Status {
			case "completed":
				e.Completed++
			case "discontinued":
				e.Discontinued++
				byReason[en.DiscontinueReason]++
			}
			if en.Modules > 0 {
				done = append(done, float64(min(en.ModulesDone, en.Modules))/float64(en.Modules))
			}
		}
		if en.Status == "active" && en.Start.Before(f.To) {
			e.StillActive++
		}
	}
	e.DiscontinuedByReason = discontinued(f.Reasons, byReason, e.Discontinued)
	e.Inactivity = inactivity(f)
	if m := median(done); m != nil {
		v := round2(*m)
		e.ModulesCompleted = &v
	}
	return e
}

// discontinued lists the discontinuations by reason: every listed reason
// in order, then any other code found (sorted), then "not recorded".
func discontinued(reasons []Reason, by map[string]int, of int) []ReasonShare {
	out := make([]ReasonShare, 0, len(reasons)+1)
	listed := map[string]bool{}
	for _, r := range reasons {
		listed[r.Code] = true
		out = append(out, ReasonShare{Reason: r.Code, Words: r.Words, Share: share(by[r.Code], of)})
	}
	var other []string
	for code := range by {
		if code != "" && !listed[code] {
			other = append(other, code)
		}
	}
	sort.Strings(other)
	for _, code := range other {
		out = append(out, ReasonShare{Reason: code, Words: code, Share: share(by[code], of)})
	}
	return append(out, ReasonShare{Reason: DiscontinuedReasonUnknown, Words: DiscontinuedReasonUnknown, Share: share(by[""], of)})
}

// inactivity counts the inactivity episodes that reached the policy's
// days in the period, as the queue raises them (docs/clinical.md,
// "Inactive"): a run of InactiveDays calendar days without activity,
// counted from the day of the last activity (or the start), while the
// treatment is active; paused time does not count, and nothing is raised
// while paused. Each enrollment's activity is walked once, oldest first.
func inactivity(f *Facts) Inactivity {
	in := Inactivity{Days: f.InactiveDays}
	if f.InactiveDays <= 0 {
		return in
	}
	limit := time.Duration(f.InactiveDays) * 24 * time.Hour
	// The horizon: the end of the period, or today when it reaches past now.
	horizon := f.To
	if today := f.day(f.Now); today.Before(horizon) {
		horizon = today
	}
	active := map[string]bool{}
	hit := map[string]bool{}
	var lengths []float64
	for i := range f.Enrollments {
		e := &f.Enrollments[i]
		if e.Status == "scheduled" || (e.Status == "discontinued" && e.DiscontinueReason == DidNotStart) || !e.Start.Before(horizon) {
			continue
		}
		// The treatment is active from its start until it ended or the horizon.
		end := horizon
		if e.EndedAt != nil && e.EndedAt.Before(end) {
			end = *e.EndedAt
		}
		if !end.After(f.From) || !end.After(e.Start) {
			continue
		}
		active[e.PatientID] = true
		gap := func(from, to time.Time) {
			// The first midnight from 'from' + the days at which the idle
			// (unpaused) time reaches the limit and the treatment is not
			// paused: the queue raises the episode that morning.
			if to.Sub(from) < limit-time.Hour { // at most the days, even across a DST change
				return
			}
			for x := from.AddDate(0, 0, f.InactiveDays); !x.After(to); x = x.AddDate(0, 0, 1) {
				if idle(from, x, e.Pauses) < limit || pausedAt(x, e.Pauses) {
					continue
				}
				if x.Before(f.From) || !x.Before(f.To) || x.After(horizon) || (e.EndedAt != nil && !x.Before(*e.EndedAt)) {
					return
				}
				in.Episodes++
				hit[e.PatientID] = true
				lengths = append(lengths, math.Floor(idle(from, to, e.Pauses).Hours()/24))
				return
			}
		}
		anchor := e.Start
		for _, t := range e.Activity {
			if t.Before(e.Start) {
				continue
			}
			if !t.Before(end) {
				break
			}
			d := f.day(t)
			gap(anchor, d)
			anchor = d
		}
		gap(anchor, f.day(end))
	}
	in.Patients = share(len(hit), len(active))
	if m := median(lengths); m != nil {
		v := round1(*m)
		in.MedianDays = &v
	}
	return in
}

// DidNotStart is the reason code of a treatment discontinued before it
// started: it was never active.
const DidNotStart = "did_not_start"

// idle is the time between two local midnights in calendar days (DST-safe)
// less the paused time between them.
func idle(from, to time.Time, pauses []Pause) time.Duration {
	return time.Duration(calendarDays(from, to))*24*time.Hour - paused(from, to, pauses)
}

// paused is the paused time between from and to (as the queue's
// pausedBetween).
func paused(from, to time.Time, pauses []Pause) time.Duration {
	var d time.Duration
	for _, p := range pauses {
		a, b := p.From, p.To
		if b.IsZero() || b.After(to) {
			b = to
		}
		if a.Before(from) {
			a = from
		}
		if b.After(a) {
			d += b.Sub(a)
		}
	}
	return d
}

func pausedAt(t time.Time, pauses []Pause) bool {
	for _, p := range pauses {
		if !t.Before(p.From) && (p.To.IsZero() || t.Before(p.To)) {
			return true
		}
	}
	return false
}

func work(f *Facts) Work {
	w := Work{FeedbackSent: len(f.Feedback), PromiseWorkingDays: f.FeedbackWorkingDays}
	promise := time.Duration(f.FeedbackWorkingDays) * 24 * time.Hour
	var lat []float64
	var whole []int
	within := 0
	for _, fb := range f.Feedback {
		d := f.WorkingTime(fb.SubmittedAt, fb.SentAt)
		lat = append(lat, round2(d.Hours()/24))
		whole = append(whole, int(d/(24*time.Hour)))
		if d <= promise {
			within++
		}
	}
	w.LatencyWorkingDays = dist(lat)
	w.WithinPromise = share(within, len(lat))
	w.Latency = histogram(whole, max(f.FeedbackWorkingDays*3, 6))

	var secs int64
	pw := map[[2]string]bool{}
	for _, t := range f.Time {
		secs += t.Seconds
		pw[[2]string{t.PatientID, t.Week}] = true
	}
	if len(pw) > 0 {
		m := round1(float64(secs) / 60 / float64(len(pw)))
		w.MinutesPerPatientWeek = &m
	}
	load := map[string]int{}
	for _, e := range f.Enrollments {
		if (e.Status == "active" || e.Status == "scheduled") && e.Start.Before(f.To) {
			load[e.TherapistID]++
		}
	}
	w.Therapists = len(f.Therapists)
	for _, t := range f.Therapists {
		w.Caseload += load[t.ID]
		w.Capacity += t.Capacity
		if t.Capacity > 0 && load[t.ID] > t.Capacity {
			w.OverCapacity++
		}
	}
	return w
}

func outcomes(f *Facts) (valid, notValid []Outcome) {
	pairs := map[string][]Pair{}
	for _, e := range f.Enrollments {
		if e.EndedAt == nil || !f.in(*e.EndedAt) || (e.Status != "completed" && e.Status != "discontinued") {
			continue
		}
		first, last := map[string]Score{}, map[string]Score{}
		n := map[string]int{}
		for _, s := range f.Scores[e.ID] {
			if _, ok := first[s.Instrument]; !ok {
				first[s.Instrument] = s
			}
			last[s.Instrument] = s
			n[s.Instrument]++
		}
		for inst, c := range n {
			if c < 2 {
				continue
			}
			pairs[inst] = append(pairs[inst], Pair{Program: e.ProgramID, Baseline: first[inst].Total, Last: last[inst].Total})
		}
	}
	ids := make([]string, 0, len(pairs))
	for id := range pairs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		in := f.Instruments[id]
		o := outcome(id, in, pairs[id])
		if o.Validated {
			valid = append(valid, o)
		} else {
			notValid = append(notValid, o)
		}
	}
	return valid, notValid
}

// outcome computes the change figures of one instrument over its pairs.
// Instruments that are not validated get means and SDs only: no caseness,
// no reliable change, no recovery.
func outcome(id string, in *programs.Instrument, ps []Pair) Outcome {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Program < ps[j].Program })
	o := Outcome{Instrument: id, Title: id, Finished: len(ps), Pairs: ps}
	if in != nil {
		o.Title = in.Name()
		o.Validated = in.Validated != nil && *in.Validated
	}
	b, l := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		b[i], l[i] = float64(p.Baseline), float64(p.Last)
	}
	bs, ls := stat(b), stat(l)
	if d, ok := CohensD(bs, ls); ok && len(ps) >= 2 {
		d = round2(d)
		o.CohensD = &d
	}
	bs, ls = Stat{round2(bs.Mean), round2(bs.SD)}, Stat{round2(ls.Mean), round2(ls.SD)}
	o.Baseline, o.Last = &bs, &ls
	if !o.Validated || in == nil {
		return o
	}
	o.Caseness = in.Caseness
	if pts, ok := in.ReliableChangePoints(); ok {
		o.ReliableChange = &pts
	}
	var ri, rd, rec, rr int
	for _, p := range ps {
		c := in.Change(p.Baseline, p.Last)
		if wasCase, ok := in.IsCase(p.Baseline); ok && wasCase {
			o.CaseAtBaseline++
		}
		if c.ReliableImprovement {
			ri++
		}
		if c.ReliableDeterioration {
			rd++
		}
		if c.Recovery {
			rec++
		}
		if c.ReliableRecovery {
			rr++
		}
	}
	if o.ReliableChange != nil {
		s1, s2 := share(ri, len(ps)), share(rd, len(ps))
		o.ReliableImprovement, o.ReliableDeterioration = &s1, &s2
	}
	if o.Caseness != nil {
		s := share(rec, o.CaseAtBaseline)
		o.Recovery = &s
		if o.ReliableChange != nil {
			s := share(rr, o.CaseAtBaseline)
			o.ReliableRecovery = &s
		}
	}
	return o
}

// CohensD is the within-group effect size of a pre-post change: (mean
// baseline - mean last) / pooled SD, the pooled SD being
// sqrt((SD_baseline^2 + SD_last^2) / 2). ok is false when both SDs are 0.
func CohensD(baseline, last Stat) (float64, bool) {
	pooled := math.Sqrt((baseline.SD*baseline.SD + last.SD*last.SD) / 2)
	if pooled == 0 {
		return 0, false
	}
	return (baseline.Mean - last.Mean) / pooled, true
}

func risk(f *Facts) Risk {
	r := Risk{RiskFlags: riskFlags(f, f.Flags)}
	by := map[string][]Flag{}
	for _, fl := range f.Flags {
		by[fl.Source] = append(by[fl.Source], fl)
	}
	for _, s := range FlagSources {
		r.BySource = append(r.BySource, RiskSource{Source: s.Source, Label: s.Label, RiskFlags: riskFlags(f, by[s.Source])})
	}
	return r
}

func riskFlags(f *Facts, flags []Flag) RiskFlags {
	r := RiskFlags{Raised: len(flags)}
	var hours []float64
	same := 0
	for _, fl := range flags {
		if fl.AckedAt == nil {
			r.StillOpen++
			continue
		}
		r.Acknowledged++
		hours = append(hours, fl.AckedAt.Sub(fl.RaisedAt).Hours())
		if !fl.AckedAt.After(endOfWorkingDay(f, fl.RaisedAt)) {
			same++
		}
	}
	if m := median(hours); m != nil {
		v := round1(*m)
		r.MedianHoursToAck = &v
	}
	r.SameWorkingDay = share(same, r.Raised)
	return r
}

// endOfWorkingDay is the end of the working day a flag raised at t belongs
// to: the end of its own day if that is a working day, else the end of the
// next working day (by the store's working-time clock).
func endOfWorkingDay(f *Facts, t time.Time) time.Time {
	d := f.day(t)
	for i := 0; i < 14; i++ {
		next := d.AddDate(0, 0, 1)
		if f.WorkingTime(d, next) > 0 {
			return next
		}
		d = next
	}
	return d
}

// weekly counts referrals received and treatments started per week (from
// Monday, in the service's zone) over the period.
func weekly(f *Facts) []Week {
	monday := func(t time.Time) time.Time {
		d := f.day(t)
		back := (int(d.Weekday()) + 6) % 7
		return d.AddDate(0, 0, -back)
	}
	var weeks []Week
	idx := map[string]int{}
	for w := monday(f.From); w.Before(f.To); w = w.AddDate(0, 0, 7) {
		k := w.Format(time.DateOnly)
		idx[k] = len(weeks)
		weeks = append(weeks, Week{Start: k})
	}
	for _, r := range f.Referrals {
		if i, ok := idx[monday(r.ReceivedAt).Format(time.DateOnly)]; ok {
			weeks[i].Referrals++
		}
	}
	for _, e := range f.Enrollments {
		if !f.in(e.Start) || e.Status == "scheduled" {
			continue
		}
		if i, ok := idx[monday(e.Start).Format(time.DateOnly)]; ok {
			weeks[i].Starts++
		}
	}
	return weeks
}

// histogram counts values in bins of one from 0 to top-1, and top and more.
func histogram(vals []int, top int) []Bin {
	bins := make([]Bin, top+1)
	for i := range bins {
		bins[i] = Bin{Min: i, Max: i}
	}
	bins[top].Max = -1
	for _, v := range vals {
		bins[min(max(v, 0), top)].Count++
	}
	return bins
}

func dist(xs []float64) Dist {
	d := Dist{N: len(xs)}
	if len(xs) == 0 {
		return d
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := *median(s)
	m = round2(m)
	p := round2(percentile(s, 0.9))
	d.Median, d.P90 = &m, &p
	return d
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, q float64) float64 {
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}

// stat is the mean and the sample SD (n-1).
func stat(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	sd := 0.0
	if len(xs) > 1 {
		sd = math.Sqrt(ss / float64(len(xs)-1))
	}
	return Stat{Mean: mean, SD: sd}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }
