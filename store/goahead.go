package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Go-ahead decisions.
const (
	GoAheadYes         = "go-ahead"     // the step may start
	GoAheadNotSuitable = "not-suitable" // the step is not for this patient (say why in the comment)
)

// GoAheadDecisions lists the decisions a therapist picks from, in order.
var GoAheadDecisions = []string{GoAheadYes, GoAheadNotSuitable}

// GoAhead records a therapist's decision on a treatment step that waits
// for it (a program's go_ahead, e.g. sleep restriction after the health
// check), made after reading the screening submission. Append-only: a
// changed mind is a new record; the newest for (enrollment, go-ahead id)
// stands.
type GoAhead struct {
	ID           string    `json:"id" db:"id"`
	PatientID    string    `json:"patient_id" db:"patient_id"`
	EnrollmentID string    `json:"enrollment_id" db:"enrollment_id"`
	GoAheadID    string    `json:"go_ahead_id" db:"go_ahead_id"`     // the program's go_ahead id, e.g. sleep-restriction
	SubmissionID string    `json:"submission_id" db:"submission_id"` // the screening submission read
	TherapistID  string    `json:"therapist_id" db:"therapist_id"`
	Decision     string    `json:"decision" db:"decision"`
	Comment      string    `json:"comment,omitempty" db:"comment"`
	DecidedAt    time.Time `json:"decided_at" db:"decided_at"`
}

// Approved says whether the decision lets the step start.
func (g GoAhead) Approved() bool { return g.Decision == GoAheadYes }

// RecordGoAheadOp records a therapist's go-ahead decision.
type RecordGoAheadOp struct {
	GoAhead GoAhead `json:"go_ahead"`
}

func (RecordGoAheadOp) OpType() string { return "goahead.record" }
func (o RecordGoAheadOp) apply(t *tx) error {
	if err := checkGoAhead(txRefs{t}, &o.GoAhead); err != nil {
		return err
	}
	if err := t.ownEnrollment(o.GoAhead.EnrollmentID); err != nil {
		return err
	}
	return t.insert(tables.goAhead, &o.GoAhead, o.GoAhead.ID, o.GoAhead.PatientID)
}

// RecordGoAhead records a go-ahead decision.
func (db *DB) RecordGoAhead(ctx context.Context, actor Actor, g GoAhead) (GoAhead, error) {
	db.stamp(&g.ID, &g.DecidedAt)
	if g.TherapistID == "" {
		g.TherapistID = actor.ID
	}
	return g, db.Apply(ctx, actor, RecordGoAheadOp{g})
}

// checkGoAhead checks a go-ahead the same way for every writer (the
// workbench, the CLI, the sync server, an import): the enrollment's program
// declares the go-ahead, the submission is the patient's answer to its
// screening exercise on that enrollment and comes before the decision, a
// "not suitable" says why, and the therapist was the patient's then.
func checkGoAhead(rf refs, g *GoAhead) error {
	const r = "go_ahead"
	if err := first(needID(r, "id", g.ID), needID(r, "therapist_id", g.TherapistID), need(r, "go_ahead_id", g.GoAheadID),
		needID(r, "submission_id", g.SubmissionID), checkEnum(r, "decision", g.Decision, GoAheadDecisions...),
		needTime(r, "decided_at", g.DecidedAt), checkTextLen(r, "comment", g.Comment)); err != nil {
		return err
	}
	if g.Decision == GoAheadNotSuitable && g.Comment == "" {
		return invalid(r, "comment", "store.err.required_when_step_suitable")
	}
	_, p, err := enrollmentOf(rf, r, g.EnrollmentID, g.PatientID)
	if err != nil {
		return err
	}
	if _, err := rf.therapist(g.TherapistID); err != nil {
		return ref(r, "therapist_id", g.TherapistID, err)
	}
	if g.DecidedAt.After(rf.now().Add(clockSkew)) {
		return invalid(r, "decided_at", "store.err.in_future", "Value", fmtTime(g.DecidedAt))
	}
	decl := p.GoAheadByID(g.GoAheadID)
	if decl == nil {
		return invalid(r, "go_ahead_id", "store.err.go_ahead_program_declares", "GoAheadID", quote(g.GoAheadID), "ID", p.ID, "V", fmt.Sprint(p.GoAheadIDs()))
	}
	s, err := rf.submission(g.SubmissionID)
	if err != nil {
		return ref(r, "submission_id", g.SubmissionID, err)
	}
	if s.EnrollmentID != g.EnrollmentID || s.PatientID != g.PatientID {
		return invalid(r, "submission_id", "store.err.submission_enrollment", "SubmissionID", g.SubmissionID, "EnrollmentID", g.EnrollmentID)
	}
	if s.ExerciseID != decl.Screening {
		return invalid(r, "submission_id", "store.err.answers_screening_waits", "SubmissionID", g.SubmissionID, "ExerciseID", quote(s.ExerciseID), "Screening", quote(decl.Screening), "GoAheadID", g.GoAheadID)
	}
	if g.DecidedAt.Before(s.SubmittedAt) {
		return invalid(r, "decided_at", "store.err.before_screening_decides_read", "DecidedAt", fmtTime(g.DecidedAt), "SubmittedAt", fmtTime(s.SubmittedAt))
	}
	ok, err := rf.assigned(g.PatientID, g.TherapistID, g.DecidedAt)
	if err != nil {
		return err
	}
	if !ok {
		return invalid(r, "therapist_id", "store.err.was_assigned_patient_only", "TherapistID", g.TherapistID, "PatientID", g.PatientID, "DecidedAt", fmtTime(g.DecidedAt))
	}
	return nil
}

// goAheadsQuery reads the newest go-ahead decision of each (enrollment,
// go-ahead id) of the enrollments in a JSON list, for the queue.
const goAheadsQuery = `SELECT enrollment_id, go_ahead_id, MAX(decided_at) FROM go_aheads
	WHERE enrollment_id IN (SELECT value FROM json_each(?)) GROUP BY enrollment_id, go_ahead_id`

func scanGoAhead(r *sql.Rows, byID map[string]*triageEnrollment) error {
	var eid, id, at string
	if err := r.Scan(&eid, &id, &at); err != nil {
		return err
	}
	te := byID[eid]
	if te.goAheads == nil {
		te.goAheads = map[string]time.Time{}
	}
	te.goAheads[id], _ = parseTime(at)
	return nil
}

// GoAheadStatus says, for each go-ahead of an enrollment's program that has
// a standing decision, what it is (GoAheadYes or GoAheadNotSuitable). A
// decision stands when no newer screening submission came after it: a
// patient who answers the screening again waits for a new decision, as the
// queue says. Go-aheads without one are absent: they wait.
func (db *DB) GoAheadStatus(ctx context.Context, e Enrollment) (map[string]string, error) {
	p, err := db.ProgramDef(ctx, e.ProgramVersionID)
	if err != nil || len(p.GoAhead) == 0 {
		return nil, err
	}
	out := map[string]string{}
	for _, g := range p.GoAhead {
		var decision, decided string
		var screened sql.NullString
		err := db.r.QueryRowContext(ctx, `SELECT decision, decided_at,
			(SELECT MAX(submitted_at) FROM submissions WHERE enrollment_id = ?1 AND exercise_id = ?3)
			FROM go_aheads WHERE enrollment_id = ?1 AND go_ahead_id = ?2 ORDER BY decided_at DESC, id DESC LIMIT 1`,
			e.ID, g.ID, g.Screening).Scan(&decision, &decided, &screened)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		at, _ := parseTime(decided)
		if screened.Valid {
			if s, _ := parseTime(screened.String); at.Before(s) {
				continue
			}
		}
		out[g.ID] = decision
	}
	return out, nil
}
