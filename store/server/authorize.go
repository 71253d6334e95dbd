package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"polku/store"
	"polku/store/api"
)

// Authorization of pushed operations. It runs inside the operation's write
// transaction (store.DB.ApplyChecked), so that what it reads (who an
// enrollment is assigned to, whose a draft is) is what the operation is
// applied to: a reassignment cannot slip in between.
//
// Records the caller may not see and records that do not exist get the
// same answer, so that nothing is learned by guessing ids.

// querier is what the checks read through: the write transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// authorize decides whether the caller may push op. Fields the server owns
// (who wrote a record, when a read was audited) must name the caller or are
// set here: the server never takes the client's word for who it is.
func (s *Server) authorize(ctx context.Context, q querier, p *principal, op store.Op) error {
	actor := p.actor
	o := api.Deref(op)
	switch actor.Role {
	case store.RoleTherapist:
		return s.authorizeTherapist(ctx, q, p, op, o)
	case store.RoleSupervisor:
		if isIntakeOp(o) { // the op checks the team inside its transaction
			return nil
		}
		if err, ok := authorizeGroupOp(ctx, q, actor, o); ok {
			return err
		}
		switch x := o.(type) {
		case store.SetTherapistUILangOp: // their own interface language
			return selfID("id", x.ID, actor)
		case store.RecordAccessOp:
			return firstErr(newIDs(ctx, q, actor, o), s.authorizeAudit(ctx, q, p, op, x))
		case store.CourseOp:
			// The course of the team's treatments (transfers included,
			// within the team: the store checks the target).
			return firstErr(newIDs(ctx, q, actor, o), selfID("event.actor_id", x.Event.ActorID, actor),
				teamEnrollment(ctx, q, actor, x.Event.EnrollmentID, x.Event.PatientID))
		case store.SignSummaryOp:
			return firstErr(newIDs(ctx, q, actor, o), selfID("summary.therapist_id", x.Summary.TherapistID, actor),
				teamEnrollment(ctx, q, actor, x.Summary.EnrollmentID, x.Summary.PatientID), ownDraft(ctx, q, actor, x.DraftID, false))
		}
		return forbiddenm("store.err.push.supervisor_ops", "Op", op.OpType())
	case store.RoleAdmin:
		if err, ok := authorizeGroupOp(ctx, q, actor, o); ok {
			return err
		}
		switch o.(type) {
		case store.AddTherapistOp, store.ImportProgramsOp, store.SetSettingOp, store.AddPatientOp, store.AddReferralOp,
			store.SetReferralStatusOp, store.EnrollOp, store.UpdateEnrollmentOp, store.SetTherapistIntakeOp, store.SetTherapistUILangOp:
			return nil
		}
		return forbiddenm("store.err.push.admin_ops", "Op", op.OpType())
	}
	return forbiddenm("store.err.push.role", "Role", fmt.Sprintf("%q", actor.Role))
}

func (s *Server) authorizeTherapist(ctx context.Context, q querier, p *principal, op, o store.Op) error {
	actor := p.actor
	self := func(field, id string) error {
		if id != actor.ID {
			return forbiddenm("store.err.push.own_therapist_id", "Field", field)
		}
		return nil
	}
	access := func(patientID string) error {
		if !mayRead(ctx, q, actor, patientID) {
			return forbiddenm("store.err.push.patient_not_yours", "ID", patientID)
		}
		return nil
	}
	// owned is access(patientID) for an op whose record the actor must
	// own too: own (a check that the enrollment or submission is the
	// actor's and the patient's) implies access, so the patient is read
	// for its own answer only when own fails (a round trip fewer on a
	// cluster), and the answer is the one access then own would give.
	owned := func(patientID string, own error) error {
		if own == nil && patientID != "" {
			return nil
		}
		return firstErr(access(patientID), own)
	}
	if err := newIDs(ctx, q, actor, o); err != nil {
		return err
	}
	if isIntakeOp(o) { // the op checks the intake flag and the team inside its transaction
		return nil
	}
	if err, ok := authorizeGroupOp(ctx, q, actor, o); ok {
		return err
	}
	switch x := o.(type) {
	case store.SetTherapistUILangOp: // their own interface language
		return self("id", x.ID)
	case store.SendFeedbackOp:
		f := x.Feedback
		return firstErr(self("feedback.therapist_id", f.TherapistID),
			owned(f.PatientID, ownSubmission(ctx, q, actor, f.SubmissionID, f.PatientID)),
			sameParent(ctx, q, "feedback", "supersedes", f.Supersedes, "SELECT submission_id FROM feedback WHERE id = ?", f.SubmissionID),
			ownDraft(ctx, q, actor, x.DraftID, false))
	case store.SendMessageOp:
		if x.Message.Direction != store.DirectionOut {
			return forbiddenm("store.err.push.direction", "Direction", fmt.Sprintf("%q", store.DirectionOut))
		}
		return firstErr(self("message.therapist_id", x.Message.TherapistID),
			owned(x.Message.PatientID, ownEnrollment(ctx, q, actor, x.Message.EnrollmentID, x.Message.PatientID)), ownDraft(ctx, q, actor, x.DraftID, false))
	case store.MarkReadOp:
		if x.Type != "message" {
			return forbiddenm("store.err.push.mark_read", "Type", x.Type)
		}
		for _, id := range x.IDs {
			if err := ownIncoming(ctx, q, actor, id); err != nil {
				return err
			}
		}
		return nil
	case store.AddNoteOp:
		n := x.Note
		return firstErr(self("note.therapist_id", n.TherapistID), access(n.PatientID),
			sameParent(ctx, q, "note", "supersedes", n.Supersedes, "SELECT patient_id FROM notes WHERE id = ?", n.PatientID),
			ownDraft(ctx, q, actor, x.DraftID, false))
	case store.AckRiskOp:
		a := x.Ack
		return firstErr(self("ack.therapist_id", a.TherapistID),
			owned(a.PatientID, ownEnrollment(ctx, q, actor, a.EnrollmentID, a.PatientID)), riskSource(ctx, q, a))
	case store.RecordGoAheadOp:
		g := x.GoAhead
		return firstErr(self("go_ahead.therapist_id", g.TherapistID),
			owned(g.PatientID, ownEnrollment(ctx, q, actor, g.EnrollmentID, g.PatientID)), goAheadScreening(ctx, q, g))
	case store.SaveDraftOp:
		if err := firstErr(self("draft.therapist_id", x.Draft.TherapistID), access(x.Draft.PatientID)); err != nil {
			return err
		}
		if x.Draft.Version > 0 {
			return ownDraft(ctx, q, actor, x.Draft.ID, true, x.Draft.PatientID)
		}
		return ownDraft(ctx, q, actor, x.Draft.ID, false)
	case store.DeleteDraftOp:
		return ownDraft(ctx, q, actor, x.ID, true)
	case store.AddTimeOp:
		return firstErr(self("time.therapist_id", x.Time.TherapistID), access(x.Time.PatientID))
	case store.RecordAccessOp:
		return s.authorizeAudit(ctx, q, p, op, x)
	case store.CourseOp:
		// The course of their own enrollments; a transfer is a
		// supervisor's.
		if x.Event.Kind == store.CourseTransfer {
			return forbiddenm("store.err.push.no_transfer")
		}
		if x.Draft != nil {
			if err := self("draft.therapist_id", x.Draft.TherapistID); err != nil {
				return err
			}
		}
		return firstErr(self("event.actor_id", x.Event.ActorID), ownEnrollment(ctx, q, actor, x.Event.EnrollmentID, x.Event.PatientID))
	case store.SignSummaryOp:
		return firstErr(self("summary.therapist_id", x.Summary.TherapistID), ownEnrollment(ctx, q, actor, x.Summary.EnrollmentID, x.Summary.PatientID),
			ownDraft(ctx, q, actor, x.DraftID, false))
	case store.UpdateEnrollmentOp:
		// A therapist changes their own enrollments only (status, unlocked
		// modules), and never who an enrollment is assigned to.
		if err := ownEnrollment(ctx, q, actor, x.ID, ""); err != nil {
			return err
		}
		if x.TherapistID != "" && x.TherapistID != actor.ID {
			return forbiddenm("store.err.push.no_reassign")
		}
		return nil
	}
	return forbiddenm("store.err.push.therapist_ops", "Op", op.OpType())
}

// newIDs refuses an op whose new record's id is already taken, whoever's
// record has it, with one answer that says nothing about that record (the
// store's own answer would say that it exists, and where).
func newIDs(ctx context.Context, q querier, actor store.Actor, o store.Op) error {
	var table, id, extra string
	var args []any
	switch x := o.(type) {
	case store.SendFeedbackOp:
		table, id = "feedback", x.Feedback.ID
	case store.SendMessageOp:
		table, id = "messages", x.Message.ID
	case store.AddNoteOp:
		table, id = "notes", x.Note.ID
	case store.AckRiskOp:
		table, id = "risk_acks", x.Ack.ID
	case store.RecordGoAheadOp:
		table, id = "go_aheads", x.GoAhead.ID
	case store.RecordAccessOp:
		table, id = "audit", x.Entry.ID
	case store.CourseOp:
		table, id = "enrollment_events", x.Event.ID
	case store.SignSummaryOp:
		table, id = "summaries", x.Summary.ID
	case store.AddTimeOp:
		// Time is added to the row of (therapist, patient, week), which may
		// exist under another id; the op's id is new only otherwise.
		t := x.Time
		table, id = "time_spent", t.ID
		extra, args = " AND NOT (therapist_id = ? AND patient_id = ? AND week = ?)", []any{actor.ID, t.PatientID, t.Week}
	default:
		return nil
	}
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = ?"+extra, append([]any{id}, args...)...).Scan(&one)
	if err == nil {
		return errm(http.StatusConflict, api.CodeConflict, "store.err.api.id_taken", "Op", o.OpType(), "ID", id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// authorizeAudit accepts the audit row of a read the caller made of a
// patient they may read. The time and the device are the server's: the
// clock of the server and the device of the token.
func (s *Server) authorizeAudit(ctx context.Context, q querier, p *principal, op store.Op, a store.RecordAccessOp) error {
	if a.Entry.ActorID != p.actor.ID {
		return forbiddenm("store.err.push.own_id", "Field", "entry.actor_id")
	}
	if !mayRead(ctx, q, p.actor, a.Entry.PatientID) {
		return forbiddenm("store.err.push.not_yours_to_read", "ID", a.Entry.PatientID)
	}
	if ptr, ok := op.(*store.RecordAccessOp); ok {
		ptr.Entry.At = s.now().UTC().Truncate(time.Millisecond)
		if p.device != "" {
			ptr.Entry.Device = p.device
		}
	}
	return nil
}

// mayRead says whether a therapist (any enrollment of the patient assigned
// to them) or a supervisor (one assigned to their team) may read a
// patient's record, as store.DB.CanRead does, but inside q.
func mayRead(ctx context.Context, q querier, actor store.Actor, patientID string) bool {
	if patientID == "" {
		return false
	}
	var one int
	var err error
	switch actor.Role {
	case store.RoleTherapist:
		err = q.QueryRowContext(ctx, `SELECT 1 FROM enrollments WHERE patient_id = ? AND therapist_id = ? LIMIT 1`,
			patientID, actor.ID).Scan(&one)
	case store.RoleSupervisor:
		err = q.QueryRowContext(ctx, `SELECT 1 FROM enrollments e JOIN therapists t ON t.id = e.therapist_id
			WHERE e.patient_id = ? AND t.team = ? AND t.team <> '' LIMIT 1`, patientID, actor.Team).Scan(&one)
	default:
		return false
	}
	return err == nil
}

// ownEnrollment checks that an enrollment exists, is assigned to the actor
// and (when patientID is given) is that patient's. Being able to read the
// patient is not enough: a therapist with an old enrollment of a patient
// writes nothing into a colleague's current one.
func ownEnrollment(ctx context.Context, q querier, actor store.Actor, id, patientID string) error {
	var pid, therapist string
	err := q.QueryRowContext(ctx, "SELECT patient_id, therapist_id FROM enrollments WHERE id = ?", id).Scan(&pid, &therapist)
	if err != nil || therapist != actor.ID || (patientID != "" && pid != patientID) {
		return forbiddenm("store.err.push.enrollment_not_yours", "ID", id)
	}
	return nil
}

// teamEnrollment checks that an enrollment exists, is assigned to a
// therapist of the supervisor's team and is patientID's.
func teamEnrollment(ctx context.Context, q querier, actor store.Actor, id, patientID string) error {
	var pid, team string
	err := q.QueryRowContext(ctx, "SELECT e.patient_id, t.team FROM enrollments e JOIN therapists t ON t.id = e.therapist_id WHERE e.id = ?", id).Scan(&pid, &team)
	if err != nil || team == "" || team != actor.Team || pid != patientID {
		return forbiddenm("store.err.push.enrollment_not_team", "ID", id)
	}
	return nil
}

func selfID(field, id string, actor store.Actor) error {
	if id != actor.ID {
		return forbiddenm("store.err.push.own_id", "Field", field)
	}
	return nil
}

// ownSubmission checks that a submission exists, is patientID's and was
// made on an enrollment of that patient assigned to the actor.
func ownSubmission(ctx context.Context, q querier, actor store.Actor, id, patientID string) error {
	var pid, therapist string
	err := q.QueryRowContext(ctx, `SELECT s.patient_id, e.therapist_id FROM submissions s JOIN enrollments e ON e.id = s.enrollment_id
		WHERE s.id = ? AND e.patient_id = s.patient_id`, id).Scan(&pid, &therapist)
	if err != nil || therapist != actor.ID || pid != patientID {
		return forbiddenm("store.err.push.submission_not_yours", "ID", id)
	}
	return nil
}

// ownIncoming checks that a message exists, was sent on an enrollment
// assigned to the actor, and came from the patient: a therapist marks the
// patient's messages read, never their own (that would be a false read
// receipt) and never a colleague's.
func ownIncoming(ctx context.Context, q querier, actor store.Actor, id string) error {
	var direction, therapist string
	err := q.QueryRowContext(ctx, `SELECT m.direction, e.therapist_id FROM messages m JOIN enrollments e ON e.id = m.enrollment_id
		WHERE m.id = ?`, id).Scan(&direction, &therapist)
	if err != nil || therapist != actor.ID {
		return forbiddenm("store.err.push.message_not_yours", "ID", id)
	}
	if direction != store.DirectionIn {
		return forbiddenm("store.err.push.message_not_patients", "ID", id)
	}
	return nil
}

// sameParent checks an optional reference (a correction's supersedes): the
// referenced record must exist and its parent (query's one column) must be
// want. Missing and elsewhere read the same.
func sameParent(ctx context.Context, q querier, rec, field, id, query, want string) error {
	if id == "" {
		return nil
	}
	var parent string
	if err := q.QueryRowContext(ctx, query, id).Scan(&parent); err != nil || parent != want {
		return forbiddenm("store.err.push.not_belong", "Record", rec, "Field", field, "ID", id)
	}
	return nil
}

// riskSource checks that the record a risk acknowledgement is about
// exists and belongs to the acknowledged enrollment, or, for a flag that
// outlived its (finished) enrollment, to the same patient: the owner
// acknowledges it on their current enrollment (docs/clinical.md).
func riskSource(ctx context.Context, q querier, a store.RiskAck) error {
	table := map[string]string{store.RiskSourceMeasure: "measure_responses", store.RiskSourceMessage: "messages",
		store.RiskSourceSubmit: "submissions", store.RiskSourceDiary: "diary_entries", store.RiskSourcePost: "group_posts"}[a.SourceType]
	if table == "" || a.SourceID == "" {
		return nil // the store refuses the source type with its own message
	}
	var pid, eid, status string
	err := q.QueryRowContext(ctx, "SELECT s.patient_id, e.id, e.status FROM "+table+" s JOIN enrollments e ON e.id = s.enrollment_id WHERE s.id = ?",
		a.SourceID).Scan(&pid, &eid, &status)
	finished := status == store.EnrollmentCompleted || status == store.EnrollmentDiscontinued
	if err != nil || pid != a.PatientID || (eid != a.EnrollmentID && !finished) {
		return forbiddenm("store.err.push.not_belong", "Record", "risk_ack", "Field", "source_id", "ID", a.SourceID)
	}
	return nil
}

// goAheadScreening checks that the screening submission a go-ahead
// decides on exists and belongs to the decided enrollment, with one answer
// that says nothing about someone else's record.
func goAheadScreening(ctx context.Context, q querier, g store.GoAhead) error {
	if g.SubmissionID == "" {
		return nil // the store refuses it with its own message
	}
	var pid, eid string
	err := q.QueryRowContext(ctx, "SELECT patient_id, enrollment_id FROM submissions WHERE id = ?", g.SubmissionID).Scan(&pid, &eid)
	if err != nil || pid != g.PatientID || eid != g.EnrollmentID {
		return forbiddenm("store.err.push.not_belong", "Record", "go_ahead", "Field", "submission_id", "ID", g.SubmissionID)
	}
	return nil
}

// ownDraft checks that a draft is the actor's (and of patientID, when
// given). A draft that does not exist is fine unless must is set.
func ownDraft(ctx context.Context, q querier, actor store.Actor, id string, must bool, patientID ...string) error {
	if id == "" {
		return nil
	}
	var owner, pid string
	err := q.QueryRowContext(ctx, "SELECT therapist_id, patient_id FROM drafts WHERE id = ?", id).Scan(&owner, &pid)
	if errors.Is(err, sql.ErrNoRows) && !must {
		return nil
	}
	if err != nil || owner != actor.ID || (len(patientID) > 0 && pid != patientID[0]) {
		return forbiddenm("store.err.push.draft_not_yours", "ID", id)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// isIntakeOp: the intake decisions a supervisor or an intake worker
// pushes. Each op refuses, inside its own transaction, an actor who does
// not work the referral's team's intake queue.
func isIntakeOp(o store.Op) bool {
	switch o.(type) {
	case store.AssessReferralOp, store.AcceptReferralOp, store.DeclineReferralOp, store.WaitReferralOp:
		return true
	}
	return false
}
