package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// drawProgress runs a.progress on a terminal and returns what it drew.
func drawProgress(t *testing.T, unit string, bytes bool, total int, steps ...int) string {
	t.Helper()
	var errb strings.Builder
	a := &app{env: &env{stderr: &errb, stderrTTY: true}}
	report, done := a.progress("import", unit, bytes)
	for _, n := range steps {
		report(n, total)
		time.Sleep(120 * time.Millisecond) // past the bar's throttle
	}
	s := errb.String()
	done()
	return s
}

// The import bar counts bytes with their rate (MB/s) and no second,
// unitless rate of items ("9439008 /s").
func TestProgressBytesHaveOneRate(t *testing.T) {
	out := drawProgress(t, "bytes", true, 300<<20, 10<<20, 20<<20, 30<<20)
	if !strings.Contains(out, "MB/s") {
		t.Fatalf("no byte rate in %q", out)
	}
	if regexp.MustCompile(`\d /s|bytes/s`).MatchString(out) {
		t.Fatalf("a rate in items beside the byte rate: %q", out)
	}
}

// With no total, the bar is a counter with its rate and no time left.
func TestProgressWithoutTotalHasNoTimeLeft(t *testing.T) {
	out := drawProgress(t, "records", false, 0, 500, 1000, 1500)
	if !strings.Contains(out, "records/s") {
		t.Fatalf("no rate in %q", out)
	}
	if regexp.MustCompile(`\[\d+s:\d+`).MatchString(out) {
		t.Fatalf("a time left with no total: %q", out)
	}
}

// Not a terminal, or --quiet: nothing drawn.
func TestProgressSilentOffTerminal(t *testing.T) {
	var errb strings.Builder
	for _, a := range []*app{{env: &env{stderr: &errb}}, {env: &env{stderr: &errb, stderrTTY: true}, quiet: true}} {
		report, done := a.progress("sync", "records", false)
		report(10, 0)
		done()
	}
	if errb.Len() > 0 {
		t.Fatalf("drew %q", errb.String())
	}
}
