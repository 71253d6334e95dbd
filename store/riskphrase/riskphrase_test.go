package riskphrase

import (
	"strings"
	"testing"
	"unicode"
)

func TestDefaultsMatchAsPeopleWrite(t *testing.T) {
	m := MustCompile(Defaults())
	for _, c := range []struct {
		text, want string // want "" = no match
	}{
		// Finnish, with inflection.
		{"Joskus ajattelen että tapan itseni.", "tapan itseni"},
		{"En jaksa enää mitään.", "en jaksa enää"},
		{"haluan kuolla", "haluan kuolla"},
		{"Minulla on ollut itsemurha-ajatuksia.", "itsemurh*"},
		{"Ajattelen itsemurhaa joka päivä", "itsemurh*"},
		{"ITSEMURHASTA puhuminen", "itsemurh*"},
		{"olen viillellyt taas", ""}, // not in the list: a miss is possible, and documented
		{"viiltelen käsiäni", "viiltel*"},
		// Whitespace runs, line breaks and no-break spaces are one space.
		{"haluan\n\nkuolla", "haluan kuolla"},
		{"haluan\u00a0kuolla", "haluan kuolla"},
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
	} {
		h, ok := m.Match(c.text)
		if got := map[bool]string{true: h.Phrase}[ok]; got != c.want {
			t.Errorf("Match(%q) = %q (found %q), want %q", c.text, got, h.Found, c.want)
		}
	}
}

func TestCompileRefusesUnusablePhrases(t *testing.T) {
	for _, c := range []struct{ phrase, want string }{
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
		if !strings.Contains(h.Phrase, "*") && h.Found != h.Phrase {
			t.Fatalf("found %q for the plain phrase %q", h.Found, h.Phrase)
		}
	}
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
		"KILL MYSELF", "don\u2019t want to be here anymore", "\xff\xfe", "a*b", "ß"} {
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
