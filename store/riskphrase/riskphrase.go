// Package riskphrase finds possible-risk phrases in patient text the way
// people write them: after Unicode normalisation (NFC) and case folding,
// with any run of whitespace (line breaks, no-break spaces, tabs) read as
// one space, and only at word boundaries, so that "upskill myself" is not
// "kill myself" and "vill dölja" is not "vill dö".
//
// A phrase is written in lower case with single spaces. A '*' inside a
// word stands for any run of letters or digits (possibly none), which is
// how Finnish inflection is covered: "itsemurh*" matches "itsemurha",
// "itsemurhaa", "itsemurhasta" and "itsemurha-ajatuksia"; "haluan kuol*"
// matches "haluan kuolla" and "haluan kuolla pois". A match is a
// heuristic: it can miss and it can be wrong, and the queue says so.
//
// The rules and the default lists are documented in docs/clinical.md.
package riskphrase

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Hit is one phrase found in a text.
type Hit struct {
	Lang   string `json:"lang"`   // the list the phrase came from
	Phrase string `json:"phrase"` // as written in the list, e.g. "itsemurh*"
	Found  string `json:"found"`  // the words in the normalised text that matched
}

// Matcher holds compiled phrase lists. It is safe for concurrent use.
type Matcher struct {
	re      *regexp.Regexp
	phrases []Hit // by capture group: Lang and Phrase
}

// wordClass is what a word is made of: letters, digits and combining marks.
const wordClass = `\p{L}\p{N}\p{M}`

// Compile builds a matcher from phrase lists by language. The phrase
// reported is the one found earliest in the text (at the same place, the
// earlier language in sorted order, then the earlier in its list). A
// phrase that is empty,
// starts or ends with a non-word character, or is only a wildcard is an
// error naming the language and the index.
func Compile(lists map[string][]string) (*Matcher, error) {
	langs := make([]string, 0, len(lists))
	for l := range lists {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	m := &Matcher{}
	var alts []string
	for _, lang := range langs {
		for i, p := range lists[lang] {
			expr, err := phraseExpr(p)
			if err != nil {
				return nil, fmt.Errorf("%s[%d] %q: %w", lang, i, p, err)
			}
			alts = append(alts, "("+expr+")")
			m.phrases = append(m.phrases, Hit{Lang: lang, Phrase: Normalize(p)})
		}
	}
	if len(alts) == 0 {
		return m, nil
	}
	// The boundaries are matched outside the groups: a phrase starts at the
	// text's start or after a non-word character, and ends before one or at
	// the end.
	re, err := regexp.Compile(`(?:^|[^` + wordClass + `])(?:` + strings.Join(alts, "|") + `)(?:$|[^` + wordClass + `])`)
	if err != nil {
		return nil, err
	}
	m.re = re
	return m, nil
}

// MustCompile is Compile for lists known to be good (the defaults).
func MustCompile(lists map[string][]string) *Matcher {
	m, err := Compile(lists)
	if err != nil {
		panic(err)
	}
	return m
}

// Check says whether one phrase is usable, with the reason when not.
func Check(phrase string) error {
	_, err := phraseExpr(phrase)
	return err
}

func phraseExpr(p string) (string, error) {
	n := Normalize(p)
	if n == "" {
		return "", fmt.Errorf("is empty")
	}
	first, _ := utf8.DecodeRuneInString(n)
	last, _ := utf8.DecodeLastRuneInString(n)
	if !isWord(first) || !(isWord(last) || last == '*') {
		return "", fmt.Errorf("must start with a letter or digit and end with one or with '*'")
	}
	var b strings.Builder
	letters := 0
	for _, r := range n {
		switch {
		case r == '*':
			b.WriteString(`[` + wordClass + `]*`)
		case r == ' ':
			b.WriteString(" ")
		default:
			if isWord(r) {
				letters++
			}
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if strings.Contains(n, "**") || strings.Contains(n, " *") {
		return "", fmt.Errorf("'*' must follow at least one letter of its word")
	}
	if letters < 3 {
		return "", fmt.Errorf("needs at least three letters")
	}
	return b.String(), nil
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// Normalize is the form texts and phrases are compared in: NFC, case
// folded, typographic apostrophes as ', soft hyphens removed, and every
// run of whitespace one space, trimmed.
func Normalize(s string) string {
	s = norm.NFC.String(cases.Fold().String(norm.NFC.String(s)))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r == '\u00ad': // soft hyphen: invisible, inside words
			continue
		case r == '\u2019' || r == '\u02bc' || r == '\u2018':
			r = '\''
		case r == utf8.RuneError:
			r = '\ufffd'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Match returns the first phrase found in any of the texts.
func (m *Matcher) Match(texts ...string) (Hit, bool) {
	if m == nil || m.re == nil {
		return Hit{}, false
	}
	for _, t := range texts {
		n := Normalize(t)
		loc := m.re.FindStringSubmatchIndex(n)
		if loc == nil {
			continue
		}
		for g := 1; 2*g+1 < len(loc); g++ {
			if loc[2*g] >= 0 {
				h := m.phrases[g-1]
				h.Found = n[loc[2*g]:loc[2*g+1]]
				return h, true
			}
		}
	}
	return Hit{}, false
}

// Phrases is how many phrases the matcher holds.
func (m *Matcher) Phrases() int {
	if m == nil {
		return 0
	}
	return len(m.phrases)
}
