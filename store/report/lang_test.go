package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"polku/internal/i18n"
)

// The table rows, the CSV and the HTML page in Finnish and Swedish: every
// label from the catalogs (a missing one would show its id), numbers with
// a decimal comma, the same figures as in English.
func TestReportInEveryLanguage(t *testing.T) {
	r := Compute(richFacts())
	en := r.Rows(nil)
	decimal := regexp.MustCompile(`^\d+\.\d+$`)
	for _, lang := range []string{i18n.FI, i18n.SV} {
		p := i18n.New(lang)
		rows := r.Rows(p)
		if len(rows) != len(en) {
			t.Fatalf("%s: %d rows, English %d", lang, len(rows), len(en))
		}
		commas := 0
		for i, row := range rows {
			for _, s := range []string{row.Section, row.Figure, row.Value} {
				if strings.Contains(s, "report.") {
					t.Errorf("%s: %q: a message id, not a label", lang, s)
				}
			}
			if row.Figure == en[i].Figure && !strings.HasPrefix(row.Figure, "Cohen") {
				t.Errorf("%s: figure %q is the English one", lang, row.Figure)
			}
			if decimal.MatchString(en[i].Value) {
				want := strings.Replace(en[i].Value, ".", ",", 1)
				if row.Value != want {
					t.Errorf("%s: %s = %q, want %q (decimal comma)", lang, row.Figure, row.Value, want)
				}
				commas++
			}
		}
		if commas == 0 {
			t.Errorf("%s: no decimal figure in the report: the test checks nothing", lang)
		}
		var csv, html bytes.Buffer
		if err := r.WriteCSV(&csv, p); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteHTML(&html, p); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"csv": csv.String(), "html": html.String()} {
			if strings.Contains(out, "report.") {
				t.Errorf("%s %s: a message id is left: %s", lang, name, out[strings.Index(out, "report."):][:40])
			}
		}
		if !strings.Contains(html.String(), `<html lang="`+lang+`">`) {
			t.Errorf("%s: the page does not say its language", lang)
		}
	}
}
