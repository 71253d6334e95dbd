package sanitize

import (
	"strings"
	"testing"
	"testing/quick"
	"unicode"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Hello, world.\nSecond line.", "Hello, world.\nSecond line."},
		{"unicode", "Hyvää päivää — ☀️ 日本", "Hyvää päivää — ☀️ 日本"},
		{"sgr colour", "I am \x1b[31mred\x1b[0m here", "I am red here"},
		{"clear screen", "\x1b[2J\x1b[Hgone", "gone"},
		{"cursor moves", "a\x1b[10;20Hb\x1b[1Ac", "abc"},
		{"private mode", "x\x1b[?1049hy\x1b[?25l", "xy"},
		{"osc title bel", "\x1b]0;pwned\x07visible", "visible"},
		{"osc title st", "\x1b]2;pwned\x1b\\visible", "visible"},
		{"osc 8 hyperlink", "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ me", "click me"},
		{"osc 52 clipboard", "a\x1b]52;c;cm0gLXJmIH4=\x07b", "ab"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"apc", "a\x1b_Gpayload\x1b\\b", "ab"},
		{"pm sos", "a\x1b^pm\x1b\\b\x1bXsos\x1b\\c", "abc"},
		{"two-byte esc", "a\x1bcb\x1b7c\x1b8d\x1b(0e", "abcde"},
		{"8-bit csi", "a\u009b31mred\u009b0m", "ared"},
		{"8-bit osc", "a\u009d0;title\u009cb", "ab"},
		{"8-bit dcs", "a\u0090stuff\u009cb", "ab"},
		{"raw 8-bit byte csi", "a\x9b31mb", "a\uFFFD31mb"},
		{"c1 controls", "a\u0085b\u0084c\u008dd", "abcd"},
		{"c0 controls", "a\x00b\x07c\x08d\x0be\x0cf\x7fg", "abcdefg"},
		{"carriage return overwrite", "I feel fine\rI want to die", "I feel fine\nI want to die"},
		{"crlf", "one\r\ntwo\r\n", "one\ntwo\n"},
		{"tab", "a\tb", "a    b"},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba"},
		{"unterminated osc", "ok\x1b]0;never ends", "ok"},
		{"dangling esc", "ok\x1b", "ok"},
		{"esc before a line break", "ok\x1b\nnext\x1b(\r\nlast", "ok\nnext\nlast"},
		{"esc before a tab", "a\x1b\tb", "a    b"},
		{"csi interrupted by control", "a\x1b[12\nb", "a\nb"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"line and paragraph separators", "name\u2028second\u2029third", "name\nsecond\nthird"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	if got := Line("Maija\nMeikäläinen\r\x1b[31mX"); got != "Maija Meikäläinen X" {
		t.Errorf("Line = %q", got)
	}
	if got := Line("Anna\u2028Virtanen\u2029x"); got != "Anna Virtanen x" {
		t.Errorf("Line with U+2028 and U+2029 = %q", got)
	}
}

// Visible: is there anything to read once the text is sanitized?
func TestVisible(t *testing.T) {
	for _, s := range []string{"", " \n\t", "\x1b[31m", "\x1b]0;t\x07", "\u009b2J", "\u200b\u00ad\ufeff", "\u2028\u2029", "\x1b[1m \x1b[0m"} {
		if Visible(s) {
			t.Errorf("Visible(%q) = true", s)
		}
	}
	for _, s := range []string{"a", "\x1b[31mred\x1b[0m", " ok ", "日本", "☀️"} {
		if !Visible(s) {
			t.Errorf("Visible(%q) = false", s)
		}
	}
}

// dangerous reports whether s holds anything a terminal could act on.
func dangerous(s string, allowNewline bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r == '\n' && allowNewline {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || IsBidi(r) {
			return true
		}
	}
	return false
}

func TestNoControlsSurvive(t *testing.T) {
	f := func(b []byte) bool {
		s := string(b)
		return !dangerous(Text(s), true) && !dangerous(Line(s), false) && Text(Text(s)) == Text(s)
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 5000}); err != nil {
		t.Fatal(err)
	}
	// Mixes heavy in escape bytes.
	alphabet := []string{"\x1b", "[", "]", "\\", "\x07", "\u009b", "\u009d", "\u009c", "\r", "\n", "a", "1", ";", "P", "_", "m", "\x00", "ä"}
	g := func(idx []uint8) bool {
		var sb strings.Builder
		for _, i := range idx {
			sb.WriteString(alphabet[int(i)%len(alphabet)])
		}
		s := sb.String()
		return !dangerous(Text(s), true) && !dangerous(Line(s), false)
	}
	if err := quick.Check(g, &quick.Config{MaxCount: 5000}); err != nil {
		t.Fatal(err)
	}
}

func TestPrintableKept(t *testing.T) {
	f := func(s string) bool {
		for _, r := range s {
			if !unicode.IsPrint(r) || IsBidi(r) {
				return true // only check printable inputs
			}
		}
		return Text(s) == s
	}
	if err := quick.Check(f, nil); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkPlain(b *testing.B) {
	s := strings.Repeat("This week I tried the worry time exercise. ", 50)
	for b.Loop() {
		Text(s)
	}
}
