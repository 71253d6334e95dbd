// Package riskphrase finds possible-risk phrases in patient text the way
// people write them: after Unicode normalisation (NFC) and case folding,
// with any run of whitespace (line breaks, no-break spaces, tabs) read as
// one space, and only at word boundaries, so that "upskill myself" is not
// "kill myself" and "vill dölja" is not "vill dö".
//
// A text is matched as the screen shows it: terminal control sequences
// and control characters are removed by the same rule as the display's
// (tui/sanitize.Text), invisible format characters (zero-width spaces and
// joiners, bidi marks, soft hyphens: Unicode category Cf) are dropped, and
// the hyphens and dashes U+2010-U+2015 and the minus sign U+2212 read as
// "-".
//
// A phrase is written in lower case with single spaces. A '*' inside a
// word stands for any run of letters or digits (possibly none), which is
// how Finnish inflection is covered: "itsemurh*" matches "itsemurha",
// "itsemurhaa", "itsemurhasta" and "itsemurha-ajatuksia"; "haluan kuol*"
// matches "haluan kuolla" and "haluan kuolla pois". Alternatives are
// written in parentheses, separated by '|', and a group followed by '?'
// may also be left out, which is how spoken forms and filler words are
// covered: "en (halua|haluu) (enää)? elää" matches "en halua elää", "en
// haluu elää" and "en halua enää elää". A match is a heuristic: it can
// miss and it can be wrong, and the queue says so.
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

	"polku/tui/sanitize"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Hit is one phrase found in a text.
type Hit struct {
	Lang   string `json:"lang"`   // the list the phrase came from
	Phrase string `json:"phrase"` // as written in the list, e.g. "itsemurh*" or "en (halua|haluu) elää"
	Form   string `json:"form"`   // the form of the phrase that matched, alternatives chosen: "en haluu elää"
	Found  string `json:"found"`  // the words in the normalised text that matched
}

// Matcher holds compiled phrase lists. It is safe for concurrent use.
type Matcher struct {
	phrases []phrase
	byFirst map[byte][]int // phrase indexes by the first byte of the phrase, in list order
}

// phrase is one form of a normalised phrase split at its wildcards:
// "tapa*n itseni" is ["tapa", "n itseni"]; a phrase ending in '*' ends
// with "". A phrase with alternatives has one entry per form.
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
			forms, _ := expand(n)
			for _, f := range forms {
				m.byFirst[f[0]] = append(m.byFirst[f[0]], len(m.phrases))
				m.phrases = append(m.phrases, phrase{Hit: Hit{Lang: lang, Phrase: n, Form: f}, parts: strings.Split(f, "*")})
			}
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

// Check says whether one phrase is usable, with the reason when not:
// it holds no control or invisible format character, its parentheses
// pair up, and each of its forms passes checkForm.
func Check(p string) error {
	for _, r := range p {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("contains the control or invisible character %U: write the phrase as it reads", r)
		}
	}
	n := Normalize(p)
	if n == "" {
		return fmt.Errorf("is empty")
	}
	forms, err := expand(n)
	if err != nil {
		return err
	}
	for _, f := range forms {
		if err := checkForm(f); err != nil {
			if len(forms) > 1 {
				return fmt.Errorf("form %q %w", f, err)
			}
			return err
		}
	}
	return nil
}

// maxForms is how many forms one phrase may stand for.
const maxForms = 1000

// expand writes out the forms of a normalised phrase: each group
// "(a|b)" is one of its alternatives, "(a|b)?" also none of them.
func expand(n string) ([]string, error) {
	forms := []string{""}
	for rest := n; rest != ""; {
		open := strings.IndexAny(rest, "()")
		if open < 0 {
			forms = appendAll(forms, []string{rest})
			break
		}
		if rest[open] == ')' {
			return nil, fmt.Errorf("has an unmatched ')'")
		}
		end := strings.IndexAny(rest[open+1:], "()")
		if end < 0 {
			return nil, fmt.Errorf("has an unclosed '('")
		}
		end += open + 1
		if rest[end] == '(' {
			return nil, fmt.Errorf("has nested parentheses: write the forms out instead")
		}
		alts := strings.Split(rest[open+1:end], "|")
		for _, a := range alts {
			if strings.TrimSpace(a) == "" {
				return nil, fmt.Errorf("has an empty alternative in (%s): mark a group that may be left out with '?' after it", rest[open+1:end])
			}
		}
		after := end + 1
		if strings.HasPrefix(rest[after:], "?") {
			alts = append(alts, "")
			after++
		}
		forms = appendAll(forms, []string{rest[:open]})
		forms = appendAll(forms, alts)
		if len(forms) > maxForms {
			return nil, fmt.Errorf("stands for more than %d forms: split it", maxForms)
		}
		rest = rest[after:]
	}
	for i, f := range forms {
		forms[i] = strings.Join(strings.Fields(f), " ")
	}
	return forms, nil
}

func appendAll(forms, tails []string) []string {
	out := make([]string, 0, len(forms)*len(tails))
	for _, f := range forms {
		for _, t := range tails {
			out = append(out, f+t)
		}
	}
	return out
}

// checkForm checks one written-out form of a phrase.
func checkForm(n string) error {
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

// Normalize is the form texts and phrases are compared in: the text as
// the screen shows it (sanitize.Text: no escape sequences or control
// characters), NFC, case folded, invisible format characters (Cf) removed,
// typographic apostrophes as ', hyphens and dashes as '-', and every run
// of whitespace one space, trimmed.
func Normalize(s string) string {
	s = sanitize.Text(s)
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
		case r >= 0x80 && unicode.Is(unicode.Cf, r): // soft hyphen, zero-width and bidi marks: invisible
			continue
		case r == '\u2019' || r == '\u02bc' || r == '\u2018':
			r = '\''
		case (r >= '\u2010' && r <= '\u2015') || r == '\u2212':
			r = '-'
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
