package client_test

import (
	"strings"
	"testing"

	"polku/store/client"
)

func TestParseServer(t *testing.T) {
	for addr, want := range map[string]string{
		"https://polku.example.fi":       "https://polku.example.fi",
		"https://polku.example.fi:8443/": "https://polku.example.fi:8443",
		"http://127.0.0.1:7420":          "http://127.0.0.1:7420",
		"http://127.1.2.3:80":            "http://127.1.2.3:80",
		"http://[::1]:7420":              "http://[::1]:7420",
		"http://localhost:7420":          "http://localhost:7420",
		" http://LOCALHOST:1 ":           "http://LOCALHOST:1",
	} {
		u, err := client.ParseServer(addr)
		if err != nil || u.String() != want {
			t.Errorf("ParseServer(%q) = %v, %v; want %s", addr, u, err, want)
		}
	}
	for addr, msg := range map[string]string{
		"http://polku.example.fi":    "use https://polku.example.fi",
		"http://10.0.0.5:7420":       "use https://10.0.0.5:7420",
		"http://0.0.0.0:7420":        "plain http:// is allowed only to this computer",
		"http://localhost.evil:7420": "plain http://",
		"ftp://polku.example.fi":     "give an address like",
		"https://polku.example.fi/x": "without a path",
	} {
		if _, err := client.ParseServer(addr); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseServer(%q) = %v, want an error with %q", addr, err, msg)
		}
	}
	if _, err := client.New("http://polku.example.fi", "polku_x", client.Options{}); err == nil {
		t.Errorf("New accepted plain HTTP to another host")
	}
}
