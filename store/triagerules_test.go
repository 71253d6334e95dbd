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
		{"one day over", "2026-11-16 10:00", "2026-11-19 10:00", "waiting 3 working days: feedback 1 working day over the 2-working-day promise"},
		{"hours over", "2026-11-16 10:00", "2026-11-18 15:00", "feedback 5 working hours over the 2-working-day promise"},
		// Christmas Eve, Christmas Day and the weekend do not count: from
		// Wednesday 23 Dec to Monday 28 Dec is one working day.
		{"over christmas", "2026-12-23 10:00", "2026-12-28 10:00", "feedback due within 2 working days"},
		{"after christmas", "2026-12-22 10:00", "2026-12-29 10:00", "waiting 3 working days: feedback 1 working day over"},
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
