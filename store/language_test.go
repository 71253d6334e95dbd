package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"polku/store"
)

// The risk phrase lists are per language, and every list is applied to
// every patient's text: a Swedish-speaking patient who writes in Finnish
// (many Finns are bilingual, and people switch language under stress) is
// flagged like a Finnish-speaking one, and the other way round.
func TestRiskPhrasesApplyWhateverThePatientsLanguage(t *testing.T) {
	cases := []struct {
		lang, text, list string
	}{
		{"sv", "En dålig vecka. En haluu enää elää, anteeksi että kirjoitan suomeksi.", "fi"},
		{"fi", "Tänään oli raskasta. Ibland vill jag inte leva längre.", "sv"},
		{"en", "Hard week. Mä ajattelin itsemurhaa eilen illalla.", "fi"},
		{"sv", "I keep thinking I want to die.", "en"},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%s-%d", c.lang, i), func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: fmt.Sprintf("P-L%d", i), DisplayName: "Lang Patient", BirthDate: "1990-01-01", Language: c.lang})
			if err != nil {
				t.Fatal(err)
			}
			pv, err := f.db.ProgramVersion(ctx, "gad", 0)
			if err != nil {
				t.Fatal(err)
			}
			e, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: f.therapist.ID, UnlockedModules: 1}, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.clock.advance(time.Hour)
			m, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: e.ID, PatientID: p.ID, Direction: store.DirectionIn, Body: c.text}, "")
			if err != nil {
				t.Fatal(err)
			}
			q, err := f.db.Triage(ctx, f.actor, f.therapist.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, rs := riskReasons(q, p.ID)
			if len(rs) != 1 || rs[0].Code != store.ReasonRiskPhrase || rs[0].SourceID != m.ID || rs[0].Lang != c.list || !strings.Contains(rs[0].Text, "("+c.list+" list") {
				t.Fatalf("a %s-speaking patient writing %q: risk reasons %+v, want a phrase of the %s list", c.lang, c.text, rs, c.list)
			}
		})
	}
}
