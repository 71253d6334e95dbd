package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"polku/store"
	"polku/store/server"
)

// After 'polku login', a course command changes the replica and pushes
// the change at once: the server has it when the command returns.
func TestCourseCommandsPushFromTheReplica(t *testing.T) {
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
	var pseudonym string
	demo, _ := db.TherapistByHandle(ctx, "demo")
	if err := db.Reader().QueryRow(`SELECT p.pseudonym FROM enrollments e JOIN patients p ON p.id = e.patient_id
		WHERE e.therapist_id = ? AND e.status = 'active' AND e.paused_since IS NULL LIMIT 1`, demo.ID).Scan(&pseudonym); err != nil {
		t.Fatal(err)
	}
	code, out, errs = cli(t, vars, "", "enrollments", "pause", pseudonym, "--reason", "surgery", "--output", "json")
	if code != 0 {
		t.Fatalf("pause on the replica: exit %d: %s", code, errs)
	}
	var res courseResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Delivery != "delivered" {
		t.Fatalf("pause: %s (%v)", out, err)
	}
	var paused int
	db.Reader().QueryRow("SELECT COUNT(*) FROM enrollments WHERE id = ? AND paused_since IS NOT NULL", res.Enrollment.ID).Scan(&paused)
	if paused != 1 {
		t.Fatal("the server does not have the pause")
	}
	// A stale version is refused on the replica already.
	code, _, errs = cli(t, vars, "", "enrollments", "resume", pseudonym, "--if-version", "1")
	if code != 1 || !strings.Contains(errs, "changed meanwhile") {
		t.Fatalf("stale resume: exit %d: %s", code, errs)
	}
}
