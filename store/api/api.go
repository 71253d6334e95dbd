// Package api holds the wire types of polku's HTTP API (see docs/api.md),
// shared by the server (store/server), the client (store/client) and the
// sync engine (store/syncer), and the registry that decodes pushed
// operations into the store's operation types.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"polku/internal/i18n"
	"sort"
	"strconv"
	"time"

	"polku/programs"
	"polku/store"
)

// Version is the API version, the first element of every path.
const Version = "v1"

// Error codes of ErrorBody.Code.
const (
	CodeBadRequest   = "bad_request"
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	CodeNotFound     = "not_found"
	// CodeMethodNotAllowed: a known path with another method (405, with
	// an Allow header).
	CodeMethodNotAllowed = "method_not_allowed"
	CodeConflict         = "conflict"
	CodeTooLarge         = "too_large"
	CodeRateLimited      = "rate_limited"
	CodeInternal         = "internal"
	// CodeUnavailable: the store cannot serve now (503, with
	// Retry-After): try again.
	CodeUnavailable = "unavailable"
	// CodeKeyReused: an idempotency key used before for another request
	// (422).
	CodeKeyReused = "idempotency_key_reused"
	// CodeResync: a pull cursor that names a change the server does not
	// have (409): the server was restored from a backup, and the replica
	// pushes again what it pushed and pulls everything again.
	CodeResync = "resync"
	// CodeEpochChanged: a push that names (in HeaderEpoch) an epoch the
	// server no longer has (409): nothing of it was applied. The replica
	// learns the new epoch (GET /v1/me), puts what it pushed since back in
	// its outbox and pushes it all again, in order.
	CodeEpochChanged = "epoch_changed"
)

// HeaderEpoch is the request header in which a replica names the server
// epoch its outbox was pushed under (POST /v1/ops). A server with another
// epoch refuses the push whole (CodeEpochChanged), so that ops written on
// top of ops the restored server lost are not refused one by one for want
// of them. Without the header a push is taken as before.
const HeaderEpoch = "Polku-Epoch"

// ErrorBody is what every failed request returns, with a 4xx or 5xx status.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Msg is Message as data (a store message: its id and arguments,
	// store.MessageJSON), for a client that says it in its reader's
	// language; absent when the error has no such message (and from
	// servers older than it).
	Msg json.RawMessage `json:"msg,omitempty"`
	// Text is Msg rendered in the patient's own language (their
	// patients.language), on an answer to a patient's portal token, for
	// the portal to show as it is; absent otherwise.
	Text string `json:"text,omitempty"`
}

// Me is GET /v1/me: who the token belongs to, and the server's epoch.
type Me struct {
	Kind       string           `json:"kind"` // "therapist" (any staff role) or "patient"
	Therapist  *store.Therapist `json:"therapist,omitempty"`
	PatientID  string           `json:"patient_id,omitempty"`
	Device     string           `json:"device,omitempty"`
	Epoch      string           `json:"epoch"`
	ServerTime time.Time        `json:"server_time"`
}

// PushRequest is the body of POST /v1/ops: local operations in the order
// they were made.
type PushRequest struct {
	Ops []PushOp `json:"ops"`
}

// PushOp is one operation: an idempotency key made by the client, the
// operation type (store.Op.OpType) and the operation as JSON.
type PushOp struct {
	Key  string          `json:"key"`
	Type string          `json:"type"`
	Op   json.RawMessage `json:"op"`
}

// Push result statuses.
const (
	StatusApplied   = "applied"   // applied now
	StatusDuplicate = "duplicate" // applied before under the same key; nothing done now
	StatusConflict  = "conflict"  // a versioned record changed on the server (compare-and-set failed)
	StatusRejected  = "rejected"  // not allowed or not valid; will never apply as it is
	StatusError     = "error"     // the server failed; try again later (pushing stops here)
)

// PushResponse answers a push with one result per op, in order. Results
// may be fewer than ops when the server stopped at an error.
type PushResponse struct {
	Epoch   string       `json:"epoch"`
	Results []PushResult `json:"results"`
}

// PushResult is what happened to one op. For a conflict or rejection,
// Records and Absent carry the server's current state of the records the op
// meant to write (as far as the caller may see them), so that the replica
// can put its copy right.
type PushResult struct {
	Key    string `json:"key"`
	Status string `json:"status"`
	Code   string `json:"code,omitempty"`
	Error  string `json:"error,omitempty"`
	// Msg is Error as data (store.MessageJSON), when it has a message.
	Msg     json.RawMessage `json:"msg,omitempty"`
	Records []Item          `json:"records,omitempty"`
	Absent  []RecordRef     `json:"absent,omitempty"`
}

// RecordRef names one record.
type RecordRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Item is one record in a pull page: its current content, or a deletion.
type Item struct {
	Seq       int64           `json:"seq"`
	Type      string          `json:"type"`
	ID        string          `json:"id"`
	PatientID string          `json:"patient_id,omitempty"`
	Deleted   bool            `json:"deleted,omitempty"`
	By        string          `json:"by,omitempty"` // who made the change (an actor id)
	Record    json.RawMessage `json:"record,omitempty"`
}

// PullResponse is GET /v1/changes?since=CURSOR: the current rows of the
// records changed after the cursor that the caller may see.
type PullResponse struct {
	Epoch   string   `json:"epoch"`
	Cursor  string   `json:"cursor"`          // pass as since= for the next page
	More    bool     `json:"more"`            // another page follows at once
	Head    int64    `json:"head"`            // the server's newest change; a cursor beyond it means the server went back
	Check   string   `json:"check,omitempty"` // pass as check= with the cursor: the server answers 409 resync if its change at the cursor differs
	Items   []Item   `json:"items"`
	Revoked []string `json:"revoked,omitempty"` // patients the caller may no longer see: drop their records
}

// Patient portal requests (authenticated by a patient token). The patient
// is the token's; the enrollment defaults to the patient's current one.

// SubmitRequest submits an exercise (POST /v1/patient/submissions).
type SubmitRequest struct {
	EnrollmentID string            `json:"enrollment_id,omitempty"`
	ModuleID     string            `json:"module_id"`
	ExerciseID   string            `json:"exercise_id"`
	Answers      map[string]string `json:"answers"`
}

// DiaryRequest stores one diary day (POST /v1/patient/diary).
type DiaryRequest struct {
	EnrollmentID string            `json:"enrollment_id,omitempty"`
	ExerciseID   string            `json:"exercise_id"`
	Date         string            `json:"date"`
	Fields       map[string]string `json:"fields"`
}

// MeasureRequest answers an instrument (POST /v1/patient/measures).
type MeasureRequest struct {
	EnrollmentID      string `json:"enrollment_id,omitempty"`
	InstrumentID      string `json:"instrument_id"`
	InstrumentVersion int    `json:"instrument_version,omitempty"`
	Week              int    `json:"week"`
	Answers           []int  `json:"answers"`
}

// MessageRequest sends a message to the therapist (POST /v1/patient/messages).
type MessageRequest struct {
	EnrollmentID string `json:"enrollment_id,omitempty"`
	Body         string `json:"body"`
}

// ReadRequest marks feedback read (POST /v1/patient/feedback/read).
type ReadRequest struct {
	IDs []string `json:"ids"`
}

// Created answers a patient write.
type Created struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Status string `json:"status"` // applied or duplicate
}

// PatientView is GET /v1/patient/me: the patient's current enrollment and
// its program, in the patient's language when the program has it.
type PatientView struct {
	PatientID  string            `json:"patient_id"`
	Enrollment *store.Enrollment `json:"enrollment,omitempty"`
	Program    json.RawMessage   `json:"program,omitempty"`
	Modules    []ModuleView      `json:"modules,omitempty"` // the program's modules as the patient reads them
	// Language is the language of Program and Modules; Fallback says that
	// the program has no version in the patient's language, so that it
	// is sent in its own (default) language.
	Language string `json:"language,omitempty"`
	Fallback bool   `json:"fallback,omitempty"`
	// Instruments are the scales the program schedules, newest version,
	// each in the patient's language when it has one.
	Instruments []InstrumentView `json:"instruments,omitempty"`
}

// InstrumentView is a scheduled scale as the patient reads it: in the
// patient's language, or its own (fallback), titled with the patient
// title (without a "not validated" marker, which is for therapists).
type InstrumentView struct {
	ID         string               `json:"id"`
	Version    int                  `json:"version"`
	Language   string               `json:"language"`
	Fallback   bool                 `json:"fallback,omitempty"`
	Instrument *programs.Instrument `json:"instrument"`
}

// PatientInstrument makes the patient's view of an instrument in lang.
func PatientInstrument(def *programs.Instrument, lang string) InstrumentView {
	in, fallback := def.In(lang)
	if in.PatientTitle != "" {
		in.Title = in.PatientTitle
	}
	return InstrumentView{ID: in.ID, Version: def.Version, Language: in.Language, Fallback: fallback, Instrument: in}
}

// ModuleView is one module as the patient reads it: the module with the
// program's crisis block, so that help is on every page, and, for a module
// whose step waits for the therapist, whether it may start.
type ModuleView struct {
	programs.Module
	Crisis  *programs.Crisis `json:"crisis"`
	GoAhead *GoAheadView     `json:"go_ahead,omitempty"`
}

// Go-ahead states as the patient sees them.
const (
	GoAheadWaiting     = "waiting"
	GoAheadApproved    = "approved"
	GoAheadNotApproved = "not-approved"
)

// GoAheadView tells the patient whether the step a module waits for may
// start: a state and a sentence. It never carries the therapist's comment
// or the screening answers (no clinical detail).
type GoAheadView struct {
	ID     string `json:"id"`
	Status string `json:"status"` // waiting, approved or not-approved
	Text   string `json:"text"`
}

// PatientProgram reads a stored program definition in the patient's
// language: the translation when there is one, else the program's own
// language (fallback true). The result carries no other translations.
func PatientProgram(def []byte, lang string) (p *programs.Program, fallback bool, err error) {
	var all programs.Program
	if err := json.Unmarshal(def, &all); err != nil {
		return nil, false, fmt.Errorf("stored program definition is unreadable: %w", err)
	}
	p, fallback = all.In(lang)
	return p, fallback, nil
}

// PatientModules returns a program's modules as the patient reads them,
// each with the program's crisis block; decided holds the standing
// go-ahead decisions by go-ahead id (store.GoAheadStatus). The go-ahead
// sentences are in the program's language, like the modules.
func PatientModules(p *programs.Program, decided map[string]string) []ModuleView {
	tr := i18n.New(p.Language)
	out := make([]ModuleView, len(p.Modules))
	for i, m := range p.Modules {
		out[i] = ModuleView{Module: m, Crisis: p.Crisis}
		if g := p.GoAheadFor(m.ID); g != nil {
			out[i].GoAhead = goAheadView(tr, *g, decided[g.ID])
		}
	}
	return out
}

func goAheadView(tr *i18n.Printer, g programs.GoAhead, decision string) *GoAheadView {
	switch decision {
	case store.GoAheadYes:
		return &GoAheadView{ID: g.ID, Status: GoAheadApproved, Text: tr.T("content.go_ahead.approved", "What", g.What)}
	case store.GoAheadNotSuitable:
		return &GoAheadView{ID: g.ID, Status: GoAheadNotApproved, Text: tr.T("content.go_ahead.not_approved", "What", g.What)}
	}
	return &GoAheadView{ID: g.ID, Status: GoAheadWaiting, Text: tr.T("content.go_ahead.waiting", "What", g.What)}
}

// FeedbackList is GET /v1/patient/feedback[?since=CURSOR]: the feedback
// written or changed (read) after the cursor, oldest first.
type FeedbackList struct {
	Feedback []store.Feedback `json:"feedback"`
	Cursor   string           `json:"cursor"` // pass as since= next time
}

// MessageList is GET /v1/patient/messages[?since=CURSOR]: the messages
// (both directions) written or changed (read) after the cursor, oldest
// first.
type MessageList struct {
	Messages []store.Message `json:"messages"`
	Cursor   string          `json:"cursor"` // pass as since= next time
}

// SyntheticPatients is GET /v1/admin/synthetic-patients: the synthetic
// patients with an active enrollment (ids and pseudonyms only).
type SyntheticPatients struct {
	Patients []PatientRef `json:"patients"`
}

// PatientRef names a patient.
type PatientRef struct {
	ID        string `json:"id"`
	Pseudonym string `json:"pseudonym"`
}

// PatientTokenRequest is POST /v1/admin/patient-tokens.
type PatientTokenRequest struct {
	PatientID string `json:"patient_id"` // id or pseudonym
	Device    string `json:"device,omitempty"`
}

// PatientToken is a new patient portal token, shown once.
type PatientToken struct {
	ID        string `json:"id"`
	PatientID string `json:"patient_id"`
	Token     string `json:"token"`
}

// DecodeStrict decodes one JSON value from r into dst: unknown fields,
// wrong types and trailing data are errors with a clear message, told as
// a message of the store catalogs (store.JSONBodyError).
func DecodeStrict(r io.Reader, dst any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return store.JSONBodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return store.ErrJSONTrailing
	}
	return nil
}

// opTypes makes an empty operation of each type a client may push.
var opTypes = map[string]func() store.Op{
	store.AddTherapistOp{}.OpType():       func() store.Op { return &store.AddTherapistOp{} },
	store.AddPatientOp{}.OpType():         func() store.Op { return &store.AddPatientOp{} },
	store.AddReferralOp{}.OpType():        func() store.Op { return &store.AddReferralOp{} },
	store.SetReferralStatusOp{}.OpType():  func() store.Op { return &store.SetReferralStatusOp{} },
	store.EnrollOp{}.OpType():             func() store.Op { return &store.EnrollOp{} },
	store.UpdateEnrollmentOp{}.OpType():   func() store.Op { return &store.UpdateEnrollmentOp{} },
	store.CourseOp{}.OpType():             func() store.Op { return &store.CourseOp{} },
	store.SignSummaryOp{}.OpType():        func() store.Op { return &store.SignSummaryOp{} },
	store.SendFeedbackOp{}.OpType():       func() store.Op { return &store.SendFeedbackOp{} },
	store.SendMessageOp{}.OpType():        func() store.Op { return &store.SendMessageOp{} },
	store.MarkReadOp{}.OpType():           func() store.Op { return &store.MarkReadOp{} },
	store.AddNoteOp{}.OpType():            func() store.Op { return &store.AddNoteOp{} },
	store.AckRiskOp{}.OpType():            func() store.Op { return &store.AckRiskOp{} },
	store.RecordGoAheadOp{}.OpType():      func() store.Op { return &store.RecordGoAheadOp{} },
	store.SaveDraftOp{}.OpType():          func() store.Op { return &store.SaveDraftOp{} },
	store.DeleteDraftOp{}.OpType():        func() store.Op { return &store.DeleteDraftOp{} },
	store.AddTimeOp{}.OpType():            func() store.Op { return &store.AddTimeOp{} },
	store.SetSettingOp{}.OpType():         func() store.Op { return &store.SetSettingOp{} },
	store.RecordAccessOp{}.OpType():       func() store.Op { return &store.RecordAccessOp{} },
	store.ImportProgramsOp{}.OpType():     func() store.Op { return &store.ImportProgramsOp{} },
	store.SubmitOp{}.OpType():             func() store.Op { return &store.SubmitOp{} },
	store.AddMeasureOp{}.OpType():         func() store.Op { return &store.AddMeasureOp{} },
	store.AddDiaryOp{}.OpType():           func() store.Op { return &store.AddDiaryOp{} },
	store.SetTherapistIntakeOp{}.OpType(): func() store.Op { return &store.SetTherapistIntakeOp{} },
	store.SetTherapistUILangOp{}.OpType(): func() store.Op { return &store.SetTherapistUILangOp{} },
	store.AssessReferralOp{}.OpType():     func() store.Op { return &store.AssessReferralOp{} },
	store.AcceptReferralOp{}.OpType():     func() store.Op { return &store.AcceptReferralOp{} },
	store.DeclineReferralOp{}.OpType():    func() store.Op { return &store.DeclineReferralOp{} },
	store.WaitReferralOp{}.OpType():       func() store.Op { return &store.WaitReferralOp{} },
	// Groups (docs/groups.md); the patients' own group ops come through the portal.
	store.CreateCohortOp{}.OpType():       func() store.Op { return &store.CreateCohortOp{} },
	store.AddCohortMemberOp{}.OpType():    func() store.Op { return &store.AddCohortMemberOp{} },
	store.RemoveCohortMemberOp{}.OpType(): func() store.Op { return &store.RemoveCohortMemberOp{} },
	store.SendGroupMessageOp{}.OpType():   func() store.Op { return &store.SendGroupMessageOp{} },
	store.CreatePeerGroupOp{}.OpType():    func() store.Op { return &store.CreatePeerGroupOp{} },
	store.IssueGroupCodeOp{}.OpType():     func() store.Op { return &store.IssueGroupCodeOp{} },
	store.ModeratePostOp{}.OpType():       func() store.Op { return &store.ModeratePostOp{} },
	store.AdvanceCohortOp{}.OpType():      func() store.Op { return &store.AdvanceCohortOp{} },
}

// OpTypes lists the operation types DecodeOp knows, sorted.
func OpTypes() []string {
	out := make([]string, 0, len(opTypes))
	for t := range opTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// DecodeOp decodes a pushed operation of type typ strictly. The result is
// a pointer to one of the store's operation structs.
func DecodeOp(typ string, raw []byte) (store.Op, error) {
	mk, ok := opTypes[typ]
	if !ok {
		return nil, store.NewError(store.ErrInvalid, i18n.Msg("store.err.api.unknown_op", "Type", strconv.Quote(typ)))
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, store.NewError(store.ErrInvalid, i18n.Msg("store.err.api.op_missing", "Type", typ))
	}
	op := mk()
	if err := DecodeStrict(bytes.NewReader(raw), op); err != nil {
		m, _ := store.ErrorMessage(err)
		return nil, store.NewError(store.ErrInvalid, i18n.Msg("store.err.json.record", "Type", typ, "Err", m))
	}
	return op, nil
}

// Touched names the records an operation writes (by type and id) and the
// patient they belong to. The replica keeps pulled copies of these records
// away while the op waits to be pushed, and the server returns their
// current state when it refuses the op. Audit entries are not listed: they
// are never pulled.
func Touched(op store.Op) (refs []RecordRef, patientID string) {
	add := func(typ, id string) {
		if id != "" {
			refs = append(refs, RecordRef{typ, id})
		}
	}
	switch o := deref(op).(type) {
	case store.SendFeedbackOp:
		add("feedback", o.Feedback.ID)
		add("draft", o.DraftID)
		patientID = o.Feedback.PatientID
	case store.SendMessageOp:
		add("message", o.Message.ID)
		add("draft", o.DraftID)
		patientID = o.Message.PatientID
	case store.MarkReadOp:
		for _, id := range o.IDs {
			add(o.Type, id)
		}
	case store.AddNoteOp:
		add("note", o.Note.ID)
		add("draft", o.DraftID)
		patientID = o.Note.PatientID
	case store.AckRiskOp:
		add("risk_ack", o.Ack.ID)
		patientID = o.Ack.PatientID
	case store.RecordGoAheadOp:
		add("go_ahead", o.GoAhead.ID)
		patientID = o.GoAhead.PatientID
	case store.SaveDraftOp:
		add("draft", o.Draft.ID)
		patientID = o.Draft.PatientID
	case store.DeleteDraftOp:
		add("draft", o.ID)
	case store.AddTimeOp:
		add("time_spent", o.Time.ID)
		patientID = o.Time.PatientID
	case store.UpdateEnrollmentOp:
		add("enrollment", o.ID)
	case store.CourseOp:
		add("enrollment", o.Event.EnrollmentID)
		add("enrollment_event", o.Event.ID)
		if o.Draft != nil {
			add("draft", o.Draft.ID)
		}
		patientID = o.Event.PatientID
	case store.SignSummaryOp:
		add("summary", o.Summary.ID)
		add("draft", o.DraftID)
		patientID = o.Summary.PatientID
	case store.EnrollOp:
		add("enrollment", o.Enrollment.ID)
		patientID = o.Enrollment.PatientID
	case store.SetReferralStatusOp:
		add("referral", o.ID)
	case store.AddReferralOp:
		if o.Patient != nil {
			add("patient", o.Patient.ID)
		}
		add("referral", o.Referral.ID)
		patientID = o.Referral.PatientID
	case store.AssessReferralOp:
		add("assessment", o.Assessment.ID)
		patientID = o.Assessment.PatientID
	case store.AcceptReferralOp:
		add("referral", o.Enrollment.ReferralID)
		add("enrollment", o.Enrollment.ID)
		add("notification", o.Notification.ID)
		patientID = o.Enrollment.PatientID
	case store.DeclineReferralOp:
		add("referral", o.ReferralID)
		add("notification", o.Notification.ID)
		patientID = o.Notification.PatientID
	case store.WaitReferralOp:
		add("referral", o.ReferralID)
	case store.SetTherapistIntakeOp:
		add("therapist", o.ID)
	case store.SetTherapistUILangOp:
		add("therapist", o.ID)
	case store.AddPatientOp:
		add("patient", o.Patient.ID)
		patientID = o.Patient.ID
	case store.AddTherapistOp:
		add("therapist", o.Therapist.ID)
	case store.SetSettingOp:
		add("setting", o.Setting.Key)
	case store.SubmitOp:
		add("submission", o.Submission.ID)
		patientID = o.Submission.PatientID
	case store.AddMeasureOp:
		add("measure_response", o.Measure.ID)
		patientID = o.Measure.PatientID
	case store.AddDiaryOp:
		add("diary_entry", o.Entry.ID)
		patientID = o.Entry.PatientID
	case store.RecordAccessOp:
		patientID = o.Entry.PatientID
	}
	return refs, patientID
}

// deref turns a pointer to an operation struct into the struct.
func deref(op store.Op) store.Op {
	switch o := op.(type) {
	case *store.SetTherapistIntakeOp:
		return *o
	case *store.SetTherapistUILangOp:
		return *o
	case *store.AssessReferralOp:
		return *o
	case *store.AcceptReferralOp:
		return *o
	case *store.DeclineReferralOp:
		return *o
	case *store.WaitReferralOp:
		return *o
	case *store.AddTherapistOp:
		return *o
	case *store.AddPatientOp:
		return *o
	case *store.AddReferralOp:
		return *o
	case *store.SetReferralStatusOp:
		return *o
	case *store.EnrollOp:
		return *o
	case *store.UpdateEnrollmentOp:
		return *o
	case *store.CourseOp:
		return *o
	case *store.SignSummaryOp:
		return *o
	case *store.SendFeedbackOp:
		return *o
	case *store.SendMessageOp:
		return *o
	case *store.MarkReadOp:
		return *o
	case *store.AddNoteOp:
		return *o
	case *store.AckRiskOp:
		return *o
	case *store.RecordGoAheadOp:
		return *o
	case *store.SaveDraftOp:
		return *o
	case *store.DeleteDraftOp:
		return *o
	case *store.AddTimeOp:
		return *o
	case *store.SetSettingOp:
		return *o
	case *store.RecordAccessOp:
		return *o
	case *store.ImportProgramsOp:
		return *o
	case *store.SubmitOp:
		return *o
	case *store.AddMeasureOp:
		return *o
	case *store.AddDiaryOp:
		return *o
	}
	return derefGroupOp(op)
}

// Deref turns a pointer to an operation struct into the struct (other
// values are returned as they are), so that callers can switch on value
// types.
func Deref(op store.Op) store.Op { return deref(op) }

// AuditLog is the answer of GET /v1/audit/{patient}: a patient's access
// report (every read of the record: who, when, what, from which device),
// from the server's audit log, which replicas do not have. Who may read
// the record may read it; reading it is itself written to the log.
type AuditLog struct {
	PatientID string       `json:"patient_id"`
	Pseudonym string       `json:"pseudonym"`
	TimeZone  string       `json:"time_zone"` // the service's zone, for showing the times
	Entries   []AuditEntry `json:"entries"`
}

// AuditEntry is one row of an access report, with who it was by.
type AuditEntry struct {
	store.AuditEntry
	Who string `json:"who"` // the actor's handle, or its id (os:USER, patient:ID)
}
