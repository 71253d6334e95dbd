package store_test

import (
	"context"
	"strings"
	"testing"

	"polku/store"
)

// A risk list is never switched off by an empty value, a phrase may not
// hold control characters, and a list given where a map is wanted gets a
// message a person can act on. Nothing is stored by a refused set.
func TestRiskWordsRefusesEmptyListsAndControls(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	def := store.DefaultPolicy()
	for _, c := range []struct {
		key, value string
		want       []string
	}{
		{"risk_words.fi", "", []string{"risk_words.fi", "empty", "Finnish"}},
		{"risk_words.fi", ",", []string{"empty", "Finnish"}},
		{"risk_words.fi", " , ,", []string{"empty"}},
		{"risk_words.sv", "[]", []string{"empty", "Swedish"}},
		{"risk_words", `{"en": []}`, []string{"empty", "English"}},
		{"risk_words", `{"en":["a\u001b[31m"]}`, []string{"en[0]", "control"}},
		{"risk_words.en", "kill\u200b myself", []string{"en[0]", "control"}},
		{"risk_words", `["x"]`, []string{"risk_words.fi", `{"fi": [`}},
	} {
		_, err := f.db.ChangeSetting(ctx, sys, c.key, c.value)
		if err == nil {
			t.Errorf("set %s %q: accepted", c.key, c.value)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("set %s %q: %v, want it to say %q", c.key, c.value, err, w)
			}
		}
		if strings.Contains(err.Error(), "map[string]") || strings.Contains(err.Error(), "field :") {
			t.Errorf("set %s %q: %v names a Go type", c.key, c.value, err)
		}
	}
	p, _ := f.db.Policy(ctx)
	for _, lang := range store.RiskLanguages {
		if len(p.RiskWords[lang]) != len(def.RiskWords[lang]) {
			t.Errorf("%s list changed by refused sets: %d phrases", lang, len(p.RiskWords[lang]))
		}
	}
}
