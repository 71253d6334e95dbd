package riskphrase

import (
	"strings"
	"testing"
	"unicode"

	"polku/tui/sanitize"
)

func TestDefaultsMatchAsPeopleWrite(t *testing.T) {
	m := MustCompile(Defaults())
	for _, c := range []struct {
		text, want string // want "" = no match
	}{
		// Finnish, with inflection.
		{"Joskus ajattelen että tapan itseni.", "tapan itseni"},
		{"En jaksa enää mitään.", "en jaksa enää"},
		{"haluan kuolla", fiWant},
		{"Minulla on ollut itsemurha-ajatuksia.", "itsemurh*"},
		{"Ajattelen itsemurhaa joka päivä", "itsemurh*"},
		{"ITSEMURHASTA puhuminen", "itsemurh*"},
		{"olen viillellyt taas", ""}, // not in the list: a miss is possible, and documented
		{"viiltelen käsiäni", "viiltel*"},
		// Whitespace runs, line breaks and no-break spaces are one space.
		{"haluan\n\nkuolla", fiWant},
		{"haluan\u00a0kuolla", fiWant},
		{"en  jaksa\tenää", "en jaksa enää"},
		// Swedish.
		{"Jag vill inte leva längre", "jag vill inte leva"},
		{"jag tänker ta livet av mig", "ta livet av mig"},
		{"Jag vill dö.", "vill dö"},
		{"Jag vill dölja det här", ""},
		{"självmordstankar", "självmord*"},
		// English.
		{"I want to KILL MYSELF", "kill myself"},
		{"I want to upskill myself this spring", ""},
		{"sometimes I just want to end it all", "end it all"},
		{"I've been feeling suicidal", "suicid*"},
		{"they'd be better off without me", "better off without me"},
		{"I don’t want to be here anymore", "don't want to be here anymore"},
		{"I can't go on like this", "can't go on"},
		{"I can go on a walk", ""},
		{"a blend it all together", ""},
		{"", ""},
		// Decomposed ä (a + combining diaeresis) is the same word after NFC.
		{"en jaksa ena\u0308a\u0308", "en jaksa enää"},
		// Spoken Finnish and filler words.
		{"haluan vaan kuolla", fiWant},
		{"Haluaisin vain kuolla pois täältä", fiWant},
		{"mä tahtoisin kuolla", fiWant},
		{"en haluu elää", fiNotLive},
		{"En halua enää elää.", fiNotLive},
		// Dashes as keyboards and phones write them.
		{"thinking about self\u2011harm again", "self-harm*"},
		{"self\u2013harm", "self-harm*"},
		{"self\u2212harm", "self-harm*"},
		{"I don't want to be alive", enNotLive},
		{"I do not want to live like this", enNotLive},
		// Matched on the text as the screen shows it: invisible format
		// characters and terminal control sequences do not hide a phrase.
		{"kill \u200bmyself", "kill myself"},
		{"kill\u200e myself", "kill myself"},
		{"kill\x1b[0m myself", "kill myself"},
		{"I want to kill\u202e myself", "kill myself"},
		{"kill\u2060 my\ufeffself", "kill myself"},
		{"tapan\u00ad itseni", "tapan itseni"},
	} {
		h, ok := m.Match(c.text)
		if got := map[bool]string{true: h.Phrase}[ok]; got != c.want {
			t.Errorf("Match(%q) = %q (found %q), want %q", c.text, got, h.Found, c.want)
		}
	}
}

// The default list's phrases with alternatives, as written there.
const (
	fiWant    = "(haluan|haluaisin|haluisin|haluun|tahdon|tahtoisin) (vain|vaan|vaa|jo|nyt|oikeasti|oikeesti)? kuolla"
	fiNotLive = "en (halua|haluu|tahdo) (enää|enään|enä)? elää"
	enNotLive = "(don't|dont|do not) want to (live|be alive)"
)

func TestAlternativesAndOptionalWords(t *testing.T) {
	m := MustCompile(map[string][]string{"fi": {"en (halua|haluu) (enää)? elää"}})
	for text, want := range map[string]string{
		"en halua elää":       "en halua elää",
		"en haluu enää elää":  "en haluu enää elää",
		"en halua enää elää":  "en halua enää elää",
		"en tahdo elää":       "",
		"en haluaisi elää":    "",
		"en halua nyt elää":   "",
		"en halua enää elään": "",
	} {
		h, ok := m.Match(text)
		if got := map[bool]string{true: h.Form}[ok]; got != want {
			t.Errorf("Match(%q) = form %q, want %q", text, got, want)
		}
		if ok && (h.Phrase != "en (halua|haluu) (enää)? elää" || h.Found != want) {
			t.Errorf("Match(%q) = %+v: the phrase is reported as written, the form and words as found", text, h)
		}
	}
}

func TestCompileRefusesUnusablePhrases(t *testing.T) {
	for _, c := range []struct{ phrase, want string }{
		{"a\u001b[31m", "control"},
		{"kill\u200bmyself", "control"},
		{"kill\tmyself\r", "control"},
		{"en (halua elää", "unclosed"},
		{"en halua) elää", "unmatched"},
		{"en () elää", "empty"},
		{"en ((halua)) elää", "nested"},
		{"(a|kill) b", "at least three letters"},
		{"", "is empty"},
		{"   ", "is empty"},
		{"*murha", "must start with a letter"},
		{"-kill", "must start with a letter"},
		{"ab*", "at least three letters"},
		{"kill **", "'*' must follow"},
	} {
		_, err := Compile(map[string][]string{"en": {"fine", c.phrase}})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "en[1]") {
			t.Errorf("Compile(%q): %v, want an error naming en[1] with %q", c.phrase, err, c.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"  Haluan \r\n KUOLLA  ": "haluan kuolla",
		"Straße":                 "strasse",
		"don\u2019t":             "don't",
		"itse\u00admurha":        "itsemurha",
		"self\u2010harm":         "self-harm",
		"a\u2015b\u2212c":        "a-b-c",
		"kill\x1b[31m \u200bme":  "kill me",
		"x\u202ey\u2066z":        "xyz",
		"A\u00a0\u2028B":         "a b",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkInvariants is what the fuzz target asserts for any text.
func checkInvariants(t *testing.T, m *Matcher, text string) {
	h, ok := m.Match(text)
	n := Normalize(text)
	if ok {
		if h.Found == "" || !strings.Contains(n, h.Found) {
			t.Fatalf("reported %q is not in the normalised text %q", h.Found, n)
		}
		if !strings.Contains(h.Form, "*") && h.Found != h.Form {
			t.Fatalf("found %q for the plain form %q", h.Found, h.Form)
		}
	}
	// The screen's sanitizer changes nothing the matcher sees.
	if h2, ok2 := m.Match(sanitize.Text(text)); ok2 != ok || h2 != h {
		t.Fatalf("sanitizing changed the result: %q -> %v %+v, %q -> %v %+v", text, ok, h, sanitize.Text(text), ok2, h2)
	}
	// The rest is about the visible text: a case change inside an escape
	// sequence turns it into another one.
	text = sanitize.Text(text)
	h, ok = m.Match(text)
	// Stable under whitespace: every space becomes a mixed run.
	ws := strings.NewReplacer(" ", " \u00a0\n\t ").Replace(text)
	if h2, ok2 := m.Match(ws); ok2 != ok || h2.Phrase != h.Phrase {
		t.Fatalf("whitespace changed the result: %q -> %v %q, %q -> %v %q", text, ok, h.Phrase, ws, ok2, h2.Phrase)
	}
	// Stable under ASCII case changes.
	up := strings.Map(func(r rune) rune {
		if r < 0x80 {
			return unicode.ToUpper(r)
		}
		return r
	}, text)
	if h3, ok3 := m.Match(up); ok3 != ok || h3.Phrase != h.Phrase {
		t.Fatalf("upper case changed the result: %q -> %v %q, %q -> %v %q", text, ok, h.Phrase, up, ok3, h3.Phrase)
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"haluan kuolla", "I want to upskill myself", "vill dölja", "itsemurha-ajatuksia", "en\u00a0jaksa\nenää",
		"KILL MYSELF", "don\u2019t want to be here anymore", "\xff\xfe", "a*b", "ß",
		"haluan vaan kuolla", "haluaisin vain kuolla", "en haluu elää", "tahtoisin kuolla", "self\u2011harm", "self\u2013harm",
		"I don't want to be alive", "kill \u200bmyself", "kill\u200e myself", "kill\x1b[0m myself", "I want to kill\u202e myself",
		"\x1bpkill myself", "kill\x1b[ q myself"} {
		f.Add(s)
	}
	m := MustCompile(Defaults())
	f.Fuzz(func(t *testing.T, text string) { checkInvariants(t, m, text) })
}

func TestWildcardInsideAWord(t *testing.T) {
	m := MustCompile(map[string][]string{"fi": {"ta*n itseni", "kuol*"}})
	for text, want := range map[string]string{
		"tapan itseni":          "ta*n itseni",
		"tapoin itseni":         "ta*n itseni",
		"tan itseni":            "ta*n itseni",
		"tapan itsenikin":       "",
		"en tapa itseäni":       "",
		"haluan kuolla":         "kuol*",
		"kuolemanpelko":         "kuol*",
		"ei kuulu minulle kuol": "kuol*",
		"akuol":                 "",
	} {
		h, ok := m.Match(text)
		if got := map[bool]string{true: h.Phrase}[ok]; got != want {
			t.Errorf("Match(%q) = %q, want %q", text, got, want)
		}
	}
	// The earliest match in the text is reported, whatever the list order.
	h, _ := m.Match("kuolla, tapan itseni")
	if h.Phrase != "kuol*" || h.Found != "kuolla" {
		t.Errorf("earliest: %+v", h)
	}
}

func BenchmarkMatchDefaults(b *testing.B) {
	m := MustCompile(Defaults())
	text := strings.Repeat("Tällä viikolla kirjoitin huolipäiväkirjaa joka ilta ja huomasin, että huolet tulevat iltaisin. ", 8)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		m.Match(text)
	}
}
