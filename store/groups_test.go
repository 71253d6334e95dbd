package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"polku/store"
)

// groupFixture: anna runs cohort "Spring" (capacity 3) with its peer group;
// members P-0001 (the fixture's patient gets a cohort enrollment too) and
// two more.
type groupFixture struct {
	*fixture
	cohort  store.Cohort
	group   store.PeerGroup
	members []store.Patient
}

func newGroupFixture(t testing.TB, n int) *groupFixture {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	pv, err := f.db.ProgramVersion(ctx, "gad", 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.db.CreateCohort(ctx, f.actor, store.Cohort{Name: "Spring", ProgramVersionID: pv.ID, StartDate: "2026-11-16", Capacity: max(n, 3),
		TherapistIDs: []string{f.therapist.ID}})
	if err != nil {
		t.Fatal(err)
	}
	g := &groupFixture{fixture: f, cohort: c}
	for i := 0; i < n; i++ {
		p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: fmt.Sprintf("G-%04d", i), DisplayName: fmt.Sprintf("Maija%d Meikäläinen%d", i, i),
			BirthDate: "1990-05-01", Language: "fi"})
		if err != nil {
			t.Fatal(err)
		}
		op, err := f.db.CohortEnrollment(ctx, c, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.Apply(ctx, f.actor, op); err != nil {
			t.Fatal(err)
		}
		g.members = append(g.members, p)
	}
	g.group, err = f.db.CreatePeerGroup(ctx, f.actor, store.PeerGroup{Name: "Spring group", CohortID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func patientActor(p store.Patient) store.Actor {
	return store.Actor{ID: "patient:" + p.ID, Handle: "patient", Role: "patient", Device: "test"}
}

// join makes a code and joins p under alias.
func (g *groupFixture) join(t testing.TB, p store.Patient, alias string) error {
	t.Helper()
	code, _, err := g.db.IssueGroupCode(context.Background(), g.actor, g.group.ID)
	if err != nil {
		t.Fatal(err)
	}
	return g.joinWith(p, code, alias)
}

func (g *groupFixture) joinWith(p store.Patient, code, alias string) error {
	now := g.db.Now()
	m := store.GroupMember{ID: g.db.NewID(now), PatientID: p.ID, Alias: alias, JoinedAt: now}
	return g.db.Apply(context.Background(), patientActor(p), store.JoinGroupOp{Member: m, CodeHash: store.HashGroupCode(code)})
}

func (g *groupFixture) post(t testing.TB, p store.Patient, body string) (store.GroupPost, error) {
	t.Helper()
	now := g.db.Now()
	post := store.GroupPost{ID: g.db.NewID(now), GroupID: g.group.ID, PatientID: p.ID, Body: body, PostedAt: now}
	err := g.db.Apply(context.Background(), patientActor(p), store.AddGroupPostOp{Post: post})
	if err != nil {
		return post, err
	}
	got, err := g.db.PostOf(context.Background(), post.ID)
	return got, err
}

func TestCohortEnrollsWithItsStartDateAndTherapist(t *testing.T) {
	g := newGroupFixture(t, 3)
	ctx := context.Background()
	for _, p := range g.members {
		rec, err := g.db.PatientRecord(ctx, sys, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Enrollments) != 1 || rec.Enrollments[0].StartDate != "2026-11-16" || rec.Enrollments[0].TherapistID != g.therapist.ID {
			t.Fatalf("enrollment of a cohort member: %+v", rec.Enrollments)
		}
	}
	// Full: a fourth is refused; the same patient twice is refused.
	extra, _ := g.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "X-1", DisplayName: "Extra", BirthDate: "1990-01-01", Language: "fi"})
	op, _ := g.db.CohortEnrollment(ctx, g.cohort, extra.ID, "")
	if err := g.db.Apply(ctx, g.actor, op); err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("adding to a full cohort: %v", err)
	}
	// Another therapist may not add to anna's cohort; a therapist outside it is refused.
	bert, _ := g.db.AddTherapist(ctx, sys, store.Therapist{Handle: "bert", Name: "Bert B", Role: store.RoleTherapist, Team: "south"})
	op.Enrollment.TherapistID = bert.ID
	if err := g.db.Apply(ctx, store.ActorFor(bert, "t"), op); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("bert adding to anna's cohort: %v", err)
	}
	// Removed: the cohort has room again.
	if err := g.db.Apply(ctx, g.actor, store.RemoveCohortMemberOp{CohortID: g.cohort.ID, PatientID: g.members[0].ID, At: g.db.Now()}); err != nil {
		t.Fatal(err)
	}
	op, _ = g.db.CohortEnrollment(ctx, g.cohort, extra.ID, "")
	if err := g.db.Apply(ctx, g.actor, op); err != nil {
		t.Fatalf("adding after a removal: %v", err)
	}
	// Refusals of creation.
	for _, c := range []store.Cohort{
		{Name: "", ProgramVersionID: g.cohort.ProgramVersionID, StartDate: "2026-11-16", Capacity: 8, TherapistIDs: []string{g.therapist.ID}},
		{Name: "Cap", ProgramVersionID: g.cohort.ProgramVersionID, StartDate: "2026-11-16", Capacity: 0, TherapistIDs: []string{g.therapist.ID}},
		{Name: "Three", ProgramVersionID: g.cohort.ProgramVersionID, StartDate: "2026-11-16", Capacity: 8, TherapistIDs: []string{g.therapist.ID, bert.ID, g.therapist.ID}},
		{Name: "Date", ProgramVersionID: g.cohort.ProgramVersionID, StartDate: "16.11.2026", Capacity: 8, TherapistIDs: []string{g.therapist.ID}},
		{Name: "Spring", ProgramVersionID: g.cohort.ProgramVersionID, StartDate: "2026-11-16", Capacity: 8, TherapistIDs: []string{g.therapist.ID}},
	} {
		if _, err := g.db.CreateCohort(ctx, g.actor, c); err == nil {
			t.Errorf("cohort %+v accepted", c)
		}
	}
}

func TestGroupMessageIsOneRecordForEveryMember(t *testing.T) {
	g := newGroupFixture(t, 3)
	ctx := context.Background()
	m, err := g.db.SendGroupMessage(ctx, g.actor, store.GroupMessage{CohortID: g.cohort.ID, Body: "Welcome to week 1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range g.members {
		list, err := g.db.GroupMessagesOf(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != m.ID {
			t.Fatalf("%s sees %+v", p.Pseudonym, list)
		}
	}
	if list, _ := g.db.GroupMessagesOf(ctx, g.patient.ID); len(list) != 0 {
		t.Fatalf("a patient outside the cohort sees %+v", list)
	}
	var n int
	g.db.Reader().QueryRow("SELECT COUNT(*) FROM group_messages").Scan(&n)
	if n != 1 {
		t.Fatalf("%d rows for one group message", n)
	}
	// Names: display name, first name, pseudonym of a member are found.
	for _, text := range []string{"Hi Maija1 and all", "maija1 meikäläinen1, welcome", "Thanks G-0002!"} {
		names, err := g.db.NamedMembers(ctx, g.cohort.ID, text)
		if err != nil || len(names) != 1 {
			t.Errorf("NamedMembers(%q) = %v, %v", text, names, err)
		}
	}
	if names, _ := g.db.NamedMembers(ctx, g.cohort.ID, "Welcome everyone to week 2"); len(names) != 0 {
		t.Errorf("no name, but %v", names)
	}
	// Only the cohort's therapists message it.
	sup, _ := g.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara S", Role: store.RoleSupervisor, Team: "south"})
	if _, err := g.db.SendGroupMessage(ctx, store.ActorFor(sup, "t"), store.GroupMessage{CohortID: g.cohort.ID, Body: "x"}); !errors.Is(err, store.ErrForbidden) && !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("supervisor messaging: %v", err)
	}
	// The supervisor reads the cohort view; an admin account does not.
	if _, err := g.db.CohortDetail(ctx, store.ActorFor(sup, "t"), "Spring"); err != nil {
		t.Fatalf("supervisor reading: %v", err)
	}
	adm, _ := g.db.AddTherapist(ctx, sys, store.Therapist{Handle: "root", Name: "Admin", Role: store.RoleAdmin})
	if _, err := g.db.CohortDetail(ctx, store.ActorFor(adm, "t"), "Spring"); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("admin reading the cohort: %v", err)
	}
	if _, err := g.db.ModerationQueue(ctx, store.ActorFor(adm, "t"), false); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("admin reading the queue: %v", err)
	}
}

func TestCohortViewWeekDoneAndScores(t *testing.T) {
	g := newGroupFixture(t, 3)
	ctx := context.Background()
	g.clock.advance(8 * 24 * time.Hour) // week 2
	for i, p := range g.members {
		rec, _ := g.db.PatientRecord(ctx, sys, p.ID, "")
		e := rec.Enrollments[0]
		for w, base := range []int{12, 8} {
			if _, err := g.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: e.ID, PatientID: p.ID, InstrumentID: "gad7", Week: w + 1,
				Answers: spread(base + i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	v, err := g.db.CohortDetail(ctx, g.actor, "Spring")
	if err != nil {
		t.Fatal(err)
	}
	if v.Week != 2 || len(v.Members) != 3 || v.ModuleID == "" {
		t.Fatalf("week %d, %d members, module %q", v.Week, len(v.Members), v.ModuleID)
	}
	if len(v.Scores) != 1 || len(v.Scores[0].Weeks) != 2 {
		t.Fatalf("scores %+v", v.Scores)
	}
	w1, w2 := v.Scores[0].Weeks[0], v.Scores[0].Weeks[1]
	if w1.Median != 13 || w1.Q1 != 12.5 || w1.Q3 != 13.5 || w2.Median != 9 || w1.N != 3 {
		t.Fatalf("week scores %+v %+v", w1, w2)
	}
	if v.Scores[0].RCI > 0 && (v.Scores[0].BandLow != 13-float64(v.Scores[0].RCI) || v.Scores[0].BandHigh != 13+float64(v.Scores[0].RCI)) {
		t.Fatalf("band %+v", v.Scores[0])
	}
	// Reading the cohort is audited for every member.
	var n int
	g.db.Reader().QueryRow("SELECT COUNT(*) FROM audit WHERE actor_id = ? AND detail = 'cohort Spring'", g.therapist.ID).Scan(&n)
	if n != 3 {
		t.Fatalf("%d audit rows, want 3", n)
	}
}

// spread: 7 answers 0-3 adding up to total.
func spread(total int) []int {
	out := make([]int, 7)
	for i := range out {
		out[i] = min(3, total)
		total -= out[i]
	}
	return out
}

func TestJoinCodesAndAliases(t *testing.T) {
	g := newGroupFixture(t, 3)
	ctx := context.Background()
	a, b, c := g.members[0], g.members[1], g.members[2]
	code, stored, err := g.db.IssueGroupCode(ctx, g.actor, g.group.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored.Hash, code) || stored.Hash != store.HashGroupCode(code) {
		t.Fatalf("the code is stored as %q", stored.Hash)
	}
	// Aliases that name the patient are refused, and do not use the code.
	for _, alias := range []string{"Maija0", "maija0 meikäläinen0", "G-0000", "I am maija0", "", "x\x1b[31m", strings.Repeat("a", 40)} {
		if err := g.joinWith(a, code, alias); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("alias %q: %v, want invalid", alias, err)
		}
	}
	if err := g.joinWith(a, code, "Sunflower"); err != nil {
		t.Fatal(err)
	}
	if err := g.joinWith(b, code, "Moon"); err == nil || !strings.Contains(err.Error(), "used") {
		t.Fatalf("a code used twice: %v", err)
	}
	if err := g.joinWith(b, "NOPE-NOPE-NOPE", "Moon"); err == nil {
		t.Fatal("a wrong code joined")
	}
	if err := g.join(t, b, "sunflower"); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("an alias taken in the group: %v", err)
	}
	if err := g.join(t, b, "Moon"); err != nil {
		t.Fatal(err)
	}
	if err := g.join(t, a, "Again"); err == nil {
		t.Fatal("a member joined twice")
	}
	// Only the group's therapist makes codes.
	sup, _ := g.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara S", Role: store.RoleSupervisor, Team: "south"})
	if _, _, err := g.db.IssueGroupCode(ctx, store.ActorFor(sup, "t"), g.group.ID); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("supervisor making a code: %v", err)
	}
	_ = c
}

func TestPostsModerationAndLeaving(t *testing.T) {
	g := newGroupFixture(t, 3)
	ctx := context.Background()
	a, b, c := g.members[0], g.members[1], g.members[2]
	for i, p := range []store.Patient{a, b} {
		if err := g.join(t, p, []string{"Sunflower", "Moon"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := g.post(t, c, "not a member"); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a non-member posting: %v", err)
	}
	p1, err := g.post(t, a, "Hello all, the worry diary helped me")
	if err != nil || p1.Status != store.PostPending {
		t.Fatalf("post: %+v %v", p1, err)
	}
	p2, _ := g.post(t, a, "Second")
	// Nothing shows before approval.
	gs, _ := g.db.GroupsOfPatient(ctx, b.ID)
	if len(gs) != 1 || len(gs[0].Posts) != 0 {
		t.Fatalf("b sees %+v before moderation", gs)
	}
	q, err := g.db.ModerationQueue(ctx, g.actor, false)
	if err != nil || len(q) != 2 || q[0].Alias != "Sunflower" {
		t.Fatalf("queue %+v %v", q, err)
	}
	// Reject needs a reason; the poster sees it.
	if err := g.db.Moderate(ctx, g.actor, p2.ID, store.ModReject, "", p2.Version); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("reject without reason: %v", err)
	}
	if err := g.db.Moderate(ctx, g.actor, p2.ID, store.ModReject, "Please keep it about the topic", p2.Version); err != nil {
		t.Fatal(err)
	}
	if err := g.db.Moderate(ctx, g.actor, p1.ID, store.ModApprove, "", p1.Version); err != nil {
		t.Fatal(err)
	}
	if err := g.db.Moderate(ctx, g.actor, p1.ID, store.ModApprove, "", p1.Version); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("approving twice: %v", err)
	}
	if err := g.db.Moderate(ctx, g.actor, p1.ID, store.ModHide, "", p1.Version); !store.IsConflict(err) {
		t.Fatalf("a stale version: %v", err)
	}
	gs, _ = g.db.GroupsOfPatient(ctx, b.ID)
	if len(gs[0].Posts) != 1 || gs[0].Posts[0].Author != "Sunflower" || gs[0].Posts[0].Status != "" {
		t.Fatalf("b sees %+v", gs[0].Posts)
	}
	gs, _ = g.db.GroupsOfPatient(ctx, a.ID)
	var rejected []store.PortalPost
	for _, p := range gs[0].Posts {
		if p.Status == store.PostRejected {
			rejected = append(rejected, p)
		}
	}
	// Both posts have the same time: which comes first is the ids' order.
	if len(gs[0].Posts) != 2 || len(rejected) != 1 || rejected[0].Body != "Second" || rejected[0].Reason != "Please keep it about the topic" {
		t.Fatalf("a sees %+v", gs[0].Posts)
	}
	// Audited: who decided what, when.
	ds, _ := g.db.PostDecisions(ctx, p2.ID)
	if len(ds) != 1 || ds[0].TherapistID != g.therapist.ID || ds[0].Action != store.ModReject || ds[0].DecidedAt.IsZero() {
		t.Fatalf("decisions %+v", ds)
	}
	// Supervisors read the queue, they do not moderate.
	sup, _ := g.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara S", Role: store.RoleSupervisor, Team: "south"})
	if q, err := g.db.ModerationQueue(ctx, store.ActorFor(sup, "t"), true); err != nil || len(q) != 2 {
		t.Fatalf("supervisor queue: %d %v", len(q), err)
	}
	cur, _ := g.db.PostOf(ctx, p1.ID)
	if err := g.db.Moderate(ctx, store.ActorFor(sup, "t"), p1.ID, store.ModHide, "", cur.Version); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("supervisor moderating: %v", err)
	}
	// A leaver's posts show as a former member.
	if err := g.db.Apply(ctx, patientActor(a), store.LeaveGroupOp{GroupID: g.group.ID, PatientID: a.ID, At: g.db.Now()}); err != nil {
		t.Fatal(err)
	}
	gs, _ = g.db.GroupsOfPatient(ctx, b.ID)
	if gs[0].Posts[0].Author != store.FormerMember {
		t.Fatalf("after leaving: %+v", gs[0].Posts)
	}
	if _, err := g.post(t, a, "after leaving"); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("posting after leaving: %v", err)
	}
	// Hide later.
	if err := g.db.Moderate(ctx, g.actor, p1.ID, store.ModHide, "", cur.Version); err != nil {
		t.Fatal(err)
	}
	if gs, _ = g.db.GroupsOfPatient(ctx, b.ID); len(gs[0].Posts) != 0 {
		t.Fatalf("hidden post still shown: %+v", gs[0].Posts)
	}
}

func TestHostilePosts(t *testing.T) {
	g := newGroupFixture(t, 1)
	a := g.members[0]
	if err := g.join(t, a, "Sunflower"); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"empty":         "",
		"blank":         " \n\t ",
		"controls only": "\x1b\x07\x00",
		"invisible":     "\u200b\u200b \ufeff",
		"escape":        "hi \x1b[2J\x1b]0;owned\x07",
		"too long":      strings.Repeat("x", store.MaxPost+1),
	} {
		if _, err := g.post(t, a, body); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	// Cleaned first (as the portal does), an escape-laden post is kept as text.
	clean := store.CleanPost("hi \x1b[2J\x1b]0;owned\x07there\r\n\x00ok")
	if clean != "hi there\nok" {
		t.Fatalf("CleanPost = %q", clean)
	}
	if store.CleanPost("\x1b[31m\x07\x00") != "" {
		t.Fatal("only control characters should clean to empty")
	}
	if _, err := g.post(t, a, clean); err != nil {
		t.Fatal(err)
	}
}

func TestRiskPostIsHeldAndFlagged(t *testing.T) {
	g := newGroupFixture(t, 2)
	ctx := context.Background()
	a, b := g.members[0], g.members[1]
	g.join(t, a, "Sunflower")
	g.join(t, b, "Moon")
	g.clock.advance(time.Hour)
	p, err := g.post(t, a, "Some days I want to die, honestly")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != store.PostHeld || p.EnrollmentID == "" {
		t.Fatalf("risk post: %+v", p)
	}
	if err := g.db.Moderate(ctx, g.actor, p.ID, store.ModApprove, "", p.Version); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("approving a held post: %v", err)
	}
	gs, _ := g.db.GroupsOfPatient(ctx, b.ID)
	if len(gs[0].Posts) != 0 {
		t.Fatalf("the group sees a held post: %+v", gs[0].Posts)
	}
	if q, _ := g.db.ModerationQueue(ctx, g.actor, false); len(q) != 0 {
		t.Fatalf("a held post in the moderation queue: %+v", q)
	}
	q, err := g.db.Triage(ctx, g.actor, g.therapist.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, rs := riskReasons(q, a.ID)
	if len(rs) != 1 || rs[0].SourceType != store.RiskSourcePost || rs[0].SourceID != p.ID || !strings.Contains(rs[0].Text, "peer-group post") {
		t.Fatalf("risk reasons %+v", rs)
	}
	g.clock.advance(time.Minute)
	if _, err := g.db.AckRisk(ctx, g.actor, store.RiskAck{PatientID: a.ID, EnrollmentID: p.EnrollmentID, SourceType: store.RiskSourcePost, SourceID: p.ID,
		Action: store.AckCalledPatient}); err != nil {
		t.Fatal(err)
	}
	q, _ = g.db.Triage(ctx, g.actor, g.therapist.ID)
	if _, rs := riskReasons(q, a.ID); len(rs) != 0 {
		t.Fatalf("acknowledged, still %+v", rs)
	}
}

// BenchmarkGroupMessage12: one group message to a cohort of 12 is one
// operation (issue 15: < 10 ms).
func BenchmarkGroupMessage12(b *testing.B) {
	g := newGroupFixture(b, 12)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := g.db.SendGroupMessage(ctx, g.actor, store.GroupMessage{CohortID: g.cohort.ID, Body: "Week's reminder: the diary"}); err != nil {
			b.Fatal(err)
		}
	}
}

func fillQueue(tb testing.TB, n int) *groupFixture {
	g := newGroupFixture(tb, 12)
	for i, p := range g.members {
		if err := g.join(tb, p, fmt.Sprintf("Alias%d", i)); err != nil {
			tb.Fatal(err)
		}
	}
	ctx := context.Background()
	for i := 0; i < n; i++ {
		p := g.members[i%len(g.members)]
		now := g.db.Now().Add(time.Duration(i) * time.Millisecond)
		post := store.GroupPost{ID: g.db.NewID(now), GroupID: g.group.ID, PatientID: p.ID, Body: fmt.Sprintf("post %d about the week's exercise", i), PostedAt: now}
		if err := g.db.Apply(ctx, sys, store.AddGroupPostOp{Post: post}); err != nil {
			tb.Fatal(err)
		}
	}
	return g
}

// BenchmarkModerationQueue1000: the queue of 1,000 pending posts opens in
// < 50 ms (issue 15).
func BenchmarkModerationQueue1000(b *testing.B) {
	g := fillQueue(b, 1000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q, err := g.db.ModerationQueue(ctx, g.actor, false)
		if err != nil || len(q) != 1000 {
			b.Fatal(len(q), err)
		}
	}
}

func TestModerationQueueUsesIndexAndIsFast(t *testing.T) {
	g := fillQueue(t, 1000)
	plan, err := g.db.QueuePlan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "group_posts_group") || strings.Contains(plan, "SCAN p") {
		t.Fatalf("plan:\n%s", plan)
	}
	// The fastest of three: one run can lose the CPU on a shared, raced
	// machine; the plan above is what keeps the queue fast.
	best := time.Hour
	for range 3 {
		start := time.Now()
		q, err := g.db.ModerationQueue(context.Background(), g.actor, false)
		if err != nil || len(q) != 1000 {
			t.Fatal(len(q), err)
		}
		best = min(best, time.Since(start))
	}
	if best > 500*time.Millisecond { // 10x the target: a shared, raced machine
		t.Fatalf("queue of 1000 took %v at best of three", best)
	}
}

// The cohort advances together: one op opens the week's modules for every
// current member; nobody is closed back; a late joiner gets the week open.
func TestCohortAdvancesTogether(t *testing.T) {
	g := newGroupFixture(t, 3)
	ctx := context.Background()
	unlocked := func(p store.Patient) int {
		rec, _ := g.db.PatientRecord(ctx, sys, p.ID, "")
		return rec.Enrollments[len(rec.Enrollments)-1].UnlockedModules
	}
	if n := unlocked(g.members[0]); n != 1 {
		t.Fatalf("week 1 of a cohort: %d modules open, want 1", n)
	}
	g.clock.advance(15 * 24 * time.Hour) // week 3
	if err := g.db.Apply(ctx, g.actor, store.AdvanceCohortOp{CohortID: g.cohort.ID, Week: 3, At: g.db.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, p := range g.members {
		if n := unlocked(p); n != 3 {
			t.Fatalf("%s: %d modules open after week 3, want 3", p.Pseudonym, n)
		}
	}
	if err := g.db.Apply(ctx, g.actor, store.AdvanceCohortOp{CohortID: g.cohort.ID, Week: 2, At: g.db.Now()}); err != nil || unlocked(g.members[1]) != 3 {
		t.Fatalf("advancing to an earlier week closed modules: %v", err)
	}
	if err := g.db.Apply(ctx, g.actor, store.AdvanceCohortOp{CohortID: g.cohort.ID, Week: 99, At: g.db.Now()}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("week 99: %v", err)
	}
	sup, _ := g.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara S", Role: store.RoleSupervisor, Team: "south"})
	if err := g.db.Apply(ctx, store.ActorFor(sup, "t"), store.AdvanceCohortOp{CohortID: g.cohort.ID, Week: 4, At: g.db.Now()}); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("supervisor advancing: %v", err)
	}
	// A late joiner (room made by a removal) starts with the cohort's week open.
	g.db.Apply(ctx, g.actor, store.RemoveCohortMemberOp{CohortID: g.cohort.ID, PatientID: g.members[2].ID, At: g.db.Now()})
	late, _ := g.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "L-1", DisplayName: "Late Joiner", BirthDate: "1990-01-01", Language: "fi"})
	op, _ := g.db.CohortEnrollment(ctx, g.cohort, late.ID, "")
	if err := g.db.Apply(ctx, g.actor, op); err != nil {
		t.Fatal(err)
	}
	if n := unlocked(late); n != 3 {
		t.Fatalf("late joiner: %d open, want 3", n)
	}
}
