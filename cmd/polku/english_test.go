package main

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"polku/internal/i18n"
	"polku/programs/builtin"
	"polku/store"
)

// proseWords are English words a command's output in Finnish or Swedish
// must not have: the function words of englishWords and the words of the
// sentences the commands used to say in English. Codes, flag names and
// command lines are skipped (englishIn).
var proseWords = strings.Fields(`submitted answered wrote diary sent posted read feedback failed next try
give days hours unknown kind reads patients assigned marked want date before after pushed yet week weeks
exercise module discontinued paused completed moved care speaks speak language
only offered lists user handle none`)

// notEnglishIn is the English left in a command's output: a word of
// proseWords or of englishWords, outside what englishIn skips, after the
// licensed English texts of the built-in instruments (PHQ-9 and GAD-7
// items, which are shipped in English only) and the data are taken out.
func notEnglishIn(t *testing.T, lang, out string, data ...string) []string {
	t.Helper()
	data = append(data, licensedEnglish(t)...)
	sort.Slice(data, func(i, j int) bool { return len(data[i]) > len(data[j]) }) // the longest first: a band is in a service's text
	for _, d := range data {
		out = strings.ReplaceAll(out, d, " ")
	}
	words := map[string]bool{}
	for _, w := range proseWords {
		words[w] = true
	}
	var found []string
	for _, line := range strings.Split(out, "\n") {
		if w := englishIn(lang, line); w != "" {
			found = append(found, w+" in "+strconv.Quote(line))
			continue
		}
		s := codes.ReplaceAllString(line, " ")
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }) {
			if words[strings.ToLower(w)] {
				found = append(found, w+" in "+strconv.Quote(line))
				break
			}
		}
	}
	return found
}

// licensedEnglish are the texts of the built-in instruments that exist
// in English only (their items and bands), and the region's services,
// which are data.
func licensedEnglish(t *testing.T) []string {
	t.Helper()
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, in := range b.Instruments() {
		if len(in.Translations) > 0 {
			continue
		}
		for _, it := range in.Items {
			out = append(out, it.Text)
		}
		for _, c := range in.Critical {
			out = append(out, c.Label)
		}
		for _, band := range in.Bands {
			out = append(out, band.Label)
		}
	}
	for _, sv := range b.Services() {
		out = append(out, sv.Name+": "+sv.For)
	}
	return out
}

// The commands that said English in Finnish and Swedish say it in the
// language now: simulate's lines, serve's --token-lifetime errors,
// audit's usage errors and its --by report, the queue's program and
// exercise titles, the intake suggestions' languages, the summary draft a
// course end writes.
func TestCommandsSayNoEnglishInFinnishAndSwedish(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	db := filepath.Join(dir, "demo.db")
	if code, _, errs := cli(t, vars, "", "--db", db, "demo", "--patients", "30", "--no-tui", "--seed", "1"); code != 0 {
		t.Fatal(errs)
	}
	_, list, _ := cli(t, vars, "", "--db", db, "referrals", "list", "--as", "super", "-o", "json")
	var refs struct {
		Items []struct {
			ID string `json:"referral_id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(list), &refs); err != nil || len(refs.Items) == 0 {
		t.Fatalf("referrals list: %v %s", err, list)
	}
	_, queue, _ := cli(t, vars, "", "--db", db, "triage", "--as", "demo", "-o", "json")
	var q store.Queue
	if err := json.Unmarshal([]byte(queue), &q); err != nil || len(q.Items) < 2 {
		t.Fatalf("triage: %v %s", err, queue)
	}
	// Names, places and program ids are data.
	var data []string
	for _, it := range q.Items {
		data = append(data, it.DisplayName)
	}
	commands := [][]string{
		{"simulate", "--count", "25", "--every", "1ms", "--seed", "3"},
		{"audit"},
		{"audit", "x", "--by", "demo"},
		{"audit", "x", "y"},
		{"audit", "--by", "demo", "--from", "1.12.2026"},
		{"audit", "--by", "demo", "--from", "2026-12-01", "--to", "2026-11-01"},
		{"audit", "--from", "2026-12-01", "x"},
		{"audit", "--by", "nobody"},
		{"audit", "--by", "demo"},
		{"serve", "--token-lifetime", "therapist=soon"},
		{"serve", "--token-lifetime", "robot=30d"},
		{"triage", "--as", "demo"},
		{"referrals", "show", refs.Items[0].ID, "--as", "super"},
		{"report", "--from", "2020-01-01", "--to", "2026-01-01", "--as", "super"},
		{"enrollments", "show", q.Items[0].Pseudonym, "--as", "demo"},
	}
	for _, lang := range []string{i18n.FI, i18n.SV} {
		for _, c := range commands {
			_, stdout, stderr := cli(t, vars, "", append([]string{"--db", db, "--lang", lang}, c...)...)
			if stdout+stderr == "" {
				t.Errorf("%s %v: said nothing", lang, c)
			}
			for _, w := range notEnglishIn(t, lang, stdout+stderr, data...) {
				t.Errorf("%s polku %s: English %s", lang, strings.Join(c, " "), w)
			}
		}
	}
	// An end's summary draft is in the language of the one who ends it.
	for i, lang := range []string{i18n.FI, i18n.SV} {
		p := q.Items[i].Pseudonym
		if code, _, errs := cli(t, vars, "", "--db", db, "--lang", lang, "enrollments", "discontinue", p, "--code", store.EndOtherCare, "--as", "demo"); code != 0 {
			t.Fatalf("discontinue %s: %s", p, errs)
		}
		s, err := store.Open(context.Background(), db, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		th, _ := s.TherapistByHandle(context.Background(), "demo")
		d, err := s.SummaryDraft(context.Background(), store.ActorFor(th, "t"), q.Items[i].EnrollmentID)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if w := i18n.New(lang).T("store.discontinue_reason.moved_to_other_care"); !strings.Contains(d.Body, w) || strings.Contains(d.Body, "Discharge summary") {
			t.Errorf("%s: the draft of the end is not in the language (want %q):\n%s", lang, w, d.Body)
		}
	}
}

// sentenceCalls are the calls whose string arguments reach a person.
var sentenceCalls = map[string]bool{"fmt.Errorf": true, "fmt.Printf": true, "fmt.Fprintf": true, "fmt.Fprintln": true, "fmt.Println": true,
	"fmt.Fprint": true, "fmt.Sprintf": true, "errors.New": true, "usagef": true}

// englishInCode are the English sentences the commands' code may still
// hold, each with why it is not read in English by a Finnish or Swedish
// reader.
var englishInCode = map[string]string{
	"weeks to add (1-%d)": "a flag's help: the clihelp catalogs say it (TestHelpHasNoEnglishLeft)",
	"not enrolled":        "errNotEnrolled: simError says it through the catalog",
	"write INSTRUMENT=TOTAL@DATE or INSTRUMENT=A,B,...@DATE":                  "errScreeningForm: screeningError says it through the catalog",
	"--expires %q: give a lifetime (30d, 12h) or a date (2027-03-01)":         "errExpires: the command says cli.tokens.bad_expires",
	"--output must be table or json, not %q":                                  "explain says it through the catalog",
	"%s (commit %s, built %s)":                                                "the version line",
	"polku: POLKU_NOW=%q is not an RFC 3339 time like 2026-11-23T12:00:00Z\n": "a developer's clock override, before any language is known",
}

// No command builds an English sentence for a person in its code: every
// format string of two English words or more in a call that prints or
// returns an error is a catalog id's business (or listed in
// englishInCode with the reason it is not read in English).
func TestCommandsHoldNoEnglishSentences(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	twoWords := regexp.MustCompile(`\b[a-z]{2,}\b[^a-z%]+\b[a-z]{2,}\b`)
	seen := map[string]bool{}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fs := token.NewFileSet()
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok {
					name = x.Name + "." + fn.Sel.Name
				}
			case *ast.Ident:
				name = fn.Name
			}
			if !sentenceCalls[name] {
				return true
			}
			checked++
			for _, arg := range call.Args {
				lit, ok := arg.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || !twoWords.MatchString(verbs.ReplaceAllString(s, " ")) {
					continue
				}
				if _, ok := englishInCode[s]; ok {
					seen[s] = true
					continue
				}
				t.Errorf("%s: %s(%q): an English sentence; say it through the catalogs (cli.*.yaml)", fs.Position(lit.Pos()), name, s)
			}
			return true
		})
	}
	if checked < 100 {
		t.Fatalf("only %d calls checked: the test no longer reads the commands", checked)
	}
	for s := range englishInCode {
		if !seen[s] {
			t.Errorf("%q is listed in englishInCode but no longer in the code: take it off the list", s)
		}
	}
}
