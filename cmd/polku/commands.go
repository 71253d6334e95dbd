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
	{ID: "groups", Title: "Groups:"},
	{ID: "data", Title: "Data:"},
	{ID: "server", Title: "Server:"},
	{ID: "admin", Title: "Admin:"},
}

var groupOf = map[string]string{
	"triage": "daily", "team": "daily", "patients": "daily", "enrollments": "daily", "referrals": "daily", "cohorts": "groups", "groups": "groups",
	"import": "data", "export": "data", "programs": "data", "templates": "data", "demo": "data", "report": "data",
	"serve": "server", "backup": "server", "restore": "server", "login": "server", "logout": "server", "sync": "server", "simulate": "server",
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
	"polku patients summary": `  polku patients summary SYN-00001 --as anna
  polku patients summary SYN-00001 --as anna --format json`,
	"polku enrollments": `  polku enrollments show SYN-00001 --as anna`,
	"polku enrollments show": `  polku enrollments show SYN-00001 --as anna --output json
  polku enrollments show SYN-00001 --as anna --finished`,
	"polku enrollments extend":      `  polku enrollments extend SYN-00001 --as anna --weeks 2 --reason "two weeks in hospital"`,
	"polku enrollments pause":       `  polku enrollments pause SYN-00001 --as anna --reason "surgery, back in March"`,
	"polku enrollments resume":      `  polku enrollments resume SYN-00001 --as anna`,
	"polku enrollments complete":    `  polku enrollments complete SYN-00001 --as anna --if-version 7`,
	"polku enrollments discontinue": `  polku enrollments discontinue SYN-00001 --as anna --code moved_to_other_care --reason "to the psychiatric outpatient clinic"`,
	"polku enrollments transfer":    `  polku enrollments transfer SYN-00001 --as super --to bert --reason "anna on leave"`,
	"polku enrollments sign-summary": `  polku enrollments sign-summary SYN-00001 --as anna             # edit in $EDITOR, then sign
  polku enrollments sign-summary SYN-00001 --as anna --file summary.md`,
	"polku patients go-ahead": `  polku patients go-ahead SYN-00001 --id sleep-restriction --decision yes --comment 'no contraindications'
  polku patients go-ahead SYN-00001 --decision no --comment 'untreated sleep apnoea: sleep clinic first'`,
	"polku import": `  polku init && polku import backup.jsonl     # restore an export
  polku import --dry-run records.jsonl
  cat records.jsonl | polku import -`,
	"polku export": `  polku export --out backup.jsonl
  polku export --patient SYN-00001 --as anna > one.jsonl
  polku export --format fhir --patient SYN-00001 --out one.fhir.json
  polku export --format fhir-ndjson --out fhir/ --include-text`,
	"polku programs":          `  polku programs list`,
	"polku programs validate": `  polku programs validate programs/`,
	"polku programs import": `  polku programs import --dry-run programs/
  polku programs import programs/ --builtin`,
	"polku programs list": `  polku programs list --all --output json`,
	"polku programs show": `  polku programs show depression
  polku programs show phq9@1`,
	"polku programs export": `  polku programs export depression > depression.yaml`,
	"polku templates":       `  polku templates list --lang fi`,
	"polku templates list": `  polku templates list --lang sv --program insomnia
  polku templates list --output json`,
	"polku templates import": `  polku templates import --dry-run templates.yaml
  polku templates import templates/ --lang fi --output json`,
	"polku templates export": `  polku templates export > templates.yaml
  polku templates export --lang fi --program "*" --out fi.yaml`,
	"polku demo": `  polku demo
  polku demo --patients 20000 --no-tui
  polku demo --reset --seed 7`,
	"polku serve": `  polku serve --db /srv/polku/polku.db
  polku serve --db polku.db --addr :7420 --tls-cert cert.pem --tls-key key.pem`,
	"polku backup": `  polku backup --db /srv/polku/polku.db --out /backup/polku-$(date +%F).db
  polku backup --db polku.db --out copy.db --output json`,
	"polku restore": `  systemctl stop polku && polku restore /backup/polku-2026-11-30.db --db /srv/polku/polku.db && systemctl start polku
  polku restore restored.db --db polku.db --output json`,
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
	"polku therapists": `  polku therapists list`,
	"polku therapists add": `  polku therapists add anna --name "Anna Virtanen" --team south --languages fi,sv
  polku therapists add bert --name "Bert Holm" --languages sv --ui-lang sv`,
	"polku therapists list": `  polku therapists list --output json`,
	"polku therapists set": `  polku therapists set ilse --intake=true
  polku therapists set anna --ui-lang fi
  polku therapists set anna --ui-lang ''          # no setting: --lang, then LC_ALL/LC_MESSAGES/LANG`,
	"polku therapists show": `  polku therapists show anna
  polku therapists show anna --output json`,
	"polku referrals": `  polku referrals list --as sara`,
	"polku referrals add": `  polku referrals add --file referral.json --dry-run
  polku referrals add --source EHR-1 --pseudonym P-1 --name "Aino K" --birth-date 1990-04-01 \
    --region pirkanmaa --referrer "Dr. Lehto" --organisation "Tampere health centre" \
    --reason "Worry for a year" --code F41.1 --screening gad7=14@2026-11-20`,
	"polku referrals list":    `  polku referrals list --as sara --output json`,
	"polku referrals show":    `  polku referrals show EHR-1 --as sara`,
	"polku referrals assess":  `  polku referrals assess EHR-1 --as ilse --method phone --criterion motivation=yes --criterion psychosis=no`,
	"polku referrals accept":  `  polku referrals accept EHR-1 --as ilse --program gad --therapist anna --dry-run`,
	"polku referrals decline": `  polku referrals decline EHR-2 --as ilse --code urgent-care --text "Acute symptoms" --service emergency`,
	"polku referrals wait":    `  polku referrals wait EHR-3 --as ilse --reason "nobody with capacity speaks sv"`,
	"polku settings":          `  polku settings list`,
	"polku settings list":     `  polku settings list --output json`,
	"polku settings set": `  polku settings set feedback_days 3
  polku settings set timezone '"Europe/Helsinki"'`,
	"polku audit": `  polku audit SYN-00001`,
	"polku report": `  polku report --as super                              # last month, your team
  polku report --from 2026-01-01 --to 2026-06-30 -o json
  polku report --program depression -o html --out report.html`,
	"polku tokens":         `  polku tokens list`,
	"polku tokens create":  `  polku tokens create --therapist anna --db /srv/polku/polku.db`,
	"polku tokens list":    `  polku tokens list --output json`,
	"polku tokens revoke":  `  polku tokens revoke --therapist anna`,
	"polku cohorts":        `  polku cohorts list --as anna`,
	"polku cohorts create": `  polku cohorts create "Spring 2027" --program depression --start 2027-03-01 --therapists anna,bert --capacity 10 --as anna`,
	"polku cohorts list":   `  polku cohorts list --output json`,
	"polku cohorts show":   `  polku cohorts show "Spring 2027" --as anna`,
	"polku cohorts add": `  polku cohorts add "Spring 2027" SYN-00001 SYN-00002 --dry-run --as anna
  polku cohorts add "Spring 2027" SYN-00003 --therapist bert --as anna`,
	"polku cohorts advance": `  polku cohorts advance "Spring 2027" --as anna`,
	"polku cohorts remove":  `  polku cohorts remove "Spring 2027" SYN-00003 --as anna`,
	"polku cohorts message": `  polku cohorts message "Spring 2027" --body "Week 2 is open: worry time." --as anna`,
	"polku groups":          `  polku groups list --as anna`,
	"polku groups create": `  polku groups create "Spring peers" --cohort "Spring 2027" --as anna
  polku groups create "Sleep talk" --topic sleep --as anna`,
	"polku groups list": `  polku groups list --output json`,
	"polku groups show": `  polku groups show "Spring peers" --as anna --all`,
	"polku groups code": `  polku groups code "Spring peers" --as anna`,
	"polku groups moderate": `  polku groups moderate 0193... --approve --as anna
  polku groups moderate 0193... --reject "Please leave out other members' names" --as anna`,
}

// finishCommands adds what every command has: its group in --help, its
// examples, completion of handles and patients, and "did you mean" for a
// mistyped subcommand.
func (a *app) finishCommands(root *cobra.Command) {
	root.AddGroup(commandGroups...)
	root.Args = a.unknownSubcommand
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
			c.Args = a.unknownSubcommand
			c.RunE = func(cmd *cobra.Command, _ []string) error {
				a.wantHelp(cmd.Root()) // a group of commands alone shows its help
				return cmd.Help()
			}
		}
		c.SuggestionsMinimumDistance = 2
		a.explainArgs(c)
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
func (a *app) unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := a.T("cli.args.unknown_command", "Name", fmt.Sprintf("%q", args[0]), "Path", fmt.Sprintf("%q", cmd.CommandPath()))
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\n" + a.T("cli.args.did_you_mean") + "\n\t" + strings.Join(s, "\n\t")
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
