package store

import (
	"errors"
	"fmt"
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

// FieldError says which field of which record is wrong and why.
type FieldError struct {
	Record string // record type, e.g. "feedback"
	Field  string // field name as in JSON, e.g. "body"
	Msg    string
	// Missing is the id the field names when the error is that it does not
	// exist (an import counts lines that refer to a refused record).
	Missing string
}

func (e *FieldError) Error() string {
	if e.Record == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("%s.%s: %s", e.Record, e.Field, e.Msg)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func invalid(record, field, format string, args ...any) error {
	return &FieldError{Record: record, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func notFound(what, id string) error {
	return fmt.Errorf("%s %q: %w", what, id, ErrNotFound)
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

func forbidden(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrForbidden)
}
