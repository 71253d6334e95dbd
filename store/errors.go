package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"polku/internal/i18n"
)

// Domain errors. Every error the store returns wraps one of these (or is a
// context error), so callers can branch with errors.Is and never see driver
// errors for expected conditions.
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("conflict")
	ErrInvalid   = errors.New("invalid")
	ErrForbidden = errors.New("forbidden")
	// ErrUnavailable: the store cannot serve now, or could not tell
	// whether a write was applied (an rqlite cluster without a majority,
	// or a node lost with the answer): try again later. Nothing else is
	// wrong with the request.
	ErrUnavailable = errors.New("unavailable")
)

// A store error is read far from the store, by a person in their own
// language: beside its English sentence (Error, for logs, tests and the
// API's message) it carries the sentence as data, a message of the store
// catalogs (store.err.*) with its arguments, which the edge that knows
// the reader renders (ErrorMessage, RenderMessage). The English sentence
// is that message rendered in English.

// english is the printer of the English sentences of errors.
var english = sync.OnceValue(func() *i18n.Printer { return i18n.New(i18n.EN) })

// englishText renders a message of the store in English.
func englishText(m i18n.Message) string { return RenderMessage(english(), m) }

// Error is a store error told as a message: a record not found, a refused
// act, a conflict, an invalid input. Kind is the domain error it wraps
// (ErrNotFound, ErrForbidden, ErrConflict, ErrInvalid).
type Error struct {
	Kind error
	Msg  i18n.Message // the whole sentence
}

func (e *Error) Error() string { return englishText(e.Msg) }

// Unwrap makes errors.Is(err, e.Kind) true.
func (e *Error) Unwrap() error { return e.Kind }

// Message is the error's sentence as a message.
func (e *Error) Message() i18n.Message { return e.Msg }

// NewError is a store error of kind (ErrNotFound, ...) that says m. A
// client rebuilds with it the error a server sent as a message.
func NewError(kind error, m i18n.Message) error { return &Error{Kind: kind, Msg: m} }

// newErr is a store error of kind with message id and its name/value
// arguments.
func newErr(kind error, id string, kv ...any) error {
	return &Error{Kind: kind, Msg: i18n.Msg(id, errorArgs(kv)...)}
}

// errorArgs are message arguments with each error among them as its
// message (a store error) or its text: an error's sentence is said in
// the reader's language where it has one, and travels as data.
func errorArgs(kv []any) []any {
	for i := 1; i < len(kv); i += 2 {
		if e, ok := kv[i].(error); ok {
			if m, ok := ErrorMessage(e); ok && englishText(m) == e.Error() {
				kv[i] = m // the whole error is the message, no wrapper's words
			} else {
				kv[i] = e.Error()
			}
		}
	}
	return kv
}

// ErrorMessage is the sentence of err as a message, when err is (or
// wraps) a store error that has one; ok is false for any other error.
// The message is of the innermost such error: a wrapper's own words
// (fmt.Errorf("--therapist: %w", err)) are not in it.
func ErrorMessage(err error) (m i18n.Message, ok bool) {
	var me interface{ Message() i18n.Message }
	if !errors.As(err, &me) {
		return i18n.Message{}, false
	}
	m = me.Message()
	return m, m.ID != ""
}

// LocalizeError says err in p's language: the sentence of the store error
// it wraps rendered in the language, in place of its English words within
// err's text (a wrapper's prefix stays as the wrapper wrote it). ok is
// false when err has no message, or its English sentence is not found in
// err's text.
func LocalizeError(p *i18n.Printer, err error) (string, bool) {
	var me interface {
		error
		Message() i18n.Message
	}
	if !errors.As(err, &me) || me.Message().ID == "" {
		return err.Error(), false
	}
	msg, en := err.Error(), me.Error()
	local := RenderMessage(p, me.Message())
	if msg == en {
		return local, true
	}
	if i := strings.Index(msg, en); i >= 0 {
		return msg[:i] + local + msg[i+len(en):], true
	}
	return msg, false
}

// FieldError says which field of which record is wrong and why.
type FieldError struct {
	Record string // record type, e.g. "feedback"
	Field  string // field name as in JSON, e.g. "body"
	Msg    string // why, in English ("" when Why says it: see Error)
	// Why is Msg as a message (store.err.*), for a reader of another
	// language.
	Why i18n.Message
	// Missing is the id the field names when the error is that it does not
	// exist (an import counts lines that refer to a refused record).
	Missing string
}

func (e *FieldError) Error() string {
	if e.Record == "" {
		return e.Field + ": " + e.Text()
	}
	return e.Record + "." + e.Field + ": " + e.Text()
}

// Text is why the field is wrong, in English: Msg, or else Why rendered
// (an error is made often and read seldom: a bad import line that is only
// counted is never rendered).
func (e *FieldError) Text() string {
	if e.Msg == "" && e.Why.ID != "" {
		return englishText(e.Why)
	}
	return e.Msg
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Message is the error's sentence: the field's name (a code) and why.
func (e *FieldError) Message() i18n.Message {
	if e.Why.ID == "" {
		return i18n.Message{}
	}
	name := e.Field
	if e.Record != "" {
		name = e.Record + "." + e.Field
	}
	return i18n.Msg("store.err.field", "Field", name, "Why", e.Why)
}

// invalid is a FieldError: field of record is wrong, as message id (a
// store.err.* id) with its name/value arguments says.
func invalid(record, field, id string, kv ...any) error {
	why := i18n.Msg(id, errorArgs(kv)...)
	return &FieldError{Record: record, Field: field, Why: why}
}

// notFound says that no record what (a record type: "patient",
// "group post") has the id or name id.
func notFound(what, id string) error {
	return newErr(ErrNotFound, "store.err.not_found", "What", recordName(what), "ID", quote(id))
}

// forbidden says that the actor may not do what message id says.
func forbidden(id string, kv ...any) error {
	return newErr(ErrForbidden, "store.err.forbidden", "Detail", i18n.Msg(id, errorArgs(kv)...))
}

// quote is a value quoted as Go quotes it (%q): ids and values in the
// sentences of errors stay as they are, in quotes.
func quote(s string) string { return strconv.Quote(s) }

// recordNames are the message ids of the record types errors name; a
// type not here is named by its code.
var recordNames = map[string]string{
	"patient":             "store.err.record.patient",
	"therapist":           "store.err.record.therapist",
	"enrollment":          "store.err.record.enrollment",
	"enrollment_event":    "store.err.record.enrollment_event",
	"program":             "store.err.record.program",
	"program version":     "store.err.record.program_version",
	"instrument":          "store.err.record.instrument",
	"cohort":              "store.err.record.cohort",
	"peer group":          "store.err.record.peer_group",
	"group post":          "store.err.record.group_post",
	"group_post":          "store.err.record.group_post",
	"referral":            "store.err.record.referral",
	"submission":          "store.err.record.submission",
	"feedback":            "store.err.record.feedback",
	"message":             "store.err.record.message",
	"measure response":    "store.err.record.measure_response",
	"measure_response":    "store.err.record.measure_response",
	"diary entry":         "store.err.record.diary_entry",
	"diary_entry":         "store.err.record.diary_entry",
	"draft":               "store.err.record.draft",
	"summary":             "store.err.record.summary",
	"setting":             "store.err.record.setting",
	"meta":                "store.err.record.meta",
	"risk_ack":            "store.err.record.risk_ack",
	"membership of group": "store.err.record.group_membership",
}

// recordName is a record type as a message argument: its name in the
// reader's language, or the code.
func recordName(what string) any {
	if id, ok := recordNames[what]; ok {
		return i18n.Message{ID: id}
	}
	return what
}

// roleArg is an account's role as a message argument: its name in the
// reader's language ("therapist" in English, the code).
func roleArg(role string) any {
	switch role {
	case RoleTherapist, RoleSupervisor, RoleAdmin:
		return i18n.Message{ID: "store.err.role." + role}
	}
	return role
}

// statusArg is the status of an enrollment, a referral or a group post
// as a message argument: its name in the reader's language (the code in
// English).
func statusArg(status string) any {
	switch status {
	case EnrollmentScheduled, EnrollmentActive, EnrollmentCompleted, EnrollmentDiscontinued,
		ReferralReceived, ReferralAccepted, ReferralDeclined, ReferralEnrolled,
		PostPending, PostApproved, PostRejected, PostHidden, PostHeld:
		return i18n.Message{ID: "store.err.status." + status}
	}
	return status
}

// ConflictError reports a failed compare-and-set: the record changed since
// the caller read it.
type ConflictError struct {
	Record  string
	ID      string
	Want    int64 // version the caller expected
	Current int64 // version in the store
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %s was changed by someone else (version %d, you had %d): reload and try again",
		e.Record, e.ID, e.Current, e.Want)
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// Message is the error's sentence as a message.
func (e *ConflictError) Message() i18n.Message {
	return i18n.Msg("store.err.conflict", "Record", recordName(e.Record), "ID", e.ID, "Current", e.Current, "Want", e.Want)
}
