package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/programs"
)

// Intake: referrals in, the suitability assessment, and the decisions
// (accept, decline and refer onward, the waiting list). Every decision is
// one operation, compare-and-set on the referral's version.

// Decline reason codes, in the order an intake worker picks from.
var DeclineCodes = [][2]string{
	{"not-suitable", "internet therapy does not suit the patient"},
	{"needs-other-care", "the patient needs another kind of care"},
	{"urgent-care", "the patient needs urgent care"},
	{"substance-use", "severe substance use"},
	{"age", "no program fits the patient's age"},
	{"patient-declined", "the patient does not want internet therapy"},
	{"no-contact", "the patient could not be reached"},
	{"duplicate", "the same patient is already referred or in treatment"},
	{"other", "another reason, in the text"},
}

func declineMeaning(code string) (string, bool) {
	for _, c := range DeclineCodes {
		if c[0] == code {
			return c[1], true
		}
	}
	return "", false
}

// Assessment answers.
const (
	AnswerYes     = "yes"
	AnswerNo      = "no"
	AnswerUnknown = "unknown"
)

// AssessMethods are how an assessment was made.
var AssessMethods = []string{"records", "phone", "video"}

var icdRE = regexp.MustCompile(`^[A-Z][0-9]{2}(\.?[0-9]{1,2})?$`)

// checkReferralContent checks what schema 6 added to a referral.
func checkReferralContent(rf refs, x *Referral) error {
	const r = "referral"
	if err := first(checkPlain(r, "source_id", x.SourceID), checkPlain(r, "team", x.Team), checkPlain(r, "referrer_name", x.ReferrerName),
		checkTextLen(r, "reason", x.Reason), checkTextLen(r, "notes", x.Notes), checkTextLen(r, "doctor_assessment", x.DoctorAssessment)); err != nil {
		return err
	}
	if x.Region != "" {
		if _, ok := programs.FindRegion(x.Region); !ok {
			return invalid(r, "region", "store.err.wellbeing_services_county_helsinki", "Region", quote(x.Region), "V", programs.RegionIDs())
		}
	}
	for i, c := range x.Codes {
		if !icdRE.MatchString(c) {
			return invalid(r, fmt.Sprintf("codes[%d]", i), "store.err.icd_code_letter_two", "C", quote(c))
		}
	}
	today := rf.now().Format(time.DateOnly)
	for i := range x.Screening {
		s := &x.Screening[i]
		f := fmt.Sprintf("screening[%d]", i)
		in, err := rf.instrument(s.Instrument, 0)
		if err != nil {
			return ref(r, f+".instrument", s.Instrument, err)
		}
		if err := checkDate(r, f+".date", s.Date); err != nil {
			return err
		}
		if s.Date > today {
			return invalid(r, f+".date", "store.err.in_future", "Value", s.Date)
		}
		switch {
		case len(s.Answers) > 0:
			total, err := in.Total(s.Answers)
			if err != nil {
				return invalid(r, f+".answers", "store.err.detail", "Detail", err)
			}
			if s.Total != nil && *s.Total != total {
				return invalid(r, f+".total", "store.err.does_match_answers_they", "Total", *s.Total, "Total2", total)
			}
			s.Total = &total
		case s.Total != nil:
			if lo, hi, ok := in.Range(); ok && (*s.Total < lo || *s.Total > hi) {
				return invalid(r, f+".total", "store.err.outside_s_range", "Total", *s.Total, "V", in.Name(), "Lo", lo, "Hi", hi)
			}
		default:
			return invalid(r, f, "store.err.give_total_item_answers")
		}
	}
	return nil
}

// ---- operations ----

// SetTherapistIntakeOp marks a therapist as an intake worker (or not) by
// compare-and-set.
type SetTherapistIntakeOp struct {
	ID      string    `json:"id"`
	Version int64     `json:"version"`
	Intake  bool      `json:"intake"`
	At      time.Time `json:"at"`
}

func (SetTherapistIntakeOp) OpType() string { return "therapist.intake" }
func (o SetTherapistIntakeOp) apply(t *tx) error {
	if _, err := (txRefs{t}).therapist(o.ID); err != nil {
		return err
	}
	v := 0
	if o.Intake {
		v = 1
	}
	return t.cas("therapists", "therapist", o.ID, "", o.Version, "intake = ?, updated_at = ?", v, fmtTime(o.At))
}

// SetTherapistUILangOp sets the language of a therapist's interface (""
// clears it) by compare-and-set.
type SetTherapistUILangOp struct {
	ID      string    `json:"id"`
	Version int64     `json:"version"`
	UILang  string    `json:"ui_lang"`
	At      time.Time `json:"at"`
}

func (SetTherapistUILangOp) OpType() string { return "therapist.ui_lang" }
func (o SetTherapistUILangOp) apply(t *tx) error {
	if err := first(needID("therapist", "id", o.ID), checkUILang("therapist", "ui_lang", o.UILang), needTime("therapist", "updated_at", o.At)); err != nil {
		return err
	}
	if _, err := (txRefs{t}).therapist(o.ID); err != nil {
		return err
	}
	return t.cas("therapists", "therapist", o.ID, "", o.Version, "ui_lang = ?, updated_at = ?", o.UILang, fmtTime(o.At))
}

// AssessReferralOp records a suitability assessment.
type AssessReferralOp struct {
	Assessment Assessment `json:"assessment"`
}

func (AssessReferralOp) OpType() string { return "referral.assess" }
func (o AssessReferralOp) apply(t *tx) error {
	a := &o.Assessment
	const r = "assessment"
	if err := first(needID(r, "id", a.ID), needID(r, "referral_id", a.ReferralID), needID(r, "therapist_id", a.TherapistID),
		needTime(r, "assessed_at", a.AssessedAt), checkTextLen(r, "note", a.Note)); err != nil {
		return err
	}
	if a.Method != "" {
		if err := checkEnum(r, "method", a.Method, AssessMethods...); err != nil {
			return err
		}
	}
	rf, err := (txRefs{t}).referral(a.ReferralID)
	if err != nil {
		return ref(r, "referral_id", a.ReferralID, err)
	}
	if a.PatientID != rf.PatientID {
		return invalid(r, "patient_id", "store.err.referral_s_patient")
	}
	if err := t.mayIntake(rf); err != nil {
		return err
	}
	list := programs.DefaultEligibility()
	if a.ProgramID != "" {
		p, err := t.latestProgram(a.ProgramID)
		if err != nil {
			return ref(r, "program_id", a.ProgramID, err)
		}
		list = p.Checklist()
	}
	if len(a.Answers) == 0 {
		return invalid(r, "answers", "store.err.answer_least_one_criterion", "List", criterionIDs(list))
	}
	for id, v := range a.Answers {
		if !hasCriterion(list, id) {
			return invalid(r, "answers", "store.err.not_on_checklist", "Id", quote(id), "List", criterionIDs(list))
		}
		if err := checkEnum(r, "answers."+id, v, AnswerYes, AnswerNo, AnswerUnknown); err != nil {
			return err
		}
	}
	return t.insert(tables.assessment, a, a.ID, a.PatientID)
}

func hasCriterion(list []programs.Criterion, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

func criterionIDs(list []programs.Criterion) string {
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

// AcceptReferralOp accepts a referral: the referral becomes enrolled (by
// compare-and-set), the enrollment with its therapist is made, and the
// patient's acceptance notification is queued, in one transaction.
type AcceptReferralOp struct {
	ReferralVersion int64        `json:"referral_version"`
	Enrollment      Enrollment   `json:"enrollment"`
	Notification    Notification `json:"notification"`
	// Reason is required when the start date is beyond the promise.
	Reason string `json:"reason,omitempty"`
	// DoctorAssessment records the referring doctor's assessment when it
	// came after the referral (a 16-17-year-old in an adults' program).
	DoctorAssessment string    `json:"doctor_assessment,omitempty"`
	At               time.Time `json:"at"`
}

func (AcceptReferralOp) OpType() string { return "referral.accept" }
func (o AcceptReferralOp) apply(t *tx) error {
	e := &o.Enrollment
	const r = "accept"
	if err := first(needID(r, "enrollment.referral_id", e.ReferralID), needTime(r, "at", o.At), checkTextLen(r, "reason", o.Reason)); err != nil {
		return err
	}
	rf, err := t.openReferral(e.ReferralID, o.ReferralVersion)
	if err != nil {
		return err
	}
	if e.PatientID != rf.PatientID {
		return invalid(r, "enrollment.patient_id", "store.err.referral_s_patient")
	}
	if err := checkEnrollment(txRefs{t}, e); err != nil {
		return err
	}
	th, err := (txRefs{t}).therapist(e.TherapistID)
	if err != nil {
		return ref(r, "therapist", e.TherapistID, err)
	}
	if th.Role != RoleTherapist && th.Role != RoleSupervisor {
		return invalid(r, "therapist", "store.err.account_takes_no_patients", "Handle", th.Handle, "Role", roleArg(th.Role))
	}
	if rf.Team != "" && th.Team != rf.Team {
		return invalid(r, "therapist", "store.err.team_whose_referral", "Handle", th.Handle, "Team", quote(rf.Team))
	}
	pol, err := t.policy()
	if err != nil {
		return err
	}
	loc := pol.Location()
	due := AddWorkingDays(rf.ReceivedAt, pol.StartDays, loc).Format(time.DateOnly)
	if e.StartDate > due && strings.TrimSpace(o.Reason) == "" {
		return invalid(r, "start_date", "store.err.beyond_start_promise_working", "StartDate", e.StartDate, "StartDays", pol.StartDays, "Due", due)
	}
	if e.StartDate < truncDay(o.At, loc).Format(time.DateOnly) {
		return invalid(r, "start_date", "store.err.in_past", "StartDate", e.StartDate)
	}
	if err := first(checkTextLen(r, "doctor_assessment", o.DoctorAssessment), t.acceptable(rf, e, o.DoctorAssessment, loc)); err != nil {
		return err
	}
	doctor := rf.DoctorAssessment
	if strings.TrimSpace(o.DoctorAssessment) != "" {
		doctor = o.DoctorAssessment
	}
	note := rf.Note
	if o.Reason != "" {
		note = "start beyond the promise: " + o.Reason
	}
	if err := t.cas("referrals", "referral", rf.ID, rf.PatientID, o.ReferralVersion,
		"status = ?, note = ?, doctor_assessment = ?, waiting_since = NULL, decided_by = ?, decided_at = ?, decision_code = 'accepted', updated_at = ?",
		ReferralEnrolled, note, doctor, t.actor.ID, fmtTime(o.At), fmtTime(o.At)); err != nil {
		return err
	}
	if err := t.insert(tables.enrollment, e, e.ID, e.PatientID); err != nil {
		return err
	}
	return t.notify(&o.Notification, rf, NotifyAccepted, ToPatient)
}

// acceptable applies the rules that rule an acceptance out: the program's
// ages at the start date, the referring doctor's assessment for a
// 16-17-year-old in an adults' program, and an exclusion answered yes in
// the newest assessment.
func (t *tx) acceptable(rf *Referral, e *Enrollment, doctor string, loc *time.Location) error {
	const r = "accept"
	prog, err := (txRefs{t}).program(e.ProgramVersionID)
	if err != nil {
		return ref(r, "program", e.ProgramVersionID, err)
	}
	p, err := (txRefs{t}).patient(rf.PatientID)
	if err != nil {
		return err
	}
	start, err := time.ParseInLocation(time.DateOnly, e.StartDate, loc)
	if err != nil {
		return invalid(r, "start_date", "store.err.not_date", "StartDate", quote(e.StartDate))
	}
	age := ageOn(p.BirthDate, start, loc)
	if age >= 0 && (age < prog.MinAge || (prog.MaxAge != 0 && age > prog.MaxAge)) {
		return invalid(r, "program", "store.err.ages_patient_years_old", "ID", prog.ID, "MinAge", ageRange(prog.MinAge, prog.MaxAge), "Age", age)
	}
	if age >= 0 && age < 18 && prog.MaxAge == 0 && strings.TrimSpace(rf.DoctorAssessment) == "" && strings.TrimSpace(doctor) == "" {
		return invalid(r, "doctor_assessment", "store.err.patient_year_old_adults", "Age", age)
	}
	var answers, programID, at string
	err = t.tx.QueryRowContext(t.ctx, "SELECT answers, program_id, assessed_at FROM referral_assessments WHERE referral_id = ? ORDER BY assessed_at DESC, id DESC LIMIT 1", rf.ID).
		Scan(&answers, &programID, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(answers), &m); err != nil {
		return err
	}
	list := programs.DefaultEligibility()
	if programID != "" {
		if ap, err := t.latestProgram(programID); err == nil {
			list = ap.Checklist()
		}
	}
	for _, c := range list {
		if c.Exclusion && m[c.ID] == AnswerYes {
			return invalid(r, "assessment", "store.err.assessment_answers_yes_exclusion", "At", at[:10], "ID", c.ID, "Text", strings.ToLower(c.Text))
		}
	}
	return nil
}

// DeclineReferralOp declines a referral with a reason code and text and,
// where one fits, the service the patient is pointed to; a notification
// for the referrer is queued.
type DeclineReferralOp struct {
	ReferralID      string       `json:"referral_id"`
	ReferralVersion int64        `json:"referral_version"`
	Code            string       `json:"code"`
	Text            string       `json:"text"`
	ServiceID       string       `json:"service_id,omitempty"`
	Notification    Notification `json:"notification"`
	At              time.Time    `json:"at"`
}

func (DeclineReferralOp) OpType() string { return "referral.decline" }
func (o DeclineReferralOp) apply(t *tx) error {
	const r = "decline"
	if err := first(needTime(r, "at", o.At), need(r, "text", strings.TrimSpace(o.Text)), checkTextLen(r, "text", o.Text)); err != nil {
		return err
	}
	if _, ok := declineMeaning(o.Code); !ok {
		codes := make([]string, len(DeclineCodes))
		for i, c := range DeclineCodes {
			codes[i] = c[0]
		}
		return invalid(r, "code", "store.err.decline_reason_one", "Code", quote(o.Code), "Codes", strings.Join(codes, ", "))
	}
	if o.ServiceID != "" {
		var n int
		if err := t.tx.QueryRowContext(t.ctx, "SELECT COUNT(*) FROM services WHERE service_id = ?", o.ServiceID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalid(r, "service", "store.err.unknown_service_see_polku", "ServiceID", quote(o.ServiceID))
		}
	}
	rf, err := t.openReferral(o.ReferralID, o.ReferralVersion)
	if err != nil {
		return err
	}
	note := o.Text
	if o.ServiceID != "" {
		note += " (referred onward: " + o.ServiceID + ")"
	}
	if err := t.cas("referrals", "referral", rf.ID, rf.PatientID, o.ReferralVersion,
		"status = ?, note = ?, waiting_since = NULL, decided_by = ?, decided_at = ?, decision_code = ?, updated_at = ?",
		ReferralDeclined, note, t.actor.ID, fmtTime(o.At), o.Code, fmtTime(o.At)); err != nil {
		return err
	}
	return t.notify(&o.Notification, rf, NotifyDeclined, ToReferrer)
}

// WaitReferralOp puts a referral on the waiting list.
type WaitReferralOp struct {
	ReferralID      string    `json:"referral_id"`
	ReferralVersion int64     `json:"referral_version"`
	Reason          string    `json:"reason,omitempty"`
	At              time.Time `json:"at"`
}

func (WaitReferralOp) OpType() string { return "referral.wait" }
func (o WaitReferralOp) apply(t *tx) error {
	const r = "wait"
	if err := first(needTime(r, "at", o.At), checkTextLen(r, "reason", o.Reason)); err != nil {
		return err
	}
	rf, err := t.openReferral(o.ReferralID, o.ReferralVersion)
	if err != nil {
		return err
	}
	if rf.WaitingSince != nil {
		return newErr(ErrConflict, "store.err.already_waiting", "ID", rf.ID, "Since", rf.WaitingSince.Format(time.DateOnly))
	}
	note := rf.Note
	if o.Reason != "" {
		note = o.Reason
	}
	return t.cas("referrals", "referral", rf.ID, rf.PatientID, o.ReferralVersion,
		"waiting_since = ?, note = ?, updated_at = ?", fmtTime(o.At), note, fmtTime(o.At))
}

// DecidedError says that a referral was decided (or changed) by someone
// else since the caller read it, and what was decided.
type DecidedError struct {
	ReferralID string
	What       string       // "accepted by anna on 2026-11-30 10:12"
	WhatMsg    i18n.Message // What as a message
	Current    Referral
}

func (e *DecidedError) Error() string {
	return fmt.Sprintf("referral %s was %s while you had it open: reload it ('polku referrals show %s')", e.ReferralID, e.What, e.ReferralID)
}

// Message is the error's sentence as a message.
func (e *DecidedError) Message() i18n.Message {
	return i18n.Msg("store.err.decided", "ID", e.ReferralID, "What", e.WhatMsg)
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *DecidedError) Unwrap() error { return ErrConflict }

// openReferral loads a referral for a decision: it must be open, at the
// version the caller read, and the actor must work its intake queue.
func (t *tx) openReferral(id string, version int64) (*Referral, error) {
	rf, err := (txRefs{t}).referral(id)
	if err != nil {
		return nil, err
	}
	if err := t.mayIntake(rf); err != nil {
		return nil, err
	}
	if rf.Version != version || (rf.Status != ReferralReceived && rf.Status != ReferralAccepted) {
		what := t.describeDecision(rf)
		return nil, &DecidedError{ReferralID: id, What: englishText(what), WhatMsg: what, Current: *rf}
	}
	return rf, nil
}

func (t *tx) describeDecision(rf *Referral) i18n.Message {
	who := rf.DecidedBy
	var handle string
	if t.tx.QueryRowContext(t.ctx, "SELECT handle FROM therapists WHERE id = ?", rf.DecidedBy).Scan(&handle) == nil {
		who = handle
	}
	at := any("")
	if rf.DecidedAt != nil {
		at = i18n.Msg("store.err.decided_at", "At", rf.DecidedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	switch {
	case rf.Status == ReferralEnrolled:
		var th, start string
		t.tx.QueryRowContext(t.ctx, `SELECT t.handle, e.start_date FROM enrollments e JOIN therapists t ON t.id = e.therapist_id
			WHERE e.referral_id = ? ORDER BY e.created_at DESC LIMIT 1`, rf.ID).Scan(&th, &start)
		extra := any("")
		if th != "" {
			extra = i18n.Msg("store.err.decided_start", "Therapist", th, "Start", start)
		}
		return i18n.Msg("store.err.decided_accepted", "Who", who, "At", at, "Start", extra)
	case rf.Status == ReferralDeclined:
		return i18n.Msg("store.err.decided_declined", "Who", who, "At", at, "Code", rf.DecisionCode)
	case rf.WaitingSince != nil:
		return i18n.Msg("store.err.decided_waiting", "At", rf.WaitingSince.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return i18n.Msg("store.err.decided_changed", "Version", rf.Version)
}

// mayIntake: supervisors and intake workers decide the referrals of their
// team (and those of no team); the system and the store's owner at the
// CLI decide any. Admin accounts read no patient records.
func (t *tx) mayIntake(rf *Referral) error {
	return mayIntake(t.ctx, t.tx, t.actor, rf.Team)
}

func mayIntake(ctx context.Context, q querier, actor Actor, team string) error {
	if !actor.IsPerson() || strings.HasPrefix(actor.ID, "os:") {
		return nil
	}
	switch actor.Role {
	case RoleAdmin:
		return forbidden("store.err.admin_reads_no_records", "Handle", actor.Handle)
	case RoleTherapist:
		var intake bool
		if err := q.QueryRowContext(ctx, "SELECT intake FROM therapists WHERE id = ?", actor.ID).Scan(&intake); err != nil || !intake {
			return forbidden("store.err.intake_worker_admin_makes", "Handle", actor.Handle, "Handle2", actor.Handle)
		}
	case RoleSupervisor:
	default:
		return forbidden("store.err.role_does_work_intake", "Role", quote(actor.Role))
	}
	if team != "" && team != actor.Team {
		return forbidden("store.err.referral_team_s_team", "Team", quote(team), "Handle", actor.Handle, "Team2", quote(actor.Team))
	}
	return nil
}

func (t *tx) notify(n *Notification, rf *Referral, kind, to string) error {
	const r = "notification"
	if err := first(needID(r, "id", n.ID), needTime(r, "created_at", n.CreatedAt), need(r, "text", n.Text), checkTextLen(r, "text", n.Text)); err != nil {
		return err
	}
	if n.Kind != kind || n.Recipient != to || n.ReferralID != rf.ID || n.PatientID != rf.PatientID {
		return invalid(r, "kind", "store.err.must_notification_referral", "Kind", kind, "To", to, "ID", rf.ID)
	}
	if err := checkLanguage(r, "language", n.Language); err != nil {
		return err
	}
	return t.insert(tables.notification, n, n.ID, n.PatientID)
}

// policy reads the policy inside the transaction.
func (t *tx) policy() (Policy, error) {
	p := DefaultPolicy()
	settings, err := selectAll[Setting](t.ctx, t.tx, tables.setting, "ORDER BY key")
	if err != nil {
		return p, err
	}
	for _, s := range settings {
		if _, known := policyKeys[s.Key]; known {
			if err := applySetting(&p, s.Key, s.Value); err != nil {
				p.Problems = append(p.Problems, err.Error())
			}
		}
	}
	return p, nil
}

func (t *tx) latestProgram(programID string) (*programs.Program, error) {
	var vid string
	err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM program_versions WHERE program_id = ? ORDER BY version DESC LIMIT 1", programID).Scan(&vid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("program", programID)
	}
	if err != nil {
		return nil, err
	}
	return t.db.programDef(t.ctx, t.tx, vid, t)
}

// tryApply runs an operation's checks and writes in a transaction that is
// always rolled back: a dry run that refuses exactly what the real one
// would.
func (db *DB) tryApply(ctx context.Context, actor Actor, op Op) error {
	errDry := errors.New("dry run")
	err := db.write(ctx, actor, op, func(t *tx) error {
		if err := op.apply(t); err != nil {
			return err
		}
		return errDry
	})
	if errors.Is(err, errDry) {
		return nil
	}
	return err
}

// ---- arrival ----

// ReferralIn is a referral as it arrives: from 'polku referrals add', the
// server (POST /v1/referrals) or a file. docs/api.md describes it.
type ReferralIn struct {
	SourceID string `json:"source_id"`
	Patient  struct {
		Pseudonym   string `json:"pseudonym"`
		DisplayName string `json:"display_name"`
		BirthDate   string `json:"birth_date"`
		Language    string `json:"language"`
	} `json:"patient"`
	Region   string `json:"region"`
	Referrer struct {
		Name         string `json:"name"`
		Organisation string `json:"organisation"`
	} `json:"referrer"`
	Reason           string      `json:"reason"`
	Codes            []string    `json:"codes,omitempty"`
	Screening        []Screening `json:"screening,omitempty"`
	WishedProgram    string      `json:"wished_program,omitempty"`
	Notes            string      `json:"notes,omitempty"`
	DoctorAssessment string      `json:"doctor_assessment,omitempty"`
	Team             string      `json:"team,omitempty"`
	ReceivedAt       *time.Time  `json:"received_at,omitempty"` // default: now
}

// AddReferralOp's Patient (optional) is a new patient the referral brings;
// it is stored first, in the same transaction.

// Received is what ReceiveReferral did.
type Received struct {
	Referral Referral `json:"referral"`
	Patient  Patient  `json:"patient"`
	Created  bool     `json:"created"` // false: the source id was already stored, this is the first referral
	DryRun   bool     `json:"dry_run,omitempty"`
}

// ReceiveReferral stores an arriving referral and, when the pseudonym is
// new, its patient, in one operation. A source id already stored answers
// with the stored referral (Created false). Every problem names its field.
func (db *DB) ReceiveReferral(ctx context.Context, actor Actor, in ReferralIn, dryRun bool) (Received, error) {
	if in.SourceID != "" {
		if r, err := db.referralBySource(ctx, in.SourceID); err == nil {
			p, err := db.ResolvePatient(ctx, r.PatientID)
			return Received{Referral: r, Patient: p}, err
		} else if !errors.Is(err, ErrNotFound) {
			return Received{}, err
		}
	}
	now := db.Now()
	const rec = "referral"
	pat := in.Patient
	if err := first(need(rec, "source_id", in.SourceID), need(rec, "patient.pseudonym", pat.Pseudonym), need(rec, "patient.display_name", pat.DisplayName),
		need(rec, "patient.birth_date", pat.BirthDate), checkDate(rec, "patient.birth_date", pat.BirthDate),
		checkLanguage(rec, "patient.language", pat.Language), need(rec, "referrer.name", in.Referrer.Name),
		need(rec, "referrer.organisation", in.Referrer.Organisation), need(rec, "reason", strings.TrimSpace(in.Reason))); err != nil {
		return Received{}, err
	}
	loc := time.UTC
	if pol, err := db.Policy(ctx); err == nil {
		loc = pol.Location()
	}
	if pat.BirthDate > now.In(loc).Format(time.DateOnly) {
		return Received{}, invalid(rec, "patient.birth_date", "store.err.in_future", "Value", pat.BirthDate)
	}
	received := now
	if in.ReceivedAt != nil {
		received = in.ReceivedAt.UTC().Truncate(time.Millisecond)
		if received.After(now) {
			return Received{}, invalid(rec, "received_at", "store.err.in_future", "Value", fmtTime(received))
		}
	}
	if in.WishedProgram != "" {
		if _, err := db.latestProgramDef(ctx, in.WishedProgram); err != nil {
			ids, _ := db.programIDs(ctx)
			return Received{}, invalid(rec, "wished_program", "store.err.unknown_program_one", "WishedProgram", quote(in.WishedProgram), "Ids", strings.Join(ids, ", "))
		}
	}
	region := in.Region
	if region != "" {
		r, ok := programs.FindRegion(region)
		if !ok {
			return Received{}, invalid(rec, "region", "store.err.wellbeing_services_county_helsinki", "Region", quote(region), "V", programs.RegionIDs())
		}
		region = r.ID
	}
	codes := make([]string, len(in.Codes))
	for i, c := range in.Codes {
		codes[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	p, err := db.ResolvePatient(ctx, pat.Pseudonym)
	var newPatient *Patient
	switch {
	case errors.Is(err, ErrNotFound):
		p = Patient{ID: db.NewID(now), Pseudonym: pat.Pseudonym, DisplayName: pat.DisplayName, BirthDate: pat.BirthDate,
			Language: pat.Language, CreatedAt: now, UpdatedAt: now, Version: 1}
		newPatient = &p
	case err != nil:
		return Received{}, err
	case p.BirthDate != pat.BirthDate:
		// The stored birth date is not echoed: the sender may only add.
		return Received{}, invalid(rec, "patient.birth_date", "store.err.does_match_stored_patient", "Pseudonym", pat.Pseudonym)
	}
	r := Referral{ID: db.NewID(now), PatientID: p.ID, ReceivedAt: received, ReferringUnit: in.Referrer.Organisation,
		RequestedProgram: in.WishedProgram, Status: ReferralReceived, UpdatedAt: now, Version: 1,
		SourceID: in.SourceID, Team: in.Team, Region: region, ReferrerName: in.Referrer.Name, Reason: in.Reason,
		Codes: codes, Screening: in.Screening, Notes: in.Notes, DoctorAssessment: in.DoctorAssessment}
	op := AddReferralOp{Referral: r, Patient: newPatient}
	out := Received{Referral: r, Patient: p, Created: true, DryRun: dryRun}
	if dryRun {
		return out, db.tryApply(ctx, actor, op)
	}
	if err := db.Apply(ctx, actor, op); err != nil {
		if IsConflict(err) {
			// Sent twice at once: the other one was stored first.
			if first, err2 := db.referralBySource(ctx, in.SourceID); err2 == nil {
				p, err := db.ResolvePatient(ctx, first.PatientID)
				return Received{Referral: first, Patient: p}, err
			}
		}
		return Received{}, err
	}
	// The stored screening has its computed totals.
	stored, err := db.Referral(ctx, r.ID)
	if err == nil {
		out.Referral = stored
	}
	return out, nil
}

func (db *DB) referralBySource(ctx context.Context, source string) (Referral, error) {
	return selectOne[Referral](ctx, db.r, tables.referral, "referral", source, "WHERE source_id = ? AND source_id <> ''", source)
}

// Referral reads one referral (no audit: it is not a patient's record
// read by a person; ReferralDetail audits).
func (db *DB) Referral(ctx context.Context, id string) (Referral, error) {
	return selectOne[Referral](ctx, db.r, tables.referral, "referral", id, "WHERE id = ?", id)
}

// latestProgramDef is the newest stored version of a program.
func (db *DB) latestProgramDef(ctx context.Context, programID string) (ProgramVersion, error) {
	var pv ProgramVersion
	list, err := selectAll[ProgramVersion](ctx, db.r, tables.program, "WHERE program_id = ? ORDER BY version DESC LIMIT 1", programID)
	if err != nil {
		return pv, err
	}
	if len(list) == 0 {
		return pv, notFound("program", programID)
	}
	return list[0], nil
}

func (db *DB) programIDs(ctx context.Context) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT DISTINCT program_id FROM program_versions ORDER BY program_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// latestPrograms parses the newest version of every stored program, by id.
func (db *DB) latestPrograms(ctx context.Context) ([]*programs.Program, map[string]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, program_id FROM program_versions pv
		WHERE version = (SELECT MAX(version) FROM program_versions WHERE program_id = pv.program_id) ORDER BY program_id`)
	if err != nil {
		return nil, nil, err
	}
	var ids [][2]string
	for rows.Next() {
		var id, pid string
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return nil, nil, err
		}
		ids = append(ids, [2]string{id, pid})
	}
	rows.Close()
	var out []*programs.Program
	vids := map[string]string{}
	for _, x := range ids {
		p, err := db.ProgramDef(ctx, x[0])
		if err != nil {
			return nil, nil, err
		}
		out = append(out, p)
		vids[x[1]] = x[0]
	}
	return out, vids, nil
}

// Services reads the newest version of every service in the directory.
func (db *DB) Services(ctx context.Context) ([]*programs.Service, error) {
	list, err := selectAll[ServiceVersion](ctx, db.r, tables.service,
		"sv WHERE version = (SELECT MAX(version) FROM services WHERE service_id = sv.service_id) ORDER BY service_id")
	if err != nil {
		return nil, err
	}
	out := make([]*programs.Service, 0, len(list))
	for _, sv := range list {
		var s programs.Service
		if err := json.Unmarshal(sv.Definition, &s); err != nil {
			return nil, fmt.Errorf("service %s: %w", sv.ServiceID, err)
		}
		out = append(out, &s)
	}
	return out, nil
}

// SetTherapistIntake marks a therapist as an intake worker or not.
func (db *DB) SetTherapistIntake(ctx context.Context, actor Actor, therapistID string, version int64, intake bool) error {
	return db.Apply(ctx, actor, SetTherapistIntakeOp{ID: therapistID, Version: version, Intake: intake, At: db.Now()})
}

// SetTherapistUILang sets the language of a therapist's interface: fi, sv
// or en, or "" for none (the environment decides).
func (db *DB) SetTherapistUILang(ctx context.Context, actor Actor, therapistID string, version int64, lang string) error {
	return db.Apply(ctx, actor, SetTherapistUILangOp{ID: therapistID, Version: version, UILang: lang, At: db.Now()})
}

// AssessReferral records a suitability assessment; the therapist is the
// actor.
func (db *DB) AssessReferral(ctx context.Context, actor Actor, a Assessment) (Assessment, error) {
	db.stamp(&a.ID, &a.AssessedAt)
	if a.TherapistID == "" {
		a.TherapistID = actor.ID
	}
	if a.PatientID == "" {
		if r, err := db.Referral(ctx, a.ReferralID); err == nil {
			a.PatientID = r.PatientID
		}
	}
	return a, db.Apply(ctx, actor, AssessReferralOp{a})
}

// ResolveReferral finds a referral by id or by source id.
func (db *DB) ResolveReferral(ctx context.Context, ref string) (Referral, error) {
	r, err := db.Referral(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		r, err = db.referralBySource(ctx, ref)
	}
	if errors.Is(err, ErrNotFound) {
		return r, newErr(ErrNotFound, "store.err.no_referral", "ID", quote(ref))
	}
	return r, err
}

// Checks of intake records as they are imported or pulled (not through
// an operation): their shape and their patient.

func checkServiceRecord(sv *ServiceVersion) error {
	const r = "service"
	if err := first(needID(r, "id", sv.ID), need(r, "service_id", sv.ServiceID), needTime(r, "imported_at", sv.ImportedAt)); err != nil {
		return err
	}
	var def programs.Service
	if err := json.Unmarshal(sv.Definition, &def); err != nil || def.ID != sv.ServiceID || def.Version != sv.Version {
		return invalid(r, "definition", "store.err.does_describe_version", "ID", sv.ServiceID, "Version", sv.Version)
	}
	return nil
}

func checkAssessmentRecord(rf refs, a *Assessment) error {
	const r = "assessment"
	if err := first(needID(r, "id", a.ID), needID(r, "referral_id", a.ReferralID), needID(r, "therapist_id", a.TherapistID),
		needTime(r, "assessed_at", a.AssessedAt), checkTextLen(r, "note", a.Note)); err != nil {
		return err
	}
	for id, v := range a.Answers {
		if err := checkEnum(r, "answers."+id, v, AnswerYes, AnswerNo, AnswerUnknown); err != nil {
			return err
		}
	}
	_, err := rf.patient(a.PatientID)
	return ref(r, "patient_id", a.PatientID, err)
}

func checkNotificationRecord(rf refs, n *Notification) error {
	const r = "notification"
	if err := first(needID(r, "id", n.ID), needID(r, "referral_id", n.ReferralID), need(r, "text", n.Text),
		checkEnum(r, "kind", n.Kind, NotifyAccepted, NotifyDeclined), checkEnum(r, "recipient", n.Recipient, ToPatient, ToReferrer),
		checkLanguage(r, "language", n.Language), needTime(r, "created_at", n.CreatedAt)); err != nil {
		return err
	}
	_, err := rf.patient(n.PatientID)
	return ref(r, "patient_id", n.PatientID, err)
}
