package intake

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

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

// run executes a command and delivers its page messages to p.
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

func texts(v reflect.Value, out *[]string, depth int) {
	if depth > 10 || !v.IsValid() {
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
			texts(it.Value(), out, depth+1)
		}
	}
}

// TestNoEnglishLeftOnTheIntakePage renders the intake queue, its preview
// and the three decision forms in Finnish and Swedish at 80x24 and
// 120x40, and fails on English left or a row wider than the terminal.
// What the store says about a referral's suggestions (the programs'
// and therapists' fit) is the store's data here.
func TestNoEnglishLeftOnTheIntakePage(t *testing.T) {
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.DB.Close()
	ctx := context.Background()
	for i, reason := range []string{"Worry for a year, sleep disturbed.", "Low mood; has thought of ending my life, she wrote."} {
		var in store.ReferralIn
		in.SourceID = "S-" + string(rune('A'+i))
		in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = "R-000"+string(rune('1'+i)), "Kalle Lähetetty", "2009-03-04", "fi"
		in.Region = "helsinki"
		in.Referrer.Name, in.Referrer.Organisation = "Dr. Lehto", "Kallion terveysasema"
		in.Reason, in.Codes, in.Team = reason, []string{"F41.1"}, "south"
		at := f.Clock.Now().Add(-time.Duration(9-8*i) * 24 * time.Hour)
		in.ReceivedAt = &at
		if _, err := f.DB.ReceiveReferral(ctx, store.System("test"), in, false); err != nil {
			t.Fatal(err)
		}
	}
	th, _ := f.DB.Therapist(ctx, f.Anna.ID)
	if err := f.DB.SetTherapistIntake(ctx, store.System("test"), th.ID, th.Version, true); err != nil {
		t.Fatal(err)
	}
	th, _ = f.DB.Therapist(ctx, f.Anna.ID)
	for _, lang := range []string{i18n.FI, i18n.SV} {
		tr := i18n.New(lang)
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(termenv.Ascii)
		c := &common.Common{Ctx: ctx, Store: f.DB, Actor: fixture.Actor(th), Therapist: th,
			Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeysIn(tr), Clock: f.Clock.Now,
			Loc: fixture.Helsinki(), Config: common.DefaultConfig(), Writes: common.NewTracker(), Tr: tr}
		p := New(c)
		p.SetSize(80, 22)
		run(p, p.Init())
		{
			_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyDown})
			run(p, cmd)
		}
		{
			_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyUp})
			run(p, cmd)
		}
		var data []string
		texts(reflect.ValueOf(p.queue), &data, 0)
		texts(reflect.ValueOf(p.details), &data, 0)
		for _, dc := range store.DeclineCodes {
			data = append(data, dc[0]) // a code, shown as the code
		}
		// The reasons are rendered in the language; they are not data.
		if p.queue != nil {
			for _, it := range p.queue.Items {
				for _, r := range it.Reasons {
					for i, d := range data {
						if d == r.Text || d == r.Badge {
							data[i] = ""
						}
					}
				}
			}
		}
		var screens [][2]any
		shot := func(w int) {
			screens = append(screens, [2]any{w, p.View()})
			for _, b := range append(p.ShortHelp(), flat(p.FullHelp())...) {
				screens = append(screens, [2]any{w, b.Help().Desc})
			}
		}
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			p.SetSize(size[0], size[1]-2)
			shot(size[0])
			for _, k := range []string{"a", "d", "w"} {
				{
					_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
					run(p, cmd)
				}
				shot(size[0])
				{
					_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyEsc})
					run(p, cmd)
				}
			}
		}
		screens = append(screens, [2]any{80, p.Title()})
		if len(screens) < 10 || !strings.Contains(screens[0][1].(string), "Kalle Lähetetty") {
			t.Fatalf("%s: the queue is not on screen:\n%s", lang, screens[0][1])
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

func flat(bs [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}
