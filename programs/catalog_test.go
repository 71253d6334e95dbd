package programs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"polku/internal/i18n"
	"polku/programs"
)

// TestErrorIDsAreInEveryCatalog reads the programs package for the
// messages of its problems (i18n.Msg("programs.err...", name, value...))
// and fails on an id missing from a language's catalogs, and on a call
// that does not give a placeholder its English sentence uses (which would
// print "<no value>").
func TestErrorIDsAreInEveryCatalog(t *testing.T) {
	known := map[string]map[string]bool{}
	for _, l := range i18n.Languages() {
		known[l] = map[string]bool{}
		for _, id := range i18n.IDs(l) {
			known[l][id] = true
		}
	}
	english := catalogTexts(t, "catalog/programs.en.yaml")
	placeholder := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Msg" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			if !strings.HasPrefix(id, "programs.err.") {
				return true
			}
			calls++
			where := fset.Position(lit.Pos()).String()
			for _, l := range i18n.Languages() {
				if !known[l][id] {
					t.Errorf("%s: message %q is not in the %s catalogs", where, id, l)
				}
			}
			given := map[string]bool{}
			for i := 1; i < len(call.Args); i += 2 {
				if k, ok := call.Args[i].(*ast.BasicLit); ok {
					name, _ := strconv.Unquote(k.Value)
					given[name] = true
				}
			}
			for _, m := range placeholder.FindAllStringSubmatch(english[id], -1) {
				if !given[m[1]] {
					t.Errorf("%s: %q uses {{.%s}}, which the call does not give", where, id, m[1])
				}
			}
			for name := range given {
				if !strings.Contains(english[id], "{{."+name+"}}") {
					t.Errorf("%s: %q is given %s, which its English sentence does not use", where, id, name)
				}
			}
			return true
		})
	}
	if calls < 50 {
		t.Fatalf("found %d programs.err messages in the source: the scan is broken", calls)
	}
	// and no message in the catalogs that no code uses
	for id := range english {
		found := false
		for _, f := range files {
			if src, _ := os.ReadFile(f); strings.Contains(string(src), `"`+id+`"`) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s is in the catalog but no code uses it", id)
		}
	}
}

// catalogTexts flattens a catalog file into id -> English text.
func catalogTexts(t *testing.T, name string) map[string]string {
	t.Helper()
	buf, err := fs.ReadFile(i18n.Catalogs(), name)
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := yaml.Unmarshal(buf, &root); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(prefix+"."+k, x)
			}
		case string:
			out[strings.TrimPrefix(prefix, ".")] = v
		}
	}
	walk("", root)
	return out
}

// TestProblemsInEveryLanguage renders the problems of broken files in
// Finnish and Swedish: every sentence is rendered (no id, no "<no
// value>"), differs from the English, and Msg stays English.
func TestProblemsInEveryLanguage(t *testing.T) {
	files := map[string]string{
		"p.yaml": `kind: program
id: Bad_Id
version: one
title: T
language: de
weeks: 60
min_age: 16
titel: x
description: d
modules:
  - id: m1
    title: M
    body: b
    exercises:
      - {id: e1, kind: essay, title: E, prompt: p}
      - {id: e1, kind: questionnaire, title: Q, prompt: p, instrument: nope}
schedule:
  - {instrument: phq9, weeks: [0, 61]}
`,
		"i.yaml": `kind: instrument
id: mini
version: 1
title: Mini
language: en
validated: true
licence: ours
options: [{score: 0, label: No}, {score: 1, label: Yes}]
items: [{id: "1", text: One}, {id: "2", text: Two}]
scoring: sum
bands:
  - {min: 0, max: 0, label: none}
  - {min: 2, max: 3, label: some}
`,
		"s.yaml": "kind: program\nid: [unclosed\n",
	}
	var probs programs.Problems
	b := &programs.Bundle{}
	for name, text := range files {
		docs, ps := programs.Parse(name, []byte(text))
		b.Docs = append(b.Docs, docs...)
		probs = append(probs, ps...)
	}
	probs = append(probs, programs.Validate(b, nil)...)
	if len(probs) < 10 {
		t.Fatalf("only %d problems: %v", len(probs), probs)
	}
	for _, l := range []string{i18n.FI, i18n.SV} {
		p := i18n.New(l)
		for _, pr := range probs {
			got := pr.Text(p)
			if got == pr.Msg || strings.Contains(got, "programs.err") || strings.Contains(got, "<no value>") {
				t.Errorf("%s: %s\n  said as %q", l, pr, got)
			}
			if !strings.HasPrefix(pr.Localized(p), strings.TrimSuffix(pr.String(), pr.Msg)) {
				t.Errorf("%s: %q does not keep the position of %q", l, pr.Localized(p), pr)
			}
			if pr.Message.ID == "" || pr.JSON(p).Code != pr.Message.ID {
				t.Errorf("%s: %s has no code", l, pr)
			}
		}
	}
	if got := probs.Localized(nil); got != probs.Error() {
		t.Errorf("without a printer the problems are not the English ones:\n%s", got)
	}
}
