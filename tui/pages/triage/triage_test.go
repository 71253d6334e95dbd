package triage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/quick"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

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
func queue(rng *rand.Rand, n int) *store.Queue {
	q := &store.Queue{TherapistID: "t1", Counts: map[store.Class]int{}}
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		c := store.Classes[rng.IntN(len(store.Classes))]
		it := store.QueueItem{PatientID: fmt.Sprintf("p%05d", i), Pseudonym: fmt.Sprintf("P-%05d", i),
			DisplayName: names[rng.IntN(len(names))] + " " + string(rune('A'+rng.IntN(26))) + ".", TherapistID: "t1", Status: store.EnrollmentActive,
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

// TestRiskIsNeverHidden: whatever the filter text, section and sort,
// every risk-class patient is on screen, at the top, in the store's
// order.
func TestRiskIsNeverHidden(t *testing.T) {
	c := testCommon()
	check := func(seed uint64, filter string, section, sortMode uint8, moves uint8) bool {
		rng := rand.New(rand.NewPCG(seed, 1))
		q := queue(rng, 1+rng.IntN(200))
		p := New(c, store.Therapist{ID: "t1", Name: "Anna"}, false, true)
		p.SetSize(80, 22)
		p.SetQueue(q)
		p.SetSection(int(section % 3))
		p.SetSort(int(sortMode % 4))
		p.SetFilter(filter)
		for i := 0; i < int(moves%20); i++ {
			p.Update(tea.KeyMsg{Type: tea.KeyDown})
		}
		var risk []string
		for _, it := range q.Items {
			if it.Class == store.ClassRisk {
				risk = append(risk, it.PatientID)
			}
		}
		vis := p.Visible()
		if len(vis) < len(risk) {
			t.Logf("seed %d filter %q: %d risk patients, %d rows", seed, filter, len(risk), len(vis))
			return false
		}
		for i, id := range risk {
			if vis[i].PatientID != id {
				t.Logf("seed %d filter %q section %d sort %d: row %d is %s, want risk patient %s", seed, filter, section%3, sortMode%4, i, vis[i].PatientID, id)
				return false
			}
		}
		for _, it := range vis[len(risk):] {
			if it.Class == store.ClassRisk {
				return false
			}
		}
		// The screen shows them too, wherever the cursor is: risk rows
		// stick to the top of the list (up to half of it).
		view := p.View()
		for i, id := range risk {
			if i >= p.sticky() {
				break
			}
			var name string
			for _, it := range q.Items {
				if it.PatientID == id {
					name = it.DisplayName
				}
			}
			if !strings.Contains(view, name) {
				t.Logf("risk patient %s (%s) not on screen", id, name)
				return false
			}
		}
		return true
	}
	if err := quick.Check(check, &quick.Config{MaxCount: 300}); err != nil {
		t.Fatal(err)
	}
	// And a table of filters that match nothing, everything and oddities.
	for _, f := range []string{"", "zzzz", "a", "MARIA", "gad", "insomnia", "P-0", "\x1b[31m", "%", ".*", "  "} {
		for s := 0; s < 3; s++ {
			for o := 0; o < 4; o++ {
				if !check(42, f, uint8(s), uint8(o), 3) {
					t.Errorf("filter %q section %d sort %d hides risk", f, s, o)
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
