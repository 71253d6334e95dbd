package common

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store"
)

// NotValidatedMark is the short marker of a score from an instrument that
// is not validated, for narrow places (queue badges, sparkline lines); the
// help's legend explains it.
const NotValidatedMark = "†n.v."

// Scale is an instrument as the screen names it: its short name and
// whether it is validated. Every place that shows a score names the
// instrument through a Scale, so that a score from an instrument that is
// not validated (the demo scales polku wrote) always says so.
type Scale struct {
	Name      string
	Validated bool
	// Words is "not validated" in the therapist's language ("" is
	// English); Scales.In sets it.
	Words string
}

// ScaleOf is the Scale of an instrument definition. An instrument whose
// definition does not say it is validated counts as not validated.
func ScaleOf(in *programs.Instrument) Scale {
	return Scale{Name: in.Name(), Validated: in.Validated != nil && *in.Validated}
}

// Long names the instrument with its marker in words: "PHQ-9",
// "Sleep check (not validated)".
func (s Scale) Long() string {
	if s.Validated {
		return s.Name
	}
	if s.Words != "" {
		return s.Name + " (" + s.Words + ")"
	}
	return s.Name + " (not validated)"
}

// Short names the instrument with the short marker: "PHQ-9",
// "Sleep check †n.v.".
func (s Scale) Short() string {
	if s.Validated {
		return s.Name
	}
	return s.Name + " " + NotValidatedMark
}

// Scales knows every stored instrument by name: the queue names the
// instrument of a score series only by name.
type Scales struct {
	byName map[string]Scale
	words  string
}

// In is the scales with "not validated" in p's language.
func (s *Scales) In(p *i18n.Printer) *Scales {
	if s == nil {
		return nil
	}
	out := &Scales{byName: make(map[string]Scale, len(s.byName)), words: p.T("tui.scale.not_validated")}
	for name, sc := range s.byName {
		sc.Words = out.words
		out.byName[name] = sc
	}
	return out
}

// NewScales indexes instrument definitions by name. A name that a
// validated and a not-validated instrument share counts as not validated.
func NewScales(defs []*programs.Instrument) *Scales {
	s := &Scales{byName: map[string]Scale{}}
	for _, in := range defs {
		sc := ScaleOf(in)
		if prev, ok := s.byName[sc.Name]; ok && !prev.Validated {
			continue
		}
		s.byName[sc.Name] = sc
	}
	return s
}

// Named is the Scale of an instrument name; a name no stored definition
// has is not known to be validated.
func (s *Scales) Named(name string) Scale {
	if s != nil {
		if sc, ok := s.byName[name]; ok {
			return sc
		}
	}
	return Scale{Name: name, Words: s.wordsOr()}
}

func (s *Scales) wordsOr() string {
	if s == nil {
		return ""
	}
	return s.words
}

// Mark marks the not-validated instrument names in a text about scores
// (a reason's sentence or badge): short with the †n.v. marker, or in
// words. A name already marked is left as it is.
func (s *Scales) Mark(text string, short bool) string {
	if s == nil {
		return text
	}
	names := make([]string, 0, len(s.byName))
	for name, sc := range s.byName {
		if !sc.Validated && name != "" {
			names = append(names, name)
		}
	}
	// The longest first, so that "Sleep check" is marked, not a
	// shorter name inside it; in a fixed order.
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	var marked []string
	for _, name := range names {
		sc := s.byName[name]
		if !strings.Contains(text, name) {
			continue
		}
		inside := false
		for _, m := range marked {
			inside = inside || strings.Contains(m, name)
		}
		if inside {
			continue
		}
		marked = append(marked, name)
		if i := strings.Index(text, name); strings.HasPrefix(text[i+len(name):], " (not") || s.words != "" && strings.HasPrefix(text[i+len(name):], " ("+s.words) || strings.HasPrefix(text[i+len(name):], " "+NotValidatedMark) {
			continue // already says so ("(not validated)", the store's "(not a validated scale)")
		}
		with := sc.Long()
		if short {
			with = sc.Short()
		}
		text = strings.Replace(text, name, with, 1)
	}
	return text
}

// InstrumentLister is the part of the store that lists instrument
// definitions (*store.DB has it).
type InstrumentLister interface {
	Instruments(ctx context.Context) ([]store.InstrumentVersion, error)
	InstrumentDef(ctx context.Context, id string, version int) (*programs.Instrument, error)
}

// LoadScales reads every stored instrument version (the store caches the
// definitions). Call it inside a tea.Cmd.
func LoadScales(ctx context.Context, l InstrumentLister) (*Scales, error) {
	vs, err := l.Instruments(ctx)
	if err != nil {
		return nil, err
	}
	defs := make([]*programs.Instrument, 0, len(vs))
	for _, v := range vs {
		in, err := l.InstrumentDef(ctx, v.InstrumentID, v.Version)
		if err != nil {
			return nil, fmt.Errorf("instrument %s version %d: %w", v.InstrumentID, v.Version, err)
		}
		defs = append(defs, SanitizeInstrument(in))
	}
	return NewScales(defs), nil
}

// ScoreMove is how one instrument's total moved from baseline.
type ScoreMove struct {
	Scale    Scale
	From, To int
}

// ScoreChange says for the patient-facing {score_change} template
// variable how the scores moved since the start. Not-validated scales are
// left out: their numbers must not reach a patient as if they measured
// something.
func ScoreChange(moves []ScoreMove) string {
	var parts []string
	for _, m := range moves {
		if !m.Scale.Validated {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s from %d to %d", m.Scale.Name, m.From, m.To))
	}
	return strings.Join(parts, ", ")
}
