package tui

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"go.yaml.in/yaml/v3"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/components/ackdialog"
	"polku/tui/components/chart"
	"polku/tui/components/coursedialog"
	"polku/tui/components/editor"
	"polku/tui/components/goaheaddialog"
	"polku/tui/internal/fixture"
)

// pendingPages are the pages (by package) still expected to show English:
// on these pages only the words this package draws (status bar, help,
// legend, dialogs, editor) are checked; every other screen is checked
// whole. The fixture's patient and program text, the data the screens'
// tests add and the admin page's command lines are data, not interface
// (dataWords). Keep this list empty.
var pendingPages = []string{}

// langScreens are the golden screens and the ones only the languages
// need: the go-ahead dialog and the help while the editor has the
// keyboard.
func langScreens() []screen {
	return append(screens(),
		screen{"go-ahead", "anna", func(h *harness) {
			e := h.fx.Enrolled["P-0003"]
			if _, err := h.fx.DB.Submit(context.Background(), store.System("test"), store.Submission{EnrollmentID: e.ID, PatientID: e.PatientID,
				ModuleID: "sleep-and-diary", ExerciseID: "health-check", Answers: map[string]string{"snoring": "no", "epilepsy": "no"}}); err != nil {
				h.t.Fatal(err)
			}
			h.fire() // the poll sees the submission
			h.selectPatient(h.fx, "P-0003")
			h.keys("enter", "o")
		}},
		screen{"help-editor", "anna", func(h *harness) {
			h.selectPatient(h.fx, "P-0002")
			h.keys("enter", "e", "f1")
		}},
		screen{"help-scrolled", "anna", func(h *harness) { h.keys("?", "end") }},
		screen{"quit-from-page", "anna", func(h *harness) { h.keys("enter", "q") }},
	)
}

// rendered is one screen drawn in one language at one size.
type rendered struct {
	screen, lang string
	w, h         int
	page         string // the package of the page on top
	view         string
	// mine is what this package draws whatever the page: the status bar
	// and, with the help open, its title, legend and last line.
	mine string
}

var (
	renderMu    sync.Mutex
	renderCache []rendered
)

// renderEveryScreen draws every screen in every language at 80x24 and
// 120x40, once for all the tests that read them.
func renderEveryScreen(t *testing.T) []rendered {
	t.Helper()
	renderMu.Lock()
	defer renderMu.Unlock()
	if renderCache != nil {
		return renderCache
	}
	var out []rendered
	for _, sc := range langScreens() {
		for _, lang := range i18n.Languages() {
			// One store per screen and language: the screen is drawn at
			// 80x24, then resized to 120x40 and drawn again.
			h := sc.open(t, lang, 80, 24)
			for _, size := range [][2]int{{80, 24}, {120, 40}} {
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				page := strings.TrimPrefix(fmt.Sprintf("%T", h.m.Top()), "*")
				page, _, _ = strings.Cut(page, ".")
				v := h.view()
				out = append(out, rendered{screen: sc.name, lang: lang, w: size[0], h: size[1], page: page, view: v, mine: mine(v, lang, h.m.showHelp)})
			}
		}
	}
	renderCache = out
	return out
}

// TestLayoutHoldsInEveryLanguage: no line of any screen is wider than the
// terminal and no frame taller, in English, Finnish and Swedish, at 80x24
// and 120x40: long words are cut with an ellipsis, rows never wrap.
func TestLayoutHoldsInEveryLanguage(t *testing.T) {
	for _, r := range renderEveryScreen(t) {
		lines := strings.Split(r.view, "\n")
		if len(lines) > r.h {
			t.Errorf("%s %s %dx%d: %d lines, taller than the screen", r.screen, r.lang, r.w, r.h, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > r.w {
				t.Errorf("%s %s %dx%d: line %d is %d cells wide: %q", r.screen, r.lang, r.w, r.h, i+1, w, l)
			}
		}
	}
}

// TestNoEnglishLeftInFinnishAndSwedish renders every screen in Finnish
// and Swedish and fails on English: a sentence of this package's English
// catalog anywhere, and on screens not in pendingPages (and on the status
// bar and the legend of every screen) any English interface word: a word
// of the English catalogs or of a list of common English interface words
// that the language's own catalogs do not use and that is not patient or
// program text of the fixture.
func TestNoEnglishLeftInFinnishAndSwedish(t *testing.T) {
	all := renderEveryScreen(t)
	data, dataText := dataWords(t)
	for _, lang := range []string{i18n.FI, i18n.SV} {
		phrases := englishPhrases(t, lang, dataText)
		english := englishWords(t, lang, data)
		for _, r := range all {
			if r.lang != lang {
				continue
			}
			checked := r.view
			if pending(r.page) {
				checked = r.mine
			}
			flat := strings.Join(strings.Fields(checked), " ")
			for _, p := range phrases {
				if strings.Contains(flat, p) {
					t.Errorf("%s %s %dx%d (page %s): English sentence %q in\n%s", r.screen, lang, r.w, r.h, r.page, p, checked)
				}
			}
			if w := englishIn(checked, english); len(w) > 0 {
				t.Errorf("%s %s %dx%d (page %s): English words %v in\n%s", r.screen, lang, r.w, r.h, r.page, w, checked)
			}
		}
		// The components alone: every word of them is this package's.
		for name, view := range componentViews(t, lang) {
			if w := englishIn(view, english); len(w) > 0 {
				t.Errorf("%s %s: English words %v in\n%s", name, lang, w, view)
			}
			flat := strings.Join(strings.Fields(view), " ")
			for _, p := range phrases {
				if strings.Contains(flat, p) {
					t.Errorf("%s %s: English sentence %q", name, lang, p)
				}
			}
		}
	}
}

func pending(page string) bool {
	for _, p := range pendingPages {
		if p == page {
			return true
		}
	}
	return false
}

// mine is the part of a screen this package draws whatever the page: the
// status bar and, with the help open, the help's title line, its legend
// and its last line.
func mine(view, lang string, help bool) string {
	lines := strings.Split(view, "\n")
	out := []string{lines[len(lines)-1]}
	if !help || len(lines) < 3 {
		return strings.Join(out, "\n")
	}
	out = append(out, lines[0], lines[len(lines)-3])
	title := i18n.New(lang).T("tui.help.legend_title")
	for i, l := range lines[:len(lines)-2] {
		if strings.Contains(l, title) {
			out = append(out, lines[i:len(lines)-2]...)
			break
		}
	}
	return strings.Join(out, "\n")
}

// componentViews draws the dialogs, the editor and the chart on their
// own, in lang.
func componentViews(t *testing.T, lang string) map[string]string {
	t.Helper()
	f := newFixture(t)
	o := options(f, f.Anna)
	o.Lang = lang
	m, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	c := m.c
	out := map[string]string{}
	item := store.QueueItem{PatientID: f.Patients["P-0001"].ID, DisplayName: "Maria", Reasons: []store.Reason{
		{Class: store.ClassRisk, Code: store.ReasonCriticalItem, SourceID: "x", Text: "PHQ-9#9=2"},
		{Class: store.ClassRisk, Code: store.ReasonCriticalItem, SourceID: "y", Text: "PHQ-9#9=3"}}}
	ack := ackdialog.New(c, 1, item)
	ack.SetWidth(80)
	ack.AcknowledgedElsewhere()
	out["ack"] = ack.View() + "\n" + helpText(ack.FullHelp())
	empty := ackdialog.New(c, 1, store.QueueItem{DisplayName: "Maria"})
	out["ack-empty"] = empty.View()
	ga := goaheaddialog.New(c, 1, "", "", "Maria", nil)
	ga.SetSize(80, 20)
	out["go-ahead-empty"] = ga.View() + "\n" + helpText(ga.FullHelp())
	enr := f.Enrolled["P-0002"]
	cd := coursedialog.New(c, 1, "Maria", enr, []store.Therapist{f.Ben})
	cd.SetWidth(80)
	out["course"] = cd.View() + "\n" + helpText(cd.FullHelp())
	for _, k := range []string{"j", "j", "j", "j", "j"} { // every step
		cd.Update(keyMsg(k))
		out["course-"+cd.Kind()] = cd.View()
	}
	changed := enr
	changed.Status, changed.PlannedEnd, changed.TherapistID = store.EnrollmentCompleted, "2027-01-01", f.Ben.ID
	cd.Reloaded(changed, func(string) string { return "Ben" })
	out["course-reloaded"] = cd.View()
	cd.Refused(fmt.Errorf("x"))
	out["course-refused"] = cd.View()
	for _, word := range []string{"", "sign"} {
		e := editor.New(c, 1, editor.Options{Kind: store.DraftFeedback, TargetID: "t", PatientID: f.Patients["P-0001"].ID, Label: "Maria", Verb: "Maria", Word: word})
		e.SetSize(80, 10)
		v := e.View() + "\n" + helpText(e.FullHelp())
		e.Offer("Maria?")
		v += "\n" + e.View()
		out["editor-"+word] = v
	}
	sp := chart.Spec{Points: []chart.Point{{Week: 0, Total: 20}, {Week: 2, Total: 12}}, Lo: 0, Hi: 27, Reliable: 6, Weeks: 8, Width: 70, Height: 10, Tr: c.Printer()}
	out["chart"] = chart.Render(sp, chart.Styles{}) + "\n" + chart.Legend(sp)
	out["status"] = strings.Join([]string{c.T("tui.status.quit_from_queue"), c.T("tui.status.nothing_else"),
		c.T("tui.delivery.refused"), c.T("tui.delivery.all_sent"), c.T("tui.delivery.saved_offline"), c.T("tui.delivery.sending"),
		c.When(fixture.Now), c.Starts("2026-11-20"), c.StartBadge("2026-11-20"), c.WorkingDays(fixture.Now.Add(-96*time.Hour), fixture.Now),
		c.Minutes(75 * time.Minute), c.Ago(fixture.Now.Add(-time.Hour))}, "\n")
	return out
}

func helpText(groups [][]key.Binding) string {
	var b strings.Builder
	for _, g := range groups {
		for _, k := range g {
			b.WriteString(k.Help().Key + " " + k.Help().Desc + "\n")
		}
	}
	return b.String()
}

// englishPhrases are the literal parts of this package's English
// messages, two words or more, that lang's catalog does not say the same.
func englishPhrases(t *testing.T, lang, data string) []string {
	t.Helper()
	en := catalogTexts(t, "tui", i18n.EN)
	own := strings.Join(catalogTexts(t, "", lang), "\n")
	placeholder := regexp.MustCompile(`\{\{[^}]*\}\}`)
	seen := map[string]bool{}
	var out []string
	for _, s := range en {
		for _, frag := range placeholder.Split(s, -1) {
			frag = strings.TrimFunc(frag, func(r rune) bool { return !unicode.IsLetter(r) })
			// A phrase the fixture's patient or program text also has
			// ("What did you do" in an English exercise) is data there,
			// as its words are.
			if len(strings.Fields(frag)) < 2 || len(frag) < 8 || strings.Contains(own, frag) || strings.Contains(data, frag) || seen[frag] {
				continue
			}
			seen[frag] = true
			out = append(out, frag)
		}
	}
	if len(out) < 50 {
		t.Fatalf("only %d English phrases found in the tui catalog: the test no longer reads it", len(out))
	}
	return out
}

// commonEnglish are English interface words a screen should not show in
// Finnish or Swedish, whether or not a catalog has them.
var commonEnglish = strings.Fields(`the and with you your this that from not press open close save saved send sent cancel
back help quit next previous today yesterday tomorrow week weeks days hours ago new edit delete search filter loading
error draft drafts message messages feedback patient patients queue notes timeline none nothing yes keys screen
scroll lines comment record choose decision reason weeks live online offline synced pending conflicts
demo data synthetic writing editing saving sending`)

// englishWords are the English interface words for lang: the words of
// every English catalog and commonEnglish, less the words lang's own
// catalogs use and the fixture's patient and program text.
func englishWords(t *testing.T, lang string, data map[string]bool) map[string]bool {
	t.Helper()
	own := map[string]bool{}
	for _, s := range catalogTexts(t, "", lang) {
		for _, w := range words(s) {
			own[w] = true
		}
	}
	// Key names are the keyboard's, not words of a language (the help
	// says "pgdn/ctrl+f/space" in every language).
	for _, k := range []string{"space", "enter", "tab", "esc", "home", "end", "pgup", "pgdn", "ctrl", "shift", "alt", "backspace", "delete"} {
		own[k] = true
	}
	out := map[string]bool{}
	add := func(w string) {
		if !own[w] && !data[w] {
			out[w] = true
		}
	}
	for _, s := range catalogTexts(t, "", i18n.EN) {
		for _, w := range words(s) {
			add(w)
		}
	}
	for _, w := range commonEnglish {
		add(w)
	}
	return out
}

var wordRE = regexp.MustCompile(`\p{L}{3,}`)

// words are the lower-cased words of three letters or more of s (without
// template placeholders).
func words(s string) []string {
	s = regexp.MustCompile(`\{\{[^}]*\}\}`).ReplaceAllString(s, " ")
	ws := wordRE.FindAllString(strings.ToLower(s), -1)
	return ws
}

func englishIn(view string, english map[string]bool) []string {
	seen := map[string]bool{}
	for _, w := range words(view) {
		if english[w] {
			seen[w] = true
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// catalogTexts are every text of the catalogs of area ("" every area) in
// lang.
func catalogTexts(t *testing.T, area, lang string) []string {
	t.Helper()
	names, err := fs.Glob(i18n.Catalogs(), "catalog/*."+lang+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range names {
		if area != "" && !strings.HasPrefix(filepath.Base(name), area+".") {
			continue
		}
		buf, err := fs.ReadFile(i18n.Catalogs(), name)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := yaml.Unmarshal(buf, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			case string:
				out = append(out, v)
			}
		}
		walk(v)
	}
	return out
}

// dataWords are the words of the fixture's patient and program text and
// of what the test screens type: content, not interface.
// declares says whether d declares the function or variable name.
func declares(d ast.Decl, name string) bool {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Name.Name == name
	case *ast.GenDecl:
		for _, sp := range d.Specs {
			if v, ok := sp.(*ast.ValueSpec); ok {
				for _, n := range v.Names {
					if n.Name == name {
						return true
					}
				}
			}
		}
	}
	return false
}

func dataWords(t *testing.T) (map[string]bool, string) {
	t.Helper()
	out := map[string]bool{}
	var text strings.Builder
	addText := func(s string) {
		text.WriteString(strings.Join(strings.Fields(s), " ") + "\n")
		for _, w := range words(s) {
			out[w] = true
		}
	}
	addGo := func(path string) {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					addText(s)
				}
			}
			return true
		})
	}
	for _, p := range []string{"internal/fixture/fixture.go", "internal/fixture/hostile.go", "golden_test.go"} {
		addGo(p)
	}
	// The data the screens' tests add to the fixture: the referrals of
	// the intake (names, referral text) and the cohort and peer group
	// (their names). Only the functions that build the data: the rest of
	// those files asserts English and must not count as data.
	addFunc := func(path, name string, keep func(string) bool) {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range f.Decls {
			if !declares(d, name) {
				continue
			}
			found = true
			ast.Inspect(d, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && keep(s) {
						addText(s)
					}
				}
				return true
			})
		}
		if !found {
			t.Fatalf("%s: no %s: the test no longer reads the screens' data", path, name)
		}
	}
	all := func(string) bool { return true }
	addFunc("intake_test.go", "referrals", all)
	addFunc("groups_test.go", "setupGroups", all)
	// The admin page shows command lines to type: commands and flags are
	// the same in every language.
	addFunc("pages/admin/admin.go", "groups", func(s string) bool { return strings.HasPrefix(s, "polku ") })
	err := filepath.WalkDir("../programs/builtin", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		buf, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		addText(string(buf))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, text.String()
}
