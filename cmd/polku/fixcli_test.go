package main

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
)

// demoServer makes a demo store with a token for demo and serves it over
// plain http on loopback; the token and the server's URL come back.
func demoServer(t *testing.T, vars map[string]string, now func() time.Time, args ...string) (srvDB, token string, ts *httptest.Server) {
	t.Helper()
	dir := vars["HOME"]
	srvDB = filepath.Join(dir, "server.db")
	if code, _, errs := cli(t, vars, "", "demo", "--db", srvDB, "--patients", "30", "--no-tui"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := cli(t, vars, "", append([]string{"--db", srvDB, "tokens", "create", "--therapist", "demo"}, args...)...)
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token = lines[len(lines)-1]
	ctx := context.Background()
	db, err := store.Open(ctx, srvDB, store.Options{Clock: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := server.New(ctx, server.Config{DB: db, Clock: now})
	if err != nil {
		t.Fatal(err)
	}
	ts = httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srvDB, token, ts
}

// Logging in with an expired token says it expired, and when (in the
// service's time zone), as sync does: not "unknown or revoked".
func TestLoginWithAnExpiredToken(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	later := func() time.Time { return time.Now().Add(3 * 24 * time.Hour) }
	_, token, ts := demoServer(t, vars, later, "--expires", "1d")
	url := ts.URL
	code, _, errs := cli(t, vars, "", "login", "--server", url, "--token", token)
	if code != 1 || !strings.Contains(errs, "this token expired on ") || strings.Contains(errs, "unknown or revoked") {
		t.Fatalf("login with an expired token: exit %d, %q", code, errs)
	}
	if strings.Contains(errs, "UTC") || !strings.Contains(errs, "EET") {
		t.Errorf("the expiry is not in the service's zone (Europe/Helsinki): %q", errs)
	}
	code, _, errs = cli(t, vars, "", "login", "--server", url, "--token", "polku_nosuchtoken")
	if code != 1 || !strings.Contains(errs, "unknown or revoked") {
		t.Fatalf("login with an unknown token: exit %d, %q", code, errs)
	}
}

// An https:// address of a plain http server says so, and what to do.
func TestLoginHTTPSToAPlainServer(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	_, token, ts := demoServer(t, vars, time.Now)
	url := ts.URL
	code, _, errs := cli(t, vars, "", "login", "--server", strings.Replace(url, "http://", "https://", 1), "--token", token)
	if code != 1 || !strings.Contains(errs, "the server speaks plain http: use http://") || strings.Contains(errs, "HTTPS client") {
		t.Fatalf("login over https to an http server: exit %d, %q", code, errs)
	}
}

// export --out into a folder that does not exist names the folder, not
// the temporary file.
func TestExportToAMissingFolder(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	db := filepath.Join(dir, "p.db")
	if code, _, errs := cli(t, vars, "", "--db", db, "init"); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(dir, "newdir", "e.jsonl")
	code, _, errs := cli(t, vars, "", "--db", db, "export", "--out", out)
	want := "the folder " + filepath.Join(dir, "newdir") + " does not exist"
	if code != 1 || !strings.Contains(errs, want) || strings.Contains(errs, ".polku-export-") {
		t.Fatalf("export to a missing folder: exit %d, %q; want %q", code, errs, want)
	}
}

// simulate prints its times in the service's time zone (Europe/Helsinki
// in the demo), not in the machine's.
func TestSimulateTimesInTheServiceZone(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	db := filepath.Join(dir, "demo.db")
	if code, _, errs := cli(t, vars, "", "demo", "--db", db, "--patients", "3", "--no-tui"); code != 0 {
		t.Fatal(errs)
	}
	// The machine's clock in a zone five hours east of UTC: 17:00 there
	// is 14:00 in Helsinki (EET, UTC+2, in November).
	machine := time.FixedZone("MACHINE", 5*3600)
	start := time.Date(2026, 11, 23, 17, 0, 0, 0, machine)
	began := time.Now()
	var out, errb strings.Builder
	code := run(context.Background(), &env{args: []string{"--db", db, "simulate", "--count", "1", "--every", "1ms", "--seed", "1"},
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] },
		now: func() time.Time { return start.Add(time.Since(began)) }})
	if code != 0 {
		t.Fatalf("simulate: exit %d, %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "\n14:00:") || strings.Contains(out.String(), "\n17:00:") {
		t.Fatalf("simulate's times are not in the service's zone (want 14:00 Helsinki, not the machine's 17:00):\n%s", out.String())
	}
}

// tokens list --help says that a server's --token-lifetime cap can end a
// token before the EXPIRES it shows.
func TestTokensListHelpNamesTheServerCap(t *testing.T) {
	code, out, errs := cli(t, testVars(t.TempDir()), "", "tokens", "list", "--help")
	if code != 0 || !strings.Contains(out, "--token-lifetime") || !strings.Contains(out, "cannot show that earlier end") {
		t.Fatalf("tokens list --help: exit %d, %s %s", code, out, errs)
	}
}

// After login, 'polku audit' shows the server's access report (the audit
// log is the server's: a replica has only this device's reads), and with
// the server gone it refuses, naming --db, rather than show a part of it.
func TestAuditAfterLoginAsksTheServer(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	srvDB, token, ts := demoServer(t, vars, time.Now)
	if code, _, errs := cli(t, vars, "", "login", "--server", ts.URL, "--token", token); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := cli(t, vars, "", "patients", "list", "--output", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	_, rest, _ := strings.Cut(out, `"pseudonym": "`)
	pseudonym, _, _ := strings.Cut(rest, `"`)
	if pseudonym == "" {
		t.Fatalf("no patients after login:\n%s", out)
	}
	// A read on the server's store by its owner: only the server has it.
	if code, _, errs := cli(t, vars, "", "--db", srvDB, "audit", pseudonym); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs = cli(t, vars, "", "audit", pseudonym)
	if code != 0 {
		t.Fatalf("audit after login: exit %d, %s", code, errs)
	}
	for _, want := range []string{"sync-pull", "cli:audit"} {
		if !strings.Contains(out, want) {
			t.Errorf("the access report after login lacks the server's %q rows:\n%s", want, out)
		}
	}
	// The server is gone: no partial report from the replica.
	ts.Close()
	code, out, errs = cli(t, vars, "", "audit", pseudonym)
	if code != 1 || out != "" || !strings.Contains(errs, "the access report is kept by the server") || !strings.Contains(errs, "--db STORE") {
		t.Fatalf("audit with the server gone: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// A first sync counts the records it pulls on a terminal (silent with
// --quiet or off a terminal), and Ctrl+C during it says what is true: no
// command reads a replica before its first sync has finished, and the
// next one continues it.
func TestFirstSyncProgressAndInterrupt(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	_, token, ts := demoServer(t, vars, time.Now)
	if code, _, errs := cli(t, vars, "", "login", "--server", ts.URL, "--token", token); code != 0 {
		t.Fatal(errs)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	var errb strings.Builder
	code, _ := (invocation{ctx: cancelled, vars: vars, stderr: &errb}).run("sync")
	if code != exitInterrupted || !strings.Contains(errb.String(), firstSyncInterrupted) {
		t.Fatalf("an interrupted first sync: exit %d, %q", code, errb.String())
	}
	// Quiet, then on a terminal: the counter shows only on the terminal.
	var quiet strings.Builder
	if code, _ := (invocation{vars: vars, stderr: &quiet, tty: true}).run("--quiet", "patients", "list"); code != 0 {
		t.Fatalf("the command after an interrupted first sync: exit %d, %s", code, quiet.String())
	}
	if strings.Contains(quiet.String(), "records") {
		t.Errorf("--quiet drew a counter: %q", quiet.String())
	}
	if !strings.Contains(quiet.String(), "first sync of") {
		t.Errorf("the next command did not continue the first sync: %q", quiet.String())
	}
	// A new replica on a terminal.
	vars2 := testVars(t.TempDir())
	if code, _, errs := cli(t, vars2, "", "login", "--server", ts.URL, "--token", token); code != 0 {
		t.Fatal(errs)
	}
	var tty strings.Builder
	if code, _ := (invocation{vars: vars2, stderr: &tty, tty: true}).run("sync"); code != 0 {
		t.Fatalf("sync: exit %d, %s", code, tty.String())
	}
	if !strings.Contains(tty.String(), "sync") || !strings.Contains(tty.String(), "records") {
		t.Errorf("a first sync on a terminal shows no counter: %q", tty.String())
	}
	// After a finished first sync, an interruption keeps the old words.
	errb.Reset()
	if code, _ := (invocation{ctx: cancelled, vars: vars2, stderr: &errb}).run("sync"); code != exitInterrupted || strings.Contains(errb.String(), "first sync") {
		t.Fatalf("an interrupted later sync: exit %d, %q", code, errb.String())
	}
}

// Ctrl+C in the middle of a first sync's pull (the replica exists, the
// round has begun) says the same: nothing from it is shown.
func TestFirstSyncInterruptedMidRound(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	_, token, ts := demoServer(t, vars, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	target, _ := neturl.Parse(ts.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/changes" {
			cancel() // Ctrl+C while the first page is on its way
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	if code, _, errs := cli(t, vars, "", "login", "--server", front.URL, "--token", token); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, vars, "", "sync", "status"); code != 0 { // makes the replica, syncs nothing
		t.Fatal(errs)
	}
	var errb strings.Builder
	code, _ := (invocation{ctx: ctx, vars: vars, stderr: &errb}).run("sync")
	if code != exitInterrupted || !strings.Contains(errb.String(), firstSyncInterrupted) {
		t.Fatalf("a first sync interrupted mid-round: exit %d, %q", code, errb.String())
	}
}
