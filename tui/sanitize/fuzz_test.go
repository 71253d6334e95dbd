package sanitize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzSanitize checks the sanitizer's promises on any input: what comes
// out holds no escape, no C0 control but line breaks, no DEL, no C1
// control and no bidi control, and is valid UTF-8; sanitizing twice
// changes nothing; text that is printable to begin with comes out as it
// went in. Seeds: testdata/fuzz/FuzzSanitize and the table of TestText.
//
//	go test -run x -fuzz FuzzSanitize -fuzztime 60s ./tui/sanitize/
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "plain text", "Hyvää päivää\nrivi kaksi", "\x1b[31mred\x1b[0m", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
		"\u009b2J", "\u009d0;t\u009c", "a\u202eb\u2066c\u200fd\u061ce", "one\r\ntwo\rthree", "a\u2028b\u2029c", "\x1bP\x1b[31m", "\xff\xfe\x1b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, line := Text(s), Line(s)
		if bad, ok := unsafeRune(text, true); ok {
			t.Fatalf("Text(%q) = %q keeps %U", s, text, bad)
		}
		if bad, ok := unsafeRune(line, false); ok {
			t.Fatalf("Line(%q) = %q keeps %U", s, line, bad)
		}
		if again := Text(text); again != text {
			t.Fatalf("Text is not idempotent on %q: %q then %q", s, text, again)
		}
		if again := Line(line); again != line {
			t.Fatalf("Line is not idempotent on %q: %q then %q", s, line, again)
		}
		if printable(s, true) && text != s {
			t.Fatalf("Text changed printable text %q to %q", s, text)
		}
		if printable(s, false) && line != s {
			t.Fatalf("Line changed printable text %q to %q", s, line)
		}
		if !Safe(text) {
			t.Fatalf("Safe(Text(%q)) is false", s)
		}
	})
}

// unsafeRune finds the first rune a terminal could act on: any C0 control
// (but a line break, where allowed), DEL, any C1 control, a bidi control,
// a line or paragraph separator (U+2028, U+2029) or a byte that is not
// UTF-8.
func unsafeRune(s string, allowNewline bool) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return r, true
		}
		if r == '\n' && allowNewline {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || IsBidi(r) || r == 0x2028 || r == 0x2029 {
			return r, true
		}
	}
	return 0, false
}

// printable says whether s is text the sanitizer must leave alone: valid
// UTF-8 made of graphic characters (and line breaks, where allowed), with
// no bidi controls.
func printable(s string, allowNewline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\n' && allowNewline {
			continue
		}
		if !unicode.IsGraphic(r) || IsBidi(r) {
			return false
		}
	}
	return true
}
