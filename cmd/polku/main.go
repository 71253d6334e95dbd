// Command polku is the therapist's workbench for guided internet therapy:
// a terminal UI for triage, reading and feedback, and a CLI for admins.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, &env{
		args:   os.Args[1:],
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		now:    clockFromEnv(os.Getenv("POLKU_NOW")),

		stderrTTY: term.IsTerminal(os.Stderr.Fd()),
	})
	stop()
	os.Exit(code)
}

// clockFromEnv is the real clock, or with POLKU_NOW=2026-11-23T12:00:00Z a
// clock that starts at that time and runs on from there (for tests and for
// showing a store as it looked on a given day).
func clockFromEnv(v string) func() time.Time {
	if v == "" {
		return time.Now
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		fmt.Fprintf(os.Stderr, "polku: POLKU_NOW=%q is not an RFC 3339 time like 2026-11-23T12:00:00Z\n", v)
		os.Exit(2)
	}
	started := time.Now()
	return func() time.Time { return at.Add(time.Since(started)) }
}
