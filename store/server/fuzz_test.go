package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
	"polku/store/synctest"
)

// FuzzDecodePush feeds arbitrary bodies to the push decoder: it must
// never panic, and what it accepts must be well-formed operations.
// Seeds: testdata/fuzz/FuzzDecodePush. Run: go test -fuzz FuzzDecodePush ./store/server
func FuzzDecodePush(f *testing.F) {
	f.Add([]byte(`{"ops":[]}`))
	f.Add([]byte(`{"ops":[{"key":"k1","type":"draft.delete","op":{"id":"x","version":1}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ops, err := server.DecodePush(bytes.NewReader(body), 50)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(ops) > 50 {
			t.Fatalf("%d ops accepted, limit 50", len(ops))
		}
		for _, o := range ops {
			if o.Key == "" || o.Op == nil {
				t.Fatalf("accepted an op without key or body: %+v", o)
			}
			api.Touched(o.Op) // must not panic
		}
	})
}

// FuzzPatientRequest sends arbitrary bodies to every patient write
// endpoint with a patient's token: the answer is never a server error; a
// refused body writes nothing; an accepted one writes for the token's
// patient only, whatever the body says. What the strict decoder accepts
// survives a round trip through encoding/json unchanged.
func FuzzPatientRequest(f *testing.F) {
	f.Add([]byte(`{"module_id":"m","exercise_id":"e","answers":{"text":"hi"}}`))
	f.Add([]byte(`{"instrument_id":"phq9","week":1,"answers":[0,1,2,3,0,1,2,3,0]}`))
	f.Add([]byte(`{"body":"hello"}`))
	f.Add([]byte(`{"body":"hello","patient_id":"someone-else"}`))
	f.Add([]byte(`{"ids":["a","b"]}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, dst := range []func() any{
			func() any { return &api.SubmitRequest{} }, func() any { return &api.DiaryRequest{} }, func() any { return &api.MeasureRequest{} },
			func() any { return &api.MessageRequest{} }, func() any { return &api.ReadRequest{} }, func() any { return &api.PushRequest{} },
		} {
			v := dst()
			err := api.DecodeStrict(bytes.NewReader(body), v)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error message")
				}
				continue
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("accepted %q into %T, which does not encode: %v", body, v, err)
			}
			w := dst()
			if err := api.DecodeStrict(bytes.NewReader(again), w); err != nil || !reflect.DeepEqual(v, w) {
				t.Fatalf("%T of %q does not survive a round trip: %v", v, body, err)
			}
		}
		fx := fuzzServer(t, "patient", dir)
		for _, path := range []string{"/v1/patient/submissions", "/v1/patient/diary", "/v1/patient/measures", "/v1/patient/messages", "/v1/patient/feedback/read"} {
			before := fx.state(t)
			req := httptest.NewRequest("POST", path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+fx.patientToken)
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			fx.handler.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s: status %d for %q: %s", path, w.Code, body, w.Body.String())
			}
			after := fx.state(t)
			if w.Code != http.StatusCreated {
				if after.lastSeq != before.lastSeq {
					t.Fatalf("%s: refused (%d) %q but wrote changes", path, w.Code, body)
				}
				continue
			}
			var others int
			if err := fx.db.Reader().QueryRow("SELECT COUNT(*) FROM changes WHERE seq > ? AND patient_id <> ?", before.lastSeq, fx.patientID).Scan(&others); err != nil {
				t.Fatal(err)
			}
			if after.lastSeq == before.lastSeq || others != 0 {
				t.Fatalf("%s: %q accepted: %d changes, %d of another patient", path, body, after.lastSeq-before.lastSeq, others)
			}
		}
	})
}

// fuzzFixture is one server store shared by a fuzz target's inputs.
type fuzzFixture struct {
	db           *store.DB
	handler      http.Handler
	therapistTok string
	patientToken string
	patientID    string
}

// snapshot is what a refused request must leave as it was.
type snapshot struct {
	lastSeq             int64
	idempotency, tokens int
	audit               int // audit rows other than of reads that come back with refusals
}

func (fx *fuzzFixture) state(t *testing.T) snapshot {
	t.Helper()
	var s snapshot
	var err error
	if s.lastSeq, err = fx.db.LastSeq(context.Background()); err != nil {
		t.Fatal(err)
	}
	for q, dst := range map[string]*int{
		"SELECT COUNT(*) FROM idempotency":                         &s.idempotency,
		"SELECT COUNT(*) FROM tokens":                              &s.tokens,
		"SELECT COUNT(*) FROM audit WHERE action <> 'sync-repair'": &s.audit,
	} {
		if err := fx.db.Reader().QueryRow(q).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

var (
	fuzzMu       sync.Mutex
	fuzzFixtures = map[string]*fuzzFixture{}
)

// fuzzServer makes (once per fuzz target and process, in the target's
// temporary directory) a store with two therapists and a patient each, a
// server over it, and tokens for the first therapist and their patient.
func fuzzServer(t *testing.T, target, dir string) *fuzzFixture {
	t.Helper()
	fuzzMu.Lock()
	defer fuzzMu.Unlock()
	if fx, ok := fuzzFixtures[target]; ok {
		return fx
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "fuzz.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: 2, PatientsPer: 1, Weeks: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{DB: db, Rate: -1, MaxBody: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	th := fx.Therapists[0]
	p := fx.Patients[th.ID][0]
	f := &fuzzFixture{db: db, handler: srv.Handler(), patientID: p.ID}
	if f.therapistTok, _, err = server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "fuzz"}); err != nil {
		t.Fatal(err)
	}
	if f.patientToken, _, err = server.CreatePatientToken(ctx, db, p.ID, server.TokenOptions{Device: "fuzz"}); err != nil {
		t.Fatal(err)
	}
	fuzzFixtures[target] = f
	return f
}

// FuzzPushHandler sends arbitrary push bodies through the whole handler
// (authentication, decoding, authorization, the store) with a therapist's
// token: the answer is never a server error; a body refused as a whole
// changes nothing (no change-log row, no idempotency key, no audit row,
// no token); and ops that are all refused write no change-log row.
func FuzzPushHandler(f *testing.F) {
	f.Add([]byte(`{"ops":[{"key":"k","type":"note.add","op":{"note":{"id":"n","patient_id":"p","therapist_id":"t","body":"x","created_at":"2026-11-23T09:30:00Z"}}}]}`))
	f.Add([]byte(`{"ops":[{"key":"k","type":"read.mark","op":{"type":"message","ids":["a"],"at":"2026-11-23T09:30:00Z"}}]}`))
	f.Add([]byte(`{"ops":[{"key":"k2","type":"read.mark","op":{"type":"message","ids":["a"],"at":"2026-11-23T09:30:00Z"}},{"key":"k3","type":"nope","op":{}}]}`))
	f.Add([]byte(`{"ops":[{"key":"k","type":"draft.delete","op":{"id":"x","version":1}}]}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		fx := fuzzServer(t, "push", dir)
		before := fx.state(t)
		req := httptest.NewRequest("POST", "/v1/ops", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+fx.therapistTok)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		fx.handler.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body.String())
		}
		after := fx.state(t)
		if w.Code != http.StatusOK {
			if after != before {
				t.Fatalf("refused (%d) %q, but the store changed: %+v -> %+v", w.Code, body, before, after)
			}
			return
		}
		var resp api.PushResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("answer to %q: %v", body, err)
		}
		applied := 0
		for _, r := range resp.Results {
			switch r.Status {
			case api.StatusError:
				t.Fatalf("server error result for %q: %s", body, w.Body.String())
			case api.StatusApplied:
				applied++
			}
		}
		if applied == 0 && after.lastSeq != before.lastSeq {
			t.Fatalf("nothing of %q was applied, but the change log grew: %d -> %d", body, before.lastSeq, after.lastSeq)
		}
		if after.tokens != before.tokens {
			t.Fatalf("a push made tokens")
		}
	})
}
