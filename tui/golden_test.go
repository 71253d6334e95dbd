package tui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// screen is one screen of the workbench reached from the start by keys.
type screen struct {
	name  string
	as    string // anna (a therapist), sara (a supervisor), admin
	steps func(h *harness)
}

// screens are the golden screens: every kind of screen the workbench has.
func screens() []screen {
	return []screen{
		{"queue", "anna", func(h *harness) {}},
		{"queue-filtered", "anna", func(h *harness) { h.keys("3", "/"); h.typeText("gad"); h.keys("enter") }},
		{"risk-measures", "anna", func(h *harness) { h.keys("enter") }},
		{"acknowledge", "anna", func(h *harness) { h.keys("a", "down") }},
		{"reader-editor", "anna", func(h *harness) {
			h.selectPatient(h.fx, "P-0002")
			h.keys("enter", "e")
			h.typeText("Thank you, Juha. ")
			h.keys("alt+2")
		}},
		{"confirm-send", "anna", func(h *harness) {
			h.selectPatient(h.fx, "P-0003")
			h.keys("enter", "e")
			h.typeText("Good goals.")
			h.keys("ctrl+s")
		}},
		{"messages", "anna", func(h *harness) { h.keys("enter", "2") }},
		{"sleep-diary", "anna", func(h *harness) { h.selectPatient(h.fx, "P-0003"); h.keys("enter", "esc", "4") }},
		{"timeline", "anna", func(h *harness) { h.selectPatient(h.fx, "P-0002"); h.keys("enter", "esc", "6") }},
		{"notes", "anna", func(h *harness) {
			h.selectPatient(h.fx, "P-0004")
			h.keys("enter", "5", "e")
			h.typeText("Call on Monday.")
		}},
		{"hostile", "anna", func(h *harness) { h.selectPatient(h.fx, "P-0006"); h.keys("enter", "1", "enter") }},
		{"course", "anna", func(h *harness) {
			h.selectPatient(h.fx, "P-0002")
			h.keys("enter", "esc", "C", "j", "j", "j", "tab", "j")
		}},
		{"summary", "anna", func(h *harness) {
			h.selectPatient(h.fx, "P-0002")
			h.keys("enter", "esc", "C", "j", "j", "enter")
		}},
		{"help", "anna", func(h *harness) { h.keys("?") }},
		{"team", "sara", func(h *harness) {}},
		{"team-queue", "sara", func(h *harness) { h.keys("enter") }},
		{"team-patient", "sara", func(h *harness) { h.keys("enter", "j", "j", "enter") }},
		{"admin", "admin", func(h *harness) {}},
		{"cohort", "anna", func(h *harness) { setupGroups(h.t, h.fx); h.keys("c", "enter") }},
		{"moderation", "anna", func(h *harness) { setupGroups(h.t, h.fx); h.keys("m") }},
		{"intake", "sara", func(h *harness) { referrals(h.t, h.fx); h.keys("i") }},
		{"intake-accept", "sara", func(h *harness) { referrals(h.t, h.fx); h.keys("i", "G", "a", "t") }},
		{"intake-decline", "sara", func(h *harness) { referrals(h.t, h.fx); h.keys("i", "d", "c", "e"); h.typeText("Needs urgent care.") }},
	}
}

// Golden screens: the fixture store, the fixed clock, ASCII rendering.
// Update with: go test ./tui -run TestGolden -update
func TestGolden(t *testing.T) {
	for _, sc := range screens() {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s-%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				h := sc.open(t, "", size[0], size[1])
				golden.RequireEqual(t, []byte(h.view()))
			})
		}
	}
}

// open builds a fixture, opens the workbench as the screen's person in
// lang at w x h and types the screen's keys.
func (sc screen) open(t *testing.T, lang string, w, h int) *harness {
	t.Helper()
	f := newFixture(t)
	th := f.Anna
	switch sc.as {
	case "sara":
		th = f.Sara
	case "admin":
		th = addAdmin(t, f)
	}
	o := options(f, th)
	o.Lang = lang
	hs := newHarness(t, o, w, h)
	hs.fx = f
	sc.steps(hs)
	return hs
}
