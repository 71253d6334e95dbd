package programs_test

import (
	"regexp"
	"strings"
	"testing"

	"polku/programs"
	"polku/programs/builtin"
)

func builtinProgram(t *testing.T, id string) *programs.Program {
	t.Helper()
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Programs() {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no program %s", id)
	return nil
}

// The youth program tells the young person who sees what, screens for
// bullying before exposure, measures mood every other week, and puts
// "tell an adult you trust" first in its crisis block.
func TestYouthProgramSafety(t *testing.T) {
	p := builtinProgram(t, "social-anxiety-youth")
	first := p.Modules[0].Body
	for _, want := range []string{"## What stays between us", "**What stays private.**", "**What is shared with your guardian.**", "**What is always shared.**",
		"## For your parent or guardian"} {
		if !strings.Contains(first, want) {
			t.Errorf("module 1 lacks %q", want)
		}
	}
	for _, id := range []string{"anxiety-cycle", "school"} {
		_, m, _ := p.Module(id)
		if !strings.Contains(m.Body, "bullies") && !strings.Contains(m.Body, "bullying") || !strings.Contains(strings.ToLower(m.Body), "tell an adult") {
			t.Errorf("module %s does not say that bullying is not anxiety and to tell an adult", id)
		}
	}
	if len(p.GoAhead) != 1 || p.GoAhead[0].Screening != "safety-check" || p.GoAhead[0].Module != "exposure-ladder" {
		t.Errorf("go_ahead = %+v, want the exposure ladder to wait for the safety check", p.GoAhead)
	}
	_, ladder, _ := p.Module("exposure-ladder")
	if !strings.HasPrefix(ladder.Body, "## Before you build your ladder") {
		t.Errorf("the ladder module does not open with the go-ahead")
	}
	for _, s := range p.Schedule {
		if s.Instrument == "phq9" {
			for i := 1; i < len(s.Weeks); i++ {
				if s.Weeks[i]-s.Weeks[i-1] > 2 {
					t.Errorf("PHQ-9 weeks %v: a gap of more than two weeks", s.Weeks)
				}
			}
		}
	}
	if p.Crisis == nil || !strings.Contains(p.Crisis.Intro, "tell an\nadult you trust") {
		t.Errorf("the youth crisis block does not start with telling an adult: %+v", p.Crisis)
	}
}

// Every program tells the patient in module 1 that answers are read on
// working days and what happens after an answer that suggests they may not
// be safe; every module text avoids 12-hour times.
func TestProgramsSayWhenAnswersAreRead(t *testing.T) {
	for _, id := range []string{"insomnia", "gad", "depression", "social-anxiety-youth"} {
		p := builtinProgram(t, id)
		body := strings.ReplaceAll(p.Modules[0].Body, "\n", " ")
		if !strings.Contains(body, "working days") || !strings.Contains(body, "may not be safe") {
			t.Errorf("%s: module 1 does not say that answers are read on working days and what happens after a worrying answer", id)
		}
		for _, m := range p.Modules {
			if bad := twelveHour.FindString(m.Body); bad != "" {
				t.Errorf("%s/%s: %q: write times as 24-hour times (15.00)", id, m.ID, bad)
			}
		}
	}
}

var twelveHour = regexp.MustCompile(`(?i)\b[0-9]{1,2}(:[0-9]{2})? ?[ap]m\b|o'clock`)

// Depression: a safety plan in module 1, anchored mood ratings, and an
// activity plan in every week from week 4.
func TestDepressionSafetyPlanAndWeeklyPlans(t *testing.T) {
	p := builtinProgram(t, "depression")
	if m, _, ok := p.Exercise("safety-plan"); !ok || m.ID != p.Modules[0].ID {
		t.Error("no safety plan in module 1")
	}
	for _, id := range []string{"weekly-plan", "weekly-plan-5", "weekly-plan-7", "weekly-plan-8"} {
		_, ex, ok := p.Exercise(id)
		if !ok {
			t.Errorf("no %s exercise", id)
			continue
		}
		for _, f := range ex.Fields {
			if strings.HasPrefix(f.ID, "mood") && !strings.Contains(f.Help, "0 = the worst") {
				t.Errorf("%s.%s: mood rating without anchors", id, f.ID)
			}
		}
	}
	for _, m := range p.Modules {
		if strings.Contains(m.Body, "TRAP") || strings.Contains(m.Body, "TRAC") {
			t.Errorf("%s: English acronyms do not translate", m.ID)
		}
	}
}

// GAD: the certainty experiments keep necessary care, and hypothetical
// worries get written exposure.
func TestGADCarveOutAndWorryScript(t *testing.T) {
	p := builtinProgram(t, "gad")
	_, m, _ := p.Module("uncertainty")
	if !strings.Contains(m.Body, "Keep the checks that keep you safe") || !strings.Contains(m.Body, "new, or is changing") {
		t.Error("the uncertainty module has no carve-out for checks a doctor advised and new symptoms")
	}
	if mod, _, ok := p.Exercise("worry-script"); !ok || mod.ID != "uncertainty" {
		t.Error("no worry script in the uncertainty module")
	}
}

// Each module reads as a weekly session: every module ends with a summary,
// and module 1 introduces the case story the program follows and is at
// least about 750 words long.
func TestModulesAreWeeklySessions(t *testing.T) {
	for _, id := range []string{"insomnia", "gad", "depression", "social-anxiety-youth"} {
		p := builtinProgram(t, id)
		for i, m := range p.Modules {
			if !strings.Contains(m.Body, "## Summary") {
				t.Errorf("%s/%s has no summary", id, m.ID)
			}
			if i == 0 {
				if n := len(strings.Fields(m.Body)); n < 750 {
					t.Errorf("%s/%s has %d words, want at least 750", id, m.ID, n)
				}
				if !strings.Contains(m.Body, "## Meet ") {
					t.Errorf("%s/%s does not introduce the case story", id, m.ID)
				}
			}
		}
	}
}
