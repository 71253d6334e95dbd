package team

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
)

func TestTeamView(t *testing.T) {
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.DB.Close()
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	c := &common.Common{Ctx: context.Background(), Store: f.DB, Actor: fixture.Actor(f.Sara), Therapist: f.Sara,
		Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeys(), Clock: f.Clock.Now, Loc: time.UTC}
	p := New(c)
	p.SetSize(80, 22)
	msg := p.Init()().(common.PageMsg)
	p.Update(msg.Msg)
	v := p.View()
	for _, want := range []string{"Team south", "Anna Virtanen", "Ben Lindqvist", "7/80", "2/80", "median"} {
		if !strings.Contains(v, want) {
			t.Errorf("team view lacks %q:\n%s", want, v)
		}
	}
	p.Update(tea.KeyMsg{Type: tea.KeyDown})
	_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyEnter})
	open, ok := cmd().(common.OpenQueueMsg)
	if !ok || open.Therapist.Handle != "ben" || open.Queue == nil || len(open.Queue.Items) != 2 {
		t.Fatalf("enter on Ben opens his queue: %+v", open)
	}
	// Something changed: the view reloads; only one load at a time.
	if p.Refresh(common.Changes{Others: true}) == nil {
		t.Error("a change by others reloads the team")
	}
	if p.Refresh(common.Changes{Others: true}) != nil {
		t.Error("a second reload waits for the first")
	}
}

func TestTeamFigures(t *testing.T) {
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.DB.Close()
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	c := &common.Common{Ctx: context.Background(), Store: f.DB, Actor: fixture.Actor(f.Sara), Therapist: f.Sara,
		Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeys(), Clock: f.Clock.Now, Loc: time.UTC}
	p := New(c)
	p.SetSize(100, 30)
	p.Update(p.Init()().(common.PageMsg).Msg)
	_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
	if cmd == nil {
		t.Fatal("f loads the figures")
	}
	if v := p.View(); !strings.Contains(v, "Loading the team's figures") {
		t.Errorf("while loading:\n%s", v)
	}
	p.Update(cmd().(common.PageMsg).Msg)
	got := p.Figures()
	if got == nil {
		t.Fatal("no figures loaded")
	}
	// The same computation as 'polku report' for the same period and team.
	now := f.Clock.Now().In(time.UTC)
	want, err := f.DB.Report(context.Background(), fixture.Actor(f.Sara), store.ReportQuery{From: now.AddDate(0, 0, -(FiguresDays - 1)), To: now, Team: "south"})
	if err != nil {
		t.Fatal(err)
	}
	if got.From != want.From || got.To != want.To || got.Access.ReferralsReceived != want.Access.ReferralsReceived || got.Work.FeedbackSent != want.Work.FeedbackSent {
		t.Errorf("panel %+v, report %+v", got, want)
	}
	v := p.View()
	for _, s := range []string{"Team south · figures", "22 Oct 2026 to 18 Nov 2026", // want.From, want.To as dates
		fmt.Sprintf("referrals %-4d", want.Access.ReferralsReceived), fmt.Sprintf("sent %d ·", want.Work.FeedbackSent), "Outcomes", "Risk"} {
		if !strings.Contains(v, s) {
			t.Errorf("figures panel lacks %q:\n%s", s, v)
		}
	}
	// f again: back to the table.
	p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
	if v := p.View(); !strings.Contains(v, "pts/cap") {
		t.Errorf("f again shows the table:\n%s", v)
	}
}

func TestSpark(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{{[]int{0, 1, 8}, " ▁█"}, {[]int{4, 8}, "▄█"}, {[]int{0, 0}, "  "}, {[]int{1, 100}, "▁█"}} {
		if got := spark(c.in); got != c.want {
			t.Errorf("spark(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
