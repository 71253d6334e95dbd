// Package langtest helps the pages' tests find English left on a screen
// rendered in Finnish or Swedish: a word of the English catalogs that no
// catalog of the language has is a string the page did not translate
// (or wrote by hand).
package langtest

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"go.yaml.in/yaml/v3"

	"polku/internal/i18n"
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
