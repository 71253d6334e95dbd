package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	"polku/internal/i18n"
	"polku/store/client"
	"polku/store/rqlite"
)

// A failed connection is told as what to do next whether the client wraps
// it in a *url.Error (net/http) or hands on the *net.OpError itself.
func TestNetMessage(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 7420},
		Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("sync with http://127.0.0.1:7420: %w", &url.Error{Op: "Post", URL: "http://127.0.0.1:7420/v1/push", Err: refused}),
			"sync with http://127.0.0.1:7420: connection refused; is `polku serve` running there?"},
		{fmt.Errorf("pull: %w", refused), "pull: cannot reach 127.0.0.1:7420: connection refused; is `polku serve` running there?"},
		{&url.Error{Op: "Get", URL: "https://polku.invalid/v1/me", Err: &net.DNSError{Err: "no such host", Name: "polku.invalid"}},
			`cannot reach https://polku.invalid: no such host "polku.invalid"; check the --server address`},
		{fmt.Errorf("open rqlite://127.0.0.1:4001: %w", &rqlite.UnavailableError{Err: &url.Error{Op: "Post", URL: "http://127.0.0.1:4001/db/query", Err: refused}}),
			"open rqlite://127.0.0.1:4001: the rqlite cluster cannot be reached: cannot reach http://127.0.0.1:4001: connection refused; is rqlited running there?"},
		{errors.New("plain"), "plain"},
	} {
		got := netMessage(i18n.New(i18n.EN), c.err)
		if got != c.want {
			t.Errorf("netMessage(%q)\n got %q\nwant %q", c.err, got, c.want)
		}
		if strings.Contains(got, "dial tcp") {
			t.Errorf("raw dial error left in %q", got)
		}
	}
}

// The same in Finnish: the sentence is the reader's, the address and the
// host stay as they are.
func TestNetMessageInFinnish(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "https://polku.invalid/v1/me", Err: &net.DNSError{Err: "no such host", Name: "polku.invalid"}}
	got := netMessage(i18n.New(i18n.FI), err)
	want := `palvelimeen https://polku.invalid ei saada yhteyttä: palvelinta "polku.invalid" ei löydy; tarkista --server-osoite`
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// The English of the plain-http reason is the client's own.
	if en := i18n.New(i18n.EN).T("cli.net.plain_http"); en != client.PlainHTTPReason {
		t.Errorf("cli.net.plain_http is %q, the client says %q", en, client.PlainHTTPReason)
	}
}
