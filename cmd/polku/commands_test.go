package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command has examples, and every example runs a command that exists.
func TestEveryCommandHasExamples(t *testing.T) {
	a := &app{env: &env{getenv: func(string) string { return "" }}}
	root := a.rootCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Example == "" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
		for _, line := range strings.Split(c.Example, "\n") {
			for _, part := range strings.Split(line, "&&") {
				words := strings.Fields(strings.SplitN(part, "#", 2)[0])
				if len(words) == 0 || words[0] != "polku" {
					continue
				}
				found, rest, err := root.Find(words[1:])
				if err != nil || (found.HasSubCommands() && len(rest) > 0 && !strings.HasPrefix(rest[0], "-")) {
					t.Errorf("%s: example %q: %v", c.CommandPath(), part, err)
				}
				if err := found.ParseFlags(rest); err != nil {
					t.Errorf("%s: example %q: %v", c.CommandPath(), part, err)
				}
			}
		}
		if c.Parent() == root && c.GroupID == "" {
			t.Errorf("%s is in no group of --help", c.CommandPath())
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}
