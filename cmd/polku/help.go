package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The help of the commands in the person's language. The English texts
// are the ones in the code (Short, Long, the examples in commands.go, the
// flags' usages); the catalogs clihelp.<lang>.yaml carry them under ids
// made of the command's path, cli.help.polku.therapists.set.short, so that
// every command is translated whole. A test keeps clihelp.en.yaml equal to
// the code's English (TestHelpCatalogMatchesCode).

// helpText is one text of the help: its catalog id, its English, and where
// it goes.
type helpText struct {
	id  string
	en  string
	set func(string)
}

// completeTree adds what cobra adds only when a command runs (the help and
// completion commands, the --help and --version flags), so that their help
// is translated too.
func completeTree(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}

// helpTexts lists the translatable texts of every command of root, in a
// fixed order. The --help and --version flags are said by the usage
// messages (cli.usage.*), not per command.
func helpTexts(root *cobra.Command) []helpText {
	var out []helpText
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		key := "cli.help." + helpKey(c.CommandPath())
		if c.Short != "" {
			out = append(out, helpText{key + ".short", c.Short, func(s string) { c.Short = s }})
		}
		if c.Long != "" {
			out = append(out, helpText{key + ".long", c.Long, func(s string) { c.Long = s }})
		}
		if c.Example != "" {
			out = append(out, helpText{key + ".example", c.Example, func(s string) { c.Example = s }})
		}
		var flags []*pflag.Flag
		add := func(f *pflag.Flag) {
			if f.Name != "help" && f.Name != "version" {
				flags = append(flags, f)
			}
		}
		c.LocalNonPersistentFlags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
		for _, f := range flags {
			if f.Usage != "" {
				out = append(out, helpText{key + ".flag." + helpKey(f.Name), f.Usage, func(s string) { f.Usage = s }})
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	return out
}

// helpKey makes a command path or flag name a catalog key: words joined
// by dots, dashes as underscores.
// A word the catalog format reserves (id, other, ...) gets an underscore.
func helpKey(s string) string {
	words := strings.Fields(strings.ReplaceAll(s, "-", "_"))
	for i, w := range words {
		switch w {
		case "id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other", "translation":
			words[i] = w + "_"
		}
	}
	return strings.Join(words, ".")
}

// localizeHelp puts the help of every command into the person's language
// (English is the code's own and costs nothing).
func (a *app) localizeHelp(root *cobra.Command) {
	if a.p.Lang() == "en" {
		return
	}
	completeTree(root)
	for _, h := range helpTexts(root) {
		if a.p.Has(h.id) {
			h.set(a.T(h.id))
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = a.T("cli.usage.help_flag", "Name", c.Name())
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	if f := root.Flags().Lookup("version"); f != nil {
		f.Usage = a.T("cli.usage.version_flag", "Name", root.Name())
	}
	for _, g := range root.Groups() {
		g.Title = a.T("cli.usage.group." + g.ID)
	}
	root.SetUsageFunc(a.usage)
	root.SetVersionTemplate(a.T("cli.usage.version") + "\n")
}

// wantHelp readies the help in the person's language when a command shows
// it without having asked for it on the command line (a group of commands
// run alone): the help catalogs were not parsed.
func (a *app) wantHelp(root *cobra.Command) {
	if a.help {
		return
	}
	a.help = true
	a.p = a.printer(a.p.Lang())
	a.localizeHelp(root)
}

// usage is cobra's usage text with its headings in the person's language.
func (a *app) usage(c *cobra.Command) error {
	w := c.OutOrStderr()
	var b strings.Builder
	b.WriteString(a.T("cli.usage.usage"))
	if c.Runnable() {
		fmt.Fprintf(&b, "\n  %s", strings.Replace(c.UseLine(), "[flags]", "["+a.T("cli.usage.flags_word")+"]", 1))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(&b, "\n  %s [%s]", c.CommandPath(), a.T("cli.usage.command_word"))
	}
	if len(c.Aliases) > 0 {
		fmt.Fprintf(&b, "\n\n%s\n  %s", a.T("cli.usage.aliases"), c.NameAndAliases())
	}
	if c.HasExample() {
		fmt.Fprintf(&b, "\n\n%s\n%s", a.T("cli.usage.examples"), c.Example)
	}
	line := func(s *cobra.Command) {
		fmt.Fprintf(&b, "\n  %-*s %s", s.NamePadding(), s.Name(), s.Short)
	}
	shown := func(s *cobra.Command) bool { return s.IsAvailableCommand() || s.Name() == "help" }
	if c.HasAvailableSubCommands() {
		if len(c.Groups()) == 0 {
			b.WriteString("\n\n" + a.T("cli.usage.commands"))
			for _, s := range c.Commands() {
				if shown(s) {
					line(s)
				}
			}
		} else {
			for _, g := range c.Groups() {
				b.WriteString("\n\n" + g.Title)
				for _, s := range c.Commands() {
					if s.GroupID == g.ID && shown(s) {
						line(s)
					}
				}
			}
			if !c.AllChildCommandsHaveGroup() {
				b.WriteString("\n\n" + a.T("cli.usage.more_commands"))
				for _, s := range c.Commands() {
					if s.GroupID == "" && shown(s) {
						line(s)
					}
				}
			}
		}
	}
	if c.HasAvailableLocalFlags() {
		fmt.Fprintf(&b, "\n\n%s\n%s", a.T("cli.usage.flags"), a.flagUsages(c.LocalFlags()))
	}
	if c.HasAvailableInheritedFlags() {
		fmt.Fprintf(&b, "\n\n%s\n%s", a.T("cli.usage.global_flags"), a.flagUsages(c.InheritedFlags()))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + a.T("cli.usage.more", "Path", c.CommandPath()))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// flagUsages is pflag's flag list with its "(default ...)" in the
// person's language.
func (a *app) flagUsages(fs *pflag.FlagSet) string {
	s := strings.TrimRight(fs.FlagUsages(), " \t\n")
	return strings.ReplaceAll(s, " (default ", " ("+a.T("cli.usage.default")+" ")
}
