package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// An idempotency key stands for one request: used again for the same
// request it answers "duplicate", for another one 422, and nothing of the
// other request is applied.
func TestIdempotencyKeyBoundToRequest(t *testing.T) {
	f := newFixture(t, server.Config{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	ea, sa := f.fx.Enrollments[f.pa.ID], f.unanswered(f.pa.ID)
	feedback := func(key, body string) api.PushOp {
		return api.PushOp{Key: key, Type: "feedback.send", Op: json.RawMessage(mustJSON(store.SendFeedbackOp{Feedback: store.Feedback{
			ID: f.db.NewID(now), SubmissionID: sa.ID, EnrollmentID: ea.ID, PatientID: f.pa.ID, TherapistID: f.a.ID, Body: body, SentAt: now}}))}
	}
	first := feedback("fb-1", "first")
	push := func(ops ...api.PushOp) (int, string) {
		return f.do("POST", "/v1/ops", f.tok["a"], mustJSON(api.PushRequest{Ops: ops}))
	}
	if st, body := push(first); st != 200 || !strings.Contains(body, `"applied"`) {
		t.Fatalf("first push: %d %s", st, body)
	}
	// The same op again, with its JSON laid out differently: a duplicate.
	var indented json.RawMessage
	indented, _ = json.MarshalIndent(json.RawMessage(first.Op), "", "  ")
	if st, body := push(api.PushOp{Key: first.Key, Type: first.Type, Op: indented}); st != 200 || !strings.Contains(body, `"duplicate"`) {
		t.Fatalf("repeated push: %d %s", st, body)
	}
	// Another op under the same key, after a new op: 422, nothing applied.
	st, body := push(feedback("fb-2", "second"), feedback("fb-1", "third"))
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, api.CodeKeyReused) || !strings.Contains(body, `ops[1].key \"fb-1\" was used before for another request`) {
		t.Fatalf("reused key: %d %s", st, body)
	}
	// Another op type under the same key.
	st, body = push(api.PushOp{Key: "fb-1", Type: "read.mark", Op: json.RawMessage(`{"type":"message","ids":[],"at":"2026-11-23T09:30:00Z"}`)})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "feedback.send") {
		t.Fatalf("reused key, another op type: %d %s", st, body)
	}
	if n := f.count("SELECT COUNT(*) FROM feedback WHERE body IN ('first', 'second', 'third')"); n != 1 {
		t.Fatalf("%d feedback stored, want only the first", n)
	}

	// The patient portal: the key is tied to the endpoint and the body.
	send := func(path, key, body string) (int, string) {
		r, _ := http.NewRequest("POST", f.http.URL+path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+f.tok["pa"])
		r.Header.Set("Idempotency-Key", key)
		r.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := send("/v1/patient/messages", "same", `{"body": "first"}`); st != 201 {
		t.Fatalf("first message: %d %s", st, body)
	}
	if st, body := send("/v1/patient/messages", "same", `{ "body" : "first" }`); st != 200 || !strings.Contains(body, "duplicate") {
		t.Fatalf("the same message again: %d %s", st, body)
	}
	for _, c := range []struct{ path, body string }{
		{"/v1/patient/messages", `{"body": "second, different"}`},
		{"/v1/patient/diary", `{"exercise_id": "x", "date": "2026-11-22", "fields": {}}`},
	} {
		st, body := send(c.path, "same", c.body)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, api.CodeKeyReused) || !strings.Contains(body, `Idempotency-Key \"same\" was used before`) {
			t.Fatalf("%s with a reused key: %d %s", c.path, st, body)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE body LIKE 'second%'"); n != 0 {
		t.Fatalf("the second message was stored")
	}
}
