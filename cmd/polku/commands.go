package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"polku/store"
)

// The groups of 'polku --help'.
var commandGroups = []*cobra.Group{
	{ID: "daily", Title: "Daily work:"},
	{ID: "data", Title: "Data:"},
	{ID: "server", Title: "Server:"},
	{ID: "admin", Title: "Admin:"},
}

var groupOf = map[string]string{
	"triage": "daily", "team": "daily", "patients": "daily",
	"import": "data", "export": "data", "programs": "data", "demo": "data",
	"serve": "server", "login": "server", "logout": "server", "sync": "server", "simulate": "server",
	"init": "admin", "therapists": "admin", "settings": "admin", "audit": "admin", "tokens": "admin",
}

// examples of every command, by command path. They are kept here, in one
// place, so that a test can check that none is missing and that every
// example names a command that exists.
var examples = map[string]string{
	"polku": `  polku demo                      # try it on synthetic patients
  polku --as anna                 # open the workbench as therapist anna
  polku login --server https://polku.example.org && polku`,
	"polku triage": `  polku triage --as anna
  polku triage --as super --therapist anna --output json`,
	"polku team":     `  polku team --as super`,
	"polku patients": `  polku patients list --as anna`,
	"polku patients list": `  polku patients list --as anna --status active
  polku patients list --query SYN-0001 --output json`,
	"polku patients show": `  polku patients show SYN-00001 --as anna
  polku patients show SYN-00001 --as anna --output json`,
	"polku import": `  polku init && polku import backup.jsonl     # restore an export
  polku import --dry-run records.jsonl
  cat records.jsonl | polku import -`,
	"polku export": `  polku export --out backup.jsonl
  polku export --patient SYN-00001 --as anna > one.jsonl`,
	"polku programs":          `  polku programs list`,
	"polku programs validate": `  polku programs validate programs/`,
	"polku programs import": `  polku programs import --dry-run programs/
  polku programs import programs/ --builtin`,
	"polku programs list": `  polku programs list --all --output json`,
	"polku programs show": `  polku programs show depression
  polku programs show phq9@1`,
	"polku programs export": `  polku programs export depression > depression.yaml`,
	"polku demo": `  polku demo
  polku demo --patients 20000 --no-tui
  polku demo --reset --seed 7`,
	"polku serve": `  polku serve --db /srv/polku/polku.db
  polku serve --db polku.db --addr :7420 --tls-cert cert.pem --tls-key key.pem`,
	"polku login": `  polku tokens create --therapist anna --db /srv/polku/polku.db   # on the server
  polku login --server https://polku.example.org                 # then paste the token`,
	"polku logout":       `  polku logout`,
	"polku sync":         `  polku sync`,
	"polku sync status":  `  polku sync status --output json`,
	"polku sync retry":   `  polku sync retry 3f9a1c2e`,
	"polku sync discard": `  polku sync discard 3f9a1c2e`,
	"polku simulate": `  polku simulate --db demo.db --every 2s
  polku simulate --server http://127.0.0.1:7420 --token ADMIN-TOKEN --count 20`,
	"polku init": `  polku init --db /srv/polku/polku.db
  polku init --no-builtin`,
	"polku therapists":      `  polku therapists list`,
	"polku therapists add":  `  polku therapists add anna --name "Anna Virtanen" --team south --languages fi,sv`,
	"polku therapists list": `  polku therapists list --output json`,
	"polku settings":        `  polku settings list`,
	"polku settings list":   `  polku settings list --output json`,
	"polku settings set": `  polku settings set feedback_days 3
  polku settings set timezone '"Europe/Helsinki"'`,
	"polku audit":         `  polku audit SYN-00001`,
	"polku tokens":        `  polku tokens list`,
	"polku tokens create": `  polku tokens create --therapist anna --db /srv/polku/polku.db`,
	"polku tokens list":   `  polku tokens list --output json`,
	"polku tokens revoke": `  polku tokens revoke --therapist anna`,
}

// finishCommands adds what every command has: its group in --help, its
// examples, completion of handles and patients, and "did you mean" for a
// mistyped subcommand.
func (a *app) finishCommands(root *cobra.Command) {
	root.AddGroup(commandGroups...)
	root.Args = unknownSubcommand
	root.Version = versionString()
	root.SetVersionTemplate("polku version {{.Version}}\n")
	root.RegisterFlagCompletionFunc("as", a.completeHandles)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Parent() == root {
			c.GroupID = groupOf[c.Name()]
		}
		if c.Example == "" {
			c.Example = examples[c.CommandPath()]
		}
		if c.HasSubCommands() && !c.Runnable() {
			// A group of commands: with a mistyped subcommand, say so (exit 2)
			// instead of printing the help and succeeding.
			c.Args = unknownSubcommand
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
		c.SuggestionsMinimumDistance = 2
		explainArgs(c)
		if c.Flags().Lookup("therapist") != nil { // always a handle
			c.RegisterFlagCompletionFunc("therapist", a.completeHandles)
		}
		if c.Flags().Lookup("patient") != nil {
			c.RegisterFlagCompletionFunc("patient", a.completePatients)
		}
		switch c.CommandPath() {
		case "polku patients show", "polku audit":
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return a.completePatients(cmd, args, toComplete)
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}

// unknownSubcommand refuses arguments to a command that only has
// subcommands, with cobra's suggestions for a mistyped one.
func unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return usageError{fmt.Errorf("%s", msg)}
}

// versionString is the version with the commit and build date from the
// build information (go build records them from git).
func versionString() string {
	v, commit, date, dirty := version, "unknown", "unknown", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			case "vcs.time":
				date = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if dirty {
		commit += "+changes"
	}
	return fmt.Sprintf("%s (commit %s, built %s)", v, commit, date)
}

// completionStore opens the store a command would read, read-only, for
// shell completion; nil when there is none.
func (a *app) completionStore(ctx context.Context) *store.DB {
	path := a.storePath()
	if a.dbPath == "" && a.env.getenv("POLKU_DB") == "" {
		if l, ok, err := a.serverLogin(false); ok && err == nil {
			path = l.Replica
		}
	}
	db, err := store.Open(ctx, path, store.Options{ReadOnly: true, Clock: a.env.now})
	if err != nil {
		return nil
	}
	return db
}

// completeHandles offers the therapist handles of the store.
func (a *app) completeHandles(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	db := a.completionStore(cmd.Context())
	if db == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer db.Close()
	ths, _ := db.Therapists(cmd.Context())
	var out []string
	for _, t := range ths {
		if strings.HasPrefix(t.Handle, toComplete) {
			out = append(out, t.Handle+"\t"+string(t.Role))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completePatients offers the pseudonyms of the patients the reader (--as,
// or the store's owner) may see; no names.
func (a *app) completePatients(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	ctx := cmd.Context()
	db := a.completionStore(ctx)
	if db == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer db.Close()
	actor, err := a.actor(ctx, db)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	list, _ := db.Patients(ctx, actor, store.PatientFilter{})
	var out []string
	for _, p := range list {
		if strings.HasPrefix(p.Pseudonym, toComplete) {
			out = append(out, p.Pseudonym)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
