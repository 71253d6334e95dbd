package store

// The intake queue's rules, each a pure function over the facts the store
// loaded about one open referral, the clock and the policy (the same style
// as triagerules.go). Written out for clinicians in docs/clinical.md
// ("The intake queue"); keep the two in step.

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store/riskphrase"
)

// Intake reason codes.
const (
	ReasonIntakePromise = "start-promise"     // the clock of the start promise
	ReasonIntakeWaiting = "waiting-list"      // on the waiting list
	ReasonDoctorNeeded  = "doctor-assessment" // 16-17 in an adult program without the doctor's assessment
	ReasonYouthOnly     = "youth-only"        // under 16: only a youth program fits
)

// intakeFacts is what the rules know about one open referral.
type intakeFacts struct {
	received     time.Time
	workingDays  int // whole working days since the arrival
	waitingSince *time.Time
	age          int // whole years today; -1 when the birth date is unknown
	wished       *programs.Program
	doctor       bool // the referring doctor's assessment is recorded
	phrase       *riskphrase.Hit
	critical     []screeningHit
}

// screeningHit is a critical item endorsed in a referral's screening.
type screeningHit struct {
	instrument string // display name, PHQ-9
	date       string
	hit        programs.CriticalHit
}

// AddWorkingDays is the day n working days after the day of from (in
// loc), at midnight: the last day of a promise of n working days.
func AddWorkingDays(from time.Time, n int, loc *time.Location) time.Time {
	return addWorkingDays(from, n, loc, nil)
}

func addWorkingDays(from time.Time, n int, loc *time.Location, memo dayMemo) time.Time {
	d := truncDay(from, loc)
	for n > 0 {
		d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
		if memo.isWorking(d) {
			n--
		}
	}
	return d
}

// NextWorkingDay is the first working day after the day of t: the default
// start date of an accepted referral.
func NextWorkingDay(t time.Time, loc *time.Location) time.Time { return AddWorkingDays(t, 1, loc) }

// intakeRiskReasons: a risk phrase in the referral's text, and every
// critical item endorsed in its screening answers (PHQ-9 item 9 above 0).
func intakeRiskReasons(f *intakeFacts, e *ruleEnv) []Reason {
	var out []Reason
	for _, c := range f.critical {
		out = append(out, Reason{Class: ClassRisk, Code: ReasonCriticalItem, Level: c.hit.Level, Since: f.received,
			Text:  fmt.Sprintf("%s item %s answered %d in the referral's screening of %s (%s): assess risk before anything else", c.instrument, c.hit.Item, c.hit.Answer, c.date, c.hit.Label),
			Badge: fmt.Sprintf("RISK %s#%s=%d", c.instrument, c.hit.Item, c.hit.Answer),
			Msg: i18n.Msg("store.reason.intake_critical_item", "Scale", c.instrument, "Item", c.hit.Item, "Answer", c.hit.Answer,
				"Date", screeningDate(c.date), "Label", c.hit.Label),
			BadgeMsg: i18n.Msg("store.badge.risk", "Scale", c.instrument, "Item", c.hit.Item, "Answer", c.hit.Answer)})
	}
	if f.phrase != nil {
		h := *f.phrase
		out = append(out, Reason{Class: ClassRisk, Code: ReasonRiskPhrase, Level: programs.LevelAmber, Heuristic: true, Since: f.received,
			Phrase: h.Phrase, Lang: h.Lang,
			Text:     fmt.Sprintf("The referral's text says %q (%s list; a word-list match, not an assessment): assess risk before anything else", h.Found, h.Lang),
			Badge:    "RISK text",
			Msg:      i18n.Msg("store.reason.intake_risk_text", "Found", strconv.Quote(h.Found), "List", h.Lang),
			BadgeMsg: i18n.Msg("store.badge.risk_text")})
	}
	return out
}

// intakePromiseReason: the start promise counted in working days from
// the referral's arrival ("arrived 4 working days ago; the promise is 5").
func intakePromiseReason(f *intakeFacts, e *ruleEnv) Reason {
	days := f.workingDays
	promise := e.pol.StartDays
	text := fmt.Sprintf("Arrived %s ago; the promise is %d", plural(days, "working day", "working days"), promise)
	badge := fmt.Sprintf("%d/%dwd", days, promise)
	ago := i18n.Msg("store.reason.working_days_ago", "Count", days)
	msg := i18n.Msg("store.reason.intake_promise", "Ago", ago, "Count", promise)
	badgeMsg := i18n.Msg("store.badge.intake_promise", "Days", days, "Promise", promise)
	switch {
	case days > promise:
		text = fmt.Sprintf("Arrived %s ago: %s over the promise of %d", plural(days, "working day", "working days"), plural(days-promise, "working day", "working days"), promise)
		badge = fmt.Sprintf("OVER %dwd", days-promise)
		msg = i18n.Msg("store.reason.intake_promise_over", "Ago", ago, "Over", i18n.Msg("store.reason.working_days_over", "Count", days-promise), "Count", promise)
		badgeMsg = i18n.Msg("store.badge.intake_over", "Days", days-promise)
	case days == promise:
		text = fmt.Sprintf("Arrived %s ago: the promise of %d ends today", plural(days, "working day", "working days"), promise)
		msg = i18n.Msg("store.reason.intake_promise_today", "Ago", ago, "Count", promise)
	}
	return Reason{Class: ClassStarting, Code: ReasonIntakePromise, Since: f.received, Text: text, Badge: badge, Msg: msg, BadgeMsg: badgeMsg}
}

// intakeWaitingReasons: a referral on the waiting list, with its age.
func intakeWaitingReasons(f *intakeFacts, e *ruleEnv) []Reason {
	if f.waitingSince == nil {
		return nil
	}
	days := int(e.today.Sub(truncDay(*f.waitingSince, e.loc)).Hours() / 24)
	return []Reason{{Class: ClassWaiting, Code: ReasonIntakeWaiting, Since: *f.waitingSince,
		Text:     fmt.Sprintf("On the waiting list for %s (since %s): no therapist had capacity", plural(days, "day", "days"), e.day(*f.waitingSince)),
		Badge:    fmt.Sprintf("WAIT %dd", days),
		Msg:      i18n.Msg("store.reason.intake_waiting", "Count", days, "Date", e.d(*f.waitingSince)),
		BadgeMsg: i18n.Msg("store.badge.intake_waiting", "Days", days)}}
}

// intakeAgeReasons: a 16-17 year old wished into an adult program (no
// max_age) without the referring doctor's assessment; a patient under 16,
// for whom only a youth program fits.
func intakeAgeReasons(f *intakeFacts, e *ruleEnv) []Reason {
	switch {
	case f.age < 0:
		return nil
	case f.age < 16:
		return []Reason{{Class: ClassStarting, Code: ReasonYouthOnly, Since: f.received,
			Text: fmt.Sprintf("%d years old: only a youth program fits (adults' programs start at 16)", f.age), Badge: fmt.Sprintf("AGE %d", f.age),
			Msg: i18n.Msg("store.reason.youth_only", "Age", f.age), BadgeMsg: i18n.Msg("store.badge.age", "Age", f.age)}}
	case f.age < 18 && !f.doctor && (f.wished == nil || f.wished.MaxAge == 0):
		return []Reason{{Class: ClassStarting, Code: ReasonDoctorNeeded, Since: f.received,
			Text: fmt.Sprintf("%d years old: the referring doctor's assessment is needed for 16-17 year olds in an adults' program", f.age), Badge: fmt.Sprintf("AGE %d", f.age),
			Msg: i18n.Msg("store.reason.doctor_needed", "Age", f.age), BadgeMsg: i18n.Msg("store.badge.age", "Age", f.age)}}
	}
	return nil
}

// screeningDate is a screening's date (YYYY-MM-DD) as a date argument,
// or the text as it is when it is not a date.
func screeningDate(s string) any {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return dateArg{t}
	}
	return s
}

// evaluateIntake runs the intake rules: risk, the waiting list, age, and
// always the promise.
func evaluateIntake(f *intakeFacts, e *ruleEnv) []Reason {
	out := intakeRiskReasons(f, e)
	out = append(out, intakeWaitingReasons(f, e)...)
	out = append(out, intakeAgeReasons(f, e)...)
	return append(out, intakePromiseReason(f, e))
}

// intakeLess orders the intake queue: risk first (red before amber),
// then referrals not yet decided by their promise deadline (the oldest
// first), then the waiting list, the longest waiting first. Ties by
// arrival, then id.
func intakeLess(a, b *IntakeItem) bool {
	ra, rb := riskRank(a.Reasons), riskRank(b.Reasons)
	if ra != rb {
		return ra < rb
	}
	wa, wb := a.WaitingSince != nil, b.WaitingSince != nil
	if wa != wb {
		return !wa
	}
	if wa && !a.WaitingSince.Equal(*b.WaitingSince) {
		return a.WaitingSince.Before(*b.WaitingSince)
	}
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	if !a.ReceivedAt.Equal(b.ReceivedAt) {
		return a.ReceivedAt.Before(b.ReceivedAt)
	}
	return a.ReferralID < b.ReferralID
}

func riskRank(rs []Reason) int {
	rank := 2
	for _, r := range rs {
		if r.Class != ClassRisk {
			continue
		}
		if r.Level == programs.LevelRed {
			return 0
		}
		rank = 1
	}
	return rank
}

// --- program suggestion (the symptom navigator) ---

// ProgramSuggestion is a program that fits a referral, with its reasons
// in words. A suggestion, never a decision.
type ProgramSuggestion struct {
	ProgramID string   `json:"program_id"`
	Version   int      `json:"version"`
	Title     string   `json:"title"`
	Score     int      `json:"score"`
	Text      string   `json:"text"`             // "GAD-7 14, moderate, and F41.1: Worry less"
	Notes     []string `json:"notes,omitempty"`  // what to check: language, age rules
	Wished    bool     `json:"wished,omitempty"` // the referrer's wished program
	Fits      bool     `json:"fits"`             // false: listed because wished, but the age does not fit
	// Msg and NoteMsgs are Text and Notes as messages, for a reader of
	// another language (ReferralDetail.Localize renders them).
	Msg      i18n.Message   `json:"-"`
	NoteMsgs []i18n.Message `json:"-"`
}

// suggestFacts is what the suggestion reads about a referral.
type suggestFacts struct {
	age      int
	language string
	codes    []string
	scores   []scoreFact
	wished   string
}

type scoreFact struct {
	instrument string // id
	name       string // PHQ-9
	total      int
	band       string
	bands      langText // the band in each language of the instrument
}

// suggestPrograms ranks the programs by their indications: each ICD-10
// code under one of the program's prefixes counts 3, each score in one of
// its ranges 2, the referrer's wish 1. A program whose ages do not include
// the patient's is left out (or, when wished, listed as not fitting).
func suggestPrograms(progs []*programs.Program, f suggestFacts) []ProgramSuggestion {
	var out []ProgramSuggestion
	for _, p := range progs {
		s := ProgramSuggestion{ProgramID: p.ID, Version: p.Version, Title: shortTitle(p.Title), Wished: p.ID == f.wished, Fits: true}
		minAge, maxAge := p.MinAge, p.MaxAge
		var langs []string
		var parts []string
		var partMsgs []i18n.Message
		if in := p.Indications; in != nil {
			if in.MinAge > minAge {
				minAge = in.MinAge
			}
			if in.MaxAge != 0 && (maxAge == 0 || in.MaxAge < maxAge) {
				maxAge = in.MaxAge
			}
			langs = in.Languages
			for _, sc := range f.scores {
				for _, r := range in.Scores {
					if r.Instrument == sc.instrument && sc.total >= r.Min && sc.total <= r.Max {
						s.Score += 2
						part := fmt.Sprintf("%s %d", sc.name, sc.total)
						if sc.band != "" {
							part += ", " + sc.band
						}
						parts = append(parts, part)
						if sc.band != "" {
							partMsgs = append(partMsgs, i18n.Msg("store.suggest.score_band", "Name", sc.name, "Total", sc.total, "Band", sc.bands))
						} else {
							partMsgs = append(partMsgs, i18n.Msg("store.suggest.score", "Name", sc.name, "Total", sc.total))
						}
					}
				}
			}
			for _, c := range f.codes {
				if icdUnder(c, in.ICD10) {
					s.Score += 3
					parts = append(parts, c)
					partMsgs = append(partMsgs, i18n.Msg("store.suggest.code", "Code", c))
				}
			}
		}
		if f.age >= 0 && (f.age < minAge || (maxAge != 0 && f.age > maxAge)) {
			if !s.Wished {
				continue
			}
			s.Fits = false
			s.Notes = append(s.Notes, fmt.Sprintf("not for age %d (%s)", f.age, ageRange(minAge, maxAge)))
			s.NoteMsgs = append(s.NoteMsgs, i18n.Msg("store.suggest.note.age", "Age", f.age, "Range", ageRangeMsg(minAge, maxAge)))
		}
		if s.Wished {
			s.Score++
			parts = append(parts, "the referrer's wish")
			partMsgs = append(partMsgs, i18n.Msg("store.suggest.wish"))
		}
		if s.Score == 0 {
			continue
		}
		if len(langs) > 0 && f.language != "" && !slices.Contains(langs, f.language) {
			s.Notes = append(s.Notes, fmt.Sprintf("offered in %s only (the patient's language is %s)", englishLangs(langs...), englishLangs(f.language)))
			s.NoteMsgs = append(s.NoteMsgs, i18n.Msg("store.suggest.note.language", "Languages", langNamesArg(langs), "Language", langName(f.language)))
		}
		if f.age >= 16 && f.age < 18 && maxAge == 0 {
			s.Notes = append(s.Notes, "16-17: record the referring doctor's assessment")
			s.NoteMsgs = append(s.NoteMsgs, i18n.Msg("store.suggest.note.minor"))
		}
		s.Text = joinAnd(parts) + ": " + s.Title
		s.Msg = i18n.Msg("store.suggest.program", "Why", andArg(partMsgs), "Title", programTitles(p))
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Fits != out[j].Fits {
			return out[i].Fits
		}
		return out[i].Score > out[j].Score
	})
	return out
}

// joinAnd joins "a", "b", "c" as "a, b, and c" (two as "a and b", but a
// part with a comma of its own takes one before the and: "GAD-7 14,
// moderate, and F41.1").
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	case 2:
		if strings.Contains(parts[0], ",") {
			return parts[0] + ", and " + parts[1]
		}
		return parts[0] + " and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + ", and " + parts[len(parts)-1]
}

// icdUnder says whether a code falls under one of the prefixes (F41.1
// under F41 and F41.1; the dot is optional in the code).
func icdUnder(code string, prefixes []string) bool {
	c := strings.ReplaceAll(strings.ToUpper(code), ".", "")
	for _, p := range prefixes {
		if strings.HasPrefix(c, strings.ReplaceAll(p, ".", "")) {
			return true
		}
	}
	return false
}

func shortTitle(t string) string {
	if i := strings.Index(t, " — "); i > 0 {
		return t[:i]
	}
	return t
}

func ageRangeMsg(lo, hi int) i18n.Message {
	if hi == 0 {
		return i18n.Msg("store.suggest.age_over", "Min", lo)
	}
	return i18n.Msg("store.suggest.age_range", "Min", lo, "Max", hi)
}

// programTitles is the program's short title in each of its languages.
func programTitles(p *programs.Program) langText {
	t := langText{"": shortTitle(p.Title)}
	for _, l := range i18n.Languages() {
		if q, fallback := p.In(l); !fallback {
			t[l] = shortTitle(q.Title)
		}
	}
	return t
}

func ageRange(lo, hi int) string {
	if hi == 0 {
		return fmt.Sprintf("%d and over", lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// --- therapist suggestion ---

// TherapistSuggestion is a therapist of the team ranked for a referral.
type TherapistSuggestion struct {
	TherapistID string   `json:"therapist_id"`
	Handle      string   `json:"handle"`
	Name        string   `json:"name"`
	Languages   []string `json:"languages"`
	Capacity    int      `json:"capacity"`
	Caseload    int      `json:"caseload"` // active and scheduled enrollments
	Starting    int      `json:"starting"` // of them scheduled, not yet started: the backlog
	Free        int      `json:"free"`
	Speaks      bool     `json:"speaks"`
	Text        string   `json:"text"`
	// Msg is Text as a message, for a reader of another language.
	Msg i18n.Message `json:"-"`
}

// rankTherapists orders the team's therapists for a patient: those who
// speak the patient's language first, then the most free capacity
// (capacity less caseload), then the smallest backlog of patients
// starting, then handle. A therapist without free capacity is listed last
// and says so; when nobody has any, the referral goes on the waiting list.
func rankTherapists(list []TherapistSuggestion, language string) []TherapistSuggestion {
	for i := range list {
		t := &list[i]
		t.Free = t.Capacity - t.Caseload
		t.Speaks = language == "" || slices.Contains(t.Languages, language)
		lang := "speaks " + englishLangs(language)
		if !t.Speaks {
			lang = "does not speak " + englishLangs(language)
		}
		t.Text = fmt.Sprintf("%s: %s; %d of %d places taken, %d free; %d starting", t.Handle, lang, t.Caseload, t.Capacity, max(t.Free, 0), t.Starting)
		speaks := i18n.Msg("store.suggest.speaks", "Language", langName(language))
		if !t.Speaks {
			speaks = i18n.Msg("store.suggest.not_speaks", "Language", langName(language))
		}
		t.Msg = i18n.Msg("store.suggest.therapist", "Handle", t.Handle, "Speaks", speaks, "Taken", t.Caseload, "Capacity", t.Capacity, "Free", max(t.Free, 0), "Starting", t.Starting)
		if t.Free <= 0 {
			t.Text = fmt.Sprintf("%s: full (%d of %d places taken)", t.Handle, t.Caseload, t.Capacity)
			t.Msg = i18n.Msg("store.suggest.full", "Handle", t.Handle, "Taken", t.Caseload, "Capacity", t.Capacity)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if (a.Free > 0) != (b.Free > 0) {
			return a.Free > 0
		}
		if a.Speaks != b.Speaks {
			return a.Speaks
		}
		if a.Free != b.Free {
			return a.Free > b.Free
		}
		if a.Starting != b.Starting {
			return a.Starting < b.Starting
		}
		return a.Handle < b.Handle
	})
	return list
}

// --- the service finder ---

// ServiceSuggestion is a service a declined patient can be pointed to.
type ServiceSuggestion struct {
	ServiceID string   `json:"service_id"`
	Name      string   `json:"name"`
	For       string   `json:"for"`
	Contact   string   `json:"contact"`
	Languages []string `json:"languages"`
}

// findServices lists the services that cover the patient's region (all of
// them when the region is unknown): those that name the decline reason
// first, then those in the patient's language, then the region's own
// before the country-wide ones, then by name.
func findServices(all []*programs.Service, region, language, code string) []ServiceSuggestion {
	type ranked struct {
		s    *programs.Service
		rank int
	}
	var list []ranked
	for _, s := range all {
		if region != "" && !s.Serves(region) {
			continue
		}
		r := 0
		if code != "" && !slices.Contains(s.Reasons, code) {
			r += 4
		}
		if language != "" && !slices.Contains(s.Languages, language) {
			r += 2
		}
		if !slices.Contains(s.Regions, region) {
			r++ // a service of the whole country after the region's own
		}
		list = append(list, ranked{s, r})
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].rank != list[j].rank {
			return list[i].rank < list[j].rank
		}
		return list[i].s.Name < list[j].s.Name
	})
	out := make([]ServiceSuggestion, len(list))
	for i, x := range list {
		out[i] = ServiceSuggestion{ServiceID: x.s.ID, Name: x.s.Name, For: x.s.For, Contact: x.s.Contact, Languages: x.s.Languages}
	}
	return out
}
