package store

import (
	"strings"
	"testing"
	"time"

	"polku/programs"
	"polku/programs/builtin"
	"polku/store/riskphrase"
)

// ruleWorld is a fixed clock and the built-in definitions: the rules are
// tested without a store.
type ruleWorld struct {
	env   ruleEnv
	progs map[string]*programs.Program
	instr map[instrumentRef]*programs.Instrument
}

func newRuleWorld(t *testing.T, now time.Time) *ruleWorld {
	t.Helper()
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := &ruleWorld{progs: map[string]*programs.Program{}, instr: map[instrumentRef]*programs.Instrument{}}
	for _, p := range b.Programs() {
		w.progs[p.ID] = p
	}
	for _, in := range b.Instruments() {
		w.instr[instrumentRef{in.ID, in.Version}] = in
	}
	pol := DefaultPolicy()
	loc := pol.Location()
	w.env = ruleEnv{now: now, today: truncDay(now, loc), loc: loc, pol: pol, owner: "anna"}
	return w
}

func (w *ruleWorld) facts(program, status, start string, measures ...triageMeasure) *facts {
	p := w.progs[program]
	st, _ := time.ParseInLocation(time.DateOnly, start, w.env.loc)
	f := &facts{enrollmentID: "e1", status: status, program: p, start: st, end: st.AddDate(0, 0, 7*p.Weeks),
		finished: status == EnrollmentCompleted || status == EnrollmentDiscontinued, feedbackOn: map[string]bool{},
		acked: map[string]bool{}, instruments: w.instr, hits: map[string]riskphrase.Hit{}, measures: measures}
	return newFacts(f, time.Time{})
}

func helsinki(s string) time.Time {
	loc, _ := time.LoadLocation("Europe/Helsinki")
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, loc)
	return t
}

func TestFeedbackRuleCountsWorkingDays(t *testing.T) {
	for _, c := range []struct {
		name, submitted, now, want string
	}{
		{"due", "2026-11-23 10:00", "2026-11-24 10:00", "feedback due within 2 working days"},
		{"due today", "2026-11-23 10:00", "2026-11-25 09:00", "feedback due today by 10:00"},
		// The waiting count and the over-by count are both whole working
		// days, so they always differ by the promise.
		{"one day over", "2026-11-16 10:00", "2026-11-19 10:00", "submitted 16 Nov, 3 working days ago: 1 working day over the 2-working-day promise"},
		{"two days over", "2026-11-16 10:00", "2026-11-20 11:00", "submitted 16 Nov, 4 working days ago: 2 working days over the 2-working-day promise"},
		// Less than a day over says since when, not hours.
		{"over since this morning", "2026-11-16 10:00", "2026-11-18 15:00", "submitted 16 Nov, 2 working days ago: over the 2-working-day promise since 10:00 today"},
		{"over since Friday", "2026-11-18 16:00", "2026-11-23 09:00", "submitted 18 Nov, 2 working days ago: over the 2-working-day promise since 16:00 on 20 Nov"},
		// Christmas Eve, Christmas Day and the weekend do not count: from
		// Wednesday 23 Dec to Monday 28 Dec is one working day.
		{"over christmas", "2026-12-23 10:00", "2026-12-28 10:00", "feedback due within 2 working days"},
		{"after christmas", "2026-12-22 10:00", "2026-12-29 10:00", "3 working days ago: 1 working day over the 2-working-day promise"},
	} {
		w := newRuleWorld(t, helsinki(c.now))
		f := w.facts("gad", EnrollmentActive, "2026-11-02")
		f.submitted = []triageSub{{id: "s1", exercise: "my-goals", at: helsinki(c.submitted)}}
		rs := feedbackReasons(f, &w.env)
		if len(rs) != 1 || !strings.Contains(rs[0].Text, c.want) {
			t.Errorf("%s: %+v, want %q", c.name, rs, c.want)
		}
	}
}

func TestMessageRuleCountsLikeFeedback(t *testing.T) {
	for _, c := range []struct {
		name, sent, now, want string
	}{
		{"due", "2026-11-23 10:00", "2026-11-24 10:00", "1 message unanswered since 23 Nov, answer due within 2 working days"},
		{"due today", "2026-11-23 10:00", "2026-11-25 09:30", "1 message unanswered since 23 Nov, answer due today by 10:00"},
		{"one day over", "2026-11-16 10:00", "2026-11-19 10:00", "1 message unanswered since 16 Nov, 3 working days ago: 1 working day over the 2-working-day promise"},
		{"over since this morning", "2026-11-16 10:00", "2026-11-18 15:00", "1 message unanswered since 16 Nov, 2 working days ago: over the 2-working-day promise since 10:00 today"},
	} {
		w := newRuleWorld(t, helsinki(c.now))
		f := w.facts("gad", EnrollmentActive, "2026-11-02")
		f.messages = []triageMsg{{id: "m1", direction: DirectionIn, at: helsinki(c.sent)}}
		rs := messageReasons(f, &w.env)
		if len(rs) != 1 || rs[0].Text != c.want {
			t.Errorf("%s: %+v, want %q", c.name, rs, c.want)
		}
	}
}

func TestDeteriorationRuleSkipsNotValidatedScales(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-11-23 10:00"))
	at := helsinki("2026-11-02 10:00")
	m := func(id, instr string, week, total int) triageMeasure {
		return triageMeasure{id: id, instrument: instr, version: 1, week: week, total: total, at: at.AddDate(0, 0, 7*week)}
	}
	for _, c := range []struct {
		name     string
		measures []triageMeasure
		want     string // a reason code, or ""
	}{
		{"validated, reliable deterioration", []triageMeasure{m("a", "phq9", 0, 10), m("b", "phq9", 2, 17)}, ReasonDeterioration},
		{"validated, small rise", []triageMeasure{m("a", "phq9", 0, 10), m("b", "phq9", 2, 12)}, ""},
		{"validated, not on track", []triageMeasure{m("a", "phq9", 0, 16), m("b", "phq9", 1, 16), m("c", "phq9", 2, 16)}, ReasonNotOnTrack},
		{"validated, below caseness", []triageMeasure{m("a", "phq9", 0, 9), m("b", "phq9", 1, 9), m("c", "phq9", 2, 9)}, ""},
		{"not validated, steep rise", []triageMeasure{m("a", "sleep-check", 0, 2), m("b", "sleep-check", 1, 19), m("c", "sleep-check", 2, 20)}, ""},
	} {
		f := w.facts("insomnia", EnrollmentActive, "2026-11-02", c.measures...)
		rs := deteriorationReasons(f, &w.env)
		got := ""
		if len(rs) > 0 {
			got = rs[0].Code
			if rs[0].Validated == nil || !*rs[0].Validated {
				t.Errorf("%s: a score reason must say validated: %+v", c.name, rs[0])
			}
		}
		if got != c.want {
			t.Errorf("%s: %q (%+v), want %q", c.name, got, rs, c.want)
		}
	}
}

func TestPrimarySeriesPrefersValidated(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-11-23 10:00"))
	at := helsinki("2026-11-02 10:00")
	sleep := triageMeasure{id: "a", instrument: "sleep-check", version: 1, total: 8, at: at}
	phq := triageMeasure{id: "b", instrument: "phq9", version: 1, total: 8, at: at.Add(time.Hour)}
	// The insomnia program schedules the sleep check first; PHQ-9 is shown.
	if got := primarySeries(w.facts("insomnia", EnrollmentActive, "2026-11-02", sleep, phq)); got != "phq9" {
		t.Errorf("primary %q, want phq9", got)
	}
	// Only the not-validated scale answered: shown, marked by the caller.
	if got := primarySeries(w.facts("insomnia", EnrollmentActive, "2026-11-02", sleep)); got != "sleep-check" {
		t.Errorf("primary %q, want sleep-check", got)
	}
}

func TestRiskRuleOnFinishedEnrollment(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-11-23 10:00"))
	red := triageMeasure{id: "q1", instrument: "phq9", version: 1, week: 12, answers: []int{0, 0, 0, 0, 0, 0, 0, 0, 2}, total: 2, at: helsinki("2026-11-16 09:00")}
	f := w.facts("gad", EnrollmentCompleted, "2026-08-24", red)
	f.messages = []triageMsg{{id: "m1", direction: DirectionIn, at: helsinki("2026-11-17 09:00")}}
	f.hits["m1"] = riskphrase.Hit{Lang: "fi", Phrase: "itsemurh*", Found: "itsemurha"}
	rs := evaluate(f, &w.env)
	if len(rs) != 2 {
		t.Fatalf("finished enrollment: %+v, want the two risk flags only", rs)
	}
	for _, want := range []string{"answered 2 on 16 Nov", "from the completed enrollment", "anna's as the last therapist assigned"} {
		if !strings.Contains(rs[0].Text, want) {
			t.Errorf("%q lacks %q", rs[0].Text, want)
		}
	}
	if !strings.Contains(rs[1].Text, `"itsemurha" (fi list phrase "itsemurh*")`) || !rs[1].Heuristic {
		t.Errorf("phrase reason %+v", rs[1])
	}
	// Acknowledged sources raise nothing.
	f.acked["q1"], f.acked["m1"] = true, true
	if rs := evaluate(f, &w.env); len(rs) != 0 {
		t.Errorf("acknowledged: %+v", rs)
	}
}

func TestStartingRuleSaysDaysOverThePromise(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-11-23 10:00"))
	f := w.facts("gad", EnrollmentScheduled, "2026-11-30")
	received := helsinki("2026-11-10 12:00")
	f.referral = &received
	rs := startingReasons(f, &w.env)
	if len(rs) != 1 || !strings.Contains(rs[0].Text, "8 working days ago: start 3 working days over the 5-working-day start promise") {
		t.Errorf("%+v", rs)
	}
}

func TestStartBadgeNeverCountsBelowZero(t *testing.T) {
	for _, c := range []struct {
		days int
		want string
	}{{0, "START today"}, {2, "START in 2d"}, {-1, "START 1d late"}, {-9, "START 9d late"}} {
		if got := startBadge(c.days); got != c.want {
			t.Errorf("startBadge(%d) = %q, want %q", c.days, got, c.want)
		}
		if strings.Contains(startBadge(c.days), "-") {
			t.Errorf("startBadge(%d) has a minus sign", c.days)
		}
	}
}

func TestInactiveRuleSkipsPausedTime(t *testing.T) {
	// Last activity on 2 Nov; today 23 Nov: 21 idle days, less what was paused.
	last := triageMeasure{id: "q1", instrument: "gad7", version: 1, week: 1, answers: []int{1, 1, 1, 1, 1, 1, 1}, total: 7, at: helsinki("2026-11-02 10:00")}
	for _, c := range []struct {
		name   string
		paused bool
		pauses []pauseSpan
		want   string // "" for no reason
	}{
		{"never paused", false, nil, "No activity for 21 days"},
		{"paused now", true, []pauseSpan{{from: helsinki("2026-11-05 09:00")}}, ""},
		{"paused 10 days, resumed", false, []pauseSpan{{from: helsinki("2026-11-05 09:00"), to: helsinki("2026-11-15 09:00")}}, "No activity for 11 days"},
		{"paused 16 days, resumed", false, []pauseSpan{{from: helsinki("2026-11-04 09:00"), to: helsinki("2026-11-20 09:00")}}, ""},
		{"pause before the last activity", false, []pauseSpan{{from: helsinki("2026-10-20 09:00"), to: helsinki("2026-10-30 09:00")}}, "No activity for 21 days"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newRuleWorld(t, helsinki("2026-11-23 10:00"))
			f := w.facts("gad", EnrollmentActive, "2026-10-26", last)
			f.paused, f.pauses = c.paused, c.pauses
			rs := inactiveReasons(f, &w.env)
			switch {
			case c.want == "" && len(rs) != 0:
				t.Errorf("want no inactivity, got %+v", rs)
			case c.want != "" && (len(rs) != 1 || !strings.Contains(rs[0].Text, c.want)):
				t.Errorf("want %q, got %+v", c.want, rs)
			}
		})
	}
}

func TestStartingRuleSilentWhilePaused(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-11-23 10:00"))
	f := w.facts("gad", EnrollmentScheduled, "2026-11-30")
	received := helsinki("2026-11-10 12:00")
	f.referral = &received
	f.paused = true
	if rs := startingReasons(f, &w.env); len(rs) != 0 {
		t.Errorf("a paused start is not overdue: %+v", rs)
	}
}

func TestFollowUpRule(t *testing.T) {
	end := triageMeasure{id: "q1", instrument: "gad7", version: 1, week: 12, answers: []int{1, 1, 1, 1, 1, 0, 0}, total: 5, at: helsinki("2026-08-20 10:00")}
	worse := triageMeasure{id: "q2", instrument: "gad7", version: 1, week: 24, answers: []int{2, 2, 2, 2, 2, 1, 1}, total: 12, at: helsinki("2026-11-18 10:00")}
	for _, c := range []struct {
		name     string
		status   string
		due      string
		measures []triageMeasure
		signed   string
		want     []string // texts the one reason has; nil for none
		code     string
	}{
		{"no follow-up set", EnrollmentCompleted, "", []triageMeasure{end}, "", nil, ""},
		{"not yet due", EnrollmentCompleted, "2026-11-30", []triageMeasure{end}, "", nil, ""},
		{"due", EnrollmentCompleted, "2026-11-12", []triageMeasure{end}, "", []string{"Follow-up due since 12 Nov", "GAD-7", "12 weeks after the end on 20 Aug"}, ReasonFollowUpDue},
		{"answered: the change since the end", EnrollmentCompleted, "2026-11-12", []triageMeasure{end, worse}, "",
			[]string{"Follow-up answered on 18 Nov", "GAD-7 5 at the end, 12 at follow-up (+7, threshold 4: reliable deterioration)"}, ReasonFollowUpAnswered},
		{"answered, summary signed after", EnrollmentCompleted, "2026-11-12", []triageMeasure{end, worse}, "2026-11-19 10:00", nil, ""},
		{"answered, summary signed before", EnrollmentCompleted, "2026-11-12", []triageMeasure{end, worse}, "2026-08-21 10:00", []string{"Follow-up answered"}, ReasonFollowUpAnswered},
		{"discontinued", EnrollmentDiscontinued, "", []triageMeasure{end}, "", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newRuleWorld(t, helsinki("2026-11-23 10:00"))
			f := w.facts("gad", c.status, "2026-05-28", c.measures...)
			f.ended, _ = time.ParseInLocation(time.DateOnly, "2026-08-20", w.env.loc)
			if c.due != "" {
				f.followUpDue, _ = time.ParseInLocation(time.DateOnly, c.due, w.env.loc)
			}
			if c.signed != "" {
				f.signed = helsinki(c.signed)
			}
			rs := evaluate(f, &w.env)
			if c.want == nil {
				if len(rs) != 0 {
					t.Errorf("want nothing, got %+v", rs)
				}
				return
			}
			if len(rs) != 1 || rs[0].Class != ClassFollowUp || rs[0].Code != c.code {
				t.Fatalf("want one %s reason, got %+v", c.code, rs)
			}
			for _, want := range c.want {
				if !strings.Contains(rs[0].Text, want) {
					t.Errorf("%q lacks %q", rs[0].Text, want)
				}
			}
		})
	}
}
