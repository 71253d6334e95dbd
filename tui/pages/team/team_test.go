package team

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

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
