package store

import (
	"encoding/json"
	"time"
)

// Roles of a therapist account.
const (
	RoleTherapist  = "therapist"
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"
)

// Referral statuses.
const (
	ReferralReceived = "received"
	ReferralAccepted = "accepted"
	ReferralDeclined = "declined"
	ReferralEnrolled = "enrolled"
)

// Enrollment statuses.
const (
	EnrollmentScheduled    = "scheduled"
	EnrollmentActive       = "active"
	EnrollmentCompleted    = "completed"
	EnrollmentDiscontinued = "discontinued"
)

// Message directions.
const (
	DirectionIn  = "in"  // from the patient
	DirectionOut = "out" // from the therapist
)

// Therapist is a person who signs in: a therapist, a supervisor or an admin.
type Therapist struct {
	ID        string    `json:"id" db:"id"`
	Handle    string    `json:"handle" db:"handle"`
	Name      string    `json:"name" db:"name"`
	Role      string    `json:"role" db:"role"`
	Team      string    `json:"team,omitempty" db:"team"`
	Languages []string  `json:"languages" db:"languages,json"`
	Capacity  int       `json:"capacity" db:"capacity"`
	Intake    bool      `json:"intake,omitempty" db:"intake"` // works the team's intake queue
	UILang    string    `json:"ui_lang" db:"ui_lang"`         // interface language: fi, sv, en; "" unset
	CreatedAt time.Time `json:"created_at" db:"created_at"`
	UpdatedAt time.Time `json:"updated_at" db:"updated_at"`
	Version   int64     `json:"version" db:"version"`
}

// ProgramVersion is one stored version of a program definition.
type ProgramVersion struct {
	ID         string          `json:"id" db:"id"`
	ProgramID  string          `json:"program_id" db:"program_id"`
	Version    int             `json:"version" db:"version"`
	Title      string          `json:"title" db:"title"`
	Language   string          `json:"language" db:"language"`
	Hash       string          `json:"hash" db:"hash"`
	Definition json.RawMessage `json:"definition" db:"definition"`
	ImportedAt time.Time       `json:"imported_at" db:"imported_at"`
}

// InstrumentVersion is one stored version of an instrument definition.
type InstrumentVersion struct {
	ID           string          `json:"id" db:"id"`
	InstrumentID string          `json:"instrument_id" db:"instrument_id"`
	Version      int             `json:"version" db:"version"`
	Title        string          `json:"title" db:"title"`
	Hash         string          `json:"hash" db:"hash"`
	Definition   json.RawMessage `json:"definition" db:"definition"`
	ImportedAt   time.Time       `json:"imported_at" db:"imported_at"`
}

// Patient is a pseudonymous person in treatment.
type Patient struct {
	ID          string    `json:"id" db:"id"`
	Pseudonym   string    `json:"pseudonym" db:"pseudonym"`
	DisplayName string    `json:"display_name" db:"display_name"`
	BirthDate   string    `json:"birth_date" db:"birth_date"`
	Language    string    `json:"language" db:"language"`
	Synthetic   bool      `json:"synthetic,omitempty" db:"synthetic"`
	CreatedAt   time.Time `json:"created_at" db:"created_at"`
	UpdatedAt   time.Time `json:"updated_at" db:"updated_at"`
	Version     int64     `json:"version" db:"version"`
}

// Referral is a doctor's referral to internet therapy.
type Referral struct {
	ID               string    `json:"id" db:"id"`
	PatientID        string    `json:"patient_id" db:"patient_id"`
	ReceivedAt       time.Time `json:"received_at" db:"received_at"`
	ReferringUnit    string    `json:"referring_unit" db:"referring_unit"`
	RequestedProgram string    `json:"requested_program" db:"requested_program"`
	Status           string    `json:"status" db:"status"`
	Note             string    `json:"note,omitempty" db:"note"`
	UpdatedAt        time.Time `json:"updated_at" db:"updated_at"`
	Version          int64     `json:"version" db:"version"`

	// The referral's content (schema 6; empty on older referrals).
	SourceID         string      `json:"source_id,omitempty" db:"source_id"` // the sender's id: the same one twice is one referral
	Team             string      `json:"team,omitempty" db:"team"`           // whose intake queue ("" every team's)
	Region           string      `json:"region,omitempty" db:"region"`       // wellbeing services county, helsinki or aland
	ReferrerName     string      `json:"referrer_name,omitempty" db:"referrer_name"`
	Reason           string      `json:"reason,omitempty" db:"reason"`
	Codes            []string    `json:"codes,omitempty" db:"codes,json"` // ICD-10
	Screening        []Screening `json:"screening,omitempty" db:"screening,json"`
	Notes            string      `json:"notes,omitempty" db:"notes"`
	DoctorAssessment string      `json:"doctor_assessment,omitempty" db:"doctor_assessment"` // the referring doctor's assessment (16-17 year olds)
	WaitingSince     *time.Time  `json:"waiting_since,omitempty" db:"waiting_since"`         // on the waiting list since
	DecidedBy        string      `json:"decided_by,omitempty" db:"decided_by"`               // actor id of the decision
	DecidedAt        *time.Time  `json:"decided_at,omitempty" db:"decided_at"`
	DecisionCode     string      `json:"decision_code,omitempty" db:"decision_code"` // accepted, or the decline reason code
}

// Screening is a screening score sent with a referral: a total, or the
// item answers (the total is then computed).
type Screening struct {
	Instrument string `json:"instrument"` // phq9, gad7
	Date       string `json:"date"`       // YYYY-MM-DD
	Total      *int   `json:"total,omitempty"`
	Answers    []int  `json:"answers,omitempty"`
}

// Assessment is a suitability assessment of a referral: the answers to a
// program's eligibility checklist. Append-only.
type Assessment struct {
	ID          string            `json:"id" db:"id"`
	ReferralID  string            `json:"referral_id" db:"referral_id"`
	PatientID   string            `json:"patient_id" db:"patient_id"`
	TherapistID string            `json:"therapist_id" db:"therapist_id"`
	ProgramID   string            `json:"program_id,omitempty" db:"program_id"` // whose checklist ("" the default one)
	Answers     map[string]string `json:"answers" db:"answers,json"`            // criterion id: yes, no or unknown
	Method      string            `json:"method,omitempty" db:"method"`         // records, phone, video
	Note        string            `json:"note,omitempty" db:"note"`
	AssessedAt  time.Time         `json:"assessed_at" db:"assessed_at"`
}

// Notification is a notice an integration delivers (mail, portal): to the
// patient that their referral was accepted, to the referrer that it was
// declined. It carries no clinical content.
type Notification struct {
	ID         string    `json:"id" db:"id"`
	Kind       string    `json:"kind" db:"kind"`           // referral-accepted, referral-declined
	Recipient  string    `json:"recipient" db:"recipient"` // patient, referrer
	ReferralID string    `json:"referral_id" db:"referral_id"`
	PatientID  string    `json:"patient_id" db:"patient_id"`
	SourceID   string    `json:"source_id,omitempty" db:"source_id"`
	Language   string    `json:"language" db:"language"`
	StartDate  string    `json:"start_date,omitempty" db:"start_date"`
	Text       string    `json:"text" db:"text"`
	CreatedAt  time.Time `json:"created_at" db:"created_at"`
}

// Notification kinds and recipients.
const (
	NotifyAccepted = "referral-accepted"
	NotifyDeclined = "referral-declined"
	ToPatient      = "patient"
	ToReferrer     = "referrer"
)

// ServiceVersion is one stored version of a service directory entry.
type ServiceVersion struct {
	ID         string          `json:"id" db:"id"`
	ServiceID  string          `json:"service_id" db:"service_id"`
	Version    int             `json:"version" db:"version"`
	Name       string          `json:"name" db:"name"`
	Hash       string          `json:"hash" db:"hash"`
	Definition json.RawMessage `json:"definition" db:"definition"`
	ImportedAt time.Time       `json:"imported_at" db:"imported_at"`
}

// Enrollment is a patient on one program version with one therapist.
type Enrollment struct {
	ID               string `json:"id" db:"id"`
	PatientID        string `json:"patient_id" db:"patient_id"`
	ReferralID       string `json:"referral_id,omitempty" db:"referral_id"`
	ProgramVersionID string `json:"program_version_id" db:"program_version_id"`
	ProgramID        string `json:"program_id" db:"program_id"`
	TherapistID      string `json:"therapist_id" db:"therapist_id"`
	Status           string `json:"status" db:"status"`
	StartDate        string `json:"start_date" db:"start_date"`
	PlannedEnd       string `json:"planned_end" db:"planned_end"`
	UnlockedModules  int    `json:"unlocked_modules" db:"unlocked_modules"`
	// PausedSince is set while the treatment is paused (the status stays
	// active or scheduled).
	PausedSince *time.Time `json:"paused_since,omitempty" db:"paused_since"`
	// EndedOn is the date it was completed or discontinued.
	EndedOn string `json:"ended_on,omitempty" db:"ended_on"`
	// FollowUpDue is the date the follow-up measurement is due (a
	// completed enrollment of a program with follow_up_weeks).
	FollowUpDue string    `json:"follow_up_due,omitempty" db:"follow_up_due"`
	CreatedAt   time.Time `json:"created_at" db:"created_at"`
	UpdatedAt   time.Time `json:"updated_at" db:"updated_at"`
	Version     int64     `json:"version" db:"version"`
}

// Paused says whether the treatment is paused.
func (e *Enrollment) Paused() bool { return e.PausedSince != nil }

// Finished says whether the enrollment was completed or discontinued.
func (e *Enrollment) Finished() bool {
	return e.Status == EnrollmentCompleted || e.Status == EnrollmentDiscontinued
}

// Submission is an exercise the patient submitted. Append-only.
type Submission struct {
	ID           string            `json:"id" db:"id"`
	EnrollmentID string            `json:"enrollment_id" db:"enrollment_id"`
	PatientID    string            `json:"patient_id" db:"patient_id"`
	ModuleID     string            `json:"module_id" db:"module_id"`
	ExerciseID   string            `json:"exercise_id" db:"exercise_id"`
	SubmittedAt  time.Time         `json:"submitted_at" db:"submitted_at"`
	Answers      map[string]string `json:"answers" db:"answers,json"`
	Supersedes   string            `json:"supersedes,omitempty" db:"supersedes"`
}

// Feedback is a therapist's written feedback on a submission. Append-only:
// a correction is a new feedback that supersedes the old one.
type Feedback struct {
	ID           string     `json:"id" db:"id"`
	SubmissionID string     `json:"submission_id" db:"submission_id"`
	EnrollmentID string     `json:"enrollment_id" db:"enrollment_id"`
	PatientID    string     `json:"patient_id" db:"patient_id"`
	TherapistID  string     `json:"therapist_id" db:"therapist_id"`
	Body         string     `json:"body" db:"body"`
	SentAt       time.Time  `json:"sent_at" db:"sent_at"`
	Supersedes   string     `json:"supersedes,omitempty" db:"supersedes"`
	ReadAt       *time.Time `json:"read_at,omitempty" db:"read_at"`
}

// Message is one message between patient and therapist. Append-only; the
// read time is set once.
type Message struct {
	ID           string     `json:"id" db:"id"`
	EnrollmentID string     `json:"enrollment_id" db:"enrollment_id"`
	PatientID    string     `json:"patient_id" db:"patient_id"`
	Direction    string     `json:"direction" db:"direction"`
	TherapistID  string     `json:"therapist_id,omitempty" db:"therapist_id"`
	Body         string     `json:"body" db:"body"`
	SentAt       time.Time  `json:"sent_at" db:"sent_at"`
	ReadAt       *time.Time `json:"read_at,omitempty" db:"read_at"`
}

// MeasureResponse is one completed instrument. Append-only. Total is
// computed from the instrument definition when the response is stored.
type MeasureResponse struct {
	ID                string    `json:"id" db:"id"`
	EnrollmentID      string    `json:"enrollment_id" db:"enrollment_id"`
	PatientID         string    `json:"patient_id" db:"patient_id"`
	InstrumentID      string    `json:"instrument_id" db:"instrument_id"`
	InstrumentVersion int       `json:"instrument_version" db:"instrument_version"`
	Week              int       `json:"week" db:"week"`
	Answers           []int     `json:"answers" db:"answers,json"`
	Total             int       `json:"total" db:"total"`
	AnsweredAt        time.Time `json:"answered_at" db:"answered_at"`
}

// DiaryEntry is one day of a diary exercise (e.g. one night of the sleep
// diary). Append-only.
type DiaryEntry struct {
	ID           string            `json:"id" db:"id"`
	EnrollmentID string            `json:"enrollment_id" db:"enrollment_id"`
	PatientID    string            `json:"patient_id" db:"patient_id"`
	ExerciseID   string            `json:"exercise_id" db:"exercise_id"`
	Date         string            `json:"date" db:"date"`
	Fields       map[string]string `json:"fields" db:"fields,json"`
	RecordedAt   time.Time         `json:"recorded_at" db:"recorded_at"`
}

// Note is a private clinical note. Append-only.
type Note struct {
	ID          string    `json:"id" db:"id"`
	PatientID   string    `json:"patient_id" db:"patient_id"`
	TherapistID string    `json:"therapist_id" db:"therapist_id"`
	Body        string    `json:"body" db:"body"`
	CreatedAt   time.Time `json:"created_at" db:"created_at"`
	Supersedes  string    `json:"supersedes,omitempty" db:"supersedes"`
}

// Risk acknowledgement actions.
const (
	AckCalledPatient  = "called-patient"
	AckEmergency      = "referred-emergency"
	AckNoAcuteRisk    = "no-acute-risk"
	AckSafetyPlan     = "safety-plan"
	AckConsulted      = "consulted-doctor"
	AckMessageSent    = "message-sent"
	AckFalsePositive  = "not-risk"
	RiskSourceMeasure = "measure_response"
	RiskSourceMessage = "message"
	RiskSourceSubmit  = "submission"
	RiskSourceDiary   = "diary_entry"
)

// AckActions lists the recorded actions a therapist picks from, in order.
var AckActions = []string{AckCalledPatient, AckEmergency, AckNoAcuteRisk, AckSafetyPlan, AckConsulted, AckMessageSent, AckFalsePositive}

// RiskAck records what a therapist did about a risk flag. Append-only.
type RiskAck struct {
	ID           string    `json:"id" db:"id"`
	PatientID    string    `json:"patient_id" db:"patient_id"`
	EnrollmentID string    `json:"enrollment_id" db:"enrollment_id"`
	SourceType   string    `json:"source_type" db:"source_type"`
	SourceID     string    `json:"source_id" db:"source_id"`
	TherapistID  string    `json:"therapist_id" db:"therapist_id"`
	Action       string    `json:"action" db:"action"`
	Comment      string    `json:"comment,omitempty" db:"comment"`
	AckedAt      time.Time `json:"acked_at" db:"acked_at"`
}

// Draft is unsent text a therapist is writing (feedback, a message, a
// note). Mutable, versioned; removed when sent.
type Draft struct {
	ID          string    `json:"id" db:"id"`
	TherapistID string    `json:"therapist_id" db:"therapist_id"`
	PatientID   string    `json:"patient_id" db:"patient_id"`
	TargetType  string    `json:"target_type" db:"target_type"`
	TargetID    string    `json:"target_id" db:"target_id"`
	Body        string    `json:"body" db:"body"`
	UpdatedAt   time.Time `json:"updated_at" db:"updated_at"`
	Version     int64     `json:"version" db:"version"`
}

// Draft target types.
const (
	DraftFeedback = "feedback" // target: submission id
	DraftMessage  = "message"  // target: enrollment id
	DraftNote     = "note"     // target: patient id
	DraftSummary  = "summary"  // target: enrollment id (the discharge summary)
)

// TimeSpent is the time a therapist spent with a patient in one ISO week.
type TimeSpent struct {
	ID          string    `json:"id" db:"id"`
	TherapistID string    `json:"therapist_id" db:"therapist_id"`
	PatientID   string    `json:"patient_id" db:"patient_id"`
	Week        string    `json:"week" db:"week"`
	Seconds     int64     `json:"seconds" db:"seconds"`
	UpdatedAt   time.Time `json:"updated_at" db:"updated_at"`
}

// Setting is one named local-policy value (JSON).
type Setting struct {
	Key       string          `json:"key" db:"key"`
	Value     json.RawMessage `json:"value" db:"value"`
	UpdatedAt time.Time       `json:"updated_at" db:"updated_at"`
	Version   int64           `json:"version" db:"version"`
}

// AuditEntry records that a person read a patient's record.
type AuditEntry struct {
	ID        string    `json:"id" db:"id"`
	At        time.Time `json:"at" db:"at"`
	ActorID   string    `json:"actor_id" db:"actor_id"`
	Device    string    `json:"device,omitempty" db:"device"`
	PatientID string    `json:"patient_id" db:"patient_id"`
	Action    string    `json:"action" db:"action"`
	Detail    string    `json:"detail,omitempty" db:"detail"`
}

// Change is one row of the change log: which record was written, when and
// by whom. Seq is monotonic.
type Change struct {
	Seq       int64     `json:"seq" db:"seq"`
	At        time.Time `json:"at" db:"at"`
	ActorID   string    `json:"actor_id" db:"actor_id"`
	Entity    string    `json:"entity" db:"entity"`
	EntityID  string    `json:"entity_id" db:"entity_id"`
	PatientID string    `json:"patient_id" db:"patient_id"`
	Op        string    `json:"op" db:"op"`
}
