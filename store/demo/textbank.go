package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"polku/programs"
	"polku/store"
)

// The demo's people speak Finnish, Swedish or English, and everything
// they write is in their language: a patient's answers, messages, diary
// notes and peer-group posts in the patient's language; a therapist's
// replies and feedback in the patient's language (a patient is treated by
// a therapist who speaks it); a therapist's notes and the reasons of a
// treatment's course in the therapist's own language; a referral in the
// patient's language. The banks are in text.go (English), text_fi.go and
// text_sv.go; they are synthetic and say so.

// Languages are the demo's languages, most spoken first.
var Languages = []string{"fi", "sv", "en"}

// textBank is everything the demo writes in one language. Every language
// has the same keys and, for each key, the same number of entries (the
// tests check it), so that one seed draws the same choices in every
// language.
type textBank struct {
	answers    map[string][]map[string]string // whole answers by "program/exercise" or "program/exercise/youth"
	fallback   string                         // a reflection the demo has no written answer for
	seeMessage string                         // a worksheet text field the demo has no answer for
	none       string                         // a sleep diary's "nothing taken", as the program asks for it
	sleepAid   string                         // a sleep diary's medicine
	weekdays   [7]string                      // a log's day, Sunday first as time.Weekday
	clock      string                         // a log's time of day: fmt of weekday, hour, minute

	adult   []exchange            // a patient's message in any adult program, with the reply
	program map[string][]exchange // by program
	risk    []string              // messages the risk phrase list of this language catches

	welcome   string // fmt: the patient's first name, the therapist's name, help
	help      string
	youthHelp string

	feedback      map[string][]string // by exerciseKind: fmt of the first name (%[1]s) and maybe the exercise title (%[2]s)
	youthFeedback map[string][]string

	notes          map[string][]string // a therapist's notes by program
	synthetic      string              // the mark of a made-up record text, " (synthetic)"
	riskAck        string              // an acknowledgement's comment
	pause          []string            // reasons of a pause
	discontinue    map[string]string   // reasons of an end, by code
	transfer       string              // reason of a transfer
	summaryComment string              // a discharge summary's last section, heading and text

	units            []string            // referring units (as many in every language)
	reasons          map[string][]string // referral reasons by program
	doctorAssessment string              // a 16-17-year-old's referral

	cohort, peerGroup, groupMessage string
	aliases                         []string // peer-group aliases
	posts                           []string // peer-group posts
}

var banks = map[string]*textBank{"en": &textEN, "fi": &textFI, "sv": &textSV}

// texts is the bank of a language; English for a language the demo does
// not write.
func texts(lang string) *textBank {
	if b, ok := banks[lang]; ok {
		return b
	}
	return &textEN
}

// languageOf turns a draw in [0, 100) into a language: about 80 % of the
// demo's people are Finnish-speaking, 15 % Swedish-speaking and 5 %
// English-speaking.
func languageOf(r int) string {
	switch {
	case r < 15:
		return "sv"
	case r < 20:
		return "en"
	}
	return "fi"
}

// TherapistLanguage is the language demo therapist number i (0 is the
// demo therapist) works in and writes notes in: the demo therapist
// Finnish; of every 20 others in a row 16 Finnish, 3 Swedish and 1
// English, spread so that any seven in a row have a Swedish-speaking one
// (a demo of eight therapists too), where in the row the seed decides. It is the first of the
// therapist's Languages, and what a therapist's own interface-language
// setting should be set to where the store has one.
func TherapistLanguage(seed uint64, i int) string {
	if i == 0 {
		return "fi"
	}
	switch p := (uint64(i-1) + seed%20) % 20; {
	case p%7 == 2: // 2, 9 and 16: any seven in a row have one
		return "sv"
	case p == 12:
		return "en"
	}
	return "fi"
}

// UILanguage is the language a demo therapist works in: their own, the
// first of the languages they speak (see TherapistLanguage). A store with
// a therapist's interface-language setting sets it to this for the demo's
// therapists.
func UILanguage(th store.Therapist) string {
	if len(th.Languages) == 0 {
		return "en"
	}
	return th.Languages[0]
}

// therapistLanguage is the language a therapist writes notes in.
func therapistLanguage(th store.Therapist) string { return UILanguage(th) }

// therapistLanguages is what a therapist speaks: their own language
// first; a Finnish-speaking therapist also Swedish when alsoSwedish, a
// Swedish- or English-speaking one also Finnish; everyone English. The
// demo therapist speaks all three, so that the demo shows each.
func therapistLanguages(own string, alsoSwedish, demo bool) []string {
	switch {
	case demo:
		return []string{"fi", "sv", "en"}
	case own == "sv":
		return []string{"sv", "fi", "en"}
	case own == "en":
		return []string{"en", "fi"}
	case alsoSwedish:
		return []string{"fi", "sv", "en"}
	}
	return []string{"fi", "en"}
}

// therapistNamesIn are the demo therapists' names by their language
// (first names differ across the lists, so that handles do not repeat).
var therapistNamesIn = map[string][]string{
	"fi": therapistNames,
	"sv": {"Mikaela Lindqvist", "Johan Nyström", "Annika Holmberg", "Fredrik Sjöberg", "Camilla Wikström", "Henrik Grönroos"},
	"en": {"Sarah Collins", "David Okafor", "Emily Brooks"},
}

// speaks says whether a therapist who speaks langs speaks lang.
func speaks(langs []string, lang string) bool {
	for _, l := range langs {
		if l == lang {
			return true
		}
	}
	return false
}

// ReplyTo is the therapist's reply the demo pairs with a patient's
// message, if the message is one of the demo's (in any language).
func ReplyTo(msg string) (string, bool) {
	for _, lang := range Languages {
		b := texts(lang)
		for _, x := range b.adult {
			if x.msg == msg {
				return x.reply, true
			}
		}
		for _, p := range []string{"insomnia", "gad", "depression", "social-anxiety-youth"} {
			for _, x := range b.program[p] {
				if x.msg == msg {
					return x.reply, true
				}
			}
		}
	}
	return "", false
}

// HasRiskMessage says whether one of the demo's risk messages (in any
// language) contains s.
func HasRiskMessage(s string) bool {
	for _, lang := range Languages {
		for _, m := range texts(lang).risk {
			if strings.Contains(m, s) {
				return true
			}
		}
	}
	return false
}

// welcome is the therapist's first message, in the patient's language; it
// names the therapist.
func welcome(lang, firstName, therapist string, youth bool) string {
	b := texts(lang)
	help := b.help
	if youth {
		help = b.youthHelp
	}
	return fmt.Sprintf(b.welcome, firstName, therapist, help)
}

// IsWelcome says whether a message is the demo's welcome, in any language.
func IsWelcome(body string) bool {
	for _, lang := range Languages {
		prefix, _, _ := strings.Cut(texts(lang).welcome, "%")
		if strings.HasPrefix(body, prefix) && len(body) > len(prefix) {
			_, after, _ := strings.Cut(texts(lang).welcome, "%[2]s")
			stem, _, _ := strings.Cut(after, ".")
			if strings.Contains(body, stem) {
				return true
			}
		}
	}
	return false
}

// feedbackFor picks a feedback template that fits the exercise, the
// answers and the patient's age, in the patient's language: an exposure
// harder than expected gets the template that says so.
func feedbackFor(rng *rand.Rand, lang string, ex *programs.Exercise, answers map[string]string, youth bool) string {
	kind, ok := exerciseKind[ex.ID]
	if !ok {
		kind = "reflection"
		if ex.Kind == programs.KindWorksheet {
			kind = "plan"
		}
	}
	bank := texts(lang).feedback
	if youth {
		bank = texts(lang).youthFeedback
	}
	list := bank[kind]
	if kind == "exposure" && len(list) > 1 {
		exp, err1 := strconv.Atoi(answers["expected"])
		act, err2 := strconv.Atoi(answers["actual"])
		if err1 == nil && err2 == nil && act > exp {
			return list[1]
		}
		return list[0]
	}
	return list[rng.IntN(len(list))]
}

// feedbackText fills a feedback template with the patient's first name
// and the exercise's title (templates that do not name the exercise leave
// the title out).
func feedbackText(template, firstName, title string) string {
	return fmt.Sprintf(template, firstName, title)
}

// riskMessage is one of the messages of the patient's language the risk
// phrase list of that language catches.
func riskMessage(rng *rand.Rand, lang string) string {
	list := texts(lang).risk
	return list[rng.IntN(len(list))]
}
