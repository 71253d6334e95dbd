package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// replicaView is what a replica holds after applying pull pages: records by
// (type, id), with their patient, deletions and revocations applied.
type replicaView map[[2]string]string

func (v replicaView) apply(resp api.PullResponse) {
	for _, p := range resp.Revoked {
		for k, pid := range v {
			if pid == p {
				delete(v, k)
			}
		}
	}
	for _, it := range resp.Items {
		k := [2]string{it.Type, it.ID}
		if it.Deleted {
			delete(v, k)
			continue
		}
		v[k] = it.PatientID
	}
}

// expected is what an actor may hold now: every global record, and every
// record of the patients whose records they may read (drafts only their
// own), read straight from the tables.
func (f *fixture) expected(actorID string, patients []string) replicaView {
	f.t.Helper()
	want := replicaView{}
	add := func(typ, query string, args ...any) {
		rows, err := f.db.Reader().Query(query, args...)
		if err != nil {
			f.t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, pid string
			if err := rows.Scan(&id, &pid); err != nil {
				f.t.Fatal(err)
			}
			want[[2]string{typ, id}] = pid
		}
	}
	for typ, table := range map[string]string{"therapist": "therapists", "program": "program_versions", "instrument": "instruments", "service": "services"} {
		add(typ, "SELECT id, '' FROM "+table)
	}
	add("setting", "SELECT key, '' FROM settings")
	for _, p := range patients {
		add("patient", "SELECT id, id FROM patients WHERE id = ?", p)
		for typ, table := range map[string]string{"referral": "referrals", "assessment": "referral_assessments", "notification": "notifications",
			"enrollment": "enrollments", "submission": "submissions", "feedback": "feedback", "message": "messages", "measure_response": "measure_responses",
			"diary_entry": "diary_entries", "note": "notes", "risk_ack": "risk_acks", "enrollment_event": "enrollment_events", "summary": "summaries",
			"go_ahead": "go_aheads", "time_spent": "time_spent"} {
			add(typ, "SELECT id, patient_id FROM "+table+" WHERE patient_id = ?", p)
		}
		add("draft", "SELECT id, patient_id FROM drafts WHERE patient_id = ? AND therapist_id = ?", p, actorID)
	}
	return want
}

func (f *fixture) sameView(who string, got, want replicaView) {
	f.t.Helper()
	for k, p := range want {
		if _, ok := got[k]; !ok {
			f.t.Errorf("%s: %s %s (patient %q) never came", who, k[0], k[1], p)
		}
	}
	for k, p := range got {
		if _, ok := want[k]; !ok {
			f.t.Errorf("%s: %s %s (patient %q) was pulled and is not theirs to hold", who, k[0], k[1], p)
		}
	}
}

// A first pull walks the current records of what the caller may see: with
// pages of any size it brings exactly the global records and the records of
// the caller's patients (a supervisor's: the team's), and no one else's.
func TestFirstPullWalksWhatTheCallerSees(t *testing.T) {
	f := newFixture(t, server.Config{})
	teamPatients := []string{}
	for _, th := range []store.Therapist{f.a, f.b} {
		for _, p := range f.fx.Patients[th.ID] {
			teamPatients = append(teamPatients, p.ID)
		}
	}
	aPatients := []string{}
	for _, p := range f.fx.Patients[f.a.ID] {
		aPatients = append(aPatients, p.ID)
	}
	for _, c := range []struct {
		who, token, id string
		patients       []string
	}{
		{"a", f.tok["a"], f.a.ID, aPatients},
		{"sup", f.tok["sup"], f.fx.Supervisor.ID, teamPatients},
	} {
		want := f.expected(c.id, c.patients)
		for _, limit := range []int{1, 7, 0} {
			got := replicaView{}
			cursor, check := "0", ""
			pages := 0
			for ; pages < 10_000; pages++ {
				resp := f.pullPage(c.token, cursor, check, limit)
				if limit > 0 && len(resp.Items) > limit {
					t.Fatalf("%s: a page of %d items, limit %d", c.who, len(resp.Items), limit)
				}
				got.apply(resp)
				cursor, check = resp.Cursor, resp.Check
				if !resp.More {
					break
				}
			}
			if limit == 1 && pages < len(want) {
				t.Fatalf("%s: %d records in %d pages of one", c.who, len(want), pages)
			}
			f.sameView(fmt.Sprintf("%s, limit %d", c.who, limit), got, want)
			if strings.Contains(cursor, "~") {
				t.Fatalf("%s: the walk ended on cursor %q", c.who, cursor)
			}
			// Caught up: nothing more.
			if resp := f.pullPage(c.token, cursor, check, limit); len(resp.Items) != 0 || resp.More {
				t.Fatalf("%s after the walk: %+v", c.who, resp)
			}
		}
	}
}

// What happens while a walk is under way is not lost and leaks nothing: a
// record written to a walked patient, a patient assigned to the caller
// (their older records come), a patient taken from the caller after the
// walk sent their records (they are revoked), a patient given and taken
// during the walk (never sent), a draft deleted.
func TestWalkMissesNothingWrittenDuringIt(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	a := store.ActorFor(f.a, "a")
	pa2 := f.fx.Patients[f.a.ID][1]
	draft, err := f.db.SaveDraft(ctx, a, store.Draft{PatientID: f.pa.ID, TargetType: store.DraftNote, TargetID: f.pa.ID, Body: "A's draft"})
	if err != nil {
		t.Fatal(err)
	}
	got := replicaView{}
	cursor, check := "0", ""
	const limit = 5
	// The first page (global records), then B's second patient goes to A
	// for a while: after the walk's horizon, so the walk leaves them to the
	// log, where they come and go.
	resp := f.pullPage(f.tok["a"], cursor, check, limit)
	got.apply(resp)
	cursor, check = resp.Cursor, resp.Check
	pb2 := f.fx.Patients[f.b.ID][1]
	e3 := f.fx.Enrollments[pb2.ID]
	if err := f.db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: e3.ID, Version: f.version(e3.ID), TherapistID: f.a.ID}); err != nil {
		t.Fatal(err)
	}
	// Walk until A's second patient came.
	for pages := 0; ; pages++ {
		resp := f.pullPage(f.tok["a"], cursor, check, limit)
		got.apply(resp)
		cursor, check = resp.Cursor, resp.Check
		if !resp.More || pages > 1000 {
			t.Fatalf("the walk ended before both patients came")
		}
		if _, ok := got[[2]string{"patient", pa2.ID}]; ok {
			break
		}
	}
	if !strings.Contains(cursor, "~w~") {
		t.Fatalf("not in a walk: cursor %q", cursor)
	}
	// During the walk: a message to A's patient, B's patient to A, A's
	// second patient to B, A's draft deleted.
	ea := f.fx.Enrollments[f.pa.ID]
	msg, err := f.db.SendMessage(ctx, store.Actor{ID: "patient:" + f.pa.ID}, store.Message{EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: store.DirectionIn, Body: "written during the walk"}, "")
	if err != nil {
		t.Fatal(err)
	}
	eb := f.fx.Enrollments[f.pb.ID]
	if err := f.db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: eb.ID, Version: f.version(eb.ID), TherapistID: f.a.ID}); err != nil {
		t.Fatal(err)
	}
	e2 := f.fx.Enrollments[pa2.ID]
	if err := f.db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: e2.ID, Version: f.version(e2.ID), TherapistID: f.b.ID}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteDraft(ctx, a, draft.ID, draft.Version); err != nil {
		t.Fatal(err)
	}
	// The walk to its end; then B's second patient goes back to B.
	for pages := 0; strings.Contains(cursor, "~w~"); pages++ {
		resp := f.pullPage(f.tok["a"], cursor, check, limit)
		got.apply(resp)
		cursor, check = resp.Cursor, resp.Check
		if pages > 1000 {
			t.Fatal("too many pages")
		}
	}
	if err := f.db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: e3.ID, Version: f.version(e3.ID), TherapistID: f.b.ID}); err != nil {
		t.Fatal(err)
	}
	// The rest in pages as large as they come, so that the log from the
	// horizon comes in one.
	for pages := 0; ; pages++ {
		resp := f.pullPage(f.tok["a"], cursor, check, 0)
		got.apply(resp)
		cursor, check = resp.Cursor, resp.Check
		if !resp.More {
			break
		}
		if pages > 1000 {
			t.Fatal("too many pages")
		}
	}
	if _, ok := got[[2]string{"message", msg.ID}]; !ok {
		t.Errorf("the message written during the walk never came")
	}
	f.sameView("a", got, f.expected(f.a.ID, []string{f.pa.ID, f.pb.ID}))
}

// A walk's cursor carries the horizon's check: a server restored from
// another history answers 409 resync in the middle of a walk too, and a
// walk cursor that this server did not make is refused.
func TestWalkCursorIsChecked(t *testing.T) {
	f := newFixture(t, server.Config{})
	resp := f.pullPage(f.tok["a"], "0", "", 2)
	if !resp.More || !strings.Contains(resp.Cursor, "~w~") || resp.Check == "" {
		t.Fatalf("first page of two: cursor %q check %q more %v", resp.Cursor, resp.Check, resp.More)
	}
	st, body := f.do("GET", "/v1/changes?since="+url.QueryEscape(resp.Cursor)+"&check="+strings.Repeat("0", len(resp.Check)), f.tok["a"], "")
	if st != 409 || !strings.Contains(body, `"resync"`) {
		t.Fatalf("walk cursor with another check: %d %s", st, body)
	}
	head := fmt.Sprint(resp.Head)
	for _, since := range []string{head + "~w~nosuch~p~i", head + "~w~patient~p~", head + "~w~~p~i", "0~w~patient~p~i", head + "~w~patient~%zz~i"} {
		if st, body := f.do("GET", "/v1/changes?since="+url.QueryEscape(since), f.tok["a"], ""); st != 400 {
			t.Fatalf("since=%s: %d %s", since, st, body)
		}
	}
}

// A replica holds no group record without its patient: a patient assigned
// to the moderator during a walk has their posts come with their records,
// through the log, never before them.
func TestWalkSendsNoPostBeforeItsPatient(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	aActor := store.ActorFor(f.a, "a")
	g, err := f.db.CreatePeerGroup(ctx, aActor, store.PeerGroup{Name: "Sleep talk", Topic: "sleep"})
	if err != nil {
		t.Fatal(err)
	}
	var posts []string
	for i, p := range []store.Patient{f.pa, f.pb} {
		code, _, err := f.db.IssueGroupCode(ctx, aActor, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		now := f.db.Now()
		pt := store.Actor{ID: "patient:" + p.ID, Role: "patient"}
		if err := f.db.Apply(ctx, pt, store.JoinGroupOp{Member: store.GroupMember{ID: f.db.NewID(now), PatientID: p.ID, Alias: fmt.Sprint("Bird", i), JoinedAt: now},
			CodeHash: store.HashGroupCode(code)}); err != nil {
			t.Fatal(err)
		}
		post := store.GroupPost{ID: f.db.NewID(now), GroupID: g.ID, PatientID: p.ID, Body: "hello", PostedAt: now}
		if err := f.db.Apply(ctx, pt, store.AddGroupPostOp{Post: post}); err != nil {
			t.Fatal(err)
		}
		posts = append(posts, post.ID)
	}
	held := map[string]bool{}
	check := func(resp api.PullResponse) {
		for _, it := range resp.Items {
			if it.Type == "patient" {
				held[it.ID] = true
			}
		}
		for _, it := range resp.Items {
			if (it.Type == "group_post" || it.Type == "group_member") && !held[it.PatientID] {
				t.Fatalf("%s %s came before its patient %s", it.Type, it.ID, it.PatientID)
			}
		}
	}
	got := replicaView{}
	resp := f.pullPage(f.tok["a"], "0", "", 3)
	check(resp)
	got.apply(resp)
	// B's patient, who posted in A's group, goes to A during the walk.
	eb := f.fx.Enrollments[f.pb.ID]
	if err := f.db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: eb.ID, Version: f.version(eb.ID), TherapistID: f.a.ID}); err != nil {
		t.Fatal(err)
	}
	for pages := 0; resp.More; pages++ {
		resp = f.pullPage(f.tok["a"], resp.Cursor, resp.Check, 3)
		check(resp)
		got.apply(resp)
		if pages > 2000 {
			t.Fatal("too many pages")
		}
	}
	for _, id := range posts {
		if _, ok := got[[2]string{"group_post", id}]; !ok {
			t.Errorf("post %s never came", id)
		}
	}
}
