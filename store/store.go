// Package store holds polku's records and the SQLite store that keeps them:
// migrations, append-only clinical records, versioned mutable state, the
// change log and the audit log, triage queries and the JSON Lines
// interchange format. The TUI, the CLI and the sync server use it through
// the Store interface.
package store

import (
	"context"
	"io"
	"time"

	"polku/programs"
	"polku/store/report"
)

// Store is the store as its users see it. *DB implements it; the TUI works
// against it whether the file is the source of truth or a synced replica.
type Store interface {
	Path() string
	Now() time.Time
	Close() error

	// Watching for writes by other processes.
	LastSeq(ctx context.Context) (int64, error)

	// Accounts, programs, policy.
	Therapist(ctx context.Context, id string) (Therapist, error)
	TherapistByHandle(ctx context.Context, handle string) (Therapist, error)
	Therapists(ctx context.Context) ([]Therapist, error)
	ProgramDef(ctx context.Context, versionID string) (*programs.Program, error)
	InstrumentDef(ctx context.Context, id string, version int) (*programs.Instrument, error)
	Policy(ctx context.Context) (Policy, error)

	// Triage and records (reads of a record are audited).
	Triage(ctx context.Context, actor Actor, therapistID string) (*Queue, error)
	Team(ctx context.Context, actor Actor, team string) (*TeamView, error)
	Report(ctx context.Context, actor Actor, q ReportQuery) (*report.Report, error)
	Patients(ctx context.Context, actor Actor, f PatientFilter) ([]PatientSummary, error)
	PatientRecord(ctx context.Context, actor Actor, patientID, view string) (*PatientRecord, error)
	RecordAccess(ctx context.Context, actor Actor, patientID, action, detail string) error
	TimeThisWeek(ctx context.Context, therapistID, patientID string, now time.Time) (time.Duration, error)
	Drafts(ctx context.Context, therapistID string) ([]Draft, error)

	// Therapist writes.
	SaveDraft(ctx context.Context, actor Actor, d Draft) (Draft, error)
	DeleteDraft(ctx context.Context, actor Actor, id string, version int64) error
	SendFeedback(ctx context.Context, actor Actor, f Feedback, draftID string) (Feedback, error)
	SendMessage(ctx context.Context, actor Actor, m Message, draftID string) (Message, error)
	MarkRead(ctx context.Context, actor Actor, typ string, ids ...string) error
	AddNote(ctx context.Context, actor Actor, n Note, draftID string) (Note, error)
	AckRisk(ctx context.Context, actor Actor, a RiskAck) (RiskAck, error)
	RecordGoAhead(ctx context.Context, actor Actor, g GoAhead) (GoAhead, error)
	AddTime(ctx context.Context, actor Actor, patientID string, d time.Duration) error
	StepCourse(ctx context.Context, actor Actor, c CourseChange) (CourseResult, error)
	SummaryDraft(ctx context.Context, actor Actor, enrollmentID string) (Draft, error)
	SummaryDraftIn(ctx context.Context, actor Actor, enrollmentID, lang string) (Draft, error)
	SignSummary(ctx context.Context, actor Actor, enrollmentID, body string) (Summary, error)

	// Everything else goes through operations.
	Apply(ctx context.Context, actor Actor, op Op) error
	Export(ctx context.Context, actor Actor, w io.Writer, f ExportFilter) (int, error)
}

var _ Store = (*DB)(nil)
