package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
)

// Localize is the error in p's language: the server's sentence rendered
// from its message, in the form Error has. ok is false when the server
// sent no message (an older server): the English text is all there is.
//
// A server's error about the request itself rather than a record (too
// many requests, the store unavailable, a new epoch, an internal error)
// is said from its code, with what the person at the keyboard does
// about it during a sync, whatever message the server sent (an older
// server sends none); an error of another code without a message stays
// the server's English.
func (e *Error) Localize(p *i18n.Printer) (s string, ok bool) {
	if e.Code == CodeNotPolku {
		return e.Error(), false
	}
	m, ok := codeMessage(e.Code)
	if !ok {
		if m = e.Msg; m.ID == "" {
			return e.Error(), false
		}
	}
	return p.T("store.err.server", "Msg", store.RenderMessage(p, m), "Status", e.Status, "Code", e.Code), true
}

// LocalizeError says err in p's language: a server's error (an *Error)
// as Localize says it, or a store error from its message, in place of
// its English words within err's text (a wrapper's own words stay). ok
// is false when neither has a message.
func LocalizeError(p *i18n.Printer, err error) (string, bool) {
	var ce *Error
	if errors.As(err, &ce) {
		if local, ok := ce.Localize(p); ok {
			msg := err.Error()
			if i := strings.Index(msg, ce.Error()); i >= 0 {
				return msg[:i] + local + msg[i+len(ce.Error()):], true
			}
			return local, true
		}
	}
	return store.LocalizeError(p, err)
}

// codeMessage is the sentence of a server error that comes without a
// message, by its code.
func codeMessage(code string) (i18n.Message, bool) {
	switch code {
	case api.CodeRateLimited:
		return i18n.Msg("store.err.server_rate_limited"), true
	case api.CodeUnavailable:
		return i18n.Msg("store.err.server_unavailable"), true
	case api.CodeInternal:
		return i18n.Msg("store.err.server_internal"), true
	case api.CodeEpochChanged:
		return i18n.Msg("store.err.server_epoch_changed"), true
	case api.CodeTooLarge:
		return i18n.Msg("store.err.server_too_large"), true
	case api.CodeUnauthorized:
		return i18n.Msg("store.err.server_unauthorized"), true
	}
	return i18n.Message{}, false
}

// UnreachableError says the server could not be reached at all: nothing
// listens there, the name does not resolve, the network is down or the
// connection timed out. URL is the server's address (never a path or a
// token), Err the network error. Commands print it as it is and may add
// what to do ("is 'polku serve' running there?").
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string { return "cannot reach " + e.URL + ": " + e.Reason() }
func (e *UnreachableError) Unwrap() error { return e.Err }

// Reason says in a few words why the server could not be reached.
func (e *UnreachableError) Reason() string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(e.Err, http.ErrSchemeMismatch):
		return PlainHTTPReason
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(e.Err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(e.Err, syscall.ENETUNREACH), errors.Is(e.Err, syscall.EHOSTUNREACH):
		return "no route to the host"
	case errors.As(e.Err, &dns) && dns.IsNotFound:
		return "no such host"
	case errors.As(e.Err, &dns):
		return "the host name could not be looked up"
	case errors.Is(e.Err, os.ErrDeadlineExceeded), errors.As(e.Err, &ne) && ne.Timeout():
		return "timed out"
	}
	// The innermost error, without the "Get URL:" and "dial tcp" wrappers.
	err := e.Err
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// PlainHTTPReason is why an https:// address fails when the server there
// speaks plain http.
const PlainHTTPReason = "the server speaks plain http: use http:// for a server on this computer (127.0.0.1), or give the server TLS ('polku serve --tls-cert FILE --tls-key FILE')"

// RedirectError says the server redirected to another origin (another
// scheme, host or port). The client never follows such a redirect: the
// token would go to whoever is there.
type RedirectError struct {
	From, To string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the server at %s redirected to %s, another address: not followed (the token goes only to the server you logged in to; check the address)", e.From, e.To)
}

// unreachable wraps a transport error, unless it is the caller's own
// cancellation or a refused redirect.
func unreachable(base *url.URL, err error) error {
	var re *RedirectError
	if errors.As(err, &re) {
		return re
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &UnreachableError{URL: base.String(), Err: err}
}
