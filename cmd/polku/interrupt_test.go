package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"polku/store/demo"
)

// cancelWriter is a terminal's standard error that presses Ctrl+C (cancels
// the command's context) once the command has written to it n times: the
// progress bar's writes mark how far the work has got.
type cancelWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	n      int
	cancel func()
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n--
	if w.n == 0 {
		w.cancel()
	}
	return w.buf.Write(p)
}

func (w *cancelWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

type invocation struct {
	ctx    context.Context
	vars   map[string]string
	stdin  io.Reader
	stderr io.Writer
	tty    bool
}

func (in invocation) run(args ...string) (int, string) {
	var out bytes.Buffer
	ctx := in.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	stdin := in.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	stderr := in.stderr
	if stderr == nil {
		stderr = io.Discard
	}
	code := run(ctx, &env{args: args, stdin: stdin, stdout: &out, stderr: stderr, stderrTTY: in.tty,
		getenv: func(k string) string { return in.vars[k] }, now: time.Now})
	return code, out.String()
}

func testVars(dir string) map[string]string {
	return map[string]string{"HOME": dir, "XDG_DATA_HOME": filepath.Join(dir, "data"), "XDG_CONFIG_HOME": filepath.Join(dir, "config")}
}

// Ctrl+C during 'polku demo --reset' leaves the old demo as it was and no
// half-built file; the next 'polku demo' works.
func TestDemoInterruptWritesNothing(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	if code, _ := (invocation{vars: vars}).run("demo", "--patients", "20", "--no-tui"); code != 0 {
		t.Fatal("first demo failed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelWriter{n: 2, cancel: cancel}
	code, _ := invocation{ctx: ctx, vars: vars, stderr: w, tty: true}.run("demo", "--reset", "--patients", "3000", "--no-tui")
	if code != exitInterrupted || !strings.Contains(w.String(), "polku: interrupted, nothing written") {
		t.Fatalf("interrupted demo: exit %d, stderr %q", code, w.String())
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "data", "polku"))
	for _, e := range entries {
		if e.Name() != "demo.db" {
			t.Errorf("an interrupted demo left %s", e.Name())
		}
	}
	code, out := invocation{vars: vars}.run("--db", filepath.Join(dir, "data", "polku", "demo.db"), "patients", "list", "--output", "json")
	if code != 0 || strings.Count(out, `"pseudonym"`) != 20+demo.ShowcaseReferrals {
		t.Fatalf("the old demo did not survive: exit %d, %d patients", code, strings.Count(out, `"pseudonym"`))
	}
	if code, _ := (invocation{vars: vars}).run("demo", "--reset", "--patients", "25", "--no-tui"); code != 0 {
		t.Fatal("demo after an interrupted one failed")
	}
}

// A demo store half-built by a build that was killed (no demo marker) is
// still replaced by 'polku demo --reset' when it is the demo's own file.
func TestDemoResetReplacesAHalfBuiltStore(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	own := filepath.Join(dir, "data", "polku", "demo.db")
	os.MkdirAll(filepath.Dir(own), 0o700)
	os.WriteFile(own, []byte("half a store"), 0o600)
	if code, _ := (invocation{vars: vars}).run("demo", "--reset", "--patients", "5", "--no-tui"); code != 0 {
		t.Fatal("demo --reset did not replace its own half-built file")
	}
	// A store named by --db is never replaced unless it is a demo.
	other := filepath.Join(dir, "other.db")
	os.WriteFile(other, []byte("not a store"), 0o600)
	if code, _ := (invocation{vars: vars}).run("demo", "--db", other, "--reset", "--no-tui"); code == 0 {
		t.Fatal("demo --reset replaced a file named by --db that is not a demo")
	}
	if b, _ := os.ReadFile(other); string(b) != "not a store" {
		t.Fatal("the file named by --db was changed")
	}
}

// Ctrl+C during an import rolls it back.
func TestImportInterruptWritesNothing(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	invocation{vars: vars}.run("demo", "--db", src, "--patients", "40", "--no-tui")
	_, exp := invocation{vars: vars}.run("--db", src, "export")
	invocation{vars: vars}.run("--db", dst, "init", "--no-builtin")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb bytes.Buffer
	in := &cancelAfterReader{r: strings.NewReader(exp), n: len(exp) / 2, cancel: cancel}
	code, _ := invocation{ctx: ctx, vars: vars, stdin: in, stderr: &errb}.run("--db", dst, "import", "-")
	if code != exitInterrupted || !strings.Contains(errb.String(), "interrupted, nothing written") {
		t.Fatalf("interrupted import: exit %d, %q", code, errb.String())
	}
	_, out := invocation{vars: vars}.run("--db", dst, "therapists", "list", "--output", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Fatalf("an interrupted import left therapists: %s", out)
	}
}

type cancelAfterReader struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfterReader) Read(p []byte) (int, error) {
	if len(p) > 4096 {
		p = p[:4096]
	}
	k, err := c.r.Read(p)
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// Ctrl+C during an export to a file leaves no file.
func TestExportInterruptWritesNothing(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	src := filepath.Join(dir, "src.db")
	invocation{vars: vars}.run("demo", "--db", src, "--patients", "60", "--no-tui")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelWriter{n: 1, cancel: cancel}
	out := filepath.Join(dir, "out", "e.jsonl")
	os.MkdirAll(filepath.Dir(out), 0o700)
	code, _ := invocation{ctx: ctx, vars: vars, stderr: w, tty: true}.run("--db", src, "export", "--out", out)
	if code != exitInterrupted || !strings.Contains(w.String(), "interrupted, nothing written") {
		t.Fatalf("interrupted export: exit %d, %q", code, w.String())
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
		t.Fatalf("an interrupted export left %s", entries[0].Name())
	}
	// To standard output it cannot take back what went out, and says so.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	w = &cancelWriter{n: 1, cancel: cancel}
	code, _ = invocation{ctx: ctx, vars: vars, stderr: w, tty: true}.run("--db", src, "export")
	if code != exitInterrupted || !strings.Contains(w.String(), "interrupted; what went to standard output is incomplete") {
		t.Fatalf("interrupted export to standard output: exit %d, %q", code, w.String())
	}
}

// Long work shows a bar with the count, the rate and the time left on a
// terminal; nothing when standard error is not a terminal or with --quiet.
func TestProgressOnlyOnATerminal(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	bar := regexp.MustCompile(`demo +\d+% \|.*\| \(\d+/400, \d+ patients/s\)|\[\d+s:\d+s\]`)
	var errb bytes.Buffer
	invocation{vars: vars, stderr: &errb, tty: true}.run("demo", "--db", filepath.Join(dir, "a.db"), "--patients", "400", "--no-tui")
	if !bar.MatchString(errb.String()) || !strings.Contains(errb.String(), "400/400") {
		t.Fatalf("no progress bar on a terminal:\n%q", errb.String())
	}
	for _, c := range []struct {
		tty  bool
		args []string
	}{{false, nil}, {true, []string{"--quiet"}}} {
		errb.Reset()
		args := append([]string{"demo", "--db", filepath.Join(dir, "b.db"), "--reset", "--patients", "30", "--no-tui"}, c.args...)
		invocation{vars: vars, stderr: &errb, tty: c.tty}.run(args...)
		if strings.Contains(errb.String(), "patients/s") || strings.Contains(errb.String(), "\r") {
			t.Errorf("tty %v %v: progress shown: %q", c.tty, c.args, errb.String())
		}
	}
	// import and export show theirs too.
	errb.Reset()
	invocation{vars: vars, stderr: &errb, tty: true}.run("--db", filepath.Join(dir, "a.db"), "export", "--out", filepath.Join(dir, "a.jsonl"))
	if !strings.Contains(errb.String(), "records/s") {
		t.Errorf("export shows no progress: %q", errb.String())
	}
	invocation{vars: vars}.run("--db", filepath.Join(dir, "c.db"), "init", "--no-builtin")
	errb.Reset()
	invocation{vars: vars, stderr: &errb, tty: true}.run("--db", filepath.Join(dir, "c.db"), "import", filepath.Join(dir, "a.jsonl"))
	if !strings.Contains(errb.String(), "import") || !strings.Contains(errb.String(), "MB/s") && !strings.Contains(errb.String(), "kB/s") {
		t.Errorf("import shows no progress: %q", errb.String())
	}
}
