package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/spf13/cobra"
)

// argWords name what an argument placeholder of a command's Use line is,
// for "say which patient: polku patients show PATIENT".
var argWords = map[string]string{
	"PATIENT": "patient", "HANDLE": "therapist (by handle)", "FILE": "file", "PATH": "file or folder",
	"ID": "program or instrument", "KEY": "key", "VALUE": "value", "TOKEN-ID": "token",
}

// argPlaceholders are the positional arguments a Use line names, in order:
// the upper-case words that are not a flag's value and not optional.
func argPlaceholders(use string) []string {
	var out []string
	words := strings.Fields(use)
	for i := 1; i < len(words); i++ {
		w := words[i]
		switch {
		case strings.HasPrefix(w, "--"):
			if i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
				i++ // the flag's value
			}
		case strings.HasPrefix(w, "[") || strings.HasPrefix(w, "("):
			// optional, or a choice the command explains itself
			for !strings.HasSuffix(w, "]") && !strings.HasSuffix(w, ")") && i+1 < len(words) {
				i++
				w = words[i]
			}
		case w != "" && w[0] >= 'A' && w[0] <= 'Z':
			out = append(out, w)
		}
	}
	return out
}

// argWord is how a placeholder is said in a sentence: PATIENT is "patient",
// ID[@VERSION] a "program or instrument", PATH... a "file or folder".
func argWord(ph string) string {
	base := strings.TrimSuffix(ph, "...")
	if i := strings.IndexByte(base, '['); i > 0 {
		base = base[:i]
	}
	if w, ok := argWords[base]; ok {
		return w
	}
	return strings.ToLower(base)
}

// argWord is argWord in the person's language.
func (a *app) argWord(ph string) string {
	if a.p.Lang() != "en" {
		base := strings.TrimSuffix(ph, "...")
		if i := strings.IndexByte(base, '['); i > 0 {
			base = base[:i]
		}
		if id := "cli.args.word." + helpKey(strings.ToLower(base)); a.p.Has(id) {
			return a.p.T(id)
		}
	}
	return argWord(ph)
}

// explainArgs makes a command's argument check say what is missing or
// extra in words ("say which patient: polku patients show PATIENT")
// rather than cobra's "accepts 1 arg(s), received 0".
func (a *app) explainArgs(c *cobra.Command) {
	check := c.Args
	if check == nil || c.HasSubCommands() {
		return
	}
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			return nil
		}
		var said usageError
		if errors.As(err, &said) {
			return err // the command's own check already says it in words
		}
		usage := cmd.CommandPath()
		if i := strings.IndexByte(cmd.Use, ' '); i > 0 {
			usage += cmd.Use[i:]
		}
		names := argPlaceholders(cmd.Use)
		switch {
		case len(args) < len(names):
			return usagef("%s", a.T("cli.args.say_which", "Word", a.argWord(names[len(args)]), "Usage", usage))
		case len(names) == 0 || !strings.HasSuffix(names[len(names)-1], "..."):
			return usagef("%s", a.T("cli.args.too_many", "Args", fmt.Sprintf("%q", strings.Join(args, " ")), "Usage", usage))
		}
		return usageError{fmt.Errorf("%w: %s", err, usage)}
	}
}

// flagError is a flag parse error with "did you mean" for a mistyped flag
// (--ass: --as), as cobra does for commands.
func (a *app) flagError(cmd *cobra.Command, err error) error {
	err = a.flagErrorWords(err)
	var nf *pflag.NotExistError
	if !errors.As(err, &nf) {
		return usageError{err}
	}
	name := nf.GetSpecifiedName()
	if len(name) < 2 { // a shorthand: too short to guess from
		return usageError{err}
	}
	var near []string
	seen := map[string]bool{}
	visit := func(f *pflag.Flag) {
		if seen[f.Name] || f.Hidden {
			return
		}
		seen[f.Name] = true
		if d := editDistance(name, f.Name); d <= 2 || strings.HasPrefix(f.Name, name) {
			near = append(near, "--"+f.Name)
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	if len(near) == 0 {
		return usageError{err}
	}
	return usageError{fmt.Errorf("%w\n\n%s\n\t%s", err, a.T("cli.args.did_you_mean"), strings.Join(near, "\n\t"))}
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// flagErrorWords says pflag's commonest errors in the person's language
// (English keeps pflag's words); the error stays what it wraps.
func (a *app) flagErrorWords(err error) error {
	if a.p.Lang() == "en" {
		return err
	}
	msg := err.Error()
	for _, m := range []struct{ prefix, id string }{
		{"unknown flag: ", "cli.args.unknown_flag"},
		{"unknown shorthand flag: ", "cli.args.unknown_flag"},
		{"flag needs an argument: ", "cli.args.needs_argument"},
	} {
		if rest, ok := strings.CutPrefix(msg, m.prefix); ok {
			return saidError{msg: a.p.T(m.id, "Flag", rest), err: err}
		}
	}
	return err
}

// saidError is an error said in the person's language, wrapping the one it
// says.
type saidError struct {
	msg string
	err error
}

func (s saidError) Error() string { return s.msg }
func (s saidError) Unwrap() error { return s.err }
