package intake

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/internal/fixture"
	"polku/tui/pages/internal/langtest"
)

// TestNoEnglishLeftOnTheIntakePage renders the intake queue, its preview
// and the three decision forms in Finnish and Swedish at 80x24 and
// 120x40, and fails on English left or a row wider than the terminal.
// What the store says about a referral's suggestions (the programs'
// and therapists' fit) is the store's data here.
func TestNoEnglishLeftOnTheIntakePage(t *testing.T) {
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.DB.Close()
	ctx := context.Background()
	for i, reason := range []string{"Worry for a year, sleep disturbed.", "Low mood; has thought of ending my life, she wrote."} {
		var in store.ReferralIn
		in.SourceID = "S-" + string(rune('A'+i))
		in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = "R-000"+string(rune('1'+i)), "Kalle Lähetetty", "2009-03-04", "fi"
		in.Region = "helsinki"
		in.Referrer.Name, in.Referrer.Organisation = "Dr. Lehto", "Kallion terveysasema"
		in.Reason, in.Codes, in.Team = reason, []string{"F41.1"}, "south"
		at := f.Clock.Now().Add(-time.Duration(9-8*i) * 24 * time.Hour)
		in.ReceivedAt = &at
		if _, err := f.DB.ReceiveReferral(ctx, store.System("test"), in, false); err != nil {
			t.Fatal(err)
		}
	}
	th, _ := f.DB.Therapist(ctx, f.Anna.ID)
	if err := f.DB.SetTherapistIntake(ctx, store.System("test"), th.ID, th.Version, true); err != nil {
		t.Fatal(err)
	}
	th, _ = f.DB.Therapist(ctx, f.Anna.ID)
	for _, lang := range []string{i18n.FI, i18n.SV} {
		c := langtest.NewCommon(lang)
		c.Ctx, c.Store, c.Actor, c.Therapist, c.Clock, c.Loc = ctx, f.DB, fixture.Actor(th), th, f.Clock.Now, fixture.Helsinki()
		p := New(c)
		p.SetSize(80, 22)
		langtest.Drain(p, p.Init())
		langtest.Key(p, "down")
		langtest.Key(p, "up")
		data := append(langtest.Texts(p.queue), langtest.Texts(p.details)...)
		for _, dc := range store.DeclineCodes {
			data = append(data, dc[0]) // a code, shown as the code
		}
		// The reasons are rendered in the language; they are not data.
		if p.queue != nil {
			for _, it := range p.queue.Items {
				for _, r := range it.Reasons {
					for i, d := range data {
						if d == r.Text || d == r.Badge {
							data[i] = ""
						}
					}
				}
			}
		}
		var screens langtest.Screens
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			p.SetSize(size[0], size[1]-2)
			screens.Shot(p, size[0])
			for _, k := range []string{"a", "d", "w"} { // the three decision forms
				langtest.Key(p, k)
				screens.Shot(p, size[0])
				langtest.Key(p, "esc")
			}
		}
		if len(screens) < 10 || !strings.Contains(screens[0].Text, "Kalle Lähetetty") {
			t.Fatalf("%s: the queue is not on screen:\n%s", lang, screens[0].Text)
		}
		screens.Check(t, "intake", lang, data...)
	}
}
