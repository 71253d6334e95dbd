package moderation

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/common"
	"polku/tui/pages/internal/langtest"
)

var now = time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)

type fakeSource struct{}

func (fakeSource) ModerationQueue(_ context.Context, _ store.Actor, all bool) ([]store.QueuedPost, error) {
	out := []store.QueuedPost{{GroupPost: store.GroupPost{ID: "p1", Body: "Kiitos kaikille, tämä viikko oli raskas.", PostedAt: now.Add(-time.Hour), Status: store.PostPending},
		GroupName: "Syksyn ryhmä", Alias: "Kettu", Pseudonym: "P-0001"}}
	if all {
		out = append(out, store.QueuedPost{GroupPost: store.GroupPost{ID: "p2", Body: "Hej alla!", PostedAt: now.Add(-48 * time.Hour), Status: store.PostRejected, Reason: "Liian henkilökohtainen."},
			GroupName: "Syksyn ryhmä", Alias: "Ilves", Pseudonym: "P-0002"})
	}
	return out, nil
}

func (fakeSource) NewID(time.Time) string { return "id" }

func run(p *Page, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch m := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, m...)
		case common.PageMsg:
			_, next := p.Update(m.Msg)
			queue = append(queue, next)
		}
	}
}

// TestNoEnglishLeftOnTheModerationPage renders the moderation queue
// (waiting posts, every post, the reject field) in Finnish and Swedish at
// 80x24 and 120x40, and fails on English left or a row wider than the
// terminal.
func TestNoEnglishLeftOnTheModerationPage(t *testing.T) {
	data := []string{"Kiitos kaikille, tämä viikko oli raskas.", "Hej alla!", "Liian henkilökohtainen.", "Syksyn ryhmä", "Kettu", "Ilves"}
	for _, lang := range []string{i18n.FI, i18n.SV} {
		tr := i18n.New(lang)
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(termenv.Ascii)
		c := &common.Common{Ctx: context.Background(), Therapist: store.Therapist{ID: "t1", Handle: "anna", Name: "Anna Virtanen", Role: store.RoleTherapist},
			Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeysIn(tr), Clock: func() time.Time { return now },
			Loc: time.UTC, Config: common.DefaultConfig(), Writes: common.NewTracker(), Tr: tr}
		p := New(c, fakeSource{})
		p.SetSize(80, 22)
		run(p, p.Init())
		var screens [][2]any
		shot := func(w int) {
			screens = append(screens, [2]any{w, p.View()}, [2]any{w, p.Title()})
			for _, b := range p.ShortHelp() {
				screens = append(screens, [2]any{w, b.Help().Desc})
			}
			for _, bs := range p.FullHelp() {
				for _, b := range bs {
					screens = append(screens, [2]any{w, b.Help().Desc})
				}
			}
		}
		for _, k := range []string{"", "v", "x"} {
			if k != "" {
				_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
				run(p, cmd)
			}
			for _, size := range [][2]int{{80, 24}, {120, 40}} {
				p.SetSize(size[0], size[1]-2)
				shot(size[0])
			}
		}
		all := ""
		for _, s := range screens {
			all += s[1].(string) + "\n"
		}
		if !strings.Contains(all, "Kettu") || !strings.Contains(all, "Ilves") {
			t.Fatalf("%s: the posts are not on screen:\n%s", lang, all)
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
