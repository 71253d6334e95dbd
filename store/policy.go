package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the service's time zone must resolve on any machine
)

// Policy is the local policy the triage applies. Every value is a setting
// stored in the store (polku settings list|set); these are the defaults.
type Policy struct {
	FeedbackWorkingDays int                 `json:"feedback_working_days"`
	InactiveDays        int                 `json:"inactive_days"`
	EndingDays          int                 `json:"ending_days"`
	StartDays           int                 `json:"start_days"`
	NotOnTrack          NotOnTrackRule      `json:"not_on_track"`
	Timezone            string              `json:"timezone"`
	RiskWords           map[string][]string `json:"risk_words"`
}

// NotOnTrackRule: the expected score falls linearly from the baseline by
// ExpectedImprovementPct percent over the program; with at least MinScores
// scores, a patient not below that curve is not on track.
type NotOnTrackRule struct {
	ExpectedImprovementPct float64 `json:"expected_improvement_pct"`
	MinScores              int     `json:"min_scores"`
}

// DefaultPolicy is the policy of a new store.
func DefaultPolicy() Policy {
	return Policy{
		FeedbackWorkingDays: 2,
		InactiveDays:        7,
		EndingDays:          7,
		StartDays:           7,
		NotOnTrack:          NotOnTrackRule{ExpectedImprovementPct: 50, MinScores: 3},
		Timezone:            "Europe/Helsinki",
		RiskWords: map[string][]string{
			"fi": {"itsemurh", "itsetuho", "tappaa itseni", "tappaisin itseni", "haluan kuolla", "haluaisin kuolla",
				"en halua elää", "en halua enää elää", "en jaksa elää", "olisin parempi kuollut", "parempi olisi kuolla", "vahingoittaa itseäni",
				"vahingoitan itseäni", "viillän", "viiltelen", "viiltely", "lopettaa kaiken", "ottaa yliannostuksen", "hirttä"},
			"sv": {"självmord", "ta livet av mig", "skada mig själv", "skadar mig själv", "vill dö", "vill inte leva", "vill jag inte leva", "inte leva längre",
				"orkar inte leva", "bättre om jag var död", "skär mig"},
			"en": {"suicid", "kill myself", "end my life", "self-harm", "self harm", "hurt myself", "harm myself",
				"want to die", "better off dead", "no reason to live", "cutting myself", "overdose", "end it all"},
		},
	}
}

// policyKeys describes every setting: its key and a check for a new value.
var policyKeys = map[string]string{
	"feedback_working_days": "working days within which a submission or message is answered (weekends skipped)",
	"inactive_days":         "days without patient activity before the patient counts as inactive",
	"ending_days":           "days before the planned end when the program counts as ending",
	"start_days":            "days from referral within which treatment should start",
	"not_on_track":          `{"expected_improvement_pct": N, "min_scores": N}: the not-on-track rule`,
	"timezone":              "IANA time zone of the service (weekends, dates in reasons)",
	"risk_words":            `{"fi": [...], "sv": [...], "en": [...]}: phrases flagged as possible risk (lower case; a heuristic)`,
}

// SettingKeys lists the known settings with their meaning, by key.
func SettingKeys() [][2]string {
	var out [][2]string
	for k, v := range policyKeys {
		out = append(out, [2]string{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Policy reads the policy: defaults overlaid with stored settings. The
// returned version changes whenever any setting does.
func (db *DB) Policy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	settings, err := db.Settings(ctx)
	if err != nil {
		return p, err
	}
	for _, s := range settings {
		if _, known := policyKeys[s.Key]; !known {
			continue
		}
		if err := applySetting(&p, s.Key, s.Value); err != nil {
			return p, fmt.Errorf("setting %s: %w", s.Key, err)
		}
	}
	return p, nil
}

// applySetting sets one policy value from JSON, checking it.
func applySetting(p *Policy, key string, raw json.RawMessage) error {
	strict := func(dst any) error {
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		return dec.Decode(dst)
	}
	positive := func(dst *int, max int) error {
		var n int
		if err := strict(&n); err != nil {
			return fmt.Errorf("want a whole number: %v", cleanJSONError(err))
		}
		if n < 1 || n > max {
			return fmt.Errorf("%d is outside 1-%d", n, max)
		}
		*dst = n
		return nil
	}
	switch key {
	case "feedback_working_days":
		return positive(&p.FeedbackWorkingDays, 30)
	case "inactive_days":
		return positive(&p.InactiveDays, 90)
	case "ending_days":
		return positive(&p.EndingDays, 60)
	case "start_days":
		return positive(&p.StartDays, 90)
	case "not_on_track":
		var r NotOnTrackRule
		if err := strict(&r); err != nil {
			return fmt.Errorf("want %s: %v", policyKeys[key], cleanJSONError(err))
		}
		if r.ExpectedImprovementPct <= 0 || r.ExpectedImprovementPct > 100 || r.MinScores < 2 {
			return fmt.Errorf("expected_improvement_pct must be in 1-100 and min_scores at least 2")
		}
		p.NotOnTrack = r
	case "timezone":
		var tz string
		if err := strict(&tz); err != nil {
			return fmt.Errorf("want a time zone name in quotes: %v", cleanJSONError(err))
		}
		if _, err := time.LoadLocation(tz); err != nil {
			return fmt.Errorf("unknown time zone %q", tz)
		}
		p.Timezone = tz
	case "risk_words":
		var w map[string][]string
		if err := strict(&w); err != nil {
			return fmt.Errorf("want %s: %v", policyKeys[key], cleanJSONError(err))
		}
		for lang, list := range w {
			if err := checkLanguage("setting", "risk_words", lang); err != nil {
				return err
			}
			for i, phrase := range list {
				if strings.TrimSpace(phrase) == "" {
					return fmt.Errorf("%s[%d] is empty", lang, i)
				}
				list[i] = strings.ToLower(strings.TrimSpace(phrase))
			}
		}
		p.RiskWords = w
	default:
		return fmt.Errorf("unknown setting %q (known: %s)", key, strings.Join(knownSettingNames(), ", "))
	}
	return nil
}

func knownSettingNames() []string {
	var names []string
	for k := range policyKeys {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// SetPolicyValue checks and stores one setting given as JSON text,
// by compare-and-set against the stored version (0 when never set).
func (db *DB) SetPolicyValue(ctx context.Context, actor Actor, key, jsonValue string) error {
	p := DefaultPolicy()
	if err := applySetting(&p, key, json.RawMessage(jsonValue)); err != nil {
		return invalid("setting", key, "%v", err)
	}
	settings, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	var version int64
	for _, s := range settings {
		if s.Key == key {
			version = s.Version
		}
	}
	var compact json.RawMessage
	if err := json.Unmarshal([]byte(jsonValue), &compact); err != nil {
		return invalid("setting", key, "%v", err)
	}
	b, _ := json.Marshal(compact)
	return db.Apply(ctx, actor, SetSettingOp{Setting{Key: key, Value: b, UpdatedAt: db.Now(), Version: version}})
}

// Location is the policy's time zone.
func (p Policy) Location() *time.Location {
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}
