package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
	"polku/store/synctest"
)

type fixture struct {
	t        *testing.T
	db       *store.DB
	srv      *server.Server
	http     *httptest.Server
	fx       *synctest.Fixture
	a, b     store.Therapist
	tok      map[string]string // "a", "b", "sup", "othersup", "admin", "pa" (patient of a), "pb"
	pa, pb   store.Patient
	bDraft   store.Draft
	bMessage store.Message
	bFb      store.Feedback
}

func newFixture(t *testing.T, cfg server.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	db := openStore(t, "server.db", store.Options{})
	t.Cleanup(func() { db.Close() })
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: 2, PatientsPer: 2, Weeks: 2, Supervisor: true})
	if err != nil {
		t.Fatal(err)
	}
	other, err := synctest.Populate(ctx, db, synctest.Spec{Team: "south", Prefix: "s", Therapists: 1, PatientsPer: 1, Weeks: 1, Supervisor: true, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := db.AddTherapist(ctx, store.System("test"), store.Therapist{Handle: "admin", Name: "Admin", Role: store.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	cfg.DB = db
	if cfg.Rate == 0 {
		cfg.Rate = -1
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	f := &fixture{t: t, db: db, srv: srv, http: hs, fx: fx, a: fx.Therapists[0], b: fx.Therapists[1], tok: map[string]string{}}
	f.pa, f.pb = fx.Patients[f.a.ID][0], fx.Patients[f.b.ID][0]
	for name, id := range map[string]string{"a": f.a.ID, "b": f.b.ID, "sup": fx.Supervisor.ID, "othersup": other.Supervisor.ID, "admin": admin.ID} {
		tok, _, err := server.CreateTherapistToken(ctx, db, id, server.TokenOptions{Device: "dev-" + name})
		if err != nil {
			t.Fatal(err)
		}
		f.tok[name] = tok
	}
	for name, id := range map[string]string{"pa": f.pa.ID, "pb": f.pb.ID} {
		tok, _, err := server.CreatePatientToken(ctx, db, id, server.TokenOptions{Device: "portal"})
		if err != nil {
			t.Fatal(err)
		}
		f.tok[name] = tok
	}
	bActor := store.ActorFor(f.b, "b")
	if f.bDraft, err = db.SaveDraft(ctx, bActor, store.Draft{PatientID: f.pb.ID, TargetType: store.DraftNote, TargetID: f.pb.ID, Body: "B's private draft"}); err != nil {
		t.Fatal(err)
	}
	e := fx.Enrollments[f.pb.ID]
	if f.bMessage, err = db.SendMessage(ctx, store.Actor{ID: "patient:" + f.pb.ID}, store.Message{EnrollmentID: e.ID, PatientID: f.pb.ID, Direction: store.DirectionIn, Body: "B's patient writes"}, ""); err != nil {
		t.Fatal(err)
	}
	s := f.unanswered(f.pb.ID)
	if f.bFb, err = db.SendFeedback(ctx, bActor, store.Feedback{SubmissionID: s.ID, EnrollmentID: e.ID, PatientID: f.pb.ID, Body: "B's feedback"}, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

// unanswered is a submission of a patient with no feedback yet.
func (f *fixture) unanswered(patientID string) store.Submission {
	f.t.Helper()
	for _, s := range f.fx.Submissions[patientID] {
		if f.count("SELECT COUNT(*) FROM feedback WHERE submission_id = ?", s.ID) == 0 {
			return s
		}
	}
	f.t.Fatalf("patient %s has no submission without feedback", patientID)
	return store.Submission{}
}

// do makes one request with a token and returns the status and body.
func (f *fixture) do(method, path, token, body string) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.http.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.Reader().QueryRow(query, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t, server.Config{})
	for _, tok := range []string{"", "nonsense", "polku_unknown", strings.Repeat("polku_x", 100)} {
		if st, body := f.do("GET", "/v1/me", tok, ""); st != 401 || !strings.Contains(body, `"unauthorized"`) {
			t.Fatalf("token %q: %d %s", tok, st, body)
		}
	}
	if st, body := f.do("GET", "/v1/me", f.tok["a"], ""); st != 200 || !strings.Contains(body, f.a.Handle) {
		t.Fatalf("me: %d %s", st, body)
	}
	if n, err := server.RevokeTokens(context.Background(), f.db, store.System("test"), "", f.a.ID); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	for _, path := range []string{"/v1/me", "/v1/changes"} {
		if st, _ := f.do("GET", path, f.tok["a"], ""); st != 401 {
			t.Fatalf("revoked token on %s: %d", path, st)
		}
	}
	if st, _ := f.do("POST", "/v1/ops", f.tok["a"], `{"ops":[]}`); st != 401 {
		t.Fatalf("revoked token push: %d", st)
	}
	if st, _ := f.do("GET", "/v1/nothing", f.tok["b"], ""); st != 404 {
		t.Fatalf("unknown endpoint: %d", st)
	}
	// A known path with another method: 405, saying which methods it takes.
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/v1/ops", "POST"},
		{"PUT", "/v1/ops", "POST"},
		{"POST", "/v1/changes", "GET"},
		{"DELETE", "/v1/patient/messages", "GET, POST"},
		{"GET", "/v1/admin/tokens/abc", "DELETE"},
	} {
		req, _ := http.NewRequest(c.method, f.http.URL+c.path, nil)
		req.Header.Set("Authorization", "Bearer "+f.tok["b"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != c.allow || !strings.Contains(string(b), `"method_not_allowed"`) {
			t.Fatalf("%s %s: %d Allow %q %s", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), b)
		}
	}
}

// pullAll pulls every page for a token and returns the items.
func (f *fixture) pullAll(token string) []api.Item {
	f.t.Helper()
	var items []api.Item
	cursor := "0"
	for range 1000 {
		st, body := f.do("GET", "/v1/changes?since="+cursor, token, "")
		if st != 200 {
			f.t.Fatalf("pull: %d %s", st, body)
		}
		var resp api.PullResponse
		if err := json.Unmarshal([]byte(body), &resp); err != nil {
			f.t.Fatal(err)
		}
		items = append(items, resp.Items...)
		cursor = resp.Cursor
		if !resp.More {
			return items
		}
	}
	f.t.Fatal("too many pages")
	return nil
}

func patientsOf(items []api.Item) map[string]bool {
	m := map[string]bool{}
	for _, it := range items {
		if it.PatientID != "" {
			m[it.PatientID] = true
		}
	}
	return m
}

func TestPullOnlyWhatYouMaySee(t *testing.T) {
	f := newFixture(t, server.Config{PageSize: 50})
	aPatients := map[string]bool{}
	for _, p := range f.fx.Patients[f.a.ID] {
		aPatients[p.ID] = true
	}
	items := f.pullAll(f.tok["a"])
	for p := range patientsOf(items) {
		if !aPatients[p] {
			t.Fatalf("therapist A pulled patient %s, not theirs", p)
		}
	}
	for _, it := range items {
		if it.ID == f.bDraft.ID || it.ID == f.bMessage.ID || it.ID == f.bFb.ID || strings.Contains(string(it.Record), "B's") {
			t.Fatalf("A pulled B's record %s %s", it.Type, it.ID)
		}
		if it.Type == "draft" && !strings.Contains(string(it.Record), f.a.ID) {
			t.Fatalf("A pulled someone else's draft")
		}
	}
	if len(patientsOf(items)) != len(aPatients) {
		t.Fatalf("A pulled %d patients, has %d", len(patientsOf(items)), len(aPatients))
	}
	// One audit row per patient pulled, with the device.
	if n := f.count("SELECT COUNT(*) FROM audit WHERE actor_id = ? AND action = 'sync-pull' AND device = 'dev-a'", f.a.ID); n < len(aPatients) {
		t.Fatalf("audit rows: %d", n)
	}
	// Filters and odd cursors do not widen anything: they are refused with
	// an error alone, no record comes with it and nothing is read (no
	// audit row).
	audits := f.count("SELECT COUNT(*) FROM audit WHERE actor_id = ?", f.a.ID)
	for _, q := range []string{"?patient_id=" + f.pb.ID, "?therapist_id=" + f.b.ID, "?since=-1", "?since=abc", "?limit=0", "?limit=999999", "?since=1&since=x"} {
		st, body := f.do("GET", "/v1/changes"+q, f.tok["a"], "")
		var eb api.ErrorBody
		if st != 400 || json.Unmarshal([]byte(body), &eb) != nil || eb.Error.Code != api.CodeBadRequest || strings.Contains(body, `"items"`) ||
			strings.Contains(body, f.pb.DisplayName) || strings.Contains(body, "B's") {
			t.Fatalf("pull %s: %d %s", q, st, body)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE actor_id = ?", f.a.ID); n != audits {
		t.Fatalf("refused pulls wrote %d audit rows", n-audits)
	}
	// The supervisor reads the team (A's and B's patients, no drafts of
	// others); another team's supervisor reads none of them; the admin
	// reads no patient at all.
	sup := patientsOf(f.pullAll(f.tok["sup"]))
	if !sup[f.pa.ID] || !sup[f.pb.ID] {
		t.Fatalf("supervisor does not see the team: %v", sup)
	}
	for _, it := range f.pullAll(f.tok["sup"]) {
		if it.Type == "draft" {
			t.Fatalf("supervisor pulled a draft")
		}
	}
	if other := patientsOf(f.pullAll(f.tok["othersup"])); other[f.pa.ID] || other[f.pb.ID] {
		t.Fatalf("other team's supervisor sees this team")
	}
	if adm := patientsOf(f.pullAll(f.tok["admin"])); len(adm) != 0 {
		t.Fatalf("admin pulled patients: %v", adm)
	}
	// Patients use their own endpoints only.
	if st, _ := f.do("GET", "/v1/changes", f.tok["pa"], ""); st != 403 {
		t.Fatalf("patient token pull: %d", st)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func pushBody(typ string, op any) string {
	return mustJSON(api.PushRequest{Ops: []api.PushOp{{Key: fmt.Sprintf("k-%d", time.Now().UnixNano()), Type: typ, Op: json.RawMessage(mustJSON(op))}}})
}

func TestCraftedPushesAreRefused(t *testing.T) {
	f := newFixture(t, server.Config{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	id := func() string { return f.db.NewID(now) }
	ea, eb := f.fx.Enrollments[f.pa.ID], f.fx.Enrollments[f.pb.ID]
	sa, sb := f.fx.Submissions[f.pa.ID][0], f.fx.Submissions[f.pb.ID][0]
	// A's own message to A's patient: a therapist may not mark it read (a
	// false read receipt).
	aOut, err := f.db.SendMessage(context.Background(), store.ActorFor(f.a, "a"), store.Message{EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: store.DirectionOut, Body: "A writes"}, "")
	if err != nil {
		t.Fatal(err)
	}
	tables := []string{"feedback", "messages", "notes", "drafts", "risk_acks", "go_aheads", "time_spent", "audit", "enrollments", "therapists", "patients", "submissions"}
	rows := func(table string) int {
		if table == "audit" {
			// Reads are audited: the patient's own through the portal, and
			// records that come back with a refusal. Refused audit ops
			// write nothing.
			return f.count("SELECT COUNT(*) FROM audit WHERE action NOT IN ('portal-read', 'sync-repair')")
		}
		return f.count("SELECT COUNT(*) FROM " + table)
	}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = rows(tb)
	}
	cases := []struct {
		name string
		typ  string
		op   any
	}{
		{"feedback on B's submission as A's patient", "feedback.send", store.SendFeedbackOp{Feedback: store.Feedback{ID: id(), SubmissionID: sb.ID, EnrollmentID: ea.ID, PatientID: f.pa.ID, TherapistID: f.a.ID, Body: "x", SentAt: now}}},
		{"feedback on B's patient", "feedback.send", store.SendFeedbackOp{Feedback: store.Feedback{ID: id(), SubmissionID: sb.ID, EnrollmentID: eb.ID, PatientID: f.pb.ID, TherapistID: f.a.ID, Body: "x", SentAt: now}}},
		{"feedback signed as B", "feedback.send", store.SendFeedbackOp{Feedback: store.Feedback{ID: id(), SubmissionID: sa.ID, EnrollmentID: ea.ID, PatientID: f.pa.ID, TherapistID: f.b.ID, Body: "x", SentAt: now}}},
		{"feedback dropping B's draft", "feedback.send", store.SendFeedbackOp{Feedback: store.Feedback{ID: id(), SubmissionID: sa.ID, EnrollmentID: ea.ID, PatientID: f.pa.ID, TherapistID: f.a.ID, Body: "x", SentAt: now}, DraftID: f.bDraft.ID}},
		{"message to B's patient", "message.send", store.SendMessageOp{Message: store.Message{ID: id(), EnrollmentID: eb.ID, PatientID: f.pb.ID, Direction: "out", TherapistID: f.a.ID, Body: "x", SentAt: now}}},
		{"message on B's enrollment as A's patient", "message.send", store.SendMessageOp{Message: store.Message{ID: id(), EnrollmentID: eb.ID, PatientID: f.pa.ID, Direction: "out", TherapistID: f.a.ID, Body: "x", SentAt: now}}},
		{"message forged as the patient", "message.send", store.SendMessageOp{Message: store.Message{ID: id(), EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: "in", Body: "x", SentAt: now}}},
		{"mark B's message read", "read.mark", store.MarkReadOp{Type: "message", IDs: []string{f.bMessage.ID}, At: now}},
		{"mark feedback read for the patient", "read.mark", store.MarkReadOp{Type: "feedback", IDs: []string{f.bFb.ID}, At: now}},
		{"mark own outgoing message read", "read.mark", store.MarkReadOp{Type: "message", IDs: []string{aOut.ID}, At: now}},
		{"note on B's patient", "note.add", store.AddNoteOp{Note: store.Note{ID: id(), PatientID: f.pb.ID, TherapistID: f.a.ID, Body: "x", CreatedAt: now}}},
		{"draft on B's patient", "draft.save", store.SaveDraftOp{Draft: store.Draft{ID: id(), TherapistID: f.a.ID, PatientID: f.pb.ID, TargetType: "note", TargetID: f.pb.ID, Body: "x", UpdatedAt: now}}},
		{"overwrite B's draft", "draft.save", store.SaveDraftOp{Draft: store.Draft{ID: f.bDraft.ID, TherapistID: f.a.ID, PatientID: f.pa.ID, TargetType: "note", TargetID: f.pa.ID, Body: "x", UpdatedAt: now, Version: f.bDraft.Version}}},
		{"delete B's draft", "draft.delete", store.DeleteDraftOp{ID: f.bDraft.ID, Version: f.bDraft.Version}},
		{"risk ack on B's patient", "risk.ack", store.AckRiskOp{Ack: store.RiskAck{ID: id(), PatientID: f.pb.ID, EnrollmentID: eb.ID, SourceType: "submission", SourceID: sb.ID, TherapistID: f.a.ID, Action: store.AckNoAcuteRisk, AckedAt: now}}},
		{"go-ahead on B's patient", "goahead.record", store.RecordGoAheadOp{GoAhead: store.GoAhead{ID: id(), PatientID: f.pb.ID, EnrollmentID: eb.ID, GoAheadID: "sleep-restriction", SubmissionID: sb.ID, TherapistID: f.a.ID, Decision: store.GoAheadYes, DecidedAt: now}}},
		{"go-ahead signed as B", "goahead.record", store.RecordGoAheadOp{GoAhead: store.GoAhead{ID: id(), PatientID: f.pa.ID, EnrollmentID: ea.ID, GoAheadID: "sleep-restriction", SubmissionID: sa.ID, TherapistID: f.b.ID, Decision: store.GoAheadYes, DecidedAt: now}}},
		{"go-ahead about B's submission", "goahead.record", store.RecordGoAheadOp{GoAhead: store.GoAhead{ID: id(), PatientID: f.pa.ID, EnrollmentID: ea.ID, GoAheadID: "sleep-restriction", SubmissionID: sb.ID, TherapistID: f.a.ID, Decision: store.GoAheadYes, DecidedAt: now}}},
		{"time on B's patient", "time.add", store.AddTimeOp{Time: store.TimeSpent{ID: id(), TherapistID: f.a.ID, PatientID: f.pb.ID, Week: "2026-W48", Seconds: 60, UpdatedAt: now}}},
		{"audit as B", "audit.read", store.RecordAccessOp{Entry: store.AuditEntry{ID: id(), At: now, ActorID: f.b.ID, PatientID: f.pa.ID, Action: "read"}}},
		{"audit of B's patient", "audit.read", store.RecordAccessOp{Entry: store.AuditEntry{ID: id(), At: now, ActorID: f.a.ID, PatientID: f.pb.ID, Action: "read"}}},
		{"take over B's patient", "enrollment.update", store.UpdateEnrollmentOp{ID: eb.ID, Version: eb.Version, TherapistID: f.a.ID, At: now}},
		{"give A's patient away", "enrollment.update", store.UpdateEnrollmentOp{ID: ea.ID, Version: ea.Version, TherapistID: f.b.ID, At: now}},
		{"add an account", "therapist.add", store.AddTherapistOp{Therapist: store.Therapist{ID: id(), Handle: "mallory", Name: "M", Role: "admin", CreatedAt: now, UpdatedAt: now, Version: 1}}},
		{"add a patient", "patient.add", store.AddPatientOp{Patient: store.Patient{ID: id(), Pseudonym: "X", DisplayName: "X", BirthDate: "1990-01-01", Language: "fi", CreatedAt: now}}},
		{"submit as the patient", "submission.add", store.SubmitOp{Submission: store.Submission{ID: id(), EnrollmentID: ea.ID, PatientID: f.pa.ID, ModuleID: sa.ModuleID, ExerciseID: sa.ExerciseID, SubmittedAt: now, Answers: sa.Answers}}},
	}
	for _, c := range cases {
		st, body := f.do("POST", "/v1/ops", f.tok["a"], pushBody(c.typ, c.op))
		var resp api.PushResponse
		json.Unmarshal([]byte(body), &resp)
		if st != 200 || len(resp.Results) != 1 || resp.Results[0].Status != api.StatusRejected {
			t.Fatalf("%s: %d %s", c.name, st, body)
		}
		// Nothing about B's patient comes back.
		for _, secret := range []string{f.pb.ID, f.pb.DisplayName, "B's"} {
			if strings.Contains(body, secret) && !strings.Contains(pushBody(c.typ, c.op), secret) {
				t.Fatalf("%s: the answer reveals %q: %s", c.name, secret, body)
			}
		}
		for _, rec := range resp.Results[0].Records {
			if rec.PatientID == f.pb.ID {
				t.Fatalf("%s: the answer carries B's record", c.name)
			}
		}
	}
	// A supervisor writes nothing but the audit of reads.
	st, body := f.do("POST", "/v1/ops", f.tok["sup"], pushBody("feedback.send", cases[2].op))
	if st != 200 || !strings.Contains(body, `"rejected"`) {
		t.Fatalf("supervisor push: %d %s", st, body)
	}
	// Patient tokens cannot push ops; therapist tokens cannot use the portal.
	if st, _ := f.do("POST", "/v1/ops", f.tok["pa"], `{"ops":[]}`); st != 403 {
		t.Fatalf("patient push: %d", st)
	}
	if st, _ := f.do("GET", "/v1/patient/feedback", f.tok["a"], ""); st != 403 {
		t.Fatalf("therapist on the portal: %d", st)
	}
	// A patient reaches only their own enrollment and feedback.
	if st, _ := f.do("POST", "/v1/patient/messages", f.tok["pa"], mustJSON(api.MessageRequest{EnrollmentID: eb.ID, Body: "x"})); st != 404 {
		t.Fatalf("patient writing into another's enrollment: %d", st)
	}
	if st, _ := f.do("POST", "/v1/patient/feedback/read", f.tok["pa"], mustJSON(api.ReadRequest{IDs: []string{f.bFb.ID}})); st != 404 {
		t.Fatalf("patient reading another's feedback: %d", st)
	}
	if _, body := f.do("GET", "/v1/patient/feedback", f.tok["pa"], ""); strings.Contains(body, "B's") {
		t.Fatalf("patient sees another patient's feedback")
	}
	for _, tb := range tables {
		if n := rows(tb); n != before[tb] {
			t.Fatalf("%s changed from %d to %d rows", tb, before[tb], n)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE id = ? AND read_at IS NOT NULL", aOut.ID); n != 0 {
		t.Fatalf("A's own message was marked read")
	}

	// A shared patient: A has an old, completed enrollment of B's patient,
	// so A may read the patient's record, but B's current enrollment, its
	// messages and its submissions stay B's to write on.
	old, err := f.db.Enroll(context.Background(), store.System("test"), store.Enrollment{PatientID: f.pb.ID, ProgramVersionID: eb.ProgramVersionID,
		TherapistID: f.a.ID, Status: store.EnrollmentCompleted}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ebVersion int64
	f.db.Reader().QueryRow("SELECT version FROM enrollments WHERE id = ?", eb.ID).Scan(&ebVersion)
	shared := []struct {
		name string
		typ  string
		op   any
	}{
		{"take over B's enrollment of a shared patient", "enrollment.update", store.UpdateEnrollmentOp{ID: eb.ID, Version: ebVersion, TherapistID: f.a.ID, Status: store.EnrollmentActive, At: now}},
		{"end B's enrollment of a shared patient", "enrollment.update", store.UpdateEnrollmentOp{ID: eb.ID, Version: ebVersion, Status: store.EnrollmentDiscontinued, At: now}},
		{"hand an own enrollment to B", "enrollment.update", store.UpdateEnrollmentOp{ID: old.ID, Version: old.Version, TherapistID: f.b.ID, At: now}},
		{"message on B's enrollment of a shared patient", "message.send", store.SendMessageOp{Message: store.Message{ID: id(), EnrollmentID: eb.ID, PatientID: f.pb.ID, Direction: "out", TherapistID: f.a.ID, Body: "x", SentAt: now}}},
		{"risk ack on B's enrollment of a shared patient", "risk.ack", store.AckRiskOp{Ack: store.RiskAck{ID: id(), PatientID: f.pb.ID, EnrollmentID: eb.ID, SourceType: "submission", SourceID: sb.ID, TherapistID: f.a.ID, Action: store.AckNoAcuteRisk, AckedAt: now}}},
		{"risk ack on the old enrollment about B's submission", "risk.ack", store.AckRiskOp{Ack: store.RiskAck{ID: id(), PatientID: f.pb.ID, EnrollmentID: old.ID, SourceType: "submission", SourceID: sb.ID, TherapistID: f.a.ID, Action: store.AckNoAcuteRisk, AckedAt: now}}},
		{"go-ahead on B's enrollment of a shared patient", "goahead.record", store.RecordGoAheadOp{GoAhead: store.GoAhead{ID: id(), PatientID: f.pb.ID, EnrollmentID: eb.ID, GoAheadID: "sleep-restriction", SubmissionID: sb.ID, TherapistID: f.a.ID, Decision: store.GoAheadYes, DecidedAt: now}}},
		{"feedback on B's submission of a shared patient", "feedback.send", store.SendFeedbackOp{Feedback: store.Feedback{ID: id(), SubmissionID: sb.ID, EnrollmentID: eb.ID, PatientID: f.pb.ID, TherapistID: f.a.ID, Body: "x", SentAt: now}}},
		{"mark B's patient's message read", "read.mark", store.MarkReadOp{Type: "message", IDs: []string{f.bMessage.ID}, At: now}},
	}
	for tb := range before {
		before[tb] = rows(tb)
	}
	for _, c := range shared {
		st, body := f.do("POST", "/v1/ops", f.tok["a"], pushBody(c.typ, c.op))
		var resp api.PushResponse
		json.Unmarshal([]byte(body), &resp)
		if st != 200 || len(resp.Results) != 1 || resp.Results[0].Status != api.StatusRejected {
			t.Fatalf("%s: %d %s", c.name, st, body)
		}
	}
	var ebTherapist, ebStatus string
	var ebNow int64
	f.db.Reader().QueryRow("SELECT therapist_id, status, version FROM enrollments WHERE id = ?", eb.ID).Scan(&ebTherapist, &ebStatus, &ebNow)
	if ebTherapist != f.b.ID || ebStatus != store.EnrollmentActive || ebNow != ebVersion {
		t.Fatalf("B's enrollment changed: therapist %s, status %s, version %d", ebTherapist, ebStatus, ebNow)
	}
	if n := f.count("SELECT COUNT(*) FROM enrollments WHERE id = ? AND therapist_id = ?", old.ID, f.a.ID); n != 1 {
		t.Fatalf("A's old enrollment was handed on")
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE id = ? AND read_at IS NOT NULL", f.bMessage.ID); n != 0 {
		t.Fatalf("B's patient's message was marked read by A")
	}
	for _, tb := range tables {
		if n := rows(tb); n != before[tb] {
			t.Fatalf("shared patient: %s changed from %d to %d rows", tb, before[tb], n)
		}
	}

	// The same ops are fine where they belong: admin adds an account.
	var addAccount any
	for _, c := range cases {
		if c.name == "add an account" {
			addAccount = c.op
		}
	}
	st, body = f.do("POST", "/v1/ops", f.tok["admin"], pushBody("therapist.add", addAccount))
	if st != 200 || !strings.Contains(body, `"applied"`) {
		t.Fatalf("admin push: %d %s", st, body)
	}
}

func TestRequestLimitsAndBadInput(t *testing.T) {
	f := newFixture(t, server.Config{MaxBody: 64 << 10, MaxOps: 3})
	now := time.Now().UTC().Truncate(time.Millisecond)
	ea, sa := f.fx.Enrollments[f.pa.ID], f.fx.Submissions[f.pa.ID][0]
	good := func(key, body string) api.PushOp {
		return api.PushOp{Key: key, Type: "feedback.send", Op: json.RawMessage(mustJSON(store.SendFeedbackOp{Feedback: store.Feedback{
			ID: f.db.NewID(now), SubmissionID: sa.ID, EnrollmentID: ea.ID, PatientID: f.pa.ID, TherapistID: f.a.ID, Body: body, SentAt: now}}))}
	}
	before := f.count("SELECT COUNT(*) FROM feedback")
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"empty", "", 400, "empty body"},
		{"malformed", `{"ops": [`, 400, "malformed JSON"},
		{"not an object", `[1,2]`, 400, "expected"},
		{"unknown field", `{"ops": [], "extra": 1}`, 400, `unknown field \"extra\"`},
		{"wrong type", `{"ops": "all"}`, 400, "expected"},
		{"no ops", `{}`, 400, `missing \"ops\"`},
		{"trailing data", `{"ops": []} {}`, 400, "after the JSON"},
		{"too many ops", mustJSON(api.PushRequest{Ops: []api.PushOp{good("1", "a"), good("2", "b"), good("3", "c"), good("4", "d")}}), 400, "at most 3"},
		{"too large", mustJSON(api.PushRequest{Ops: []api.PushOp{good("1", strings.Repeat("x", 70_000))}}), 413, "larger than"},
		{"unknown op type", `{"ops":[{"key":"k","type":"feedback.delete","op":{}}]}`, 400, "unknown operation type"},
		{"unknown field in op", `{"ops":[{"key":"k","type":"draft.delete","op":{"id":"x","version":1,"force":true}}]}`, 400, `unknown field \"force\"`},
		{"wrong type in op", `{"ops":[{"key":"k","type":"draft.delete","op":{"id":"x","version":"one"}}]}`, 400, "expected int64"},
		{"missing key", `{"ops":[{"type":"draft.delete","op":{"id":"x","version":1}}]}`, 400, "key: is required"},
		{"repeated key", mustJSON(api.PushRequest{Ops: []api.PushOp{good("1", "a"), good("1", "b")}}), 400, "appears twice"},
		{"too many ids to mark read", mustJSON(api.PushRequest{Ops: []api.PushOp{{Key: "r", Type: "read.mark", Op: json.RawMessage(mustJSON(store.MarkReadOp{
			Type: "message", IDs: strings.Fields(strings.Repeat("x ", server.MaxReadIDs+1)), At: now}))}}}), 400, "1001 ids in one op: at most 1000"},
		// One bad op among good ones: nothing of the request is applied.
		{"half bad", mustJSON(api.PushRequest{Ops: []api.PushOp{good("1", "a"), {Key: "2", Type: "draft.delete", Op: json.RawMessage(`{"id": 5}`)}}}), 400, "ops[1]"},
	}
	for _, c := range cases {
		st, body := f.do("POST", "/v1/ops", f.tok["a"], c.body)
		if st != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s (want %d with %q)", c.name, st, body, c.status, c.want)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM feedback"); n != before {
		t.Fatalf("bad requests wrote %d feedback", n-before)
	}
	for _, c := range []struct{ path, body, want string }{
		{"/v1/patient/messages", `{"body": 5}`, "expected string"},
		{"/v1/patient/messages", `{"body": "hi", "patient_id": "x"}`, `unknown field \"patient_id\"`},
		{"/v1/patient/submissions", `{"module_id": "m", "exercise_id": "e", "answers": {"a": 1}}`, "expected string"},
		{"/v1/patient/measures", `{"instrument_id": "phq9", "week": 1, "answers": [9,9,9,9,9,9,9,9,9]}`, "answers"},
	} {
		if st, body := f.do("POST", c.path, f.tok["pa"], c.body); st != 400 || !strings.Contains(body, c.want) {
			t.Errorf("%s %s: %d %s", c.path, c.body, st, body)
		}
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, server.Config{Rate: 1, Burst: 3})
	codes := map[int]int{}
	for range 6 {
		st, _ := f.do("GET", "/v1/me", f.tok["a"], "")
		codes[st]++
	}
	if codes[200] != 3 || codes[429] != 3 {
		t.Fatalf("rate limit: %v", codes)
	}
	// Another token has its own bucket.
	if st, _ := f.do("GET", "/v1/me", f.tok["b"], ""); st != 200 {
		t.Fatalf("other token limited: %d", st)
	}
}

func TestCheckAddr(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:7420": true, "localhost:1": true, "[::1]:7420": true, "127.1.2.3:80": true,
		"0.0.0.0:7420": false, ":7420": false, "[::]:1": false, "10.0.0.1:7420": false, "polku.example.fi:443": false, "nonsense": false} {
		if err := server.CheckAddr(addr, false); (err == nil) != ok {
			t.Errorf("CheckAddr(%q) = %v", addr, err)
		}
	}
	if err := server.CheckAddr("0.0.0.0:7420", true); err != nil {
		t.Errorf("with TLS: %v", err)
	}
}

func TestPatientEndpointsIdempotent(t *testing.T) {
	f := newFixture(t, server.Config{})
	req := func() (int, string) {
		r, _ := http.NewRequest("POST", f.http.URL+"/v1/patient/messages", strings.NewReader(`{"body": "once only"}`))
		r.Header.Set("Authorization", "Bearer "+f.tok["pa"])
		r.Header.Set("Idempotency-Key", "portal-42")
		r.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	st1, b1 := req()
	st2, b2 := req()
	if st1 != 201 || st2 != 200 || !strings.Contains(b2, "duplicate") {
		t.Fatalf("%d %s / %d %s", st1, b1, st2, b2)
	}
	var c1, c2 api.Created
	json.Unmarshal([]byte(b1), &c1)
	json.Unmarshal([]byte(b2), &c2)
	if c1.ID != c2.ID || f.count("SELECT COUNT(*) FROM messages WHERE body = 'once only'") != 1 {
		t.Fatalf("message stored twice or ids differ: %s %s", c1.ID, c2.ID)
	}
}

func TestAdminEndpoints(t *testing.T) {
	f := newFixture(t, server.Config{})
	// Therapists play their own synthetic patients (TestTherapistPlaysOwnSyntheticPatients).
	for _, who := range []string{"sup", "pa"} {
		if st, _ := f.do("GET", "/v1/admin/synthetic-patients", f.tok[who], ""); st != 403 {
			t.Fatalf("%s lists synthetic patients: %d", who, st)
		}
		if st, _ := f.do("POST", "/v1/admin/patient-tokens", f.tok[who], mustJSON(api.PatientTokenRequest{PatientID: f.pb.ID})); st != 403 {
			t.Fatalf("%s makes a portal token: %d", who, st)
		}
	}
	real, err := f.db.AddPatient(context.Background(), store.System("test"), store.Patient{Pseudonym: "REAL-1", DisplayName: "Real Person", BirthDate: "1980-01-01", Language: "fi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Enroll(context.Background(), store.System("test"), store.Enrollment{PatientID: real.ID, ProgramVersionID: f.fx.Enrollments[f.pa.ID].ProgramVersionID, TherapistID: f.a.ID}, 0); err != nil {
		t.Fatal(err)
	}
	st, body := f.do("GET", "/v1/admin/synthetic-patients", f.tok["admin"], "")
	if st != 200 || !strings.Contains(body, f.pa.ID) || strings.Contains(body, real.ID) || strings.Contains(body, "display_name") {
		t.Fatalf("synthetic list: %d %s", st, body)
	}
	// A real patient gets no portal token from the admin endpoint (by id or
	// pseudonym), with the same answer as a patient that does not exist;
	// real patients' portal accounts are made on the server's store.
	tokens := f.count("SELECT COUNT(*) FROM tokens")
	for _, ref := range []string{real.ID, real.Pseudonym, "no-such-patient"} {
		st, body := f.do("POST", "/v1/admin/patient-tokens", f.tok["admin"], mustJSON(api.PatientTokenRequest{PatientID: ref}))
		if st != 404 || strings.Contains(body, "token\"") || !strings.Contains(body, "polku tokens create --patient") {
			t.Fatalf("portal token for %s: %d %s", ref, st, body)
		}
		if strings.Contains(body, real.DisplayName) {
			t.Fatalf("the refusal names the patient: %s", body)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM tokens"); n != tokens {
		t.Fatalf("refused requests made %d tokens", n-tokens)
	}
	st, body = f.do("POST", "/v1/admin/patient-tokens", f.tok["admin"], mustJSON(api.PatientTokenRequest{PatientID: f.pa.Pseudonym, Device: "sim"}))
	var pt api.PatientToken
	if json.Unmarshal([]byte(body), &pt); st != 201 || pt.PatientID != f.pa.ID {
		t.Fatalf("portal token: %d %s", st, body)
	}
	// Making the token is in the patient's audit log, with the admin's
	// device; reads through it are there too, as the patient's, with the
	// token.
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = ? AND actor_id = (SELECT id FROM therapists WHERE handle = 'admin') AND action = 'portal-token' AND device = 'dev-admin' AND detail LIKE ?", f.pa.ID, "%"+pt.ID+"%"); n != 1 {
		t.Fatalf("audit rows of the token: %d", n)
	}
	if st, _ := f.do("GET", "/v1/patient/me", pt.Token, ""); st != 200 {
		t.Fatalf("new portal token: %d", st)
	}
	if st, _ := f.do("GET", "/v1/patient/messages", pt.Token, ""); st != 200 {
		t.Fatalf("portal messages: %d", st)
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = ? AND actor_id = ? AND action = 'portal-read' AND device = 'sim' AND detail LIKE ?", f.pa.ID, "patient:"+f.pa.ID, "%"+pt.ID+"%"); n != 2 {
		t.Fatalf("audit rows of the portal reads: %d", n)
	}
	if st, _ := f.do("DELETE", "/v1/admin/tokens/"+pt.ID, f.tok["admin"], ""); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
	if st, _ := f.do("GET", "/v1/patient/me", pt.Token, ""); st != 401 {
		t.Fatalf("revoked portal token: %d", st)
	}
}

func TestFailedSignInsAreLimited(t *testing.T) {
	f := newFixture(t, server.Config{Rate: 1, Burst: 5})
	codes := map[int]int{}
	for range 10 {
		st, _ := f.do("GET", "/v1/me", "polku_guess", "")
		codes[st]++
	}
	if codes[401] != 5 || codes[429] != 5 {
		t.Fatalf("failed sign-ins: %v", codes)
	}
}
