package programs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"polku/programs"
	"polku/programs/builtin"
)

func TestBuiltinContentIsValid(t *testing.T) {
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	if probs := programs.Validate(b, nil); len(probs) > 0 {
		t.Fatalf("built-in content has problems:\n%v", probs)
	}
	want := map[string]bool{"phq9": true, "gad7": true, "gad": true, "insomnia": true, "depression": true, "social-anxiety-youth": true}
	for _, d := range b.Docs {
		delete(want, d.ID())
		if p := d.Program; p != nil {
			if n := len(p.Modules); n < 5 || n > 8 {
				t.Errorf("%s has %d modules, want 5-8", p.ID, n)
			}
			for _, m := range p.Modules {
				if n := len(m.Exercises); n < 1 || n > 3 {
					t.Errorf("%s/%s has %d exercises, want 1-3", p.ID, m.ID, n)
				}
			}
			if !strings.Contains(p.Description, "112") {
				t.Errorf("%s: the description must point to 112", p.ID)
			}
			if p.FollowUpWeeks != 12 {
				t.Errorf("%s: follow_up_weeks is %d; the service follows up about 3 months (12 weeks) after the end", p.ID, p.FollowUpWeeks)
			}
			if p.Crisis == nil || len(p.Crisis.Contacts) < 3 {
				t.Errorf("%s: the crisis block must give at least three places to get help", p.ID)
			}
		}
		if in := d.Instrument; in != nil && in.ID != "phq9" && in.ID != "gad7" && (in.Validated == nil || *in.Validated) {
			t.Errorf("%s is our own scale and must say validated: false", in.ID)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing built-ins: %v", want)
	}
	var insomnia *programs.Program
	for _, p := range b.Programs() {
		if p.ID == "insomnia" {
			insomnia = p
		}
	}
	found := false
	for _, m := range insomnia.Modules {
		for i := range m.Exercises {
			found = found || programs.IsSleepDiary(&m.Exercises[i])
		}
	}
	if !found {
		t.Error("the insomnia program has no sleep diary")
	}
}

const goodInstrument = `kind: instrument
id: mini
version: 1
title: Mini scale
language: en
validated: true
licence: ours
options:
  - {score: 0, label: No}
  - {score: 1, label: Some}
  - {score: 2, label: Yes}
items:
  - {id: "1", text: One}
  - {id: "2", text: Two}
scoring: sum
bands:
  - {min: 0, max: 1, label: low}
  - {min: 2, max: 4, label: high}
`

// TestValidationProblems checks the exact problem lines for broken files.
func TestValidationProblems(t *testing.T) {
	cases := []struct {
		name string
		file string
		want []string
	}{
		{"unknown key and missing fields", `kind: instrument
id: x
version: 1
titel: Oops
language: de
validated: true
licence: ours
options: [{score: 0, label: No}, {score: 1, label: Yes}]
items: [{id: "1", text: One}]
scoring: sum
bands: [{min: 0, max: 1, label: all}]
`, []string{
			`f.yaml:1:1: missing required key "title"`,
			`f.yaml:4:1: unknown key "titel" in document (known keys: bands, caseness, critical, description, id, items, kind, language, licence, loinc, options, patient_title, prompt, reliability, reliable_change, scoring, sd, short_title, title, translation_of, validated, version)`,
			`f.yaml:5:11: language must be one of fi, sv, en, not "de"`,
		}},
		{"bands with gap and overlap", strings.Replace(goodInstrument, `bands:
  - {min: 0, max: 1, label: low}
  - {min: 2, max: 4, label: high}`, `bands:
  - {min: 0, max: 0, label: none}
  - {min: 2, max: 3, label: some}
  - {min: 3, max: 3, label: dup}`, 1), []string{
			`f.yaml:17:3: bands leave a gap: no band covers the total 4 (scores run 0-4)`,
			`f.yaml:18:5: bands leave a gap: no band covers the total 1`,
			`f.yaml:19:5: band "dup" (3-3) overlaps the band before it, which ends at 3`,
		}},
		{"critical item that does not exist", goodInstrument + `critical:
  - {item: "9", amber: 1, red: 2, label: Risk}
caseness: 9
`, []string{
			`f.yaml:20:12: critical item "9" does not exist (items are 1, 2)`,
			`f.yaml:21:11: caseness 9 is outside the score range 1-4`,
		}},
		{"wrong types", `kind: program
id: Bad_Id
version: one
title: T
language: en
weeks: 60
min_age: 16
description: d
modules:
  - id: m1
    title: M
    body: b
    exercises:
      - {id: e1, kind: essay, title: E, prompt: p}
      - {id: e1, kind: questionnaire, title: Q, prompt: p, instrument: nope}
      - {id: w, kind: worksheet, title: W, prompt: p}
schedule:
  - {instrument: phq9, weeks: [0, 61]}
`, []string{
			`f.yaml:1:1: missing required key "crisis"`,
			`f.yaml:2:5: id "Bad_Id" must be lower-case letters, digits and dashes (like "worry-log")`,
			`f.yaml:3:10: version must be a whole number, not "one"`,
			`f.yaml:6:8: weeks must be between 1 and 52, not 60`,
			`f.yaml:14:24: kind must be one of reflection, worksheet, diary, questionnaire, not "essay"`,
			`f.yaml:15:14: duplicate exercise id "e1" (also modules[0].exercises[0])`,
			`f.yaml:15:72: unknown instrument "nope": import it with this program or first`,
			`f.yaml:16:9: missing required key "fields"`,
			`f.yaml:18:18: unknown instrument "phq9": import it with this program or first`,
			`f.yaml:18:35: week 61 is outside 0-60 (0 is the baseline)`,
		}},
		{"yaml syntax", "kind: program\nid: [unclosed\n", []string{`f.yaml:2:1: YAML syntax: did not find expected ',' or ']' (inside {...} or [...], put text containing ? : , # [ ] { } in "quotes")`}},
		{"not a mapping", "- just\n- a list\n", []string{`f.yaml:1:1: a document must be a mapping with kind: program or kind: instrument`}},
		{"duplicate ids across documents", goodInstrument + "---\n" + goodInstrument, []string{`f.yaml:21:5: duplicate instrument id "mini" (first defined at f.yaml:1)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs, probs := programs.Parse("f.yaml", []byte(c.file))
			probs = append(probs, programs.Validate(&programs.Bundle{Docs: docs}, nil)...).Sort()
			var got []string
			for _, p := range probs {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestLoadFolderAndExample(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mini.yaml"), []byte(goodInstrument), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o600)
	b, probs, err := programs.Load(dir)
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	if len(b.Instruments()) != 1 {
		t.Fatalf("want 1 instrument from the folder, got %d", len(b.Instruments()))
	}
	if _, _, err := programs.Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("loading a missing file did not fail")
	}
}

// The examples in docs/programs.md must validate as they are.
func TestDocExamplesValidate(t *testing.T) {
	doc, err := os.ReadFile("../docs/programs.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, part := range strings.Split(string(doc), "```yaml\n")[1:] {
		blocks = append(blocks, strings.Split(part, "```")[0])
	}
	if len(blocks) != 3 {
		t.Fatalf("want 3 yaml examples in docs/programs.md (an instrument, a program, a service), found %d", len(blocks))
	}
	docs, probs := programs.Parse("example.yaml", []byte(strings.Join(blocks, "---\n")))
	probs = append(probs, programs.Validate(&programs.Bundle{Docs: docs}, nil)...)
	if len(probs) > 0 {
		t.Fatalf("doc examples have problems:\n%v", probs)
	}
}

func TestControlCharactersAreRefused(t *testing.T) {
	file := strings.Replace(goodInstrument, "title: Mini scale", "title: \"Mini \\e]52;c;Zm9v\\a scale\"", 1)
	docs, probs := programs.Parse("f.yaml", []byte(file))
	probs = append(probs, programs.Validate(&programs.Bundle{Docs: docs}, nil)...)
	if len(probs) != 1 || probs[0].String() != "f.yaml:4:8: title contains a control character (U+001B); remove it" {
		t.Fatalf("problems: %v", probs)
	}
}

const goodProgram = `kind: program
id: mini-sleep
version: 1
title: Mini sleep
language: en
weeks: 3
min_age: 16
description: A small program.
crisis:
  title: If you need help now
  intro: Internet therapy is not for emergencies.
  contacts:
    - name: Emergency number
      number: "112"
      when: When a life is in danger.
      hours: Every day, 24 hours
      checked: 2026-12-01
      source: 112.fi
age_rules:
  - {min_age: 16, max_age: 17, min_time_in_bed: 420, advice: "Higher floor."}
go_ahead:
  - {id: restriction, what: sleep restriction, screening: check, module: window}
modules:
  - id: start
    title: Start
    body: Hello.
    exercises:
      - id: check
        kind: worksheet
        title: Health check
        prompt: Answer these.
        fields:
          - {id: snoring, label: Loud snoring, type: text}
  - id: window
    title: Window
    body: The window.
    exercises:
      - {id: goals, kind: reflection, title: Goals, prompt: Write.}
`

// A program must declare its crisis block, and the block, the go-ahead
// and the age rules are checked with file:line.
func TestProgramSafetyDeclarations(t *testing.T) {
	cases := []struct {
		name string
		file string
		want []string
	}{
		{"good", goodProgram, nil},
		{"no crisis block", strings.Replace(goodProgram, `crisis:
  title: If you need help now
  intro: Internet therapy is not for emergencies.
  contacts:
    - name: Emergency number
      number: "112"
      when: When a life is in danger.
      hours: Every day, 24 hours
      checked: 2026-12-01
      source: 112.fi
`, "", 1), []string{`f.yaml:1:1: missing required key "crisis"`}},
		{"contact without a checked date or 112", strings.Replace(strings.Replace(goodProgram, "      checked: 2026-12-01\n", "      checked: last week\n", 1), `number: "112"`, `number: "09 2525 0111"`, 1), []string{
			`f.yaml:13:5: the crisis contacts must include the emergency number 112`,
			`f.yaml:17:16: checked "last week" must be the date the contact was last checked, as YYYY-MM-DD`,
		}},
		{"contact without a number", strings.Replace(goodProgram, `      number: "112"
`, "", 1), []string{
			`f.yaml:13:5: the crisis contacts must include the emergency number 112`,
			`f.yaml:13:7: crisis.contacts[0] needs a number to call or a service to look up`,
		}},
		{"go-ahead after the module it guards", strings.Replace(goodProgram, "module: window}", "module: start}", 1), []string{
			`f.yaml:22:59: screening exercise "check" is in module "start", which does not come before the waiting module "start"`,
		}},
		{"go-ahead naming what does not exist", strings.Replace(goodProgram, "screening: check, module: window}", "screening: goals, module: windows}", 1), []string{
			`f.yaml:22:59: screening exercise "goals" is a reflection; it must be a worksheet`,
			`f.yaml:22:74: unknown module "windows" (modules are start, window)`,
		}},
		{"follow-up too far", strings.Replace(goodProgram, "min_age: 16\n", "min_age: 16\nfollow_up_weeks: 120\n", 1), []string{
			`f.yaml:8:18: follow_up_weeks must be between 1 and 104 (two years), not 120`,
		}},
		{"negative follow-up", strings.Replace(goodProgram, "min_age: 16\n", "min_age: 16\nfollow_up_weeks: -2\n", 1), []string{
			`f.yaml:8:18: follow_up_weeks must be between 1 and 104 (two years), not -2`,
		}},
		{"age rule outside the ages and below the adult floor", strings.Replace(goodProgram, "{min_age: 16, max_age: 17, min_time_in_bed: 420", "{min_age: 14, max_age: 17, min_time_in_bed: 240", 1), []string{
			`f.yaml:20:5: ages 14-17 are outside the program's ages 16 and over`,
			`f.yaml:20:49: min_time_in_bed 240 must be between 300 (the adult floor) and 600 minutes`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs, probs := programs.Parse("f.yaml", []byte(c.file))
			probs = append(probs, programs.Validate(&programs.Bundle{Docs: docs}, nil)...).Sort()
			var got []string
			for _, p := range probs {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// A scale that is not validated says so in its title, for therapists, and
// has a separate title for patients that does not.
func TestNotValidatedScaleTitles(t *testing.T) {
	ours := strings.Replace(goodInstrument, "validated: true", "validated: false", 1)
	good := strings.Replace(ours, "title: Mini scale\n", "title: Mini scale (demo scale, not validated)\npatient_title: Mini scale\n", 1)
	cases := map[string][]string{
		good: nil,
		ours: {
			`f.yaml:4:8: title "Mini scale" must say "not validated", because validated is false`,
			`f.yaml:6:12: missing required key "patient_title": a scale that is not validated needs a title for patients without the marker`,
		},
		strings.Replace(good, "patient_title: Mini scale\n", "patient_title: Mini scale (not validated)\n", 1): {
			`f.yaml:5:16: patient_title "Mini scale (not validated)" is shown to patients: leave the marker to title`,
		},
		// Each language's own marker: a Finnish scale says "ei validoitu",
		// a Swedish one "inte validerad".
		strings.Replace(strings.Replace(good, "(demo scale, not validated)", "(esittelyasteikko, ei validoitu)", 1), "language: en", "language: fi", 1): nil,
		strings.Replace(strings.Replace(good, "(demo scale, not validated)", "(demoskala, inte validerad)", 1), "language: en", "language: sv", 1):      nil,
		strings.Replace(good, "language: en", "language: fi", 1): {
			`f.yaml:4:8: title "Mini scale (demo scale, not validated)" must say "ei validoitu", because validated is false`,
		},
		strings.Replace(strings.Replace(strings.Replace(good, "(demo scale, not validated)", "(demoskala, inte validerad)", 1), "language: en", "language: sv", 1),
			"patient_title: Mini scale\n", "patient_title: Minni (inte validerad)\n", 1): {
			`f.yaml:5:16: patient_title "Minni (inte validerad)" is shown to patients: leave the marker to title`,
		},
	}
	for file, want := range cases {
		docs, probs := programs.Parse("f.yaml", []byte(file))
		probs = append(probs, programs.Validate(&programs.Bundle{Docs: docs}, nil)...).Sort()
		var got []string
		for _, p := range probs {
			got = append(got, p.String())
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	b, _ := builtin.Load()
	for _, in := range b.Instruments() {
		if in.Validated != nil && !*in.Validated && (in.PatientTitle == "" || !strings.Contains(in.Title, "not validated")) {
			t.Errorf("%s: title %q, patient_title %q", in.ID, in.Title, in.PatientTitle)
		}
	}
}

// A definition a store already held is checked by the rules of its day:
// without a crisis block (or a not-validated scale without a patient
// title) it restores; a crisis block it has is still checked, and the rest
// of the format is not relaxed.
func TestValidateStoredAcceptsWhatEarlierRulesAllowed(t *testing.T) {
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	var gad *programs.Program
	var check *programs.Instrument
	for _, d := range b.Docs {
		if d.Program != nil && d.Program.ID == "gad" && !d.IsTranslation() {
			gad = d.Program
		}
		if d.Instrument != nil && d.Instrument.ID == "sleep-check" && !d.IsTranslation() {
			check = d.Instrument
		}
	}
	old := *gad
	old.Crisis = nil
	oldCheck := *check
	oldCheck.PatientTitle = ""
	one := &programs.Bundle{Docs: []*programs.Document{{Kind: "program", Program: &old}, {Kind: "instrument", Instrument: &oldCheck}}}
	known := func(string) bool { return true }
	if probs := programs.Validate(one, known); len(probs) != 2 {
		t.Fatalf("Validate: %v, want the crisis block and the patient title", probs)
	}
	if probs := programs.ValidateStored(one, known); len(probs) != 0 {
		t.Fatalf("ValidateStored: %v", probs)
	}
	broken := *gad
	broken.Crisis = &programs.Crisis{Title: "Help"}
	broken.Weeks = 0
	probs := programs.ValidateStored(&programs.Bundle{Docs: []*programs.Document{{Kind: "program", Program: &broken}}}, known)
	text := probs.Error()
	if !strings.Contains(text, `missing required key "intro"`) || !strings.Contains(text, `missing required key "weeks"`) {
		t.Fatalf("ValidateStored let through %v", probs)
	}
}
