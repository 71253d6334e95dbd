package triage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/quick"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"polku/programs"
	"polku/store"
	"polku/tui/common"
)

func testCommon() *common.Common {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	return &common.Common{Ctx: context.Background(), Styles: common.NewStyles(r, common.Theme{Mono: true}), Keys: common.NewGlobalKeys(),
		Clock: func() time.Time { return now }, Loc: time.UTC, Config: common.DefaultConfig(), Templates: common.DefaultTemplates()}
}

var names = []string{"Maria", "Juha", "Aino", "Elias", "Sofia", "Leo", "Onni", "Kalle", "Liisa", "Risto", "Ilona", "Veikko"}
var progs = []string{"gad", "depression", "insomnia", "social-anxiety-youth"}

// queue makes a sorted queue of n patients with random classes.
func queue(rng *rand.Rand, n int) *store.Queue { return riskQueue(rng, n, -1) }

// riskQueue makes a sorted queue of n patients, risk of them in the risk
// class (-1: classes at random). Names are unique ("Maria K.17").
func riskQueue(rng *rand.Rand, n, risk int) *store.Queue {
	q := &store.Queue{TherapistID: "t1", Counts: map[store.Class]int{}}
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		c := store.Classes[rng.IntN(len(store.Classes))]
		if risk >= 0 {
			c = store.Classes[1+rng.IntN(len(store.Classes)-1)]
			if i < risk {
				c = store.ClassRisk
			}
		}
		it := store.QueueItem{PatientID: fmt.Sprintf("p%05d", i), Pseudonym: fmt.Sprintf("P-%05d", i),
			DisplayName: fmt.Sprintf("%s %c.%d", names[rng.IntN(len(names))], 'A'+rng.IntN(26), i), TherapistID: "t1", Status: store.EnrollmentActive,
			ProgramID: progs[rng.IntN(len(progs))], ProgramTitle: "Program", Week: 1 + rng.IntN(10), Weeks: 12, Class: c}
		last := now.Add(-time.Duration(rng.IntN(500)) * time.Hour)
		if rng.IntN(5) > 0 {
			it.LastActive = &last
		}
		if c != store.ClassWaiting {
			it.Reasons = []store.Reason{{Class: c, Code: c.String(), Text: "reason " + c.String(), Badge: strings.ToUpper(c.String()), Since: last}}
		} else {
			it.Reasons = []store.Reason{}
		}
		q.Items = append(q.Items, it)
	}
	store.SortQueue(q.Items)
	for _, it := range q.Items {
		q.Counts[it.Class]++
	}
	return q
}

// riskOnScreen checks what the list on screen shows of the risk-class
// patients: each one is a row, or is counted in the "N more risk
// patients" line; the line is there whenever one is not a row.
func riskOnScreen(t *testing.T, p *Page, q *store.Queue, where string) bool {
	t.Helper()
	lines := strings.Split(p.View(), "\n")
	if len(lines) < 2+p.listHeight() {
		t.Logf("%s: the view has %d lines", where, len(lines))
		return false
	}
	list := strings.Join(lines[2:2+p.listHeight()], "\n") // below the section header and the counts
	shown, total := 0, 0
	for _, it := range q.Items {
		if it.Class != store.ClassRisk {
			continue
		}
		total++
		if n := strings.Count(list, it.DisplayName+" "); n > 1 {
			t.Logf("%s: %s is on screen %d times", where, it.DisplayName, n)
			return false
		} else if n == 1 {
			shown++
		}
	}
	counted := 0
	if m := regexp.MustCompile(`(\d+) more risk patients?`).FindStringSubmatch(list); m != nil {
		counted, _ = strconv.Atoi(m[1])
	}
	if shown+counted != total {
		t.Logf("%s: %d risk patients, %d on screen, %d counted in the risk line:\n%s", where, total, shown, counted, list)
		return false
	}
	return true
}

// terminal sizes and the page each gets (the root keeps two lines for the
// message line and the status bar).
var terminals = []struct {
	name string
	w, h int
}{{"80x24", 80, 22}, {"40x10", 40, 8}}

// TestRiskIsNeverHidden: whatever the filter text, section, sort and
// cursor, every risk-class patient is first in the list, in the store's
// order, and on the screen either as a row or counted in the risk line,
// at 80x24 and at 40x10, with few and with many risk patients.
func TestRiskIsNeverHidden(t *testing.T) {
	c := testCommon()
	keys := []tea.KeyMsg{{Type: tea.KeyDown}, {Type: tea.KeyDown}, {Type: tea.KeyDown}, {Type: tea.KeyPgDown}, {Type: tea.KeyEnd},
		{Type: tea.KeyUp}, {Type: tea.KeyPgUp}, {Type: tea.KeyHome}}
	check := func(seed uint64, filter string, section, sortMode uint8, moves uint8, risk int8) bool {
		rng := rand.New(rand.NewPCG(seed, 1))
		n := 1 + rng.IntN(200)
		r := -1
		if risk >= 0 {
			r = 6 + int(risk)%40 // 6 to 45 risk patients
			n = max(n, r)
		}
		q := riskQueue(rng, n, r)
		var ids []string
		for _, it := range q.Items {
			if it.Class == store.ClassRisk {
				ids = append(ids, it.PatientID)
			}
		}
		for _, term := range terminals {
			p := New(c, store.Therapist{ID: "t1", Name: "Anna"}, false, true)
			p.SetSize(term.w, term.h)
			p.SetQueue(q)
			p.SetSection(int(section % 3))
			p.SetSort(int(sortMode % 4))
			p.SetFilter(filter)
			krng := rand.New(rand.NewPCG(seed, 2))
			for i := 0; i < int(moves%40); i++ {
				p.Update(keys[krng.IntN(len(keys))])
			}
			vis := p.Visible()
			if len(vis) < len(ids) {
				t.Logf("%s seed %d filter %q: %d risk patients, %d rows", term.name, seed, filter, len(ids), len(vis))
				return false
			}
			for i, id := range ids {
				if vis[i].PatientID != id {
					t.Logf("%s seed %d filter %q section %d sort %d: row %d is %s, want risk patient %s", term.name, seed, filter, section%3, sortMode%4, i, vis[i].PatientID, id)
					return false
				}
			}
			for _, it := range vis[len(ids):] {
				if it.Class == store.ClassRisk {
					return false
				}
			}
			where := fmt.Sprintf("%s seed %d filter %q section %d sort %d moves %d", term.name, seed, filter, section%3, sortMode%4, moves%40)
			if !riskOnScreen(t, p, q, where) {
				return false
			}
			// The cursor is always on screen too.
			if it, ok := p.Selected(); ok && !strings.Contains(p.View(), it.DisplayName+" ") {
				t.Logf("%s: the selected %s is not on screen", where, it.DisplayName)
				return false
			}
		}
		return true
	}
	if err := quick.Check(check, &quick.Config{MaxCount: 300}); err != nil {
		t.Fatal(err)
	}
	// And a table of filters that match nothing, everything and oddities,
	// with random classes and with 6 and more risk patients.
	for _, f := range []string{"", "zzzz", "a", "MARIA", "gad", "insomnia", "P-0", "\x1b[31m", "%", ".*", "  "} {
		for s := 0; s < 3; s++ {
			for o := 0; o < 4; o++ {
				for _, risk := range []int8{-1, 0, 1, 10} {
					if !check(42, f, uint8(s), uint8(o), 7, risk) {
						t.Errorf("filter %q section %d sort %d risk %d hides risk", f, s, o, risk)
					}
				}
			}
		}
	}
	// Every cursor position, row by row, with 6, 7 and 30 risk patients.
	for _, r := range []int{6, 7, 30} {
		q := riskQueue(rand.New(rand.NewPCG(9, 9)), 80, r)
		for _, term := range terminals {
			p := New(c, store.Therapist{ID: "t1"}, false, true)
			p.SetSize(term.w, term.h)
			p.SetQueue(q)
			p.SetSection(SectionAll)
			for i := 0; i < 2*len(q.Items); i++ {
				k := tea.KeyMsg{Type: tea.KeyDown}
				if i >= len(q.Items) {
					k = tea.KeyMsg{Type: tea.KeyUp}
				}
				p.Update(k)
				if !riskOnScreen(t, p, q, fmt.Sprintf("%s, %d risk, step %d", term.name, r, i)) {
					t.Fatalf("%s with %d risk patients: a risk patient is out of view and not counted (step %d)", term.name, r, i)
				}
			}
		}
	}
}

func TestFilterMatchesNameAndProgram(t *testing.T) {
	c := testCommon()
	q := queue(rand.New(rand.NewPCG(7, 7)), 300)
	p := New(c, store.Therapist{ID: "t1"}, false, true)
	p.SetSize(80, 22)
	p.SetQueue(q)
	p.SetSection(SectionAll)
	p.SetFilter("insomnia")
	for _, it := range p.Visible() {
		if it.Class != store.ClassRisk && it.ProgramID != "insomnia" {
			t.Fatalf("filter insomnia shows %s in %s", it.DisplayName, it.ProgramID)
		}
	}
	p.SetFilter("maria")
	for _, it := range p.Visible() {
		if it.Class != store.ClassRisk && !strings.HasPrefix(it.DisplayName, "Maria") {
			t.Fatalf("filter maria shows %s", it.DisplayName)
		}
	}
}

func TestOnlyVisibleRowsRendered(t *testing.T) {
	c := testCommon()
	q := queue(rand.New(rand.NewPCG(1, 2)), 5000)
	p := New(c, store.Therapist{ID: "t1"}, false, true)
	p.SetSize(80, 22)
	p.SetQueue(q)
	p.SetSection(SectionAll)
	v := p.View()
	if n := strings.Count(v, "\n") + 1; n != 22 {
		t.Errorf("view has %d lines, want 22", n)
	}
	// Paging to the end keeps the cursor on screen.
	p.Update(tea.KeyMsg{Type: tea.KeyEnd})
	it, _ := p.Selected()
	if !strings.Contains(p.View(), it.DisplayName) {
		t.Error("the selected last row is not on screen")
	}
}

func TestNextAfterSkipsWaiting(t *testing.T) {
	c := testCommon()
	q := queue(rand.New(rand.NewPCG(3, 3)), 50)
	p := New(c, store.Therapist{ID: "t1"}, false, true)
	p.SetSize(80, 22)
	p.SetQueue(q)
	p.SetSection(SectionAll)
	vis := p.Visible()
	for _, it := range vis {
		next, ok := p.NextAfter(it.PatientID)
		if !ok {
			t.Fatal("no next in a queue with work")
		}
		if next.PatientID == it.PatientID || next.Class == store.ClassWaiting {
			t.Fatalf("next after %s is %s (%s)", it.PatientID, next.PatientID, next.Class)
		}
	}
}

// TestNotValidatedMarkedInRowAndPreview: a reason about a not-validated
// instrument's score carries the marker in the row's badge and in the
// preview's sentence and score line; a validated one does not.
func TestNotValidatedMarkedInRowAndPreview(t *testing.T) {
	c := testCommon()
	yes, no := true, false
	c.Scales = common.NewScales([]*programs.Instrument{{ShortTitle: "Sleep check", Validated: &no}, {ShortTitle: "PHQ-9", Validated: &yes}})
	now := c.Now()
	q := &store.Queue{TherapistID: "t1", Counts: map[store.Class]int{store.ClassDeterioration: 2}}
	for i, name := range []string{"Sleep check", "PHQ-9"} {
		q.Items = append(q.Items, store.QueueItem{PatientID: fmt.Sprint("p", i), DisplayName: fmt.Sprint("Patient ", i), TherapistID: "t1",
			Status: store.EnrollmentActive, ProgramID: "insomnia", ProgramTitle: "Sleep", Week: 3, Weeks: 8, Class: store.ClassDeterioration,
			Instrument: name, Scores: []store.ScorePoint{{Week: 0, Total: 8}, {Week: 3, Total: 14}},
			Reasons: []store.Reason{{Class: store.ClassDeterioration, Code: store.ReasonDeterioration, SourceType: store.RiskSourceMeasure,
				Text: name + " rose from 8 to 14 since baseline", Badge: name + " +6", Since: now}}})
	}
	p := New(c, store.Therapist{ID: "t1"}, false, true)
	p.SetSize(120, 30)
	p.SetQueue(q)
	v := p.View()
	for _, want := range []string{"Sleep check †n.v. +6", "PHQ-9 +6", "• Sleep check (not validated) rose from 8", "Sleep check (not validated) "} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	p.Select("p1")
	v = p.View()
	if strings.Contains(v, "PHQ-9 (not validated)") || strings.Contains(v, "PHQ-9 †n.v.") {
		t.Errorf("a validated instrument is marked:\n%s", v)
	}
}

// TestPreviewCountsHaveUnits: the preview's counts say what they count.
func TestPreviewCountsHaveUnits(t *testing.T) {
	c := testCommon()
	q := &store.Queue{TherapistID: "t1", Counts: map[store.Class]int{store.ClassDue: 1}, Items: []store.QueueItem{{PatientID: "p0", DisplayName: "Maria",
		TherapistID: "t1", Status: store.EnrollmentActive, ProgramTitle: "Program", Week: 2, Weeks: 8, Waiting: 1, Unread: 2, Class: store.ClassDue,
		Reasons: []store.Reason{{Class: store.ClassDue, Code: store.ReasonFeedbackDue, Text: "due", Badge: "FB 3h"}}}}}
	p := New(c, store.Therapist{ID: "t1"}, false, true)
	p.SetSize(200, 30)
	p.SetQueue(q)
	v := p.View()
	for _, want := range []string{"1 submission waiting", "2 unread messages"} {
		if !strings.Contains(v, want) {
			t.Errorf("preview lacks %q:\n%s", want, v)
		}
	}
}

// TestAckDialogMarksNotValidated: the acknowledgement dialog says a flag's
// sentence with the instrument's marker too.
func TestAckDialogMarksNotValidated(t *testing.T) {
	c := testCommon()
	no := false
	c.Scales = common.NewScales([]*programs.Instrument{{ShortTitle: "Mood check", Validated: &no}})
	q := &store.Queue{TherapistID: "t1", Counts: map[store.Class]int{store.ClassRisk: 1}, Items: []store.QueueItem{{PatientID: "p0", DisplayName: "Maria",
		TherapistID: "t1", Status: store.EnrollmentActive, ProgramTitle: "Program", Week: 2, Weeks: 8, Class: store.ClassRisk,
		Reasons: []store.Reason{{Class: store.ClassRisk, Code: store.ReasonCriticalItem, Level: "amber", SourceType: store.RiskSourceMeasure, SourceID: "m1",
			Text: "Mood check item 3 answered 1 on 15 Nov, not yet acknowledged", Badge: "RISK Mood check#3=1"}}}}}
	p := New(c, store.Therapist{ID: "t1"}, false, true)
	p.SetSize(120, 30)
	p.SetQueue(q)
	if !strings.Contains(p.View(), "RISK Mood check †n.v.#3=1") {
		t.Errorf("row badge unmarked:\n%s", p.View())
	}
	p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})
	if v := p.View(); !strings.Contains(v, "Mood check (not validated) item 3 answered 1") {
		t.Errorf("the dialog's flag is unmarked:\n%s", v)
	}
}
