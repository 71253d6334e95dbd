package workspace

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/internal/fixture"
)

// A patient's timeline shows the messages to their cohort and their own
// peer-group posts, cleaned of escape sequences.
func TestTimelineShowsGroupMessagesAndPosts(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	ctx := context.Background()
	it := item(t, f, c, "P-0005")
	p0, err := f.DB.ResolvePatient(ctx, "P-0005")
	if err != nil {
		t.Fatal(err)
	}
	var pvID string
	if err := f.DB.Reader().QueryRow("SELECT program_version_id FROM enrollments WHERE id = ?", it.EnrollmentID).Scan(&pvID); err != nil {
		t.Fatal(err)
	}
	co, err := f.DB.CreateCohort(ctx, c.Actor, store.Cohort{Name: "Spring", ProgramVersionID: pvID, StartDate: "2026-11-02", Capacity: 8, TherapistIDs: []string{f.Anna.ID}})
	if err != nil {
		t.Fatal(err)
	}
	op, _ := f.DB.CohortEnrollment(ctx, co, p0.ID, "")
	if err := f.DB.Apply(ctx, c.Actor, op); err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.SendGroupMessage(ctx, c.Actor, store.GroupMessage{CohortID: co.ID, Body: "Week two\x1b[2J is open"}); err != nil {
		t.Fatal(err)
	}
	g, err := f.DB.CreatePeerGroup(ctx, c.Actor, store.PeerGroup{Name: "Spring peers", CohortID: co.ID})
	if err != nil {
		t.Fatal(err)
	}
	code, _, _ := f.DB.IssueGroupCode(ctx, c.Actor, g.ID)
	pa := store.Actor{ID: "patient:" + p0.ID, Role: "patient"}
	now := f.DB.Now()
	if err := f.DB.Apply(ctx, pa, store.JoinGroupOp{Member: store.GroupMember{ID: f.DB.NewID(now), PatientID: p0.ID, Alias: "Owl", JoinedAt: now},
		CodeHash: store.HashGroupCode(code)}); err != nil {
		t.Fatal(err)
	}
	if err := f.DB.Apply(ctx, pa, store.AddGroupPostOp{Post: store.GroupPost{ID: f.DB.NewID(now), GroupID: g.ID, PatientID: p0.ID, Body: "Hello peers", PostedAt: now}}); err != nil {
		t.Fatal(err)
	}
	p := New(c, it, false, nil)
	p.SetSize(120, 30)
	run(p, p.Init())
	run(p, func() tea.Msg { _, cmd := p.Update(press("6")); return cmd })
	v := p.View()
	if p.Tab() != TabTimeline || !strings.Contains(v, "group msg") || !strings.Contains(v, "to the cohort: Week two is open") ||
		!strings.Contains(v, "group post") || !strings.Contains(v, "(pending) Hello peers") {
		t.Fatalf("timeline:\n%s", v)
	}
	if strings.Contains(v, "\x1b[2J") {
		t.Fatal("an escape sequence reached the screen")
	}
}
