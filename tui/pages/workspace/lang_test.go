package workspace

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/internal/langtest"
)

// texts collects every string reachable from v: the words of the record
// and of the program and instrument definitions are data (patients'
// texts, program content), not the interface.
func texts(v reflect.Value, out *[]string, depth int) {
	if depth > 12 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			texts(v.Elem(), out, depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				texts(v.Field(i), out, depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			texts(v.Index(i), out, depth+1)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			texts(it.Key(), out, depth+1)
			texts(it.Value(), out, depth+1)
		}
	}
}

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
			var data []string
			texts(reflect.ValueOf(p.rec), &data, 0)
			texts(reflect.ValueOf(p.programOf), &data, 0)
			texts(reflect.ValueOf(p.inst), &data, 0)
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
				for _, b := range append(p.ShortHelp(), flat(p.FullHelp())...) {
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

func flat(bs [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}
