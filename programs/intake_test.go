package programs_test

import (
	"strings"
	"testing"

	"polku/programs"
	"polku/programs/builtin"
)

func TestIntakeDeclarationsAreChecked(t *testing.T) {
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	var gad *programs.Program
	for _, p := range b.Programs() {
		if p.ID == "gad" {
			gad = p
		}
	}
	if gad == nil || gad.Indications == nil || len(gad.Checklist()) != 8 {
		t.Fatalf("gad: indications %+v, checklist %d", gad.Indications, len(gad.Checklist()))
	}
	if len(b.Services()) < 5 {
		t.Errorf("%d services in the built-in directory", len(b.Services()))
	}
	cases := map[string]string{
		"kind: service\nid: x\nversion: 1\nname: X\nregions: [mars]\nfor: y\nlanguages: [fi]\ncontact: z\n": `f.yaml:5:11: unknown region "mars"`,
		"kind: service\nid: x\nversion: 1\nname: X\nregions: [all]\nfor: y\nlanguages: [fi]\n":              `missing required key "contact"`,
		"kind: service\nid: x\nversion: 1\nname: X\nregions: [all]\nfor: y\nlanguages: [de]\ncontact: z\n":  `f.yaml:7:13: language "de"`,
	}
	for file, want := range cases {
		docs, probs := programs.Parse("f.yaml", []byte(file))
		probs = append(probs, programs.Validate(&programs.Bundle{Docs: docs}, nil)...)
		if !strings.Contains(probs.Error(), want) {
			t.Errorf("problems %q, want %q", probs.Error(), want)
		}
	}
	// A program with a malformed ICD-10 prefix and an eligibility item
	// without text: both named by line.
	src, _ := builtin.FS().Open("gad.yaml")
	defer src.Close()
	buf := new(strings.Builder)
	var tmp [4096]byte
	for {
		n, err := src.Read(tmp[:])
		buf.Write(tmp[:n])
		if err != nil {
			break
		}
	}
	bad := strings.Replace(buf.String(), "icd10: [F41.1, F41.9]", "icd10: [F41.1, 41X]", 1)
	bad = strings.Replace(bad, "indications:\n", "eligibility:\n  - {id: motivation}\nindications:\n", 1)
	docs, probs := programs.Parse("gad.yaml", []byte(bad))
	phq := b.Instruments()
	known := func(id string) bool {
		for _, in := range phq {
			if in.ID == id {
				return true
			}
		}
		return false
	}
	probs = append(probs, programs.Validate(&programs.Bundle{Docs: docs}, known)...)
	for _, want := range []string{`"41X" is not an ICD-10 code or prefix`, `missing required key "text"`} {
		if !strings.Contains(probs.Error(), want) {
			t.Errorf("problems %q, want %q", probs.Error(), want)
		}
	}
}
