package team

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/internal/i18n"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/internal/langtest"
)

// TestNoEnglishLeftOnTheTeamPage renders the team table and its figures
// panel in Finnish and Swedish at 80x24 and 120x40 and fails on English
// left or a row wider than the terminal.
func TestNoEnglishLeftOnTheTeamPage(t *testing.T) {
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.DB.Close()
	for _, lang := range []string{i18n.FI, i18n.SV} {
		tr := i18n.New(lang)
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(termenv.Ascii)
		c := &common.Common{Ctx: context.Background(), Store: f.DB, Actor: fixture.Actor(f.Sara), Therapist: f.Sara,
			Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeysIn(tr), Clock: f.Clock.Now, Loc: time.UTC, Tr: tr}
		p := New(c)
		p.SetSize(80, 22)
		p.Update(p.Init()().(common.PageMsg).Msg)
		data := []string{"south", f.Anna.Name, f.Ben.Name, f.Sara.Name}
		var screens [][2]any
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			p.SetSize(size[0], size[1]-2)
			screens = append(screens, [2]any{size[0], p.View()})
		}
		_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
		screens = append(screens, [2]any{80, p.View()})
		p.Update(cmd().(common.PageMsg).Msg)
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			p.SetSize(size[0], size[1]-2)
			screens = append(screens, [2]any{size[0], p.View()})
		}
		if p.Figures() != nil {
			for _, o := range p.Figures().Outcomes {
				data = append(data, o.Title)
			}
		}
		screens = append(screens, [2]any{80, p.Title()})
		for _, bs := range p.FullHelp() {
			for _, b := range append(bs, key.Binding{}) {
				screens = append(screens, [2]any{80, b.Help().Desc})
			}
		}
		for i, s := range screens {
			w, text := s[0].(int), s[1].(string)
			if en := langtest.English(text, lang, data...); len(en) > 0 {
				t.Errorf("%s screen %d: English left: %v\n%s", lang, i, en, text)
			}
			if over := langtest.Overflow(text, w); len(over) > 0 {
				t.Errorf("%s screen %d: rows wider than %d:\n%s", lang, i, w, strings.Join(over, "\n"))
			}
		}
	}
}
