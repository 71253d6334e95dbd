package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
)

// cli runs one polku command line in process with the given environment.
func cli(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), &env{args: args, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] }, now: time.Now})
	return code, out.String(), errb.String()
}

// After 'polku login', the commands that read work on the replica unless
// --db names a store: a newcomer who signs in and types 'polku triage'
// sees their queue.
func TestReadsUseTheReplicaAfterLogin(t *testing.T) {
	dir := t.TempDir()
	srvDB := filepath.Join(dir, "server.db")
	vars := map[string]string{"HOME": dir, "XDG_DATA_HOME": filepath.Join(dir, "data"), "XDG_CONFIG_HOME": filepath.Join(dir, "config")}
	if code, _, errs := cli(t, vars, "", "demo", "--db", srvDB, "--patients", "30", "--no-tui"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := cli(t, vars, "", "--db", srvDB, "tokens", "create", "--therapist", "demo")
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]

	ctx := context.Background()
	db, err := store.Open(ctx, srvDB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := server.New(ctx, server.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	if code, _, errs := cli(t, vars, "", "login", "--server", ts.URL, "--token", token); code != 0 {
		t.Fatal(errs)
	}
	// No --db, no --as, no sync yet: the replica is fetched and read.
	code, out, errs = cli(t, vars, "", "triage", "--output", "json")
	if code != 0 {
		t.Fatalf("polku triage after login: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"pseudonym": "SYN-`) {
		t.Fatalf("polku triage after login shows no patients:\n%s", out)
	}
	code, out, errs = cli(t, vars, "", "patients", "list")
	if code != 0 || !strings.Contains(out, "SYN-") {
		t.Fatalf("polku patients list after login: exit %d, %s %s", code, out, errs)
	}
	// --db still names a store.
	local := filepath.Join(dir, "local.db")
	cli(t, vars, "", "--db", local, "init", "--no-builtin")
	code, out, _ = cli(t, vars, "", "--db", local, "patients", "list")
	if code != 0 || strings.Contains(out, "SYN-") {
		t.Fatalf("--db local.db read the replica: %s", out)
	}
	// An interrupted sync says what it kept.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	var errb bytes.Buffer
	if code, _ := (invocation{ctx: cancelled, vars: vars, stderr: &errb}).run("sync"); code != exitInterrupted ||
		!strings.Contains(errb.String(), "interrupted; the pages already fetched are kept") {
		t.Fatalf("interrupted sync: exit %d, %q", code, errb.String())
	}
	// --as someone else than the login is refused, not silently ignored.
	code, _, errs = cli(t, vars, "", "--as", "super", "triage")
	if code == 0 || !strings.Contains(errs, "signed in to") {
		t.Fatalf("--as super on demo's replica: exit %d, %s", code, errs)
	}
}
