package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"polku/internal/i18n"
)

var updateHelp = flag.Bool("update-help", false, "rewrite internal/i18n/catalog/clihelp.en.yaml from the code's English")

const helpCatalog = "../../internal/i18n/catalog/clihelp.%s.yaml"

func englishTree() *cobra.Command {
	a := &app{env: &env{getenv: func(string) string { return "" }}, p: i18n.New(i18n.EN)}
	root := a.rootCmd()
	completeTree(root)
	return root
}

// flatten turns a catalog file's nested keys into ids.
func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, sub, out)
		}
	case string:
		out[prefix] = x
	}
}

func readCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	buf, err := os.ReadFile(filepath.FromSlash(strings.Replace(helpCatalog, "%s", lang, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(buf, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	flatten("", doc, out)
	return out
}

// The English help catalog is the code's English, text for text: a
// command or flag added or reworded in the code without its catalog entry
// fails here (go test ./cmd/polku -run TestHelpCatalogMatchesCode
// -update-help rewrites it; then translate the new ids in fi and sv).
func TestHelpCatalogMatchesCode(t *testing.T) {
	texts := helpTexts(englishTree())
	if len(texts) < 100 {
		t.Fatalf("only %d help texts: the walk is broken", len(texts))
	}
	want := map[string]string{}
	for _, h := range texts {
		if strings.Contains(h.en, "{{") {
			t.Errorf("%s: %q has {{, which a catalog message cannot carry", h.id, h.en)
		}
		if _, dup := want[h.id]; dup {
			t.Errorf("%s twice", h.id)
		}
		want[h.id] = h.en
	}
	if *updateHelp {
		doc := map[string]any{}
		for id, text := range want {
			m := doc
			parts := strings.Split(id, ".")
			for _, p := range parts[:len(parts)-1] {
				if m[p] == nil {
					m[p] = map[string]any{}
				}
				m = m[p].(map[string]any)
			}
			m[parts[len(parts)-1]] = text
		}
		var b bytes.Buffer
		b.WriteString("# The help of the commands (cmd/polku/help.go), ids by command path.\n# Generated from the code: go test ./cmd/polku -run TestHelpCatalogMatchesCode -update-help\n")
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(strings.Replace(helpCatalog, "%s", "en", 1), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := readCatalog(t, "en")
	var missing []string
	for id, text := range want {
		if got[id] != text {
			missing = append(missing, id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s is in clihelp.en.yaml but no command has it", id)
		}
	}
	sort.Strings(missing)
	for _, id := range missing {
		t.Errorf("%s: the catalog's English is not the code's (run with -update-help)", id)
	}
}

// englishWords are words that show English left in a help text: common in
// English, and not words of Finnish or Swedish (nor names of commands).
// ("in" is also a Swedish particle: "skriv in", "logga in").
var englishWords = map[string]map[string]bool{"fi": {}, "sv": {}}

func init() {
	for _, w := range strings.Fields("the and with this that from for your you which what when of to is are or be by not an a it its as at each every how") {
		englishWords["fi"][w], englishWords["sv"][w] = true, true
	}
	englishWords["fi"]["in"] = true
}

// The help of every command in Finnish and Swedish has no English left:
// outside the usage lines, the flag names and the commands of the
// examples, no English word.
func TestHelpHasNoEnglishLeft(t *testing.T) {
	var paths [][]string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(englishTree())
	for _, lang := range []string{"fi", "sv"} {
		if w := englishIn(lang, "  show      Show a patient's enrollments and scores over time"); w == "" {
			t.Fatalf("%s: the check finds no English in English: it is broken", lang)
		}
	}
	for _, lang := range []string{"fi", "sv"} {
		for _, path := range paths {
			var out, errb bytes.Buffer
			args := append(append([]string{"--lang", lang}, path...), "--help")
			code := run(context.Background(), &env{args: args, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
				getenv: func(string) string { return "" }, now: time.Now})
			if code != 0 {
				t.Errorf("%s %v: exit %d: %s", lang, path, code, errb.String())
				continue
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if w := englishIn(lang, line); w != "" {
					t.Errorf("%s: polku %s --help: English %q left in %q", lang, strings.Join(path, " "), w, line)
				}
			}
		}
	}
}

// englishIn is an English word of a help line, "" when there is none: the
// commands of the usage and example lines, flag names, codes (words with a
// dash or an underscore) and quoted values are skipped.
func englishIn(lang, line string) string {
	s := strings.TrimSpace(line)
	if strings.HasPrefix(s, "polku ") || strings.HasPrefix(s, "cat ") || strings.HasPrefix(s, "systemctl ") || strings.HasPrefix(s, "--") {
		// a command line: only its comment is prose
		i := strings.Index(s, " # ")
		if i < 0 {
			return ""
		}
		s = s[i+3:]
	}
	s = codes.ReplaceAllString(s, " ")
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if englishWords[lang][w] {
			return w
		}
	}
	return ""
}

var codes = regexp.MustCompile(`\S*[-_.@/=]\S*|'[^']*'|"[^"]*"|\$\w+|[A-Z_]{2,}`)
