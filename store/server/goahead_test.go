package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// A therapist's go-ahead goes through the push like a risk
// acknowledgement: only the patient's therapist may record it, and it
// comes back to them (and their replica) through the change feed.
func TestGoAheadIsPushedByTheAssignedTherapistOnly(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	sys := store.System("test")
	p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-SLEEP", DisplayName: "Sleep Patient", BirthDate: "1980-02-01", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := f.db.ProgramVersion(ctx, "insomnia", 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: f.a.ID, UnlockedModules: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.db.Submit(ctx, sys, store.Submission{EnrollmentID: e.ID, PatientID: p.ID, ModuleID: "sleep-and-diary", ExerciseID: "health-check",
		Answers: map[string]string{"snoring": "no"}})
	if err != nil {
		t.Fatal(err)
	}
	cursor, check := "0", ""
	for {
		r := f.pullPage(f.tok["a"], cursor, check, 0)
		cursor, check = r.Cursor, r.Check
		if !r.More {
			break
		}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	push := func(token string, therapist string) api.PushResponse {
		op := store.RecordGoAheadOp{GoAhead: store.GoAhead{ID: f.db.NewID(now), PatientID: p.ID, EnrollmentID: e.ID, GoAheadID: "sleep-restriction",
			SubmissionID: s.ID, TherapistID: therapist, Decision: store.GoAheadYes, Comment: "screened", DecidedAt: now}}
		st, body := f.do("POST", "/v1/ops", token, pushBody("goahead.record", op))
		var resp api.PushResponse
		json.Unmarshal([]byte(body), &resp)
		if st != 200 || len(resp.Results) != 1 {
			t.Fatalf("push: %d %s", st, body)
		}
		return resp
	}
	ptok, _, err := server.CreatePatientToken(ctx, f.db, p.ID, server.TokenOptions{Device: "portal"})
	if err != nil {
		t.Fatal(err)
	}
	// What the patient reads of the waiting module: the state, never the
	// therapist's comment.
	patientSees := func() *api.GoAheadView {
		t.Helper()
		st, body := f.do("GET", "/v1/patient/me", ptok, "")
		var v api.PatientView
		if err := json.Unmarshal([]byte(body), &v); err != nil || st != 200 {
			t.Fatalf("GET /v1/patient/me: %d %s", st, body)
		}
		if strings.Contains(body, "screened") {
			t.Fatal("the patient reads the therapist's comment")
		}
		var got *api.GoAheadView
		for _, m := range v.Modules {
			if m.GoAhead != nil && m.ID != "sleep-window" {
				t.Errorf("module %s carries a go-ahead", m.ID)
			}
			if m.ID == "sleep-window" {
				got = m.GoAhead
			}
		}
		return got
	}
	if g := patientSees(); g == nil || g.Status != api.GoAheadWaiting || !strings.Contains(g.Text, "Waiting for your therapist's go-ahead") {
		t.Fatalf("before the decision the patient sees %+v", g)
	}
	if r := push(f.tok["b"], f.b.ID); r.Results[0].Status != api.StatusRejected {
		t.Fatalf("B's go-ahead on A's patient: %+v", r.Results[0])
	}
	if r := push(f.tok["sup"], f.a.ID); r.Results[0].Status != api.StatusRejected {
		t.Fatalf("a supervisor's go-ahead: %+v", r.Results[0])
	}
	if r := push(f.tok["a"], f.a.ID); r.Results[0].Status != api.StatusApplied {
		t.Fatalf("A's go-ahead: %+v", r.Results[0])
	}
	if n := f.count("SELECT COUNT(*) FROM go_aheads"); n != 1 {
		t.Fatalf("%d go-aheads stored, want 1", n)
	}
	if g := patientSees(); g == nil || g.Status != api.GoAheadApproved {
		t.Fatalf("after the go-ahead the patient sees %+v", g)
	}
	found := false
	for _, it := range f.pullPage(f.tok["a"], cursor, check, 0).Items {
		found = found || (it.Type == "go_ahead" && it.PatientID == p.ID && it.By == f.a.ID)
	}
	if !found {
		t.Fatal("the go-ahead does not come back through the change feed")
	}
	for _, it := range f.pullPage(f.tok["b"], "0", "", 1000).Items {
		if it.Type == "go_ahead" {
			t.Fatal("B pulls A's patient's go-ahead")
		}
	}
}
