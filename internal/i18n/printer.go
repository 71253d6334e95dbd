package i18n

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Message is a sentence as data: a catalog id with its arguments. The
// store returns Messages; the edge that knows the reader renders them.
// JSON carries the id as a code and the arguments as values.
type Message struct {
	ID   string         `json:"id"`
	Args map[string]any `json:"args,omitempty"`
}

// Msg makes a Message from an id and name/value pairs:
// Msg("queue.reason.feedback_due", "Days", 3).
func Msg(id string, kv ...any) Message {
	return Message{ID: id, Args: pairs(kv)}
}

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			k = fmt.Sprint(kv[i])
		}
		m[k] = kv[i+1]
	}
	if len(kv)%2 == 1 {
		m["_odd"] = kv[len(kv)-1]
	}
	return m
}

// Printer renders messages, dates and numbers in one language. It is safe
// for concurrent use; make one per person (the workbench keeps one in its
// Common value) rather than one per call.
type Printer struct {
	lang string
	tag  language.Tag
	loc  *goi18n.Localizer
	cat  *catalog

	mu    sync.Mutex
	plain map[string]string // messages without arguments, rendered once
	coll  *collate.Collator
}

// New makes a Printer for lang (one of Languages; anything else is
// English).
func New(lang string) *Printer {
	if l, ok := Normalize(lang); ok {
		lang = l
	} else {
		lang = EN
	}
	p := &Printer{lang: lang, tag: language.Make(lang), plain: map[string]string{}}
	if c, err := catalogFor(lang); err == nil {
		p.cat = c
		p.loc = goi18n.NewLocalizer(c.bundle, lang, EN)
	}
	return p
}

// NewExcept is New without the catalogs of some areas, which it then does
// not parse: a command line that shows no help need not read the help
// texts ("clihelp"). Their ids render as ids.
func NewExcept(lang string, areas ...string) *Printer {
	if l, ok := Normalize(lang); ok {
		lang = l
	} else {
		lang = EN
	}
	p := &Printer{lang: lang, tag: language.Make(lang), plain: map[string]string{}}
	if c, err := catalogExcept(lang, areas); err == nil {
		p.cat = c
		p.loc = goi18n.NewLocalizer(c.bundle, lang, EN)
	}
	return p
}

// Lang is the printer's language code: "fi", "sv" or "en".
func (p *Printer) Lang() string { return p.lang }

// Tag is the printer's language as a BCP 47 tag.
func (p *Printer) Tag() language.Tag { return p.tag }

// Has says whether id is in the printer's own language's catalog (not
// only in the English fallback).
func (p *Printer) Has(id string) bool {
	if p.cat == nil {
		return false
	}
	_, ok := p.cat.ids[p.lang][id]
	return ok
}

// T renders message id with name/value pairs: T("queue.title"),
// T("queue.count", "Count", 3). A Count argument picks the plural form.
// A message missing from the language falls back to English; a message
// missing everywhere renders as its id (the tests keep that from
// shipping).
func (p *Printer) T(id string, kv ...any) string {
	if len(kv) == 0 {
		p.mu.Lock()
		s, ok := p.plain[id]
		p.mu.Unlock()
		if ok {
			return s
		}
		s = p.render(id, nil)
		p.mu.Lock()
		p.plain[id] = s
		p.mu.Unlock()
		return s
	}
	return p.render(id, pairs(kv))
}

// M renders a Message.
func (p *Printer) M(m Message) string {
	if len(m.Args) == 0 {
		return p.T(m.ID)
	}
	return p.render(m.ID, m.Args)
}

func (p *Printer) render(id string, args map[string]any) string {
	if p.loc == nil {
		return id
	}
	lc := &goi18n.LocalizeConfig{MessageID: id}
	if args != nil {
		lc.TemplateData = args
		if n, ok := args["Count"]; ok {
			lc.PluralCount = n
		}
	}
	s, err := p.loc.Localize(lc)
	if err != nil && s == "" {
		return id
	}
	return s
}

// Compare orders two strings by the language's collation: in Finnish and
// Swedish å, ä and ö come after z.
func (p *Printer) Compare(a, b string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.coll == nil {
		p.coll = collate.New(p.tag, collate.IgnoreCase)
	}
	return p.coll.CompareString(a, b)
}

// Sort sorts names in place by the language's collation.
func (p *Printer) Sort(names []string) {
	sort.SliceStable(names, func(i, j int) bool { return p.Compare(names[i], names[j]) < 0 })
}

// Normalize turns a language setting into one of Languages: "fi",
// "fi_FI.UTF-8", "sv-FI", "sv_FI@euro" and "en_GB" are understood; "C",
// "POSIX", empty and languages polku does not speak are not (ok false).
func Normalize(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexAny(s, "_-"); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(s)
	for _, l := range Languages() {
		if s == l {
			return l, true
		}
	}
	return "", false
}

// Resolve picks a person's language: the --lang flag, then their own
// setting (a therapist's ui-lang), then the environment (LC_ALL, then
// LC_MESSAGES, then LANG: the first that is set decides, as POSIX says),
// then English. getenv is os.Getenv in production.
func Resolve(flag, setting string, getenv func(string) string) string {
	for _, s := range []string{flag, setting} {
		if l, ok := Normalize(s); ok {
			return l
		}
	}
	if getenv != nil {
		for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
			if v := getenv(k); v != "" {
				if l, ok := Normalize(v); ok {
					return l
				}
				break
			}
		}
	}
	return EN
}
