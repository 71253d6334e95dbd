package programs_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"polku/programs"
	"polku/programs/builtin"
)

func insomnia(t *testing.T) *programs.Program {
	t.Helper()
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Programs() {
		if p.ID == "insomnia" {
			return p
		}
	}
	t.Fatal("no insomnia program")
	return nil
}

// A week of nights with the given time in bed and efficiency.
func week(t *testing.T, inBed time.Duration, efficiency float64) []programs.Night {
	t.Helper()
	var out []programs.Night
	for d := range 7 {
		out = append(out, programs.Night{Date: fmt.Sprintf("2026-11-%02d", 2+d), TimeInBed: inBed,
			TotalSleep: time.Duration(float64(inBed) * efficiency / 100)})
	}
	return out
}

// One titration rule (Spielman), computed the same way everywhere: widen
// 15 min at 90% or more, keep at 85-89.9%, narrow 15 min below 85%, never
// below the floor.
func TestSleepTitrationRule(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	today := start.AddDate(0, 0, 7)
	p := insomnia(t)
	cases := []struct {
		eff    float64
		inBed  time.Duration
		window time.Duration
		advice string
	}{
		{84.9, 6 * time.Hour, 5*time.Hour + 45*time.Minute, "efficiency below 85%: consider narrowing the sleep window by 15 min"},
		{85, 6 * time.Hour, 6 * time.Hour, "efficiency 85-89%: keep the sleep window"},
		{89.9, 6 * time.Hour, 6 * time.Hour, "efficiency 85-89%: keep the sleep window"},
		{90, 6 * time.Hour, 6*time.Hour + 15*time.Minute, "efficiency 90% or more: widen the sleep window by 15 min"},
		{70, 5*time.Hour + 5*time.Minute, 5 * time.Hour, "efficiency below 85%, but the window is at the floor of 5 h in bed: keep it"},
	}
	for _, c := range cases {
		weeks := programs.SleepWeeksFor(p, 30, start, today, week(t, c.inBed, c.eff))
		if len(weeks) != 1 {
			t.Fatalf("%v%%: %d weeks", c.eff, len(weeks))
		}
		w := weeks[0]
		if w.Window != c.window || !strings.HasPrefix(w.Advice, c.advice) {
			t.Errorf("%v%% with %v in bed: window %v, advice %q; want %v, %q", c.eff, c.inBed, w.Window, w.Advice, c.window, c.advice)
		}
	}
}

// The floor of time in bed comes from the program's age rule: 7 hours at
// 16, the adult 5 hours at 30.
func TestSleepFloorByAge(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	today := start.AddDate(0, 0, 7)
	p := insomnia(t)
	nights := week(t, 7*time.Hour, 70)
	adult := programs.SleepWeeksFor(p, 30, start, today, nights)[0]
	if adult.Floor != programs.MinTimeInBed || adult.Window != 6*time.Hour+45*time.Minute {
		t.Errorf("age 30: floor %v, window %v; want 5h0m0s, 6h45m0s (%s)", adult.Floor, adult.Window, adult.Advice)
	}
	young := programs.SleepWeeksFor(p, 16, start, today, nights)[0]
	if young.Floor != 7*time.Hour || young.Window != 7*time.Hour || !strings.Contains(young.Advice, "floor of 7 h in bed for ages 16-17") {
		t.Errorf("age 16: floor %v, window %v, advice %q; want the 7-hour floor of ages 16-17", young.Floor, young.Window, young.Advice)
	}
	if f, rule := p.TimeInBedFloor(17); f != 7*time.Hour || rule == nil || rule.Advice == "" {
		t.Errorf("age 17: floor %v, rule %+v", f, rule)
	}
	if f, rule := p.TimeInBedFloor(18); f != programs.MinTimeInBed || rule != nil {
		t.Errorf("age 18: floor %v, rule %+v", f, rule)
	}
}

func TestAgeOn(t *testing.T) {
	on := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for birth, want := range map[string]int{"2010-12-01": 16, "2010-12-02": 15, "1996-01-31": 30} {
		if got, ok := programs.AgeOn(birth, on); !ok || got != want {
			t.Errorf("AgeOn(%s) = %d, %v; want %d", birth, got, ok, want)
		}
	}
	if _, ok := programs.AgeOn("", on); ok {
		t.Error("an empty birth date gave an age")
	}
}

// Sleep restriction waits for the therapist: the health check comes in
// module 1, names each contraindication, and module 3 opens by saying so.
func TestInsomniaScreensBeforeRestriction(t *testing.T) {
	p := insomnia(t)
	if len(p.GoAhead) != 1 || p.GoAhead[0].Module != "sleep-window" {
		t.Fatalf("go_ahead = %+v, want one for the sleep-window module", p.GoAhead)
	}
	m, ex, ok := p.Exercise(p.GoAhead[0].Screening)
	if !ok || m.ID != p.Modules[0].ID || ex.Kind != programs.KindWorksheet {
		t.Fatalf("the screening %q must be a worksheet in module 1", p.GoAhead[0].Screening)
	}
	var labels []string
	for _, f := range ex.Fields {
		labels = append(labels, strings.ToLower(f.Label))
	}
	all := strings.Join(labels, "\n")
	for _, sign := range []string{"snore", "breathing stops", "fall asleep without meaning to", "driving", "move your legs",
		"sleepwalk", "epilepsy", "bipolar", "pregnant", "shift work", "medicine"} {
		if !strings.Contains(all, sign) {
			t.Errorf("the health check does not ask about %q", sign)
		}
	}
	_, window, _ := p.Module("sleep-window")
	if !strings.HasPrefix(window.Body, "## Before you start\n\n**Do not start the sleep window until your therapist has confirmed\nit.**") {
		t.Errorf("module 3 does not open with the go-ahead: %.120q", window.Body)
	}
	// The patient does no arithmetic: the window worksheet copies the
	// therapist's numbers, and every later week records its window.
	for _, id := range []string{"window-week-4", "window-week-5", "window-week-6"} {
		if _, _, ok := p.Exercise(id); !ok {
			t.Errorf("no %s exercise", id)
		}
	}
	_, diary, _ := p.Exercise("sleep-diary")
	fields := map[string]bool{}
	for _, f := range diary.Fields {
		fields[f.ID] = true
	}
	if !fields["naps_min"] || !fields["sleep_aid"] {
		t.Error("the sleep diary has no naps or sleep-medication field")
	}
}
