package store

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"polku/internal/i18n"
)

// errorCalls are the store's constructors of errors told as messages, with
// the position of their message id argument.
var errorCalls = map[string]int{"invalid": 2, "forbidden": 0, "newErr": 1, "NewError": -1, "forbiddenm": 0,
	// the server's own answers (store/server)
	"errm": 2, "badRequestm": 0, "invalidErr": 0}

// Every error the store builds names its sentence by a literal message id
// that is in the catalogs of every language: an id used in store/ but
// missing from one catalog fails here (the ids are not T or Msg calls,
// which internal/i18n's own test reads).
func TestErrorIDsAreInEveryCatalog(t *testing.T) {
	known := map[string]map[string]bool{}
	for _, l := range i18n.Languages() {
		known[l] = map[string]bool{}
		for _, id := range i18n.IDs(l) {
			known[l][id] = true
		}
	}
	check := func(where, id string) {
		t.Helper()
		for _, l := range i18n.Languages() {
			if !known[l][id] {
				t.Errorf("%s: message %q is not in the %s catalogs", where, id, l)
			}
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	server, err := filepath.Glob(filepath.Join("server", "*.go")) // the server's own refusals (forbiddenm)
	if err != nil || len(server) == 0 {
		t.Fatal("no server files", err)
	}
	files = append(files, server...)
	calls := 0
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "errors.go" {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			at, ok := errorCalls[fn.Name]
			if !ok || at < 0 {
				return true
			}
			calls++
			where := fset.Position(call.Pos()).String()
			if len(call.Args) <= at {
				t.Errorf("%s: %s without a message id", where, fn.Name)
				return true
			}
			lit, ok := call.Args[at].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: %s's message id is not a literal string: the catalogs cannot be checked for it", where, fn.Name)
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			if !strings.HasPrefix(id, "store.err.") {
				t.Errorf("%s: %s(%q): an error's message is a store.err.* id", where, fn.Name, id)
			}
			check(where, id)
			// The arguments come in name/value pairs.
			if rest := len(call.Args) - at - 1; rest%2 != 0 && call.Ellipsis == token.NoPos {
				t.Errorf("%s: %s(%q) has %d arguments after the id: they are name/value pairs", where, fn.Name, id, rest)
			}
			return true
		})
	}
	if calls < 200 {
		t.Fatalf("only %d calls found: the scan no longer reads the store's errors", calls)
	}
	for what, id := range recordNames {
		check("recordNames["+strconv.Quote(what)+"]", id)
	}
	for _, id := range []string{"store.err.field", "store.err.not_found", "store.err.forbidden", "store.err.conflict"} {
		check("errors.go", id)
	}
	// What a setting means is said in its error (store.err.setting_want).
	for key, info := range policyKeys {
		id := SettingMeaningID(key)
		check("policyKeys["+strconv.Quote(key)+"]", id)
		if got := englishText(i18n.Message{ID: id}); got != info.meaning {
			t.Errorf("setting %s means %q in English, the store says %q", key, got, info.meaning)
		}
	}
	for _, r := range []string{RoleTherapist, RoleSupervisor, RoleAdmin} {
		check("roleArg", roleArg(r).(i18n.Message).ID)
	}
	for _, s := range []string{EnrollmentScheduled, EnrollmentActive, EnrollmentCompleted, EnrollmentDiscontinued,
		ReferralReceived, ReferralAccepted, ReferralDeclined, ReferralEnrolled,
		PostPending, PostApproved, PostRejected, PostHidden, PostHeld} {
		check("statusArg", statusArg(s).(i18n.Message).ID)
		// English says the code, as the sentences always did.
		if got := englishText(statusArg(s).(i18n.Message)); got != s {
			t.Errorf("status %q is %q in English", s, got)
		}
	}
	for _, a := range AckActions {
		check("summary's acknowledgement", "store.ack_action."+a)
	}
	for what := range recordNames {
		if got := englishText(i18n.Message{ID: recordNames[what]}); got != what && got != strings.ReplaceAll(what, "_", " ") {
			t.Errorf("record %q is %q in English", what, got)
		}
	}
}

// A store error keeps its English sentence and its kind, and says the
// same in Finnish and Swedish without the English words.
func TestErrorsSayTheirSentenceInTheLanguage(t *testing.T) {
	fi, sv := i18n.New(i18n.FI), i18n.New(i18n.SV)
	cases := []struct {
		err  error
		kind error
		en   string
	}{
		{notFound("patient", "nope"), ErrNotFound, `patient "nope": not found`},
		{invalid("feedback", "body", "store.err.required"), ErrInvalid, "feedback.body: is required"},
		{forbidden("store.err.patient_assigned", "PatientID", "p1", "Handle", "anna"), ErrForbidden, "patient p1 is not assigned to anna: forbidden"},
		{&ConflictError{Record: "enrollment", ID: "e1", Want: 1, Current: 2}, ErrConflict, "enrollment e1 was changed by someone else (version 2, you had 1): reload and try again"},
		{newErr(ErrConflict, "store.err.handle_taken", "Handle", quote("anna")), ErrConflict, `therapist handle "anna" is taken: conflict`},
		{invalid("measure_response", "week", "store.err.outside_range", "Value", 9, "Max", 8), ErrInvalid, "measure_response.week: 9 is outside 1-8"},
	}
	for _, c := range cases {
		if c.err.Error() != c.en {
			t.Errorf("English %q, want %q", c.err.Error(), c.en)
		}
		if !errors.Is(c.err, c.kind) {
			t.Errorf("%v is not %v", c.err, c.kind)
		}
		for _, p := range []*i18n.Printer{fi, sv} {
			got, ok := LocalizeError(p, c.err)
			if !ok || got == c.en || got == "" {
				t.Errorf("%s: %q localized as %q (%v)", p.Lang(), c.en, got, ok)
			}
			for _, w := range []string{"not found", "forbidden", "is required", "changed by someone", "is taken", "outside"} {
				if strings.Contains(got, w) {
					t.Errorf("%s: %q still says %q", p.Lang(), got, w)
				}
			}
		}
		// Wrapped, the wrapper's words stay and the store's are said in the
		// language.
		wrapped := errors.Join(errors.New("--therapist"), c.err)
		if got, ok := LocalizeError(fi, wrapped); !ok || !strings.HasPrefix(got, "--therapist\n") || strings.Contains(got, c.en) {
			t.Errorf("wrapped %q localized as %q (%v)", wrapped, got, ok)
		}
	}
	// The message id is the store error's, not a wrapper's.
	m, ok := ErrorMessage(errors.Join(errors.New("x"), notFound("patient", "p")))
	if !ok || m.ID != "store.err.not_found" {
		t.Errorf("ErrorMessage: %+v %v", m, ok)
	}
}

// A built-in service is said in the reader's language; a service whose
// text a site changed keeps its own words.
func TestBuiltinServicesInTheLanguage(t *testing.T) {
	en := i18n.New(i18n.EN)
	builtin := ServiceSuggestion{ServiceID: "emergency", Name: en.T("content.service.emergency.name"),
		For: en.T("content.service.emergency.for"), Contact: en.T("content.service.emergency.contact")}
	own := builtin
	own.For = "Our own words"
	d := &ReferralDetail{Services: []ServiceSuggestion{builtin, own}}
	d.Localize(i18n.New(i18n.FI))
	if d.Services[0].Name != "Päivystys" || d.Services[0].For == builtin.For {
		t.Errorf("built-in service in Finnish: %+v", d.Services[0])
	}
	if d.Services[1].Name != own.Name || d.Services[1].For != own.For {
		t.Errorf("a site's own service changed: %+v", d.Services[1])
	}
}

// The cost of an error: its English sentence is rendered from the catalog
// when it is made (a FieldError) or read (Error).
func BenchmarkInvalid(b *testing.B) {
	for b.Loop() {
		_ = invalid("measure_response", "week", "store.err.outside_range", "Value", 9, "Max", 8).Error()
	}
}

func BenchmarkNotFound(b *testing.B) {
	for b.Loop() {
		_ = notFound("patient", "nope").Error()
	}
}

// BenchmarkInvalidSprintf is the error as it was made before it had a
// message (fmt.Sprintf of the English), to compare with BenchmarkInvalid.
func BenchmarkInvalidSprintf(b *testing.B) {
	for b.Loop() {
		_ = (&FieldError{Record: "measure_response", Field: "week", Msg: fmt.Sprintf("%d is outside 1-%d", 9, 8)}).Error()
	}
}
