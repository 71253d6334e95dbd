package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// englishWords are words of the server's English answers that a Finnish
// or Swedish sentence does not have.
var englishWords = []string{"no such", "unknown", "not allowed", "malformed", "send the body", "missing", "expected",
	"takes", "given", "is not", "expired", "ask the", "too many", "field "}

// An API misuse is answered with its English text and code as before, and
// its sentence as a message (error.msg) whose id is in every catalog and
// which says it in Finnish and Swedish without English words; a patient's
// portal token gets the sentence in the patient's own language too
// (error.text).
func TestAPIMisuseComesWithItsMessage(t *testing.T) {
	f := newFixture(t, server.Config{})
	ids := map[string]map[string]bool{}
	for _, l := range i18n.Languages() {
		ids[l] = map[string]bool{}
		for _, id := range i18n.IDs(l) {
			ids[l][id] = true
		}
	}
	en, fi, sv := i18n.New(i18n.EN), i18n.New(i18n.FI), i18n.New(i18n.SV)
	answer := func(method, path, token, ctype, body string) (int, api.ErrorDetail) {
		t.Helper()
		req, err := http.NewRequest(method, f.http.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var eb api.ErrorBody
		if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return resp.StatusCode, eb.Error
	}
	check := func(what string, d api.ErrorDetail, code, english string) {
		t.Helper()
		if d.Code != code || d.Message != english {
			t.Errorf("%s: %s %q, want %s %q", what, d.Code, d.Message, code, english)
		}
		m, err := store.MessageFromJSON(d.Msg)
		if err != nil || m.ID == "" {
			t.Errorf("%s: no message (%s, %v)", what, d.Msg, err)
			return
		}
		for _, l := range i18n.Languages() {
			if !ids[l][m.ID] {
				t.Errorf("%s: message %s is not in the %s catalogs", what, m.ID, l)
			}
		}
		if got := store.RenderMessage(en, m); got != d.Message {
			t.Errorf("%s: the message says %q in English, the text %q", what, got, d.Message)
		}
		for _, p := range []*i18n.Printer{fi, sv} {
			local := store.RenderMessage(p, m)
			for _, w := range englishWords {
				if strings.Contains(local, w) {
					t.Errorf("%s in %s: %q still says %q", what, p.Lang(), local, w)
				}
			}
		}
	}
	cases := []struct {
		what, method, path, token, ctype, body string
		status                                 int
		code, english                          string
	}{
		{"no endpoint", "GET", "/v1/nope", "a", "", "", 404, api.CodeNotFound,
			"no such endpoint: GET /v1/nope (see docs/api.md)"},
		{"method", "PUT", "/v1/me", "a", "", "", 405, api.CodeMethodNotAllowed,
			"PUT is not allowed on /v1/me: use GET (see docs/api.md)"},
		{"unknown parameter", "GET", "/v1/changes?sinse=1", "a", "", "", 400, api.CodeBadRequest,
			`unknown parameter "sinse": GET /v1/changes takes since, check, limit`},
		{"empty parameter", "GET", "/v1/notifications?after=", "a", "", "", 400, api.CodeBadRequest,
			`parameter "after" is empty: give a value or leave it out`},
		{"no parameters", "GET", "/v1/me?x=1", "a", "", "", 400, api.CodeBadRequest,
			`unknown parameter "x": GET /v1/me takes no parameters`},
		{"bad cursor", "GET", "/v1/changes?since=abc", "a", "", "", 400, api.CodeBadRequest,
			`since="abc" is not a cursor from a previous pull (or 0)`},
		{"bad JSON", "POST", "/v1/ops", "a", "application/json", `{"ops": [`, 400, api.CodeBadRequest,
			"malformed JSON: unexpected end of input"},
		{"syntax", "POST", "/v1/ops", "a", "application/json", `{"ops": x}`, 400, api.CodeBadRequest,
			"malformed JSON at byte 9: invalid character 'x' looking for beginning of value"},
		{"wrong type", "POST", "/v1/ops", "a", "application/json", `{"ops": 3}`, 400, api.CodeBadRequest,
			"field ops: expected []api.PushOp, got JSON number"},
		{"unknown field", "POST", "/v1/ops", "a", "application/json", `{"ops": [], "force": true}`, 400, api.CodeBadRequest,
			`unknown field "force"`},
		{"no ops", "POST", "/v1/ops", "a", "application/json", `{}`, 400, api.CodeBadRequest,
			`missing "ops": expected {"ops": [...]}`},
		{"unknown op", "POST", "/v1/ops", "a", "application/json", `{"ops": [{"key": "k1", "type": "nope", "op": {}}]}`, 400, api.CodeBadRequest,
			`ops[0]: unknown operation type "nope"`},
		{"op field", "POST", "/v1/ops", "a", "application/json", `{"ops": [{"key": "k1", "type": "draft.delete", "op": {"force": true}}]}`, 400, api.CodeBadRequest,
			`ops[0]: draft.delete: unknown field "force"`},
		{"key", "POST", "/v1/ops", "a", "application/json", `{"ops": [{"key": "", "type": "draft.delete", "op": {}}]}`, 400, api.CodeBadRequest,
			"ops[0].key: is required"},
		{"trailing", "POST", "/v1/ops", "a", "application/json", `{"ops": []} x`, 400, api.CodeBadRequest,
			"unexpected data after the JSON value"},
		{"content type", "POST", "/v1/ops", "a", "text/plain", `{"ops": []}`, 415, "unsupported_media_type",
			`Content-Type "text/plain": send the body as application/json`},
		{"token", "GET", "/v1/me", "", "", "", 401, api.CodeUnauthorized,
			"missing, unknown or revoked token: send 'Authorization: Bearer TOKEN'"},
		{"patient pulls", "GET", "/v1/changes", "pa", "", "", 403, api.CodeForbidden,
			"patient tokens read through /v1/patient/ endpoints"},
		{"staff in the portal", "GET", "/v1/patient/me", "a", "", "", 403, api.CodeForbidden,
			"these endpoints are for the patient portal: use a patient token"},
		{"portal cursor", "GET", "/v1/patient/feedback?since=x", "pa", "", "", 400, api.CodeBadRequest,
			`since="x" is not a cursor: pass the "cursor" of the previous answer (or leave since out for everything)`},
	}
	for _, c := range cases {
		status, d := answer(c.method, c.path, f.tok[c.token], c.ctype, c.body)
		if status != c.status {
			t.Errorf("%s: status %d, want %d (%+v)", c.what, status, c.status, d)
			continue
		}
		if c.code == "" {
			continue
		}
		check(c.what, d, c.code, c.english)
		if c.token != "pa" && d.Text != "" {
			t.Errorf("%s: a staff answer carries a patient's text %q", c.what, d.Text)
		}
	}

	// A patient reads the portal's refusals in their own language.
	ctx := context.Background()
	for _, lang := range []string{"fi", "sv", "en"} {
		pt, err := f.db.AddPatient(ctx, store.System("test"), store.Patient{Pseudonym: "P-ERR-" + lang, DisplayName: "Err " + lang, BirthDate: "1985-03-01", Language: lang})
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := server.CreatePatientToken(ctx, f.db, pt.ID, server.TokenOptions{Device: "portal"})
		if err != nil {
			t.Fatal(err)
		}
		status, d := answer("POST", "/v1/patient/feedback/read", tok, "application/json", `{"ids": ["nope"]}`)
		if status != http.StatusNotFound {
			t.Fatalf("%s: feedback that is not theirs: %d %+v", lang, status, d)
		}
		check("not theirs", d, api.CodeNotFound, "feedback nope is not yours")
		want := map[string]string{"fi": "palaute nope ei ole sinulle", "sv": "återkoppling nope är inte till dig", "en": d.Message}[lang]
		if d.Text != want {
			t.Errorf("%s: the patient reads %q, want %q", lang, d.Text, want)
		}
	}
}

// An expired portal token is refused in the patient's own language too;
// a staff token's refusal carries no patient's text.
func TestExpiredPortalTokenInThePatientsLanguage(t *testing.T) {
	now := time.Now().UTC()
	clock := now
	f := newFixture(t, server.Config{Clock: func() time.Time { return clock }})
	ctx := context.Background()
	pt, err := f.db.AddPatient(ctx, store.System("test"), store.Patient{Pseudonym: "P-EXP-SV", DisplayName: "Exp", BirthDate: "1985-03-01", Language: "sv"})
	if err != nil {
		t.Fatal(err)
	}
	ptok, _, err := server.CreatePatientToken(ctx, f.db, pt.ID, server.TokenOptions{Expires: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	stok, _, err := server.CreateTherapistToken(ctx, f.db, f.a.ID, server.TokenOptions{Expires: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	clock = now.Add(2 * time.Hour)
	var eb api.ErrorBody
	st, body := f.do("GET", "/v1/patient/me", ptok, "")
	if err := json.Unmarshal([]byte(body), &eb); err != nil || st != http.StatusUnauthorized {
		t.Fatalf("an expired portal token: %d %s", st, body)
	}
	if !strings.HasPrefix(eb.Error.Message, "this token expired on ") || !strings.HasPrefix(eb.Error.Text, "den här nyckeln gick ut ") ||
		!strings.HasSuffix(eb.Error.Text, "be kliniken om en ny portalnyckel") {
		t.Errorf("an expired portal token: %+v", eb.Error)
	}
	eb = api.ErrorBody{}
	st, body = f.do("GET", "/v1/me", stok, "")
	if err := json.Unmarshal([]byte(body), &eb); err != nil || st != http.StatusUnauthorized || eb.Error.Text != "" || eb.Error.Msg == nil {
		t.Errorf("an expired staff token: %d %s", st, body)
	}
}
