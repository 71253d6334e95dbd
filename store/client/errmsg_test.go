package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
	"polku/store/client"
)

// A server's error with its message (error.msg) is said in the reader's
// language; an older server's, with the English text only, stays as it
// was.
func TestErrorMessageFromTheServer(t *testing.T) {
	m := i18n.Msg("store.err.not_found", "What", i18n.Msg("store.err.record.patient"), "ID", `"nope"`)
	en := store.RenderMessage(i18n.New(i18n.EN), m)
	for _, withMsg := range []bool{true, false} {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := api.ErrorBody{Error: api.ErrorDetail{Code: api.CodeNotFound, Message: en}}
			if withMsg {
				body.Error.Msg = store.MessageJSON(m)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(body)
		}))
		c, _ := client.New(s.URL, "polku_x", client.Options{})
		_, err := c.Me(context.Background())
		s.Close()
		var ce *client.Error
		if !errors.As(err, &ce) || ce.Message != en {
			t.Fatalf("error %v", err)
		}
		fi, ok := ce.Localize(i18n.New(i18n.FI))
		switch {
		case withMsg && (!ok || fi != `palvelin: potilas "nope": ei löytynyt (404 not_found)`):
			t.Errorf("with a message: %q %v", fi, ok)
		case !withMsg && (ok || !strings.Contains(fi, en)):
			t.Errorf("an older server's error: %q %v", fi, ok)
		}
	}
}

// A server's error about the request rather than a record comes without
// a message: the ones a person meets during a sync are said from their
// code; any other stays the server's English.
func TestErrorSaidFromItsCode(t *testing.T) {
	fi := i18n.New(i18n.FI)
	for code, want := range map[string]string{
		api.CodeRateLimited:  "liikaa pyyntöjä",
		api.CodeUnavailable:  "ei juuri nyt saada yhteyttä",
		api.CodeInternal:     "palvelimella tapahtui virhe",
		api.CodeEpochChanged: "palautettu varmuuskopiosta",
	} {
		e := &client.Error{Status: 503, Code: code, Message: "some English from the server"}
		got, ok := e.Localize(fi)
		if !ok || !strings.Contains(got, want) || strings.Contains(got, "English") {
			t.Errorf("%s: %q (%v), want it to say %q", code, got, ok, want)
		}
	}
	e := &client.Error{Status: 400, Code: api.CodeBadRequest, Message: "limit must be a number"}
	if got, ok := e.Localize(fi); ok || got != e.Error() {
		t.Errorf("a bad request without a message: %q (%v), want the server's text", got, ok)
	}
	// A server that says its own sentence about the request: the one for
	// the person syncing still wins for those codes.
	limited := &client.Error{Status: 429, Code: api.CodeRateLimited, Message: "too many requests for this token: slow down",
		Msg: i18n.Msg("store.err.api.rate_token")}
	if got, ok := limited.Localize(fi); !ok || !strings.Contains(got, "liikaa pyyntöjä: odota hetki") {
		t.Errorf("rate limited with the server's message: %q (%v)", got, ok)
	}
	// A misuse of the API with its message is said in the language.
	takes := i18n.Msg("store.err.api.takes", "Params", "since, check, limit")
	misuse := &client.Error{Status: 400, Code: api.CodeBadRequest,
		Message: `unknown parameter "sinse": GET /v1/changes takes since, check, limit`,
		Msg:     i18n.Msg("store.err.api.unknown_param_route", "Name", `"sinse"`, "Pattern", "GET /v1/changes", "Takes", takes)}
	want := `palvelin: tuntematon parametri "sinse": GET /v1/changes ottaa parametrit since, check, limit (400 bad_request)`
	if got, ok := misuse.Localize(fi); !ok || got != want {
		t.Errorf("a misuse with its message: %q (%v), want %q", got, ok, want)
	}
	if got := store.RenderMessage(i18n.New(i18n.EN), misuse.Msg); got != misuse.Message {
		t.Errorf("the message in English %q, the server's text %q", got, misuse.Message)
	}
}
