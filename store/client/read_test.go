package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"polku/store/api"
	"polku/store/client"
)

// The server takes at most MaxReadIDs ids per request: more are sent in
// several requests, each with its own idempotency key.
func TestMarkFeedbackReadIsChunked(t *testing.T) {
	var sizes []int
	keys := map[string]bool{}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req api.ReadRequest
		json.NewDecoder(r.Body).Decode(&req)
		if len(req.IDs) > client.MaxReadIDs {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":{"code":"bad_request","message":"ids: give 1 to 1000 feedback ids"}}`))
			return
		}
		sizes = append(sizes, len(req.IDs))
		keys[r.Header.Get("Idempotency-Key")] = true
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"type":"read","id":"x","status":"applied"}`))
	}))
	defer s.Close()
	c, _ := client.New(s.URL, "polku_x", client.Options{})
	ids := make([]string, 2500)
	for i := range ids {
		ids[i] = fmt.Sprint("f", i)
	}
	if err := c.MarkFeedbackRead(context.Background(), "k", ids...); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[1000 1000 500]" || len(keys) != 3 {
		t.Fatalf("requests of %v ids with %d keys, want [1000 1000 500] with 3", sizes, len(keys))
	}
}
