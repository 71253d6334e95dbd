package cohort

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/pages/internal/langtest"
)

// fakeSource is a cohort with members, scores and a group message.
type fakeSource struct{}

var now = time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)

func (fakeSource) Cohorts(context.Context, store.Actor) ([]store.CohortSummary, error) {
	return []store.CohortSummary{{Cohort: store.Cohort{ID: "c1", Name: "Syksy 2026", ProgramID: "depression", StartDate: "2026-10-05", Capacity: 12}, Members: 3, Week: 7}}, nil
}

func (fakeSource) CohortDetail(context.Context, store.Actor, string) (*store.CohortView, error) {
	left := now.Add(-48 * time.Hour)
	return &store.CohortView{Cohort: store.Cohort{ID: "c1", Name: "Syksy 2026", ProgramID: "depression", StartDate: "2026-10-05", Capacity: 12},
		Week: 7, ModuleID: "m7", Therapists: []string{"anna"},
		Members: []store.CohortMemberView{{Pseudonym: "P-0001", DisplayName: "Maria Korhonen", Status: "active", DoneThisWeek: true},
			{Pseudonym: "P-0002", DisplayName: "Juha Nieminen", Status: "active"},
			{Pseudonym: "P-0003", DisplayName: "Aino Laine", Status: "discontinued", LeftAt: &left}},
		Scores: []store.InstrumentScores{{Instrument: "PHQ-9", RCI: 6, BandLow: 10.5, BandHigh: 22.5, Weeks: []store.WeekScore{
			{Week: 0, N: 3, Median: 16.5, Q1: 14, Q3: 18.5}, {Week: 4, N: 3, Median: 9, Q1: 7.5, Q3: 12}}}},
		Messages: []store.GroupMessage{{ID: "g1", CohortID: "c1", Body: "Hei kaikki, tämän viikon moduuli on auki.", SentAt: now.Add(-time.Hour)}}}, nil
}

func (fakeSource) NamedMembers(context.Context, string, string) ([]string, error) { return nil, nil }
func (fakeSource) NewID(time.Time) string                                         { return "id" }

// TestNoEnglishLeftOnTheCohortPages renders the cohort list, a cohort and
// its message editor in Finnish and Swedish at 80x24 and 120x40, and
// fails on English left or a row wider than the terminal.
func TestNoEnglishLeftOnTheCohortPages(t *testing.T) {
	data := []string{"Syksy 2026", "depression", "anna", "Maria Korhonen", "Juha Nieminen", "Aino Laine", "m7", "PHQ-9"}
	for _, lang := range []string{i18n.FI, i18n.SV} {
		c := langtest.NewCommon(lang)
		c.Therapist = store.Therapist{ID: "t1", Handle: "anna", Name: "Anna Virtanen", Role: store.RoleTherapist}
		c.Clock = func() time.Time { return now }
		p := New(c, fakeSource{})
		p.SetSize(80, 22)
		langtest.Drain(p, p.Init())
		var screens langtest.Screens
		shots := func() {
			for _, size := range [][2]int{{80, 24}, {120, 40}} {
				p.SetSize(size[0], size[1]-2)
				screens.Shot(p, size[0])
			}
		}
		shots()
		langtest.Key(p, "enter") // a cohort
		shots()
		langtest.Key(p, "w") // its message editor
		screens.Shot(p, 120)
		if all := screens.All(); !strings.Contains(all, "Maria Korhonen") || !strings.Contains(all, "PHQ-9") {
			t.Fatalf("%s: the cohort is not on screen:\n%s", lang, all)
		}
		screens.Check(t, "cohort", lang, data...)
	}
}
