package store

import (
	"testing"
	"time"
)

// The go-ahead rule, case by case: the insomnia program's sleep restriction
// waits for the therapist once the health check is submitted.
func TestGoAheadRule(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-12-03 15:00"))
	sub := func(id, exercise, at string) triageSub {
		return triageSub{id: id, exercise: exercise, at: helsinki(at)}
	}
	for _, tc := range []struct {
		name      string
		program   string
		status    string
		submitted []triageSub
		decided   map[string]time.Time
		want      string // the reason's text; "" = none
		source    string
	}{
		{"no screening yet", "insomnia", EnrollmentActive, []triageSub{sub("s1", "sleep-diary", "2026-11-25 10:00")}, nil, "", ""},
		{"health check submitted, no decision", "insomnia", EnrollmentActive, []triageSub{sub("s2", "health-check", "2026-12-03 09:00")}, nil,
			"Health check before the sleep window submitted 3 Dec: sleep restriction (the sleep window) waits for your go-ahead", "s2"},
		{"decided after the submission", "insomnia", EnrollmentActive, []triageSub{sub("s2", "health-check", "2026-12-03 09:00")},
			map[string]time.Time{"sleep-restriction": helsinki("2026-12-03 11:00")}, "", ""},
		{"a new health check after the decision waits again", "insomnia", EnrollmentActive,
			[]triageSub{sub("s2", "health-check", "2026-12-01 09:00"), sub("s3", "health-check", "2026-12-03 09:00")},
			map[string]time.Time{"sleep-restriction": helsinki("2026-12-02 11:00")},
			"Health check before the sleep window submitted 3 Dec: sleep restriction (the sleep window) waits for your go-ahead", "s3"},
		{"a decision on another go-ahead does not count", "insomnia", EnrollmentActive, []triageSub{sub("s2", "health-check", "2026-12-03 09:00")},
			map[string]time.Time{"something-else": helsinki("2026-12-03 11:00")},
			"Health check before the sleep window submitted 3 Dec: sleep restriction (the sleep window) waits for your go-ahead", "s2"},
		{"scheduled: nothing yet", "insomnia", EnrollmentScheduled, []triageSub{sub("s2", "health-check", "2026-12-03 09:00")}, nil, "", ""},
		{"a program without go-aheads", "gad", EnrollmentActive, []triageSub{sub("s2", "health-check", "2026-12-03 09:00")}, nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := w.facts(tc.program, tc.status, "2026-11-16")
			f.submitted, f.goAheads = tc.submitted, tc.decided
			got := goAheadReasons(f, &w.env)
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("got %+v, want no reason", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d reasons (%+v), want 1", len(got), got)
			}
			r := got[0]
			if r.Text != tc.want || r.SourceID != tc.source || r.Code != ReasonGoAheadWaiting || r.Class != ClassOverdue || r.Badge != "GO-AHEAD?" {
				t.Errorf("got %s %s %q from %s (%s), want %q from %s", r.Class, r.Code, r.Text, r.SourceID, r.Badge, tc.want, tc.source)
			}
		})
	}
	// The rule runs with the others.
	f := w.facts("insomnia", EnrollmentActive, "2026-11-16")
	f.submitted = []triageSub{sub("s2", "health-check", "2026-12-03 09:00")}
	found := false
	for _, r := range evaluate(f, &w.env) {
		found = found || r.Code == ReasonGoAheadWaiting
	}
	if !found {
		t.Error("evaluate does not run the go-ahead rule")
	}
}
