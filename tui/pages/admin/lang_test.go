package admin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/common"
	"polku/tui/pages/internal/langtest"
)

// TestNoEnglishLeftOnTheAdminPage renders the admin's page in Finnish and
// Swedish at 80x24 and 120x40: the command lines are commands (data);
// every other word is the language's, and no row is wider than the
// terminal.
func TestNoEnglishLeftOnTheAdminPage(t *testing.T) {
	data := []string{"Alma Admin", "alma"}
	for _, g := range groups {
		for _, c := range g.commands {
			data = append(data, c.line)
		}
	}
	for _, lang := range []string{i18n.FI, i18n.SV} {
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(termenv.Ascii)
		c := &common.Common{Ctx: context.Background(), Therapist: store.Therapist{Name: "Alma Admin", Handle: "alma", Role: store.RoleAdmin},
			Styles: common.NewStyles(r, common.Theme{Mono: true}), Clock: time.Now, Loc: time.UTC, Tr: i18n.New(lang)}
		p := New(c)
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			p.SetSize(size[0], size[1]-2)
			v := p.View()
			for _, s := range []string{v, p.Title()} {
				if en := langtest.English(s, lang, data...); len(en) > 0 {
					t.Errorf("%s %dx%d: English left: %v\n%s", lang, size[0], size[1], en, s)
				}
			}
			if over := langtest.Overflow(v, size[0]); len(over) > 0 {
				t.Errorf("%s %dx%d: rows too wide:\n%s", lang, size[0], size[1], strings.Join(over, "\n"))
			}
			if !strings.Contains(v, p.c.T("pages.admin.group.settings")) || !strings.Contains(v, "polku settings list") {
				t.Errorf("%s %dx%d: the settings group is missing:\n%s", lang, size[0], size[1], v)
			}
		}
	}
}
