package programs_test

import (
	"os"
	"strings"
	"testing"

	"polku/programs"
	"polku/programs/builtin"
)

// Recovery is computed per scale; docs/clinical.md says so and gives two
// examples where that differs from NHS Talking Therapies' paired
// definition. The examples must compute as the document says.
func TestRecoveryIsPerScaleAsDocumented(t *testing.T) {
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*programs.Instrument{}
	for _, in := range b.Instruments() {
		by[in.ID] = in
	}
	for _, c := range []struct {
		instrument    string
		from, to      int
		wantRecovered bool
	}{
		{"phq9", 12, 7, true}, // recovery on the PHQ-9 row ...
		{"gad7", 9, 9, false}, // ... though GAD-7 is still at caseness
		{"phq9", 6, 4, false}, // never at caseness on PHQ-9 ...
		{"gad7", 12, 5, true}, // ... recovery on the GAD-7 row only
	} {
		if got := by[c.instrument].Change(c.from, c.to).Recovery; got != c.wantRecovered {
			t.Errorf("%s %d -> %d: recovery %v, want %v", c.instrument, c.from, c.to, got, c.wantRecovered)
		}
	}
	doc, err := os.ReadFile("../docs/clinical.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	for _, want := range []string{
		"What polku computes, per scale",
		"How that differs from NHS Talking Therapies",
		"PHQ-9 12 → 7 with GAD-7 9 → 9",
		"PHQ-9 6 → 4 with GAD-7 12 → 5",
		"**both** scores are below their cut-offs",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("docs/clinical.md does not say %q", want)
		}
	}
}
