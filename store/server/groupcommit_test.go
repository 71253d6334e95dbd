package server_test

import (
	"encoding/json"
	"sort"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// Pushes that wait while another commits are committed together, and
// every check still holds inside the group: the same op pushed twice at
// once under one key (a retry racing the original) is applied once and
// answered "duplicate" the second time; an op the caller may not push is
// refused without sinking the others.
func TestPushesCommittedTogether(t *testing.T) {
	fileOnly(t) // a cluster commits every operation alone
	f := newFixture(t, server.Config{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	ea, eb := f.fx.Enrollments[f.pa.ID], f.fx.Enrollments[f.pb.ID]
	msg := func(body string) store.SendMessageOp {
		return store.SendMessageOp{Message: store.Message{ID: f.db.NewID(now), EnrollmentID: ea.ID, PatientID: f.pa.ID,
			Direction: store.DirectionOut, TherapistID: f.a.ID, Body: body, SentAt: now}}
	}
	push := func(key string, op store.SendMessageOp) api.PushResult {
		body := mustJSON(api.PushRequest{Ops: []api.PushOp{{Key: key, Type: "message.send", Op: json.RawMessage(mustJSON(op))}}})
		st, out := f.do("POST", "/v1/ops", f.tok["a"], body)
		var resp api.PushResponse
		if err := json.Unmarshal([]byte(out), &resp); err != nil || st != 200 || len(resp.Results) != 1 {
			t.Errorf("push %s: %d %s", key, st, out)
			return api.PushResult{}
		}
		return resp.Results[0]
	}
	// The first push holds the writer until the others wait.
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	server.SetAfterAuthorize(f.srv, func() {
		once.Do(func() {
			close(started)
			<-release
		})
	})
	firstRes := make(chan api.PushResult, 1)
	go func() { firstRes <- push("first", msg("first")) }()
	<-started
	before := f.db.GroupCommitStats()

	retried := msg("sent twice")
	foreign := msg("to B's patient")
	foreign.Message.EnrollmentID, foreign.Message.PatientID = eb.ID, f.pb.ID
	after := msg("after the refusal")
	type res struct {
		name string
		r    api.PushResult
	}
	results := make(chan res, 4)
	var wg sync.WaitGroup
	for i, p := range []struct {
		name, key string
		op        store.SendMessageOp
	}{{"retry-1", "twice", retried}, {"retry-2", "twice", retried}, {"foreign", "foreign", foreign}, {"after", "after", after}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- res{p.name, push(p.key, p.op)}
		}()
		deadline := time.Now().Add(10 * time.Second)
		for f.db.GroupCommitStats().Waiting != i+1 {
			if time.Now().After(deadline) {
				t.Fatalf("push %s did not queue", p.name)
			}
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	wg.Wait()
	close(results)
	if r := <-firstRes; r.Status != api.StatusApplied {
		t.Fatalf("first: %+v", r)
	}
	got := map[string]api.PushResult{}
	for r := range results {
		got[r.name] = r.r
	}
	retries := []string{got["retry-1"].Status, got["retry-2"].Status}
	sort.Strings(retries)
	if retries[0] != api.StatusApplied || retries[1] != api.StatusDuplicate {
		t.Errorf("the same op twice under one key: %v, want applied and duplicate", retries)
	}
	if r := got["foreign"]; r.Status != api.StatusRejected || r.Code != api.CodeForbidden {
		t.Errorf("a message on B's enrollment: %+v, want rejected (forbidden)", r)
	}
	if r := got["after"]; r.Status != api.StatusApplied {
		t.Errorf("the op after a refusal: %+v", r)
	}
	if st := f.db.GroupCommitStats(); st.Groups-before.Groups != 2 {
		t.Errorf("%d groups after the first, want 1 (with all four waiting pushes)", st.Groups-before.Groups-1)
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE id = ?", retried.Message.ID); n != 1 {
		t.Errorf("the twice-pushed message is stored %d times", n)
	}
	if n := f.count("SELECT COUNT(*) FROM idempotency WHERE key = 'twice'"); n != 1 {
		t.Errorf("%d idempotency rows for the key pushed twice", n)
	}
	if n := f.count("SELECT COUNT(*) FROM messages WHERE id = ?", foreign.Message.ID); n != 0 {
		t.Errorf("the refused message was stored")
	}
}
