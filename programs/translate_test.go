package programs_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"polku/programs"
	"polku/programs/builtin"
)

// The four programs and the two scales we wrote exist in Finnish, Swedish
// and English under one id; PHQ-9 and GAD-7 only in English.
func TestBuiltinsInThreeLanguages(t *testing.T) {
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.Programs()); n != 4 {
		t.Errorf("%d programs, want 4 (translations are not programs of their own)", n)
	}
	for _, p := range b.Programs() {
		if got := strings.Join(p.LanguagesOf(), ","); got != "en,fi,sv" {
			t.Errorf("%s is in %s, want en,fi,sv", p.ID, got)
		}
		fi, fallback := p.In("fi")
		if fallback || fi.Language != "fi" || fi.Title == p.Title || fi.Modules[0].ID != p.Modules[0].ID || fi.Translations != nil {
			t.Errorf("%s in fi: language %s, fallback %v, title %q", p.ID, fi.Language, fallback, fi.Title)
		}
	}
	for _, in := range b.Instruments() {
		sv, fallback := in.In("sv")
		switch in.ID {
		case "phq9", "gad7":
			if !fallback || sv.Language != "en" || len(in.Translations) != 0 {
				t.Errorf("%s must stay English only (no official text here): %v %s", in.ID, fallback, sv.Language)
			}
		default:
			if fallback || sv.Language != "sv" || !strings.Contains(sv.Title, programs.NotValidatedMarker("sv")) {
				t.Errorf("%s in sv: fallback %v, title %q", in.ID, fallback, sv.Title)
			}
		}
	}
}

func builtinText(t *testing.T, name string) string {
	t.Helper()
	data, err := fs.ReadFile(builtin.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func lineOf(text, s string) int {
	i := strings.Index(text, s)
	if i < 0 {
		return -1
	}
	return strings.Count(text[:i], "\n") + 1
}

func validatePair(t *testing.T, orig, origText, tr, trText string) programs.Problems {
	t.Helper()
	b := &programs.Bundle{}
	for _, f := range []struct{ name, text string }{{orig, origText}, {tr, trText}} {
		docs, probs := programs.Parse(f.name, []byte(f.text))
		if len(probs) > 0 {
			t.Fatalf("parse %s: %v", f.name, probs)
		}
		b.Docs = append(b.Docs, docs...)
	}
	instruments := map[string]bool{"phq9": true, "gad7": true}
	return programs.Validate(b, func(id string) bool { return instruments[id] })
}

func TestTranslationMustMatchItsOriginal(t *testing.T) {
	en, fi := builtinText(t, "depression.yaml"), builtinText(t, "fi/depression.yaml")
	if probs := validatePair(t, "depression.yaml", en, "fi/depression.yaml", fi); len(probs) > 0 {
		t.Fatalf("the Finnish depression program does not match: %v", probs)
	}

	// A module renamed in the translation: the original's module is
	// missing, and the translation has one the original has not.
	renamed := strings.Replace(fi, "  - id: scheduling\n", "  - id: planning\n", 1)
	probs := validatePair(t, "depression.yaml", en, "fi/depression.yaml", renamed)
	text := probs.Error()
	extra := fmt.Sprintf("fi/depression.yaml:%d:9: module \"planning\" is not in the en original (depression.yaml:1)", lineOf(renamed, "- id: planning"))
	if !strings.Contains(text, `module "scheduling" of the en original (depression.yaml:1) is missing from this translation`) || !strings.Contains(text, extra) {
		t.Errorf("problems:\n%s\nwant the missing and the extra module, the extra at\n%s", text, extra)
	}
	for _, p := range probs {
		if p.File != "fi/depression.yaml" || p.Line == 0 || p.Col == 0 {
			t.Errorf("problem without the translation's file:line:col: %v", p)
		}
	}

	// Numbers are not words: a changed week is an error.
	week := strings.Replace(fi, "weeks: 10\n", "weeks: 11\n", 1)
	if week == fi {
		t.Fatal("the Finnish depression program no longer says weeks: 10")
	}
	if probs := validatePair(t, "depression.yaml", en, "fi/depression.yaml", week); !strings.Contains(probs.Error(), "weeks is 11 here and 10 in the en original") {
		t.Errorf("a changed week: %v", probs)
	}

	// A translation has its original's version.
	v := strings.Replace(fi, "\nversion: ", "\nversion: 9", 1)
	if probs := validatePair(t, "depression.yaml", en, "fi/depression.yaml", v); !strings.Contains(probs.Error(), "differs from the en original's version") {
		t.Errorf("another version: %v", probs)
	}
}

func TestInstrumentTranslationMustMatch(t *testing.T) {
	en, sv := builtinText(t, "sleep-check.yaml"), builtinText(t, "sv/sleep-check.yaml")
	if probs := validatePair(t, "sleep-check.yaml", en, "sv/sleep-check.yaml", sv); len(probs) > 0 {
		t.Fatalf("the Swedish sleep check does not match: %v", probs)
	}
	// An item left out of the translation.
	i, j := strings.Index(sv, `  - id: "5"`), strings.Index(sv, "\nscoring:")
	if i < 0 || j < i {
		t.Fatal("the Swedish sleep check changed shape")
	}
	missing := sv[:i] + sv[j+1:]
	probs := validatePair(t, "sleep-check.yaml", en, "sv/sleep-check.yaml", missing)
	want := fmt.Sprintf("sv/sleep-check.yaml:%d:3: item \"5\" of the en original (sleep-check.yaml:1) is missing from this translation", lineOf(missing, "  - id: \"1\""))
	if !strings.Contains(probs.Error()+"\n", want+"\n") {
		t.Errorf("problems:\n%v\nwant\n%s", probs, want)
	}
	// A score is a number, not a word.
	score := strings.Replace(sv, "{score: 4,", "{score: 5,", 1)
	if probs := validatePair(t, "sleep-check.yaml", en, "sv/sleep-check.yaml", score); !strings.Contains(probs.Error(), "options[4].score is 5 here and 4 in the en original") {
		t.Errorf("a changed score: %v", probs)
	}
}

// A translation whose original is neither in the files nor stored is an
// error; with the stored original it checks against that.
func TestTranslationOnItsOwn(t *testing.T) {
	sv := builtinText(t, "sv/sleep-check.yaml")
	docs, _ := programs.Parse("sv/sleep-check.yaml", []byte(sv))
	b := &programs.Bundle{Docs: docs}
	if probs := programs.Validate(b, nil); !strings.Contains(probs.Error(), `no instrument "sleep-check" version 2 in en in these files or in the store`) {
		t.Errorf("an orphan translation: %v", probs)
	}
	orig, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	var check *programs.Instrument
	for _, in := range orig.Instruments() {
		if in.ID == "sleep-check" {
			check = in
		}
	}
	l := programs.Lookup{InstrumentVersion: func(id string, version int) *programs.Instrument {
		if id == check.ID && version == check.Version {
			return check
		}
		return nil
	}}
	if probs := programs.ValidateIn(b, l); len(probs) > 0 {
		t.Errorf("against the stored original: %v", probs)
	}
	if len(b.Orphans()) != 1 {
		t.Errorf("orphans: %d", len(b.Orphans()))
	}
	// The same translation twice in one bundle.
	twice := &programs.Bundle{Docs: append(append([]*programs.Document{}, docs...), mustParse(t, "copy.yaml", sv)...)}
	if probs := programs.ValidateIn(twice, l); !strings.Contains(probs.Error(), `copy.yaml:2:5: duplicate instrument "sleep-check" in sv (first defined at sv/sleep-check.yaml:1)`) {
		t.Errorf("a duplicate translation: %v", probs)
	}
}

func mustParse(t *testing.T, name, text string) []*programs.Document {
	t.Helper()
	docs, probs := programs.Parse(name, []byte(text))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return docs
}
