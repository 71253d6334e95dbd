package main

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"polku/tui/sanitize"
)

// Nothing polku prints reaches a terminal raw. run wraps standard output
// and standard error in a textWriter, so that every table, report, log
// line and error is cleaned by tui/sanitize on its way out, whatever the
// command and whoever wrote the text (a patient, a device, an old store).
// JSON output is escaped instead of cleaned: writeJSON and newJSONStream
// turn what encoding/json leaves raw and a terminal acts on (DEL, C1
// controls, bidi controls) into \uXXXX, so the JSON stays valid and decodes
// to exactly what was stored, and the textWriter then passes it unchanged.
// The workbench, which draws with escape sequences of its own, writes to
// rawWriter(stdout).

// maxPending bounds a line that never ends: past it, what there is goes
// out cleaned (at worst an escape sequence cut there shows as text).
const maxPending = 64 << 10

// textWriter cleans text on its way to w, a line at a time, so that an
// escape sequence split over two writes is removed whole. Tabs are kept
// (tables and shell completion use them); each stretch between them is
// cleaned on its own. The settled start of an unfinished line (a prompt)
// goes out at once; what could begin a sequence waits for the rest.
type textWriter struct {
	mu      sync.Mutex // a server's log lines and a sync in the background write at once
	w       io.Writer
	pending []byte
}

func newTextWriter(w io.Writer) *textWriter { return &textWriter{w: w} }

// Write cleans and writes every finished line of p and the settled start
// of an unfinished one. It reports len(p) unless w fails.
func (t *textWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending = append(t.pending, p...)
	var out []byte
	done := 0
	for {
		i := bytes.IndexByte(t.pending[done:], '\n')
		if i < 0 {
			break
		}
		out = appendClean(out, t.pending[done:done+i+1])
		done += i + 1
	}
	rest := t.pending[done:]
	cut := settled(rest)
	if len(rest) > maxPending {
		cut = len(rest)
	}
	out = appendClean(out, rest[:cut])
	t.pending = t.pending[:copy(t.pending, rest[cut:])]
	if len(out) > 0 {
		if _, err := t.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush cleans and writes what is left of an unfinished line.
func (t *textWriter) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) == 0 {
		return nil
	}
	out := appendClean(nil, t.pending)
	t.pending = t.pending[:0]
	_, err := t.w.Write(out)
	return err
}

// settled is how much of an unfinished line can be cleaned now with the
// same result as once the line is complete: everything before the first
// byte that may start a sequence (ESC, the lead byte 0xC2 of every C1
// control, a carriage return that a line feed may follow) and before a
// character cut in two.
func settled(b []byte) int {
	for i, c := range b {
		if c == 0x1b || c == 0xc2 || c == '\r' {
			return i
		}
	}
	return settledRunes(b)
}

// appendClean appends line cleaned by sanitize.Text, keeping its tabs.
func appendClean(dst, line []byte) []byte {
	for {
		i := bytes.IndexByte(line, '\t')
		if i < 0 {
			return append(dst, sanitize.Text(string(line))...)
		}
		dst = append(dst, sanitize.Text(string(line[:i]))...)
		dst = append(dst, '\t')
		line = line[i+1:]
	}
}

// rawWriter is the stream under a textWriter: the terminal itself, for the
// workbench and for progress shown on it, which draw with escape sequences
// and carriage returns of their own.
func rawWriter(w io.Writer) io.Writer {
	if t, ok := w.(*textWriter); ok {
		t.Flush()
		return t.w
	}
	return w
}

// sanitized wraps e's output streams in textWriters; flush writes what is
// left in them.
func (e *env) sanitized() (clean *env, flush func()) {
	c := *e
	out, errw := newTextWriter(e.stdout), newTextWriter(e.stderr)
	c.stdout, c.stderr = out, errw
	return &c, func() {
		out.Flush()
		errw.Flush()
	}
}

// Write cleans each cell of a table before it is aligned, so that columns
// line up on what is shown. fmt writes a formatted row in one call, so no
// value is cut between two writes.
func (t *table) Write(p []byte) (int, error) {
	n := len(p)
	var b []byte
	for len(p) > 0 {
		i := bytes.IndexAny(p, "\t\n")
		if i < 0 {
			b = append(b, sanitize.Line(string(p))...)
			break
		}
		b = append(b, sanitize.Line(string(p[:i]))...)
		b = append(b, p[i])
		p = p[i+1:]
	}
	if _, err := t.Writer.Write(b); err != nil {
		return 0, err
	}
	return n, nil
}

// jsonStream escapes, in JSON text written to w, the characters
// encoding/json leaves raw and a terminal acts on: DEL, the C1 controls
// U+0080-U+009F and the bidi controls, as \uXXXX. They can only stand
// inside JSON strings, where the escape means the same character. A
// character cut between two writes waits for its end.
type jsonStream struct {
	w    io.Writer
	tail []byte
}

func newJSONStream(w io.Writer) *jsonStream { return &jsonStream{w: w} }

func (j *jsonStream) Write(p []byte) (int, error) {
	b := p
	if len(j.tail) > 0 {
		b = append(j.tail, p...)
	}
	n := settledRunes(b)
	if n > 0 {
		if _, err := j.w.Write(escapeJSON(b[:n])); err != nil {
			return 0, err
		}
	}
	j.tail = nil
	if n < len(b) {
		j.tail = append(j.tail, b[n:]...)
	}
	return len(p), nil
}

// settledRunes is the length of b without a character cut at its end.
func settledRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// escapeJSON returns b with DEL, C1 and bidi controls written as \uXXXX.
func escapeJSON(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || sanitize.IsBidi(r) {
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
