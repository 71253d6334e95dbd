package workspace

import (
	"strings"
	"testing"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/internal/langtest"
)

// TestNoEnglishLeftInTheWorkspace opens every patient of the fixture's
// queue in Finnish and Swedish, at 80x24 and 120x40, shows every tab, the
// reader and the key help, and fails on a word of the English catalogs
// left on screen or a row wider than the terminal.
func TestNoEnglishLeftInTheWorkspace(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	for _, lang := range []string{i18n.FI, i18n.SV} {
		tr := i18n.New(lang)
		c.Tr = tr
		c.Keys = common.NewGlobalKeysIn(tr)
		if scales, err := common.LoadScales(c.Ctx, f.DB); err == nil {
			c.Scales = scales.In(tr)
		}
		for _, pseudonym := range []string{"P-0001", "P-0002", "P-0003", "P-0006"} { // risk and scores, the reader, the sleep diary, messages
			it := item(t, f, c, pseudonym)
			it.Reasons = nil // the queue's reasons are tested in store; the banner shows them localized by the root
			p := New(c, it, false, nil)
			p.SetSize(80, 22)
			run(p, p.Init())
			// The record's and the definitions' words are data (the
			// patient's texts, the program's content).
			data := append(langtest.TextsAndKeys(p.rec), langtest.TextsAndKeys(p.programOf)...)
			data = append(data, langtest.TextsAndKeys(p.inst)...)
			data = append(data, f.Anna.Name)
			for _, size := range [][2]int{{80, 24}, {120, 40}} {
				p.SetSize(size[0], size[1]-2)
				var screens []string
				for range tabNames {
					screens = append(screens, p.View())
					{
						_, cmd := p.Update(press("tab"))
						run(p, cmd)
					}
				}
				for _, b := range append(p.ShortHelp(), langtest.Flat(p.FullHelp())...) {
					screens = append(screens, b.Help().Desc)
				}
				screens = append(screens, p.Title())
				if len(p.subs) > 0 && p.Reading() == "" {
					{
						_, cmd := p.Update(press("enter"))
						run(p, cmd)
					}
				}
				if p.Reading() != "" {
					screens = append(screens, p.View())
					for _, b := range p.ShortHelp() {
						screens = append(screens, b.Help().Desc)
					}
					{
						_, cmd := p.Update(press("esc"))
						run(p, cmd)
					}
				}
				for i, s := range screens {
					// The sleep diary's guidance lines (indented six
					// spaces) are the program's clinical text.
					var keep []string
					for _, l := range strings.Split(s, "\n") {
						if !strings.HasPrefix(l, "      ") || strings.TrimSpace(l) == "" {
							keep = append(keep, l)
						}
					}
					if en := langtest.English(strings.Join(keep, "\n"), lang, data...); len(en) > 0 {
						t.Errorf("%s %s %dx%d screen %d: English left: %v\n%s", lang, pseudonym, size[0], size[1], i, en, s)
					}
					if over := langtest.Overflow(s, size[0]); len(over) > 0 {
						t.Errorf("%s %s %dx%d screen %d: rows wider than the terminal:\n%s", lang, pseudonym, size[0], size[1], i, strings.Join(over, "\n"))
					}
				}
			}
		}
	}
}
