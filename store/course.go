package store

import (
	"context"
	"encoding/json"
	"fmt"
	"polku/internal/i18n"
	"strings"
	"time"
)

// The treatment's course and end: extend, pause, resume, complete,
// discontinue and transfer (docs/clinical.md, "The course of a
// treatment"). Each is one CourseOp: a compare-and-set on the enrollment's
// version and an append-only EnrollmentEvent saying who did it and why,
// in one transaction. Completing or discontinuing also drafts the discharge
// summary (summary.go) for the assigned therapist to edit and sign.

// Course event kinds.
const (
	CourseExtend      = "extend"
	CoursePause       = "pause"
	CourseResume      = "resume"
	CourseComplete    = "complete"
	CourseDiscontinue = "discontinue"
	CourseTransfer    = "transfer"
)

// CourseKinds lists the course event kinds.
var CourseKinds = []string{CourseExtend, CoursePause, CourseResume, CourseComplete, CourseDiscontinue, CourseTransfer}

// Reasons for discontinuing a treatment.
const (
	EndPatientChoice = "patient_choice"
	EndDidNotStart   = "did_not_start"
	EndOtherCare     = "moved_to_other_care"
	EndNotSuitable   = "not_suitable"
	EndNoContact     = "no_contact"
	EndOther         = "other"
)

// DiscontinueReasons lists the reason codes of a discontinuation, in order.
var DiscontinueReasons = []string{EndPatientChoice, EndDidNotStart, EndOtherCare, EndNotSuitable, EndNoContact, EndOther}

// discontinueWords says a reason code in words.
var discontinueWords = map[string]string{
	EndPatientChoice: "the patient's choice", EndDidNotStart: "did not start", EndOtherCare: "moved to other care",
	EndNotSuitable: "not suitable", EndNoContact: "no contact", EndOther: "other",
}

// DiscontinueWords says a discontinuation reason code in words.
func DiscontinueWords(code string) string {
	if w, ok := discontinueWords[code]; ok {
		return w
	}
	return code
}

// MaxExtendWeeks is the most one extension adds.
const MaxExtendWeeks = 26

// EnrollmentEvent is one step in the course of a treatment. Append-only.
type EnrollmentEvent struct {
	ID           string    `json:"id" db:"id"`
	EnrollmentID string    `json:"enrollment_id" db:"enrollment_id"`
	PatientID    string    `json:"patient_id" db:"patient_id"`
	Kind         string    `json:"kind" db:"kind"`
	At           time.Time `json:"at" db:"at"`
	// Date is the day the step takes effect in the service's time zone
	// (the end date of a completion or discontinuation).
	Date          string `json:"date" db:"date"`
	ActorID       string `json:"actor_id" db:"actor_id"`
	Weeks         int    `json:"weeks,omitempty" db:"weeks"`             // extend
	ReasonCode    string `json:"reason_code,omitempty" db:"reason_code"` // discontinue
	Reason        string `json:"reason,omitempty" db:"reason"`           // why, in words
	FromTherapist string `json:"from_therapist,omitempty" db:"from_therapist"`
	ToTherapist   string `json:"to_therapist,omitempty" db:"to_therapist"` // transfer
	PlannedEnd    string `json:"planned_end,omitempty" db:"planned_end"`   // the planned end after the step
}

// CourseOp is one step of a treatment's course, by compare-and-set on the
// enrollment's version. Draft (complete and discontinue) is the discharge
// summary draft made for the assigned therapist.
type CourseOp struct {
	Event   EnrollmentEvent `json:"event"`
	Version int64           `json:"version"`
	Draft   *Draft          `json:"draft,omitempty"`
}

func (CourseOp) OpType() string { return "enrollment.course" }
func (o CourseOp) apply(t *tx) error {
	ev := o.Event
	const r = "enrollment_event"
	if err := first(needID(r, "id", ev.ID), needID(r, "enrollment_id", ev.EnrollmentID), needID(r, "patient_id", ev.PatientID),
		needID(r, "actor_id", ev.ActorID), checkEnum(r, "kind", ev.Kind, CourseKinds...), needTime(r, "at", ev.At),
		checkDate(r, "date", ev.Date), checkTextLen(r, "reason", ev.Reason)); err != nil {
		return err
	}
	if ev.At.After(t.now.Add(clockSkew)) {
		return invalid(r, "at", "store.err.future_now_step_course", "At", fmtTime(ev.At), "Now", fmtTime(t.now))
	}
	if t.actor.IsPerson() && ev.ActorID != t.actor.ID {
		return invalid(r, "actor_id", "store.err.must_your_own_id", "ID", t.actor.ID)
	}
	e, err := txRefs{t}.enrollment(ev.EnrollmentID)
	if err != nil {
		return ref(r, "enrollment_id", ev.EnrollmentID, err)
	}
	if e.PatientID != ev.PatientID {
		return invalid(r, "patient_id", "store.err.patient_enrollment", "PatientID", ev.PatientID, "EnrollmentID", e.ID)
	}
	if err := t.mayChangeCourse(e, ev.Kind); err != nil {
		return err
	}
	if e.Version != o.Version {
		return &ConflictError{Record: "enrollment", ID: e.ID, Want: o.Version, Current: e.Version}
	}
	next, err := courseNext(txRefs{t}, e, &ev)
	if err != nil {
		return err
	}
	if ev.Kind == CourseTransfer && t.actor.Role == RoleSupervisor && t.actor.IsPerson() {
		to, _ := txRefs{t}.therapist(next.TherapistID)
		if to.Team != t.actor.Team {
			return invalid(r, "to_therapist", "store.err.team_supervisor_transfers_within", "Handle", to.Handle, "Team", quote(t.actor.Team))
		}
	}
	var paused any
	if next.PausedSince != nil {
		paused = fmtTime(*next.PausedSince)
	}
	if err := t.cas("enrollments", "enrollment", e.ID, e.PatientID, o.Version,
		"status = ?, therapist_id = ?, planned_end = ?, paused_since = ?, ended_on = ?, follow_up_due = ?, updated_at = ?",
		next.Status, next.TherapistID, next.PlannedEnd, paused, next.EndedOn, next.FollowUpDue, fmtTime(ev.At)); err != nil {
		return err
	}
	if err := t.insert(tables.event, &ev, ev.ID, ev.PatientID); err != nil {
		return err
	}
	if o.Draft == nil {
		return nil
	}
	d := *o.Draft
	if ev.Kind != CourseComplete && ev.Kind != CourseDiscontinue {
		return invalid("draft", "target_type", "store.err.only_completing_discontinuing_drafts", "Kind", ev.Kind)
	}
	if d.TargetType != DraftSummary || d.TargetID != e.ID || d.PatientID != e.PatientID || d.TherapistID != next.TherapistID {
		return invalid("draft", "target_id", "store.err.summary_draft_must_assigned", "ID", e.ID)
	}
	if err := checkDraft(txRefs{t}, &d); err != nil {
		return err
	}
	d.Version = 1
	return t.insert(tables.draft, &d, d.ID, d.PatientID)
}

// mayChangeCourse: the assigned therapist changes the course of their own
// enrollments (but transfers nobody), a supervisor those of their team;
// an admin account none (it reads no records). The system and the
// store's owner at the CLI may.
func (t *tx) mayChangeCourse(e *Enrollment, kind string) error {
	a := t.actor
	if !a.IsPerson() || strings.HasPrefix(a.ID, "os:") {
		return nil
	}
	switch a.Role {
	case RoleTherapist:
		if kind == CourseTransfer {
			return forbidden("store.err.therapist_supervisor_team_transfers", "Handle", a.Handle)
		}
		if e.TherapistID != a.ID {
			return forbidden("store.err.enrollment_assigned", "ID", e.ID, "Handle", a.Handle)
		}
		return nil
	case RoleSupervisor:
		th, err := txRefs{t}.therapist(e.TherapistID)
		if err != nil {
			return err
		}
		if a.Team == "" || th.Team != a.Team {
			return forbidden("store.err.enrollment_team", "ID", e.ID, "Team", quote(a.Team))
		}
		return nil
	}
	return forbidden("store.err.admin_account_treatment_s", "Handle", a.Handle)
}

// courseNext is the enrollment after one step of its course; it fills in
// the event's derived fields (planned end, from-therapist).
func courseNext(rf refs, e *Enrollment, ev *EnrollmentEvent) (*Enrollment, error) {
	const r = "enrollment_event"
	next := *e
	current := e.Status == EnrollmentActive || e.Status == EnrollmentScheduled
	if !current {
		what := map[string]i18n.Message{CourseExtend: i18n.Msg("store.err.course_done.extended"), CoursePause: i18n.Msg("store.err.course_done.paused"),
			CourseResume: i18n.Msg("store.err.course_done.resumed"), CourseComplete: i18n.Msg("store.err.course_done.completed"),
			CourseDiscontinue: i18n.Msg("store.err.course_done.discontinued"), CourseTransfer: i18n.Msg("store.err.course_done.transferred")}[ev.Kind]
		if e.Status == EnrollmentCompleted && ev.Kind == CourseComplete {
			return nil, invalid("enrollment", "status", "store.err.enrollment_already_completed", "ID", e.ID, "EndedOn", e.EndedOn)
		}
		return nil, invalid("enrollment", "status", "store.err.enrollment_finished_treatment_cannot", "ID", e.ID, "Status", statusArg(e.Status), "EndedOn", e.EndedOn, "What", what)
	}
	ev.PlannedEnd = e.PlannedEnd
	switch ev.Kind {
	case CourseExtend:
		if ev.Weeks < 1 || ev.Weeks > MaxExtendWeeks {
			return nil, invalid(r, "weeks", "store.err.outside_range", "Value", ev.Weeks, "Max", MaxExtendWeeks)
		}
		if err := need(r, "reason", ev.Reason); err != nil {
			return nil, invalid(r, "reason", "store.err.required_say_why_treatment")
		}
		end, _ := time.Parse(time.DateOnly, e.PlannedEnd)
		next.PlannedEnd = end.AddDate(0, 0, 7*ev.Weeks).Format(time.DateOnly)
		ev.PlannedEnd = next.PlannedEnd
	case CoursePause:
		if e.Paused() {
			return nil, invalid("enrollment", "paused_since", "store.err.enrollment_already_paused_since", "ID", e.ID, "PausedSince", fmtTime(*e.PausedSince))
		}
		at := ev.At
		next.PausedSince = &at
	case CourseResume:
		if !e.Paused() {
			return nil, invalid("enrollment", "paused_since", "store.err.enrollment_paused", "ID", e.ID)
		}
		next.PausedSince = nil
	case CourseComplete:
		if e.Status != EnrollmentActive {
			return nil, invalid("enrollment", "status", "store.err.enrollment_has_started_discontinue", "ID", e.ID, "Status", statusArg(e.Status))
		}
		p, err := rf.program(e.ProgramVersionID)
		if err != nil {
			return nil, err
		}
		next.Status, next.EndedOn, next.PausedSince = EnrollmentCompleted, ev.Date, nil
		if p.FollowUpWeeks > 0 {
			d, _ := time.Parse(time.DateOnly, ev.Date)
			next.FollowUpDue = d.AddDate(0, 0, 7*p.FollowUpWeeks).Format(time.DateOnly)
		}
	case CourseDiscontinue:
		if err := checkEnum(r, "reason_code", ev.ReasonCode, DiscontinueReasons...); err != nil {
			return nil, err
		}
		if ev.ReasonCode == EndOther && strings.TrimSpace(ev.Reason) == "" {
			return nil, invalid(r, "reason", "store.err.required_reason_code_other")
		}
		next.Status, next.EndedOn, next.PausedSince = EnrollmentDiscontinued, ev.Date, nil
	case CourseTransfer:
		if err := needID(r, "to_therapist", ev.ToTherapist); err != nil {
			return nil, err
		}
		to, err := rf.therapist(ev.ToTherapist)
		if err != nil {
			return nil, ref(r, "to_therapist", ev.ToTherapist, err)
		}
		if to.Role != RoleTherapist {
			return nil, invalid(r, "to_therapist", "store.err.therapist_role_treatment_assigned", "Handle", to.Handle, "Role", roleArg(to.Role))
		}
		if to.ID == e.TherapistID {
			return nil, invalid(r, "to_therapist", "store.err.already_has_enrollment", "Handle", to.Handle, "ID", e.ID)
		}
		ev.FromTherapist = e.TherapistID
		next.TherapistID = to.ID
	}
	if ev.Kind != CourseTransfer && ev.ToTherapist != "" {
		return nil, invalid(r, "to_therapist", "store.err.only_transfer_names_therapist")
	}
	if ev.Kind != CourseDiscontinue && ev.ReasonCode != "" {
		return nil, invalid(r, "reason_code", "store.err.only_discontinuation_has_reason")
	}
	return &next, nil
}

// CourseChange is one step of a treatment's course as the CLI and the
// workbench ask for it. Version is the enrollment's version the caller
// saw: a change made meanwhile by someone else is a conflict.
type CourseChange struct {
	EnrollmentID string
	Version      int64
	Kind         string // CourseExtend, ...
	Weeks        int    // extend
	ReasonCode   string // discontinue: one of DiscontinueReasons
	Reason       string // why, in words (required to extend, and to discontinue for "other")
	ToTherapist  string // transfer: the therapist's id
	Lang         string // the language of the discharge summary draft an end writes ("": English)
}

// CourseResult is what one step of the course did.
type CourseResult struct {
	Enrollment Enrollment      `json:"enrollment"` // after the step
	Event      EnrollmentEvent `json:"event"`
	DraftID    string          `json:"summary_draft,omitempty"` // the discharge summary draft made (complete, discontinue)
}

// ChangeCourse applies one step of a treatment's course as one operation
// and returns the enrollment after it. Completing or discontinuing also
// drafts the discharge summary for the assigned therapist (SummaryDraft
// finds it; SignSummary signs it).
func (db *DB) ChangeCourse(ctx context.Context, actor Actor, c CourseChange) (Enrollment, error) {
	r, err := db.StepCourse(ctx, actor, c)
	return r.Enrollment, err
}

// StepCourse is ChangeCourse returning the event and the draft made too.
func (db *DB) StepCourse(ctx context.Context, actor Actor, c CourseChange) (CourseResult, error) {
	now := db.Now()
	pol, err := db.Policy(ctx)
	if err != nil {
		return CourseResult{}, err
	}
	ev := EnrollmentEvent{ID: db.NewID(now), EnrollmentID: c.EnrollmentID, Kind: c.Kind, At: now,
		Date: now.In(pol.Location()).Format(time.DateOnly), ActorID: actor.ID, Weeks: c.Weeks, ReasonCode: c.ReasonCode,
		Reason: c.Reason, ToTherapist: c.ToTherapist}
	e, err := db.enrollment(ctx, c.EnrollmentID)
	if err != nil {
		return CourseResult{}, err
	}
	ev.PatientID = e.PatientID
	op := CourseOp{Event: ev, Version: c.Version}
	if c.Kind == CourseComplete || c.Kind == CourseDiscontinue {
		// The draft is written from the record as it will be after the
		// step; a refused step writes no draft.
		after := e
		after.Status, after.EndedOn = EnrollmentDiscontinued, ev.Date
		if c.Kind == CourseComplete {
			after.Status = EnrollmentCompleted
			if p, err := db.ProgramDef(ctx, e.ProgramVersionID); err == nil && p.FollowUpWeeks > 0 {
				d, _ := time.Parse(time.DateOnly, ev.Date)
				after.FollowUpDue = d.AddDate(0, 0, 7*p.FollowUpWeeks).Format(time.DateOnly)
			}
		}
		if e.Status == EnrollmentActive || e.Status == EnrollmentScheduled {
			facts, err := db.summaryFacts(ctx, after, &ev)
			if err != nil {
				return CourseResult{}, err
			}
			op.Draft = &Draft{ID: db.NewID(now), TherapistID: e.TherapistID, PatientID: e.PatientID, TargetType: DraftSummary,
				TargetID: e.ID, Body: RenderSummaryIn(i18n.New(c.Lang), facts), UpdatedAt: now}
		}
	}
	if err := db.Apply(ctx, actor, op); err != nil {
		return CourseResult{}, err
	}
	res := CourseResult{Event: op.Event}
	if op.Draft != nil {
		res.DraftID = op.Draft.ID
	}
	res.Enrollment, err = db.enrollment(ctx, c.EnrollmentID)
	if err == nil {
		// The stored event, with what the step filled in.
		ev, err2 := selectOne[EnrollmentEvent](ctx, db.r, tables.event, "enrollment_event", op.Event.ID, "WHERE id = ?", op.Event.ID)
		if err2 == nil {
			res.Event = ev
		}
	}
	return res, err
}

// ExtendEnrollment moves the planned end weeks later, saying why.
func (db *DB) ExtendEnrollment(ctx context.Context, actor Actor, enrollmentID string, version int64, weeks int, reason string) (Enrollment, error) {
	return db.ChangeCourse(ctx, actor, CourseChange{EnrollmentID: enrollmentID, Version: version, Kind: CourseExtend, Weeks: weeks, Reason: reason})
}

// PauseEnrollment pauses a treatment: the queue raises no inactivity and
// no overdue start while it is paused.
func (db *DB) PauseEnrollment(ctx context.Context, actor Actor, enrollmentID string, version int64, reason string) (Enrollment, error) {
	return db.ChangeCourse(ctx, actor, CourseChange{EnrollmentID: enrollmentID, Version: version, Kind: CoursePause, Reason: reason})
}

// ResumeEnrollment ends a pause.
func (db *DB) ResumeEnrollment(ctx context.Context, actor Actor, enrollmentID string, version int64, reason string) (Enrollment, error) {
	return db.ChangeCourse(ctx, actor, CourseChange{EnrollmentID: enrollmentID, Version: version, Kind: CourseResume, Reason: reason})
}

// CompleteEnrollment ends a treatment as completed, schedules the
// follow-up and drafts the discharge summary.
func (db *DB) CompleteEnrollment(ctx context.Context, actor Actor, enrollmentID string, version int64, reason string) (Enrollment, error) {
	return db.ChangeCourse(ctx, actor, CourseChange{EnrollmentID: enrollmentID, Version: version, Kind: CourseComplete, Reason: reason})
}

// DiscontinueEnrollment ends a treatment early with a reason code (one of
// DiscontinueReasons) and words, and drafts the discharge summary.
func (db *DB) DiscontinueEnrollment(ctx context.Context, actor Actor, enrollmentID string, version int64, code, reason string) (Enrollment, error) {
	return db.ChangeCourse(ctx, actor, CourseChange{EnrollmentID: enrollmentID, Version: version, Kind: CourseDiscontinue, ReasonCode: code, Reason: reason})
}

// TransferEnrollment (a supervisor) moves a treatment, and with it the
// patient's whole record, to another therapist of the team.
func (db *DB) TransferEnrollment(ctx context.Context, actor Actor, enrollmentID string, version int64, toTherapistID, reason string) (Enrollment, error) {
	return db.ChangeCourse(ctx, actor, CourseChange{EnrollmentID: enrollmentID, Version: version, Kind: CourseTransfer, ToTherapist: toTherapistID, Reason: reason})
}

func (db *DB) enrollment(ctx context.Context, id string) (Enrollment, error) {
	return selectOne[Enrollment](ctx, db.r, tables.enrollment, "enrollment", id, "WHERE id = ?", id)
}

// Enrollment reads one enrollment for actor, who must be able to read its
// patient. It is not audited: it says nothing clinical (the CLI and the
// workbench read it to act on it).
func (db *DB) Enrollment(ctx context.Context, actor Actor, id string) (Enrollment, error) {
	e, err := db.enrollment(ctx, id)
	if err != nil {
		return e, err
	}
	if err := db.CanRead(ctx, actor, e.PatientID); err != nil {
		return Enrollment{}, notFound("enrollment", id)
	}
	return e, nil
}

// PatientEnrollments lists a patient's enrollments for actor, oldest
// first (not audited: no clinical content).
func (db *DB) PatientEnrollments(ctx context.Context, actor Actor, patientID string) ([]Enrollment, error) {
	if err := db.CanRead(ctx, actor, patientID); err != nil {
		return nil, err
	}
	return selectAll[Enrollment](ctx, db.r, tables.enrollment, "WHERE patient_id = ? ORDER BY created_at, id", patientID)
}

// CourseEvents lists an enrollment's course, oldest first.
func (db *DB) CourseEvents(ctx context.Context, actor Actor, enrollmentID string) ([]EnrollmentEvent, error) {
	if _, err := db.Enrollment(ctx, actor, enrollmentID); err != nil {
		return nil, err
	}
	return selectAll[EnrollmentEvent](ctx, db.r, tables.event, "WHERE enrollment_id = ? ORDER BY at, rowid", enrollmentID)
}

// pauseSpans are the paused stretches of an enrollment from its events
// (an open one ends at zero time).
type pauseSpan struct{ from, to time.Time }

func pauseSpans(events []EnrollmentEvent) []pauseSpan {
	var out []pauseSpan
	for _, ev := range events {
		switch ev.Kind {
		case CoursePause:
			out = append(out, pauseSpan{from: ev.At})
		case CourseResume:
			if n := len(out); n > 0 && out[n-1].to.IsZero() {
				out[n-1].to = ev.At
			}
		}
	}
	return out
}

// DescribeEvent says one step of the course in words.
func DescribeEvent(ev EnrollmentEvent, handle func(id string) string) string {
	var s string
	switch ev.Kind {
	case CourseExtend:
		s = fmt.Sprintf("extended by %s to %s", plural(ev.Weeks, "week", "weeks"), ev.PlannedEnd)
	case CoursePause:
		s = "paused"
	case CourseResume:
		s = "resumed"
	case CourseComplete:
		s = "completed"
	case CourseDiscontinue:
		s = "discontinued: " + DiscontinueWords(ev.ReasonCode)
	case CourseTransfer:
		s = fmt.Sprintf("transferred from %s to %s", handle(ev.FromTherapist), handle(ev.ToTherapist))
	}
	if r := strings.TrimSpace(ev.Reason); r != "" {
		s += " (" + r + ")"
	}
	return fmt.Sprintf("%s %s by %s", ev.Date, s, handle(ev.ActorID))
}

// checkEvent checks a course event as a record (an import): its fields and
// its enrollment. The step itself was checked when it was taken.
func checkEvent(rf refs, ev *EnrollmentEvent) error {
	const r = "enrollment_event"
	if err := first(needID(r, "id", ev.ID), needID(r, "actor_id", ev.ActorID), checkEnum(r, "kind", ev.Kind, CourseKinds...),
		needTime(r, "at", ev.At), checkDate(r, "date", ev.Date), checkTextLen(r, "reason", ev.Reason)); err != nil {
		return err
	}
	if ev.Kind == CourseDiscontinue {
		if err := checkEnum(r, "reason_code", ev.ReasonCode, DiscontinueReasons...); err != nil {
			return err
		}
	}
	_, _, err := enrollmentOf(rf, r, ev.EnrollmentID, ev.PatientID)
	return err
}

// checkSummary checks a signed summary as a record (an import).
func checkSummary(rf refs, s *Summary) error {
	const r = "summary"
	if err := first(needID(r, "id", s.ID), needID(r, "therapist_id", s.TherapistID), need(r, "body", s.Body),
		checkTextLen(r, "body", s.Body), needTime(r, "signed_at", s.SignedAt)); err != nil {
		return err
	}
	if len(s.Facts) == 0 {
		s.Facts = json.RawMessage("{}")
	}
	if !json.Valid(s.Facts) {
		return invalid(r, "facts", "store.err.not_json")
	}
	if _, _, err := enrollmentOf(rf, r, s.EnrollmentID, s.PatientID); err != nil {
		return err
	}
	_, err := rf.therapist(s.TherapistID)
	return ref(r, "therapist_id", s.TherapistID, err)
}
