package programs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"polku/internal/i18n"
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Languages a program or instrument may be written in.
var Languages = []string{"fi", "sv", "en"}

func validLanguage(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// checker collects problems for one document.
type checker struct {
	doc   *Document
	probs *Problems
	// stored: the definition was stored before (an export being
	// restored), under the rules of its day; what later rules require of
	// new content (a crisis block, a patient title) it may lack.
	stored bool
}

// at records a problem at path (or its nearest parent with a position).
func (c checker) at(path string, m i18n.Message) {
	*c.probs = append(*c.probs, problem(c.doc.At(path), m))
}

func (c checker) required(path string, missing bool) bool {
	if c.doc.bad[path] {
		return false // already reported as a type error
	}
	if missing {
		if _, present := c.doc.positions[path]; present {
			c.at(path, i18n.Msg("programs.err.empty", "Path", path))
		} else {
			parent := ""
			if i := strings.LastIndex(path, "."); i >= 0 {
				parent = path[:i]
			}
			key := path[strings.LastIndex(path, ".")+1:]
			c.at(parent, i18n.Msg("programs.err.missing_key", "Key", q(key)))
		}
	}
	return !missing
}

func (c checker) slug(path, v string) {
	if c.required(path, v == "") && !slugRE.MatchString(v) {
		c.at(path, i18n.Msg("programs.err.bad_slug", "Path", path, "Value", q(v), "Example", q("worry-log")))
	}
}

// Validate checks a bundle and returns every problem, sorted by position.
// knownInstrument says whether an instrument id not in the bundle is
// already stored; it may be nil.
func Validate(b *Bundle, knownInstrument func(id string) bool) Problems {
	return validate(b, Lookup{Instrument: knownInstrument}, false)
}

// Lookup finds what a bundle refers to outside itself, in a store; any
// field may be nil (nothing is stored).
type Lookup struct {
	// Instrument says whether an instrument id is stored.
	Instrument func(id string) bool
	// Program and InstrumentVersion return a stored version (nil when
	// there is none): the original of a translation imported on its own.
	Program           func(id string, version int) *Program
	InstrumentVersion func(id string, version int) *Instrument
	// Where names the store in messages ("the store").
	Where string
}

// ValidateIn checks a bundle as Validate does, finding the originals of
// translations that are not in the bundle through l.
func ValidateIn(b *Bundle, l Lookup) Problems {
	return validate(b, l, false)
}

// ValidateStored checks definitions that a store already held (the lines
// of an export being restored) as Validate does, except for what was
// first required after they may have been stored: a program's crisis
// block and a not-validated scale's patient title. A patient enrolled on
// such a version keeps it word for word; new content is imported with
// Validate.
func ValidateStored(b *Bundle, knownInstrument func(id string) bool) Problems {
	return validate(b, Lookup{Instrument: knownInstrument}, true)
}

func validate(b *Bundle, l Lookup, stored bool) Problems {
	knownInstrument := l.Instrument
	var probs Problems
	first := map[string]*Document{}
	instruments := map[string]bool{}
	for _, d := range b.Docs {
		if d.Instrument != nil && d.Instrument.ID != "" {
			instruments[d.Instrument.ID] = true
		}
	}
	for _, d := range b.Docs {
		c := checker{doc: d, probs: &probs, stored: stored}
		key := d.Kind + ":" + d.ID()
		if d.IsTranslation() {
			key += ":" + d.Language()
		}
		if d.ID() != "" {
			if prev, dup := first[key]; dup {
				if d.IsTranslation() {
					c.at("id", i18n.Msg("programs.err.duplicate_translation", "Kind", d.Kind, "ID", q(d.ID()), "Lang", d.Language(), "First", fmt.Sprintf("%s:%d", prev.Pos.File, prev.Pos.Line)))
				} else {
					c.at("id", i18n.Msg("programs.err.duplicate_id", "Kind", d.Kind, "ID", q(d.ID()), "First", fmt.Sprintf("%s:%d", prev.Pos.File, prev.Pos.Line)))
				}
			} else {
				first[key] = d
			}
		}
		if d.Program != nil {
			c.plainText(reflect.ValueOf(d.Program).Elem(), "")
		} else if d.Instrument != nil {
			c.plainText(reflect.ValueOf(d.Instrument).Elem(), "")
		} else if d.Service != nil {
			c.plainText(reflect.ValueOf(d.Service).Elem(), "")
		}
		switch {
		case d.Program != nil:
			c.program(d.Program, func(id string) bool {
				return instruments[id] || (knownInstrument != nil && knownInstrument(id))
			})
		case d.Instrument != nil:
			c.instrument(d.Instrument)
		case d.Service != nil:
			c.service(d.Service)
		}
	}
	checkTranslations(b, l, &probs)
	return probs.sorted()
}

// plainText refuses control characters (other than line breaks and tabs)
// anywhere in a definition: program text reaches therapists' and patients'
// terminals, and an escape sequence there could rewrite the screen.
func (c checker) plainText(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			c.plainText(v.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			c.plainText(v.Field(i), join(path, name))
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			c.plainText(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.String:
		for _, r := range v.String() {
			if r != '\n' && r != '\t' && IsControl(r) {
				c.at(path, i18n.Msg("programs.err.control_char", "Path", path, "Char", fmt.Sprintf("U+%04X", r)))
				return
			}
		}
	}
}

// IsControl says whether r must not appear in text shown in a terminal: C0
// and C1 controls (escape sequences start with them), DEL, and the bidi
// overrides that reorder what is shown.
func IsControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func (c checker) common(id string, version int, title, language string) {
	c.slug("id", id)
	if c.required("version", version == 0) && version < 1 {
		c.at("version", i18n.Msg("programs.err.version_min", "Value", version))
	}
	c.required("title", strings.TrimSpace(title) == "")
	if c.required("language", language == "") && !validLanguage(language) {
		c.at("language", i18n.Msg("programs.err.bad_language", "Allowed", list(Languages), "Value", q(language)))
	}
}

func (c checker) program(p *Program, instrumentExists func(string) bool) {
	c.common(p.ID, p.Version, p.Title, p.Language)
	if c.required("weeks", p.Weeks == 0) && (p.Weeks < 1 || p.Weeks > 52) {
		c.at("weeks", i18n.Msg("programs.err.weeks_range", "Value", p.Weeks))
	}
	if c.required("min_age", p.MinAge == 0) && (p.MinAge < 0 || p.MinAge > 120) {
		c.at("min_age", i18n.Msg("programs.err.min_age_range", "Value", p.MinAge))
	}
	if p.MaxAge != 0 && p.MaxAge < p.MinAge {
		c.at("max_age", i18n.Msg("programs.err.max_age_below", "Max", p.MaxAge, "Min", p.MinAge))
	}
	if p.FollowUpWeeks < 0 || p.FollowUpWeeks > 104 {
		c.at("follow_up_weeks", i18n.Msg("programs.err.follow_up_range", "Value", p.FollowUpWeeks))
	}
	c.required("description", strings.TrimSpace(p.Description) == "")
	if c.stored && p.Crisis == nil {
		// stored before crisis blocks were required
	} else if c.required("crisis", p.Crisis == nil) {
		c.crisis(p.Crisis)
	}
	c.ageRules(p)
	c.intake(p, instrumentExists)
	if c.required("modules", len(p.Modules) == 0) {
		modules := map[string]int{}
		exercises := map[string]string{}
		lastWeek := 0
		for i, m := range p.Modules {
			mp := fmt.Sprintf("modules[%d]", i)
			c.slug(mp+".id", m.ID)
			if prev, dup := modules[m.ID]; dup && m.ID != "" {
				c.at(mp+".id", i18n.Msg("programs.err.dup_module", "ID", q(m.ID), "Other", fmt.Sprintf("modules[%d]", prev)))
			} else {
				modules[m.ID] = i
			}
			c.required(mp+".title", strings.TrimSpace(m.Title) == "")
			c.required(mp+".body", strings.TrimSpace(m.Body) == "")
			week := p.ModuleWeek(i)
			if m.Week != 0 {
				if m.Week < 1 || (p.Weeks > 0 && m.Week > p.Weeks) {
					c.at(mp+".week", i18n.Msg("programs.err.module_week_range", "Week", m.Week, "Weeks", p.Weeks))
				}
				if m.Week < lastWeek {
					c.at(mp+".week", i18n.Msg("programs.err.module_week_order", "Week", m.Week, "Prev", lastWeek))
				}
			}
			lastWeek = week
			if c.required(mp+".exercises", len(m.Exercises) == 0) {
				for j, e := range m.Exercises {
					c.exercise(fmt.Sprintf("%s.exercises[%d]", mp, j), e, exercises, instrumentExists)
				}
			}
		}
	}
	c.goAhead(p)
	for i, s := range p.Schedule {
		sp := fmt.Sprintf("schedule[%d]", i)
		if c.required(sp+".instrument", s.Instrument == "") && !instrumentExists(s.Instrument) {
			c.at(sp+".instrument", i18n.Msg("programs.err.unknown_instrument", "ID", q(s.Instrument)))
		}
		if c.required(sp+".weeks", len(s.Weeks) == 0) {
			seen := map[int]bool{}
			for j, w := range s.Weeks {
				wp := fmt.Sprintf("%s.weeks[%d]", sp, j)
				if w < 0 || w > p.Weeks {
					c.at(wp, i18n.Msg("programs.err.schedule_week_range", "Week", w, "Weeks", p.Weeks))
				}
				if seen[w] {
					c.at(wp, i18n.Msg("programs.err.schedule_week_twice", "Week", w))
				}
				seen[w] = true
			}
		}
	}
}

// crisis checks the program's crisis block: every contact says what it is
// for, when it is open, and when and where it was last checked.
func (c checker) crisis(cr *Crisis) {
	c.required("crisis.title", strings.TrimSpace(cr.Title) == "")
	c.required("crisis.intro", strings.TrimSpace(cr.Intro) == "")
	if !c.required("crisis.contacts", len(cr.Contacts) == 0) {
		return
	}
	emergency := false
	for i, k := range cr.Contacts {
		kp := fmt.Sprintf("crisis.contacts[%d]", i)
		c.required(kp+".name", strings.TrimSpace(k.Name) == "")
		if k.Number == "" && k.Service == "" && !c.doc.bad[kp+".number"] {
			c.at(kp, i18n.Msg("programs.err.contact_no_number", "Path", kp))
		}
		if k.Number != "" && !phoneRE.MatchString(k.Number) {
			c.at(kp+".number", i18n.Msg("programs.err.bad_phone", "Value", q(k.Number)))
		}
		emergency = emergency || strings.ReplaceAll(k.Number, " ", "") == "112"
		c.required(kp+".when", strings.TrimSpace(k.When) == "")
		c.required(kp+".hours", strings.TrimSpace(k.Hours) == "")
		c.required(kp+".source", strings.TrimSpace(k.Source) == "")
		if c.required(kp+".checked", k.Checked == "") {
			if _, err := time.Parse(time.DateOnly, k.Checked); err != nil {
				c.at(kp+".checked", i18n.Msg("programs.err.bad_checked", "Value", q(k.Checked)))
			}
		}
	}
	if !emergency {
		c.at("crisis.contacts", i18n.Msg("programs.err.no_emergency"))
	}
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ]*[0-9]$`)

// ageRules checks the age-dependent rules: inside the program's ages,
// not overlapping, with a floor of time in bed at or above the adult one.
func (c checker) ageRules(p *Program) {
	type span struct{ lo, hi, i int }
	var seen []span
	for i, r := range p.AgeRules {
		rp := fmt.Sprintf("age_rules[%d]", i)
		if c.required(rp+".min_age", r.MinAge == 0) && c.required(rp+".max_age", r.MaxAge == 0) {
			if r.MaxAge < r.MinAge {
				c.at(rp+".max_age", i18n.Msg("programs.err.max_age_below", "Max", r.MaxAge, "Min", r.MinAge))
			}
			if r.MinAge < p.MinAge || (p.MaxAge != 0 && r.MaxAge > p.MaxAge) {
				c.at(rp, i18n.Msg("programs.err.age_rule_outside", "Min", r.MinAge, "Max", r.MaxAge, "Ages", ageSpan(p)))
			}
			for _, o := range seen {
				if r.MinAge <= o.hi && o.lo <= r.MaxAge {
					c.at(rp, i18n.Msg("programs.err.age_rule_overlap", "Min", r.MinAge, "Max", r.MaxAge, "Other", fmt.Sprintf("age_rules[%d]", o.i), "OtherMin", o.lo, "OtherMax", o.hi))
				}
			}
			seen = append(seen, span{r.MinAge, r.MaxAge, i})
		}
		floor := int(MinTimeInBed / time.Minute)
		if c.required(rp+".min_time_in_bed", r.MinTimeInBed == 0) && (r.MinTimeInBed < floor || r.MinTimeInBed > 600) {
			c.at(rp+".min_time_in_bed", i18n.Msg("programs.err.time_in_bed_range", "Value", r.MinTimeInBed, "Floor", floor))
		}
		c.required(rp+".advice", strings.TrimSpace(r.Advice) == "")
	}
}

func ageSpan(p *Program) any {
	if p.MaxAge == 0 {
		return i18n.Msg("programs.err.ages_from", "Min", p.MinAge)
	}
	return fmt.Sprintf("%d-%d", p.MinAge, p.MaxAge)
}

// goAhead checks each go-ahead: the screening exercise exists, is a
// worksheet, and comes in a module before the one that waits.
func (c checker) goAhead(p *Program) {
	ids := map[string]bool{}
	for i, g := range p.GoAhead {
		gp := fmt.Sprintf("go_ahead[%d]", i)
		c.slug(gp+".id", g.ID)
		if ids[g.ID] && g.ID != "" {
			c.at(gp+".id", i18n.Msg("programs.err.dup_go_ahead", "ID", q(g.ID)))
		}
		ids[g.ID] = true
		c.required(gp+".what", strings.TrimSpace(g.What) == "")
		waits := -1
		if c.required(gp+".module", g.Module == "") {
			if i, _, ok := p.Module(g.Module); ok {
				waits = i
			} else {
				c.at(gp+".module", i18n.Msg("programs.err.unknown_module", "ID", q(g.Module), "Modules", list(p.ModuleIDs())))
			}
		}
		if !c.required(gp+".screening", g.Screening == "") {
			continue
		}
		m, ex, ok := p.Exercise(g.Screening)
		switch {
		case !ok:
			c.at(gp+".screening", i18n.Msg("programs.err.unknown_screening", "ID", q(g.Screening)))
		case ex.Kind != KindWorksheet:
			c.at(gp+".screening", i18n.Msg("programs.err.screening_kind", "ID", q(g.Screening), "Kind", ex.Kind))
		case waits >= 0:
			if si, _, _ := p.Module(m.ID); si >= waits {
				c.at(gp+".screening", i18n.Msg("programs.err.screening_late", "ID", q(g.Screening), "Module", q(m.ID), "Waiting", q(g.Module)))
			}
		}
	}
}

// ModuleIDs lists the module ids in order.
func (p *Program) ModuleIDs() []string {
	ids := make([]string, len(p.Modules))
	for i, m := range p.Modules {
		ids[i] = m.ID
	}
	return ids
}

var exerciseKinds = []string{KindReflection, KindWorksheet, KindDiary, KindQuestionnaire}
var fieldTypes = []string{FieldText, FieldNumber, FieldMinutes, FieldCount, FieldTime, FieldRating}

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (c checker) exercise(ep string, e Exercise, seen map[string]string, instrumentExists func(string) bool) {
	c.slug(ep+".id", e.ID)
	if prev, dup := seen[e.ID]; dup && e.ID != "" {
		c.at(ep+".id", i18n.Msg("programs.err.dup_exercise", "ID", q(e.ID), "Other", prev))
	} else {
		seen[e.ID] = ep
	}
	c.required(ep+".title", strings.TrimSpace(e.Title) == "")
	c.required(ep+".prompt", strings.TrimSpace(e.Prompt) == "")
	if !c.required(ep+".kind", e.Kind == "") {
		return
	}
	if !oneOf(e.Kind, exerciseKinds) {
		c.at(ep+".kind", i18n.Msg("programs.err.bad_exercise_kind", "Allowed", list(exerciseKinds), "Value", q(e.Kind)))
		return
	}
	needsFields := e.Kind == KindWorksheet || e.Kind == KindDiary
	if needsFields {
		c.required(ep+".fields", len(e.Fields) == 0)
	} else if len(e.Fields) > 0 {
		c.at(ep+".fields", i18n.Msg("programs.err.fields_not_allowed", "Kind", e.Kind))
	}
	if e.Kind == KindQuestionnaire {
		if c.required(ep+".instrument", e.Instrument == "") && !instrumentExists(e.Instrument) {
			c.at(ep+".instrument", i18n.Msg("programs.err.unknown_instrument", "ID", q(e.Instrument)))
		}
	} else if e.Instrument != "" {
		c.at(ep+".instrument", i18n.Msg("programs.err.instrument_not_allowed"))
	}
	ids := map[string]bool{}
	for k, f := range e.Fields {
		fp := fmt.Sprintf("%s.fields[%d]", ep, k)
		c.slugField(fp+".id", f.ID)
		if ids[f.ID] && f.ID != "" {
			c.at(fp+".id", i18n.Msg("programs.err.dup_field", "ID", q(f.ID)))
		}
		ids[f.ID] = true
		c.required(fp+".label", strings.TrimSpace(f.Label) == "")
		if c.required(fp+".type", f.Type == "") && !oneOf(f.Type, fieldTypes) {
			c.at(fp+".type", i18n.Msg("programs.err.bad_field_type", "Allowed", list(fieldTypes), "Value", q(f.Type)))
		}
		if f.Type == FieldRating {
			if f.Min == nil || f.Max == nil {
				c.at(fp, i18n.Msg("programs.err.rating_range"))
			} else if *f.Min >= *f.Max {
				c.at(fp+".max", i18n.Msg("programs.err.rating_max", "Max", *f.Max, "Min", *f.Min))
			}
		}
	}
}

// field ids may use underscores (bed_time) as well as dashes.
var fieldRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func (c checker) slugField(path, v string) {
	if c.required(path, v == "") && !fieldRE.MatchString(v) {
		c.at(path, i18n.Msg("programs.err.bad_field_id", "Value", q(v)))
	}
}

// NotValidatedMarker is the words a scale that is not validated carries in
// its title, in the scale's language: "not validated", "ei validoitu",
// "inte validerad".
func NotValidatedMarker(lang string) string {
	switch lang {
	case "fi":
		return "ei validoitu"
	case "sv":
		return "inte validerad"
	}
	return "not validated"
}

func (c checker) instrument(in *Instrument) {
	c.common(in.ID, in.Version, in.Title, in.Language)
	if c.required("validated", in.Validated == nil) && !*in.Validated {
		// Therapists must see the marker wherever the title is shown;
		// patients get a title without it.
		marker := NotValidatedMarker(in.Language)
		if !strings.Contains(strings.ToLower(in.Title), marker) && in.Title != "" {
			c.at("title", i18n.Msg("programs.err.title_marker", "Title", q(in.Title), "Marker", q(marker)))
		}
		if in.PatientTitle == "" && !c.stored {
			c.at("validated", i18n.Msg("programs.err.needs_patient_title"))
		}
	}
	if pt := strings.ToLower(in.PatientTitle); strings.Contains(pt, "validated") || strings.Contains(pt, NotValidatedMarker(in.Language)) {
		c.at("patient_title", i18n.Msg("programs.err.patient_title_marker", "Title", q(in.PatientTitle)))
	}
	c.required("licence", strings.TrimSpace(in.Licence) == "")
	if c.required("scoring", in.Scoring == "") && in.Scoring != "sum" {
		c.at("scoring", i18n.Msg("programs.err.bad_scoring", "Value", q(in.Scoring)))
	}
	if !c.required("items", len(in.Items) == 0) {
		return
	}
	itemIDs := map[string]int{}
	for i, it := range in.Items {
		ip := fmt.Sprintf("items[%d]", i)
		if c.required(ip+".id", it.ID == "") {
			if prev, dup := itemIDs[it.ID]; dup {
				c.at(ip+".id", i18n.Msg("programs.err.dup_item", "ID", q(it.ID), "Other", fmt.Sprintf("items[%d]", prev)))
			}
			itemIDs[it.ID] = i
		}
		c.required(ip+".text", strings.TrimSpace(it.Text) == "")
		opts := it.Options
		optPath := ip + ".options"
		if len(opts) == 0 {
			opts, optPath = in.Options, "options"
		}
		if len(opts) == 0 {
			c.at(ip, i18n.Msg("programs.err.item_no_options", "ID", q(it.ID)))
			continue
		}
		if len(it.Options) > 0 || i == 0 {
			c.options(optPath, opts)
		}
	}
	lo, hi, ok := in.Range()
	if !ok {
		return
	}
	if c.required("bands", len(in.Bands) == 0) {
		c.bands(in.Bands, lo, hi)
	}
	for i, cr := range in.Critical {
		cp := fmt.Sprintf("critical[%d]", i)
		if !c.required(cp+".item", cr.Item == "") {
			continue
		}
		idx, exists := itemIDs[cr.Item]
		if !exists {
			c.at(cp+".item", i18n.Msg("programs.err.unknown_critical_item", "ID", q(cr.Item), "Items", list(in.ItemIDs())))
			continue
		}
		olo, ohi := optionRange(in.ItemOptions(idx))
		if cr.Amber <= olo || cr.Amber > ohi {
			c.at(cp+".amber", i18n.Msg("programs.err.amber_range", "Amber", cr.Amber, "Low", olo, "High", ohi))
		}
		if cr.Red != 0 && (cr.Red < cr.Amber || cr.Red > ohi) {
			c.at(cp+".red", i18n.Msg("programs.err.red_range", "Red", cr.Red, "Amber", cr.Amber, "High", ohi))
		}
		c.required(cp+".label", strings.TrimSpace(cr.Label) == "")
	}
	if in.Caseness != nil && (*in.Caseness <= lo || *in.Caseness > hi) {
		c.at("caseness", i18n.Msg("programs.err.caseness_range", "Value", *in.Caseness, "Low", lo+1, "High", hi))
	}
	if in.ReliableChange != nil && (*in.ReliableChange < 1 || *in.ReliableChange > hi-lo) {
		c.at("reliable_change", i18n.Msg("programs.err.reliable_change_range", "Value", *in.ReliableChange, "Max", hi-lo))
	}
	if (in.SD == nil) != (in.Reliability == nil) {
		c.at("sd", i18n.Msg("programs.err.sd_and_reliability"))
	}
	if in.SD != nil && *in.SD <= 0 {
		c.at("sd", i18n.Msg("programs.err.sd_positive"))
	}
	if in.Reliability != nil && (*in.Reliability <= 0 || *in.Reliability >= 1) {
		c.at("reliability", i18n.Msg("programs.err.reliability_range"))
	}
	if in.ReliableChange != nil && in.SD != nil {
		c.at("reliable_change", i18n.Msg("programs.err.reliable_change_or_sd"))
	}
}

func (c checker) options(path string, opts []Option) {
	scores := map[int]bool{}
	for i, o := range opts {
		op := fmt.Sprintf("%s[%d]", path, i)
		if scores[o.Score] {
			c.at(op+".score", i18n.Msg("programs.err.score_twice", "Score", o.Score))
		}
		scores[o.Score] = true
		c.required(op+".label", strings.TrimSpace(o.Label) == "")
	}
}

func (c checker) bands(bands []Band, lo, hi int) {
	type band struct {
		Band
		i int
	}
	sorted := make([]band, len(bands))
	for i, b := range bands {
		sorted[i] = band{b, i}
		bp := fmt.Sprintf("bands[%d]", i)
		c.required(bp+".label", strings.TrimSpace(b.Label) == "")
		if b.Min > b.Max {
			c.at(bp, i18n.Msg("programs.err.band_min_max", "Label", q(b.Label), "Min", b.Min, "Max", b.Max))
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Min < sorted[j].Min })
	next := lo
	for _, b := range sorted {
		bp := fmt.Sprintf("bands[%d]", b.i)
		switch {
		case b.Min > next:
			c.at(bp, i18n.Msg("programs.err.band_gap", "Span", span(next, b.Min-1)))
		case b.Min < next:
			c.at(bp, i18n.Msg("programs.err.band_overlap", "Label", q(b.Label), "Min", b.Min, "Max", b.Max, "End", next-1))
		}
		if b.Max+1 > next {
			next = b.Max + 1
		}
	}
	if next <= hi {
		c.at("bands", i18n.Msg("programs.err.band_gap_end", "Span", span(next, hi), "Low", lo, "High", hi))
	}
	if len(sorted) > 0 && sorted[len(sorted)-1].Max > hi {
		c.at(fmt.Sprintf("bands[%d]", sorted[len(sorted)-1].i), i18n.Msg("programs.err.band_above", "Label", q(sorted[len(sorted)-1].Label), "Max", sorted[len(sorted)-1].Max, "High", hi))
	}
	if len(sorted) > 0 && sorted[0].Min < lo {
		c.at(fmt.Sprintf("bands[%d]", sorted[0].i), i18n.Msg("programs.err.band_below", "Label", q(sorted[0].Label), "Min", sorted[0].Min, "Low", lo))
	}
}

// span is the totals from a to b, for a message.
func span(a, b int) i18n.Message {
	if a == b {
		return i18n.Msg("programs.err.span_one", "Total", a)
	}
	return i18n.Msg("programs.err.span_many", "From", a, "To", b)
}

// ItemOptions returns the answer options of item i.
func (in *Instrument) ItemOptions(i int) []Option {
	if len(in.Items[i].Options) > 0 {
		return in.Items[i].Options
	}
	return in.Options
}

// ItemIDs lists the item ids in order.
func (in *Instrument) ItemIDs() []string {
	ids := make([]string, len(in.Items))
	for i, it := range in.Items {
		ids[i] = it.ID
	}
	return ids
}

func optionRange(opts []Option) (lo, hi int) {
	for i, o := range opts {
		if i == 0 || o.Score < lo {
			lo = o.Score
		}
		if i == 0 || o.Score > hi {
			hi = o.Score
		}
	}
	return lo, hi
}

// Range is the lowest and highest possible total. ok is false when an item
// has no options.
func (in *Instrument) Range() (lo, hi int, ok bool) {
	for i := range in.Items {
		opts := in.ItemOptions(i)
		if len(opts) == 0 {
			return 0, 0, false
		}
		l, h := optionRange(opts)
		lo += l
		hi += h
	}
	return lo, hi, len(in.Items) > 0
}

// ModuleWeek is the week module i opens: its week, or its position.
func (p *Program) ModuleWeek(i int) int {
	if p.Modules[i].Week != 0 {
		return p.Modules[i].Week
	}
	if i == 0 {
		return 1
	}
	prev := p.ModuleWeek(i - 1)
	return prev + 1
}

// Exercise finds an exercise and its module by exercise id.
func (p *Program) Exercise(id string) (*Module, *Exercise, bool) {
	for i := range p.Modules {
		m := &p.Modules[i]
		for j := range m.Exercises {
			if m.Exercises[j].ID == id {
				return m, &m.Exercises[j], true
			}
		}
	}
	return nil, nil, false
}

// Module finds a module by id.
func (p *Program) Module(id string) (int, *Module, bool) {
	for i := range p.Modules {
		if p.Modules[i].ID == id {
			return i, &p.Modules[i], true
		}
	}
	return -1, nil, false
}

// Hash is the content hash of a definition: layout and comments of the
// file do not change it, content does.
func Hash(def any) string {
	b, err := json.Marshal(def)
	if err != nil {
		panic(err) // plain structs always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
