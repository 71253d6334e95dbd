package store

// The queue's rules, one function per class, each pure: it reads the facts
// the store loaded about one enrollment, the clock and the policy, and
// returns reasons. No context, transaction or query in here. Every rule is
// written out for clinicians in docs/clinical.md; keep the two in step.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store/riskphrase"
)

// facts is what the rules know about one enrollment.
type facts struct {
	enrollmentID string
	status       string
	program      *programs.Program
	start, end   time.Time // start date and planned end, midnight in the service's zone
	finished     bool      // completed or discontinued: only its risk flags count
	referral     *time.Time
	submitted    []triageSub
	feedbackOn   map[string]bool
	messages     []triageMsg
	diaries      []triageDiary
	posts        []triageMsg // held group posts
	measures     []triageMeasure
	acked        map[string]bool                        // acknowledged sources of the patient
	instruments  map[instrumentRef]*programs.Instrument // every version the measures name
	hits         map[string]riskphrase.Hit              // risk phrase found in a text, by its id (texts without one are absent)
	paused       bool                                   // paused now
	pauses       []pauseSpan                            // every pause, oldest first (an open one has no end)
	ended        time.Time                              // the day it was completed or discontinued (zero: not ended)
	followUpDue  time.Time                              // the day the follow-up is due (zero: none)
	signed       time.Time                              // when the newest discharge summary was signed (zero: none)
	goAheads     map[string]time.Time                   // newest go-ahead decision by the program's go-ahead id

	// Derived by newFacts.
	last       time.Time                  // last patient activity
	series     map[string][]triageMeasure // by instrument, oldest first
	answered   []string                   // instruments in the order first answered
	superseded map[string]bool            // submissions replaced by a newer one
}

// newFacts derives what several rules share.
func newFacts(f *facts, lastDiary time.Time) *facts {
	f.last = lastDiary
	for _, s := range f.submitted {
		if s.at.After(f.last) {
			f.last = s.at
		}
	}
	for _, m := range f.messages {
		if m.direction == DirectionIn && m.at.After(f.last) {
			f.last = m.at
		}
	}
	f.series = map[string][]triageMeasure{}
	for _, m := range f.measures {
		if m.at.After(f.last) {
			f.last = m.at
		}
		if _, seen := f.series[m.instrument]; !seen {
			f.answered = append(f.answered, m.instrument)
		}
		f.series[m.instrument] = append(f.series[m.instrument], m)
	}
	f.superseded = map[string]bool{}
	for _, s := range f.submitted {
		if s.supersedes != "" {
			f.superseded[s.supersedes] = true
		}
	}
	return f
}

// instrumentRef names one version of an instrument.
type instrumentRef struct {
	id      string
	version int
}

func (f *facts) instrument(id string, version int) *programs.Instrument {
	return f.instruments[instrumentRef{id, version}]
}

// latest is the newest version of an instrument the patient answered.
func (f *facts) latest(id string) *programs.Instrument {
	ms := f.series[id]
	return f.instrument(id, ms[len(ms)-1].version)
}

// ruleEnv is the clock and the policy the rules apply.
type ruleEnv struct {
	now   time.Time
	today time.Time // midnight today in loc
	loc   *time.Location
	pol   Policy
	owner string  // the queue's therapist: who owns the flags of finished enrollments in it
	days  dayMemo // working days already asked about (nil: none kept)
}

func (e *ruleEnv) day(t time.Time) string { return t.In(e.loc).Format("2 Jan") }

// d is a date argument of a message, in the rules' location.
func (e *ruleEnv) d(t time.Time) dayArg { return day(t, e.loc) }

// A rule turns facts into reasons.
type rule func(f *facts, e *ruleEnv) []Reason

// rules run in this order on an active or scheduled enrollment; a
// finished one gets riskReasons and followUpReasons only.
var rules = []rule{riskReasons, feedbackReasons, messageReasons, deteriorationReasons, inactiveReasons, endingReasons, startingReasons, goAheadReasons}

// riskReasons: every critical-item answer (PHQ-9 item 9 above 0) and every
// patient text with a risk phrase that is not yet acknowledged, whatever
// became of the enrollment.
func riskReasons(f *facts, e *ruleEnv) []Reason {
	var out []Reason
	origin, originMsg := "", any("")
	if f.finished {
		originMsg = i18n.Msg("store.reason.origin", "Status", i18n.Msg("store.reason.origin_status."+f.status), "Program", f.program.Title,
			"Date", e.d(f.end), "Owner", e.owner)
		origin = fmt.Sprintf("; from the %s enrollment in %s (planned end %s): the flag stays until acknowledged and is %s's as the last therapist assigned (the team supervisor's when nobody is)",
			f.status, f.program.Title, e.day(f.end), e.owner)
	}
	for _, m := range f.measures {
		if f.acked[m.id] {
			continue
		}
		in := f.instrument(m.instrument, m.version)
		v := isValidated(in)
		for _, hit := range in.CriticalHits(m.answers) {
			out = append(out, Reason{Class: ClassRisk, Code: ReasonCriticalItem, Level: hit.Level, Since: m.at, SourceType: RiskSourceMeasure, SourceID: m.id,
				EnrollmentID: f.enrollmentID, Validated: &v,
				Text:  fmt.Sprintf("%s%s item %s answered %d on %s, not yet acknowledged (%s)%s", in.Name(), notValidatedNote(in), hit.Item, hit.Answer, e.day(m.at), hit.Label, origin),
				Badge: fmt.Sprintf("RISK %s#%s=%d", in.Name(), hit.Item, hit.Answer),
				Msg: i18n.Msg("store.reason.critical_item", "Scale", in.Name(), "NotValidated", notValidatedMsg(in), "Item", hit.Item, "Answer", hit.Answer,
					"Date", e.d(m.at), "Label", hit.Label, "Origin", originMsg),
				BadgeMsg: i18n.Msg("store.badge.risk", "Scale", in.Name(), "Item", hit.Item, "Answer", hit.Answer)})
		}
	}
	phrase := func(h riskphrase.Hit) string {
		form := h.Form // the phrase with its alternatives chosen
		if form == "" {
			form = h.Phrase
		}
		if h.Found == form {
			return fmt.Sprintf("%q (%s list)", h.Found, h.Lang)
		}
		return fmt.Sprintf("%q (%s list phrase %q)", h.Found, h.Lang, form)
	}
	phraseMsg := func(h riskphrase.Hit) i18n.Message {
		form := h.Form
		if form == "" {
			form = h.Phrase
		}
		if h.Found == form {
			return i18n.Msg("store.reason.phrase", "Found", strconv.Quote(h.Found), "List", h.Lang)
		}
		return i18n.Msg("store.reason.phrase_form", "Found", strconv.Quote(h.Found), "List", h.Lang, "Form", strconv.Quote(form))
	}
	for _, m := range f.messages {
		if m.direction != DirectionIn || f.acked[m.id] {
			continue
		}
		if h := f.hits[m.id]; h.Phrase != "" {
			out = append(out, Reason{Class: ClassRisk, Code: ReasonRiskPhrase, Level: programs.LevelAmber, Heuristic: true, Since: m.at, SourceType: RiskSourceMessage, SourceID: m.id,
				EnrollmentID: f.enrollmentID, Phrase: h.Phrase, Lang: h.Lang,
				Text:     fmt.Sprintf("Possible risk (word-list heuristic, can be wrong): message of %s contains %s, not yet acknowledged%s", e.day(m.at), phrase(h), origin),
				Badge:    "RISK? msg",
				Msg:      i18n.Msg("store.reason.risk_message", "Date", e.d(m.at), "Phrase", phraseMsg(h), "Origin", originMsg),
				BadgeMsg: i18n.Msg("store.badge.risk_message")})
		}
	}
	for _, m := range f.posts {
		if h := f.hits[m.id]; h.Phrase != "" && !f.acked[m.id] {
			out = append(out, Reason{Class: ClassRisk, Code: ReasonRiskPhrase, Level: programs.LevelAmber, Heuristic: true, Since: m.at, SourceType: RiskSourcePost, SourceID: m.id,
				EnrollmentID: f.enrollmentID, Phrase: h.Phrase, Lang: h.Lang,
				Text:     fmt.Sprintf("Possible risk (word-list heuristic, can be wrong): peer-group post of %s, held from the group, contains %s, not yet acknowledged%s", e.day(m.at), phrase(h), origin),
				Badge:    "RISK? post",
				Msg:      i18n.Msg("store.reason.risk_post", "Date", e.d(m.at), "Phrase", phraseMsg(h), "Origin", originMsg),
				BadgeMsg: i18n.Msg("store.badge.risk_post")})
		}
	}
	for _, s := range f.submitted {
		if f.acked[s.id] {
			continue
		}
		if h := f.hits[s.id]; h.Phrase != "" {
			out = append(out, Reason{Class: ClassRisk, Code: ReasonRiskPhrase, Level: programs.LevelAmber, Heuristic: true, Since: s.at, SourceType: RiskSourceSubmit, SourceID: s.id,
				EnrollmentID: f.enrollmentID, Phrase: h.Phrase, Lang: h.Lang,
				Text:     fmt.Sprintf("Possible risk (word-list heuristic, can be wrong): exercise '%s' of %s contains %s, not yet acknowledged%s", exerciseTitle(f.program, s.exercise), e.day(s.at), phrase(h), origin),
				Badge:    "RISK? ex",
				Msg:      i18n.Msg("store.reason.risk_exercise", "Exercise", exerciseTitleArg(f.program, s.exercise), "Date", e.d(s.at), "Phrase", phraseMsg(h), "Origin", originMsg),
				BadgeMsg: i18n.Msg("store.badge.risk_exercise")})
		}
	}
	for _, d := range f.diaries {
		if h := f.hits[d.id]; h.Phrase != "" && !f.acked[d.id] {
			out = append(out, Reason{Class: ClassRisk, Code: ReasonRiskPhrase, Level: programs.LevelAmber, Heuristic: true, Since: d.at, SourceType: RiskSourceDiary, SourceID: d.id,
				EnrollmentID: f.enrollmentID, Phrase: h.Phrase, Lang: h.Lang,
				Text:     fmt.Sprintf("Possible risk (word-list heuristic, can be wrong): diary '%s' entry of %s contains %s, not yet acknowledged%s", exerciseTitle(f.program, d.exercise), e.day(d.at), phrase(h), origin),
				Badge:    "RISK? diary",
				Msg:      i18n.Msg("store.reason.risk_diary", "Exercise", exerciseTitleArg(f.program, d.exercise), "Date", e.d(d.at), "Phrase", phraseMsg(h), "Origin", originMsg),
				BadgeMsg: i18n.Msg("store.badge.risk_diary")})
		}
	}
	return out
}

// promise is the feedback promise as a duration of working time, and in words.
func promise(e *ruleEnv) (time.Duration, string) {
	return time.Duration(e.pol.FeedbackWorkingDays) * 24 * time.Hour, fmt.Sprintf("the %d-working-day promise", e.pol.FeedbackWorkingDays)
}

// feedbackReasons: each submission without feedback (and not replaced by
// a newer one) is due, and overdue once it has waited longer than the
// promise in working time.
func feedbackReasons(f *facts, e *ruleEnv) []Reason {
	var out []Reason
	limit, words := promise(e)
	for _, s := range f.submitted {
		if f.feedbackOn[s.id] || f.superseded[s.id] {
			continue
		}
		waited := workingTime(s.at, e.now, e.loc)
		title := exerciseTitle(f.program, s.exercise)
		days := WorkingDays(s.at, e.now, e.loc)
		if waited > limit {
			out = append(out, Reason{Class: ClassOverdue, Code: ReasonFeedbackOverdue, Since: s.at, SourceType: RiskSourceSubmit, SourceID: s.id,
				Text:     fmt.Sprintf("Exercise '%s' submitted %s, %s", title, e.day(s.at), e.lateness(s.at, limit, words)),
				Badge:    fmt.Sprintf("FB %dd!", days),
				Msg:      i18n.Msg("store.reason.feedback_overdue", "Exercise", exerciseTitleArg(f.program, s.exercise), "Date", e.d(s.at), "Late", e.latenessMsg(s.at, limit)),
				BadgeMsg: i18n.Msg("store.badge.feedback_overdue", "Days", days)})
		} else {
			out = append(out, Reason{Class: ClassDue, Code: ReasonFeedbackDue, Since: s.at, SourceType: RiskSourceSubmit, SourceID: s.id,
				Text:     fmt.Sprintf("Exercise '%s' submitted %s, feedback due %s", title, e.day(s.at), e.dueWithin(s.at, limit)),
				Badge:    "FB " + shortAge(e.now.Sub(s.at)),
				Msg:      i18n.Msg("store.reason.feedback_due", "Exercise", exerciseTitleArg(f.program, s.exercise), "Date", e.d(s.at), "Due", e.dueWithinMsg(s.at, limit)),
				BadgeMsg: i18n.Msg("store.badge.feedback_due", "Age", shortAgeMsg(e.now.Sub(s.at)))})
		}
	}
	return out
}

// messageReasons: patient messages after the therapist's last one are
// unanswered; the clock runs from the oldest of them, like feedback.
func messageReasons(f *facts, e *ruleEnv) []Reason {
	var unanswered []triageMsg
	for _, m := range f.messages {
		if m.direction == DirectionOut {
			unanswered = unanswered[:0]
		} else {
			unanswered = append(unanswered, m)
		}
	}
	if len(unanswered) == 0 {
		return nil
	}
	limit, words := promise(e)
	oldest := unanswered[0]
	waited := workingTime(oldest.at, e.now, e.loc)
	days := WorkingDays(oldest.at, e.now, e.loc)
	n := plural(len(unanswered), "message", "messages")
	if waited > limit {
		return []Reason{{Class: ClassOverdue, Code: ReasonMessageOverdue, Since: oldest.at, SourceType: RiskSourceMessage, SourceID: oldest.id,
			Text:     fmt.Sprintf("%s unanswered since %s, %s", n, e.day(oldest.at), e.lateness(oldest.at, limit, words)),
			Badge:    fmt.Sprintf("MSG %d %dd!", len(unanswered), days),
			Msg:      i18n.Msg("store.reason.message_overdue", "Count", len(unanswered), "Date", e.d(oldest.at), "Late", e.latenessMsg(oldest.at, limit)),
			BadgeMsg: i18n.Msg("store.badge.message_overdue", "N", len(unanswered), "Days", days)}}
	}
	return []Reason{{Class: ClassDue, Code: ReasonMessageDue, Since: oldest.at, SourceType: RiskSourceMessage, SourceID: oldest.id,
		Text:     fmt.Sprintf("%s unanswered since %s, answer due %s", n, e.day(oldest.at), e.dueWithin(oldest.at, limit)),
		Badge:    fmt.Sprintf("MSG %d", len(unanswered)),
		Msg:      i18n.Msg("store.reason.message_due", "Count", len(unanswered), "Date", e.d(oldest.at), "Due", e.dueWithinMsg(oldest.at, limit)),
		BadgeMsg: i18n.Msg("store.badge.message_due", "N", len(unanswered))}}
}

// deteriorationReasons: per validated instrument with two or more scores,
// reliable deterioration from the baseline; otherwise, at caseness or
// above, not on track. A scale that is not validated has no known reliable
// change or expected curve and raises neither.
func deteriorationReasons(f *facts, e *ruleEnv) []Reason {
	var out []Reason
	yes := true
	for _, id := range f.answered {
		ms := f.series[id]
		in := f.latest(id)
		if len(ms) < 2 || !isValidated(in) {
			continue
		}
		base, cur := ms[0], ms[len(ms)-1]
		ch := in.Change(base.total, cur.total)
		if ch.ReliableDeterioration {
			out = append(out, Reason{Class: ClassDeterioration, Code: ReasonDeterioration, Since: cur.at, SourceType: RiskSourceMeasure, SourceID: cur.id, Validated: &yes,
				Text:     fmt.Sprintf("%s rose from %d to %d since baseline (reliable deterioration: +%d, threshold %d)", in.Name(), base.total, cur.total, ch.Delta, ch.Threshold),
				Badge:    fmt.Sprintf("%s +%d", in.Name(), ch.Delta),
				Msg:      i18n.Msg("store.reason.deterioration", "Scale", in.Name(), "From", base.total, "To", cur.total, "Delta", ch.Delta, "Threshold", ch.Threshold),
				BadgeMsg: i18n.Msg("store.badge.deterioration", "Scale", in.Name(), "Delta", ch.Delta)})
			continue
		}
		// Below the caseness cut-off the patient is in the non-clinical
		// range: no not-on-track signal, whatever the curve says.
		if isCase, hasCut := in.IsCase(cur.total); hasCut && !isCase {
			continue
		}
		totals := make([]int, len(ms))
		for i, m := range ms {
			totals[i] = m.total
		}
		week := max(cur.week, 1)
		rule := e.pol.NotOnTrack
		if off, expected, ok := programs.NotOnTrack(totals, week, f.program.Weeks, rule.ExpectedImprovementPct/100, rule.MinScores); ok && off {
			out = append(out, Reason{Class: ClassDeterioration, Code: ReasonNotOnTrack, Since: cur.at, SourceType: RiskSourceMeasure, SourceID: cur.id, Validated: &yes,
				Text: fmt.Sprintf("Not on track: %s is %d in week %d, expected below %.1f (baseline %d; local rule: %.0f%% improvement over %d weeks)",
					in.Name(), cur.total, week, expected, base.total, rule.ExpectedImprovementPct, f.program.Weeks),
				Badge: in.Name() + " off",
				Msg: i18n.Msg("store.reason.not_on_track", "Scale", in.Name(), "Total", cur.total, "Week", week, "Expected", numArg{expected, 1},
					"Base", base.total, "Pct", numArg{rule.ExpectedImprovementPct, 0}, "Count", f.program.Weeks),
				BadgeMsg: i18n.Msg("store.badge.not_on_track", "Scale", in.Name())})
		}
	}
	return out
}

// inactiveReasons: an active patient with no activity (submission,
// message, measure, diary) for the policy's days, counted from the start
// when there was none since.
//
// Paused time does not count: a paused patient raises nothing, and the
// days a pause took since the last activity are taken off.
func inactiveReasons(f *facts, e *ruleEnv) []Reason {
	if f.status != EnrollmentActive || f.paused {
		return nil
	}
	since := f.last
	if since.IsZero() || since.Before(f.start) {
		since = f.start
	}
	from := truncDay(since, e.loc)
	paused := pausedBetween(f.pauses, from, e.today)
	idle := e.today.Sub(from) - paused
	if idle < time.Duration(e.pol.InactiveDays)*24*time.Hour {
		return nil
	}
	days := int(idle.Hours() / 24)
	note, noteMsg := "", any("")
	if pd := int(paused.Hours() / 24); pd > 0 {
		note = fmt.Sprintf("; %s paused not counted", plural(pd, "day", "days"))
		noteMsg = i18n.Msg("store.reason.paused_note", "Count", pd)
	}
	text := fmt.Sprintf("No activity for %d days (last on %s%s)", days, e.day(since), note)
	msg := i18n.Msg("store.reason.inactive", "Count", days, "Date", e.d(since), "Note", noteMsg)
	if f.last.IsZero() || f.last.Before(f.start) {
		text = fmt.Sprintf("No activity since the start on %s, %d days ago%s", e.day(f.start), days, note)
		msg = i18n.Msg("store.reason.inactive_since_start", "Count", days, "Date", e.d(f.start), "Note", noteMsg)
	}
	return []Reason{{Class: ClassInactive, Code: ReasonInactive, Since: since, Text: text, Badge: fmt.Sprintf("IDLE %dd", days),
		Msg: msg, BadgeMsg: i18n.Msg("store.badge.inactive", "Days", days)}}
}

// endingReasons: the planned end is within the policy's days, or past
// (then: complete or extend, or final scores are missing).
func endingReasons(f *facts, e *ruleEnv) []Reason {
	if f.status != EnrollmentActive {
		return nil
	}
	left := int(f.end.Sub(e.today).Hours() / 24)
	switch {
	case left < 0:
		finalWeek := 0
		for _, s := range f.program.Schedule {
			for _, w := range s.Weeks {
				finalWeek = max(finalWeek, w)
			}
		}
		final := false
		for _, m := range f.measures {
			if m.week >= finalWeek && finalWeek > 0 {
				final = true
			}
		}
		text := fmt.Sprintf("Program ended on %s, %d days ago: complete or extend the enrollment", e.day(f.end), -left)
		msg := i18n.Msg("store.reason.ended", "Date", e.d(f.end), "Count", -left)
		if !final && finalWeek > 0 {
			text = fmt.Sprintf("Program ended on %s without final scores (week %d)", e.day(f.end), finalWeek)
			msg = i18n.Msg("store.reason.ended_no_final", "Date", e.d(f.end), "Week", finalWeek)
		}
		return []Reason{{Class: ClassEnding, Code: ReasonEnded, Since: f.end, Text: text, Badge: "ENDED",
			Msg: msg, BadgeMsg: i18n.Msg("store.badge.ended")}}
	case left <= e.pol.EndingDays:
		return []Reason{{Class: ClassEnding, Code: ReasonEndingSoon, Since: f.end, Text: fmt.Sprintf("Program ends on %s, in %s", e.day(f.end), plural(left, "day", "days")),
			Badge:    fmt.Sprintf("ENDS %dd", left),
			Msg:      i18n.Msg("store.reason.ending_soon", "Date", e.d(f.end), "Count", left),
			BadgeMsg: i18n.Msg("store.badge.ending_soon", "Days", left)}}
	}
	return nil
}

// pausedBetween is how much of [from, to) the pauses cover (an open pause
// runs to to).
func pausedBetween(pauses []pauseSpan, from, to time.Time) time.Duration {
	var d time.Duration
	for _, p := range pauses {
		a, b := p.from, p.to
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

// startingReasons: an active patient without a welcome message (no
// message from the therapist yet); a scheduled one against the start
// promise, counted in working days from the referral's arrival. A paused
// treatment raises neither.
func startingReasons(f *facts, e *ruleEnv) []Reason {
	if f.paused {
		return nil
	}
	switch f.status {
	case EnrollmentActive:
		for _, m := range f.messages {
			if m.direction == DirectionOut {
				return nil
			}
		}
		days := int(e.today.Sub(f.start).Hours() / 24)
		return []Reason{{Class: ClassStarting, Code: ReasonNoWelcome, Since: f.start,
			Text: fmt.Sprintf("No welcome message yet (started %s, %s ago)", e.day(f.start), plural(days, "day", "days")), Badge: "WELCOME",
			Msg: i18n.Msg("store.reason.no_welcome", "Date", e.d(f.start), "Count", days), BadgeMsg: i18n.Msg("store.badge.no_welcome")}}
	case EnrollmentScheduled:
		received := f.start
		if f.referral != nil {
			received = *f.referral
		}
		days := WorkingDays(received, e.now, e.loc)
		due := AddWorkingDays(received, e.pol.StartDays, e.loc)
		text := fmt.Sprintf("Referral received %s, %s ago; start promised within %d working days (by %s)", e.day(received), plural(days, "working day", "working days"), e.pol.StartDays, e.day(due))
		msg := i18n.Msg("store.reason.start_due", "Date", e.d(received), "Ago", i18n.Msg("store.reason.working_days_ago", "Count", days),
			"Count", e.pol.StartDays, "Due", e.d(due))
		if days > e.pol.StartDays {
			text = fmt.Sprintf("Referral received %s, %s ago: start %s over the %d-working-day start promise", e.day(received), plural(days, "working day", "working days"), plural(days-e.pol.StartDays, "working day", "working days"), e.pol.StartDays)
			msg = i18n.Msg("store.reason.start_over", "Date", e.d(received), "Ago", i18n.Msg("store.reason.working_days_ago", "Count", days),
				"Over", i18n.Msg("store.reason.working_days_over", "Count", days-e.pol.StartDays), "Count", e.pol.StartDays)
		}
		toStart := int(f.start.Sub(e.today).Hours() / 24)
		return []Reason{{Class: ClassStarting, Code: ReasonStartDue, Since: received, Text: text, Badge: startBadge(toStart),
			Msg: msg, BadgeMsg: startBadgeMsg(toStart)}}
	}
	return nil
}

// startBadge names a scheduled start by its date, as the workbench does:
// "START today", "START in 2d", "START 3d late"; never a negative count.
func startBadge(daysToStart int) string {
	switch {
	case daysToStart == 0:
		return "START today"
	case daysToStart > 0:
		return fmt.Sprintf("START in %dd", daysToStart)
	}
	return fmt.Sprintf("START %dd late", -daysToStart)
}

// startBadgeMsg is startBadge as a message.
func startBadgeMsg(daysToStart int) i18n.Message {
	switch {
	case daysToStart == 0:
		return i18n.Msg("store.badge.start_today")
	case daysToStart > 0:
		return i18n.Msg("store.badge.start_in", "Days", daysToStart)
	}
	return i18n.Msg("store.badge.start_late", "Days", -daysToStart)
}

// followUpReasons: a completed treatment with a follow-up is due from
// the follow-up date until the patient answers an instrument after the
// end; then the change since the end (the last score of the treatment
// against the first after it, with reliable change on validated scales)
// is shown until a discharge summary is signed after the answer.
func followUpReasons(f *facts, e *ruleEnv) []Reason {
	if f.status != EnrollmentCompleted || f.followUpDue.IsZero() || f.ended.IsZero() {
		return nil
	}
	afterEnd := f.ended.AddDate(0, 0, 1)
	var firstAfter time.Time
	endOf, followOf := map[string]triageMeasure{}, map[string]triageMeasure{}
	for _, m := range f.measures { // oldest first
		if m.at.Before(afterEnd) {
			endOf[m.instrument] = m
			continue
		}
		if _, ok := followOf[m.instrument]; !ok {
			followOf[m.instrument] = m
		}
		if firstAfter.IsZero() {
			firstAfter = m.at
		}
	}
	weeks := f.program.FollowUpWeeks
	if firstAfter.IsZero() {
		if e.today.Before(f.followUpDue) {
			return nil
		}
		var names []string
		var ins []*programs.Instrument
		for _, s := range f.program.Schedule {
			name := s.Instrument
			var in *programs.Instrument
			if ms := f.series[s.Instrument]; len(ms) > 0 {
				in = f.latest(s.Instrument)
				name = in.Name()
			}
			names = append(names, name)
			ins = append(ins, in)
		}
		return []Reason{{Class: ClassFollowUp, Code: ReasonFollowUpDue, Since: f.followUpDue,
			Text: fmt.Sprintf("Follow-up due since %s: %s, %s after the end on %s", e.day(f.followUpDue), strings.Join(names, ", "),
				plural(weeks, "week", "weeks"), e.day(f.ended)),
			Badge: "FOLLOW-UP",
			Msg: i18n.Msg("store.reason.follow_up_due", "Date", e.d(f.followUpDue), "Scales", instrumentNamesArg(names, ins), "Count", weeks,
				"End", e.d(f.ended)),
			BadgeMsg: i18n.Msg("store.badge.follow_up_due")}}
	}
	if !f.signed.IsZero() && f.signed.After(firstAfter) {
		return nil
	}
	var parts []string
	var partMsgs listArg
	badge := "FU"
	badgeMsg := i18n.Msg("store.badge.follow_up")
	for _, s := range f.program.Schedule {
		fu, ok := followOf[s.Instrument]
		end, had := endOf[s.Instrument]
		if !ok || !had {
			continue
		}
		in := f.instrument(fu.instrument, fu.version)
		if in == nil {
			continue
		}
		part := fmt.Sprintf("%s %d at the end, %d at follow-up", in.Name(), end.total, fu.total)
		partMsg := i18n.Msg("store.reason.follow_up_part", "Scale", in.Name(), "End", end.total, "FollowUp", fu.total, "Change", "")
		if isValidated(in) {
			ch := in.Change(end.total, fu.total)
			part += fmt.Sprintf(" (%+d, threshold %d: %s)", ch.Delta, ch.Threshold, ch.Status)
			partMsg.Args["Change"] = i18n.Msg("store.reason.follow_up_change", "Delta", signed(ch.Delta), "Threshold", ch.Threshold,
				"Status", i18n.Msg("store.change."+changeKey(ch.Status)))
		}
		if badge == "FU" {
			badge = fmt.Sprintf("FU %s %+d", in.Name(), fu.total-end.total)
			badgeMsg = i18n.Msg("store.badge.follow_up_change", "Scale", in.Name(), "Delta", signed(fu.total-end.total))
		}
		parts = append(parts, part)
		partMsgs = append(partMsgs, partMsg)
	}
	if len(parts) == 0 {
		parts = append(parts, "no instrument answered both at the end and at follow-up")
		partMsgs = append(partMsgs, i18n.Msg("store.reason.follow_up_none"))
	}
	return []Reason{{Class: ClassFollowUp, Code: ReasonFollowUpAnswered, Since: firstAfter,
		Text:     fmt.Sprintf("Follow-up answered on %s: %s; sign an updated discharge summary", e.day(firstAfter), strings.Join(parts, "; ")),
		Badge:    badge,
		Msg:      i18n.Msg("store.reason.follow_up_answered", "Date", e.d(firstAfter), "Parts", partMsgs),
		BadgeMsg: badgeMsg}}
}

// primarySeries picks the score series the queue row shows: the program's
// first scheduled instrument the patient answered that is validated, else
// the first validated one answered, else (nothing validated answered) the
// first answered.
func primarySeries(f *facts) string {
	for _, sc := range f.program.Schedule {
		if _, ok := f.series[sc.Instrument]; ok && isValidated(f.latest(sc.Instrument)) {
			return sc.Instrument
		}
	}
	for _, id := range f.answered {
		if isValidated(f.latest(id)) {
			return id
		}
	}
	if len(f.answered) > 0 {
		return f.answered[0]
	}
	return ""
}

// evaluate runs the rules that apply to an enrollment.
func evaluate(f *facts, e *ruleEnv) []Reason {
	if f.finished {
		return append(riskReasons(f, e), followUpReasons(f, e)...)
	}
	var out []Reason
	for _, r := range rules {
		out = append(out, r(f, e)...)
	}
	return out
}

// lateness says how long an item past the promise has waited and by how
// much it is over, both in whole working days (the same count, the same
// rounding): "3 working days ago: 1 working day over the 2-working-day
// promise"; less than a day over says since when: "2 working days ago:
// over the 2-working-day promise since 10:00 today".
func (e *ruleEnv) lateness(from time.Time, limit time.Duration, words string) string {
	days := WorkingDays(from, e.now, e.loc)
	ago := plural(days, "working day", "working days") + " ago"
	if over := days - int(limit/(24*time.Hour)); over >= 1 {
		return fmt.Sprintf("%s: %s over %s", ago, plural(over, "working day", "working days"), words)
	}
	return fmt.Sprintf("%s: over %s since %s", ago, words, e.clock(workingDeadline(from, limit, e.loc)))
}

// latenessMsg is lateness as a message.
func (e *ruleEnv) latenessMsg(from time.Time, limit time.Duration) i18n.Message {
	days := WorkingDays(from, e.now, e.loc)
	ago := i18n.Msg("store.reason.working_days_ago", "Count", days)
	promise := i18n.Msg("store.reason.promise", "Count", e.pol.FeedbackWorkingDays)
	if over := days - int(limit/(24*time.Hour)); over >= 1 {
		return i18n.Msg("store.reason.late_by", "Ago", ago, "Over", i18n.Msg("store.reason.working_days_over", "Count", over), "Promise", promise)
	}
	return i18n.Msg("store.reason.late_since", "Ago", ago, "Promise", promise, "Clock", e.clockMsg(workingDeadline(from, limit, e.loc)))
}

// dueWithinMsg is dueWithin as a message.
func (e *ruleEnv) dueWithinMsg(from time.Time, limit time.Duration) i18n.Message {
	if d := workingDeadline(from, limit, e.loc); sameDay(d, e.now, e.loc) {
		return i18n.Msg("store.reason.due_today", "Time", clock(d, e.loc))
	}
	return i18n.Msg("store.reason.due_within", "Count", e.pol.FeedbackWorkingDays)
}

// clockMsg is clock as a message.
func (e *ruleEnv) clockMsg(t time.Time) i18n.Message {
	if sameDay(t, e.now, e.loc) {
		return i18n.Msg("store.reason.clock_today", "Time", clock(t, e.loc))
	}
	return i18n.Msg("store.reason.clock_on", "Time", clock(t, e.loc), "Date", e.d(t))
}

// dueWithin says when an item within the promise is due: "today by 10:00"
// on its last day, else "within 2 working days".
func (e *ruleEnv) dueWithin(from time.Time, limit time.Duration) string {
	if d := workingDeadline(from, limit, e.loc); sameDay(d, e.now, e.loc) {
		return "today by " + d.In(e.loc).Format("15:04")
	}
	return "within " + plural(e.pol.FeedbackWorkingDays, "working day", "working days")
}

// clock names an instant: "10:00 today", or "16:00 on 20 Nov".
func (e *ruleEnv) clock(t time.Time) string {
	if sameDay(t, e.now, e.loc) {
		return t.In(e.loc).Format("15:04") + " today"
	}
	return t.In(e.loc).Format("15:04") + " on " + e.day(t)
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	y1, m1, d1 := a.In(loc).Date()
	y2, m2, d2 := b.In(loc).Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// isValidated says whether an instrument's definition says it is validated.
func isValidated(in *programs.Instrument) bool {
	return in != nil && in.Validated != nil && *in.Validated
}

// notValidatedMsg is notValidatedNote as a message argument ("" for a
// validated scale).
func notValidatedMsg(in *programs.Instrument) any {
	if isValidated(in) {
		return ""
	}
	return i18n.Msg("store.reason.not_validated")
}

// changeKey is the catalog key of a change status ("reliable
// improvement" is reliable_improvement).
func changeKey(status string) string { return strings.ReplaceAll(status, " ", "_") }

// notValidatedNote marks a score of a scale that is not validated.
func notValidatedNote(in *programs.Instrument) string {
	if isValidated(in) {
		return ""
	}
	return " (not a validated scale)"
}

func exerciseTitle(p *programs.Program, id string) string {
	if _, ex, ok := p.Exercise(id); ok {
		return ex.Title
	}
	return id
}

func truncDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// shortAgeMsg is shortAge as a message.
func shortAgeMsg(d time.Duration) i18n.Message {
	switch {
	case d < time.Hour:
		return i18n.Msg("store.badge.age_minutes", "N", int(d.Minutes()))
	case d < 24*time.Hour:
		return i18n.Msg("store.badge.age_hours", "N", int(d.Hours()))
	}
	return i18n.Msg("store.badge.age_days", "N", int(d.Hours()/24))
}

func shortAge(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
