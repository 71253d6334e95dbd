package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"polku/internal/i18n"
)

// A stored setting that no longer passes its check is reported in the
// reader's language ('polku settings list'); English is the problem's
// text as it was.
func TestPolicyProblemsInTheLanguage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.db.Writer().ExecContext(ctx, `INSERT INTO settings (key, value, updated_at, version) VALUES ('inactive_days', '"7"', '2026-01-01T00:00:00.000Z', 1)`); err != nil {
		t.Fatal(err)
	}
	p, err := f.db.Policy(ctx)
	if err != nil || len(p.Problems) != 1 {
		t.Fatalf("policy %v, problems %q", err, p.Problems)
	}
	want := "setting inactive_days: want a whole number: expected int, got JSON string; the default is used until it is set again"
	if p.Problems[0] != want {
		t.Errorf("English %q, want %q", p.Problems[0], want)
	}
	if got := p.ProblemTexts(i18n.New(i18n.EN)); !slices.Equal(got, p.Problems) {
		t.Errorf("English texts %q, problems %q", got, p.Problems)
	}
	fi := p.ProblemTexts(i18n.New(i18n.FI))
	if len(fi) != 1 || fi[0] != "asetus inactive_days: anna kokonaisluku: odotettiin tyyppiä int, JSON-arvo oli string; käytetään oletusarvoa, kunnes asetus annetaan uudelleen" {
		t.Errorf("Finnish %q", fi)
	}
	for _, w := range []string{"setting ", "want", "expected", "default"} {
		if len(fi) == 1 && strings.Contains(fi[0], w) {
			t.Errorf("Finnish %q says %q", fi[0], w)
		}
	}
}
