package store

import (
	"fmt"

	"polku/internal/i18n"
	"polku/programs"
)

// ReasonGoAheadWaiting: a screening is submitted and the step it guards
// waits for the therapist's go-ahead.
const ReasonGoAheadWaiting = "go-ahead-waiting"

// goAheadReasons: for each go-ahead the program declares, once the patient
// has submitted its screening worksheet and no decision is recorded since
// the newest submission of it, the step waits for the therapist. The
// patient is blocked until then (the module says not to start without the
// go-ahead), so it ranks with overdue feedback, whatever the clock says
// (docs/clinical.md, "Go-ahead").
func goAheadReasons(f *facts, e *ruleEnv) []Reason {
	if f.status != EnrollmentActive {
		return nil
	}
	var out []Reason
	for _, g := range f.program.GoAhead {
		var latest *triageSub
		for i := range f.submitted {
			if s := &f.submitted[i]; s.exercise == g.Screening && (latest == nil || !s.at.Before(latest.at)) {
				latest = s
			}
		}
		if latest == nil {
			continue
		}
		if at, ok := f.goAheads[g.ID]; ok && !at.Before(latest.at) {
			continue
		}
		out = append(out, Reason{Class: ClassOverdue, Code: ReasonGoAheadWaiting, Since: latest.at, SourceType: RiskSourceSubmit, SourceID: latest.id,
			Text:     fmt.Sprintf("%s submitted %s: %s waits for your go-ahead", exerciseTitle(f.program, g.Screening), e.day(latest.at), g.What),
			Badge:    "GO-AHEAD?",
			Msg:      i18n.Msg("store.reason.go_ahead_waiting", "Exercise", exerciseTitleArg(f.program, g.Screening), "Date", e.d(latest.at), "What", goAheadWhatArg(f.program, g.ID, g.What)),
			BadgeMsg: i18n.Msg("store.badge.go_ahead_waiting")})
	}
	return out
}

// goAheadWhatArg is what a go-ahead lets start, as a message argument: in
// the reader's language where the program has a translation (RenderMessage
// picks it), else the program's own words.
func goAheadWhatArg(p *programs.Program, id, own string) any {
	t := contentTitles(p, func(q *programs.Program) (string, bool) {
		for _, g := range q.GoAhead {
			if g.ID == id && g.What != "" {
				return g.What, true
			}
		}
		return "", false
	})
	if t == nil {
		return own
	}
	return t
}
