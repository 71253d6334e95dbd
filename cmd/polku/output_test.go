package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/quick"
	"time"
	"unicode/utf8"

	"polku/tui/sanitize"
)

// hostile is text a patient, a device or an old store could hold: escape
// sequences in their 7-bit and 8-bit forms, bare C0 and C1 controls, DEL,
// bidi controls and a carriage return that would overwrite a line.
const hostile = "Aino\x1b[2J\x1b]0;pwned\x07 \u009b31mA.\u202e\u2066x\u2069\u200f\u061c\x7f\x00\u0085 fine\rI want"

// terminalActs finds what a terminal would act on in printed text.
func terminalActs(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, sanitize.IsBidi(r):
			return r, true
		}
	}
	return 0, false
}

func TestTextWriterCleansLines(t *testing.T) {
	var out bytes.Buffer
	w := newTextWriter(&out)
	if _, err := w.Write([]byte("name: " + hostile + "\nnext\tcolumn\n")); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	want := "name: Aino A.x fine\nI want\nnext\tcolumn\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// An escape sequence split over two writes is removed whole, not printed
// as its visible tail, and writing in pieces prints the same as writing at
// once.
func TestTextWriterSplitWrites(t *testing.T) {
	var out bytes.Buffer
	w := newTextWriter(&out)
	for _, p := range []string{"red: \x1b", "[31mR\xc2", "", "\x9b1mX\x1b]8;;http://x", "\x1b\\link\n"} {
		w.Write([]byte(p))
	}
	w.Flush()
	if got := out.String(); got != "red: RXlink\n" {
		t.Fatalf("got %q", got)
	}

	check := func(chunks []uint8, text string) bool {
		var once, pieces bytes.Buffer
		w1 := newTextWriter(&once)
		w1.Write([]byte(text))
		w1.Flush()
		w2 := newTextWriter(&pieces)
		b := []byte(text)
		for _, c := range chunks {
			n := min(int(c%7), len(b))
			w2.Write(b[:n])
			b = b[n:]
		}
		w2.Write(b)
		w2.Flush()
		if _, bad := terminalActs(pieces.String()); bad {
			t.Logf("%q in pieces %v printed %q", text, chunks, pieces.String())
			return false
		}
		if utf8.ValidString(text) && once.String() != pieces.String() {
			t.Logf("%q: at once %q, in pieces %q", text, once.String(), pieces.String())
			return false
		}
		return true
	}
	alphabet := []string{"\x1b", "[", "]", "\\", "\x07", "\u009b", "\u009d", "\u009c", "\u202e", "\r", "\n", "\t", "a", "ä", "1", ";", "P", "m", "\x00", "\xc2"}
	cfg := &quick.Config{MaxCount: 3000}
	if err := quick.Check(func(chunks []uint8, idx []uint8) bool {
		var sb strings.Builder
		for _, i := range idx {
			sb.WriteString(alphabet[int(i)%len(alphabet)])
		}
		return check(chunks, sb.String())
	}, cfg); err != nil {
		t.Fatal(err)
	}
	if err := quick.Check(func(chunks []uint8, s string) bool { return check(chunks, s) }, cfg); err != nil {
		t.Fatal(err)
	}
}

// A prompt or a counter without a line break is not held back.
func TestTextWriterUnfinishedLine(t *testing.T) {
	var out bytes.Buffer
	w := newTextWriter(&out)
	w.Write([]byte("token: "))
	if out.String() != "token: " {
		t.Fatalf("an unfinished line was held back: %q", out.String())
	}
}

// JSON output escapes what encoding/json leaves raw (DEL, C1 and bidi
// controls) so that the text is safe on a terminal, passes the sanitizer
// unchanged and decodes to exactly the values that went in.
func TestJSONIsSafeAndExact(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	all.WriteString("\ufeff\U0001F600\U000E0001")
	in := map[string]string{"every": all.String(), "hostile": hostile, "bad utf-8": "a\xffb"}
	var out bytes.Buffer
	tw := newTextWriter(&out)
	if err := writeJSON(tw, in); err != nil {
		t.Fatal(err)
	}
	tw.Flush()
	if r, bad := terminalActs(out.String()); bad {
		t.Fatalf("JSON output holds %U", r)
	}
	var back map[string]string
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if back["every"] != in["every"] || back["hostile"] != in["hostile"] || back["bad utf-8"] != "a\uFFFDb" {
		t.Errorf("JSON output does not decode to what went in")
	}
	if !strings.Contains(out.String(), `\u009b31mA.\u202e\u2066x\u2069\u200f\u061c\u007f\u0000\u0085`) {
		t.Errorf("controls are not escaped as \\uXXXX: %s", out.String())
	}
}

// The JSON stream of an export is escaped across writes that cut a
// character in two.
func TestJSONStreamSplitRune(t *testing.T) {
	var out bytes.Buffer
	w := newJSONStream(&out)
	line := []byte(`{"body":"a` + "\u202e\u0085" + `b"}` + "\n")
	for i := range line {
		w.Write(line[i : i+1])
	}
	if want := `{"body":"a\u202e\u0085b"}` + "\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// The workbench draws with escape sequences of its own: it gets the
// terminal itself.
func TestRawWriterIsTheTerminal(t *testing.T) {
	if rawWriter(newTextWriter(os.Stdout)) != os.Stdout {
		t.Error("rawWriter does not return the stream under the sanitizer")
	}
	var b bytes.Buffer
	if rawWriter(&b) != &b {
		t.Error("rawWriter changed a plain writer")
	}
}

// A table aligns on what is shown, not on the bytes of escape sequences.
func TestTableCellsCleaned(t *testing.T) {
	var out bytes.Buffer
	tw := newTable(&out)
	tw.Write([]byte("A\tB\n\x1b[31mxx\x1b[0m\ty\n"))
	tw.Flush()
	if want := "A   B\nxx  y\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// Errors go through the sanitizer too: here a store path with an escape
// sequence in it, which the "no store" error repeats.
func TestErrorsAreCleaned(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "\x1b]0;owned\x07x\u202e.db")
	var out, errb bytes.Buffer
	code := run(context.Background(), &env{args: []string{"--db", db, "programs", "list"}, stdin: strings.NewReader(""),
		stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, now: time.Now})
	if code != 1 || !strings.Contains(errb.String(), "no store at") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if r, bad := terminalActs(errb.String()); bad {
		t.Errorf("stderr holds %U: %q", r, errb.String())
	}
}

// Log lines of a server and a background sync may be written at once:
// each line comes out whole.
func TestTextWriterConcurrent(t *testing.T) {
	var out bytes.Buffer
	w := newTextWriter(&out)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				fmt.Fprintf(w, "writer %d says hello\x1b[31m\n", g)
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("%d lines, want 800", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "writer ") || !strings.HasSuffix(l, " says hello") {
			t.Fatalf("a torn line: %q", l)
		}
	}
}

// FuzzTextWriter: whatever is written, cut wherever, what comes out holds
// nothing a terminal acts on, and (for UTF-8 text) is what one write of it
// gives.
//
//	go test -run x -fuzz FuzzTextWriter -fuzztime 60s ./cmd/polku/
func FuzzTextWriter(f *testing.F) {
	f.Add(hostile, []byte{1, 2, 3})
	f.Add("red: \x1b[31mR\u009b1mX\x1b]8;;http://x\x1b\\link\n", []byte{6, 1, 0, 5})
	f.Add("a\tb\r\nc\x1b", []byte{2})
	f.Fuzz(func(t *testing.T, s string, cuts []byte) {
		var once, pieces bytes.Buffer
		w1 := newTextWriter(&once)
		w1.Write([]byte(s))
		w1.Flush()
		w2 := newTextWriter(&pieces)
		b := []byte(s)
		for _, c := range cuts {
			n := min(int(c), len(b))
			w2.Write(b[:n])
			b = b[n:]
		}
		w2.Write(b)
		w2.Flush()
		if r, bad := terminalActs(pieces.String()); bad {
			t.Fatalf("%q cut at %v printed %U: %q", s, cuts, r, pieces.String())
		}
		if utf8.ValidString(s) && once.String() != pieces.String() {
			t.Fatalf("%q: at once %q, cut at %v %q", s, once.String(), cuts, pieces.String())
		}
	})
}
