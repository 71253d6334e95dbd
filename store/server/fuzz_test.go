package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
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

// FuzzPatientRequest decodes arbitrary bodies as each patient request.
func FuzzPatientRequest(f *testing.F) {
	f.Add([]byte(`{"module_id":"m","exercise_id":"e","answers":{"text":"hi"}}`))
	f.Add([]byte(`{"instrument_id":"phq9","week":1,"answers":[0,1,2,3,0,1,2,3,0]}`))
	f.Add([]byte(`{"body":"hello"}`))
	f.Add([]byte(`{"ids":["a","b"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, dst := range []any{&api.SubmitRequest{}, &api.DiaryRequest{}, &api.MeasureRequest{}, &api.MessageRequest{}, &api.ReadRequest{}, &api.PushRequest{}} {
			if err := api.DecodeStrict(bytes.NewReader(body), dst); err != nil && err.Error() == "" {
				t.Fatal("empty error message")
			}
		}
	})
}

var (
	fuzzOnce sync.Once
	fuzzSrv  http.Handler
	fuzzTok  string
	fuzzErr  error
)

// FuzzPushHandler sends arbitrary push bodies through the whole handler
// (authentication, decoding, authorization, the store) with a therapist's
// token: the answer is never a server error, and a refused body changes
// nothing.
func FuzzPushHandler(f *testing.F) {
	f.Add([]byte(`{"ops":[{"key":"k","type":"note.add","op":{"note":{"id":"n","patient_id":"p","therapist_id":"t","body":"x","created_at":"2026-11-23T09:30:00Z"}}}]}`))
	f.Add([]byte(`{"ops":[{"key":"k","type":"read.mark","op":{"type":"message","ids":["a"],"at":"2026-11-23T09:30:00Z"}}]}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzOnce.Do(func() {
			ctx := context.Background()
			db, err := store.Open(ctx, filepath.Join(dir, "fuzz.db"), store.Options{Create: true})
			if err != nil {
				fuzzErr = err
				return
			}
			fx, err := synctest.Populate(ctx, db, synctest.Spec{Therapists: 2, PatientsPer: 1, Weeks: 1})
			if err != nil {
				fuzzErr = err
				return
			}
			srv, err := server.New(ctx, server.Config{DB: db, Rate: -1, MaxBody: 1 << 16})
			if err != nil {
				fuzzErr = err
				return
			}
			fuzzSrv = srv.Handler()
			fuzzTok, _, fuzzErr = server.CreateTherapistToken(ctx, db, fx.Therapists[0].ID, "fuzz")
		})
		if fuzzErr != nil {
			t.Fatal(fuzzErr)
		}
		req := httptest.NewRequest("POST", "/v1/ops", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+fuzzTok)
		w := httptest.NewRecorder()
		fuzzSrv.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body.String())
		}
		if w.Code == 200 && strings.Contains(w.Body.String(), `"status":"error"`) {
			t.Fatalf("server error result for %q: %s", body, w.Body.String())
		}
	})
}
