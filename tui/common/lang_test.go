package common

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
)

func TestHelpersSpeakTheTherapistsLanguage(t *testing.T) {
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Skip(err)
	}
	now := time.Date(2026, 12, 1, 9, 30, 0, 0, hel) // a Tuesday
	common := func(lang string) *Common {
		return &Common{Clock: func() time.Time { return now }, Loc: hel, Tr: i18n.New(lang)}
	}
	for _, tc := range []struct {
		lang                                              string
		today, thisYear, older, ago, agoLong, day, starts string
		badge, workdays, minutes, number                  string
	}{
		{"en", "today 09:30", "3 Nov 14:05", "3 Nov 2025", "3d ago", "3 days ago", "1 Dec", "starts in 3 days (Fri 4 Dec)",
			"START in 3d", "2 working days", "1h05", "4.5"},
		{"fi", "tänään 9.30", "3.11. klo 14.05", "3.11.2025", "3 pv sitten", "3 päivää sitten", "1.12.", "alkaa 3 päivän päästä (pe 4.12.)",
			"ALKU 3 pv:n päästä", "2 arkipäivää", "1 t 05 min", "4,5"},
		{"sv", "i dag 9.30", "3.11. kl. 14.05", "3.11.2025", "för 3 d sedan", "för 3 dagar sedan", "1.12.", "börjar om 3 dagar (fre 4.12.)",
			"START om 3 d", "2 arbetsdagar", "1 h 05 min", "4,5"},
	} {
		c := common(tc.lang)
		for _, g := range []struct{ name, got, want string }{
			{"When today", c.When(now), tc.today},
			{"When this year", c.When(time.Date(2026, 11, 3, 14, 5, 0, 0, hel)), tc.thisYear},
			{"When older", c.When(time.Date(2025, 11, 3, 14, 5, 0, 0, hel)), tc.older},
			{"Ago", c.Ago(now.Add(-72 * time.Hour)), tc.ago},
			{"AgoLong", c.AgoLong(now.Add(-72 * time.Hour)), tc.agoLong},
			{"Day", c.Day(now), tc.day},
			{"Starts", c.Starts("2026-12-04"), tc.starts},
			{"StartBadge", c.StartBadge("2026-12-04"), tc.badge},
			{"WorkingDays", c.WorkingDays(time.Date(2026, 11, 27, 9, 0, 0, 0, hel), now), tc.workdays}, // Fri to Tue
			{"Minutes", c.Minutes(65 * time.Minute), tc.minutes},
			{"Number", c.Number(4.5, 1), tc.number},
		} {
			if g.got != g.want {
				t.Errorf("%s: %s = %q, want %q", tc.lang, g.name, g.got, g.want)
			}
		}
	}
	if got := (&Common{Clock: func() time.Time { return now }, Loc: hel}).T("tui.starts.today"); got != "starts today" {
		t.Errorf("a Common without a printer speaks English: %q", got)
	}
}

// TestErrSpeaksTheTherapistsLanguage: an error the store returns is shown
// in the screen's language, also inside the words a page wrapped it in.
func TestErrSpeaksTheTherapistsLanguage(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Therapist(ctx, "nobody")
	if err == nil {
		t.Fatal("no error for a therapist that is not there")
	}
	wrapped := fmt.Errorf("open: %w", err)
	for lang, want := range map[string]string{"fi": "ei löytynyt", "sv": "hittades inte", "en": err.Error()} {
		c := &Common{Tr: i18n.New(lang)}
		got := c.Err(wrapped)
		if !strings.Contains(got, want) || (lang != "en" && strings.Contains(got, err.Error())) {
			t.Errorf("%s: %q, want it to say %q and not %q", lang, got, want, err.Error())
		}
	}
	if got := (&Common{Tr: i18n.New("fi")}).Err(errors.New("plain")); got != "plain" {
		t.Errorf("an error without a message: %q", got)
	}
}
