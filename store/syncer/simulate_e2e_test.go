package syncer_test

import (
	"bufio"
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
	"polku/store/synctest"
)

// 'polku simulate --server URL' as the README shows it: a therapist who
// logged in plays their own synthetic patients, and Ctrl+C (SIGINT) or
// SIGTERM ends it with every portal token it made revoked.
func TestSimulateThroughTheServerRevokesOnInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs polku serve")
	}
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 2, PatientsPer: 3, Weeks: 2})
	srv := startServe(t, path)
	anna := fx.Therapists[0]
	c := newCLI(t)
	c.login(t, srv, tokens[anna.Handle])
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := c.command("", "simulate", "--server", srv.url(), "--every", "20ms")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errb strings.Builder
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		var lines []string
		acted := false
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if strings.Contains(sc.Text(), " S-") && !acted { // one patient acted
				acted = true
				cmd.Process.Signal(sig)
			}
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("simulate after %v: %v\n%s\n%s", sig, err, strings.Join(lines, "\n"), errb.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("simulate did not end on %v", sig)
		}
		if !acted || !strings.Contains(lines[0], "simulating 3 patients through "+srv.url()) {
			t.Fatalf("simulate (%v):\n%s\n%s", sig, strings.Join(lines, "\n"), errb.String())
		}
		if !strings.Contains(strings.Join(lines, "\n"), "revoked 3 portal tokens") {
			t.Errorf("simulate (%v) does not say it revoked its tokens:\n%s", sig, strings.Join(lines, "\n"))
		}
		db, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		list, err := server.ListTokens(context.Background(), db)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range list {
			if ti.Kind == "patient" && ti.RevokedAt == nil {
				t.Errorf("after %v: portal token %s (device %q) not revoked", sig, ti.ID, ti.Device)
			}
			if ti.Kind == "patient" && ti.RevokedBy != anna.ID {
				t.Errorf("after %v: portal token %s revoked by %q, want %s", sig, ti.ID, ti.RevokedBy, anna.ID)
			}
		}
	}
}
