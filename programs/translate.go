package programs

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"polku/internal/i18n"
)

// Translations: a program or instrument may exist in several languages
// under one id. The original is a document without translation_of; each
// translation is a whole document of its own, in its own language, that
// says which language it translates (translation_of: en). A translation
// has the same version, the same module, exercise, field and item ids in
// the same order, and the same numbers, weeks, schedules, options, scores
// and bands as its original: only the words a person reads differ (and
// the crisis block, which a translation writes for its own readers).

// textKeys are the keys whose values are words a person reads: they may
// (and should) differ in a translation.
var textKeys = map[string]bool{
	"title": true, "short_title": true, "patient_title": true, "description": true, "licence": true,
	"body": true, "prompt": true, "label": true, "help": true, "text": true, "name": true,
	"when": true, "hours": true, "note": true, "intro": true, "outro": true, "what": true,
	"advice": true, "service": true,
	// the document's own language, and the crisis block (contacts may
	// differ by language: a Swedish-speaking line for Swedish readers)
	"language": true, "translation_of": true, "crisis": true,
}

// IsTranslation says whether the document translates another.
func (d *Document) IsTranslation() bool { return d.TranslationOf() != "" }

// TranslationOf is the language of the original a translation translates
// ("" for an original).
func (d *Document) TranslationOf() string {
	switch {
	case d.Program != nil:
		return d.Program.TranslationOf
	case d.Instrument != nil:
		return d.Instrument.TranslationOf
	}
	return ""
}

// Language is the document's language.
func (d *Document) Language() string {
	switch {
	case d.Program != nil:
		return d.Program.Language
	case d.Instrument != nil:
		return d.Instrument.Language
	}
	return ""
}

func (d *Document) version() int {
	switch {
	case d.Program != nil:
		return d.Program.Version
	case d.Instrument != nil:
		return d.Instrument.Version
	}
	return 0
}

// Link attaches every translation in the bundle to its original in the
// bundle (Translations by language). Translations whose original is not
// in the bundle stay unattached (ImportPrograms attaches them to the
// stored original). Linking again is harmless.
func (b *Bundle) Link() {
	originals := map[string]*Document{}
	for _, d := range b.Docs {
		if !d.IsTranslation() && d.ID() != "" {
			if _, dup := originals[d.Kind+":"+d.ID()]; !dup {
				originals[d.Kind+":"+d.ID()] = d
			}
		}
	}
	for _, d := range b.Docs {
		if !d.IsTranslation() {
			continue
		}
		o := originals[d.Kind+":"+d.ID()]
		if o == nil || o.Language() != d.TranslationOf() || d.Language() == o.Language() {
			continue
		}
		switch {
		case d.Program != nil:
			if o.Program.Translations == nil {
				o.Program.Translations = map[string]*Program{}
			}
			o.Program.Translations[d.Language()] = d.Program
		case d.Instrument != nil:
			if o.Instrument.Translations == nil {
				o.Instrument.Translations = map[string]*Instrument{}
			}
			o.Instrument.Translations[d.Language()] = d.Instrument
		}
	}
}

// Orphans are the bundle's translations whose original is not in it.
func (b *Bundle) Orphans() []*Document {
	originals := map[string]bool{}
	for _, d := range b.Docs {
		if !d.IsTranslation() {
			originals[d.Kind+":"+d.ID()] = true
		}
	}
	var out []*Document
	for _, d := range b.Docs {
		if d.IsTranslation() && !originals[d.Kind+":"+d.ID()] {
			out = append(out, d)
		}
	}
	return out
}

// In returns the program in lang: the translation when there is one, else
// the original. fallback says that the original was returned for a
// language it is not written in. The result carries no translations.
func (p *Program) In(lang string) (out *Program, fallback bool) {
	if t, ok := p.Translations[lang]; ok && t != nil {
		c := *t
		c.Translations = nil
		return &c, false
	}
	c := *p
	c.Translations = nil
	return &c, lang != "" && lang != p.Language
}

// In returns the instrument in lang; see Program.In.
func (in *Instrument) In(lang string) (out *Instrument, fallback bool) {
	if t, ok := in.Translations[lang]; ok && t != nil {
		c := *t
		c.Translations = nil
		return &c, false
	}
	c := *in
	c.Translations = nil
	return &c, lang != "" && lang != in.Language
}

// LanguagesOf lists the languages a program is written in: its own first,
// then its translations' in the order of Languages.
func (p *Program) LanguagesOf() []string {
	out := []string{p.Language}
	for _, l := range Languages {
		if _, ok := p.Translations[l]; ok && l != p.Language {
			out = append(out, l)
		}
	}
	return out
}

// LanguagesOf lists the languages an instrument is written in.
func (in *Instrument) LanguagesOf() []string {
	out := []string{in.Language}
	for _, l := range Languages {
		if _, ok := in.Translations[l]; ok && l != in.Language {
			out = append(out, l)
		}
	}
	return out
}

// translation checks a translation document against its original (a
// document of the same bundle, or a stored definition): the same version,
// ids in the same order and the same values apart from words.
func (c checker) translation(orig any, origWhere any) {
	d := c.doc
	tr := d.TranslationOf()
	if d.Language() == tr {
		c.at("translation_of", i18n.Msg("programs.err.tr_own_language", "Lang", q(tr)))
		return
	}
	var ov reflect.Value
	var oversion int
	var olang string
	switch o := orig.(type) {
	case *Program:
		ov, oversion, olang = reflect.ValueOf(o).Elem(), o.Version, o.Language
	case *Instrument:
		ov, oversion, olang = reflect.ValueOf(o).Elem(), o.Version, o.Language
	}
	if olang != tr {
		c.at("translation_of", i18n.Msg("programs.err.tr_original_lang", "Lang", q(tr), "Kind", d.Kind, "ID", q(d.ID()), "Where", origWhere, "OrigLang", q(olang)))
		return
	}
	if d.version() != oversion {
		c.at("version", i18n.Msg("programs.err.tr_version", "Version", d.version(), "OrigLang", olang, "OrigVersion", oversion, "Where", origWhere))
		return
	}
	before := len(*c.probs)
	switch {
	case d.Program != nil:
		o := orig.(*Program)
		c.matchIDs("modules", whatModule, olang, origWhere, moduleIDs(o.Modules), moduleIDs(d.Program.Modules))
		for i, m := range d.Program.Modules {
			_, om, ok := o.Module(m.ID)
			if !ok {
				continue
			}
			mp := fmt.Sprintf("modules[%d]", i)
			c.matchIDs(mp+".exercises", whatExercise, olang, origWhere, exerciseIDs(om.Exercises), exerciseIDs(m.Exercises))
			for j, e := range m.Exercises {
				k := slices.IndexFunc(om.Exercises, func(x Exercise) bool { return x.ID == e.ID })
				if k < 0 {
					continue
				}
				c.matchIDs(fmt.Sprintf("%s.exercises[%d].fields", mp, j), whatField, olang, origWhere, fieldIDs(om.Exercises[k].Fields), fieldIDs(e.Fields))
			}
		}
	case d.Instrument != nil:
		o := orig.(*Instrument)
		c.matchIDs("items", whatItem, olang, origWhere, o.ItemIDs(), d.Instrument.ItemIDs())
	}
	if len(*c.probs) > before {
		return // the ids differ: the values below would only repeat it
	}
	var tv reflect.Value
	if d.Program != nil {
		tv = reflect.ValueOf(d.Program).Elem()
	} else {
		tv = reflect.ValueOf(d.Instrument).Elem()
	}
	c.sameValues(ov, tv, "", olang, origWhere)
}

// matchIDs reports ids missing from the translation, ids it has that the
// original has not, and the same ids in another order.
func (c checker) matchIDs(path string, what idKind, olang string, origWhere any, orig, tr []string) {
	for _, id := range orig {
		if !slices.Contains(tr, id) {
			c.at(path, i18n.Msg("programs.err.tr_missing", "What", what.one, "ID", q(id), "OrigLang", olang, "Where", origWhere))
		}
	}
	for i, id := range tr {
		if !slices.Contains(orig, id) {
			c.at(fmt.Sprintf("%s[%d].id", path, i), i18n.Msg("programs.err.tr_extra", "What", what.one, "ID", q(id), "OrigLang", olang, "Where", origWhere, "Whats", what.many))
		}
	}
	if len(orig) == len(tr) && !slices.Equal(orig, tr) {
		same := true
		for _, id := range tr {
			same = same && slices.Contains(orig, id)
		}
		if same {
			c.at(path, i18n.Msg("programs.err.tr_order", "Whats", what.many, "OrigLang", olang, "Where", origWhere, "Order", list(orig)))
		}
	}
}

// sameValues walks original and translation together and reports the
// first differing value that is not words, at the translation's position.
func (c checker) sameValues(o, t reflect.Value, path, olang string, origWhere any) bool {
	switch o.Kind() {
	case reflect.Pointer:
		if o.IsNil() != t.IsNil() {
			return c.differs(path, i18n.Msg("programs.err.tr_differs_given", "Path", path, "OrigLang", olang, "Where", origWhere))
		}
		if o.IsNil() {
			return true
		}
		return c.sameValues(o.Elem(), t.Elem(), path, olang, origWhere)
	case reflect.Struct:
		for i := 0; i < o.NumField(); i++ {
			name, _, _ := strings.Cut(o.Type().Field(i).Tag.Get("yaml"), ",")
			if name == "" || name == "-" || name == "kind" || textKeys[name] {
				continue
			}
			if !c.sameValues(o.Field(i), t.Field(i), join(path, name), olang, origWhere) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if o.Len() != t.Len() {
			return c.differs(path, i18n.Msg("programs.err.tr_differs_len", "Path", path, "Here", t.Len(), "There", o.Len(), "OrigLang", olang, "Where", origWhere))
		}
		for i := 0; i < o.Len(); i++ {
			if !c.sameValues(o.Index(i), t.Index(i), fmt.Sprintf("%s[%d]", path, i), olang, origWhere) {
				return false
			}
		}
		return true
	case reflect.Map:
		return true
	default:
		if !reflect.DeepEqual(o.Interface(), t.Interface()) {
			return c.differs(path, i18n.Msg("programs.err.tr_differs_value", "Path", path, "Here", fmt.Sprint(t.Interface()), "There", fmt.Sprint(o.Interface()), "OrigLang", olang, "Where", origWhere))
		}
		return true
	}
}

func (c checker) differs(path string, m i18n.Message) bool {
	c.at(path, m)
	return false
}

// idKind is a kind of id a translation keeps (modules, exercises, fields,
// items), in the singular and the plural, for messages.
type idKind struct{ one, many i18n.Message }

var (
	whatModule   = idKind{i18n.Msg("programs.err.what_module"), i18n.Msg("programs.err.what_modules")}
	whatExercise = idKind{i18n.Msg("programs.err.what_exercise"), i18n.Msg("programs.err.what_exercises")}
	whatField    = idKind{i18n.Msg("programs.err.what_field"), i18n.Msg("programs.err.what_fields")}
	whatItem     = idKind{i18n.Msg("programs.err.what_item"), i18n.Msg("programs.err.what_items")}
)

func moduleIDs(ms []Module) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func exerciseIDs(es []Exercise) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func fieldIDs(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

// checkTranslations checks every translation of a bundle against its
// original: in the bundle, or else stored (found through l).
func checkTranslations(b *Bundle, l Lookup, probs *Problems) {
	originals := map[string]*Document{}
	for _, d := range b.Docs {
		if !d.IsTranslation() && d.ID() != "" {
			if _, dup := originals[d.Kind+":"+d.ID()]; !dup {
				originals[d.Kind+":"+d.ID()] = d
			}
		}
	}
	var store any = l.Where
	switch l.Where {
	case "", "the store":
		store = i18n.Msg("programs.err.where_store")
	case "the built-in content":
		store = i18n.Msg("programs.err.where_builtin")
	}
	for _, d := range b.Docs {
		tr := d.TranslationOf()
		if tr == "" || d.ID() == "" {
			continue
		}
		c := checker{doc: d, probs: probs}
		if !validLanguage(tr) {
			c.at("translation_of", i18n.Msg("programs.err.tr_bad_language", "Allowed", list(Languages), "Value", q(tr)))
			continue
		}
		if o := originals[d.Kind+":"+d.ID()]; o != nil {
			where := fmt.Sprintf("%s:%d", o.Pos.File, o.Pos.Line)
			if o.Program != nil {
				c.translation(o.Program, where)
			} else if o.Instrument != nil {
				c.translation(o.Instrument, where)
			}
			continue
		}
		var found bool
		switch {
		case d.Program != nil && l.Program != nil:
			if o := l.Program(d.ID(), d.version()); o != nil {
				// the stored version may be newer than the one translated
				// (translations added since); the lookup vouches for its words
				found = true
				oc := *o
				oc.Version = d.version()
				c.translation(&oc, i18n.Msg("programs.err.where_stored", "Store", store, "Version", o.Version))
			}
		case d.Instrument != nil && l.InstrumentVersion != nil:
			if o := l.InstrumentVersion(d.ID(), d.version()); o != nil {
				found = true
				oc := *o
				oc.Version = d.version()
				c.translation(&oc, i18n.Msg("programs.err.where_stored", "Store", store, "Version", o.Version))
			}
		}
		if !found {
			c.at("translation_of", i18n.Msg("programs.err.tr_no_original", "Kind", d.Kind, "ID", q(d.ID()), "Version", d.version(), "Lang", tr, "Store", store))
		}
	}
}
