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
	"sort"
	"strings"
	"sync"
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
	phrases []phrase
	byFirst map[byte][]int // phrase indexes by the first byte of the phrase, in list order
}

// phrase is a normalised phrase split at its wildcards: "tapa*n itseni"
// is ["tapa", "n itseni"]; a phrase ending in '*' ends with "".
type phrase struct {
	Hit
	parts []string
}

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
	m := &Matcher{byFirst: map[byte][]int{}}
	for _, lang := range langs {
		for i, p := range lists[lang] {
			if err := Check(p); err != nil {
				return nil, fmt.Errorf("%s[%d] %q: %w", lang, i, p, err)
			}
			n := Normalize(p)
			m.byFirst[n[0]] = append(m.byFirst[n[0]], len(m.phrases))
			m.phrases = append(m.phrases, phrase{Hit: Hit{Lang: lang, Phrase: n}, parts: strings.Split(n, "*")})
		}
	}
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
func Check(p string) error {
	n := Normalize(p)
	if n == "" {
		return fmt.Errorf("is empty")
	}
	first, _ := utf8.DecodeRuneInString(n)
	last, _ := utf8.DecodeLastRuneInString(n)
	if !isWord(first) || !(isWord(last) || last == '*') {
		return fmt.Errorf("must start with a letter or digit and end with one or with '*'")
	}
	if strings.Contains(n, "**") || strings.Contains(n, " *") || strings.Contains(n, "-*") {
		return fmt.Errorf("'*' must follow at least one letter of its word")
	}
	letters := 0
	for _, r := range n {
		if isWord(r) {
			letters++
		}
	}
	if letters < 3 {
		return fmt.Errorf("needs at least three letters")
	}
	return nil
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// Normalize is the form texts and phrases are compared in: NFC, case
// folded, typographic apostrophes as ', soft hyphens removed, and every
// run of whitespace one space, trimmed.
func Normalize(s string) string {
	if !isASCII(s) {
		c := folders.Get().(cases.Caser)
		s = norm.NFC.String(c.String(norm.NFC.String(s)))
		folders.Put(c)
	} else {
		s = strings.ToLower(s) // folding ASCII is lower-casing it
	}
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

// folders reuses case folders: a Caser keeps state and is not safe for
// concurrent use, and making one per text costs more than the folding.
var folders = sync.Pool{New: func() any { return cases.Fold() }}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Match returns the phrase found earliest in the first text that has one
// (at the same place, the earlier language in sorted order, then the
// earlier in its list).
func (m *Matcher) Match(texts ...string) (Hit, bool) {
	if m == nil || len(m.phrases) == 0 {
		return Hit{}, false
	}
	for _, t := range texts {
		n := Normalize(t)
		// A phrase starts where a word starts: try the phrases that begin
		// with that byte, at each word start in turn.
		prevWord := false
		for at := 0; at < len(n); {
			r, size := utf8.DecodeRuneInString(n[at:])
			word := isWord(r)
			if word && !prevWord {
				for _, i := range m.byFirst[n[at]] {
					p := &m.phrases[i]
					if !strings.HasPrefix(n[at:], p.parts[0]) {
						continue
					}
					if end, ok := matchRest(n, at+len(p.parts[0]), p.parts[1:]); ok {
						h := p.Hit
						h.Found = n[at:end]
						return h, true
					}
				}
			}
			prevWord = word
			at += size
		}
	}
	return Hit{}, false
}

// matchRest matches the parts after a wildcard from pos: each wildcard
// takes a run of word characters (possibly none), and the phrase must end
// at a word boundary.
func matchRest(n string, pos int, parts []string) (int, bool) {
	if len(parts) == 0 {
		if after, _ := utf8.DecodeRuneInString(n[pos:]); pos < len(n) && isWord(after) {
			return 0, false
		}
		return pos, true
	}
	// The wildcard may stop at any point of the word run that follows.
	ends := []int{pos}
	for q := pos; q < len(n); {
		r, size := utf8.DecodeRuneInString(n[q:])
		if !isWord(r) {
			break
		}
		q += size
		ends = append(ends, q)
	}
	for i := len(ends) - 1; i >= 0; i-- { // longest first
		q := ends[i]
		if strings.HasPrefix(n[q:], parts[0]) {
			if e, ok := matchRest(n, q+len(parts[0]), parts[1:]); ok {
				return e, true
			}
		}
	}
	return 0, false
}

// Phrases is how many phrases the matcher holds.
func (m *Matcher) Phrases() int {
	if m == nil {
		return 0
	}
	return len(m.phrases)
}
