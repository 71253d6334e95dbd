// Package langtest helps the pages' tests find English left on a screen
// rendered in Finnish or Swedish: a word of the English catalogs that no
// catalog of the language has is a string the page did not translate
// (or wrote by hand).
package langtest

import (
	"context"
	"io/fs"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"go.yaml.in/yaml/v3"

	"polku/internal/i18n"
	"polku/tui/common"
)

var (
	placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)
	word        = regexp.MustCompile(`[\p{L}]+(?:['’][\p{L}]+)?`)
)

// words of every message of a language's catalogs, lower-cased.
var words = sync.OnceValue(func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	names, _ := fs.Glob(i18n.Catalogs(), "catalog/*.yaml")
	for _, name := range names {
		parts := strings.Split(strings.TrimSuffix(name[len("catalog/"):], ".yaml"), ".")
		lang := parts[len(parts)-1]
		if out[lang] == nil {
			out[lang] = map[string]bool{}
		}
		buf, err := fs.ReadFile(i18n.Catalogs(), name)
		if err != nil {
			continue
		}
		var v any
		if yaml.Unmarshal(buf, &v) != nil {
			continue
		}
		collect(v, out[lang])
	}
	return out
})

func collect(v any, into map[string]bool) {
	switch v := v.(type) {
	case string:
		for _, w := range word.FindAllString(placeholder.ReplaceAllString(v, " "), -1) {
			into[strings.ToLower(w)] = true
		}
	case map[string]any:
		for _, x := range v {
			collect(x, into)
		}
	case []any:
		for _, x := range v {
			collect(x, into)
		}
	}
}

// English lists the words of screen (ANSI stripped) that are English:
// in an English catalog, in no catalog of lang, at least four letters
// long, and not among allowed (words of the test's data: names, program
// titles). Sorted, each once.
func English(screen, lang string, allowed ...string) []string {
	ws := words()
	ok := map[string]bool{}
	for _, a := range allowed {
		for _, w := range word.FindAllString(a, -1) {
			ok[strings.ToLower(w)] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, w := range word.FindAllString(ansi.Strip(screen), -1) {
		lw := strings.ToLower(w)
		if len([]rune(lw)) < 4 || seen[lw] || ok[lw] || !ws[i18n.EN][lw] || ws[lang][lw] {
			continue
		}
		seen[lw] = true
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// Overflow lists the lines of screen wider than width (a row that would
// wrap).
func Overflow(screen string, width int) []string {
	var out []string
	for _, l := range strings.Split(screen, "\n") {
		if ansi.StringWidth(l) > width {
			out = append(out, l)
		}
	}
	return out
}

// The scaffolding the pages' language tests share: a Common that draws a
// page in a language without colour, the loop that runs a page's
// commands, and the screens a page shows with the checks every screen
// gets.

// NewCommon is a Common that draws in lang without colour (an ASCII
// renderer, monochrome styles), with the language's printer and key help,
// UTC, the default configuration and a write tracker; the test fills in
// the store, the therapist and the clock.
func NewCommon(lang string) *common.Common {
	tr := i18n.New(lang)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	return &common.Common{Ctx: context.Background(), Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeysIn(tr),
		Clock: time.Now, Loc: time.UTC, Config: common.DefaultConfig(), Writes: common.NewTracker(), Tr: tr}
}

// Drain runs cmd and every command that follows from it, as the root
// would: a page's own messages (common.PageMsg) go to p.Update, batches
// are opened, and every other message is returned in order.
func Drain(p tea.Model, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch m := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		case common.PageMsg:
			_, next := p.Update(m.Msg)
			queue = append(queue, next)
		default:
			out = append(out, m)
		}
	}
	return out
}

// Key sends a key to p and drains what follows: "enter", "esc", "tab",
// "up", "down", or runes ("v").
func Key(p tea.Model, k string) []tea.Msg {
	var msg tea.KeyMsg
	switch k {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		msg = tea.KeyMsg{Type: tea.KeyTab}
	case "up":
		msg = tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		msg = tea.KeyMsg{Type: tea.KeyDown}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	_, cmd := p.Update(msg)
	return Drain(p, cmd)
}

// Page is what Shot reads of a page.
type Page interface {
	View() string
	Title() string
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// Screen is one text a person reads, and the width it must fit in.
type Screen struct {
	Width int
	Text  string
}

// Screens are the texts of a page the test has seen.
type Screens []Screen

// Add adds a text that must fit in width.
func (s *Screens) Add(width int, text string) { *s = append(*s, Screen{width, text}) }

// Shot adds the page's view, its title and the description of every key
// of its help, each to fit in width.
func (s *Screens) Shot(p Page, width int) {
	s.Add(width, p.View())
	s.Add(width, p.Title())
	for _, b := range append(p.ShortHelp(), Flat(p.FullHelp())...) {
		s.Add(width, b.Help().Desc)
	}
}

// All is every text, one after another.
func (s Screens) All() string {
	var b strings.Builder
	for _, sc := range s {
		b.WriteString(sc.Text + "\n")
	}
	return b.String()
}

// Check fails t for every screen with English left (English, with data
// allowed) or a row wider than its width. what names the page in the
// messages.
func (s Screens) Check(t testing.TB, what, lang string, data ...string) {
	t.Helper()
	for i, sc := range s {
		if en := English(sc.Text, lang, data...); len(en) > 0 {
			t.Errorf("%s %s screen %d: English left: %v\n%s", what, lang, i, en, sc.Text)
		}
		if over := Overflow(sc.Text, sc.Width); len(over) > 0 {
			t.Errorf("%s %s screen %d: rows wider than %d:\n%s", what, lang, i, sc.Width, strings.Join(over, "\n"))
		}
	}
}

// Flat is the bindings of a full help, one after another.
func Flat(bs [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// Texts is every string reachable from v through exported fields, slices
// and map values (not map keys, which are codes): the words of a record
// or a definition are data (patients' texts, program content), not the
// interface.
func Texts(v any) []string {
	var out []string
	texts(reflect.ValueOf(v), &out, 0, false)
	return out
}

// TextsAndKeys is Texts with the maps' keys too.
func TextsAndKeys(v any) []string {
	var out []string
	texts(reflect.ValueOf(v), &out, 0, true)
	return out
}

func texts(v reflect.Value, out *[]string, depth int, keys bool) {
	if depth > 12 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			texts(v.Elem(), out, depth+1, keys)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				texts(v.Field(i), out, depth+1, keys)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			texts(v.Index(i), out, depth+1, keys)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if keys {
				texts(it.Key(), out, depth+1, keys)
			}
			texts(it.Value(), out, depth+1, keys)
		}
	}
}
