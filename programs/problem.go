package programs

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"polku/internal/i18n"
)

// Problem is one thing wrong with a program file, at a position.
//
// Message is the problem as data: a programs.err.* catalog id with its
// arguments (internal/i18n), so that the command line says it in its
// reader's language (Text) and JSON carries it as a code with values. Msg
// is the same sentence in English, for logs, errors and tests.
type Problem struct {
	File    string
	Line    int
	Col     int
	Msg     string
	Message i18n.Message
}

// problem makes a Problem at pos from a message.
func problem(pos Pos, m i18n.Message) Problem {
	return Problem{File: pos.File, Line: pos.Line, Col: pos.Col, Msg: render(english(), m), Message: m}
}

// english is the printer of the English sentences (Msg), made when the
// first problem is found: validating files without problems reads no
// catalog.
var english = sync.OnceValue(func() *i18n.Printer { return i18n.New(i18n.EN) })

// render says m in p's language: arguments that are messages themselves
// (a kind of list, a span of totals) are said first.
func render(p *i18n.Printer, m i18n.Message) string {
	if len(m.Args) == 0 {
		return p.T(m.ID)
	}
	args := make(map[string]any, len(m.Args))
	for k, v := range m.Args {
		if sub, ok := v.(i18n.Message); ok {
			v = render(p, sub)
		}
		args[k] = v
	}
	return p.M(i18n.Message{ID: m.ID, Args: args})
}

// Text is the problem's sentence in p's language (English when p is nil,
// or when the problem has no message, as one made elsewhere may not).
func (p Problem) Text(pr *i18n.Printer) string {
	if pr == nil || p.Message.ID == "" {
		return p.Msg
	}
	return render(pr, p.Message)
}

// Localized is the problem as file:line:col: sentence, in pr's language.
func (p Problem) Localized(pr *i18n.Printer) string {
	return p.where() + p.Text(pr)
}

func (p Problem) where() string {
	if p.Line == 0 {
		return p.File + ": "
	}
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) + ": "
}

func (p Problem) String() string { return p.where() + p.Msg }

// ProblemJSON is a problem in JSON output: where it is, its code (the
// message id) and arguments, which do not depend on the language, and the
// sentence in the language asked.
type ProblemJSON struct {
	File    string         `json:"file"`
	Line    int            `json:"line"`
	Col     int            `json:"col"`
	Code    string         `json:"code"`
	Args    map[string]any `json:"args,omitempty"`
	Message string         `json:"message"`
}

// JSON is the problem for JSON output, its sentence in pr's language.
func (p Problem) JSON(pr *i18n.Printer) ProblemJSON {
	return ProblemJSON{File: p.File, Line: p.Line, Col: p.Col, Code: p.Message.ID, Args: p.Message.Args, Message: p.Text(pr)}
}

// Problems is every problem found, in file and line order. It is an error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Localized is every problem as file:line:col: sentence in pr's language,
// one a line.
func (ps Problems) Localized(pr *i18n.Printer) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Localized(pr)
	}
	return strings.Join(lines, "\n")
}

// JSON is every problem for JSON output, sentences in pr's language.
func (ps Problems) JSON(pr *i18n.Printer) []ProblemJSON {
	out := make([]ProblemJSON, len(ps))
	for i, p := range ps {
		out[i] = p.JSON(pr)
	}
	return out
}

// Sort orders problems by file, line and column.
func (ps Problems) Sort() Problems { return ps.sorted() }

func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return ps
}

// quoted is a value from a file (an id, a key, a language) that a message
// shows in quotes, escaped as Go quotes it, so that a line break or a
// control character in it cannot break the line; JSON has it as it is.
type quoted string

func (q quoted) String() string { return strconv.Quote(string(q)) }

// q quotes a value for a message.
func q(s string) quoted { return quoted(s) }

// list joins values for a message: "fi, sv, en".
func list(vs []string) string { return strings.Join(vs, ", ") }

// pathArg is a path for a message; the document itself has none.
func pathArg(path string) any {
	if path == "" {
		return i18n.Msg("programs.err.the_document")
	}
	return path
}
