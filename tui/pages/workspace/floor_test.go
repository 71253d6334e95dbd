package workspace

import (
	"strings"
	"testing"

	"polku/store"
	"polku/tui/internal/fixture"
)

// The sleep diary's footnote states the floor of time in bed that applies
// to this patient: 5 hours for an adult, the program's age rule (7 hours)
// for a 16-17-year-old.
func TestSleepDiaryFootnoteStatesThePatientsFloor(t *testing.T) {
	f, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	for _, tc := range []struct {
		name, born, want, not string
	}{
		{"adult", "1992-01-20", "never goes below 5 hours in bed", "7 hours"},
		{"16 years old", "2010-03-01", "never goes below 7 hours in bed for ages 16-17 (the program's age rule)", "5 hours"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := New(c, item(t, f, c, "P-0003"), false, nil)
			p.SetSize(120, 40)
			run(p, p.Init())
			p.rec.Patient.BirthDate = tc.born
			got := strings.Join(strings.Fields(p.diaryContent()), " ")
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Errorf("the diary says:\n%s\nwant %q and not %q", got, tc.want, tc.not)
			}
		})
	}
}
