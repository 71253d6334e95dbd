package programs_test

import (
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
	if !strings.Contains(p.Crisis.Intro, "tell an\nadult you trust") {
		t.Errorf("the youth crisis block does not start with telling an adult: %q", p.Crisis.Intro)
	}
}
