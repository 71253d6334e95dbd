package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Plain commands never send terminal queries: on a terminal that does not
// answer, asking for the background colour cost five seconds (and on one
// that answers late, the answer lands in the shell). Only the workbench may
// ask. The test runs the built binary on a pseudo-terminal that never
// answers.
func TestPlainCommandsSendNoTerminalQueries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "polku")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "p.db")
	for _, args := range [][]string{
		{"--version"},
		{"--db", db, "init"},
		{"--db", db, "therapists", "list"},
		{"--db", db, "programs", "list"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "LC_ALL=C", "TERM=xterm-256color", "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
		cmd.Env = append(cmd.Env, "COLORFGBG=", "POLKU_THEME=", "NO_COLOR=")
		f, err := pty.Start(cmd)
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		var out bytes.Buffer
		copied := make(chan struct{})
		go func() { io.Copy(&out, f); close(copied) }()
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(4 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		took := time.Since(start)
		f.Close()
		<-copied
		if strings.Contains(out.String(), "\x1b]11;") || strings.Contains(out.String(), "\x1b[6n") {
			t.Errorf("polku %s sent a terminal query: %q", strings.Join(args, " "), out.String())
		}
		if took > 3*time.Second {
			t.Errorf("polku %s took %s on a terminal that does not answer", strings.Join(args, " "), took)
		}
	}
}
