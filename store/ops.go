package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Every write is one of these operations. Each carries the full records it
// writes, ids and times included, so that replaying it (the sync server
// applying a pushed op) writes exactly the same rows.

// AddTherapistOp creates a therapist, supervisor or admin account.
type AddTherapistOp struct {
	Therapist Therapist `json:"therapist"`
}

func (AddTherapistOp) OpType() string { return "therapist.add" }
func (o AddTherapistOp) apply(t *tx) error {
	if err := checkTherapist(&o.Therapist); err != nil {
		return err
	}
	var n int
	if err := t.tx.QueryRowContext(t.ctx, "SELECT COUNT(*) FROM therapists WHERE handle = ?", o.Therapist.Handle).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return newErr(ErrConflict, "store.err.handle_taken", "Handle", quote(o.Therapist.Handle))
	}
	return t.insert(tables.therapist, &o.Therapist, o.Therapist.ID, "")
}

// AddPatientOp creates a patient.
type AddPatientOp struct {
	Patient Patient `json:"patient"`
}

func (AddPatientOp) OpType() string { return "patient.add" }
func (o AddPatientOp) apply(t *tx) error {
	if err := checkPatient(&o.Patient); err != nil {
		return err
	}
	return t.insert(tables.patient, &o.Patient, o.Patient.ID, o.Patient.ID)
}

// AddReferralOp records a referral.
type AddReferralOp struct {
	Referral Referral `json:"referral"`
	// Patient is the new patient the referral brings, stored first in
	// the same transaction (nil: the patient is already stored).
	Patient *Patient `json:"patient,omitempty"`
}

func (AddReferralOp) OpType() string { return "referral.add" }
func (o AddReferralOp) apply(t *tx) error {
	if o.Patient != nil {
		if o.Patient.ID != o.Referral.PatientID {
			return invalid("referral", "patient_id", "store.err.id_patient_sent")
		}
		if err := (AddPatientOp{*o.Patient}).apply(t); err != nil {
			return err
		}
	}
	if err := checkReferral(txRefs{t}, &o.Referral); err != nil {
		return err
	}
	return t.insert(tables.referral, &o.Referral, o.Referral.ID, o.Referral.PatientID)
}

// SetReferralStatusOp changes a referral's status by compare-and-set.
type SetReferralStatusOp struct {
	ID      string    `json:"id"`
	Version int64     `json:"version"`
	Status  string    `json:"status"`
	Note    string    `json:"note,omitempty"`
	At      time.Time `json:"at"`
}

func (SetReferralStatusOp) OpType() string { return "referral.status" }
func (o SetReferralStatusOp) apply(t *tx) error {
	if err := checkEnum("referral", "status", o.Status, ReferralReceived, ReferralAccepted, ReferralDeclined, ReferralEnrolled); err != nil {
		return err
	}
	r, err := txRefs{t}.referral(o.ID)
	if err != nil {
		return err
	}
	return t.cas(tables.referral.name, "referral", o.ID, r.PatientID, o.Version,
		"status = ?, note = CASE WHEN ? = '' THEN note ELSE ? END, updated_at = ?", o.Status, o.Note, o.Note, fmtTime(o.At))
}

func (r txRefs) referral(id string) (*Referral, error) {
	var x Referral
	return &x, r.get(tables.referral, "referral", id, &x)
}

// ownEnrollment: a therapist writes feedback, messages and acknowledgements
// only on enrollments assigned to them (an old enrollment with a colleague
// lets them read the patient, not write on the colleague's enrollment).
func (t *tx) ownEnrollment(enrollmentID string) error {
	if !t.actor.IsPerson() || t.actor.Role != RoleTherapist {
		return nil
	}
	var owner string
	if err := t.tx.QueryRowContext(t.ctx, "SELECT therapist_id FROM enrollments WHERE id = ?", enrollmentID).Scan(&owner); err != nil {
		return notFound("enrollment", enrollmentID)
	}
	if owner != t.actor.ID {
		return forbidden("store.err.enrollment_assigned", "ID", enrollmentID, "Handle", t.actor.Handle)
	}
	return nil
}

// cas updates one versioned row if its version is still want, bumping it.
func (t *tx) cas(tableName, what, id, patientID string, want int64, set string, args ...any) error {
	args = append(args, id, want)
	res, err := t.exec("UPDATE "+tableName+" SET "+set+", version = version + 1 WHERE id = ? AND version = ?", args...)
	if err != nil {
		return t.db.constraintError(tableName, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var cur int64
		err := t.tx.QueryRowContext(t.ctx, "SELECT version FROM "+tableName+" WHERE id = ?", id).Scan(&cur)
		if err != nil {
			return notFound(what, id)
		}
		return &ConflictError{Record: what, ID: id, Want: want, Current: cur}
	}
	return t.changed(tableName, id, patientID, "update")
}

// EnrollOp starts a patient on a program version with a therapist; with a
// referral, the referral becomes "enrolled" by compare-and-set.
type EnrollOp struct {
	Enrollment      Enrollment `json:"enrollment"`
	ReferralVersion int64      `json:"referral_version,omitempty"`
}

func (EnrollOp) OpType() string { return "enrollment.add" }
func (o EnrollOp) apply(t *tx) error {
	e := &o.Enrollment
	if err := checkEnrollment(txRefs{t}, e); err != nil {
		return err
	}
	if e.ReferralID != "" {
		r, err := txRefs{t}.referral(e.ReferralID)
		if err != nil {
			return ref("enrollment", "referral_id", e.ReferralID, err)
		}
		if r.PatientID != e.PatientID {
			return invalid("enrollment", "referral_id", "store.err.referral_another_patient", "ID", r.ID)
		}
		if err := t.cas("referrals", "referral", r.ID, r.PatientID, o.ReferralVersion,
			"status = ?, updated_at = ?", ReferralEnrolled, fmtTime(e.CreatedAt)); err != nil {
			return err
		}
	}
	return t.insert(tables.enrollment, e, e.ID, e.PatientID)
}

// UpdateEnrollmentOp changes an enrollment's status, therapist or unlocked
// modules by compare-and-set. Empty fields are left as they are.
type UpdateEnrollmentOp struct {
	ID              string    `json:"id"`
	Version         int64     `json:"version"`
	Status          string    `json:"status,omitempty"`
	TherapistID     string    `json:"therapist_id,omitempty"`
	UnlockedModules *int      `json:"unlocked_modules,omitempty"`
	At              time.Time `json:"at"`
}

func (UpdateEnrollmentOp) OpType() string { return "enrollment.update" }
func (o UpdateEnrollmentOp) apply(t *tx) error {
	e, err := txRefs{t}.enrollment(o.ID)
	if err != nil {
		return err
	}
	next := *e
	if o.Status != "" {
		next.Status = o.Status
	}
	if o.TherapistID != "" {
		next.TherapistID = o.TherapistID
	}
	if o.UnlockedModules != nil {
		next.UnlockedModules = *o.UnlockedModules
	}
	if err := checkEnrollment(txRefs{t}, &next); err != nil {
		return err
	}
	return t.cas("enrollments", "enrollment", o.ID, e.PatientID, o.Version,
		"status = ?, therapist_id = ?, unlocked_modules = ?, updated_at = ?",
		next.Status, next.TherapistID, next.UnlockedModules, fmtTime(o.At))
}

// SubmitOp stores a patient's submitted exercise.
type SubmitOp struct {
	Submission Submission `json:"submission"`
}

func (SubmitOp) OpType() string { return "submission.add" }
func (o SubmitOp) apply(t *tx) error {
	if err := checkSubmission(txRefs{t}, &o.Submission); err != nil {
		return err
	}
	return t.insert(tables.submission, &o.Submission, o.Submission.ID, o.Submission.PatientID)
}

// SendFeedbackOp sends feedback on a submission and removes the draft it
// was written in.
type SendFeedbackOp struct {
	Feedback Feedback `json:"feedback"`
	DraftID  string   `json:"draft_id,omitempty"`
}

func (SendFeedbackOp) OpType() string { return "feedback.send" }
func (o SendFeedbackOp) apply(t *tx) error {
	if err := checkFeedback(txRefs{t}, &o.Feedback); err != nil {
		return err
	}
	if err := t.ownEnrollment(o.Feedback.EnrollmentID); err != nil {
		return err
	}
	if err := t.insert(tables.feedback, &o.Feedback, o.Feedback.ID, o.Feedback.PatientID); err != nil {
		return err
	}
	return t.dropDraft(o.DraftID, o.Feedback.PatientID)
}

func (t *tx) dropDraft(id, patientID string) error {
	if id == "" {
		return nil
	}
	res, err := t.exec("DELETE FROM drafts WHERE id = ?", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return t.changed("drafts", id, patientID, "delete")
	}
	return nil
}

// SendMessageOp stores a message, from the patient or to them.
type SendMessageOp struct {
	Message Message `json:"message"`
	DraftID string  `json:"draft_id,omitempty"`
}

func (SendMessageOp) OpType() string { return "message.send" }
func (o SendMessageOp) apply(t *tx) error {
	if err := checkMessage(txRefs{t}, &o.Message); err != nil {
		return err
	}
	if err := t.ownEnrollment(o.Message.EnrollmentID); err != nil {
		return err
	}
	if err := t.insert(tables.message, &o.Message, o.Message.ID, o.Message.PatientID); err != nil {
		return err
	}
	return t.dropDraft(o.DraftID, o.Message.PatientID)
}

// MarkReadOp sets the read time of messages or feedback that have none.
type MarkReadOp struct {
	Type string    `json:"type"` // "message" or "feedback"
	IDs  []string  `json:"ids"`
	At   time.Time `json:"at"`
}

func (MarkReadOp) OpType() string { return "read.mark" }
func (o MarkReadOp) apply(t *tx) error {
	tb := map[string]string{"message": "messages", "feedback": "feedback"}[o.Type]
	if tb == "" {
		return invalid("read", "type", "store.err.message_feedback", "Type", quote(o.Type))
	}
	if err := needTime("read", "at", o.At); err != nil {
		return err
	}
	for _, id := range o.IDs {
		var patientID, enrollmentID string
		if err := t.tx.QueryRowContext(t.ctx, "SELECT patient_id, enrollment_id FROM "+tb+" WHERE id = ?", id).Scan(&patientID, &enrollmentID); err != nil {
			return ref("read", "ids", id, notFound(o.Type, id))
		}
		if err := t.ownEnrollment(enrollmentID); err != nil {
			return err
		}
		res, err := t.exec("UPDATE "+tb+" SET read_at = ? WHERE id = ? AND read_at IS NULL", fmtTime(o.At), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			if err := t.changed(tb, id, patientID, "update"); err != nil {
				return err
			}
		}
	}
	return nil
}

// AddMeasureOp stores an answered instrument; the total is computed here.
type AddMeasureOp struct {
	Measure MeasureResponse `json:"measure"`
}

func (AddMeasureOp) OpType() string { return "measure.add" }
func (o AddMeasureOp) apply(t *tx) error {
	if err := scoreMeasure(txRefs{t}, &o.Measure); err != nil {
		return err
	}
	return t.insert(tables.measure, &o.Measure, o.Measure.ID, o.Measure.PatientID)
}

// AddDiaryOp stores one diary day.
type AddDiaryOp struct {
	Entry DiaryEntry `json:"entry"`
}

func (AddDiaryOp) OpType() string { return "diary.add" }
func (o AddDiaryOp) apply(t *tx) error {
	if err := checkDiary(txRefs{t}, &o.Entry); err != nil {
		return err
	}
	return t.insert(tables.diary, &o.Entry, o.Entry.ID, o.Entry.PatientID)
}

// AddNoteOp stores a private clinical note.
type AddNoteOp struct {
	Note    Note   `json:"note"`
	DraftID string `json:"draft_id,omitempty"`
}

func (AddNoteOp) OpType() string { return "note.add" }
func (o AddNoteOp) apply(t *tx) error {
	if err := checkNote(txRefs{t}, &o.Note); err != nil {
		return err
	}
	if err := t.insert(tables.note, &o.Note, o.Note.ID, o.Note.PatientID); err != nil {
		return err
	}
	return t.dropDraft(o.DraftID, o.Note.PatientID)
}

// AckRiskOp records what a therapist did about a risk flag.
type AckRiskOp struct {
	Ack RiskAck `json:"ack"`
}

func (AckRiskOp) OpType() string { return "risk.ack" }
func (o AckRiskOp) apply(t *tx) error {
	if err := checkRiskAck(txRefs{t}, &o.Ack); err != nil {
		return err
	}
	if err := t.ownEnrollment(o.Ack.EnrollmentID); err != nil {
		return err
	}
	return t.insert(tables.riskAck, &o.Ack, o.Ack.ID, o.Ack.PatientID)
}

// SaveDraftOp creates (Version 0) or updates a draft by compare-and-set.
type SaveDraftOp struct {
	Draft Draft `json:"draft"`
}

func (SaveDraftOp) OpType() string { return "draft.save" }
func (o SaveDraftOp) apply(t *tx) error {
	d := o.Draft
	if err := checkDraft(txRefs{t}, &d); err != nil {
		return err
	}
	if d.Version == 0 {
		d.Version = 1
		return t.insert(tables.draft, &d, d.ID, d.PatientID)
	}
	return t.cas("drafts", "draft", d.ID, d.PatientID, d.Version, "body = ?, updated_at = ?", d.Body, fmtTime(d.UpdatedAt))
}

// DeleteDraftOp discards a draft by compare-and-set.
type DeleteDraftOp struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
}

func (DeleteDraftOp) OpType() string { return "draft.delete" }
func (o DeleteDraftOp) apply(t *tx) error {
	var patientID string
	var cur int64
	if err := t.tx.QueryRowContext(t.ctx, "SELECT patient_id, version FROM drafts WHERE id = ?", o.ID).Scan(&patientID, &cur); err != nil {
		return notFound("draft", o.ID)
	}
	if cur != o.Version {
		return &ConflictError{Record: "draft", ID: o.ID, Want: o.Version, Current: cur}
	}
	return t.dropDraft(o.ID, patientID)
}

// AddTimeOp adds seconds to a therapist's time with a patient in a week.
// Additions commute, so concurrent writers never conflict.
type AddTimeOp struct {
	Time TimeSpent `json:"time"` // Seconds is the amount to add
}

func (AddTimeOp) OpType() string { return "time.add" }
func (o AddTimeOp) apply(t *tx) error {
	ts := o.Time
	if err := checkTimeSpent(txRefs{t}, &ts); err != nil {
		return err
	}
	var id string
	err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM time_spent WHERE therapist_id = ? AND patient_id = ? AND week = ?",
		ts.TherapistID, ts.PatientID, ts.Week).Scan(&id)
	if err != nil {
		return t.insert(tables.timeSpent, &ts, ts.ID, ts.PatientID)
	}
	if _, err := t.exec("UPDATE time_spent SET seconds = MIN(seconds + ?, 604800), updated_at = ? WHERE id = ?", ts.Seconds, fmtTime(ts.UpdatedAt), id); err != nil {
		return err
	}
	return t.changed("time_spent", id, ts.PatientID, "update")
}

// SetSettingOp changes a setting by compare-and-set (Version 0 creates it).
type SetSettingOp struct {
	Setting Setting `json:"setting"`
}

func (SetSettingOp) OpType() string { return "setting.set" }
func (o SetSettingOp) apply(t *tx) error {
	s := o.Setting
	if err := checkSetting(&s); err != nil {
		return err
	}
	var cur int64
	err := t.tx.QueryRowContext(t.ctx, "SELECT version FROM settings WHERE key = ?", s.Key).Scan(&cur)
	switch {
	case err != nil && s.Version == 0:
		s.Version = 1
		if _, err := t.exec(tables.setting.insert, s.Key, string(s.Value), fmtTime(s.UpdatedAt), s.Version); err != nil {
			return err
		}
	case err != nil:
		return notFound("setting", s.Key)
	case cur != s.Version:
		return &ConflictError{Record: "setting", ID: s.Key, Want: s.Version, Current: cur}
	default:
		if _, err := t.exec("UPDATE settings SET value = ?, updated_at = ?, version = version + 1 WHERE key = ?",
			string(s.Value), fmtTime(s.UpdatedAt), s.Key); err != nil {
			return err
		}
	}
	return t.changed("settings", s.Key, "", "update")
}

func checkSetting(s *Setting) error {
	if err := need("setting", "key", s.Key); err != nil {
		return err
	}
	if !json.Valid(s.Value) {
		return invalid("setting", "value", "store.err.not_json")
	}
	// A policy value is checked like 'settings set' checks it, whoever
	// writes it (sync, import): a bad one would stop every queue.
	if _, known := policyKeys[s.Key]; known {
		p := DefaultPolicy()
		if err := applySetting(&p, s.Key, s.Value); err != nil {
			return invalid("setting", s.Key, "store.err.detail", "Detail", err)
		}
	}
	if s.Key == SettingTemplates {
		if err := checkTemplates(s.Value); err != nil {
			return err
		}
	}
	return needTime("setting", "updated_at", s.UpdatedAt)
}

// RecordAccessOp appends to the audit log: a person read a patient's
// record. It writes no change-log row (reads are not changes, and the
// TUI watches the change log for new activity).
type RecordAccessOp struct {
	Entry AuditEntry `json:"entry"`
}

func (RecordAccessOp) OpType() string { return "audit.read" }
func (o RecordAccessOp) apply(t *tx) error {
	if err := checkAudit(&o.Entry); err != nil {
		return err
	}
	args, err := tables.audit.args(&o.Entry)
	if err != nil {
		return err
	}
	_, err = t.exec(tables.audit.insert, args...)
	return err
}

// --- convenience methods: fill ids and times, apply, return the record ---

func (db *DB) stamp(id *string, at *time.Time) time.Time {
	if at.IsZero() {
		*at = db.Now()
	}
	*at = at.UTC().Truncate(time.Millisecond)
	if *id == "" {
		*id = db.NewID(*at)
	}
	return *at
}

// AddTherapist creates an account; ID and times are filled in.
func (db *DB) AddTherapist(ctx context.Context, actor Actor, t Therapist) (Therapist, error) {
	db.stamp(&t.ID, &t.CreatedAt)
	t.UpdatedAt, t.Version = t.CreatedAt, 1
	if t.Languages == nil {
		t.Languages = []string{}
	}
	return t, db.Apply(ctx, actor, AddTherapistOp{t})
}

// AddPatient creates a patient.
func (db *DB) AddPatient(ctx context.Context, actor Actor, p Patient) (Patient, error) {
	db.stamp(&p.ID, &p.CreatedAt)
	p.UpdatedAt, p.Version = p.CreatedAt, 1
	return p, db.Apply(ctx, actor, AddPatientOp{p})
}

// AddReferral records a referral.
func (db *DB) AddReferral(ctx context.Context, actor Actor, r Referral) (Referral, error) {
	db.stamp(&r.ID, &r.ReceivedAt)
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = db.Now()
	}
	if r.Status == "" {
		r.Status = ReferralReceived
	}
	r.Version = 1
	return r, db.Apply(ctx, actor, AddReferralOp{Referral: r})
}

// Enroll starts an enrollment. PlannedEnd defaults to start + program weeks.
func (db *DB) Enroll(ctx context.Context, actor Actor, e Enrollment, referralVersion int64) (Enrollment, error) {
	db.stamp(&e.ID, &e.CreatedAt)
	e.UpdatedAt, e.Version = e.CreatedAt, 1
	if e.Status == "" {
		e.Status = EnrollmentActive
	}
	if e.StartDate == "" {
		e.StartDate = e.CreatedAt.Format(time.DateOnly)
	}
	if e.ProgramID == "" || e.PlannedEnd == "" {
		p, err := db.ProgramDef(ctx, e.ProgramVersionID)
		if err != nil {
			return e, ref("enrollment", "program_version_id", e.ProgramVersionID, err)
		}
		e.ProgramID = p.ID
		if e.PlannedEnd == "" {
			start, err := time.Parse(time.DateOnly, e.StartDate)
			if err != nil {
				return e, invalid("enrollment", "start_date", "store.err.not_date", "StartDate", quote(e.StartDate))
			}
			e.PlannedEnd = start.AddDate(0, 0, 7*p.Weeks).Format(time.DateOnly)
		}
	}
	return e, db.Apply(ctx, actor, EnrollOp{Enrollment: e, ReferralVersion: referralVersion})
}

// Submit stores a submitted exercise.
func (db *DB) Submit(ctx context.Context, actor Actor, s Submission) (Submission, error) {
	db.stamp(&s.ID, &s.SubmittedAt)
	return s, db.Apply(ctx, actor, SubmitOp{s})
}

// SendFeedback sends feedback; draftID (optional) is the draft it replaces.
func (db *DB) SendFeedback(ctx context.Context, actor Actor, f Feedback, draftID string) (Feedback, error) {
	db.stamp(&f.ID, &f.SentAt)
	if f.TherapistID == "" {
		f.TherapistID = actor.ID
	}
	return f, db.Apply(ctx, actor, SendFeedbackOp{Feedback: f, DraftID: draftID})
}

// SendMessage stores a message.
func (db *DB) SendMessage(ctx context.Context, actor Actor, m Message, draftID string) (Message, error) {
	db.stamp(&m.ID, &m.SentAt)
	if m.Direction == DirectionOut && m.TherapistID == "" {
		m.TherapistID = actor.ID
	}
	return m, db.Apply(ctx, actor, SendMessageOp{Message: m, DraftID: draftID})
}

// MarkRead marks messages or feedback read now.
func (db *DB) MarkRead(ctx context.Context, actor Actor, typ string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	return db.Apply(ctx, actor, MarkReadOp{Type: typ, IDs: ids, At: db.Now()})
}

// AddMeasure stores an answered instrument and returns it with its total.
func (db *DB) AddMeasure(ctx context.Context, actor Actor, m MeasureResponse) (MeasureResponse, error) {
	db.stamp(&m.ID, &m.AnsweredAt)
	in, err := db.InstrumentDef(ctx, m.InstrumentID, m.InstrumentVersion)
	if err != nil {
		return m, ref("measure_response", "instrument_id", m.InstrumentID, err)
	}
	m.InstrumentVersion = in.Version
	if m.Total, err = in.Total(m.Answers); err != nil {
		return m, invalid("measure_response", "answers", "store.err.detail", "Detail", err)
	}
	return m, db.Apply(ctx, actor, AddMeasureOp{m})
}

// AddDiary stores one diary day.
func (db *DB) AddDiary(ctx context.Context, actor Actor, d DiaryEntry) (DiaryEntry, error) {
	db.stamp(&d.ID, &d.RecordedAt)
	return d, db.Apply(ctx, actor, AddDiaryOp{d})
}

// AddNote stores a clinical note.
func (db *DB) AddNote(ctx context.Context, actor Actor, n Note, draftID string) (Note, error) {
	db.stamp(&n.ID, &n.CreatedAt)
	if n.TherapistID == "" {
		n.TherapistID = actor.ID
	}
	return n, db.Apply(ctx, actor, AddNoteOp{Note: n, DraftID: draftID})
}

// AckRisk records a risk acknowledgement.
func (db *DB) AckRisk(ctx context.Context, actor Actor, a RiskAck) (RiskAck, error) {
	db.stamp(&a.ID, &a.AckedAt)
	if a.TherapistID == "" {
		a.TherapistID = actor.ID
	}
	return a, db.Apply(ctx, actor, AckRiskOp{a})
}

// SaveDraft writes a draft (Version 0 creates it) and returns it with its
// new version.
func (db *DB) SaveDraft(ctx context.Context, actor Actor, d Draft) (Draft, error) {
	d.UpdatedAt = time.Time{}
	db.stamp(&d.ID, &d.UpdatedAt)
	if d.TherapistID == "" {
		d.TherapistID = actor.ID
	}
	if err := db.Apply(ctx, actor, SaveDraftOp{d}); err != nil {
		return d, err
	}
	d.Version++
	return d, nil
}

// DeleteDraft discards a draft.
func (db *DB) DeleteDraft(ctx context.Context, actor Actor, id string, version int64) error {
	return db.Apply(ctx, actor, DeleteDraftOp{ID: id, Version: version})
}

// AddTime adds time spent with a patient in the current ISO week.
func (db *DB) AddTime(ctx context.Context, actor Actor, patientID string, d time.Duration) error {
	if d < time.Second {
		return nil
	}
	now := db.Now()
	ts := TimeSpent{ID: db.NewID(now), TherapistID: actor.ID, PatientID: patientID, Week: ISOWeek(now.Local()),
		Seconds: int64(d / time.Second), UpdatedAt: now}
	return db.Apply(ctx, actor, AddTimeOp{ts})
}

// SetSetting stores a setting value by compare-and-set.
func (db *DB) SetSetting(ctx context.Context, actor Actor, key string, value any, version int64) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return invalid("setting", "value", "store.err.detail", "Detail", err)
	}
	return db.Apply(ctx, actor, SetSettingOp{Setting{Key: key, Value: raw, UpdatedAt: db.Now(), Version: version}})
}

// RecordAccess writes an audit row when a person reads a patient's record.
// Reads by the system are not audited.
func (db *DB) RecordAccess(ctx context.Context, actor Actor, patientID, action, detail string) error {
	if !actor.IsPerson() {
		return nil
	}
	now := db.Now()
	e := AuditEntry{ID: db.NewID(now), At: now, ActorID: actor.ID, Device: actor.Device, PatientID: patientID,
		Action: action, Detail: detail}
	return db.Apply(ctx, actor, RecordAccessOp{e})
}

// UpdateEnrollment applies an enrollment change by compare-and-set.
func (db *DB) UpdateEnrollment(ctx context.Context, actor Actor, op UpdateEnrollmentOp) error {
	if op.At.IsZero() {
		op.At = db.Now()
	}
	return db.Apply(ctx, actor, op)
}

// SetReferralStatus changes a referral's status by compare-and-set.
func (db *DB) SetReferralStatus(ctx context.Context, actor Actor, op SetReferralStatusOp) error {
	if op.At.IsZero() {
		op.At = db.Now()
	}
	return db.Apply(ctx, actor, op)
}

// IsConflict reports whether err is a failed compare-and-set.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }
