package store

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"polku/internal/i18n"
	"polku/internal/textsafe"
	"polku/programs"
)

// refs resolves the records a record refers to while it is validated:
// inside a write transaction (txRefs) or during an import, where earlier
// lines of the same file count too (importRefs).
type refs interface {
	patient(id string) (*Patient, error)
	therapist(id string) (*Therapist, error)
	enrollment(id string) (*Enrollment, error)
	submission(id string) (*Submission, error)
	// feedbackHead is the newest feedback on a submission: the one no other
	// feedback supersedes ("" when there is none).
	feedbackHead(submissionID string) (string, error)
	message(id string) (*Message, error)
	measure(id string) (*MeasureResponse, error)
	diary(id string) (*DiaryEntry, error)
	program(versionID string) (*programs.Program, error)
	instrument(id string, version int) (*programs.Instrument, error)
	// assigned says whether a therapist may acknowledge the patient's
	// flags at a time: the therapist assigned then, or the team's
	// supervisor when no therapist is (see txRefs.assigned).
	assigned(patientID, therapistID string, at time.Time) (bool, error)
	// now is the store's clock.
	now() time.Time
}

type txRefs struct{ t *tx }

func (r txRefs) get(tb *table, what, id string, dst any) error {
	st, err := r.t.stmt("SELECT " + tb.colList + " FROM " + tb.name + " WHERE id = ?")
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(r.t.ctx, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return notFound(what, id)
	}
	return tb.scanInto(rows, dst)
}

func (r txRefs) patient(id string) (*Patient, error) {
	var p Patient
	return &p, r.get(tables.patient, "patient", id, &p)
}
func (r txRefs) therapist(id string) (*Therapist, error) {
	var p Therapist
	return &p, r.get(tables.therapist, "therapist", id, &p)
}
func (r txRefs) enrollment(id string) (*Enrollment, error) {
	var p Enrollment
	return &p, r.get(tables.enrollment, "enrollment", id, &p)
}
func (r txRefs) submission(id string) (*Submission, error) {
	var p Submission
	return &p, r.get(tables.submission, "submission", id, &p)
}
func (r txRefs) feedbackHead(submissionID string) (string, error) {
	st, err := r.t.stmt("SELECT id, supersedes FROM feedback WHERE submission_id = ?")
	if err != nil {
		return "", err
	}
	rows, err := st.QueryContext(r.t.ctx, submissionID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var ids []string
	superseded := map[string]bool{}
	for rows.Next() {
		var id, sup string
		if err := rows.Scan(&id, &sup); err != nil {
			return "", err
		}
		ids = append(ids, id)
		superseded[sup] = true
	}
	head := ""
	for _, id := range ids {
		if !superseded[id] && id > head { // ids are time-ordered; one head unless the data is damaged
			head = id
		}
	}
	return head, rows.Err()
}

func (r txRefs) message(id string) (*Message, error) {
	var p Message
	return &p, r.get(tables.message, "message", id, &p)
}
func (r txRefs) measure(id string) (*MeasureResponse, error) {
	var p MeasureResponse
	return &p, r.get(tables.measure, "measure response", id, &p)
}
func (r txRefs) diary(id string) (*DiaryEntry, error) {
	var p DiaryEntry
	return &p, r.get(tables.diary, "diary entry", id, &p)
}
func (r txRefs) program(versionID string) (*programs.Program, error) {
	return r.t.db.programDef(r.t.ctx, r.t.tx, versionID, r.t)
}
func (r txRefs) instrument(id string, version int) (*programs.Instrument, error) {
	return r.t.db.instrumentDef(r.t.ctx, r.t.tx, id, version, r.t)
}
func (r txRefs) now() time.Time { return r.t.now }

// assigned applies the rule of docs/clinical.md, "Who may acknowledge",
// by the enrollments' history: at time at, the patient's therapist is the
// therapist of each enrollment made by then and not yet finished then (its
// complete or discontinue event, else its last update), or, when none is
// current, of the latest one made by then (the last therapist assigned).
// An enrollment's therapist at a time is the one its transfer events name
// then (the course, which an export carries); without transfer events, the
// one its change log names then (the assignments table: a therapist set
// directly); an enrollment whose history is in neither (an older import)
// names the author of the latest message or feedback on it by then, else
// its therapist. Only when no therapist is
// assigned (no enrollment made by then) does the supervisor of the team of
// the patient's therapists acknowledge.
func (r txRefs) assigned(patientID, therapistID string, at time.Time) (bool, error) {
	ts := fmtTime(at)
	rows, err := r.t.query(`SELECT e.id, e.therapist_id, e.status, e.created_at,
		COALESCE((SELECT MIN(ev.at) FROM enrollment_events ev WHERE ev.enrollment_id = e.id AND ev.kind IN ('complete', 'discontinue')), e.updated_at)
		FROM enrollments e WHERE e.patient_id = ? ORDER BY e.created_at, e.id`, patientID)
	if err != nil {
		return false, err
	}
	type enr struct{ id, therapist, status, created, updated string }
	var all, current []enr
	for rows.Next() {
		var e enr
		if err := rows.Scan(&e.id, &e.therapist, &e.status, &e.created, &e.updated); err != nil {
			rows.Close()
			return false, err
		}
		all = append(all, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	var latest *enr
	for i, e := range all {
		if e.created > ts {
			continue
		}
		latest = &all[i]
		if finished := e.status == EnrollmentCompleted || e.status == EnrollmentDiscontinued; !finished || e.updated > ts {
			current = append(current, e)
		}
	}
	if len(current) == 0 && latest != nil {
		current = []enr{*latest}
	}
	for _, e := range current {
		var who string
		err := r.t.queryRow(`SELECT COALESCE(
			(SELECT to_therapist FROM enrollment_events WHERE enrollment_id = ?1 AND kind = 'transfer' AND at <= ?2 ORDER BY at DESC LIMIT 1),
			(SELECT from_therapist FROM enrollment_events WHERE enrollment_id = ?1 AND kind = 'transfer' AND at > ?2 ORDER BY at LIMIT 1),
			(SELECT a.therapist_id FROM assignments a JOIN changes c ON c.seq = a.seq
				WHERE a.enrollment_id = ?1 AND c.at <= ?2 ORDER BY a.seq DESC LIMIT 1),
			(SELECT therapist_id FROM (
				SELECT therapist_id, sent_at FROM messages WHERE enrollment_id = ?1 AND direction = 'out' AND sent_at <= ?2
				UNION ALL SELECT therapist_id, sent_at FROM feedback WHERE enrollment_id = ?1 AND sent_at <= ?2)
				ORDER BY sent_at DESC LIMIT 1),
			?3)`, e.id, ts, e.therapist).Scan(&who)
		if err != nil {
			return false, err
		}
		if who == therapistID {
			return true, nil
		}
	}
	if len(current) > 0 {
		return false, nil
	}
	var n int
	err = r.t.queryRow(`SELECT EXISTS (SELECT 1 FROM enrollments e JOIN therapists t ON t.id = e.therapist_id
		JOIN therapists s ON s.id = ?2 WHERE e.patient_id = ?1 AND s.role = 'supervisor' AND s.team <> '' AND t.team = s.team)`,
		patientID, therapistID).Scan(&n)
	return n == 1, err
}

// --- field checks ---

var handleRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

const maxText = 100_000 // characters in one body of text

func need(rec, field, v string) error {
	if strings.TrimSpace(v) == "" {
		return invalid(rec, field, "store.err.required")
	}
	return nil
}

func needID(rec, field, v string) error {
	if v == "" {
		return invalid(rec, field, "store.err.required")
	}
	if len(v) > 64 || strings.ContainsAny(v, " \t\r\n") {
		return invalid(rec, field, "store.err.not_id", "V", quote(v))
	}
	return nil
}

func needTime(rec, field string, t time.Time) error {
	if t.IsZero() {
		return invalid(rec, field, "store.err.required_utc_time_like")
	}
	return nil
}

func checkDate(rec, field, v string) error {
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return invalid(rec, field, "store.err.not_date_iso", "Value", quote(v))
	}
	return nil
}

func checkText(rec, field, v string) error {
	if err := need(rec, field, v); err != nil {
		return err
	}
	if !utf8.ValidString(v) {
		return invalid(rec, field, "store.err.not_utf8")
	}
	if utf8.RuneCountInString(v) > maxText {
		return invalid(rec, field, "store.err.longer_than_characters", "Max", maxText)
	}
	return nil
}

// checkPlain refuses control characters (escape sequences and the like) in
// names and other one-line fields that are shown in terminals, and the
// line and paragraph separators U+2028 and U+2029: a one-line field has
// no line breaks.
func checkPlain(rec, field, v string) error {
	for _, c := range v {
		if programs.IsControl(c) || c == 0x2028 || c == 0x2029 {
			return invalid(rec, field, "store.err.contains_control_character_u_2", "C", fmt.Sprintf("%04X", c))
		}
	}
	return nil
}

// CheckPlain is checkPlain for fields stored outside an operation, such as
// the device a server token is made for: it names something in listings and
// in the audit log, so it is plain one-line text.
func CheckPlain(record, field, v string) error { return checkPlain(record, field, v) }

func checkEnum(rec, field, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return invalid(rec, field, "store.err.not_one_of", "V", quote(v), "Allowed", strings.Join(allowed, ", "))
}

func checkLanguage(rec, field, v string) error {
	return checkEnum(rec, field, v, programs.Languages...)
}

// ref turns a lookup error into a field error.
func ref(rec, field, id string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrNotFound) {
		why := i18n.Msg("store.err.does_not_exist", "ID", id)
		return &FieldError{Record: rec, Field: field, Why: why, Missing: id}
	}
	return err
}

func first(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// --- record checks ---

func checkTherapist(t *Therapist) error {
	const r = "therapist"
	if err := first(needID(r, "id", t.ID), need(r, "handle", t.Handle), need(r, "name", t.Name),
		checkEnum(r, "role", t.Role, RoleTherapist, RoleSupervisor, RoleAdmin), needTime(r, "created_at", t.CreatedAt)); err != nil {
		return err
	}
	if err := first(checkPlain(r, "name", t.Name), checkPlain(r, "team", t.Team)); err != nil {
		return err
	}
	if !handleRE.MatchString(t.Handle) {
		return invalid(r, "handle", "store.err.must_lower_case_letters", "Handle", quote(t.Handle))
	}
	if t.Capacity < 0 {
		return invalid(r, "capacity", "store.err.must_negative")
	}
	for _, l := range t.Languages {
		if err := checkLanguage(r, "languages", l); err != nil {
			return err
		}
	}
	return checkUILang(r, "ui_lang", t.UILang)
}

// UILangs are the interface languages a therapist may choose; "" is no
// choice (the environment decides).
var UILangs = []string{"fi", "sv", "en"}

func checkUILang(rec, field, v string) error {
	if v == "" {
		return nil
	}
	return checkEnum(rec, field, v, UILangs...)
}

func checkPatient(p *Patient) error {
	const r = "patient"
	return first(needID(r, "id", p.ID), need(r, "pseudonym", p.Pseudonym), need(r, "display_name", p.DisplayName),
		checkPlain(r, "pseudonym", p.Pseudonym), checkPlain(r, "display_name", p.DisplayName),
		checkDate(r, "birth_date", p.BirthDate), checkLanguage(r, "language", p.Language), needTime(r, "created_at", p.CreatedAt))
}

func checkReferral(rf refs, x *Referral) error {
	const r = "referral"
	if err := first(needID(r, "id", x.ID), needID(r, "patient_id", x.PatientID), needTime(r, "received_at", x.ReceivedAt),
		need(r, "referring_unit", x.ReferringUnit),
		checkPlain(r, "referring_unit", x.ReferringUnit), checkPlain(r, "requested_program", x.RequestedProgram),
		checkEnum(r, "status", x.Status, ReferralReceived, ReferralAccepted, ReferralDeclined, ReferralEnrolled)); err != nil {
		return err
	}
	if err := checkReferralContent(rf, x); err != nil {
		return err
	}
	_, err := rf.patient(x.PatientID)
	return ref(r, "patient_id", x.PatientID, err)
}

func checkEnrollment(rf refs, e *Enrollment) error {
	const r = "enrollment"
	if err := first(needID(r, "id", e.ID), needID(r, "patient_id", e.PatientID), needID(r, "program_version_id", e.ProgramVersionID),
		needID(r, "therapist_id", e.TherapistID),
		checkEnum(r, "status", e.Status, EnrollmentScheduled, EnrollmentActive, EnrollmentCompleted, EnrollmentDiscontinued),
		checkDate(r, "start_date", e.StartDate), checkDate(r, "planned_end", e.PlannedEnd), needTime(r, "created_at", e.CreatedAt)); err != nil {
		return err
	}
	if e.PlannedEnd < e.StartDate {
		return invalid(r, "planned_end", "store.err.before_start_date", "PlannedEnd", e.PlannedEnd, "StartDate", e.StartDate)
	}
	if _, err := rf.patient(e.PatientID); err != nil {
		return ref(r, "patient_id", e.PatientID, err)
	}
	th, err := rf.therapist(e.TherapistID)
	if err != nil {
		return ref(r, "therapist_id", e.TherapistID, err)
	}
	if th.Role != RoleTherapist {
		return invalid(r, "therapist_id", "store.err.role_not_therapist", "Handle", th.Handle, "Role", roleArg(th.Role))
	}
	p, err := rf.program(e.ProgramVersionID)
	if err != nil {
		return ref(r, "program_version_id", e.ProgramVersionID, err)
	}
	if e.ProgramID != p.ID {
		return invalid(r, "program_id", "store.err.does_match_program_version", "ProgramID", quote(e.ProgramID), "ProgramVersionID", e.ProgramVersionID, "ID", quote(p.ID))
	}
	if e.UnlockedModules < 0 || e.UnlockedModules > len(p.Modules) {
		return invalid(r, "unlocked_modules", "store.err.outside_range_0", "UnlockedModules", e.UnlockedModules, "N", len(p.Modules))
	}
	return nil
}

// enrollmentOf checks that a record's enrollment exists and belongs to the
// record's patient, and returns it with its program.
func enrollmentOf(rf refs, rec, enrollmentID, patientID string) (*Enrollment, *programs.Program, error) {
	if err := first(needID(rec, "enrollment_id", enrollmentID), needID(rec, "patient_id", patientID)); err != nil {
		return nil, nil, err
	}
	e, err := rf.enrollment(enrollmentID)
	if err != nil {
		return nil, nil, ref(rec, "enrollment_id", enrollmentID, err)
	}
	if e.PatientID != patientID {
		return nil, nil, invalid(rec, "patient_id", "store.err.patient_enrollment", "PatientID", patientID, "EnrollmentID", enrollmentID)
	}
	p, err := rf.program(e.ProgramVersionID)
	if err != nil {
		return nil, nil, err
	}
	return e, p, nil
}

func checkFieldValue(rec, field string, f programs.Field, v string) error {
	if v == "" {
		return nil
	}
	switch f.Type {
	case programs.FieldNumber:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return invalid(rec, field, "store.err.not_number", "V", quote(v))
		}
	case programs.FieldMinutes, programs.FieldCount:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return invalid(rec, field, "store.err.whole_number_more", "V", quote(v))
		}
	case programs.FieldTime:
		if _, err := time.Parse("15:04", v); err != nil {
			return invalid(rec, field, "store.err.time_hh_mm", "V", quote(v))
		}
	case programs.FieldRating:
		n, err := strconv.Atoi(v)
		if err != nil || (f.Min != nil && n < *f.Min) || (f.Max != nil && n > *f.Max) {
			return invalid(rec, field, "store.err.rating_between", "V", quote(v), "Min", deref(f.Min), "Max", deref(f.Max))
		}
	}
	return checkTextLen(rec, field, v)
}

func checkTextLen(rec, field, v string) error {
	if !utf8.ValidString(v) {
		return invalid(rec, field, "store.err.not_utf8")
	}
	if utf8.RuneCountInString(v) > maxText {
		return invalid(rec, field, "store.err.longer_than_characters", "Max", maxText)
	}
	return nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func checkFields(rec, field string, ex *programs.Exercise, values map[string]string) error {
	if len(values) == 0 {
		return invalid(rec, field, "store.err.empty_nothing_was_answered")
	}
	if len(ex.Fields) == 0 { // reflection: one free text answer
		for k, v := range values {
			if k != "text" {
				return invalid(rec, field+"."+k, "store.err.exercise_takes_one_answer", "ID", quote(ex.ID))
			}
			if err := checkTextLen(rec, field+".text", v); err != nil {
				return err
			}
		}
		return nil
	}
	byID := map[string]programs.Field{}
	for _, f := range ex.Fields {
		byID[f.ID] = f
	}
	for k, v := range values {
		f, ok := byID[k]
		if !ok {
			return invalid(rec, field+"."+k, "store.err.exercise_has_no_field", "ID", quote(ex.ID), "K", quote(k))
		}
		if err := checkFieldValue(rec, field+"."+k, f, v); err != nil {
			return err
		}
	}
	return nil
}

func checkSubmission(rf refs, s *Submission) error {
	const r = "submission"
	if err := first(needID(r, "id", s.ID), needTime(r, "submitted_at", s.SubmittedAt), need(r, "module_id", s.ModuleID), need(r, "exercise_id", s.ExerciseID)); err != nil {
		return err
	}
	_, p, err := enrollmentOf(rf, r, s.EnrollmentID, s.PatientID)
	if err != nil {
		return err
	}
	_, m, ok := p.Module(s.ModuleID)
	if !ok {
		return invalid(r, "module_id", "store.err.program_has_no_module", "ID", p.ID, "ModuleID", quote(s.ModuleID))
	}
	var ex *programs.Exercise
	for i := range m.Exercises {
		if m.Exercises[i].ID == s.ExerciseID {
			ex = &m.Exercises[i]
		}
	}
	if ex == nil {
		return invalid(r, "exercise_id", "store.err.module_has_no_exercise", "ModuleID", quote(s.ModuleID), "ExerciseID", quote(s.ExerciseID))
	}
	if ex.Kind != programs.KindReflection && ex.Kind != programs.KindWorksheet {
		return invalid(r, "exercise_id", "store.err.exercise_store", "ID", quote(ex.ID), "Kind", ex.Kind, "Kind2", map[string]string{
			programs.KindDiary: "diary_entry", programs.KindQuestionnaire: "measure_response"}[ex.Kind])
	}
	if s.Supersedes != "" {
		old, err := rf.submission(s.Supersedes)
		if err != nil {
			return ref(r, "supersedes", s.Supersedes, err)
		}
		if old.EnrollmentID != s.EnrollmentID {
			return invalid(r, "supersedes", "store.err.belongs_another_enrollment", "Supersedes", s.Supersedes)
		}
	}
	return checkFields(r, "answers", ex, s.Answers)
}

func checkFeedback(rf refs, f *Feedback) error {
	const r = "feedback"
	if err := first(needID(r, "id", f.ID), needID(r, "submission_id", f.SubmissionID), needID(r, "therapist_id", f.TherapistID),
		checkText(r, "body", f.Body), needTime(r, "sent_at", f.SentAt)); err != nil {
		return err
	}
	s, err := rf.submission(f.SubmissionID)
	if err != nil {
		return ref(r, "submission_id", f.SubmissionID, err)
	}
	if s.EnrollmentID != f.EnrollmentID || s.PatientID != f.PatientID {
		return invalid(r, "enrollment_id", "store.err.does_match_submission_enrollment", "ID", s.ID, "EnrollmentID", s.EnrollmentID, "PatientID", s.PatientID)
	}
	if _, err := rf.therapist(f.TherapistID); err != nil {
		return ref(r, "therapist_id", f.TherapistID, err)
	}
	// Feedback is append-only: a second feedback on a submission must be a
	// correction of the newest one. This is the compare-and-set of an
	// append-only chain: two windows or devices cannot both send an original.
	head, err := rf.feedbackHead(f.SubmissionID)
	if err != nil {
		return err
	}
	switch {
	case f.Supersedes == head, head == f.ID: // head == f.ID: this very record, already stored
		return nil
	case head == "":
		return invalid(r, "supersedes", "store.err.feedback_submission", "Supersedes", f.Supersedes, "SubmissionID", f.SubmissionID)
	case f.Supersedes == "":
		return newErr(ErrConflict, "store.err.feedback_sent", "SubmissionID", f.SubmissionID, "Head", head)
	default:
		return newErr(ErrConflict, "store.err.feedback_corrected", "ID", f.Supersedes, "SubmissionID", f.SubmissionID, "Head", head)
	}
}

func checkMessage(rf refs, m *Message) error {
	const r = "message"
	if err := first(needID(r, "id", m.ID), checkEnum(r, "direction", m.Direction, DirectionIn, DirectionOut),
		checkText(r, "body", m.Body), needTime(r, "sent_at", m.SentAt)); err != nil {
		return err
	}
	// A message whose text is only white space, invisible characters and
	// what the screens strip before display (controls, whole escape
	// sequences such as "\x1b[31m") would arrive as an empty message:
	// nothing to read, yet one more to answer. Decided on the text as the
	// screens show it, by the same rules (internal/textsafe).
	if !textsafe.Visible(m.Body) {
		return invalid(r, "body", "store.err.has_no_visible_text_2")
	}
	if _, _, err := enrollmentOf(rf, r, m.EnrollmentID, m.PatientID); err != nil {
		return err
	}
	if m.Direction == DirectionOut {
		if err := needID(r, "therapist_id", m.TherapistID); err != nil {
			return err
		}
	}
	if m.TherapistID != "" {
		if _, err := rf.therapist(m.TherapistID); err != nil {
			return ref(r, "therapist_id", m.TherapistID, err)
		}
	}
	return nil
}

// scoreMeasure checks a measure response against its instrument and fills
// in the total.
func scoreMeasure(rf refs, m *MeasureResponse) error {
	const r = "measure_response"
	if err := first(needID(r, "id", m.ID), need(r, "instrument_id", m.InstrumentID), needTime(r, "answered_at", m.AnsweredAt)); err != nil {
		return err
	}
	if m.AnsweredAt.After(rf.now().Add(clockSkew)) {
		return invalid(r, "answered_at", "store.err.future_now_measure_cannot", "AnsweredAt", fmtTime(m.AnsweredAt), "Now", fmtTime(rf.now()))
	}
	e, p, err := enrollmentOf(rf, r, m.EnrollmentID, m.PatientID)
	if err != nil {
		return err
	}
	in, err := rf.instrument(m.InstrumentID, m.InstrumentVersion)
	if err != nil {
		return ref(r, "instrument_id", instrumentKey(m.InstrumentID, m.InstrumentVersion), err)
	}
	if m.InstrumentVersion == 0 {
		m.InstrumentVersion = in.Version
	}
	// A follow-up is answered weeks after the end.
	if m.Week < 0 || m.Week > p.Weeks+4+p.FollowUpWeeks {
		return invalid(r, "week", "store.err.outside_program_s_weeks_2", "Week", m.Week, "Weeks", p.Weeks, "ID", e.ID)
	}
	total, err := in.Total(m.Answers)
	if err != nil {
		return invalid(r, "answers", "store.err.detail", "Detail", err)
	}
	if m.Total != 0 && m.Total != total {
		return invalid(r, "total", "store.err.does_match_answers_which", "Total", m.Total, "Total2", total)
	}
	m.Total = total
	return nil
}

func checkDiary(rf refs, d *DiaryEntry) error {
	const r = "diary_entry"
	if err := first(needID(r, "id", d.ID), need(r, "exercise_id", d.ExerciseID), checkDate(r, "date", d.Date), needTime(r, "recorded_at", d.RecordedAt)); err != nil {
		return err
	}
	_, p, err := enrollmentOf(rf, r, d.EnrollmentID, d.PatientID)
	if err != nil {
		return err
	}
	_, ex, ok := p.Exercise(d.ExerciseID)
	if !ok || ex.Kind != programs.KindDiary {
		return invalid(r, "exercise_id", "store.err.program_has_no_diary", "ID", p.ID, "ExerciseID", quote(d.ExerciseID))
	}
	return checkFields(r, "fields", ex, d.Fields)
}

func checkNote(rf refs, n *Note) error {
	const r = "note"
	if err := first(needID(r, "id", n.ID), needID(r, "patient_id", n.PatientID), needID(r, "therapist_id", n.TherapistID),
		checkText(r, "body", n.Body), needTime(r, "created_at", n.CreatedAt)); err != nil {
		return err
	}
	if _, err := rf.patient(n.PatientID); err != nil {
		return ref(r, "patient_id", n.PatientID, err)
	}
	_, err := rf.therapist(n.TherapistID)
	return ref(r, "therapist_id", n.TherapistID, err)
}

// checkRiskAck checks an acknowledgement the same way for every writer
// (the workbench, the sync server, an import): its source belongs to the
// patient, it is not dated before the answer or text it acknowledges, and
// its therapist is assigned to the patient (docs/clinical.md, "A flag
// belongs to the patient"). A flag from a finished enrollment may be
// acknowledged on another enrollment of the patient (the owner's current
// one); a current enrollment's flag only on that enrollment.
func checkRiskAck(rf refs, a *RiskAck) error {
	const r = "risk_ack"
	if err := first(needID(r, "id", a.ID), needID(r, "therapist_id", a.TherapistID), needID(r, "source_id", a.SourceID),
		checkEnum(r, "source_type", a.SourceType, RiskSourceMeasure, RiskSourceMessage, RiskSourceSubmit, RiskSourceDiary, RiskSourcePost),
		checkEnum(r, "action", a.Action, AckActions...), needTime(r, "acked_at", a.AckedAt), checkTextLen(r, "comment", a.Comment)); err != nil {
		return err
	}
	if _, _, err := enrollmentOf(rf, r, a.EnrollmentID, a.PatientID); err != nil {
		return err
	}
	if _, err := rf.therapist(a.TherapistID); err != nil {
		return ref(r, "therapist_id", a.TherapistID, err)
	}
	if a.AckedAt.After(rf.now().Add(clockSkew)) {
		return invalid(r, "acked_at", "store.err.in_future", "Value", fmtTime(a.AckedAt))
	}
	var patient, enrollment string
	var at time.Time
	switch a.SourceType {
	case RiskSourceMeasure:
		m, err := rf.measure(a.SourceID)
		if err != nil {
			return ref(r, "source_id", a.SourceID, err)
		}
		patient, enrollment, at = m.PatientID, m.EnrollmentID, m.AnsweredAt
	case RiskSourceMessage:
		m, err := rf.message(a.SourceID)
		if err != nil {
			return ref(r, "source_id", a.SourceID, err)
		}
		if m.Direction == DirectionOut {
			return invalid(r, "source_id", "store.err.therapist_s_message_only", "SourceID", a.SourceID)
		}
		patient, enrollment, at = m.PatientID, m.EnrollmentID, m.SentAt
	case RiskSourcePost:
		var err error
		if patient, enrollment, at, err = postSource(rf, a.SourceID); err != nil {
			return ref(r, "source_id", a.SourceID, err)
		}
	case RiskSourceSubmit:
		s, err := rf.submission(a.SourceID)
		if err != nil {
			return ref(r, "source_id", a.SourceID, err)
		}
		patient, enrollment, at = s.PatientID, s.EnrollmentID, s.SubmittedAt
	case RiskSourceDiary:
		d, err := rf.diary(a.SourceID)
		if err != nil {
			return ref(r, "source_id", a.SourceID, err)
		}
		patient, enrollment, at = d.PatientID, d.EnrollmentID, d.RecordedAt
	}
	if patient != a.PatientID {
		return invalid(r, "source_id", "store.err.belongs_another_patient", "SourceID", a.SourceID)
	}
	if enrollment != a.EnrollmentID {
		// Only a finished enrollment's flag is acknowledged elsewhere (on
		// the owner's current enrollment); a current one's stays its own.
		e, err := rf.enrollment(enrollment)
		if err != nil {
			return ref(r, "source_id", a.SourceID, err)
		}
		if e.Status != EnrollmentCompleted && e.Status != EnrollmentDiscontinued {
			return invalid(r, "enrollment_id", "store.err.enrollment_which_acknowledge_enrollment", "SourceID", a.SourceID, "ID", e.ID, "Status", statusArg(e.Status))
		}
	}
	if a.AckedAt.Before(at) {
		return invalid(r, "acked_at", "store.err.before_acknowledges_acknowledgement_cannot", "AckedAt", fmtTime(a.AckedAt), "SourceType", recordName(a.SourceType), "At", fmtTime(at))
	}
	ok, err := rf.assigned(a.PatientID, a.TherapistID, a.AckedAt)
	if err != nil {
		return err
	}
	if !ok {
		return invalid(r, "therapist_id", "store.err.was_assigned_patient_only_2", "TherapistID", a.TherapistID, "PatientID", a.PatientID, "AckedAt", fmtTime(a.AckedAt))
	}
	return nil
}

// clockSkew is how far ahead of the store's clock a device's time may be
// before a record dated by it counts as coming from the future.
const clockSkew = 5 * time.Minute

func checkDraft(rf refs, d *Draft) error {
	const r = "draft"
	if err := first(needID(r, "id", d.ID), needID(r, "therapist_id", d.TherapistID), needID(r, "patient_id", d.PatientID),
		checkEnum(r, "target_type", d.TargetType, DraftFeedback, DraftMessage, DraftNote, DraftSummary), needID(r, "target_id", d.TargetID),
		checkTextLen(r, "body", d.Body), needTime(r, "updated_at", d.UpdatedAt)); err != nil {
		return err
	}
	if _, err := rf.patient(d.PatientID); err != nil {
		return ref(r, "patient_id", d.PatientID, err)
	}
	_, err := rf.therapist(d.TherapistID)
	return ref(r, "therapist_id", d.TherapistID, err)
}

var weekRE = regexp.MustCompile(`^\d{4}-W\d{2}$`)

// ISOWeek names the ISO week of t, like "2026-W48".
func ISOWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

func checkTimeSpent(rf refs, ts *TimeSpent) error {
	const r = "time_spent"
	if err := first(needID(r, "id", ts.ID), needID(r, "therapist_id", ts.TherapistID), needID(r, "patient_id", ts.PatientID)); err != nil {
		return err
	}
	if !weekRE.MatchString(ts.Week) {
		return invalid(r, "week", "store.err.iso_week_like_w", "Week", quote(ts.Week))
	}
	if ts.Seconds < 0 || ts.Seconds > 7*24*3600 {
		return invalid(r, "seconds", "store.err.outside_one_week", "Seconds", ts.Seconds)
	}
	if _, err := rf.patient(ts.PatientID); err != nil {
		return ref(r, "patient_id", ts.PatientID, err)
	}
	_, err := rf.therapist(ts.TherapistID)
	return ref(r, "therapist_id", ts.TherapistID, err)
}

// checkAudit checks an audit row. Every text in it (who, from which device,
// what, the detail) is shown in the access report a patient may ask for, so
// none may hold a control character.
func checkAudit(a *AuditEntry) error {
	const r = "audit"
	patient := needID(r, "patient_id", a.PatientID)
	if a.PatientID == "" && adminActions[a.Action] {
		patient = nil // an admin action (a revoked staff token): no patient
	}
	return first(needID(r, "id", a.ID), need(r, "actor_id", a.ActorID), checkPlain(r, "actor_id", a.ActorID),
		checkPlain(r, "device", a.Device), patient,
		need(r, "action", a.Action), checkPlain(r, "action", a.Action), checkPlain(r, "detail", a.Detail), needTime(r, "at", a.At))
}
