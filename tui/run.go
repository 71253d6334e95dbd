// Package tui is the therapist's workbench: a bubbletea program over a
// store.Store.
package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
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

	// Theme is "dark", "light" or "" to ask the terminal.
	Theme string
	// NoColor draws without colours (NO_COLOR): emphasis by bold and
	// reverse video only.
	NoColor bool
	// ASCII draws plain text without any styling (golden tests).
	ASCII bool
	// Location of times on screen (default: local time).
	Location *time.Location
	// Config overrides the timings (tests); nil is the default.
	Config *common.Config
	// Lang is the interface language ("fi", "sv", "en"), resolved by the
	// caller (i18n.Resolve); empty is English.
	Lang string
}

// Run runs the workbench until the therapist quits. Whatever the way out
// (q, ctrl+c, a signal), unsaved drafts and the time meter are written
// before it returns.
func Run(ctx context.Context, opts Options) error {
	if opts.Input == nil {
		opts.Input = os.Stdin
	}
	if opts.Output == nil {
		opts.Output = os.Stdout
	}
	m, err := New(ctx, opts)
	if err != nil {
		return err
	}
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(opts.Input), tea.WithOutput(opts.Output))
	_, runErr := p.Run()
	// The program has ended: let writes in flight finish, then save what
	// is left, outside any cancelled context.
	m.c.Writes.Wait(10 * time.Second)
	flushCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	flushErr := m.flushSync(flushCtx)
	if errors.Is(runErr, tea.ErrProgramKilled) && ctx.Err() != nil {
		runErr = nil // a signal: a normal way out
	}
	return errors.Join(runErr, flushErr)
}

// newCommon builds the shared state: styles on a renderer for the output,
// themed for the terminal's background, the keys, the clock and the
// markdown renderer.
func newCommon(ctx context.Context, opts Options) *common.Common {
	out := opts.Output
	if out == nil {
		out = os.Stdout
	}
	r := lipgloss.NewRenderer(out)
	mono := opts.NoColor
	mdStyle := common.MarkdownDark
	switch {
	case opts.ASCII:
		r.SetColorProfile(termenv.Ascii)
		r.SetHasDarkBackground(true)
		mdStyle = common.MarkdownPlain
	case mono:
		// No colours, but bold and reverse video still help on a terminal.
		if f, ok := out.(*os.File); ok && term.IsTerminal(f.Fd()) {
			r.SetColorProfile(termenv.ANSI)
		}
		r.SetHasDarkBackground(true)
		mdStyle = common.MarkdownPlain
	default:
		dark := true
		switch opts.Theme {
		case "light":
			dark = false
		case "dark":
		default:
			dark = r.HasDarkBackground() // asks the terminal, before the program reads input
		}
		r.SetHasDarkBackground(dark)
		if !dark {
			mdStyle = common.MarkdownLight
		}
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	cfg := common.DefaultConfig()
	if opts.Config != nil {
		cfg = *opts.Config
	}
	mdProfile := r.ColorProfile()
	if mdStyle == common.MarkdownPlain {
		mdProfile = termenv.Ascii
	}
	own := common.NewOwnWrites()
	th := opts.Therapist
	th.Name, th.Handle = sanitize.Line(th.Name), sanitize.Line(th.Handle) // shown; the team stays as stored (a supervisor's query)
	// The workbench says nothing of the command line's help texts (the
	// clihelp catalogs, the largest): it does not parse them, and shares
	// the catalogs the command that started it has parsed already.
	tr := i18n.NewExcept(opts.Lang, "clihelp")
	return &common.Common{
		Ctx:       ctx,
		Store:     common.Track(opts.Store, own),
		Own:       own,
		Actor:     opts.Actor,
		Therapist: th,
		Styles:    common.NewStyles(r, common.Theme{Mono: mono || opts.ASCII}),
		Keys:      common.NewGlobalKeysIn(tr),
		Clock:     clock,
		Loc:       loc,
		Config:    cfg,
		Templates: common.DefaultTemplates(),
		Markdown:  common.NewMarkdown(mdStyle, mdProfile),
		Writes:    common.NewTracker(),
		Unsaved:   common.NewUnsaved(),
		Tr:        tr,
	}
}
