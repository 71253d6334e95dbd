package programs_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"polku/programs"
	"polku/programs/builtin"
)

func TestDefaultTemplatesInThreeLanguages(t *testing.T) {
	sets, err := builtin.Templates()
	if err != nil {
		t.Fatal(err)
	}
	general := map[string]int{}
	for _, s := range sets {
		if s.Program == "" {
			general[s.Language] = len(s.Templates)
		}
		for _, tp := range s.Templates {
			if s.Language != "en" && (strings.Contains(tp.Body, "thank") || strings.Contains(tp.Body, "Best wishes")) {
				t.Errorf("%s template %q is English", s.Language, tp.Name)
			}
		}
	}
	for _, l := range programs.Languages {
		if general[l] < 4 {
			t.Errorf("%s: %d general templates, want at least 4", l, general[l])
		}
	}
	// Written back and read again, the sets are the same.
	data, err := programs.MarshalTemplates(sets)
	if err != nil {
		t.Fatal(err)
	}
	docs, probs := programs.ParseTemplates("export.yaml", data)
	if len(probs) > 0 {
		t.Fatalf("%v\n%s", probs, data)
	}
	var back []programs.TemplateSet
	for _, d := range docs {
		back = append(back, *d.Set)
	}
	if !reflect.DeepEqual(back, sets) {
		t.Errorf("round trip changed the templates:\n%s", data)
	}
}

func TestTemplateProblemsHavePositions(t *testing.T) {
	text := `kind: templates
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
`
	_, probs := programs.ParseTemplates("t.yaml", []byte(text))
	want := []string{
		`t.yaml:5:11: unknown variable {etunimi}; the variables are {first_name}, {module}, {exercise}, {therapist}, {score_change}`,
		`t.yaml:6:11: duplicate template name "kiitos" (also templates[0])`,
		`t.yaml:7:11: templates[1].body must not be empty`,
		`t.yaml:10:11: language must be one of fi, sv, en, not "de"`,
		`t.yaml:11:10: program "Gad" must be a program id (lower-case letters, digits and dashes)`,
		`t.yaml:12:12: templates must not be empty`,
	}
	if got := probs.Error(); got != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	if _, probs := programs.ParseTemplates("p.yaml", []byte("kind: program\nid: x\n")); !strings.Contains(probs.Error(), "p.yaml:1:7: kind must be templates") {
		t.Errorf("a program file: %v", probs)
	}
	// One set per language and program across files.
	dir := t.TempDir()
	one := "kind: templates\nlanguage: sv\nprogram: gad\ntemplates:\n  - {name: a, body: b}\n"
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(one), 0o600)
	os.WriteFile(filepath.Join(dir, "b.yaml"), []byte(one), 0o600)
	_, probs, _ = programs.LoadTemplates(dir)
	if !strings.Contains(probs.Error(), "b.yaml:2:11: the templates of sv for gad are already given at "+filepath.Join(dir, "a.yaml")+":1") {
		t.Errorf("a set given twice: %v", probs)
	}
}

func TestTemplateExpand(t *testing.T) {
	v := programs.TemplateValues{FirstName: "Aino", Module: "Huoliaika", Therapist: "Anna"}
	for body, want := range map[string]string{
		"Hei {first_name}, osio {module}.":              "Hei Aino, osio Huoliaika.",
		`kiitos harjoituksesta "{exercise}". Terveisin`: "kiitos harjoituksesta. Terveisin",
		"{therapist} {unknown}":                         "Anna {unknown}",
	} {
		if got := v.Expand(body); got != want {
			t.Errorf("Expand(%q) = %q, want %q", body, got, want)
		}
	}
}
