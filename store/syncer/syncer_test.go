package syncer_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/client"
	"polku/store/server"
	"polku/store/syncer"
	"polku/store/synctest"
)

type env struct {
	t      *testing.T
	srvDB  *store.DB
	srv    *server.Server
	http   *httptest.Server
	fx     *synctest.Fixture
	tokens map[string]string // by therapist handle
}

func newEnv(t *testing.T, spec synctest.Spec) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "server.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fx, err := synctest.Populate(ctx, db, spec)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{DB: db, Rate: -1})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e := &env{t: t, srvDB: db, srv: srv, http: hs, fx: fx, tokens: map[string]string{}}
	for _, th := range append(fx.Therapists, fx.Supervisor) {
		if th.ID == "" {
			continue
		}
		tok, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "test-" + th.Handle})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[th.Handle] = tok
	}
	return e
}

type replica struct {
	db  *store.DB
	eng *syncer.Engine
	th  store.Therapist
}

func (e *env) replica(th store.Therapist, clock func() time.Time) *replica {
	e.t.Helper()
	ctx := context.Background()
	db, err := syncer.OpenReplica(ctx, filepath.Join(e.t.TempDir(), "replica.db"), store.Options{Clock: clock})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	c, err := client.New(e.http.URL, e.tokens[th.Handle], client.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	return &replica{db: db, eng: syncer.New(syncer.Config{DB: db, Client: c, Clock: clock}), th: th}
}

func (r *replica) round(t *testing.T) syncer.Report {
	t.Helper()
	rep, err := r.eng.Round(context.Background())
	if err != nil {
		t.Fatalf("round: %v", err)
	}
	return rep
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Reader().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 2, PatientsPer: 3, Weeks: 3, Supervisor: true})
	th := e.fx.Therapists[0]
	r := e.replica(th, nil)
	rep := r.round(t)
	if rep.Pulled == 0 || rep.Patients != 3 {
		t.Fatalf("first round: %+v", rep)
	}
	mine := count(t, e.srvDB, "SELECT COUNT(*) FROM feedback WHERE therapist_id = ?", th.ID)
	if got := count(t, r.db, "SELECT COUNT(*) FROM feedback"); got != mine {
		t.Fatalf("replica has %d feedback, server %d for this therapist", got, mine)
	}
	if got := count(t, r.db, "SELECT COUNT(*) FROM patients"); got != 3 {
		t.Fatalf("replica has %d patients, want 3", got)
	}
	// Audit: one row per pulled patient.
	if got := count(t, e.srvDB, "SELECT COUNT(*) FROM audit WHERE actor_id = ? AND action = 'sync-pull'", th.ID); got != 3 {
		t.Fatalf("audit rows after pull: %d", got)
	}

	// Feedback written on the replica reaches the server once.
	p := e.fx.Patients[th.ID][0]
	sub := e.fx.Submissions[p.ID][0]
	actor := store.ActorFor(th, "laptop")
	fb, err := r.db.SendFeedback(ctx, actor, store.Feedback{SubmissionID: sub.ID, EnrollmentID: sub.EnrollmentID, PatientID: p.ID, Body: "Offline feedback",
		Supersedes: feedbackHead(t, r.db, sub.ID)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if st := r.eng.Status(); st.Pending != 0 {
		// Status is refreshed by rounds only.
		t.Logf("status before round: %+v", st)
	}
	rep = r.round(t)
	if rep.Pushed != 1 {
		t.Fatalf("push: %+v", rep)
	}
	if got := count(t, e.srvDB, "SELECT COUNT(*) FROM feedback WHERE id = ?", fb.ID); got != 1 {
		t.Fatalf("server has feedback %d times", got)
	}
	if st := r.eng.Status(); st.Pending != 0 || !st.Online || st.Conflicts != 0 {
		t.Fatalf("status: %+v", st)
	}
	// Nothing new: nothing moves.
	rep = r.round(t)
	if rep.Pushed != 0 || rep.Pulled != 0 {
		t.Fatalf("idle round moved things: %+v", rep)
	}

	// The patient portal sees it and answers.
	ptok, _, err := server.CreatePatientToken(ctx, e.srvDB, p.ID, server.TokenOptions{Device: "portal"})
	if err != nil {
		t.Fatal(err)
	}
	pc, _ := client.New(e.http.URL, ptok, client.Options{})
	list, err := pc.Feedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range list {
		found = found || f.ID == fb.ID
	}
	if !found {
		t.Fatalf("patient does not see the feedback")
	}
	if _, err := pc.Message(ctx, "k1", apiMessage("Thanks!")); err != nil {
		t.Fatal(err)
	}
	rep = r.round(t)
	if rep.Pulled != 1 {
		t.Fatalf("pull of the patient's message: %+v", rep)
	}

	// Draft conflict: the server's copy changed under the replica.
	d, err := r.db.SaveDraft(ctx, actor, store.Draft{PatientID: p.ID, TargetType: store.DraftNote, TargetID: p.ID, Body: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	r.round(t)
	if _, err := e.srvDB.SaveDraft(ctx, actor, store.Draft{ID: d.ID, PatientID: p.ID, TargetType: store.DraftNote, TargetID: p.ID, Body: "server edit", Version: d.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.db.SaveDraft(ctx, actor, store.Draft{ID: d.ID, PatientID: p.ID, TargetType: store.DraftNote, TargetID: p.ID, Body: "replica edit", Version: d.Version}); err != nil {
		t.Fatal(err)
	}
	rep = r.round(t)
	if rep.Conflicts != 1 {
		t.Fatalf("want a conflict: %+v", rep)
	}
	if st := r.eng.Status(); st.Conflicts != 1 {
		t.Fatalf("status: %+v", st)
	}
	refused, err := syncer.Entries(ctx, r.db, syncer.StateConflict)
	if err != nil || len(refused) != 1 || refused[0].Text != "replica edit" {
		t.Fatalf("conflicted entries: %+v %v", refused, err)
	}
	var body string
	r.db.Reader().QueryRow("SELECT body FROM drafts WHERE id = ?", d.ID).Scan(&body)
	if body != "server edit" {
		t.Fatalf("replica draft after conflict: %q", body)
	}
	if err := syncer.Retry(ctx, r.db, refused[0].Key); err != nil {
		t.Fatal(err)
	}
	rep = r.round(t)
	if rep.Pushed != 1 {
		t.Fatalf("retry: %+v", rep)
	}
	e.srvDB.Reader().QueryRow("SELECT body FROM drafts WHERE id = ?", d.ID).Scan(&body)
	if body != "replica edit" {
		t.Fatalf("server draft after retry: %q", body)
	}
}

func apiMessage(body string) api.MessageRequest { return api.MessageRequest{Body: body} }

func patientClient(t testing.TB, url, token string) *client.Client {
	t.Helper()
	c, err := client.New(url, token, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFaultDuplicatedPush(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 2, Weeks: 2})
	th := e.fx.Therapists[0]
	r := e.replica(th, nil)
	r.round(t)
	bodies := writeFeedback(t, r.db, e.fx, th, "dup", 5)
	entries, err := syncer.Entries(ctx, r.db, syncer.StatePending)
	if err != nil || len(entries) != 5 {
		t.Fatalf("outbox: %d %v", len(entries), err)
	}
	ops := make([]api.PushOp, len(entries))
	for i, en := range entries {
		ops[i] = api.PushOp{Key: en.Key, Type: en.OpType, Op: en.Op}
	}
	c := patientClient(t, e.http.URL, e.tokens[th.Handle])
	// The same push three times, two of them at once.
	first, err := c.Push(ctx, ops)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]*api.PushResponse, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = c.Push(ctx, ops)
		}()
	}
	wg.Wait()
	for i, res := range first.Results {
		if res.Status != api.StatusApplied {
			t.Fatalf("first push, op %d: %+v", i, res)
		}
		for _, again := range results {
			if again == nil || again.Results[i].Status != api.StatusDuplicate {
				t.Fatalf("repeated push, op %d: %+v", i, again)
			}
		}
	}
	// The replica's own round finds them pushed already.
	rep := r.round(t)
	if rep.Duplicates != 5 || rep.Pushed != 0 {
		t.Fatalf("round after the duplicates: %+v", rep)
	}
	for _, b := range bodies {
		for side, db := range map[string]*store.DB{"server": e.srvDB, "replica": r.db} {
			if n := count(t, db, "SELECT COUNT(*) FROM feedback WHERE body = ?", b); n != 1 {
				t.Fatalf("%q %d times on the %s", b, n, side)
			}
		}
	}
}

func TestReassignedPatientMovesBetweenReplicas(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 2, PatientsPer: 3, Weeks: 3})
	a, b := e.fx.Therapists[0], e.fx.Therapists[1]
	ra, rb := e.replica(a, nil), e.replica(b, nil)
	ra.round(t)
	rb.round(t)
	p := e.fx.Patients[b.ID][0]
	en := e.fx.Enrollments[p.ID]
	// Some of the patient's history is older than both cursors; now the
	// patient moves from b to a.
	if err := e.srvDB.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: en.ID, Version: en.Version, TherapistID: a.ID}); err != nil {
		t.Fatal(err)
	}
	rep := ra.round(t)
	if rep.Patients != 1 {
		t.Fatalf("a's round: %+v", rep)
	}
	for _, table := range []string{"feedback", "messages", "submissions", "measure_responses"} {
		want := count(t, e.srvDB, "SELECT COUNT(*) FROM "+table+" WHERE patient_id = ?", p.ID)
		if got := count(t, ra.db, "SELECT COUNT(*) FROM "+table+" WHERE patient_id = ?", p.ID); got != want || want == 0 {
			t.Fatalf("a's replica has %d %s of the patient, server %d", got, table, want)
		}
	}
	rep = rb.round(t)
	if rep.Revoked != 1 {
		t.Fatalf("b's round: %+v", rep)
	}
	for _, table := range []string{"patients", "enrollments", "feedback", "messages", "submissions"} {
		col := "patient_id"
		if table == "patients" {
			col = "id"
		}
		if n := count(t, rb.db, "SELECT COUNT(*) FROM "+table+" WHERE "+col+" = ?", p.ID); n != 0 {
			t.Fatalf("b's replica keeps %d %s of a patient no longer theirs", n, table)
		}
	}
	// Both sides idle now.
	if rep := ra.round(t); rep.Pulled != 0 {
		t.Fatalf("a idle: %+v", rep)
	}
	if rep := rb.round(t); rep.Pulled != 0 || rep.Revoked != 0 {
		t.Fatalf("b idle: %+v", rep)
	}
}

func TestBackgroundLoop(t *testing.T) {
	e := newEnv(t, synctest.Spec{Therapists: 1, PatientsPer: 2, Weeks: 2})
	th := e.fx.Therapists[0]
	db, err := syncer.OpenReplica(context.Background(), filepath.Join(t.TempDir(), "replica.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := patientClient(t, e.http.URL, e.tokens[th.Handle])
	eng := syncer.New(syncer.Config{DB: db, Client: c, Interval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); eng.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s: %+v", what, eng.Status())
	}
	// The first round runs at once.
	waitFor("the first round", func() bool { return eng.Status().Online && !eng.Status().LastSync.IsZero() })
	waitFor("the caseload", func() bool { return count(t, db, "SELECT COUNT(*) FROM patients") == 2 })
	// A send shows as pending at once and goes out on Trigger, long
	// before the (hour-long) interval.
	bodies := writeFeedback(t, db, e.fx, th, "loop", 1)
	if st := eng.Status(); st.Pending != 1 {
		t.Fatalf("pending after a send: %+v", st)
	}
	eng.Trigger()
	waitFor("the push", func() bool {
		return count(t, e.srvDB, "SELECT COUNT(*) FROM feedback WHERE body = ?", bodies[0]) == 1 && eng.Status().Pending == 0
	})
	// Offline: the server goes away; the status says so and keeps the work.
	e.http.Close()
	writeFeedback(t, db, e.fx, th, "offline", 1)
	eng.Trigger()
	waitFor("offline", func() bool { st := eng.Status(); return !st.Online && st.Pending == 1 && st.Err != "" })
}
