package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCatalogsParse(t *testing.T) {
	if err := CatalogError(); err != nil {
		t.Fatal(err)
	}
	for _, l := range Languages() {
		if len(IDs(l)) == 0 {
			t.Errorf("%s: no messages", l)
		}
	}
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func vars(s string) []string {
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		seen[m[1]] = true
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// TestEveryIDInEveryLanguage: a message missing from a catalog, or one
// that exists only in a translation, fails; so does a translation whose
// placeholders differ from the English or a plural message without the
// forms Finnish, Swedish and English need (one and other).
func TestEveryIDInEveryLanguage(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	en := c.ids[EN]
	for _, l := range Languages() {
		for id, m := range c.ids[l] {
			if _, ok := en[id]; !ok && l != EN {
				t.Errorf("%s: %q is not in the English catalog", l, id)
			}
			plural := m.One != "" || m.Few != "" || m.Many != "" || m.Two != "" || m.Zero != ""
			if plural && (m.One == "" || m.Other == "") {
				t.Errorf("%s: %q is a plural message without both the one and other forms", l, id)
			}
			if l == EN {
				continue
			}
			want := strings.Join(vars(en[id].Other+en[id].One), ",")
			got := strings.Join(vars(m.Other+m.One), ",")
			if want != got {
				t.Errorf("%s: %q uses placeholders [%s], English uses [%s]", l, id, got, want)
			}
		}
		if l == EN {
			continue
		}
		for id := range en {
			if _, ok := c.ids[l][id]; !ok {
				t.Errorf("%s: %q is missing (it is in the English catalog)", l, id)
			}
		}
	}
}

// TestCodeUsesOnlyKnownIDs reads polku's Go source for literal message
// ids (p.T("a.b"), i18n.Msg("a.b"), M(Message{ID: "a.b"})) and fails on
// one that no catalog has.
func TestCodeUsesOnlyKnownIDs(t *testing.T) {
	root := filepath.Join("..", "..")
	known := map[string]bool{}
	for _, id := range IDs(EN) {
		known[id] = true
	}
	idLit := regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (n == "third_party" || n == "testdata" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "Msg") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, err := strconv.Unquote(lit.Value)
			if err != nil || !idLit.MatchString(id) {
				return true
			}
			checked++
			if !known[id] {
				t.Errorf("%s: message %q is in no catalog", fset.Position(lit.Pos()), id)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("found no message ids in the source: the scan is broken")
	}
}

func TestResolve(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		flag, setting string
		env           map[string]string
		want          string
	}{
		{"sv", "fi", map[string]string{"LANG": "en_US.UTF-8"}, SV},
		{"", "fi", map[string]string{"LANG": "sv_FI.UTF-8"}, FI},
		{"", "", map[string]string{"LANG": "fi_FI.UTF-8"}, FI},
		{"", "", map[string]string{"LC_ALL": "sv_FI.UTF-8", "LANG": "fi_FI.UTF-8"}, SV},
		{"", "", map[string]string{"LC_MESSAGES": "sv_FI", "LANG": "fi_FI.UTF-8"}, SV},
		// LC_ALL=C decides: C is English.
		{"", "", map[string]string{"LC_ALL": "C", "LANG": "fi_FI.UTF-8"}, EN},
		{"", "", map[string]string{"LANG": "de_DE.UTF-8"}, EN},
		{"", "", nil, EN},
		{"xx", "", map[string]string{"LANG": "fi_FI.UTF-8"}, FI},
	}
	for _, c := range cases {
		if got := Resolve(c.flag, c.setting, env(c.env)); got != c.want {
			t.Errorf("Resolve(%q, %q, %v) = %q, want %q", c.flag, c.setting, c.env, got, c.want)
		}
	}
}

func TestFormats(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	fi, sv, en := New("fi_FI.UTF-8"), New(SV), New("")
	eq := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	eq(fi.DateTime(at), "1.12.2026 klo 9.30")
	eq(sv.DateTime(at), "1.12.2026 kl. 9.30")
	eq(en.DateTime(at), "1 Dec 2026 09:30")
	eq(fi.DayMonth(at), "ti 1.12.")
	eq(sv.DayMonth(at), "tis 1.12.")
	eq(fi.Month(at.Month()), "joulukuu")
	eq(sv.WeekdayLong(at.Weekday()), "tisdag")
	eq(fi.Number(3.25, 1), "3,2")
	eq(sv.Number(-1.5, 1), "\u22121,5")
	eq(en.Number(-1.5, 1), "-1.5")
	eq(fi.Int(12345), "12\u00a0345")
	eq(en.Int(12345), "12,345")
	eq(fi.Int(1234), "1234")
	now := at.Add(3 * 24 * time.Hour)
	eq(fi.AgoLong(now, at), "3 päivää sitten")
	eq(sv.AgoLong(now, at), "för 3 dagar sedan")
	eq(en.AgoLong(now, at), "3 days ago")
	eq(fi.AgoLong(at.Add(24*time.Hour+time.Minute), at), "24 tuntia sitten")
	eq(sv.AgoLong(at.Add(61*time.Minute), at), "för 1 timme sedan")
	eq(fi.Ago(now, at), "3 pv sitten")
	eq(en.Ago(at.Add(time.Second), at), "just now")
}

func TestCollation(t *testing.T) {
	names := []string{"Östman", "Aalto", "Åberg", "Zetterberg", "Ärölä", "Virtanen"}
	for _, l := range []string{FI, SV} {
		got := append([]string(nil), names...)
		New(l).Sort(got)
		// Both put å, ä and ö after z, in that order.
		want := "Aalto Virtanen Zetterberg Åberg Ärölä Östman"
		if s := strings.Join(got, " "); s != want {
			t.Errorf("%s: %s, want %s", l, s, want)
		}
	}
	got := append([]string(nil), names...)
	New(EN).Sort(got)
	if got[0] != "Aalto" || got[len(got)-1] != "Zetterberg" {
		t.Errorf("en: %v: å, ä and ö sort with a and o in English", got)
	}
}

func TestMissingIDRendersAsID(t *testing.T) {
	missing := "no.such.message" // a variable: the source scan would refuse the literal
	if got := New(FI).T(missing); got != missing {
		t.Errorf("got %q", got)
	}
	// A message in the English catalog only falls back to English.
	if got := New(FI).M(Msg("format.ago.now")); got != "juuri nyt" {
		t.Errorf("got %q", got)
	}
}

// NewExcept leaves the areas named out and keeps every other one.
func TestNewExceptLeavesAreasOut(t *testing.T) {
	all, part := New(FI), NewExcept(FI, "clihelp")
	id := "cli.help.polku.short" // a variable: the source scan would check the literal against the catalogs
	if !all.Has(id) || part.Has(id) {
		t.Errorf("Has(%s): New %v, NewExcept %v; want true, false", id, all.Has(id), part.Has(id))
	}
	if got := part.T("cli.word.yes"); got != "kyllä" {
		t.Errorf("NewExcept(fi).T(cli.word.yes) = %q", got)
	}
}
