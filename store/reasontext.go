package store

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/programs"
)

// The sentences of the queue are built here but read far away, by a
// person in their own language: each reason carries, beside its English
// Text and Badge, the same sentence as data (Msg, BadgeMsg), and the edge
// that knows the reader renders it (Localize). The arguments of those
// messages are values, other messages, or the argument types below, which
// the reader's language formats.

// dayArg is a date of a message, shown without the year: "19 Nov" in
// English, "19.11." in Finnish and Swedish. It keeps the location the
// rules count days in.
type dayArg struct{ t time.Time }

// dateArg is a date with its year: "19 Nov 2026", "19.11.2026".
type dateArg struct{ t time.Time }

// clockArg is a time of day: "10:00", "10.00".
type clockArg struct{ t time.Time }

// numArg is a decimal number with prec decimals, with the language's
// decimal mark.
type numArg struct {
	v    float64
	prec int
}

// listArg is a list of messages rendered one after another, separated by
// the language's list separator (store.list_sep).
type listArg []i18n.Message

// langText is a text of content in several languages (a program's
// title, a score band), keyed by language; "" is the text in the
// content's own language, for a reader without a translation.
type langText map[string]string

// andArg is a list of messages joined the language's way: "a, b, and c"
// in English (store.and, store.and_serial).
type andArg []i18n.Message

func day(t time.Time, loc *time.Location) dayArg { return dayArg{t.In(loc)} }

func clock(t time.Time, loc *time.Location) clockArg { return clockArg{t.In(loc)} }

// signed is an integer with its sign: "+3", "-2", "+0".
func signed(n int) string {
	if n < 0 {
		return "-" + strconv.Itoa(-n)
	}
	return "+" + strconv.Itoa(n)
}

// RenderMessage renders a message built by the store in a reader's
// language, formatting its dates, times, numbers and nested messages in
// that language.
func RenderMessage(p *i18n.Printer, m i18n.Message) string {
	if len(m.Args) == 0 {
		return p.T(m.ID)
	}
	args := make(map[string]any, len(m.Args))
	for k, v := range m.Args {
		args[k] = renderArg(p, v)
	}
	return p.M(i18n.Message{ID: m.ID, Args: args})
}

func renderArg(p *i18n.Printer, v any) any {
	switch v := v.(type) {
	case i18n.Message:
		return RenderMessage(p, v)
	case listArg:
		parts := make([]string, len(v))
		for i, m := range v {
			parts[i] = RenderMessage(p, m)
		}
		return strings.Join(parts, p.T("store.list_sep"))
	case langText:
		if t, ok := v[p.Lang()]; ok {
			return t
		}
		return v[""]
	case andArg:
		parts := make([]string, len(v))
		for i, m := range v {
			parts[i] = RenderMessage(p, m)
		}
		switch len(parts) {
		case 0:
			return ""
		case 1:
			return parts[0]
		case 2:
			if !strings.Contains(parts[0], ",") {
				return p.T("store.and", "A", parts[0], "B", parts[1])
			}
		}
		return p.T("store.and_serial", "Rest", strings.Join(parts[:len(parts)-1], ", "), "Last", parts[len(parts)-1])
	case dayArg:
		if p.Lang() == i18n.EN {
			return v.t.Format("2 Jan")
		}
		return strconv.Itoa(v.t.Day()) + "." + strconv.Itoa(int(v.t.Month())) + "."
	case dateArg:
		return p.Date(v.t)
	case clockArg:
		return p.Time(v.t)
	case numArg:
		return p.Number(v.v, v.prec)
	}
	return v
}

// Localize renders the reason's sentence and badge in p's language (a
// reason without a message keeps its English text).
func (r *Reason) Localize(p *i18n.Printer) {
	if r.Msg.ID != "" {
		r.Text = RenderMessage(p, r.Msg)
	}
	if r.BadgeMsg.ID != "" {
		r.Badge = RenderMessage(p, r.BadgeMsg)
	}
}

// Localize renders every reason of the queue in p's language, in place.
// It can run more than once: it renders from the messages, not the text.
func (q *Queue) Localize(p *i18n.Printer) {
	if q == nil || p == nil {
		return
	}
	for i := range q.Items {
		for j := range q.Items[i].Reasons {
			q.Items[i].Reasons[j].Localize(p)
		}
	}
}

// Localize renders every reason of the intake queue in p's language, in
// place.
func (q *IntakeQueue) Localize(p *i18n.Printer) {
	if q == nil || p == nil {
		return
	}
	for i := range q.Items {
		for j := range q.Items[i].Reasons {
			q.Items[i].Reasons[j].Localize(p)
		}
	}
}

// Localize renders the suggestion lines of the referral in p's language,
// in place: the programs' reasons and notes, with their titles in p's
// language where the program has a translation, and the therapists'
// places.
func (d *ReferralDetail) Localize(p *i18n.Printer) {
	if d == nil || p == nil {
		return
	}
	for i := range d.Item.Reasons {
		d.Item.Reasons[i].Localize(p)
	}
	for i := range d.Programs {
		s := &d.Programs[i]
		if s.Msg.ID != "" {
			s.Text = RenderMessage(p, s.Msg)
			if t, ok := s.Msg.Args["Title"].(langText); ok {
				s.Title = renderArg(p, t).(string)
			}
		}
		if len(s.NoteMsgs) == len(s.Notes) {
			for j, m := range s.NoteMsgs {
				s.Notes[j] = RenderMessage(p, m)
			}
		}
	}
	for i := range d.Therapists {
		if t := &d.Therapists[i]; t.Msg.ID != "" {
			t.Text = RenderMessage(p, t.Msg)
		}
	}
	for i := range d.Services {
		localizeService(p, &d.Services[i])
	}
}

// localizeService says a built-in service in p's language (its name,
// what it is for, how it is found: content.service.<id>), when the stored
// service still has the built-in English words; a service a site wrote or
// changed is its own text and stays as it is.
func localizeService(p *i18n.Printer, s *ServiceSuggestion) {
	base := "content.service." + strings.ReplaceAll(s.ServiceID, "-", "_")
	if p.Lang() == i18n.EN || !p.Has(base+".name") {
		return
	}
	en := english()
	if en.T(base+".name") != s.Name || en.T(base+".for") != s.For || en.T(base+".contact") != s.Contact {
		return
	}
	s.Name, s.For, s.Contact = p.T(base+".name"), p.T(base+".for"), p.T(base+".contact")
}

// instrumentBands is the band of a total in each language of the
// instrument.
func instrumentBands(in *programs.Instrument, total int) langText {
	t := langText{"": in.Band(total)}
	for _, l := range i18n.Languages() {
		if x, fallback := in.In(l); !fallback {
			t[l] = x.Band(total)
		}
	}
	return t
}

// DescribeEventMsg is DescribeEvent as a message, for a reader of another
// language (RenderMessage renders it).
func DescribeEventMsg(ev EnrollmentEvent, handle func(id string) string) i18n.Message {
	var what i18n.Message
	switch ev.Kind {
	case CourseExtend:
		what = i18n.Msg("store.event.extend", "Count", ev.Weeks, "End", isoDay(ev.PlannedEnd))
	case CourseTransfer:
		what = i18n.Msg("store.event.transfer", "From", handle(ev.FromTherapist), "To", handle(ev.ToTherapist))
	case CourseDiscontinue:
		what = i18n.Msg("store.event.discontinue", "Reason", discontinueReasonMsg(ev.ReasonCode))
	default:
		what = i18n.Msg("store.event." + ev.Kind)
	}
	reason := any("")
	if r := strings.TrimSpace(ev.Reason); r != "" {
		reason = " (" + r + ")"
	}
	return i18n.Msg("store.event.line", "Date", isoDay(ev.Date), "What", what, "Reason", reason, "By", handle(ev.ActorID))
}

// isoDay is a stored date (YYYY-MM-DD) as a date argument, or the text as
// it is.
func isoDay(s string) any {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return dateArg{t}
	}
	return s
}

// contentTitles is a title of a program's content (the program, a module,
// an exercise) in each language the program is written in, as title
// finds it in one version; nil when the program has no translation.
func contentTitles(p *programs.Program, title func(*programs.Program) (string, bool)) langText {
	if p == nil || len(p.Translations) == 0 {
		return nil
	}
	own, ok := title(p)
	if !ok {
		return nil
	}
	t := langText{"": own}
	if p.Language != "" {
		t[p.Language] = own
	}
	for l, tr := range p.Translations {
		if tr == nil {
			continue
		}
		if s, ok := title(tr); ok {
			t[l] = s
		}
	}
	return t
}

// exerciseTitleArg is an exercise's title as a message argument: in the
// reader's language when the program has a translation (RenderMessage
// picks it), else the program's own title.
func exerciseTitleArg(p *programs.Program, id string) any {
	t := contentTitles(p, func(q *programs.Program) (string, bool) {
		if _, ex, ok := q.Exercise(id); ok {
			return ex.Title, true
		}
		return "", false
	})
	if t == nil {
		return exerciseTitle(p, id)
	}
	return t
}

// translationOf is p's document in lang: p itself when p is in that
// language; nil when p has no translation into it.
func translationOf(p *programs.Program, lang string) *programs.Program {
	if p == nil {
		return nil
	}
	if p.Language == lang {
		return p
	}
	return p.Translations[lang]
}

// LocalizeTitles shows the queue's program and module titles in p's
// language where the program has a translation (the JSON keeps the
// program's own titles, as it keeps codes: call it for a person's view).
func (q *Queue) LocalizeTitles(p *i18n.Printer) {
	if q == nil || p == nil {
		return
	}
	for i := range q.Items {
		it := &q.Items[i]
		if len(it.program.Translations) == 0 {
			continue // no other language: the titles stay the program's own
		}
		tr := translationOf(it.program, p.Lang())
		if tr == nil {
			continue
		}
		it.ProgramTitle = tr.Title
		if it.module > 0 && it.module <= len(tr.Modules) {
			it.ModuleTitle = tr.Modules[it.module-1].Title
		}
	}
}

// langName is a language code as a message argument: the language's name
// in the reader's language ("suomi", "finska", "Finnish"); a code polku
// does not know stays as it is.
func langName(code string) any {
	if slices.Contains(i18n.Languages(), code) {
		return i18n.Msg("store.lang." + code)
	}
	return code
}

// langNamesArg are language codes as a list the reader's language joins
// ("Finnish and Swedish").
func langNamesArg(codes []string) any {
	out := make(andArg, 0, len(codes))
	for _, c := range codes {
		if !slices.Contains(i18n.Languages(), c) {
			return strings.Join(codes, ", ")
		}
		out = append(out, i18n.Msg("store.lang."+c))
	}
	return out
}

// discontinueReasonMsg is a discontinuation's reason code as a message.
func discontinueReasonMsg(code string) i18n.Message {
	if _, ok := discontinueWords[code]; !ok || code == EndOther {
		code = "other_reason" // "other" is a word the catalogs keep for plural forms
	}
	return i18n.Msg("store.discontinue_reason." + code)
}

// englishLangs is langNamesArg in English, for the English texts: "fi"
// is "Finnish", ["fi", "sv"] "Finnish and Swedish".
func englishLangs(codes ...string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c
		if n, ok := langNames[c]; ok {
			names[i] = n
		}
	}
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + ", and " + names[len(names)-1]
}

// instrumentNamesArg is a list of instruments' names (names, in their own
// languages; ins the instruments, nil where only the id is known) as a
// message argument: each name in the reader's language where the
// instrument has a translation.
func instrumentNamesArg(names []string, ins []*programs.Instrument) any {
	own := strings.Join(names, ", ")
	translated := false
	for _, in := range ins {
		if in != nil && len(in.Translations) > 0 {
			translated = true
		}
	}
	if !translated {
		return own
	}
	t := langText{"": own}
	for _, l := range i18n.Languages() {
		in := make([]string, len(names))
		for i, n := range names {
			in[i] = n
			if ins[i] != nil {
				if x, fallback := ins[i].In(l); !fallback {
					in[i] = x.Name()
				}
			}
		}
		t[l] = strings.Join(in, ", ")
	}
	return t
}
