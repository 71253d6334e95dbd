package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// Records that a refused push returns are patient data leaving the
// server: each patient whose records come back gets an audit row, also
// when the same refusal is answered again.
func TestRefusedPushRecordsAreAudited(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	ea := f.fx.Enrollments[f.pa.ID]
	m, err := f.db.SendMessage(ctx, store.Actor{ID: "patient:" + f.pa.ID}, store.Message{EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: store.DirectionIn, Body: "patient text"}, "")
	if err != nil {
		t.Fatal(err)
	}
	audits := func() int {
		return f.count("SELECT COUNT(*) FROM audit WHERE patient_id = ? AND actor_id = ? AND action = 'sync-repair' AND device = 'dev-a'", f.pa.ID, f.a.ID)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	body := pushBody("read.mark", store.MarkReadOp{Type: "message", IDs: []string{m.ID, f.db.NewID(now)}, At: now})
	for round := 1; round <= 2; round++ {
		st, resp := f.do("POST", "/v1/ops", f.tok["a"], body)
		if st != 200 || !contains(resp, `"rejected"`) || !contains(resp, "patient text") {
			t.Fatalf("round %d: %d %s", round, st, resp)
		}
		if n := audits(); n != round {
			t.Fatalf("round %d: %d audit rows for the returned records, want %d", round, n, round)
		}
	}
	// A refusal that returns nothing writes no audit row.
	if res := f.pushOne(f.tok["a"], "read.mark", store.MarkReadOp{Type: "message", IDs: []string{f.bMessage.ID}, At: now}); res.Status != api.StatusRejected || len(res.Records) != 0 {
		t.Fatalf("B's message: %+v", res)
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = ? AND action = 'sync-repair'", f.pb.ID); n != 0 {
		t.Fatalf("audit rows for a patient whose records were not returned: %d", n)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
