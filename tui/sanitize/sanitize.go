// Package sanitize makes untrusted text (everything a patient wrote, and
// anything else read from the store) safe to put on a terminal: it removes
// escape sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte ESC
// sequences, in their 7-bit and 8-bit forms), every other C0 and C1
// control character, DEL and bidirectional overrides, and it turns carriage
// returns and the line and paragraph separators U+2028 and U+2029 into
// line breaks so that no text can be overwritten on screen.
//
// The rules live in polku/internal/textsafe, which the store uses too
// (to refuse a message with nothing visible in it); this package is their
// face for the terminal UI.
package sanitize

import "polku/internal/textsafe"

// Text sanitizes multi-line text: line breaks are kept (\r\n, a lone \r,
// U+2028 and U+2029 become \n), tabs become spaces, everything else that
// is not printable is removed.
func Text(s string) string { return textsafe.Text(s) }

// Line sanitizes text for a single screen line: like Text, but line breaks
// become spaces.
func Line(s string) string { return textsafe.Line(s) }

// Safe reports whether s would pass through Text unchanged.
func Safe(s string) bool { return textsafe.Safe(s) }

// Visible reports whether s has anything to read once sanitized (not only
// white space, invisible characters, controls or escape sequences).
func Visible(s string) bool { return textsafe.Visible(s) }

// IsBidi reports whether r is a bidirectional control the sanitizer
// removes: the embeddings and overrides U+202A-U+202E, the isolates
// U+2066-U+2069, and the marks U+200E, U+200F and U+061C. Shown raw they
// reorder what a reader sees ("exe.txt" can be made to read "txt.exe").
func IsBidi(r rune) bool { return textsafe.IsBidi(r) }
