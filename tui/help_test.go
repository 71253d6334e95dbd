package tui

import (
	"context"
	"fmt"
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

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
)

// helpScreen is one screen of the workbench: how to reach it from a fresh
// start, in one or more states that show the same help (a key that acts
// only from some position, like ↑ at the top of a list, acts in one of
// them).
type helpScreen struct {
	name   string
	sara   bool // as the supervisor
	admin  bool // as an admin
	intake bool // as Anna, an intake worker
	w, h   int
	states []func(h *harness, f *fixture.Fixture)
	// text: printable keys and the text field's editing keys type here;
	// they need not be in the help.
	text bool
}

// allKeys is every key a test presses: printable ASCII, space, the named
// keys, ctrl+letter and alt+digit.
func allKeys() []tea.KeyMsg {
	var ks []tea.KeyMsg
	for r := '!'; r <= '~'; r++ {
		ks = append(ks, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	ks = append(ks, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	for _, t := range []tea.KeyType{tea.KeyEnter, tea.KeyEsc, tea.KeyTab, tea.KeyShiftTab, tea.KeyUp, tea.KeyDown, tea.KeyLeft, tea.KeyRight,
		tea.KeyPgUp, tea.KeyPgDown, tea.KeyHome, tea.KeyEnd, tea.KeyBackspace, tea.KeyDelete, tea.KeyF1, tea.KeyF2, tea.KeyCtrlHome, tea.KeyCtrlEnd} {
		ks = append(ks, tea.KeyMsg{Type: t})
	}
	for t := tea.KeyCtrlA; t <= tea.KeyCtrlZ; t++ {
		if t != tea.KeyTab && t != tea.KeyEnter {
			ks = append(ks, tea.KeyMsg{Type: t})
		}
	}
	for r := '1'; r <= '9'; r++ {
		ks = append(ks, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: true})
	}
	return ks
}

// textKeys are the editing keys of the text fields (bubbles' textarea and
// textinput), which type or move in the text.
func textKeys() map[string]bool {
	out := map[string]bool{}
	add := func(bs ...key.Binding) {
		for _, b := range bs {
			for _, k := range b.Keys() {
				out[k] = true
			}
		}
	}
	ta, ti := textarea.DefaultKeyMap, textinput.DefaultKeyMap
	add(ta.CharacterForward, ta.CharacterBackward, ta.WordForward, ta.WordBackward, ta.LineNext, ta.LinePrevious, ta.DeleteWordBackward,
		ta.DeleteWordForward, ta.DeleteAfterCursor, ta.DeleteBeforeCursor, ta.InsertNewline, ta.DeleteCharacterBackward, ta.DeleteCharacterForward,
		ta.LineStart, ta.LineEnd, ta.Paste, ta.InputBegin, ta.InputEnd, ta.CapitalizeWordForward, ta.LowercaseWordForward, ta.UppercaseWordForward,
		ta.TransposeCharacterBackward)
	add(ti.CharacterForward, ti.CharacterBackward, ti.WordForward, ti.WordBackward, ti.DeleteWordBackward, ti.DeleteWordForward,
		ti.DeleteAfterCursor, ti.DeleteBeforeCursor, ti.DeleteCharacterBackward, ti.DeleteCharacterForward, ti.LineStart, ti.LineEnd, ti.Paste)
	return out
}

var helpRange = regexp.MustCompile(`^(.*?)(\d)[-…](\d)$`)

// helpTokens turns the key column of a help line ("tab/→/l", "1-6",
// "alt+1…4", "pgdn/ctrl+f/space") into the key names bubbletea reports.
func helpTokens(s string) []string {
	names := map[string]string{"↑": "up", "↓": "down", "←": "left", "→": "right", "pgdn": "pgdown", "space": " ", "del": "delete"}
	if s == "/" {
		return []string{"/"}
	}
	var out []string
	for _, tok := range strings.Split(s, "/") {
		if m := helpRange.FindStringSubmatch(tok); m != nil {
			for d := m[2][0]; d <= m[3][0]; d++ {
				out = append(out, m[1]+string(d))
			}
			continue
		}
		if n, ok := names[tok]; ok {
			tok = n
		}
		out = append(out, tok)
	}
	return out
}

func (h *harness) seq() int64 {
	h.t.Helper()
	n, err := h.fx.DB.LastSeq(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// press presses one key and says whether anything happened: the screen
// (before is how it looked) changed, a message came out of the key (a
// status, a reload, a quit) or the store was written. It returns the
// screen after the key.
func (h *harness) press(k tea.KeyMsg, before string) (bool, string) {
	h.t.Helper()
	seq := h.seq()
	_, cmd := h.m.Update(k)
	n := h.runCounting(cmd)
	after := h.view()
	return n > 0 || after != before || h.seq() != seq, after
}

// runCounting runs cmd like run and counts the messages it produced.
func (h *harness) runCounting(cmd tea.Cmd) int {
	n := 0
	wrapped := func(c tea.Cmd) tea.Cmd {
		if c == nil {
			return nil
		}
		return func() tea.Msg {
			msg := c()
			if msg != nil {
				if _, batch := msg.(tea.BatchMsg); !batch {
					n++
				}
			}
			return msg
		}
	}
	// Count only what the key itself sets off, not the replies to it.
	if cmd == nil {
		return 0
	}
	msg := wrapped(cmd)()
	switch m := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			if c == nil {
				continue
			}
			if mm := c(); mm != nil {
				n++
				h.deliver(mm)
			}
		}
	default:
		h.deliver(m)
	}
	return n
}

// deliver hands a message to the model and runs what follows.
func (h *harness) deliver(msg tea.Msg) {
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			h.run(c)
		}
		return
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		return
	}
	_, next := h.m.Update(msg)
	h.run(next)
}

// goAhead reaches the go-ahead dialog: Aino (insomnia) has submitted the
// health check; her workspace opens on it and o opens the dialog.
func goAhead(at func(string, ...string) func(*harness, *fixture.Fixture), keys ...string) func(*harness, *fixture.Fixture) {
	return func(h *harness, f *fixture.Fixture) {
		e := f.Enrolled["P-0003"]
		if _, err := f.DB.Submit(context.Background(), store.System("test"), store.Submission{EnrollmentID: e.ID, PatientID: e.PatientID,
			ModuleID: "sleep-and-diary", ExerciseID: "health-check", Answers: map[string]string{"snoring": "yes", "epilepsy": "no"}}); err != nil {
			h.t.Fatal(err)
		}
		at("P-0003", append([]string{"enter", "o"}, keys...)...)(h, f)
	}
}

// intakeAt reaches a screen of the intake page with the test referrals in
// the store.
func intakeAt(at func(string, ...string) func(*harness, *fixture.Fixture), keys ...string) func(*harness, *fixture.Fixture) {
	return func(h *harness, f *fixture.Fixture) {
		referrals(h.t, f)
		at("", keys...)(h, f)
	}
}

// TestHelpShowsEveryBinding: on every screen, each key the help shows does
// something when pressed, and each key that does something is in the help
// (the text fields' typing and editing keys aside).
func TestHelpShowsEveryBinding(t *testing.T) {
	// at reaches a screen: a patient selected in the queue, then keys, the
	// screen drawn after each as the program does.
	at := func(ps string, keys ...string) func(h *harness, f *fixture.Fixture) {
		return func(h *harness, f *fixture.Fixture) {
			if ps != "" {
				h.selectPatient(f, ps)
			}
			h.view()
			for _, k := range keys {
				h.keys(k)
				h.view()
			}
		}
	}
	screens := []helpScreen{
		{name: "queue", w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			at("P-0003"), at("", "1", "j", "j"), at("P-0003", "/", "a", "enter")}},
		{name: "queue filter", w: 80, h: 24, text: true, states: []func(*harness, *fixture.Fixture){at("", "/"), at("P-0003", "/")}},
		{name: "workspace submissions", w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			at("P-0001", "enter", "1"), at("P-0001", "enter", "1", "j")}},
		{name: "workspace measures", w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			at("P-0001", "enter", "3"), at("P-0001", "enter", "3", "G")}},
		{name: "workspace messages", w: 80, h: 16, states: []func(*harness, *fixture.Fixture){
			at("P-0001", "enter", "2", "g"), at("P-0001", "enter", "2", "G")}},
		{name: "reader, feedback waiting", w: 80, h: 14, states: []func(*harness, *fixture.Fixture){
			at("P-0002", "enter"), at("P-0002", "enter", "G")}},
		{name: "reader, feedback sent", w: 80, h: 14, states: []func(*harness, *fixture.Fixture){
			at("P-0005", "enter", "1", "enter"), at("P-0005", "enter", "1", "enter", "G")}},
		{name: "editor", w: 80, h: 24, text: true, states: []func(*harness, *fixture.Fixture){
			at("P-0002", "enter", "e", "H", "i"), at("P-0002", "enter", "e", "pgdown", "H", "i")}},
		{name: "send confirmation", w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			at("P-0002", "enter", "e", "H", "i", "ctrl+s"), at("P-0002", "enter", "e", "pgdown", "H", "i", "ctrl+s")}},
		{name: "risk dialog", w: 80, h: 24, states: []func(*harness, *fixture.Fixture){at("", "a"), at("", "a", "3")}},
		{name: "risk dialog comment", w: 80, h: 24, text: true, states: []func(*harness, *fixture.Fixture){at("", "a", "tab")}},
		{name: "workspace risk dialog", w: 80, h: 24, states: []func(*harness, *fixture.Fixture){at("", "enter", "a"), at("", "enter", "a", "3")}},
		{name: "workspace go-ahead dialog", w: 80, h: 24, states: []func(*harness, *fixture.Fixture){goAhead(at), goAhead(at, "2"), goAhead(at, "pgdown")}},
		{name: "workspace go-ahead comment", w: 80, h: 24, text: true, states: []func(*harness, *fixture.Fixture){goAhead(at, "tab")}},
		{name: "admin", admin: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){at("")}},
		{name: "team", sara: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){at(""), at("", "j")}},
		{name: "cohorts", w: 100, h: 30, states: groupStates(at, "c")},
		{name: "cohort", w: 100, h: 40, states: groupStates(at, "c", "enter")},
		{name: "cohort message", w: 100, h: 40, text: true, states: groupStates(at, "c", "enter", "w", "H", "i")},
		{name: "moderation", w: 100, h: 30, states: groupStates(at, "m")},
		{name: "moderation reject", w: 100, h: 30, text: true, states: groupStates(at, "m", "x")},
		{name: "moderation supervisor", sara: true, w: 100, h: 30, states: groupStates(at, "m")},
		{name: "queue, intake worker", intake: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			at("P-0003"), at("P-0003", "/", "a", "enter")}},
		{name: "intake, intake worker", intake: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			intakeAt(at, "i"), intakeAt(at, "i", "j", "j")}},
		{name: "intake", sara: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			intakeAt(at, "i"), intakeAt(at, "i", "j", "j"), intakeAt(at, "i", "G")}},
		{name: "intake accept", sara: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){intakeAt(at, "i", "G", "a")}},
		{name: "intake accept reason", sara: true, w: 80, h: 24, text: true, states: []func(*harness, *fixture.Fixture){intakeAt(at, "i", "G", "a", "e")}},
		{name: "intake decline", sara: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){intakeAt(at, "i", "G", "d")}},
		{name: "intake wait", sara: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){intakeAt(at, "i", "G", "w")}},
		{name: "team queue", sara: true, w: 80, h: 24, states: []func(*harness, *fixture.Fixture){
			at("", "enter"), at("", "enter", "j", "j"), at("", "enter", "/", "a", "enter")}},
	}
	exempt := textKeys()
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			var f *fixture.Fixture
			fresh := func(state func(*harness, *fixture.Fixture), dirty bool) *harness {
				if f == nil || dirty {
					f = newFixture(t)
				}
				th := f.Anna
				if sc.sara {
					th = f.Sara
				}
				if sc.admin {
					th = addAdmin(t, f)
				}
				if sc.intake {
					th = intakeWorker(t, f)
				}
				h := newHarness(t, options(f, th), sc.w, sc.h)
				h.fx = f
				state(h, f)
				return h
			}
			// The help of the screen, as the help page shows it.
			h := fresh(sc.states[0], false)
			top := h.m.Top()
			inHelp := map[string]string{}
			var bindings []key.Binding
			for _, g := range h.m.helpGroups(top) {
				for _, b := range g {
					if !b.Enabled() || b.Help().Key == "" {
						continue
					}
					bindings = append(bindings, b)
					for _, tok := range helpTokens(b.Help().Key) {
						if prev, dup := inHelp[tok]; dup {
							t.Errorf("%q is in the help twice: %q and %q", tok, prev, b.Help().Key+" "+b.Help().Desc)
						}
						inHelp[tok] = b.Help().Key + " " + b.Help().Desc
					}
				}
			}
			h.keys("f1")
			page := h.view()
			for _, g := range h.m.helpGroups(top) {
				for _, b := range g {
					if b.Enabled() && b.Help().Key != "" && (!strings.Contains(page, b.Help().Key) || !strings.Contains(page, b.Help().Desc)) {
						t.Errorf("the help page lacks %q %q:\n%s", b.Help().Key, b.Help().Desc, page)
					}
				}
			}
			// Press every key, from a fresh screen whenever the last one
			// did something.
			// The first state tries every key; the others, the keys of the
			// help that have not acted yet.
			acted := map[string]bool{}
			for si, state := range sc.states {
				h, dirty := fresh(state, false), false
				screen := h.view()
				for _, k := range allKeys() {
					name := k.String()
					_, helped := inHelp[name]
					typed := k.Type == tea.KeyRunes || k.Type == tea.KeySpace || exempt[name]
					if acted[name] || sc.text && typed && !helped || si > 0 && !helped {
						continue
					}
					if h == nil {
						h = fresh(state, dirty)
						screen = h.view()
					}
					seq := h.seq()
					var did bool
					if did, screen = h.press(k, screen); did {
						acted[name] = true
						dirty = h.seq() != seq
						h = nil
					}
				}
			}
			var missing, idle []string
			for name := range acted {
				if _, ok := inHelp[name]; !ok {
					missing = append(missing, name)
				}
			}
			// Every key of a binding acts (↑ and k alike); of a range
			// (1-6: go to tab 1 to 6), the one for where you already
			// are may do nothing.
			for _, b := range bindings {
				toks := helpTokens(b.Help().Key)
				n := 0
				for _, tok := range toks {
					if acted[tok] {
						n++
					}
				}
				isRange := helpRange.MatchString(b.Help().Key)
				if isRange && n >= len(toks)-1 {
					continue
				}
				for _, tok := range toks {
					if !acted[tok] {
						idle = append(idle, tok+" ("+b.Help().Key+" "+b.Help().Desc+")")
					}
				}
			}
			sort.Strings(missing)
			sort.Strings(idle)
			if len(missing) > 0 {
				t.Errorf("keys that do something but are not in the help: %q", missing)
			}
			if len(idle) > 0 {
				t.Errorf("keys in the help that do nothing: %q", idle)
			}
		})
	}
}

// storeBadges reads the store's source for every reason it can produce:
// each Reason literal with a Code and a Badge, the badge as a pattern
// (its literal text in order, anything else as a wildcard). It also
// returns every reason code the store declares.
func storeBadges(t *testing.T) (badges []storeBadge, codes map[string]string) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, "../store", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes = map[string]string{} // constant name -> code
	var files []*ast.File
	for _, f := range pkgs["store"].Files {
		files = append(files, f)
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if strings.HasPrefix(n.Name, "Reason") && i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							codes[n.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			cl, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			// Reason{...}, or {...} inside a []Reason{...}: any literal
			// with a Code and a Badge.
			if id, ok := cl.Type.(*ast.Ident); cl.Type != nil && (!ok || id.Name != "Reason") {
				return true
			}
			var code string
			var badge ast.Expr
			for _, e := range cl.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				switch kv.Key.(*ast.Ident).Name {
				case "Code":
					if id, ok := kv.Value.(*ast.Ident); ok {
						code = codes[id.Name]
					}
				case "Badge":
					badge = kv.Value
				}
			}
			if code != "" && badge != nil {
				pos := fset.Position(cl.Pos())
				badges = append(badges, storeBadge{code: code, where: fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line),
					pattern: regexp.MustCompile("^" + badgePattern(badge) + "$")})
			}
			return true
		})
	}
	return badges, codes
}

type storeBadge struct {
	code, where string
	pattern     *regexp.Regexp
}

var fmtVerb = regexp.MustCompile(`%[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)

// badgePattern turns a badge expression into a pattern: string literals
// as they are, fmt.Sprintf's verbs and every other expression as ".+".
func badgePattern(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(x.Value); err == nil {
			return regexp.QuoteMeta(s)
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return badgePattern(x.X) + badgePattern(x.Y)
		}
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(x.Args) > 0 {
			if lit, ok := x.Args[0].(*ast.BasicLit); ok {
				f, _ := strconv.Unquote(lit.Value)
				var out strings.Builder
				for i, part := range fmtVerb.Split(f, -1) {
					if i > 0 {
						out.WriteString(".+")
					}
					out.WriteString(regexp.QuoteMeta(part))
				}
				return out.String()
			}
		}
	}
	return ".+"
}

// TestHelpExplainsEveryBadge: every badge the store can put on a queue
// row, and every mark the workbench draws, has an entry in the legend,
// and the legend is in the ? help and in docs/workbench.md.
func TestHelpExplainsEveryBadge(t *testing.T) {
	legend := common.Legend()
	byCode := map[string][]common.LegendEntry{}
	for _, e := range legend {
		byCode[e.Code] = append(byCode[e.Code], e)
		if e.Pattern != "" && !regexp.MustCompile("^(?:"+e.Pattern+")$").MatchString(e.Example) {
			t.Errorf("legend %q: the example does not fit its own pattern %q", e.Example, e.Pattern)
		}
	}
	badges, codes := storeBadges(t)
	if len(badges) < len(codes) || len(codes) < 10 {
		t.Fatalf("found %d badges for %d reason codes in the store's source: this test no longer reads the store right", len(badges), len(codes))
	}
	for _, code := range codes {
		if len(byCode[code]) == 0 {
			t.Errorf("reason code %q has no legend entry", code)
		}
	}
	for _, b := range badges {
		ok := false
		for _, e := range byCode[b.code] {
			ok = ok || b.pattern.MatchString(e.Example)
		}
		if !ok {
			t.Errorf("%s: a %s badge of the form %s has no legend entry", b.where, b.code, b.pattern)
		}
	}
	// The badges the workbench makes itself.
	hel := fixture.Helsinki()
	now := fixture.Now
	fits := func(code, badge string) {
		t.Helper()
		for _, e := range byCode[code] {
			if e.Pattern != "" && regexp.MustCompile("^(?:"+e.Pattern+")$").MatchString(badge) {
				return
			}
		}
		t.Errorf("the workbench shows %q (%s) and the legend does not explain it", badge, code)
	}
	for d := -12; d <= 12; d++ {
		fits(store.ReasonStartDue, common.StartBadge(now.AddDate(0, 0, d).In(hel).Format(time.DateOnly), now, hel))
	}
	fits("", common.Scale{Name: "Sleep check"}.Short()[len("Sleep check "):])
	// In the help, on the queue and in a workspace, and in the docs.
	f := newFixture(t)
	doc, err := os.ReadFile("../docs/workbench.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, keys := range [][]string{nil, {"enter"}} {
		h := newHarness(t, options(f, f.Anna), 80, 24)
		h.fx = f
		h.keys(keys...)
		page := h.m.helpContent(h.m.Top())
		for _, e := range legend {
			if !strings.Contains(page, e.Example) || !strings.Contains(strings.Join(strings.Fields(page), " "), e.Meaning) {
				t.Errorf("the help of %s does not explain %q (%s)", h.m.Top().Title(), e.Example, e.Meaning)
			}
		}
	}
	// On a small screen the help scrolls to every entry.
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.keys("?")
	seen := h.view()
	for i := 0; i < 10; i++ {
		h.keys("pgdown")
		seen += h.view()
	}
	for _, e := range legend {
		if !strings.Contains(seen, e.Example) {
			t.Errorf("scrolling the help at 80x24 never shows %q", e.Example)
		}
	}
	h.keys("g")
	mustContain(t, h.view(), "enter open patient", "lines 1-")
	for _, e := range legend {
		if !strings.Contains(string(doc), "`"+e.Example+"`") {
			t.Errorf("docs/workbench.md does not explain `%s`", e.Example)
		}
	}
}
