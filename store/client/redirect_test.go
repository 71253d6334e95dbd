package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"polku/store/client"
)

// other is a server on another origin that counts requests and remembers
// whether one carried a token.
func other(t *testing.T, tlsServer bool) (*httptest.Server, *atomic.Int32, *atomic.Bool) {
	var hits atomic.Int32
	var sawToken atomic.Bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			sawToken.Store(true)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"kind":"therapist","epoch":"e"}`))
	})
	var s *httptest.Server
	if tlsServer {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s, &hits, &sawToken
}

func redirector(t *testing.T, tlsServer bool, to string) *httptest.Server {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, to+r.URL.Path, http.StatusTemporaryRedirect)
	})
	var s *httptest.Server
	if tlsServer {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func TestRedirectToAnotherPortIsNotFollowed(t *testing.T) {
	dst, hits, sawToken := other(t, false)
	src := redirector(t, false, dst.URL) // same host 127.0.0.1, another port
	c, err := client.New(src.URL, "polku_secret", client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background())
	var re *client.RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("Me through a redirect to %s: %v, want a *client.RedirectError", dst.URL, err)
	}
	if !strings.Contains(err.Error(), dst.URL) {
		t.Errorf("error %q does not name where the server redirected to", err)
	}
	if hits.Load() != 0 || sawToken.Load() {
		t.Errorf("the other origin got %d requests (token sent: %v)", hits.Load(), sawToken.Load())
	}
}

func TestRedirectToAnotherHostIsNotFollowed(t *testing.T) {
	dst, hits, _ := other(t, false)
	// localhost and 127.0.0.1 are the same machine but another origin.
	to := strings.Replace(dst.URL, "127.0.0.1", "localhost", 1)
	src := redirector(t, false, to)
	c, _ := client.New(src.URL, "polku_secret", client.Options{})
	if _, err := c.Me(context.Background()); err == nil {
		t.Fatal("a redirect to another host was followed")
	}
	if hits.Load() != 0 {
		t.Errorf("the other host got %d requests", hits.Load())
	}
}

func TestRedirectFromHTTPSToHTTPIsNotFollowed(t *testing.T) {
	dst, hits, sawToken := other(t, false)
	src := redirector(t, true, dst.URL)
	// The TLS test server's own client trusts its certificate; the
	// client must still refuse the redirect with it.
	c, err := client.New(src.URL, "polku_secret", client.Options{HTTP: src.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background())
	var re *client.RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("https to http redirect: %v, want a *client.RedirectError", err)
	}
	if hits.Load() != 0 || sawToken.Load() {
		t.Errorf("the http origin got %d requests (token sent: %v)", hits.Load(), sawToken.Load())
	}
}

func TestRedirectOnTheSameOriginIsFollowed(t *testing.T) {
	var got atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/me", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v1/me2", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/v1/me2", func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`{"kind":"therapist","epoch":"e"}`))
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	c, _ := client.New(s.URL, "polku_secret", client.Options{})
	me, err := c.Me(context.Background())
	if err != nil || me.Epoch != "e" {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	if got.Load() != "Bearer polku_secret" {
		t.Errorf("same-origin redirect carried %q", got.Load())
	}
}

func TestUnreachableServer(t *testing.T) {
	s := httptest.NewServer(http.NotFoundHandler())
	url := s.URL
	s.Close() // nothing listens there now
	c, _ := client.New(url, "polku_secret", client.Options{})
	_, err := c.Me(context.Background())
	var ue *client.UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("Me on a closed port: %v (%T), want a *client.UnreachableError", err, err)
	}
	if ue.URL != url || ue.Reason() != "connection refused" {
		t.Errorf("UnreachableError{URL: %q, Reason: %q}, want %q and \"connection refused\"", ue.URL, ue.Reason(), url)
	}
	if want := "cannot reach " + url + ": connection refused"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if !client.IsOffline(err) {
		t.Errorf("IsOffline(%v) = false", err)
	}
}
