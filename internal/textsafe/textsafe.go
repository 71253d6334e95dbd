// Package textsafe makes untrusted text (everything a patient wrote, and
// anything else read from the store) safe to put on a terminal: it removes
// escape sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte ESC
// sequences, in their 7-bit and 8-bit forms), every other C0 and C1
// control character, DEL and bidirectional overrides, and it turns carriage
// returns and the Unicode line and paragraph separators (U+2028, U+2029)
// into line breaks so that no text can be overwritten on screen.
//
// It is a leaf package, so that the store can decide what text is visible
// by the same rules as the screens that show it (tui/sanitize is its face
// for the terminal UI).
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	esc = 0x1b
	bel = 0x07
	// 8-bit (C1) introducers, as runes (UTF-8 encoded U+0080..U+009F).
	c1DCS = 0x90
	c1SOS = 0x98
	c1CSI = 0x9b
	c1ST  = 0x9c
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
	// The Unicode line and paragraph separators (categories Zl, Zp): a
	// terminal may break the line there, or not; shown as a line break.
	lineSep = 0x2028
	paraSep = 0x2029
)

// Text sanitizes multi-line text: line breaks are kept (\r\n and a lone \r
// become \n), tabs become spaces, everything else that is not printable is
// removed.
func Text(s string) string { return clean(s, false) }

// Line sanitizes text for a single screen line: like Text, but line breaks
// become spaces.
func Line(s string) string { return clean(s, true) }

// Safe reports whether s would pass through Text unchanged.
func Safe(s string) bool { return Text(s) == s }

func clean(s string, oneLine bool) string {
	if isPlain(s, oneLine) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	newline := func() {
		if oneLine {
			b.WriteByte(' ')
		} else {
			b.WriteByte('\n')
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == esc:
			i = skipEscape(s, i+size)
			continue
		case r == c1CSI:
			i = skipCSI(s, i+size)
			continue
		case r == c1OSC || r == c1DCS || r == c1SOS || r == c1PM || r == c1APC:
			i = skipString(s, i+size)
			continue
		case r == '\r':
			newline()
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case r == '\n', r == lineSep, r == paraSep:
			newline()
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			// other C0 controls, DEL, C1 controls: dropped
		case IsBidi(r):
			// would reorder what the therapist sees: dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Visible reports whether s has anything to read once sanitized: a
// character that is not white space, not a format character such as a
// zero-width space or a soft hyphen, and not dropped by Text (an escape
// sequence, a control). "\x1b[31m" and "\u200b \u00ad" are not visible.
func Visible(s string) bool {
	return strings.IndexFunc(Text(s), func(r rune) bool {
		return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && r != utf8.RuneError && !unicode.Is(unicode.Zl, r) && !unicode.Is(unicode.Zp, r)
	}) >= 0
}

// isPlain is the fast path: printable ASCII (plus newlines when allowed).
func isPlain(s string, oneLine bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if c == '\n' && !oneLine {
			continue
		}
		return false
	}
	return true
}

// IsBidi reports whether r is a bidirectional control the sanitizer
// removes: the embeddings and overrides U+202A-U+202E, the isolates
// U+2066-U+2069, and the marks U+200E, U+200F and U+061C. Shown raw they
// reorder what a reader sees ("exe.txt" can be made to read "txt.exe").
func IsBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// skipEscape skips what follows an ESC and returns the index after the
// sequence.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF sequences: intermediates 0x20-0x2f, then one final byte
	// 0x30-0x7e. Anything else cuts the sequence short and is read as
	// itself: a line break after a stray ESC stays a line break.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte of a
// control sequence. A control character that cannot be part of one ends it
// (and is dropped with it).
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f: // parameters and intermediates
			i++
		case c >= 0x40 && c <= 0x7e: // final byte
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString skips a control string (OSC, DCS, SOS, PM, APC) up to and
// including its terminator: BEL, ESC \ or the 8-bit ST. An unterminated
// string swallows the rest of the text: showing it could be worse.
func skipString(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == bel, r == c1ST:
			return i + size
		case r == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		}
		i += size
	}
	return i
}
