// Package tui is the therapist's workbench: a bubbletea program over a
// store.Store.
package tui

import (
	"context"
	"errors"
	"io"
	"time"

	"polku/store"
)

// SyncStatus is what the status bar shows about a replica's sync.
type SyncStatus struct {
	Server    string
	Online    bool
	LastSync  time.Time
	Pending   int // local operations not yet pushed
	Conflicts int // operations the server refused as conflicts
	Err       string
}

// Syncer is a background sync engine the workbench reports on and nudges.
type Syncer interface {
	Status() SyncStatus
	Trigger() // sync soon (called right after a send)
}

// Options configure the workbench.
type Options struct {
	Store      store.Store
	Actor      store.Actor
	Therapist  store.Therapist
	StoreLabel string // e.g. "local /path/polku.db" or "replica of https://..."
	Clock      func() time.Time
	Demo       bool   // the store holds synthetic demo data
	Sync       Syncer // nil when the local store is the source of truth
	Input      io.Reader
	Output     io.Writer
}

// Run runs the workbench until the therapist quits.
func Run(ctx context.Context, opts Options) error {
	return errors.New("the workbench is not built yet; use the CLI commands (polku --help)")
}
