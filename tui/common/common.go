// Package common holds what every part of the workbench shares: the one
// Common value (store, actor, styles, keys, clock, timings) that is
// constructed once and passed down, the Component and Page interfaces, the
// messages pages send to the root, and small formatting helpers.
package common

import (
	"context"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"polku/internal/i18n"
	"polku/store"
)

// Component is a piece of the screen: a tea.Model that knows its key
// bindings (for help) and can be resized.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// Page is a full screen on the root's stack (triage, workspace, team).
type Page interface {
	Component
	// ID is the page's address for the results of its own commands.
	ID() int
	// Title is shown in the header breadcrumb.
	Title() string
	// InputFocused says a text field has the keyboard: the root then
	// leaves printable keys (q, ?) and esc to the page.
	InputFocused() bool
	// Refresh is called when other writers changed the store.
	Refresh(ch Changes) tea.Cmd
	// Close is called when the page leaves the stack: flush drafts.
	Close() tea.Cmd
}

// Flusher is a page holding unsaved text; FlushSync saves it outside the
// program loop (after the program has ended).
type Flusher interface {
	FlushSync(ctx context.Context) error
}

// QueueConsumer is a page that shows (part of) a therapist's queue.
type QueueConsumer interface {
	SetQueue(q *store.Queue)
}

// PatientPage is a page about one patient (for the time meter).
type PatientPage interface {
	PatientID() string
	PatientName() string
	ReadOnly() bool
}

// Config holds the timings of the workbench; tests shorten them.
type Config struct {
	PollEvery      time.Duration // how often the store's change log is polled
	DraftDelay     time.Duration // debounce before a draft is saved
	TimeFlushEvery time.Duration // how often the time meter is written
	IdleAfter      time.Duration // no keys for this long: the time meter stops
	StatusFor      time.Duration // how long an info message stays in the status bar
}

// DefaultConfig is the production timing.
func DefaultConfig() Config {
	return Config{PollEvery: time.Second, DraftDelay: 400 * time.Millisecond, TimeFlushEvery: 30 * time.Second,
		IdleAfter: 5 * time.Minute, StatusFor: 6 * time.Second}
}

// Common is constructed once and shared by every component.
type Common struct {
	Ctx       context.Context
	Store     store.Store
	Actor     store.Actor
	Therapist store.Therapist
	Styles    *Styles
	Keys      *GlobalKeys
	Clock     func() time.Time
	Loc       *time.Location // times on screen are in this zone
	Config    Config
	Templates []Template
	// Markdown renders markdown for a width (glamour, themed).
	Markdown *Markdown
	// Writes counts store writes in flight, so that the program can wait
	// for them before the store is closed.
	Writes *Tracker
	// Own remembers the change-log rows of this process's own writes
	// (Store registers them), which the live refresh leaves out.
	Own *OwnWrites
	// Unsaved keeps drafts whose save failed after their page closed;
	// they are saved again before the program ends.
	Unsaved *Unsaved
	// Scales names instruments with their validation marker; the root
	// loads it with the queue (nil until then: every name counts as not
	// known to be validated).
	Scales *Scales
	// Tick schedules a message after a delay (tea.Tick; tests replace it).
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
	// Tr renders the interface's sentences, dates and numbers in the
	// therapist's language (Tr.T("id"), Tr.DateTime(t)).
	Tr *i18n.Printer

	nextID int
	mu     sync.Mutex
}

// NewPageID hands out page addresses.
func (c *Common) NewPageID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	return c.nextID
}

// After schedules a message after a delay.
func (c *Common) After(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if c.Tick == nil {
		return tea.Tick(d, fn)
	}
	return c.Tick(d, fn)
}

// Now is the injected clock.
func (c *Common) Now() time.Time { return c.Clock() }

// Supervisor says the person at the keyboard reads a team read-only.
func (c *Common) Supervisor() bool { return c.Therapist.Role == store.RoleSupervisor }

// Write wraps a command that writes to the store so that it is counted as
// in flight from now until it returns.
func (c *Common) Write(cmd func() tea.Msg) tea.Cmd {
	if c.Writes == nil {
		return cmd
	}
	c.Writes.Add()
	return func() tea.Msg {
		defer c.Writes.Done()
		return cmd()
	}
}

// Tracker counts writes in flight.
type Tracker struct {
	mu   sync.Mutex
	n    int
	cond *sync.Cond
}

// NewTracker makes a tracker.
func NewTracker() *Tracker {
	t := &Tracker{}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// Add counts one more write.
func (t *Tracker) Add() { t.mu.Lock(); t.n++; t.mu.Unlock() }

// Done counts one write finished.
func (t *Tracker) Done() {
	t.mu.Lock()
	t.n--
	t.cond.Broadcast()
	t.mu.Unlock()
}

// Pending is the number of writes in flight.
func (t *Tracker) Pending() int { t.mu.Lock(); defer t.mu.Unlock(); return t.n }

// Wait waits until no write is in flight or the timeout passes; it
// reports whether everything finished.
func (t *Tracker) Wait(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		t.mu.Lock()
		for t.n > 0 {
			t.cond.Wait()
		}
		t.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Changes describes what changed in the store since the last poll.
type Changes struct {
	// All is true when the details are unknown: assume everything changed.
	All bool
	// Patients whose records others changed.
	Patients map[string]bool
	// Others is true when someone other than the user (or another
	// process) wrote anything triage depends on.
	Others bool
}

// Touches says whether the changes concern a patient.
func (c Changes) Touches(patientID string) bool { return c.All || c.Patients[patientID] }
