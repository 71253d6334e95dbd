package server

import (
	"errors"
	"fmt"
	"testing"

	"polku/internal/i18n"
	"polku/store"
)

// A store error becomes an answer with its message beside its text; a
// wrapped one (whose text has words the message has not) and a plain
// error carry none; the server's own refusals carry theirs.
func TestStoreErrorCarriesItsMessage(t *testing.T) {
	m := i18n.Msg("store.err.not_found", "What", i18n.Msg("store.err.record.patient"), "ID", `"p"`)
	err := store.NewError(store.ErrNotFound, m)
	var me *msgHTTPError
	if !errors.As(storeError(err), &me) || me.m.ID != m.ID || me.msg != err.Error() || errorMsg(err) == nil {
		t.Errorf("a store error: %#v", storeError(err))
	}
	wrapped := fmt.Errorf("reading: %w", err)
	if errors.As(storeError(wrapped), &me) || errorMsg(wrapped) != nil {
		t.Errorf("a wrapped store error keeps a message: %v", storeError(wrapped))
	}
	if errors.As(storeError(errors.New("x")), &me) {
		t.Error("a plain error has a message")
	}
	f := forbiddenm("store.err.push.own_id", "Field", "id")
	var he *httpError
	if !errors.As(f, &he) || he.msg != "id must be your own id" || errorMsg(f) == nil {
		t.Errorf("forbiddenm: %#v", f)
	}
}

// The answer to a bad token is written out in English (the catalogs are
// not read when the package loads): it is its message in English.
func TestUnauthorizedTextIsItsMessage(t *testing.T) {
	var me *msgHTTPError
	if !errors.As(errUnauthorized, &me) {
		t.Fatal("errUnauthorized has no message")
	}
	if got := store.RenderMessage(english(), me.m); got != me.msg {
		t.Errorf("the message says %q, the text %q", got, me.msg)
	}
}

// The cost of an answer's sentence: rendered from the catalog (and as
// JSON for error.msg) against the Sprintf it was before.
func BenchmarkBadRequestMessage(b *testing.B) {
	for b.Loop() {
		err := badRequestm("store.err.api.param_twice", "Name", `"since"`, "N", 2)
		_ = store.MessageJSON(err.(*msgHTTPError).m)
	}
}

func BenchmarkBadRequestSprintf(b *testing.B) {
	for b.Loop() {
		_ = badRequest("parameter %q given %d times", "since", 2)
	}
}

// A message without arguments (a rate limit, a bad token) is rendered
// once per printer.
func BenchmarkRateLimitedMessage(b *testing.B) {
	for b.Loop() {
		err := errm(429, "rate_limited", "store.err.api.rate_token")
		_ = store.MessageJSON(err.(*msgHTTPError).m)
	}
}
