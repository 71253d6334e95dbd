package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// A push under another epoch (the server was restored since) is refused
// whole, with nothing applied and no result remembered under its keys;
// under the server's epoch, or without the header, it is applied.
func TestPushUnderAnotherEpochIsRefusedWhole(t *testing.T) {
	f := newFixture(t, server.Config{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	ea := f.fx.Enrollments[f.pa.ID]
	msg := store.Message{ID: f.db.NewID(now), EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: store.DirectionOut, TherapistID: f.a.ID, Body: "under an old epoch", SentAt: now}
	body := pushBody("message.send", store.SendMessageOp{Message: msg})
	push := func(epoch string) (int, string) {
		req, _ := http.NewRequest("POST", f.http.URL+"/v1/ops", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.tok["a"])
		req.Header.Set("Content-Type", "application/json")
		if epoch != "" {
			req.Header.Set(api.HeaderEpoch, epoch)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	st, out := push("01a0-an-older-epoch")
	if st != http.StatusConflict || !strings.Contains(out, api.CodeEpochChanged) {
		t.Fatalf("push under another epoch: %d %s", st, out)
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE id = ?", msg.ID); n != 0 {
		t.Fatal("the refused push was applied")
	}
	if n := f.count("SELECT COUNT(*) FROM idempotency WHERE actor_id = ?", f.a.ID); n != 0 {
		t.Fatalf("the refused push left %d idempotency keys", n)
	}
	if st, out := push(f.srv.Epoch()); st != 200 || !strings.Contains(out, `"applied"`) {
		t.Fatalf("push under the server's epoch: %d %s", st, out)
	}
}
