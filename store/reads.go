package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"polku/programs"
)

// Therapists lists every account, by handle.
func (db *DB) Therapists(ctx context.Context) ([]Therapist, error) {
	return selectAll[Therapist](ctx, db.r, tables.therapist, "ORDER BY handle")
}

// TherapistByHandle finds an account by its handle.
func (db *DB) TherapistByHandle(ctx context.Context, handle string) (Therapist, error) {
	return selectOne[Therapist](ctx, db.r, tables.therapist, "therapist", handle, "WHERE handle = ?", handle)
}

// Therapist finds an account by id.
func (db *DB) Therapist(ctx context.Context, id string) (Therapist, error) {
	return selectOne[Therapist](ctx, readPool{db}, tables.therapist, "therapist", id, "WHERE id = ?", id)
}

// ProgramVersions lists every stored program version, by program and version.
func (db *DB) ProgramVersions(ctx context.Context) ([]ProgramVersion, error) {
	return selectAll[ProgramVersion](ctx, db.r, tables.program, "ORDER BY program_id, version")
}

// ProgramVersion finds a stored program version; version 0 is the newest.
func (db *DB) ProgramVersion(ctx context.Context, programID string, version int) (ProgramVersion, error) {
	if version == 0 {
		return selectOne[ProgramVersion](ctx, db.r, tables.program, "program", programID, "WHERE program_id = ? ORDER BY version DESC", programID)
	}
	return selectOne[ProgramVersion](ctx, db.r, tables.program, "program", programID, "WHERE program_id = ? AND version = ?", programID, version)
}

// Instruments lists every stored instrument version.
func (db *DB) Instruments(ctx context.Context) ([]InstrumentVersion, error) {
	return selectAll[InstrumentVersion](ctx, db.r, tables.instrument, "ORDER BY instrument_id, version")
}

// InstrumentVersion finds a stored instrument version; version 0 is the newest.
func (db *DB) InstrumentVersion(ctx context.Context, id string, version int) (InstrumentVersion, error) {
	if version == 0 {
		return selectOne[InstrumentVersion](ctx, db.r, tables.instrument, "instrument", id, "WHERE instrument_id = ? ORDER BY version DESC", id)
	}
	return selectOne[InstrumentVersion](ctx, db.r, tables.instrument, "instrument", id, "WHERE instrument_id = ? AND version = ?", id, version)
}

// Settings lists every stored setting.
func (db *DB) Settings(ctx context.Context) ([]Setting, error) {
	return selectAll[Setting](ctx, db.r, tables.setting, "ORDER BY key")
}

// PatientSummary is one row of a patient listing.
type PatientSummary struct {
	ID               string `json:"id"`
	Pseudonym        string `json:"pseudonym"`
	DisplayName      string `json:"display_name"`
	Language         string `json:"language"`
	Synthetic        bool   `json:"synthetic"`
	EnrollmentID     string `json:"enrollment_id,omitempty"`
	ProgramID        string `json:"program_id,omitempty"`
	ProgramVersion   int    `json:"program_version,omitempty"`
	Status           string `json:"status"` // enrollment status, or the referral's ("referral: received")
	TherapistHandle  string `json:"therapist,omitempty"`
	StartDate        string `json:"start_date,omitempty"`
	PlannedEnd       string `json:"planned_end,omitempty"`
	ReferralReceived string `json:"referral_received,omitempty"`
}

// PatientFilter narrows a patient listing.
type PatientFilter struct {
	TherapistID string // only this therapist's patients
	Status      string // enrollment status, or "referral" for not yet enrolled
	ProgramID   string
	Query       string // part of the pseudonym or name, case-insensitive
	Limit       int
}

// Patients lists patients the actor may see, each with its latest
// enrollment. A listing shows no clinical content and is not audited.
func (db *DB) Patients(ctx context.Context, actor Actor, f PatientFilter) ([]PatientSummary, error) {
	query, args, err := patientsQuery(actor, f)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PatientSummary
	for rows.Next() {
		var s PatientSummary
		var received string
		if err := rows.Scan(&s.ID, &s.Pseudonym, &s.DisplayName, &s.Language, &s.Synthetic, &s.EnrollmentID, &s.ProgramID,
			&s.ProgramVersion, &s.Status, &s.TherapistHandle, &s.StartDate, &s.PlannedEnd, &received); err != nil {
			return nil, err
		}
		if received != "" {
			s.ReferralReceived = received[:10]
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// patientsQuery is the listing's query for an actor and a filter.
func patientsQuery(actor Actor, f PatientFilter) (string, []any, error) {
	var where []string
	var args []any
	switch actor.Role {
	// The candidates are the patients of the therapist's (or team's)
	// enrollments, found through enrollments_therapist: the listing costs
	// what the caseload is, not what the store is. The newest enrollment
	// then decides, as for everyone.
	case RoleTherapist:
		where = append(where, "p.id IN (SELECT patient_id FROM enrollments WHERE therapist_id = ?)", "e.therapist_id = ?")
		args = append(args, actor.ID, actor.ID)
	case RoleSupervisor:
		where = append(where, `p.id IN (SELECT en.patient_id FROM therapists th JOIN enrollments en ON en.therapist_id = th.id WHERE th.team = ? AND th.team <> '')`,
			"t.team = ? AND t.team <> ''")
		args = append(args, actor.Team, actor.Team)
	case RoleAdmin:
		if actor.isAdminAccount() {
			return "", nil, forbidden("store.err.admin_lists_no_patients", "Handle", actor.Handle)
		}
	}
	if f.TherapistID != "" {
		where = append(where, "p.id IN (SELECT patient_id FROM enrollments WHERE therapist_id = ?)", "e.therapist_id = ?")
		args = append(args, f.TherapistID, f.TherapistID)
	}
	switch f.Status {
	case "":
	case "referral":
		where = append(where, "e.id IS NULL")
	default:
		where = append(where, "e.status = ?")
		args = append(args, f.Status)
	}
	if f.ProgramID != "" {
		where = append(where, "(e.program_id = ? OR (e.id IS NULL AND r.requested_program = ?))")
		args = append(args, f.ProgramID, f.ProgramID)
	}
	if f.Query != "" {
		where = append(where, "(p.pseudonym LIKE ? OR p.display_name LIKE ?)")
		q := "%" + f.Query + "%"
		args = append(args, q, q)
	}
	query := `SELECT p.id, p.pseudonym, p.display_name, p.language, p.synthetic,
		COALESCE(e.id, ''), COALESCE(e.program_id, ''), COALESCE(pv.version, 0), COALESCE(e.status, 'referral: ' || r.status, 'no referral'),
		COALESCE(t.handle, ''), COALESCE(e.start_date, ''), COALESCE(e.planned_end, ''), COALESCE(r.received_at, '')
	FROM patients p
	LEFT JOIN enrollments e ON e.id = (SELECT id FROM enrollments WHERE patient_id = p.id ORDER BY created_at DESC LIMIT 1)
	LEFT JOIN program_versions pv ON pv.id = e.program_version_id
	LEFT JOIN therapists t ON t.id = e.therapist_id
	LEFT JOIN referrals r ON r.id = (SELECT id FROM referrals WHERE patient_id = p.id ORDER BY received_at DESC LIMIT 1)`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY p.display_name, p.id"
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return query, args, nil
}

// ResolvePatient finds a patient by id or pseudonym (case-insensitive).
func (db *DB) ResolvePatient(ctx context.Context, ref string) (Patient, error) {
	p, err := selectOne[Patient](ctx, db.r, tables.patient, "patient", ref, "WHERE id = ? OR pseudonym = ? COLLATE NOCASE", ref, ref)
	return p, err
}

// PatientRecord is everything stored about one patient that a therapist
// works with.
type PatientRecord struct {
	Patient     Patient
	Referrals   []Referral
	Enrollments []Enrollment
	Programs    map[string]*programs.Program // by program version id
	Submissions []Submission
	Feedback    []Feedback
	Messages    []Message
	Measures    []MeasureResponse
	Diary       []DiaryEntry
	Notes       []Note
	RiskAcks    []RiskAck
	GoAheads    []GoAhead         // oldest first; the newest per (enrollment, go-ahead id) stands
	Events      []EnrollmentEvent // the course of each treatment, oldest first
	Summaries   []Summary         // signed discharge summaries, oldest first
	Drafts      []Draft           // the reading actor's own drafts
	TimeSpent   []TimeSpent
	Therapists  map[string]Therapist // everyone who wrote in this record, by id

	// Templates are the feedback templates for the current program in
	// the patient's language (TemplatesFor), for the editor.
	Templates []programs.Template

	GroupMessages []GroupMessage // to the patient's cohorts (groups.go)
	GroupPosts    []GroupPost    // the patient's peer-group posts
}

// Current is the newest enrollment, if any.
func (r *PatientRecord) Current() (*Enrollment, *programs.Program) {
	if len(r.Enrollments) == 0 {
		return nil, nil
	}
	e := &r.Enrollments[len(r.Enrollments)-1]
	return e, r.Programs[e.ProgramVersionID]
}

// FeedbackFor returns the feedback on a submission, oldest first.
func (r *PatientRecord) FeedbackFor(submissionID string) []Feedback {
	var out []Feedback
	for _, f := range r.Feedback {
		if f.SubmissionID == submissionID {
			out = append(out, f)
		}
	}
	return out
}

// PatientRecord reads a patient's record for actor, after checking access,
// and writes the read to the audit log (view says what was opened).
func (db *DB) PatientRecord(ctx context.Context, actor Actor, patientID, view string) (*PatientRecord, error) {
	if err := db.CanRead(ctx, actor, patientID); err != nil {
		return nil, err
	}
	rec, err := db.loadRecord(ctx, actor, patientID)
	if err != nil {
		return nil, err
	}
	if err := db.RecordAccess(ctx, actor, patientID, "read", view); err != nil {
		return nil, err
	}
	return rec, nil
}

func (db *DB) loadRecord(ctx context.Context, actor Actor, patientID string) (*PatientRecord, error) {
	// One read transaction, so that the record is one consistent snapshot.
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := selectOne[Patient](ctx, tx, tables.patient, "patient", patientID, "WHERE id = ?", patientID)
	if err != nil {
		return nil, err
	}
	r := &PatientRecord{Patient: p, Programs: map[string]*programs.Program{}, Therapists: map[string]Therapist{}}
	steps := []func() error{
		func() (err error) {
			r.Referrals, err = selectAll[Referral](ctx, tx, tables.referral, "WHERE patient_id = ? ORDER BY received_at", patientID)
			return
		},
		func() (err error) {
			r.Enrollments, err = selectAll[Enrollment](ctx, tx, tables.enrollment, "WHERE patient_id = ? ORDER BY created_at", patientID)
			return
		},
		func() (err error) {
			r.Submissions, err = selectAll[Submission](ctx, tx, tables.submission, "WHERE patient_id = ? ORDER BY submitted_at", patientID)
			return
		},
		func() (err error) {
			r.Feedback, err = selectAll[Feedback](ctx, tx, tables.feedback, "WHERE patient_id = ? ORDER BY sent_at", patientID)
			return
		},
		func() (err error) {
			r.Messages, err = selectAll[Message](ctx, tx, tables.message, "WHERE patient_id = ? ORDER BY sent_at", patientID)
			return
		},
		func() (err error) {
			r.Measures, err = selectAll[MeasureResponse](ctx, tx, tables.measure, "WHERE patient_id = ? ORDER BY answered_at", patientID)
			return
		},
		func() (err error) {
			r.Diary, err = selectAll[DiaryEntry](ctx, tx, tables.diary, "WHERE patient_id = ? ORDER BY date, recorded_at", patientID)
			return
		},
		func() (err error) {
			r.Notes, err = selectAll[Note](ctx, tx, tables.note, "WHERE patient_id = ? ORDER BY created_at", patientID)
			return
		},
		func() (err error) {
			r.RiskAcks, err = selectAll[RiskAck](ctx, tx, tables.riskAck, "WHERE patient_id = ? ORDER BY acked_at", patientID)
			return
		},
		func() (err error) {
			r.GoAheads, err = selectAll[GoAhead](ctx, tx, tables.goAhead, "WHERE patient_id = ? ORDER BY decided_at, id", patientID)
			return
		},
		func() (err error) {
			r.Events, err = selectAll[EnrollmentEvent](ctx, tx, tables.event, "WHERE patient_id = ? ORDER BY at, rowid", patientID)
			return
		},
		func() (err error) {
			r.Summaries, err = selectAll[Summary](ctx, tx, tables.summary, "WHERE patient_id = ? ORDER BY signed_at, id", patientID)
			return
		},
		func() (err error) {
			r.Drafts, err = selectAll[Draft](ctx, tx, tables.draft, "WHERE patient_id = ? AND therapist_id = ? ORDER BY updated_at", patientID, actor.ID)
			return
		},
		func() (err error) {
			r.TimeSpent, err = selectAll[TimeSpent](ctx, tx, tables.timeSpent, "WHERE patient_id = ? ORDER BY week", patientID)
			return
		},
		func() error { return loadGroupRecord(ctx, tx, r, patientID) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	ids := map[string]bool{}
	for _, e := range r.Enrollments {
		ids[e.TherapistID] = true
		if _, ok := r.Programs[e.ProgramVersionID]; !ok {
			def, err := db.ProgramDef(ctx, e.ProgramVersionID)
			if err != nil {
				return nil, err
			}
			r.Programs[e.ProgramVersionID] = def
		}
	}
	sets, _, _, err := db.templateSets(ctx, tx)
	if err != nil {
		return nil, err
	}
	program := ""
	if _, def := r.Current(); def != nil {
		program = def.ID
	}
	r.Templates = TemplatesIn(sets, program, p.Language)
	for _, f := range r.Feedback {
		ids[f.TherapistID] = true
	}
	for _, n := range r.Notes {
		ids[n.TherapistID] = true
	}
	for _, g := range r.GoAheads {
		ids[g.TherapistID] = true
	}
	for _, ev := range r.Events {
		for _, id := range []string{ev.ActorID, ev.FromTherapist, ev.ToTherapist} {
			if id != "" {
				ids[id] = true
			}
		}
	}
	for _, s := range r.Summaries {
		ids[s.TherapistID] = true
	}
	for id := range ids {
		t, err := selectOne[Therapist](ctx, tx, tables.therapist, "therapist", id, "WHERE id = ?", id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		r.Therapists[id] = t
	}
	return r, nil
}

// Drafts lists a therapist's drafts, newest first.
func (db *DB) Drafts(ctx context.Context, therapistID string) ([]Draft, error) {
	return selectAll[Draft](ctx, db.r, tables.draft, "WHERE therapist_id = ? ORDER BY updated_at DESC", therapistID)
}

// AuditLog lists who read a patient's record, oldest first, without asking
// who wants to know: for the system and for tests. People read it through
// PatientAuditLog.
func (db *DB) AuditLog(ctx context.Context, patientID string) ([]AuditEntry, error) {
	return selectAll[AuditEntry](ctx, db.r, tables.audit, "WHERE patient_id = ? ORDER BY at, id", patientID)
}

// PatientAuditLog is the per-patient access report a patient has the right
// to see: who read their record, when, from which device, oldest first.
// Who read a patient's record is itself part of it: actor reads it under
// the rule of every read of a record (CanRead), and the read is written to
// the audit log (view says where from), after the rows it lists.
func (db *DB) PatientAuditLog(ctx context.Context, actor Actor, patientID, view string) ([]AuditEntry, error) {
	if err := db.CanRead(ctx, actor, patientID); err != nil {
		return nil, err
	}
	entries, err := db.AuditLog(ctx, patientID)
	if err != nil {
		return nil, err
	}
	if err := db.RecordAccess(ctx, actor, patientID, "read", view); err != nil {
		return nil, err
	}
	return entries, nil
}

// Changes lists change-log rows after seq, oldest first.
func (db *DB) Changes(ctx context.Context, after int64, limit int) ([]Change, error) {
	return selectAll[Change](ctx, db.r, tables.change, "WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
}

// TimeThisWeek is the time actor spent with a patient in the ISO week of now.
func (db *DB) TimeThisWeek(ctx context.Context, therapistID, patientID string, now time.Time) (time.Duration, error) {
	var secs sql.NullInt64
	err := db.r.QueryRowContext(ctx, "SELECT seconds FROM time_spent WHERE therapist_id = ? AND patient_id = ? AND week = ?",
		therapistID, patientID, ISOWeek(now.Local())).Scan(&secs)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return time.Duration(secs.Int64) * time.Second, err
}
