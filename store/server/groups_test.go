package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

func TestPortalPeerGroupsAndGroupMessages(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	aActor := store.ActorFor(f.a, "a")
	g, err := f.db.CreatePeerGroup(ctx, aActor, store.PeerGroup{Name: "Sleep talk", Topic: "sleep"})
	if err != nil {
		t.Fatal(err)
	}
	code := func() string {
		c, _, err := f.db.IssueGroupCode(ctx, aActor, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Join: a wrong code, an alias naming the patient, then right.
	if st, body := f.do("POST", "/v1/patient/groups/join", f.tok["pa"], `{"code":"AAAA-BBBB-CCCC","alias":"Owl"}`); st != 400 || !strings.Contains(body, "not a join code") {
		t.Fatalf("wrong code: %d %s", st, body)
	}
	c1 := code()
	if st, body := f.do("POST", "/v1/patient/groups/join", f.tok["pa"], mustJSON(api.JoinGroupRequest{Code: c1, Alias: f.pa.Pseudonym + "x"})); st != 400 || !strings.Contains(body, "names you") {
		t.Fatalf("alias with the pseudonym: %d %s", st, body)
	}
	if st, body := f.do("POST", "/v1/patient/groups/join", f.tok["pa"], mustJSON(api.JoinGroupRequest{Code: strings.ToLower(c1), Alias: "Owl"})); st != 201 {
		t.Fatalf("join: %d %s", st, body)
	}
	if st, body := f.do("POST", "/v1/patient/groups/join", f.tok["pb"], mustJSON(api.JoinGroupRequest{Code: c1, Alias: "Lark"})); st != 400 || !strings.Contains(body, "used") {
		t.Fatalf("a used code: %d %s", st, body)
	}
	if st, body := f.do("POST", "/v1/patient/groups/join", f.tok["pb"], mustJSON(api.JoinGroupRequest{Code: code(), Alias: "Lark"})); st != 201 {
		t.Fatalf("join pb: %d %s", st, body)
	}
	// Posts: hostile ones are cleaned or refused.
	path := "/v1/patient/groups/" + g.ID + "/posts"
	for name, body := range map[string]string{"empty": `{"body":""}`, "controls": `{"body":"\u001b[2J\u0007"}`,
		"long": mustJSON(api.PostRequest{Body: strings.Repeat("y", store.MaxPost+1)})} {
		if st, out := f.do("POST", path, f.tok["pa"], body); st != 400 {
			t.Errorf("%s post: %d %s", name, st, out)
		}
	}
	st, out := f.do("POST", path, f.tok["pa"], `{"body":"Hello \u001b[31mall\u001b[0m"}`)
	if st != 201 {
		t.Fatalf("post: %d %s", st, out)
	}
	var created api.Created
	json.Unmarshal([]byte(out), &created)
	p, _ := f.db.PostOf(ctx, created.ID)
	if p.Body != "Hello all" || p.Status != store.PostPending {
		t.Fatalf("stored post %+v", p)
	}
	// A patient outside the group cannot post to it.
	if st, _ := f.do("POST", path, f.tok["pb"]+"x", `{"body":"x"}`); st != 401 {
		t.Fatalf("bad token: %d", st)
	}
	// pb sees nothing yet; approved by a, pb sees it under the alias.
	list := func(tok string) api.GroupList {
		st, out := f.do("GET", "/v1/patient/groups", tok, "")
		if st != 200 {
			t.Fatalf("groups: %d %s", st, out)
		}
		var l api.GroupList
		json.Unmarshal([]byte(out), &l)
		return l
	}
	if l := list(f.tok["pb"]); len(l.Groups) != 1 || len(l.Groups[0].Posts) != 0 {
		t.Fatalf("before approval pb sees %+v", l)
	}
	if err := f.db.Moderate(ctx, aActor, p.ID, store.ModApprove, "", p.Version); err != nil {
		t.Fatal(err)
	}
	if l := list(f.tok["pb"]); len(l.Groups[0].Posts) != 1 || l.Groups[0].Posts[0].Author != "Owl" || l.Groups[0].Posts[0].Body != "Hello all" {
		t.Fatalf("after approval pb sees %+v", l)
	}
	// b (not the group's moderator) may not moderate; the admin may not read the queue.
	if err := f.db.Moderate(ctx, store.ActorFor(f.b, "b"), p.ID, store.ModHide, "", p.Version+1); err == nil {
		t.Fatal("b moderated a's group")
	}
	// A risk post by pb is held and raised for b, pb's therapist.
	st, out = f.do("POST", path, f.tok["pb"], `{"body":"I want to die"}`)
	json.Unmarshal([]byte(out), &created)
	if st != 201 {
		t.Fatalf("risk post: %d %s", st, out)
	}
	if l := list(f.tok["pa"]); len(l.Groups[0].Posts) != 1 {
		t.Fatalf("pa sees a held post: %+v", l)
	}
	if l := list(f.tok["pb"]); len(l.Groups[0].Posts) != 2 || l.Groups[0].Posts[1].Status != store.PostPending {
		t.Fatalf("pb sees own held post as %+v", l.Groups[0].Posts)
	}
	q, err := f.db.Triage(ctx, store.ActorFor(f.b, "b"), f.b.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range q.Items {
		for _, r := range it.Reasons {
			found = found || (r.SourceType == store.RiskSourcePost && r.SourceID == created.ID)
		}
	}
	if !found {
		t.Fatal("the held post raised no flag in b's queue")
	}
	// Leaving: pa's post then shows as a former member.
	if st, out := f.do("POST", "/v1/patient/groups/"+g.ID+"/leave", f.tok["pa"], `{}`); st != 201 {
		t.Fatalf("leave: %d %s", st, out)
	}
	if l := list(f.tok["pb"]); l.Groups[0].Posts[0].Author != store.FormerMember {
		t.Fatalf("after leaving: %+v", l.Groups[0].Posts)
	}

	// A group message reaches every member of the cohort, and only them.
	pv, _ := f.db.ProgramVersion(ctx, f.fx.Enrollments[f.pa.ID].ProgramID, 0)
	c, err := f.db.CreateCohort(ctx, aActor, store.Cohort{Name: "Autumn", ProgramVersionID: pv.ID, StartDate: f.db.Now().Format("2006-01-02"), Capacity: 8, TherapistIDs: []string{f.a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	op, _ := f.db.CohortEnrollment(ctx, c, f.pa.ID, "")
	if err := f.db.Apply(ctx, aActor, op); err != nil {
		t.Fatal(err)
	}
	gm, err := f.db.SendGroupMessage(ctx, aActor, store.GroupMessage{CohortID: c.ID, Body: "Welcome, everyone"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := func(tok string) api.GroupMessageList {
		st, out := f.do("GET", "/v1/patient/group-messages", tok, "")
		if st != 200 {
			t.Fatalf("group messages: %d %s", st, out)
		}
		var l api.GroupMessageList
		json.Unmarshal([]byte(out), &l)
		return l
	}
	if l := msgs(f.tok["pa"]); len(l.Messages) != 1 || l.Messages[0].ID != gm.ID {
		t.Fatalf("pa: %+v", l)
	}
	if l := msgs(f.tok["pb"]); len(l.Messages) != 0 {
		t.Fatalf("pb outside the cohort: %+v", l)
	}
	// Therapist tokens do not use the portal endpoints; reads are audited.
	if st, _ := f.do("GET", "/v1/patient/groups", f.tok["a"], ""); st != 403 {
		t.Fatalf("therapist on the portal: %d", st)
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = ? AND detail LIKE 'group messages%'", f.pa.ID); n != 1 {
		t.Fatalf("%d audit rows of group-message reads", n)
	}
}

func TestPushedGroupOpsAreAuthorized(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	pv, _ := f.db.ProgramVersion(ctx, f.fx.Enrollments[f.pa.ID].ProgramID, 0)
	now := f.db.Now()
	c := store.Cohort{ID: f.db.NewID(now), Name: "Autumn", ProgramVersionID: pv.ID, ProgramID: pv.ProgramID, StartDate: now.Format("2006-01-02"),
		Capacity: 8, TherapistIDs: []string{f.a.ID}, CreatedAt: now, UpdatedAt: now, Version: 1}
	if res := f.pushOne(f.tok["a"], "cohort.create", store.CreateCohortOp{Cohort: c}); res.Status != api.StatusApplied {
		t.Fatalf("create: %+v", res)
	}
	// a adds a's patient; a may not add b's patient; b may not add to a's cohort.
	add := func(tok string, p store.Patient) api.PushResult {
		op, err := f.db.CohortEnrollment(ctx, c, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		return f.pushOne(f.tok[tok], "cohort.add", op)
	}
	if res := add("a", f.pa); res.Status != api.StatusApplied {
		t.Fatalf("a adding pa: %+v", res)
	}
	if res := add("a", f.pb); res.Status != api.StatusRejected {
		t.Fatalf("a adding b's patient: %+v", res)
	}
	msg := func(tok string, th store.Therapist) api.PushResult {
		at := f.db.Now()
		return f.pushOne(f.tok[tok], "cohort.message", store.SendGroupMessageOp{Message: store.GroupMessage{ID: f.db.NewID(at), CohortID: c.ID,
			TherapistID: th.ID, Body: "Welcome", SentAt: at}})
	}
	if res := msg("b", f.b); res.Status != api.StatusRejected {
		t.Fatalf("b messaging a's cohort: %+v", res)
	}
	if res := msg("b", f.a); res.Status != api.StatusRejected {
		t.Fatalf("b messaging as a: %+v", res)
	}
	if res := msg("sup", f.a); res.Status != api.StatusRejected {
		t.Fatalf("supervisor messaging: %+v", res)
	}
	if res := msg("a", f.a); res.Status != api.StatusApplied {
		t.Fatalf("a messaging: %+v", res)
	}
	if n := f.count("SELECT COUNT(*) FROM group_messages"); n != 1 {
		t.Fatalf("%d group messages", n)
	}
	// Patients' own group ops are not pushed.
	if st, body := f.do("POST", "/v1/ops", f.tok["a"], pushBody("group.post", store.AddGroupPostOp{})); st == 200 && !strings.Contains(body, "unknown operation type") {
		t.Fatalf("group.post pushed: %d %s", st, body)
	}
}
