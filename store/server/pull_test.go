package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// pullPage pulls one page and decodes it.
func (f *fixture) pullPage(token, since, check string, limit int) api.PullResponse {
	f.t.Helper()
	q := url.Values{"since": {since}}
	if check != "" {
		q.Set("check", check)
	}
	if limit > 0 {
		q.Set("limit", fmt.Sprint(limit))
	}
	st, body := f.do("GET", "/v1/changes?"+q.Encode(), token, "")
	var resp api.PullResponse
	if err := json.Unmarshal([]byte(body), &resp); err != nil || st != 200 {
		f.t.Fatalf("pull since %s: %d %s", since, st, body)
	}
	return resp
}

// A patient newly assigned to the caller brings their older records, but
// never more per page than the page's limit: the rest comes on the next
// pages.
func TestNewPatientHistoryIsPaged(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	cursor, check := "0", ""
	for {
		resp := f.pullPage(f.tok["a"], cursor, check, 0)
		cursor, check = resp.Cursor, resp.Check
		if !resp.More {
			break
		}
	}
	eb := f.fx.Enrollments[f.pb.ID]
	if err := f.db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: eb.ID, Version: eb.Version, TherapistID: f.a.ID}); err != nil {
		t.Fatal(err)
	}
	// What A should get of the patient now: every record but B's drafts.
	want := map[string]bool{}
	for _, table := range []string{"patients", "referrals", "enrollments", "submissions", "feedback", "messages", "measure_responses", "notes", "risk_acks", "time_spent"} {
		col := "patient_id"
		if table == "patients" {
			col = "id"
		}
		rows, err := f.db.Reader().Query("SELECT id FROM "+table+" WHERE "+col+" = ?", f.pb.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			rows.Scan(&id)
			want[id] = true
		}
		rows.Close()
	}
	if len(want) < 20 {
		t.Fatalf("the patient has only %d records", len(want))
	}
	const limit = 4
	got := map[string]bool{}
	pages := 0
	for ; pages < 100; pages++ {
		resp := f.pullPage(f.tok["a"], cursor, check, limit)
		if len(resp.Items) > limit {
			t.Fatalf("page %d carries %d items, limit %d", pages, len(resp.Items), limit)
		}
		for _, it := range resp.Items {
			if it.ID == f.bDraft.ID {
				t.Fatalf("B's draft was pulled")
			}
			if it.PatientID == f.pb.ID {
				got[it.ID] = true
			}
		}
		cursor, check = resp.Cursor, resp.Check
		if !resp.More {
			break
		}
	}
	if pages < len(want)/limit {
		t.Fatalf("%d records came in %d pages of %d", len(want), pages+1, limit)
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("record %s of the newly assigned patient never came (%d of %d did)", id, len(got), len(want))
		}
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE actor_id = ? AND patient_id = ? AND action = 'sync-pull'", f.a.ID, f.pb.ID); n == 0 {
		t.Fatalf("no audit row for the newly assigned patient")
	}
	// Caught up: the next page is empty.
	if resp := f.pullPage(f.tok["a"], cursor, check, limit); len(resp.Items) != 0 || resp.More {
		t.Fatalf("after the history: %+v", resp)
	}
}

// The check that comes with a cursor names the change at the cursor: a
// server whose change there is another one (or none) answers 409 resync.
func TestPullCheckDetectsAnotherHistory(t *testing.T) {
	f := newFixture(t, server.Config{})
	resp := f.pullPage(f.tok["a"], "0", "", 0)
	if resp.Check == "" || resp.Cursor == "0" {
		t.Fatalf("first page: cursor %q check %q", resp.Cursor, resp.Check)
	}
	if again := f.pullPage(f.tok["a"], resp.Cursor, resp.Check, 0); again.Check != resp.Check || len(again.Items) != 0 {
		t.Fatalf("the same cursor again: %+v", again)
	}
	// Without a check (an older client), the cursor is taken as it is.
	f.pullPage(f.tok["a"], resp.Cursor, "", 0)
	for _, c := range []struct{ since, check string }{
		{resp.Cursor, strings.Repeat("0", len(resp.Check))},
		{fmt.Sprint(resp.Head + 10), resp.Check},
	} {
		st, body := f.do("GET", "/v1/changes?since="+c.since+"&check="+c.check, f.tok["a"], "")
		if st != 409 || !strings.Contains(body, `"resync"`) {
			t.Fatalf("since %s with check %s: %d %s", c.since, c.check, st, body)
		}
	}
	for _, since := range []string{"1~x", "1~a~b", "x~a~b~c", "0~p~t~i", "1~~t~i"} {
		if st, body := f.do("GET", "/v1/changes?since="+url.QueryEscape(since), f.tok["a"], ""); st != 400 {
			t.Fatalf("since=%s: %d %s", since, st, body)
		}
	}
}
