package tui

import (
	"context"
	"strings"
	"testing"

	"polku/store"
	"polku/tui/internal/fixture"
	"polku/tui/pages/cohort"
	"polku/tui/pages/moderation"
)

// groupFixture: anna's cohort Spring with P-0003 and P-0005, its peer
// group, both members in it, and two posts waiting (one by each).
type groupSetup struct {
	cohort store.Cohort
	group  store.PeerGroup
	posts  []store.GroupPost
	pats   []store.Patient
}

func setupGroups(t testing.TB, f *fixture.Fixture) groupSetup {
	t.Helper()
	ctx := context.Background()
	db := f.DB
	anna := fixture.Actor(f.Anna)
	var g groupSetup
	pv, err := db.ProgramVersion(ctx, "depression", 0)
	if err != nil {
		t.Fatal(err)
	}
	if g.cohort, err = db.CreateCohort(ctx, anna, store.Cohort{Name: "Spring", ProgramVersionID: pv.ID, StartDate: "2026-11-02", Capacity: 10,
		TherapistIDs: []string{f.Anna.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err = db.CreateCohort(ctx, anna, store.Cohort{Name: "Autumn", ProgramVersionID: pv.ID, StartDate: "2027-01-04", Capacity: 8,
		TherapistIDs: []string{f.Anna.ID}}); err != nil {
		t.Fatal(err)
	}
	if g.group, err = db.CreatePeerGroup(ctx, anna, store.PeerGroup{Name: "Spring peers", CohortID: g.cohort.ID}); err != nil {
		t.Fatal(err)
	}
	for i, ps := range []string{"P-0003", "P-0005"} {
		p, err := db.ResolvePatient(ctx, ps)
		if err != nil {
			t.Fatal(err)
		}
		op, err := db.CohortEnrollment(ctx, g.cohort, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Apply(ctx, anna, op); err != nil {
			t.Fatal(err)
		}
		code, _, err := db.IssueGroupCode(ctx, anna, g.group.ID)
		if err != nil {
			t.Fatal(err)
		}
		pa := store.Actor{ID: "patient:" + p.ID, Role: "patient"}
		now := db.Now()
		if err := db.Apply(ctx, pa, store.JoinGroupOp{Member: store.GroupMember{ID: db.NewID(now), PatientID: p.ID, Alias: []string{"Owl", "Lark"}[i], JoinedAt: now},
			CodeHash: store.HashGroupCode(code)}); err != nil {
			t.Fatal(err)
		}
		post := store.GroupPost{ID: db.NewID(now), GroupID: g.group.ID, PatientID: p.ID, Body: []string{"The worry time helped", "Hard week"}[i], PostedAt: now}
		if err := db.Apply(ctx, pa, store.AddGroupPostOp{Post: post}); err != nil {
			t.Fatal(err)
		}
		g.posts = append(g.posts, post)
		g.pats = append(g.pats, p)
	}
	return g
}

func TestModerationQueueApproveRejectHide(t *testing.T) {
	f := newFixture(t)
	g := setupGroups(t, f)
	ctx := context.Background()
	h := newHarness(t, options(f, f.Anna), 100, 30)
	h.fx = f
	h.keys("m")
	p, ok := h.m.Top().(*moderation.Page)
	if !ok {
		t.Fatalf("m opened %T", h.m.Top())
	}
	v := h.view()
	mustContain(t, v, "Posts waiting for moderation", "Owl", "Lark", "Spring peers")
	if len(p.Posts()) != 2 {
		t.Fatalf("%d posts", len(p.Posts()))
	}
	h.keys("a")
	if st, _ := f.DB.PostOf(ctx, g.posts[0].ID); st.Status != store.PostApproved || st.DecidedBy != f.Anna.ID {
		t.Fatalf("after a: %+v", st)
	}
	if len(p.Posts()) != 1 {
		t.Fatalf("the approved post is still waiting: %+v", p.Posts())
	}
	// Reject asks for a reason; enter without one does nothing.
	h.keys("x")
	if !p.InputFocused() {
		t.Fatal("x opens the reason field")
	}
	h.keys("enter")
	if st, _ := f.DB.PostOf(ctx, g.posts[1].ID); st.Status != store.PostPending {
		t.Fatal("rejected without a reason")
	}
	h.typeText("Please post about yourself only")
	h.keys("enter")
	st, _ := f.DB.PostOf(ctx, g.posts[1].ID)
	if st.Status != store.PostRejected || st.Reason != "Please post about yourself only" {
		t.Fatalf("after reject: %+v", st)
	}
	// Every post: hide the approved one later.
	h.keys("v")
	mustContain(t, h.view(), "Every post", "approved", "rejected")
	for i, q := range p.Posts() {
		if q.ID == g.posts[0].ID {
			for j := 0; j < i; j++ {
				h.keys("j")
			}
		}
	}
	h.keys("d")
	if st, _ := f.DB.PostOf(ctx, g.posts[0].ID); st.Status != store.PostHidden {
		t.Fatalf("after d: %+v", st)
	}
	ds, _ := f.DB.PostDecisions(ctx, g.posts[0].ID)
	if len(ds) != 2 || ds[0].Action != store.ModApprove || ds[1].Action != store.ModHide {
		t.Fatalf("decisions %+v", ds)
	}
	h.keys("esc")
	if _, ok := h.m.Top().(*moderation.Page); ok {
		t.Fatal("esc goes back")
	}
}

func TestModerationReadOnlyForSupervisorAndNoneForAdmin(t *testing.T) {
	f := newFixture(t)
	g := setupGroups(t, f)
	h := newHarness(t, options(f, f.Sara), 100, 30)
	h.keys("m")
	mustContain(t, h.view(), "read-only", "Owl")
	h.keys("a")
	if st, _ := f.DB.PostOf(context.Background(), g.posts[0].ID); st.Status != store.PostPending {
		t.Fatal("a supervisor approved a post")
	}
	adm := addAdmin(t, f)
	ha := newHarness(t, options(f, adm), 100, 30)
	ha.keys("m", "c")
	if len(ha.m.stack) != 1 {
		t.Fatalf("an admin opened %T", ha.m.Top())
	}
}

func TestCohortViewAndGroupMessage(t *testing.T) {
	f := newFixture(t)
	g := setupGroups(t, f)
	ctx := context.Background()
	h := newHarness(t, options(f, f.Anna), 100, 40)
	h.keys("c")
	if _, ok := h.m.Top().(*cohort.Page); !ok {
		t.Fatalf("c opened %T", h.m.Top())
	}
	mustContain(t, h.view(), "Cohorts", "Spring", "2/10")
	h.keys("enter")
	mustContain(t, h.view(), "P-0003", "P-0005", "This week's module", "0 of 2 done")
	h.keys("w")
	h.typeText("Week 3 opens today.")
	h.keys("ctrl+s")
	msgs, _ := f.DB.GroupMessagesOf(ctx, g.pats[0].ID)
	if len(msgs) != 1 || msgs[0].Body != "Week 3 opens today." {
		t.Fatalf("group messages %+v", msgs)
	}
	mustContain(t, h.view(), "Group messages", "Week 3 opens today.")
	// A message naming a member asks first.
	h.keys("w")
	h.typeText("Thanks Aino for sharing")
	h.keys("ctrl+s")
	mustContain(t, h.view(), "The message names P-0003")
	if msgs, _ := f.DB.GroupMessagesOf(ctx, g.pats[0].ID); len(msgs) != 1 {
		t.Fatal("sent without confirmation")
	}
	h.keys("n")
	h.keys("ctrl+s", "y")
	if msgs, _ := f.DB.GroupMessagesOf(ctx, g.pats[1].ID); len(msgs) != 2 {
		t.Fatalf("after y: %d messages", len(msgs))
	}
	// Scores by week with the band.
	for _, p := range g.pats {
		rec, _ := f.DB.PatientRecord(ctx, store.System("t"), p.ID, "")
		e := rec.Enrollments[len(rec.Enrollments)-1]
		for w, a := range [][]int{{2, 2, 2, 2, 2, 2, 2, 2, 0}, {1, 1, 1, 1, 1, 1, 1, 1, 0}} {
			if _, err := f.DB.AddMeasure(ctx, store.System("t"), store.MeasureResponse{EnrollmentID: e.ID, PatientID: p.ID, InstrumentID: "phq9", Week: w + 1, Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.keys("r")
	v := h.view()
	mustContain(t, v, "phq9 by week", "week  1  n=2   median  16.0", "week  2  n=2   median   8.0", "reliable-change band")
	if !strings.Contains(v, "outside the band") {
		t.Errorf("week 2 is outside the band:\n%s", v)
	}
}

// groupStates reaches a group screen of the help test: the groups are set
// up (once per fixture), then the keys.
func groupStates(at func(ps string, keys ...string) func(*harness, *fixture.Fixture), keys ...string) []func(*harness, *fixture.Fixture) {
	state := func(keys ...string) func(*harness, *fixture.Fixture) {
		return func(h *harness, f *fixture.Fixture) {
			if _, err := f.DB.FindCohort(context.Background(), "Spring"); err != nil {
				setupGroups(h.t, f)
			}
			at("", keys...)(h, f)
		}
	}
	return []func(*harness, *fixture.Fixture){state(keys...), state(append(keys, "G")...)}
}
