package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
)

// demoServer makes a demo store with a token for demo and serves it over
// plain http on loopback; the token and the server's URL come back.
func demoServer(t *testing.T, vars map[string]string, now func() time.Time, args ...string) (srvDB, token, url string) {
	t.Helper()
	dir := vars["HOME"]
	srvDB = filepath.Join(dir, "server.db")
	if code, _, errs := cli(t, vars, "", "demo", "--db", srvDB, "--patients", "5", "--no-tui"); code != 0 {
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
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srvDB, token, ts.URL
}

// Logging in with an expired token says it expired, and when (in the
// service's time zone), as sync does: not "unknown or revoked".
func TestLoginWithAnExpiredToken(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	later := func() time.Time { return time.Now().Add(3 * 24 * time.Hour) }
	_, token, url := demoServer(t, vars, later, "--expires", "1d")
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
	_, token, url := demoServer(t, vars, time.Now)
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
