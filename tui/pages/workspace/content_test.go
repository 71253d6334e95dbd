package workspace

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/components/editor"
	"polku/tui/internal/fixture"
)

// finnish opens Juha's workspace as if he read Finnish: the record as the
// store gives it for a Finnish-speaking patient (the fixture's patients
// write, and so read, English).
func finnish(t *testing.T) (*fixture.Fixture, *Page) {
	t.Helper()
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := New(c, item(t, f, c, "P-0002"), false, nil)
	p.SetSize(100, 30)
	run(p, p.Init())
	if p.Reading() == "" {
		t.Fatal("the workspace did not open the reader")
	}
	tpl, err := f.DB.TemplatesFor(context.Background(), "gad", "fi")
	if err != nil {
		t.Fatal(err)
	}
	p.rec.Patient.Language, p.rec.Templates = "fi", tpl
	p.derive()
	p.editors = map[string]*editor.Editor{} // made with the English record

	return f, p
}

// The feedback editor offers the templates of the patient's language
// (Finnish here, whatever the therapist's interface language), with the
// patient's first name, the exercise and the therapist filled in.
func TestEditorOffersThePatientsTemplates(t *testing.T) {
	_, p := finnish(t)
	c := p.c
	e := p.ensureEditor(store.DraftFeedback, p.Reading())
	if e == nil {
		t.Fatal("no feedback editor")
	}
	e.Focus()
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1"), Alt: true})
	row, _ := p.subByID(p.Reading())
	got := e.Value()
	if !strings.HasPrefix(got, "Hei Juha,") || !strings.Contains(got, `kiitos, että lähetit harjoituksen "`+row.title()+`"`) || strings.Contains(got, "{") {
		t.Errorf("alt+1 inserted %q, want the Finnish thanks with the name and the exercise %q", got, row.title())
	}
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2"), Alt: true})
	if got := e.Value(); !strings.Contains(got, "Pisteesi ovat muuttuneet alusta: GAD-7 15 pisteestä 10 pisteeseen") {
		t.Errorf("alt+2 gave %q, want the score change in Finnish", got)
	}
	e.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4"), Alt: true})
	if got := e.Value(); !strings.HasSuffix(got, "Ystävällisin terveisin\n"+c.Therapist.Name) {
		t.Errorf("alt+4 gave %q, want the Finnish sign-off with %q", got, c.Therapist.Name)
	}
}

// L switches the module text between the patient's language and the
// therapist's, and back; the key is in the help.
func TestLShowsTheModuleInTheTherapistsLanguage(t *testing.T) {
	_, p := finnish(t)
	row, _ := p.subByID(p.Reading())
	fi := row.moduleTitle()
	p.Update(press("L"))
	row, _ = p.subByID(p.Reading())
	en := row.moduleTitle()
	p.Update(press("L"))
	row, _ = p.subByID(p.Reading())
	if fi == en || row.moduleTitle() != fi || !strings.Contains(p.readerContent(96), "Module: "+fi) {
		t.Errorf("module title: patient's %q, therapist's %q, back %q", fi, en, row.moduleTitle())
	}
	found := false
	for _, g := range p.FullHelp() {
		for _, b := range g {
			found = found || b.Help().Key == "L"
		}
	}
	if !found {
		t.Error("L is not in the help")
	}
}
