package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"polku": main})
}

// TestScripts runs the CLI scripts in testdata/script: each is a txtar
// archive with the commands a user types and the files they use.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// freeaddr NAME sets $NAME to a free loopback address.
			"freeaddr": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 || neg {
					ts.Fatalf("usage: freeaddr NAME")
				}
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				ts.Check(err)
				ts.Setenv(args[0], ln.Addr().String())
				ln.Close()
			},
			// listening ADDR waits (up to 20 s) until something accepts
			// connections on ADDR: a server started in the background is up.
			"listening": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 || neg {
					ts.Fatalf("usage: listening ADDR")
				}
				for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
					if c, err := net.Dial("tcp", args[0]); err == nil {
						c.Close()
						return
					}
				}
				ts.Fatalf("nothing listens on %s after 20 s", args[0])
			},
		},
		Setup: func(e *testscript.Env) error {
			e.Setenv("HOME", e.WorkDir)
			e.Setenv("XDG_DATA_HOME", filepath.Join(e.WorkDir, "data"))
			e.Setenv("XDG_CONFIG_HOME", filepath.Join(e.WorkDir, "config"))
			e.Setenv("TZ", "Europe/Helsinki")
			e.Setenv("POLKU_NOW", "2026-11-23T12:00:00Z")
			e.Setenv("USER", "admin-user")
			e.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}

// TestExitCodes: 0 ok, 1 failure, 2 usage error, and errors go to stderr.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--db", db, "init"}, 0, ""},
		{[]string{"--db", db, "bogus"}, 2, `unknown command "bogus"`},
		{[]string{"--db", db, "programs", "list", "--output", "xml"}, 2, "--output must be table or json"},
		{[]string{"--db", db, "programs", "list", "--nope"}, 2, "unknown flag: --nope"},
		{[]string{"--db", db, "therapists", "add"}, 2, "say which therapist (by handle)"},
		{[]string{"--db", db, "therapists", "add", "x"}, 2, "--name is required"},
		{[]string{"--db", db, "therapists", "add", "x", "--name", "X", "--role", "boss"}, 1, `therapist.role: "boss" is not one of therapist, supervisor, admin`},
		{[]string{"--db", db, "triage"}, 2, "say who you are with --as"},
		{[]string{"--db", db, "--as", "nobody", "triage"}, 1, `no therapist with handle "nobody"`},
		{[]string{"--db", filepath.Join(dir, "missing.db"), "programs", "list"}, 1, "run `polku init --db"},
		{[]string{"--db", db, "patients", "show", "nope"}, 1, `patient "nope": not found`},
		{[]string{"--version"}, 0, ""},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), &env{args: c.args, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" }, now: time.Now})
		if code != c.code || !strings.Contains(errb.String(), c.stderr) {
			t.Errorf("polku %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errb.String(), c.code, c.stderr)
		}
		if c.code != 0 && out.Len() > 0 {
			t.Errorf("polku %s: a failure wrote to stdout: %q", strings.Join(c.args, " "), out.String())
		}
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal(err)
	}
}
