package triage

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/internal/langtest"
)

// TestNoEnglishLeftOnTheQueue renders the fixture's queue in Finnish and
// Swedish, at 80x24 and 120x40, with the filter open and the sections
// switched, and fails on a word of the English catalogs left on screen
// or a row wider than the terminal.
func TestNoEnglishLeftOnTheQueue(t *testing.T) {
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.DB.Close()
	for _, lang := range []string{i18n.FI, i18n.SV} {
		tr := i18n.New(lang)
		q, err := f.DB.Triage(context.Background(), fixture.Actor(f.Anna), f.Anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		q.Localize(tr)
		common.SanitizeQueue(q)
		// Words of the data: names, program and module titles, and the
		// instruments' item labels quoted in risk reasons (content, not
		// the interface).
		data := []string{f.Anna.Name}
		for _, it := range q.Items {
			data = append(data, it.DisplayName, it.ProgramTitle, it.ModuleTitle)
			for _, r := range it.Reasons {
				if i := strings.LastIndex(r.Text, "("); i >= 0 && r.Code == store.ReasonCriticalItem {
					data = append(data, r.Text[i:])
				}
				data = append(data, reasonData(r)...)
			}
		}
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			r := lipgloss.NewRenderer(nil)
			r.SetColorProfile(termenv.Ascii)
			c := &common.Common{Ctx: context.Background(), Store: f.DB, Actor: fixture.Actor(f.Anna), Therapist: f.Anna,
				Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeysIn(tr), Clock: f.Clock.Now,
				Loc: fixture.Helsinki(), Config: common.DefaultConfig(), Tr: tr}
			if scales, err := common.LoadScales(context.Background(), f.DB); err == nil {
				c.Scales = scales.In(tr)
			}
			p := New(c, f.Anna, false, true)
			p.SetSize(size[0], size[1]-2)
			p.SetQueue(q)
			screens := []string{p.View()}
			for _, k := range []string{"tab", "tab", "s", "j", "/"} {
				p.Update(keyMsg(k))
				screens = append(screens, p.View())
			}
			ro := New(c, f.Anna, true, false)
			ro.SetSize(size[0], size[1]-2)
			ro.SetQueue(q)
			screens = append(screens, ro.View(), ro.Title(), p.Title())
			for _, b := range append(p.ShortHelp(), flat(p.FullHelp())...) {
				screens = append(screens, b.Help().Desc)
			}
			for i, s := range screens {
				if en := langtest.English(s, lang, data...); len(en) > 0 {
					t.Errorf("%s %dx%d screen %d: English left: %v\n%s", lang, size[0], size[1], i, en, s)
				}
				if over := langtest.Overflow(s, size[0]); len(over) > 0 {
					t.Errorf("%s %dx%d screen %d: rows wider than the terminal:\n%s", lang, size[0], size[1], i, strings.Join(over, "\n"))
				}
			}
		}
	}
}

// reasonData is what a reason quotes from the records: exercise titles
// between quotes.
func reasonData(r store.Reason) []string {
	var out []string
	parts := strings.Split(r.Text, "'")
	for i := 1; i < len(parts); i += 2 {
		out = append(out, parts[i])
	}
	return out
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func flat(bs [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// TestSortByNameFollowsTheLanguage: sorted by name, å, ä and ö come after
// z in Finnish and Swedish; in English Å sorts with A.
func TestSortByNameFollowsTheLanguage(t *testing.T) {
	q := &store.Queue{TherapistID: "t1", Counts: map[store.Class]int{}}
	for i, n := range []string{"Ärla", "Åsa", "Zoe", "Anna", "Örjan", "Bo"} {
		q.Items = append(q.Items, store.QueueItem{PatientID: fmt.Sprint("p", i), DisplayName: n, Class: store.ClassDue,
			Status: store.EnrollmentActive, Reasons: []store.Reason{{Class: store.ClassDue, Text: "x", Badge: "x"}}})
		q.Counts[store.ClassDue]++
	}
	for lang, want := range map[string]string{
		i18n.FI: "Anna Bo Zoe Åsa Ärla Örjan",
		i18n.SV: "Anna Bo Zoe Åsa Ärla Örjan",
		i18n.EN: "Anna Ärla Åsa Bo Örjan Zoe",
	} {
		c := testCommon()
		c.Tr = i18n.New(lang)
		p := New(c, store.Therapist{ID: "t1"}, false, true)
		p.SetSize(80, 22)
		p.SetQueue(q)
		p.Update(keyMsg("s"))
		if p.sortMode != SortName {
			t.Fatalf("s: sort mode %d", p.sortMode)
		}
		var got []string
		for _, it := range p.Visible() {
			got = append(got, it.DisplayName)
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("%s: %s, want %s", lang, g, want)
		}
	}
}
