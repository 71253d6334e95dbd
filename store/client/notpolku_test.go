package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"polku/store/client"
)

// An error answer that is not a polku server's (a proxy's HTML page, JSON
// of another shape) is told by its status with a hint at the proxy and at
// most a short, printable first line: never the whole page.
func TestAnswerThatIsNotPolkus(t *testing.T) {
	page := "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>\x1b[31m" + strings.Repeat("<p>nginx is sorry</p>", 5000) + "</body></html>"
	for _, c := range []struct {
		status      int
		ctype, body string
		want        string
	}{
		{502, "text/html", page, "the server answered 502 Bad Gateway (not polku's answer: is a proxy in front of it?): 502 Bad Gateway"},
		{503, "application/json", `{"error":"slow down","retry":3}`, `the server answered 503 Service Unavailable (not polku's answer: is a proxy in front of it?): {"error":"slow down","retry":3}`},
		{404, "text/plain", "", "the server answered 404 Not Found (not polku's answer: is a proxy in front of it?)"},
		{418, "text/plain", strings.Repeat("x", 200), "the server answered 418 I'm a teapot (not polku's answer: is a proxy in front of it?): " + strings.Repeat("x", 80) + "…"},
	} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", c.ctype)
			w.WriteHeader(c.status)
			w.Write([]byte(c.body))
		}))
		cl, err := client.New(ts.URL, "polku_x", client.Options{Backoff: client.Backoff{Attempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Me(context.Background())
		ts.Close()
		if err == nil || err.Error() != c.want {
			t.Errorf("%d %s:\n got %v\nwant %s", c.status, c.ctype, err, c.want)
		}
	}
}
