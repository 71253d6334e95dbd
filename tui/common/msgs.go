package common

import (
	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
)

// PageMsg carries the result of a page's command back to that page, even
// when another page is on top by then.
type PageMsg struct {
	Page int
	Msg  tea.Msg
}

// ToPage wraps a command so that its result is delivered to page id.
func ToPage(id int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		return PageMsg{Page: id, Msg: msg}
	}
}

// Failure is a message that carries an error for the status bar when its
// page is gone.
type Failure interface {
	Failed() error
}

// StatusMsg puts a line in the status bar.
type StatusMsg struct {
	Text string
	Err  error
}

// Status returns a command that shows text in the status bar.
func Status(text string) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text} }
}

// Error returns a command that shows an error in the status bar.
func Error(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return func() tea.Msg { return StatusMsg{Err: err} }
}

// Focus says what a newly opened workspace should show first.
type Focus struct {
	SubmissionID string // open the reader on this submission
	Tab          string // or this tab
}

// OpenPatientMsg asks the root to open a patient's workspace.
type OpenPatientMsg struct {
	Item     store.QueueItem
	ReadOnly bool
	Focus    *Focus // nil: decide from the patient's reasons
	Replace  bool   // replace the current workspace (moving to the next patient)
}

// OpenQueueMsg asks the root to open a therapist's queue read-only (a
// supervisor drilling into the team).
type OpenQueueMsg struct {
	Therapist store.Therapist
	Queue     *store.Queue
}

// OpenIntakeMsg asks the root to open the intake queue (supervisors and
// intake workers).
type OpenIntakeMsg struct{}

// BackMsg asks the root to close the current page.
type BackMsg struct{}

// NextPatientMsg asks the root to move from the patient After to the next
// patient in the queue who needs the therapist.
type NextPatientMsg struct {
	After string
}

// SentMsg tells the root that something went out to a patient (feedback,
// message) or was recorded (note, acknowledgement): the queue is reloaded
// and a sync is triggered. Said is what to say once it has gone out
// ("Message sent."): at once on a local store, and on a replica only once
// the server has it (until then the root says it is saved and will be
// sent). Then is said after it ("Next: ...").
type SentMsg struct {
	What      string
	PatientID string
	RecordID  string // the record written (the feedback, message, note)
	Said      string
	Then      string
}

// ReloadQueueMsg asks the root to reload the queues on screen.
type ReloadQueueMsg struct{}

// SelectPatientMsg asks the home queue to put its cursor on a patient.
type SelectPatientMsg struct {
	PatientID string
}
