package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"polku/programs/builtin"
)

// brokenProgramFiles are files with many kinds of problems: of YAML
// syntax, of types and keys, of values, and a translation that does not
// match its stored original.
func brokenProgramFiles(t *testing.T, dir string) {
	t.Helper()
	sv, err := fs.ReadFile(builtin.FS(), "sv/sleep-check.yaml")
	if err != nil {
		t.Fatal(err)
	}
	score := strings.Replace(string(sv), "{score: 4,", "{score: 5,", 1)
	if score == string(sv) {
		t.Fatal("the Swedish sleep check changed shape")
	}
	files := map[string]string{
		"program.yaml": `kind: program
id: Bad_Id
version: one
title: T
language: de
weeks: 60
min_age: 16
max_age: 12
titel: x
description: d
crisis:
  title: Kriisi
  intro: Soita
  contacts:
    - {name: Päivystys, number: "abc", when: aina, hours: 24/7, source: x, checked: eilen}
modules:
  - id: m1
    title: M
    body: b
    week: 70
    exercises:
      - {id: e1, kind: essay, title: E, prompt: p}
      - {id: e1, kind: questionnaire, title: Q, prompt: p, instrument: nope}
      - {id: r, kind: worksheet, title: R, prompt: p, fields: [{id: Bad Field, label: L, type: rating}]}
schedule:
  - {instrument: phq9, weeks: [0, 61, 0]}
`,
		"instrument.yaml": `kind: instrument
id: mini
version: 1
title: Mini
language: en
validated: false
licence: ours
scoring: mean
options: [{score: 0, label: No}, {score: 1, label: Yes}, {score: 1, label: Maybe}]
items: [{id: "1", text: One}, {id: "1", text: Two}]
bands:
  - {min: 0, max: 0, label: none}
  - {min: 2, max: 9, label: some}
critical:
  - {item: "7", amber: 1, label: Risk}
sd: 3
`,
		"syntax.yaml":         "kind: program\nid: [unclosed\n",
		"sv/sleep-check.yaml": score,
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

var problemLine = regexp.MustCompile(`^(\S+:\d+:\d+: )(.+)$`)

// problemEnglish are words of the English problems that no Finnish or
// Swedish sentence has.
var problemEnglish = regexp.MustCompile(`\b(must|missing|unknown|duplicate|between|outside|twice|should|not|is|are|the|of|and|or|with|original|translation|week|number|whole|leave|gap|overlaps|found|expected|did)\b`)

// problemLines splits a command's problem lines into where and what,
// failing on a line that is neither a problem nor the count.
func problemLines(t *testing.T, stderr string) (where, what []string, count string) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if m := problemLine.FindStringSubmatch(l); m != nil {
			where, what = append(where, m[1]), append(what, m[2])
			continue
		}
		if c, ok := strings.CutPrefix(l, "polku: "); ok && count == "" {
			count = c
			continue
		}
		t.Errorf("not a problem line: %q", l)
	}
	return where, what, count
}

// 'programs import' and 'programs validate' of broken files say every
// problem in Finnish and Swedish, at the same file:line:col as in English,
// with no English sentence or word left; the language comes from --lang,
// the therapist's setting or LANG; JSON carries each problem's code.
func TestProgramProblemsInTheReadersLanguage(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	db := filepath.Join(dir, "polku.db")
	if code, _, errs := cli(t, vars, "", "--db", db, "init"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, vars, "", "--db", db, "therapists", "add", "sanna", "--name", "Sanna Berg", "--ui-lang", "sv"); code != 0 {
		t.Fatal(errs)
	}
	files := filepath.Join(dir, "files")
	brokenProgramFiles(t, files)

	code, _, enErr := cli(t, vars, "", "--db", db, "--lang", "en", "programs", "import", "--dry-run", files)
	if code != 1 {
		t.Fatalf("import of broken files: exit %d\n%s", code, enErr)
	}
	enWhere, enWhat, enCount := problemLines(t, enErr)
	if len(enWhere) < 25 || enCount != itoa(len(enWhere))+" problems" {
		t.Fatalf("%d problems in English (%q):\n%s", len(enWhere), enCount, enErr)
	}
	for _, want := range []string{"YAML syntax:", "is 5 here and 4 in the en original", "must be lower-case", "bands leave a gap"} {
		if !strings.Contains(enErr, want) {
			t.Errorf("the English problems do not say %q:\n%s", want, enErr)
		}
	}

	runs := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"fi", vars, []string{"--lang", "fi", "programs", "import", "--dry-run", files}},
		{"sv", vars, []string{"--lang", "sv", "programs", "import", "--dry-run", files}},
		{"sv", vars, []string{"--as", "sanna", "programs", "import", "--dry-run", files}}, // her ui-lang
		{"fi", merge(vars, "LANG", "fi_FI.UTF-8"), []string{"programs", "validate", files}},
		{"sv", vars, []string{"--lang", "sv", "programs", "validate", files}},
	}
	said := map[string][]string{}
	for _, r := range runs {
		code, out, errs := cli(t, r.vars, "", append([]string{"--db", db}, r.args...)...)
		name := r.name + " " + strings.Join(r.args, " ")
		if code != 1 || out != "" {
			t.Errorf("%s: exit %d, stdout %q", name, code, out)
		}
		where, what, count := problemLines(t, errs)
		if strings.Join(where, "\n") != strings.Join(enWhere, "\n") {
			t.Errorf("%s: the problems are not at the English places:\n%s\nEnglish:\n%s", name, errs, enErr)
			continue
		}
		if count == enCount || problemEnglish.MatchString(count) {
			t.Errorf("%s: the count is English: %q", name, count)
		}
		for i := range what {
			if what[i] == enWhat[i] {
				t.Errorf("%s: %s%s is the English sentence", name, where[i], what[i])
			}
			// what a problem quotes from the file, and the YAML key names,
			// are as they are; the words around them are not English
			words := regexp.MustCompile(`"[^"]*"|\S+\[\d+\]\S*|[a-z_]+_[a-z_]+|\([^)]*: [a-z, _\d-]+\)|: [a-z, _-]+$`).ReplaceAllString(what[i], "")
			if m := problemEnglish.FindString(words); m != "" {
				t.Errorf("%s: %s%s has the English word %q", name, where[i], what[i], m)
			}
		}
		if prev, ok := said[r.name]; ok && strings.Join(prev, "\n") != strings.Join(what, "\n") {
			t.Errorf("%s: said otherwise than the other %s run", name, r.name)
		}
		said[r.name] = what
	}

	// JSON: every problem with its place, its code and arguments, and the
	// sentence in the language asked.
	for _, args := range [][]string{
		{"--lang", "fi", "programs", "import", "--dry-run", files, "--output", "json"},
		{"--lang", "fi", "programs", "validate", files, "-o", "json"},
	} {
		code, out, errs := cli(t, vars, "", append([]string{"--db", db}, args...)...)
		var got struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
			Problems []struct {
				File    string         `json:"file"`
				Line    int            `json:"line"`
				Col     int            `json:"col"`
				Code    string         `json:"code"`
				Args    map[string]any `json:"args"`
				Message string         `json:"message"`
			} `json:"problems"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != 1 {
			t.Fatalf("%v: exit %d, %v\n%s\n%s", args, code, err, out, errs)
		}
		if got.Error.Code != "problems" || len(got.Problems) != len(enWhere) {
			t.Fatalf("%v: %+v", args, got.Error)
		}
		if strings.Contains(errs, ".yaml:") {
			t.Errorf("%v: the problems are on stderr too:\n%s", args, errs)
		}
		for i, p := range got.Problems {
			where := p.File + ":" + itoa(p.Line) + ":" + itoa(p.Col) + ": "
			if where != enWhere[i] || !strings.HasPrefix(p.Code, "programs.err.") || p.Message != said["fi"][i] {
				t.Errorf("%v: problem %d is %+v; want at %s, saying %q", args, i, p, enWhere[i], said["fi"][i])
			}
		}
	}
}

// 'templates import' says the problems of a template file in the reader's
// language too.
func TestTemplateProblemsInTheReadersLanguage(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	db := filepath.Join(dir, "polku.db")
	if code, _, errs := cli(t, vars, "", "--db", db, "init", "--no-builtin"); code != 0 {
		t.Fatal(errs)
	}
	file := filepath.Join(dir, "t.yaml")
	os.WriteFile(file, []byte(`kind: templates
language: fi
templates:
  - name: kiitos
    body: "Hei {etunimi}, kiitos {exercise}."
  - name: kiitos
    body: ""
---
kind: templates
language: de
program: Gad
templates: []
`), 0o600)
	_, _, en := cli(t, vars, "", "--db", db, "--lang", "en", "templates", "import", file)
	enWhere, enWhat, _ := problemLines(t, en)
	if len(enWhere) != 6 {
		t.Fatalf("English: %s", en)
	}
	for _, l := range []string{"fi", "sv"} {
		code, _, errs := cli(t, vars, "", "--db", db, "--lang", l, "templates", "import", file)
		where, what, _ := problemLines(t, errs)
		if code != 1 || strings.Join(where, "\n") != strings.Join(enWhere, "\n") {
			t.Fatalf("%s: exit %d\n%s", l, code, errs)
		}
		for i := range what {
			if what[i] == enWhat[i] {
				t.Errorf("%s: %s%s is the English sentence", l, where[i], what[i])
			}
		}
	}
}

func merge(vars map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range vars {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
