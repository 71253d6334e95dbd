package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the service's time zone must resolve on any machine

	"polku/internal/i18n"
	"polku/store/riskphrase"
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
	// Problems are stored settings that no longer pass their check (an
	// older store's value under a stricter rule): the default is used for
	// each instead, so that no queue fails to build.
	Problems []string `json:"problems,omitempty"`
	// problemMsgs are Problems as messages, for a reader of another
	// language (ProblemTexts).
	problemMsgs []i18n.Message
}

// ProblemTexts are the policy's problems said in p's language.
func (pol Policy) ProblemTexts(p *i18n.Printer) []string {
	if len(pol.problemMsgs) != len(pol.Problems) {
		return pol.Problems
	}
	out := make([]string, len(pol.problemMsgs))
	for i, m := range pol.problemMsgs {
		out[i] = RenderMessage(p, m)
	}
	return out
}

// NotOnTrackRule: the expected score falls linearly from the baseline by
// ExpectedImprovementPct percent over the program; with at least MinScores
// scores, a patient not below that curve is not on track.
type NotOnTrackRule struct {
	ExpectedImprovementPct float64 `json:"expected_improvement_pct"`
	MinScores              int     `json:"min_scores"`
}

// DefaultPolicy is the policy of a new store (docs/clinical.md).
func DefaultPolicy() Policy {
	return Policy{
		FeedbackWorkingDays: 2,
		InactiveDays:        7,
		EndingDays:          7,
		StartDays:           5,
		NotOnTrack:          NotOnTrackRule{ExpectedImprovementPct: 50, MinScores: 3},
		Timezone:            "Europe/Helsinki",
		RiskWords:           riskphrase.Defaults(),
	}
}

// RiskLanguages are the languages with a risk phrase list, each its own
// setting (risk_words.fi, ...).
var RiskLanguages = []string{"fi", "sv", "en"}

// settingKind says how a value given on the command line is read.
type settingKind int

const (
	kindInt settingKind = iota
	kindString
	kindObject
	kindList
)

type settingInfo struct {
	kind    settingKind
	meaning string
}

// policyKeys describes every setting: how its value is read and what it
// means.
var policyKeys = map[string]settingInfo{
	"feedback_working_days": {kindInt, "working days (weekends and Finnish public holidays skipped) within which a submission or message is answered"},
	"inactive_days":         {kindInt, "days without patient activity before the patient counts as inactive"},
	"ending_days":           {kindInt, "days before the planned end when the program counts as ending"},
	"start_days":            {kindInt, "working days (weekends and Finnish public holidays skipped) from a referral's arrival within which treatment should start"},
	"not_on_track":          {kindObject, `{"expected_improvement_pct": N, "min_scores": N}: the not-on-track rule`},
	"timezone":              {kindString, "IANA time zone of the service (working days, dates in reasons)"},
	"risk_words":            {kindObject, `{"fi": [...], "sv": [...]}: sets the lists of the languages it names; the others stay as they are`},
	"risk_words.fi":         {kindList, "Finnish phrases flagged as possible risk (a heuristic; '*' inside a word covers inflected forms)"},
	"risk_words.sv":         {kindList, "Swedish phrases flagged as possible risk (a heuristic; '*' inside a word covers inflected forms)"},
	"risk_words.en":         {kindList, "English phrases flagged as possible risk (a heuristic; '*' inside a word covers inflected forms)"},
}

// settingMeaning is what setting key means as a message argument: the
// sentence of 'polku settings list' (cli.settings.meaning.*), whose
// English is the meaning above.
func settingMeaning(key string) any {
	if _, ok := policyKeys[key]; !ok {
		return key
	}
	return i18n.Message{ID: SettingMeaningID(key)}
}

// SettingMeaningID is the message id of what setting key means.
func SettingMeaningID(key string) string {
	return "cli.settings.meaning." + strings.ReplaceAll(key, ".", "_")
}

// SettingKeys lists the known settings with their meaning, by key.
func SettingKeys() [][2]string {
	var out [][2]string
	for k, v := range policyKeys {
		out = append(out, [2]string{k, v.meaning})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Policy reads the policy: defaults overlaid with stored settings, in key
// order, so a language's own list (risk_words.fi) wins over the same
// language in a whole-map risk_words setting.
func (db *DB) Policy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	settings, err := db.Settings(ctx)
	if err != nil {
		return p, err
	}
	sort.Slice(settings, func(i, j int) bool { return settings[i].Key < settings[j].Key })
	for _, s := range settings {
		if _, known := policyKeys[s.Key]; !known {
			continue
		}
		if err := applySetting(&p, s.Key, s.Value); err != nil {
			m := i18n.Msg("store.err.setting_problem", errorArgs([]any{"Key", s.Key, "Err", err})...)
			p.Problems = append(p.Problems, englishText(m))
			p.problemMsgs = append(p.problemMsgs, m)
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
			return newErr(ErrInvalid, "store.err.setting_want_int", "Err", jsonMsg(err))
		}
		if n < 1 || n > max {
			return newErr(ErrInvalid, "store.err.outside_range", "Value", n, "Max", max)
		}
		*dst = n
		return nil
	}
	phrases := func(lang string, list []string) ([]string, error) {
		if len(list) == 0 {
			// Refused outright: an empty list would silently stop every
			// flag for text in that language (docs/clinical.md).
			return nil, newErr(ErrInvalid, "store.err.risk_words_empty", "Lang", lang, "Name", langName(lang))
		}
		out := make([]string, 0, len(list))
		for i, phrase := range list {
			if err := riskphrase.Check(phrase); err != nil {
				return nil, newErr(ErrInvalid, "store.err.risk_phrase_bad", "Lang", lang, "I", i, "Phrase", quote(phrase), "Err", err)
			}
			out = append(out, riskphrase.Normalize(phrase))
		}
		return out, nil
	}
	if lang, ok := strings.CutPrefix(key, "risk_words."); ok {
		if _, known := policyKeys[key]; !known {
			return newErr(ErrInvalid, "store.err.setting_unknown", "Key", quote(key), "Known", strings.Join(knownSettingNames(), ", "))
		}
		var list []string
		if err := strict(&list); err != nil {
			return newErr(ErrInvalid, "store.err.setting_want_phrases", "Err", jsonMsg(err))
		}
		list, err := phrases(lang, list)
		if err != nil {
			return err
		}
		p.RiskWords = maps.Clone(p.RiskWords)
		p.RiskWords[lang] = list
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
			return newErr(ErrInvalid, "store.err.setting_want", "Meaning", settingMeaning(key), "Err", jsonMsg(err))
		}
		if r.ExpectedImprovementPct <= 0 || r.ExpectedImprovementPct > 100 || r.MinScores < 2 {
			return newErr(ErrInvalid, "store.err.not_on_track_range")
		}
		p.NotOnTrack = r
	case "timezone":
		var tz string
		if err := strict(&tz); err != nil {
			return newErr(ErrInvalid, "store.err.setting_want_tz", "Err", jsonMsg(err))
		}
		if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
			return newErr(ErrInvalid, "store.err.unknown_tz", "TZ", quote(tz))
		}
		p.Timezone = tz
	case "risk_words":
		// A whole map sets the languages it names and leaves the others:
		// setting Finnish never switches Swedish or English off.
		var w map[string][]string
		if err := strict(&w); err != nil {
			m := jsonMsg(err)
			if m.Args["Type"] == "map[string][]string" {
				m.Args["Type"] = i18n.Msg("store.err.json.an_object")
			}
			return newErr(ErrInvalid, "store.err.risk_words_want_map", "Err", m)
		}
		next := maps.Clone(p.RiskWords)
		for lang, list := range w {
			if !slices.Contains(RiskLanguages, lang) {
				return newErr(ErrInvalid, "store.err.no_risk_list", "Lang", quote(lang), "Known", strings.Join(RiskLanguages, ", "))
			}
			list, err := phrases(lang, list)
			if err != nil {
				return err
			}
			next[lang] = list
		}
		p.RiskWords = next
	default:
		return newErr(ErrInvalid, "store.err.setting_unknown", "Key", quote(key), "Known", strings.Join(knownSettingNames(), ", "))
	}
	return nil
}

// langNames names the risk list languages in messages.
var langNames = map[string]string{"fi": "Finnish", "sv": "Swedish", "en": "English"}

func knownSettingNames() []string {
	var names []string
	for k := range policyKeys {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// settingJSON reads a value as the setting's type wants it: JSON is always
// accepted; a time zone may be given without quotes, and a phrase list as
// phrases separated by commas.
func settingJSON(key, value string) (json.RawMessage, error) {
	info, ok := policyKeys[key]
	if !ok {
		return nil, newErr(ErrInvalid, "store.err.setting_unknown", "Key", quote(key), "Known", strings.Join(knownSettingNames(), ", "))
	}
	v := strings.TrimSpace(value)
	if json.Valid([]byte(v)) {
		switch info.kind {
		case kindString:
			if strings.HasPrefix(v, `"`) {
				return json.RawMessage(v), nil
			}
		case kindList:
			if strings.HasPrefix(v, "[") {
				return json.RawMessage(v), nil
			}
		default:
			return json.RawMessage(v), nil
		}
	}
	switch info.kind {
	case kindString:
		b, _ := json.Marshal(v)
		return b, nil
	case kindList:
		var list []string
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				list = append(list, part)
			}
		}
		if list == nil {
			list = []string{}
		}
		b, _ := json.Marshal(list)
		return b, nil
	case kindInt:
		return nil, newErr(ErrInvalid, "store.err.setting_want_int_got", "Value", quote(value))
	}
	return nil, newErr(ErrInvalid, "store.err.setting_want_json", "Meaning", settingMeaning(key))
}

// SettingChange is one stored setting a set changed, with the values
// before and after in words.
type SettingChange struct {
	Key    string `json:"key"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// SetPolicyValue checks and stores one setting; see ChangeSetting.
func (db *DB) SetPolicyValue(ctx context.Context, actor Actor, key, value string) error {
	_, err := db.ChangeSetting(ctx, actor, key, value)
	return err
}

// ChangeSetting checks and stores one setting given as text (parsed by the
// setting's type; JSON is always accepted), by compare-and-set against
// the stored version (0 when never set), and says what changed. A whole
// risk_words map is stored as one risk_words.LANG setting per language it
// names, so no other language's list changes.
func (db *DB) ChangeSetting(ctx context.Context, actor Actor, key, value string) ([]SettingChange, error) {
	raw, err := settingJSON(key, value)
	if err != nil {
		return nil, invalid("setting", key, "store.err.detail", "Detail", err)
	}
	before, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	after := before
	if err := applySetting(&after, key, raw); err != nil {
		return nil, invalid("setting", key, "store.err.detail", "Detail", err)
	}
	writes := map[string]json.RawMessage{}
	if key == "risk_words" {
		var w map[string][]string
		_ = json.Unmarshal(raw, &w)
		for lang := range w {
			b, _ := json.Marshal(after.RiskWords[lang])
			writes["risk_words."+lang] = b
		}
	} else {
		var compact json.RawMessage
		if err := json.Unmarshal(raw, &compact); err != nil {
			return nil, invalid("setting", key, "store.err.detail", "Detail", err)
		}
		writes[key], _ = json.Marshal(compact)
	}
	settings, err := db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	versions := map[string]int64{}
	for _, s := range settings {
		versions[s.Key] = s.Version
	}
	if _, legacy := versions["risk_words"]; legacy && key == "risk_words" {
		// A whole map stored by an older polku: emptied, so the
		// per-language settings are all that count from now on.
		writes["risk_words"] = json.RawMessage("{}")
	}
	keys := slices.Sorted(maps.Keys(writes))
	var changes []SettingChange
	was, is := PolicyValues(before), PolicyValues(after)
	// One write per stored key (a whole map names at most three); each is
	// checked against its own version.
	for _, k := range keys {
		if err := db.Apply(ctx, actor, SetSettingOp{Setting{Key: k, Value: writes[k], UpdatedAt: db.Now(), Version: versions[k]}}); err != nil {
			return changes, err
		}
		changes = append(changes, SettingChange{Key: k, Before: was[k], After: is[k]})
	}
	return changes, nil
}

// PolicyValues is every setting's value in words, by key.
func PolicyValues(p Policy) map[string]string {
	out := map[string]string{
		"feedback_working_days": fmt.Sprint(p.FeedbackWorkingDays),
		"inactive_days":         fmt.Sprint(p.InactiveDays),
		"ending_days":           fmt.Sprint(p.EndingDays),
		"start_days":            fmt.Sprint(p.StartDays),
		"not_on_track":          fmt.Sprintf(`{"expected_improvement_pct": %g, "min_scores": %d}`, p.NotOnTrack.ExpectedImprovementPct, p.NotOnTrack.MinScores),
		"timezone":              p.Timezone,
	}
	total := 0
	var per []string
	for _, lang := range RiskLanguages {
		n := len(p.RiskWords[lang])
		total += n
		per = append(per, fmt.Sprintf("%s %d", lang, n))
		out["risk_words."+lang] = plural(n, "phrase", "phrases")
	}
	out["risk_words"] = fmt.Sprintf("%s (%s); --output json shows them", plural(total, "phrase", "phrases"), strings.Join(per, ", "))
	return out
}

// Location is the policy's time zone.
func (p Policy) Location() *time.Location {
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}
