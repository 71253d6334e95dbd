package syncer_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/client"
	"polku/store/syncer"
	"polku/store/synctest"
)

// waits runs an engine's background loop against c until it has waited n
// times and returns the waits. The waits are not slept: the injected
// timer fires at once.
func waits(t *testing.T, c *client.Client, n int) ([]time.Duration, *syncer.Engine) {
	t.Helper()
	db, err := syncer.OpenReplica(context.Background(), filepath.Join(t.TempDir(), "replica.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var got []time.Duration
	eng := syncer.New(syncer.Config{DB: db, Client: c, Interval: 5 * time.Second,
		Backoff: client.Backoff{Base: time.Second, Max: 8 * time.Second, Rand: func() float64 { return 0.5 }},
		After: func(d time.Duration) <-chan time.Time {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, d)
			if len(got) >= n {
				cancel()
			}
			ch := make(chan time.Time, 1)
			ch <- time.Time{}
			return ch
		}})
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the loop did not stop")
	}
	mu.Lock()
	defer mu.Unlock()
	return got, eng
}

// Offline, the loop waits longer after each failed round (jittered,
// capped), instead of trying every interval or in a hot loop.
func TestOfflineRoundsBackOff(t *testing.T) {
	s := httptest.NewServer(http.NotFoundHandler())
	url := s.URL
	s.Close()
	c, err := client.New(url, "polku_x", client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, eng := waits(t, c, 6)
	// Rand 0.5: each wait is 3/4 of its step (1s, 2s, 4s, 8s, 8s, ...).
	want := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 6 * time.Second, 6 * time.Second}
	if len(got) != len(want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("wait %d = %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
	if st := eng.Status(); st.Online || !strings.Contains(st.Err, "cannot reach "+url+": connection refused") {
		t.Errorf("status %+v, want offline saying the server cannot be reached", st)
	}
}

// A busy server's Retry-After is honoured by the loop when it asks for
// longer than the backoff would wait.
func TestBusyServerRetryAfter(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.Header().Set("Retry-After", "30")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":{"code":"unavailable","message":"maintenance"}}`))
	}))
	defer s.Close()
	// One attempt per request: the loop, not the client, waits here.
	c, _ := client.New(s.URL, "polku_x", client.Options{Backoff: client.Backoff{Attempts: 1}})
	got, _ := waits(t, c, 3)
	for i, d := range got {
		if d != 30*time.Second {
			t.Errorf("wait %d = %v, want 30s (Retry-After)", i, d)
		}
	}
	if hits != 3 {
		t.Errorf("%d requests in 3 rounds", hits)
	}
}

// Once the server answers again, the loop goes back to its interval.
func TestBackoffEndsWhenTheServerAnswers(t *testing.T) {
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 1, Weeks: 1})
	c, _ := client.New(e.http.URL, e.tokens[e.fx.Therapists[0].Handle], client.Options{})
	got, eng := waits(t, c, 2)
	if got[0] != 5*time.Second || got[1] != 5*time.Second {
		t.Errorf("waits %v, want the 5s interval", got)
	}
	if st := eng.Status(); !st.Online {
		t.Errorf("status %+v", st)
	}
}

// A first sync reports no "dropped" patients: a patient who was the
// therapist's for a while, in the part of the history a later page
// covers, and is someone else's now, was never on this replica.
func TestFirstSyncDropsNothingItNeverHad(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 2, PatientsPer: 2, Weeks: 1})
	a, b := e.fx.Therapists[0], e.fx.Therapists[1]
	p := e.fx.Patients[b.ID][0]
	en := e.fx.Enrollments[p.ID]
	if err := e.srvDB.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: en.ID, Version: en.Version, TherapistID: a.ID}); err != nil {
		t.Fatal(err)
	}
	// Work on a's own patients, so that a's first sync takes several pages
	// between the two moves.
	mine := e.fx.Patients[a.ID][0]
	for i := range 6 {
		if _, err := e.srvDB.SendMessage(ctx, store.System("portal"), store.Message{EnrollmentID: e.fx.Enrollments[mine.ID].ID, PatientID: mine.ID,
			Direction: store.DirectionIn, Body: "message " + string(rune('a'+i))}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.srvDB.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: en.ID, Version: en.Version + 1, TherapistID: b.ID}); err != nil {
		t.Fatal(err)
	}
	db, err := syncer.OpenReplica(ctx, filepath.Join(t.TempDir(), "replica.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, _ := client.New(e.http.URL, e.tokens[a.Handle], client.Options{})
	rep, err := syncer.New(syncer.Config{DB: db, Client: c, PageSize: 2}).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pages < 3 || rep.Revoked != 0 {
		t.Fatalf("first sync: %+v; want several pages and nothing dropped", rep)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM patients WHERE id = ?", p.ID); n != 0 {
		t.Fatalf("the replica has b's patient")
	}
}

// A failure of the replica's own database reaches the status line as a
// sentence, not as the driver's text.
func TestReplicaDriverErrorsAreSaidPlainly(t *testing.T) {
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 1, Weeks: 1})
	r := e.replica(e.fx.Therapists[0], nil)
	if _, err := r.db.Writer().Exec("DROP TABLE sync_state"); err != nil {
		t.Fatal(err)
	}
	_, err := r.eng.Round(context.Background())
	if err == nil {
		t.Fatal("a round on a broken replica succeeded")
	}
	st := r.eng.Status()
	for _, msg := range []string{err.Error(), st.Err} {
		if strings.Contains(msg, "no such table") || strings.Contains(msg, "SQL") || !strings.Contains(msg, "replica") {
			t.Errorf("%q: want a sentence about the replica without the driver's text", msg)
		}
	}
}
