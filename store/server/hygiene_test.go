package server_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"polku/store/client"
	"polku/store/server"
)

// req makes one request with a token and a Content-Type of its own.
func (f *fixture) req(method, path, token, contentType, body string) (int, http.Header, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.http.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestBodiesMustBeJSON(t *testing.T) {
	f := newFixture(t, server.Config{})
	msg := `{"body": "hello"}`
	for _, ct := range []string{"", "text/plain", "application/jsonp", "application/json-seq", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		if st, _, body := f.req("POST", "/v1/patient/messages", f.tok["pa"], ct, msg); st != http.StatusUnsupportedMediaType || !strings.Contains(body, "application/json") {
			t.Errorf("Content-Type %q: %d %s, want 415", ct, st, body)
		}
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"} {
		if st, _, body := f.req("POST", "/v1/patient/messages", f.tok["pa"], ct, msg); st != http.StatusCreated {
			t.Errorf("Content-Type %q: %d %s, want 201", ct, st, body)
		}
	}
	if st, _, body := f.req("POST", "/v1/ops", f.tok["a"], "text/plain", `{"ops":[]}`); st != http.StatusUnsupportedMediaType {
		t.Errorf("push as text/plain: %d %s, want 415", st, body)
	}
}

func TestUnknownOrMalformedQueryParameters(t *testing.T) {
	f := newFixture(t, server.Config{})
	for _, c := range []struct{ method, path, token, body string }{
		{"GET", "/v1/changes?since=", "a", ""},
		{"GET", "/v1/changes?since=0&x=1", "a", ""},
		{"GET", "/v1/changes?limit=", "a", ""},
		{"GET", "/v1/changes?check=", "a", ""},
		{"GET", "/v1/patient/feedback?since=", "pa", ""},
		{"GET", "/v1/patient/messages?sinse=3", "pa", ""},
		{"GET", "/v1/patient/messages?since=1&since=2", "pa", ""},
		{"GET", "/v1/me?verbose", "a", ""},
		{"POST", "/v1/ops?dry_run=1", "a", `{"ops":[]}`},
		{"POST", "/v1/patient/messages?x=1", "pa", `{"body": "hi"}`},
		{"DELETE", "/v1/admin/tokens/nothing?all=1", "admin", ""},
	} {
		if st, body := f.do(c.method, c.path, f.tok[c.token], c.body); st != http.StatusBadRequest || !strings.Contains(body, "bad_request") {
			t.Errorf("%s %s: %d %s, want 400", c.method, c.path, st, body)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE body = 'hi'"); n != 0 {
		t.Errorf("a request with an unknown parameter wrote %d messages", n)
	}
}

func TestHeadIsNotARead(t *testing.T) {
	f := newFixture(t, server.Config{})
	before := f.count("SELECT COUNT(*) FROM audit")
	for _, c := range []struct{ path, token string }{
		{"/v1/changes", "a"}, {"/v1/patient/me", "pa"}, {"/v1/patient/feedback", "pa"}, {"/v1/patient/messages", "pa"}, {"/v1/me", "a"},
	} {
		st, h, _ := f.req("HEAD", c.path, f.tok[c.token], "", "")
		if st != http.StatusMethodNotAllowed || !strings.Contains(h.Get("Allow"), "GET") || strings.Contains(h.Get("Allow"), "HEAD") {
			t.Errorf("HEAD %s: %d Allow %q, want 405 with Allow: GET", c.path, st, h.Get("Allow"))
		}
	}
	if n := f.count("SELECT COUNT(*) FROM audit") - before; n != 0 {
		t.Errorf("HEAD requests wrote %d audit rows", n)
	}
}

func TestDriverErrorsStayInTheLog(t *testing.T) {
	var logBuf bytes.Buffer
	f := newFixture(t, server.Config{Logger: slog.New(slog.NewJSONHandler(&logBuf, nil))})
	// Break the store under the server: every sign-in now fails in the driver.
	if _, err := f.db.Writer().Exec("ALTER TABLE tokens RENAME COLUMN device TO gone"); err != nil {
		t.Fatal(err)
	}
	st, h, body := f.req("GET", "/v1/me", f.tok["a"], "", "")
	if st != http.StatusInternalServerError {
		t.Fatalf("GET /v1/me on a broken store: %d %s", st, body)
	}
	for _, raw := range []string{"no such column", "SQL", "sqlite", "device"} {
		if strings.Contains(body, raw) {
			t.Errorf("the answer shows the driver's error (%q): %s", raw, body)
		}
	}
	id := h.Get("X-Request-Id")
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(id) || !strings.Contains(body, id) {
		t.Fatalf("X-Request-Id %q, body %s: want a request id in both", id, body)
	}
	if !strings.Contains(logBuf.String(), `"request_id":"`+id+`"`) || !strings.Contains(logBuf.String(), "no such column") {
		t.Errorf("the log does not hold the error under request %s:\n%s", id, logBuf.String())
	}
	// Every answer carries its id, not only failures.
	if _, h, _ := f.req("GET", "/v1/nothing", f.tok["b"], "", ""); h.Get("X-Request-Id") == "" {
		t.Errorf("a 404 has no X-Request-Id")
	}
}

func TestClientKnowsTheReadLimit(t *testing.T) {
	if client.MaxReadIDs != server.MaxReadIDs {
		t.Fatalf("client.MaxReadIDs %d, server.MaxReadIDs %d", client.MaxReadIDs, server.MaxReadIDs)
	}
}
