package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

// The discharge summary (docs/clinical.md, "The discharge summary"):
// completing or discontinuing a treatment drafts it for the assigned
// therapist (CourseOp), who edits the draft like any other (SaveDraft) and
// signs it (SignSummary). A signed summary is append-only: a correction
// is a new summary that supersedes it.

// Summary is a signed discharge summary. Append-only.
type Summary struct {
	ID           string          `json:"id" db:"id"`
	EnrollmentID string          `json:"enrollment_id" db:"enrollment_id"`
	PatientID    string          `json:"patient_id" db:"patient_id"`
	TherapistID  string          `json:"therapist_id" db:"therapist_id"` // who signed
	Body         string          `json:"body" db:"body"`                 // the text as signed (markdown)
	Facts        json.RawMessage `json:"facts" db:"facts"`               // SummaryFacts at signing
	SignedAt     time.Time       `json:"signed_at" db:"signed_at"`
	Supersedes   string          `json:"supersedes,omitempty" db:"supersedes"`
}

// SummaryFacts are the figures of a treatment a discharge summary reports.
type SummaryFacts struct {
	PatientID        string         `json:"patient_id"`
	Pseudonym        string         `json:"pseudonym"`
	EnrollmentID     string         `json:"enrollment_id"`
	ProgramID        string         `json:"program_id"`
	ProgramTitle     string         `json:"program_title"`
	ProgramVersion   int            `json:"program_version"`
	Therapist        string         `json:"therapist"` // handle of the assigned therapist
	Status           string         `json:"status"`
	StartDate        string         `json:"start_date"`
	PlannedEnd       string         `json:"planned_end"`
	EndedOn          string         `json:"ended_on,omitempty"`
	EndReason        string         `json:"end_reason,omitempty"` // a discontinuation's reason in words
	Course           []string       `json:"course"`               // extensions, pauses, transfers, the end, in words
	ModulesCompleted int            `json:"modules_completed"`    // every exercise of the module submitted
	Modules          int            `json:"modules"`
	Submissions      int            `json:"submissions"`
	FeedbackSent     int            `json:"feedback_sent"`
	MessagesSent     int            `json:"messages_sent"`
	MessagesReceived int            `json:"messages_received"`
	TherapistMinutes int            `json:"therapist_minutes"`
	Scores           []SummaryScore `json:"scores"`
	Risk             []RiskEvent    `json:"risk"`
	FollowUp         FollowUpPlan   `json:"follow_up"`

	// The words of EndReason, Course and each risk's What as messages,
	// for a reader of another language (RenderSummaryIn); the facts kept
	// at signing are the English words above.
	endReasonMsg *i18n.Message
	courseMsgs   []i18n.Message
	riskMsgs     map[string]i18n.Message // by the risk's source id and English What (one answer can hit several critical items)
}

// SummaryScore is the first and last score of one instrument in the
// treatment, with the change between them.
type SummaryScore struct {
	Instrument string           `json:"instrument"`
	Name       string           `json:"name"`
	Validated  bool             `json:"validated"`
	Count      int              `json:"count"`
	First      ScoreAt          `json:"first"`
	Last       ScoreAt          `json:"last"`
	Change     *programs.Change `json:"change,omitempty"` // validated scales with two or more scores
	Case       *bool            `json:"case_at_end,omitempty"`
}

// ScoreAt is one total with its band and when it was answered.
type ScoreAt struct {
	Total int    `json:"total"`
	Band  string `json:"band,omitempty"`
	Week  int    `json:"week"`
	Date  string `json:"date"`
}

// RiskEvent is one risk flag of the treatment and what was done about it.
type RiskEvent struct {
	At           time.Time  `json:"at"`
	What         string     `json:"what"` // "PHQ-9 item 9 answered 2", "message: word list phrase ..."
	SourceType   string     `json:"source_type"`
	SourceID     string     `json:"source_id"`
	Acknowledged bool       `json:"acknowledged"`
	Action       string     `json:"action,omitempty"`
	By           string     `json:"by,omitempty"`
	AckedAt      *time.Time `json:"acked_at,omitempty"`
	Comment      string     `json:"comment,omitempty"`
}

// FollowUpPlan is the follow-up of a completed treatment and, once
// answered, the change since the end.
type FollowUpPlan struct {
	Weeks       int             `json:"weeks,omitempty"`
	Due         string          `json:"due,omitempty"`
	Instruments []string        `json:"instruments,omitempty"`
	Answered    []FollowUpScore `json:"answered,omitempty"`
}

// FollowUpScore compares the last score of the treatment with the
// follow-up score.
type FollowUpScore struct {
	Name     string           `json:"name"`
	End      ScoreAt          `json:"end"`
	FollowUp ScoreAt          `json:"follow_up"`
	Change   *programs.Change `json:"change,omitempty"`
}

// summaryFacts gathers the figures of enrollment e (as it is, or will be
// after ev, a step not yet applied).
func (db *DB) summaryFacts(ctx context.Context, e Enrollment, ev *EnrollmentEvent) (*SummaryFacts, error) {
	rec, err := db.loadRecord(ctx, System(""), e.PatientID)
	if err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	loc := pol.Location()
	p := rec.Programs[e.ProgramVersionID]
	if p == nil {
		if p, err = db.ProgramDef(ctx, e.ProgramVersionID); err != nil {
			return nil, err
		}
	}
	handles := map[string]string{}
	handle := func(id string) string {
		if h, ok := handles[id]; ok {
			return h
		}
		h := id
		if strings.HasPrefix(id, "os:") || id == "system" {
			h = strings.TrimPrefix(id, "os:")
		} else if th, err := db.Therapist(ctx, id); err == nil {
			h = th.Handle
		}
		handles[id] = h
		return h
	}
	f := &SummaryFacts{PatientID: e.PatientID, Pseudonym: rec.Patient.Pseudonym, EnrollmentID: e.ID, ProgramID: p.ID, ProgramTitle: p.Title,
		ProgramVersion: p.Version, Therapist: handle(e.TherapistID), Status: e.Status, StartDate: e.StartDate, PlannedEnd: e.PlannedEnd,
		EndedOn: e.EndedOn, Modules: len(p.Modules), Course: []string{}, Scores: []SummaryScore{}, Risk: []RiskEvent{}}
	events, err := selectAll[EnrollmentEvent](ctx, db.r, tables.event, "WHERE enrollment_id = ? ORDER BY at, rowid", e.ID)
	if err != nil {
		return nil, err
	}
	if ev != nil {
		events = append(events, *ev)
	}
	for _, x := range events {
		f.Course = append(f.Course, DescribeEvent(x, handle))
		f.courseMsgs = append(f.courseMsgs, DescribeEventMsg(x, handle))
		if x.Kind == CourseDiscontinue {
			f.EndReason = DiscontinueWords(x.ReasonCode)
			m := i18n.Msg("store.summary.end_reason", "Reason", discontinueReasonMsg(x.ReasonCode), "Text", "")
			if r := strings.TrimSpace(x.Reason); r != "" {
				f.EndReason += ": " + r
				m = i18n.Msg("store.summary.end_reason_text", "Reason", discontinueReasonMsg(x.ReasonCode), "Text", r)
			}
			f.endReasonMsg = &m
		}
	}
	// What happened in the treatment: records of this enrollment up to
	// its end; measures after the end are the follow-up.
	endDay := e.EndedOn
	inTreatment := func(at time.Time) bool { return endDay == "" || at.In(loc).Format(time.DateOnly) <= endDay }
	submitted := map[string]bool{}
	var subIDs, msgIDs []string
	subAt := map[string]time.Time{}
	for _, s := range rec.Submissions {
		if s.EnrollmentID == e.ID {
			f.Submissions++
			submitted[s.ExerciseID] = true
			subIDs = append(subIDs, s.ID)
			subAt[s.ID] = s.SubmittedAt
		}
	}
	for _, m := range p.Modules {
		done := len(m.Exercises) > 0
		for _, x := range m.Exercises {
			if !submitted[x.ID] {
				done = false
			}
		}
		if done {
			f.ModulesCompleted++
		}
	}
	for _, fb := range rec.Feedback {
		if fb.EnrollmentID == e.ID {
			f.FeedbackSent++
		}
	}
	msgAt := map[string]time.Time{}
	for _, m := range rec.Messages {
		if m.EnrollmentID != e.ID {
			continue
		}
		if m.Direction == DirectionOut {
			f.MessagesSent++
		} else {
			f.MessagesReceived++
			msgIDs = append(msgIDs, m.ID)
			msgAt[m.ID] = m.SentAt
		}
	}
	startWeek := ""
	if st, err := time.ParseInLocation(time.DateOnly, e.StartDate, loc); err == nil {
		startWeek = ISOWeek(st)
	}
	endWeek := ISOWeek(db.Now().In(loc))
	if endDay != "" {
		if en, err := time.ParseInLocation(time.DateOnly, endDay, loc); err == nil {
			endWeek = ISOWeek(en)
		}
	}
	var seconds int64
	for _, ts := range rec.TimeSpent {
		if ts.Week >= startWeek && ts.Week <= endWeek {
			seconds += ts.Seconds
		}
	}
	f.TherapistMinutes = int(seconds / 60)

	// Scores: in the order the schedule lists the instruments, then any
	// other answered.
	byInst := map[string][]MeasureResponse{}
	follow := map[string][]MeasureResponse{}
	var order []string
	for _, m := range rec.Measures {
		if m.EnrollmentID != e.ID {
			continue
		}
		if !inTreatment(m.AnsweredAt) {
			follow[m.InstrumentID] = append(follow[m.InstrumentID], m)
			continue
		}
		if _, ok := byInst[m.InstrumentID]; !ok {
			order = append(order, m.InstrumentID)
		}
		byInst[m.InstrumentID] = append(byInst[m.InstrumentID], m)
	}
	rank := map[string]int{}
	for i, s := range p.Schedule {
		rank[s.Instrument] = i + 1
	}
	sort.SliceStable(order, func(i, j int) bool {
		ri, rj := rank[order[i]], rank[order[j]]
		if ri == 0 {
			ri = 1 << 30
		}
		if rj == 0 {
			rj = 1 << 30
		}
		return ri < rj
	})
	at := func(in *programs.Instrument, m MeasureResponse) ScoreAt {
		return ScoreAt{Total: m.Total, Band: in.Band(m.Total), Week: m.Week, Date: m.AnsweredAt.In(loc).Format(time.DateOnly)}
	}
	lastOf := map[string]MeasureResponse{}
	for _, id := range order {
		ms := byInst[id]
		first, last := ms[0], ms[len(ms)-1]
		lastOf[id] = last
		in, err := db.InstrumentDef(ctx, id, last.InstrumentVersion)
		if err != nil {
			return nil, err
		}
		s := SummaryScore{Instrument: id, Name: in.Name(), Validated: isValidated(in), Count: len(ms), First: at(in, first), Last: at(in, last)}
		if c, ok := in.IsCase(last.Total); ok {
			s.Case = &c
		}
		if len(ms) >= 2 && s.Validated {
			ch := in.Change(first.Total, last.Total)
			s.Change = &ch
		}
		f.Scores = append(f.Scores, s)
	}

	// Risk: every critical-item answer and every patient text with a risk
	// phrase of the enrollment, with the acknowledgement of each.
	ackOf := map[string]RiskAck{}
	for _, a := range rec.RiskAcks {
		if _, seen := ackOf[a.SourceID]; !seen {
			ackOf[a.SourceID] = a
		}
	}
	f.riskMsgs = map[string]i18n.Message{}
	add := func(at time.Time, typ, id, what string, msg i18n.Message) {
		r := RiskEvent{At: at, What: what, SourceType: typ, SourceID: id}
		f.riskMsgs[id+"\x00"+what] = msg
		if a, ok := ackOf[id]; ok {
			t := a.AckedAt
			r.Acknowledged, r.Action, r.By, r.AckedAt, r.Comment = true, a.Action, handle(a.TherapistID), &t, a.Comment
		}
		f.Risk = append(f.Risk, r)
	}
	for _, m := range rec.Measures {
		if m.EnrollmentID != e.ID {
			continue
		}
		in, err := db.InstrumentDef(ctx, m.InstrumentID, m.InstrumentVersion)
		if err != nil {
			return nil, err
		}
		for _, h := range in.CriticalHits(m.Answers) {
			add(m.AnsweredAt, RiskSourceMeasure, m.ID, fmt.Sprintf("%s item %s answered %d (%s)", in.Name(), h.Item, h.Answer, h.Label),
				i18n.Msg("store.summary.risk_what.item", "Name", in.Name(), "Item", h.Item, "Answer", h.Answer, "Label", h.Label))
		}
	}
	hits, err := db.riskHits(ctx, pol, msgIDs, subIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range msgIDs {
		if h := hits[id]; h.Phrase != "" {
			add(msgAt[id], RiskSourceMessage, id, fmt.Sprintf("message with a phrase of the %s risk word list (%q)", h.Lang, h.Phrase),
				i18n.Msg("store.summary.risk_what.message", "List", langName(h.Lang), "Phrase", strconv.Quote(h.Phrase)))
		}
	}
	for _, id := range subIDs {
		if h := hits[id]; h.Phrase != "" {
			add(subAt[id], RiskSourceSubmit, id, fmt.Sprintf("exercise with a phrase of the %s risk word list (%q)", h.Lang, h.Phrase),
				i18n.Msg("store.summary.risk_what.exercise", "List", langName(h.Lang), "Phrase", strconv.Quote(h.Phrase)))
		}
	}
	sort.SliceStable(f.Risk, func(i, j int) bool { return f.Risk[i].At.Before(f.Risk[j].At) })

	// The follow-up.
	if e.Status == EnrollmentCompleted && p.FollowUpWeeks > 0 {
		f.FollowUp.Weeks, f.FollowUp.Due = p.FollowUpWeeks, e.FollowUpDue
		for _, s := range p.Schedule {
			name := s.Instrument
			if in, err := db.InstrumentDef(ctx, s.Instrument, 0); err == nil {
				name = in.Name()
			}
			f.FollowUp.Instruments = append(f.FollowUp.Instruments, name)
		}
		for _, id := range order {
			fs := follow[id]
			if len(fs) == 0 {
				continue
			}
			fu, end := fs[0], lastOf[id]
			in, err := db.InstrumentDef(ctx, id, fu.InstrumentVersion)
			if err != nil {
				return nil, err
			}
			s := FollowUpScore{Name: in.Name(), End: at(in, end), FollowUp: at(in, fu)}
			if isValidated(in) {
				ch := in.Change(end.Total, fu.Total)
				s.Change = &ch
			}
			f.FollowUp.Answered = append(f.FollowUp.Answered, s)
		}
	}
	return f, nil
}

// riskHits finds the risk phrases in patient texts, through the queue's
// cache.
func (db *DB) riskHits(ctx context.Context, pol Policy, msgIDs, subIDs []string) (map[string]riskphrase.Hit, error) {
	r, err := newTriageRules(pol, db.Now(), db.riskCache, Therapist{})
	if err != nil {
		return nil, err
	}
	te := &triageEnrollment{}
	for _, id := range msgIDs {
		te.messages = append(te.messages, triageMsg{id: id, direction: DirectionIn})
	}
	for _, id := range subIDs {
		te.submitted = append(te.submitted, triageSub{id: id})
	}
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := r.scanTexts(ctx, tx, []*triageEnrollment{te}); err != nil {
		return nil, err
	}
	return r.hits, nil
}

// RenderSummary writes a discharge summary as markdown in English: the
// text the therapist edits and signs.
func RenderSummary(f *SummaryFacts) string {
	return RenderSummaryIn(i18n.New(i18n.EN), f)
}

// RenderSummaryIn writes a discharge summary as markdown in p's language
// (the therapist's: they edit and sign it). The facts the store keeps as
// words (the end reason, the course, what a risk flag was) are said in
// p's language too when the facts were just gathered (a draft); facts
// read back from a signed summary have only their English words.
func RenderSummaryIn(p *i18n.Printer, f *SummaryFacts) string {
	var b strings.Builder
	line := func(id string, kv ...any) { b.WriteString(p.T(id, kv...) + "\n") }
	part := func(id string, kv ...any) { b.WriteString(p.T(id, kv...)) }
	day := func(s string) any {
		if p.Lang() == i18n.EN {
			return s
		}
		return renderArg(p, isoDay(s))
	}
	at := func(s ScoreAt) string {
		if s.Band == "" {
			return p.T("store.summary.score_at", "Total", s.Total, "Week", s.Week, "Date", day(s.Date))
		}
		return p.T("store.summary.score_at_band", "Total", s.Total, "Band", s.Band, "Week", s.Week, "Date", day(s.Date))
	}
	change := func(c *programs.Change) any { return RenderMessage(p, i18n.Msg("store.change."+changeKey(c.Status))) }
	line("store.summary.title", "Pseudonym", f.Pseudonym)
	b.WriteString("\n")
	line("store.summary.program", "Title", f.ProgramTitle, "ID", f.ProgramID, "Version", f.ProgramVersion)
	line("store.summary.therapist", "Handle", f.Therapist)
	end := day(f.EndedOn)
	if f.EndedOn == "" {
		end = p.T("store.summary.not_ended", "Planned", day(f.PlannedEnd))
	}
	line("store.summary.dates", "Start", day(f.StartDate), "Planned", day(f.PlannedEnd), "End", end)
	status := f.Status
	switch status {
	case EnrollmentScheduled, EnrollmentActive, EnrollmentCompleted, EnrollmentDiscontinued:
		status = p.T("store.reason.origin_status." + status)
		if p.Lang() == i18n.EN {
			status = f.Status
		}
	}
	english := p.Lang() == i18n.EN // the English words are the facts' own
	switch {
	case f.endReasonMsg != nil && !english:
		status += " (" + RenderMessage(p, *f.endReasonMsg) + ")"
	case f.EndReason != "":
		status += " (" + f.EndReason + ")"
	}
	line("store.summary.outcome", "Status", status)
	if len(f.Course) > 0 {
		course := f.Course
		if len(f.courseMsgs) == len(f.Course) && !english {
			course = make([]string, len(f.courseMsgs))
			for i, m := range f.courseMsgs {
				course[i] = RenderMessage(p, m)
			}
		}
		line("store.summary.course", "Course", strings.Join(course, "; "))
	}
	b.WriteString("\n")
	line("store.summary.work")
	b.WriteString("\n")
	line("store.summary.modules", "Done", f.ModulesCompleted, "Total", f.Modules)
	line("store.summary.submissions", "N", f.Submissions)
	line("store.summary.feedback", "N", f.FeedbackSent)
	line("store.summary.messages", "Sent", f.MessagesSent, "Received", f.MessagesReceived)
	line("store.summary.minutes", "Count", f.TherapistMinutes)
	b.WriteString("\n")
	line("store.summary.scores")
	b.WriteString("\n")
	if len(f.Scores) == 0 {
		line("store.summary.no_scores")
	}
	for _, s := range f.Scores {
		note := ""
		if !s.Validated {
			note = p.T("store.summary.not_validated")
		}
		part("store.summary.score", "Name", s.Name, "Note", note, "First", at(s.First), "Last", at(s.Last))
		switch {
		case s.Change != nil:
			c := s.Change
			part("store.summary.change", "Delta", signed(c.Delta), "Threshold", c.Threshold, "Status", change(c))
		case s.Count < 2:
			part("store.summary.one_score")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	line("store.summary.risk")
	b.WriteString("\n")
	if len(f.Risk) == 0 {
		line("store.summary.no_risk")
	}
	for _, r := range f.Risk {
		what := r.What
		if m, ok := f.riskMsgs[r.SourceID+"\x00"+r.What]; ok && !english {
			what = RenderMessage(p, m)
		}
		part("store.summary.risk_line", "Date", day(r.At.UTC().Format(time.DateOnly)), "What", what)
		if r.Acknowledged {
			action := any(r.Action)
			if slices.Contains(AckActions, r.Action) && !english {
				action = RenderMessage(p, i18n.Msg("store.ack_action."+r.Action)) // English keeps the code
			}
			part("store.summary.acked", "Date", day(r.AckedAt.UTC().Format(time.DateOnly)), "By", r.By, "Action", action)
		} else {
			part("store.summary.not_acked")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	line("store.summary.follow_up")
	b.WriteString("\n")
	switch {
	case f.FollowUp.Weeks > 0:
		line("store.summary.follow_plan", "Instruments", strings.Join(f.FollowUp.Instruments, ", "), "Count", f.FollowUp.Weeks, "Due", day(f.FollowUp.Due))
		for _, a := range f.FollowUp.Answered {
			part("store.summary.follow_score", "Name", a.Name, "End", at(a.End), "FollowUp", at(a.FollowUp))
			if a.Change != nil {
				part("store.summary.follow_change", "Delta", signed(a.Change.Delta), "Threshold", a.Change.Threshold, "Status", change(a.Change))
			}
			b.WriteString("\n")
		}
	case f.Status == EnrollmentDiscontinued:
		line("store.summary.no_follow_discontinued")
	default:
		line("store.summary.no_follow_none")
	}
	return b.String()
}

// SignSummaryOp signs a discharge summary and removes the draft it was
// written in.
type SignSummaryOp struct {
	Summary Summary `json:"summary"`
	DraftID string  `json:"draft_id,omitempty"`
}

func (SignSummaryOp) OpType() string { return "summary.sign" }
func (o SignSummaryOp) apply(t *tx) error {
	s := o.Summary
	const r = "summary"
	if err := first(needID(r, "id", s.ID), needID(r, "therapist_id", s.TherapistID), need(r, "body", s.Body),
		checkTextLen(r, "body", s.Body), needTime(r, "signed_at", s.SignedAt)); err != nil {
		return err
	}
	if !json.Valid(s.Facts) {
		return invalid(r, "facts", "store.err.not_json")
	}
	e, _, err := enrollmentOf(txRefs{t}, r, s.EnrollmentID, s.PatientID)
	if err != nil {
		return err
	}
	if !e.Finished() {
		return invalid(r, "enrollment_id", "store.err.enrollment_summary_signed_when", "ID", e.ID, "Status", statusArg(e.Status))
	}
	rf := txRefs{t}
	if _, err := rf.therapist(s.TherapistID); err != nil {
		return ref(r, "therapist_id", s.TherapistID, err)
	}
	if t.actor.IsPerson() && s.TherapistID != t.actor.ID {
		return invalid(r, "therapist_id", "store.err.must_your_own_id_2")
	}
	if err := t.mayChangeCourse(e, "sign"); err != nil {
		return err
	}
	var head string
	err = t.tx.QueryRowContext(t.ctx, `SELECT id FROM summaries s WHERE enrollment_id = ?
		AND NOT EXISTS (SELECT 1 FROM summaries n WHERE n.supersedes = s.id) ORDER BY signed_at DESC, id DESC LIMIT 1`, e.ID).Scan(&head)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if head != s.Supersedes {
		if s.Supersedes == "" {
			return newErr(ErrConflict, "store.err.summary_signed", "ID", e.ID, "Head", head)
		}
		return newErr(ErrConflict, "store.err.summary_not_current", "ID", s.Supersedes, "EnrollmentID", e.ID, "Head", quote(head))
	}
	if err := t.insert(tables.summary, &s, s.ID, s.PatientID); err != nil {
		return err
	}
	return t.dropDraft(o.DraftID, s.PatientID)
}

// SummaryDraft is SummaryDraftIn in English, for callers that do not know
// the reader's language.
func (db *DB) SummaryDraft(ctx context.Context, actor Actor, enrollmentID string) (Draft, error) {
	return db.SummaryDraftIn(ctx, actor, enrollmentID, i18n.EN)
}

// SummaryDraftIn returns actor's draft of the discharge summary of a
// finished enrollment, making it when there is none: from the current
// signed summary (a correction starts from what was signed), else from
// the treatment's figures now, written in lang (the therapist's: they
// edit and sign it). The editor saves it with SaveDraft and
// SignSummary signs it.
func (db *DB) SummaryDraftIn(ctx context.Context, actor Actor, enrollmentID, lang string) (Draft, error) {
	e, err := db.Enrollment(ctx, actor, enrollmentID)
	if err != nil {
		return Draft{}, err
	}
	if !e.Finished() {
		return Draft{}, invalid("summary", "enrollment_id", "store.err.enrollment_complete_discontinue_first", "ID", e.ID, "Status", statusArg(e.Status))
	}
	d, err := selectOne[Draft](ctx, db.r, tables.draft, "draft", enrollmentID,
		"WHERE therapist_id = ? AND target_type = ? AND target_id = ?", actor.ID, DraftSummary, enrollmentID)
	if err == nil {
		return d, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Draft{}, err
	}
	body := ""
	if head, err := db.currentSummary(ctx, enrollmentID); err != nil {
		return Draft{}, err
	} else if head != nil {
		body = head.Body
	} else {
		facts, err := db.summaryFacts(ctx, e, nil)
		if err != nil {
			return Draft{}, err
		}
		body = RenderSummaryIn(i18n.New(lang), facts)
	}
	return db.SaveDraft(ctx, actor, Draft{TherapistID: actor.ID, PatientID: e.PatientID, TargetType: DraftSummary, TargetID: e.ID, Body: body})
}

// currentSummary is the signed summary of an enrollment no other
// supersedes (nil when none is signed).
func (db *DB) currentSummary(ctx context.Context, enrollmentID string) (*Summary, error) {
	s, err := selectOne[Summary](ctx, db.r, tables.summary, "summary", enrollmentID, `s WHERE enrollment_id = ?
		AND NOT EXISTS (SELECT 1 FROM summaries n WHERE n.supersedes = s.id) ORDER BY signed_at DESC, id DESC`, enrollmentID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// SignSummary signs the discharge summary of a finished enrollment with
// body (empty: the text of actor's summary draft) and removes the draft;
// a summary signed before is superseded. The figures of the treatment at
// signing are kept with it.
func (db *DB) SignSummary(ctx context.Context, actor Actor, enrollmentID, body string) (Summary, error) {
	e, err := db.Enrollment(ctx, actor, enrollmentID)
	if err != nil {
		return Summary{}, err
	}
	draftID := ""
	d, err := selectOne[Draft](ctx, db.r, tables.draft, "draft", enrollmentID,
		"WHERE therapist_id = ? AND target_type = ? AND target_id = ?", actor.ID, DraftSummary, enrollmentID)
	switch {
	case err == nil:
		draftID = d.ID
		if strings.TrimSpace(body) == "" {
			body = d.Body
		}
	case !errors.Is(err, ErrNotFound):
		return Summary{}, err
	}
	if strings.TrimSpace(body) == "" {
		return Summary{}, invalid("summary", "body", "store.err.empty_there_no_summary")
	}
	facts, err := db.summaryFacts(ctx, e, nil)
	if err != nil {
		return Summary{}, err
	}
	raw, err := json.Marshal(facts)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{EnrollmentID: e.ID, PatientID: e.PatientID, TherapistID: actor.ID, Body: body, Facts: raw}
	db.stamp(&s.ID, &s.SignedAt)
	head, err := db.currentSummary(ctx, e.ID)
	if err != nil {
		return Summary{}, err
	}
	if head != nil {
		s.Supersedes = head.ID
	}
	return s, db.Apply(ctx, actor, SignSummaryOp{Summary: s, DraftID: draftID})
}

// SummaryView is a patient's discharge summary as printed: the current
// signed one, or (none signed yet) the figures now, unsigned.
type SummaryView struct {
	Pseudonym    string       `json:"pseudonym"`
	EnrollmentID string       `json:"enrollment_id"`
	Signed       bool         `json:"signed"`
	SignedBy     string       `json:"signed_by,omitempty"`
	Summary      *Summary     `json:"summary,omitempty"`
	Facts        SummaryFacts `json:"facts"`
	Body         string       `json:"body"`
	// Superseded lists the earlier signed versions (ids), newest first.
	Superseded []string `json:"superseded"`
}

// PatientSummary reads the discharge summary of a patient's latest
// finished enrollment (or of enrollmentID, when given) for actor, and
// writes the read to the audit log.
func (db *DB) PatientSummary(ctx context.Context, actor Actor, patientRef, enrollmentID string) (*SummaryView, error) {
	p, err := db.ReadablePatient(ctx, actor, patientRef)
	if err != nil {
		return nil, err
	}
	list, err := selectAll[Enrollment](ctx, db.r, tables.enrollment, "WHERE patient_id = ? ORDER BY created_at DESC, id DESC", p.ID)
	if err != nil {
		return nil, err
	}
	var e *Enrollment
	for i := range list {
		if (enrollmentID == "" && list[i].Finished()) || list[i].ID == enrollmentID {
			e = &list[i]
			break
		}
	}
	if e == nil {
		if enrollmentID != "" {
			return nil, notFound("enrollment", enrollmentID)
		}
		return nil, newErr(ErrNotFound, "store.err.no_finished_treatment", "Pseudonym", p.Pseudonym)
	}
	v := SummaryView{Pseudonym: p.Pseudonym, EnrollmentID: e.ID, Superseded: []string{}}
	head, err := db.currentSummary(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	if head != nil {
		v.Signed, v.Summary, v.Body = true, head, head.Body
		if th, err := db.Therapist(ctx, head.TherapistID); err == nil {
			v.SignedBy = th.Handle
		}
		if err := json.Unmarshal(head.Facts, &v.Facts); err != nil {
			return nil, fmt.Errorf("summary %s: the stored figures are unreadable: %w", head.ID, err)
		}
		for id := head.Supersedes; id != ""; {
			v.Superseded = append(v.Superseded, id)
			var next string
			if err := db.r.QueryRowContext(ctx, "SELECT supersedes FROM summaries WHERE id = ?", id).Scan(&next); err != nil {
				break
			}
			id = next
		}
	} else {
		f, err := db.summaryFacts(ctx, *e, nil)
		if err != nil {
			return nil, err
		}
		v.Facts, v.Body = *f, RenderSummary(f)
	}
	if err := db.RecordAccess(ctx, actor, p.ID, "read", "discharge summary"); err != nil {
		return nil, err
	}
	return &v, nil
}

// Markdown is the summary as printed by 'polku patients summary'.
func (v *SummaryView) Markdown() string {
	var b strings.Builder
	if !v.Signed {
		b.WriteString("> NOT SIGNED: the figures as they are now. The therapist signs the summary ('polku enrollments sign-summary').\n\n")
	}
	b.WriteString(strings.TrimRight(v.Body, "\n"))
	b.WriteString("\n")
	if v.Signed {
		fmt.Fprintf(&b, "\n---\nSigned by %s on %s", v.SignedBy, v.Summary.SignedAt.UTC().Format("2006-01-02 15:04 UTC"))
		if len(v.Superseded) > 0 {
			fmt.Fprintf(&b, "; corrects %s", plural(len(v.Superseded), "earlier version", "earlier versions"))
		}
		b.WriteString(".\n")
	}
	return b.String()
}
