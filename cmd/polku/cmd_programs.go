package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"polku/programs"
	"polku/programs/builtin"
	"polku/store"
)

func (a *app) initCmd() *cobra.Command {
	var noBuiltin bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create or migrate a store, with the built-in programs",
		Long: `Create the store file (or migrate an existing one to this version's schema)
and import the built-in programs and instruments (PHQ-9, GAD-7, four
programs). Running it again is safe.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			path := a.storePath()
			_, statErr := os.Stat(path)
			db, err := a.open(ctx, true)
			if err != nil {
				return err
			}
			defer db.Close()
			if errors.Is(statErr, os.ErrNotExist) {
				fmt.Fprintln(a.env.stdout, a.T("cli.programs.store_created", "Path", path, "Schema", store.SchemaVersion()))
			} else {
				fmt.Fprintln(a.env.stdout, a.T("cli.programs.store_at", "Path", path, "Schema", store.SchemaVersion()))
			}
			if noBuiltin {
				return nil
			}
			res, err := importBuiltin(ctx, db)
			if err != nil {
				return err
			}
			// a translation is stored with its original: count each once
			changed, all := 0, map[string]bool{}
			for _, r := range res {
				k := r.Kind + ":" + r.ID
				if !all[k] && r.Status != store.ImportUnchanged {
					changed++
				}
				all[k] = true
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.programs.builtin", "Changed", changed, "Unchanged", len(all)-changed))
			return nil
		},
	}
	cmd.Flags().BoolVar(&noBuiltin, "no-builtin", false, "do not import the built-in programs")
	return cmd
}

func importBuiltin(ctx context.Context, db *store.DB) ([]store.ProgramImport, error) {
	b, err := builtin.Load()
	if err != nil {
		return nil, err
	}
	return db.ImportPrograms(ctx, store.System("init"), b, false)
}

func (a *app) programsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "programs",
		Aliases: []string{"program"},
		Short:   "Validate, import, list, show and export programs and instruments",
	}
	cmd.AddCommand(a.programsValidateCmd(), a.programsImportCmd(), a.programsListCmd(), a.programsShowCmd(), a.programsExportCmd())
	return cmd
}

// lookup finds what files refer to outside themselves (instruments, and
// the originals of translations) in the store when one exists, so that a
// program may refer to instruments imported earlier and a translation may
// come on its own, and in the built-in content (what 'polku init'
// stores) when none does.
func (a *app) lookup(ctx context.Context) (programs.Lookup, func()) {
	if _, err := os.Stat(a.storePath()); err != nil {
		return builtinLookup(), func() {}
	}
	db, err := a.open(ctx, false)
	if err != nil {
		return builtinLookup(), func() {}
	}
	a.speakAs(ctx, db) // the problems in the language of the therapist named by --as
	return db.Lookup(ctx), func() { db.Close() }
}

func builtinLookup() programs.Lookup {
	b, err := builtin.Load()
	if err != nil {
		return programs.Lookup{}
	}
	ids := map[string]*programs.Instrument{}
	for _, in := range b.Instruments() {
		ids[in.ID] = in
	}
	progs := map[string]*programs.Program{}
	for _, p := range b.Programs() {
		progs[p.ID] = p
	}
	return programs.Lookup{
		Instrument: func(id string) bool { return ids[id] != nil },
		Program: func(id string, version int) *programs.Program {
			if p := progs[id]; p != nil && p.Version == version {
				return p
			}
			return nil
		},
		InstrumentVersion: func(id string, version int) *programs.Instrument {
			if in := ids[id]; in != nil && in.Version == version {
				return in
			}
			return nil
		},
		Where: "the built-in content",
	}
}

// checkPrograms is the one check behind 'programs validate' and 'programs
// import': the problems of loading the files and of validating what loaded,
// sorted, so that both commands report the same problems for the same files.
func checkPrograms(b *programs.Bundle, loaded programs.Problems, l programs.Lookup) programs.Problems {
	return append(loaded, programs.ValidateIn(b, l)...).Sort()
}

// problemsOutput is the problems of program, instrument or template
// files in JSON output (--output json): as a failed request's error body
// has it, a code and a sentence, and each problem with its place, its code
// (the message id) and arguments, and its sentence in the language asked.
type problemsOutput struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Problems []programs.ProblemJSON `json:"problems"`
}

func (a *app) problemsJSON(probs programs.Problems) problemsOutput {
	var out problemsOutput
	out.Error.Code = "problems"
	out.Error.Message = a.T("cli.run.problems", "Count", len(probs))
	out.Problems = probs.JSON(a.p)
	return out
}

func (a *app) programsValidateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check program and instrument files and print every problem as file:line:col",
		Long: `Check YAML program and instrument files (folders are read recursively) and
print every problem as file:line:col: message. Instrument references may
point at instruments in the same files or already in the store.
Exit status 1 when there are problems.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			b, probs, err := programs.Load(paths...)
			if err != nil {
				return err
			}
			l, done := a.lookup(cmd.Context())
			defer done()
			if probs := checkPrograms(b, probs, l); len(probs) > 0 {
				return probs
			}
			if o.json() {
				return writeJSON(a.env.stdout, map[string]int{"programs": len(b.Programs()), "instruments": len(b.Instruments()),
					"services": len(b.Services()), "translations": b.Translations()})
			}
			msg := a.T("cli.programs.ok", "Programs", a.T("cli.programs.n_programs", "Count", len(b.Programs())),
				"Instruments", a.T("cli.programs.n_instruments", "Count", len(b.Instruments())))
			if n := len(b.Services()); n > 0 {
				msg += ", " + a.T("cli.programs.n_services", "Count", n)
			}
			if n := b.Translations(); n > 0 {
				msg += ", " + a.T("cli.programs.n_translations", "Count", n)
			}
			fmt.Fprintln(a.env.stdout, msg)
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) programsImportCmd() *cobra.Command {
	var dryRun, withBuiltin bool
	cmd := &cobra.Command{
		Use:   "import [PATH...]",
		Short: "Validate and store programs and instruments (all or nothing)",
		Long: `Validate program and instrument files and store every new or changed one in
one transaction: if any file has a problem, nothing is stored. Identical
content is reported "unchanged"; changed content becomes a new version.
Running enrollments keep the version they started on.`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			if len(paths) == 0 && !withBuiltin {
				return usagef("%s", a.T("cli.programs.give_files"))
			}
			ctx := cmd.Context()
			b := &programs.Bundle{}
			if withBuiltin {
				bb, err := builtin.Load()
				if err != nil {
					return err
				}
				b.Docs = append(b.Docs, bb.Docs...)
			}
			var loaded programs.Problems
			if len(paths) > 0 {
				fb, probs, err := programs.Load(paths...)
				if err != nil {
					return err
				}
				loaded = probs
				b.Docs = append(b.Docs, fb.Docs...)
			}
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			a.speakAs(ctx, db) // the problems in the language of the therapist named by --as
			if probs := checkPrograms(b, loaded, db.Lookup(ctx)); len(probs) > 0 {
				return probs
			}
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			res, err := db.ImportPrograms(ctx, actor, b, dryRun)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, map[string]any{"dry_run": dryRun, "results": res})
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.programs.import_columns"))
			for _, r := range res {
				status := a.importStatus(r.Status)
				if dryRun && r.Status != store.ImportUnchanged {
					status = a.T("cli.programs.would_be", "Status", status)
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s:%d\t%s\n", a.kindName(r.Kind), r.ID, r.Version, status, r.File, r.Line, r.Language)
			}
			tw.Flush()
			for _, r := range res {
				if r.Warning != "" {
					fmt.Fprintf(a.env.stderr, "%s: %s:%d: %s %s: %s\n", a.T("cli.programs.warning"), r.File, r.Line, a.kindName(r.Kind), r.ID, r.Warning)
				}
			}
			if dryRun {
				fmt.Fprintln(a.env.stdout, a.T("cli.programs.dry_run"))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate and report what would change, store nothing")
	cmd.Flags().BoolVar(&withBuiltin, "builtin", false, "also import the built-in programs and instruments")
	addOutputFlag(cmd)
	return cmd
}

// outputOf reads a command's --output flag (added with addOutputFlag).
func outputOf(cmd *cobra.Command) *output {
	f, _ := cmd.Flags().GetString("output")
	return &output{format: f}
}

// programRow is one line of 'programs list --output json'.
type programRow struct {
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	Version  int    `json:"version"`
	Title    string `json:"title"`
	Language string `json:"language,omitempty"`
	// Languages are every language the version is written in, its own
	// first (translations: docs/programs.md).
	Languages  []string `json:"languages,omitempty"`
	Weeks      int      `json:"weeks,omitempty"`
	Modules    int      `json:"modules,omitempty"`
	Items      int      `json:"items,omitempty"`
	Validated  *bool    `json:"validated,omitempty"`
	ImportedAt string   `json:"imported_at"`
	Latest     bool     `json:"latest"`
}

func (a *app) programsListCmd() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List stored programs and instruments",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, o, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			pvs, err := db.ProgramVersions(ctx)
			if err != nil {
				return err
			}
			ivs, err := db.Instruments(ctx)
			if err != nil {
				return err
			}
			rows := []programRow{}
			for i, pv := range pvs {
				latest := i == len(pvs)-1 || pvs[i+1].ProgramID != pv.ProgramID
				if !all && !latest {
					continue
				}
				def, err := db.ProgramDef(ctx, pv.ID)
				if err != nil {
					return err
				}
				rows = append(rows, programRow{Kind: "program", ID: pv.ProgramID, Version: pv.Version, Title: pv.Title, Language: pv.Language, Languages: def.LanguagesOf(),
					Weeks: def.Weeks, Modules: len(def.Modules), ImportedAt: pv.ImportedAt.Format("2006-01-02T15:04:05Z"), Latest: latest})
			}
			for i, iv := range ivs {
				latest := i == len(ivs)-1 || ivs[i+1].InstrumentID != iv.InstrumentID
				if !all && !latest {
					continue
				}
				def, err := db.InstrumentDef(ctx, iv.InstrumentID, iv.Version)
				if err != nil {
					return err
				}
				rows = append(rows, programRow{Kind: "instrument", ID: iv.InstrumentID, Version: iv.Version, Title: iv.Title, Language: def.Language, Languages: def.LanguagesOf(),
					Items: len(def.Items), Validated: def.Validated, ImportedAt: iv.ImportedAt.Format("2006-01-02T15:04:05Z"), Latest: latest})
			}
			if o.json() {
				return writeJSON(a.env.stdout, rows)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.programs.list_columns"))
			for _, r := range rows {
				size := a.T("cli.programs.size", "Weeks", a.T("cli.programs.n_weeks", "Count", r.Weeks), "Modules", a.T("cli.programs.n_modules", "Count", r.Modules))
				title := r.Title
				if r.Kind == "instrument" {
					size = a.T("cli.programs.n_items", "Count", r.Items)
					if r.Validated != nil && !*r.Validated {
						title += " [" + a.T("cli.programs.not_validated") + "]"
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", a.kindName(r.Kind), r.ID, r.Version, strings.Join(r.Languages, ","), size, title)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list every stored version, not only the newest")
	addOutputFlag(cmd)
	return cmd
}

// lookupDef finds a stored program or instrument by id ("ID" or "ID@N").
func (a *app) lookupDef(ctx context.Context, db *store.DB, ref string, version int) (prog *programs.Program, instr *programs.Instrument, err error) {
	id, v, ok := strings.Cut(ref, "@")
	if ok {
		n, convErr := strconv.Atoi(v)
		if convErr != nil {
			return nil, nil, usagef("%s", a.T("cli.programs.bad_version", "Ref", fmt.Sprintf("%q", ref)))
		}
		version = n
	}
	if pv, err := db.ProgramVersion(ctx, id, version); err == nil {
		p, err := db.ProgramDef(ctx, pv.ID)
		return p, nil, err
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	in, err := db.InstrumentDef(ctx, id, version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, errors.New(a.T("cli.programs.no_such", "Ref", fmt.Sprintf("%q", ref)))
	}
	return nil, in, err
}

func (a *app) programsShowCmd() *cobra.Command {
	var version int
	cmd := &cobra.Command{
		Use:   "show ID[@VERSION]",
		Short: "Show a stored program's modules, exercises and schedule, or an instrument",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, o, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			p, in, err := a.lookupDef(ctx, db, args[0], version)
			if err != nil {
				return err
			}
			if o.json() {
				if p != nil {
					return writeJSON(a.env.stdout, p)
				}
				return writeJSON(a.env.stdout, in)
			}
			w := a.env.stdout
			if p != nil {
				fmt.Fprintln(w, a.T("cli.programs.title", "Title", p.Title, "ID", p.ID, "Version", p.Version))
				fmt.Fprintln(w, a.T("cli.programs.about", "Lang", langNameIn(a.p, p.Language), "Weeks", a.T("cli.programs.n_weeks", "Count", p.Weeks), "Ages", fmt.Sprintf("%d%s", p.MinAge, ageMax(p.MaxAge)))+"\n")
				for i, m := range p.Modules {
					fmt.Fprintln(w, a.T("cli.programs.module", "Week", fmt.Sprintf("%-2d", p.ModuleWeek(i)), "Title", m.Title, "ID", m.ID))
					for _, ex := range m.Exercises {
						extra := ""
						if ex.Instrument != "" {
							extra = " -> " + ex.Instrument
						} else if len(ex.Fields) > 0 {
							extra = ", " + a.T("cli.programs.n_fields", "Count", len(ex.Fields))
						}
						fmt.Fprintf(w, "          - %s [%s%s] (%s)\n", ex.Title, ex.Kind, extra, ex.ID)
					}
				}
				if len(p.Schedule) > 0 {
					fmt.Fprintln(w, "\n"+a.T("cli.programs.measures"))
					for _, s := range p.Schedule {
						weeks := make([]string, len(s.Weeks))
						for i, x := range s.Weeks {
							weeks[i] = strconv.Itoa(x)
						}
						fmt.Fprintln(w, a.T("cli.programs.measure_weeks", "Instrument", fmt.Sprintf("%-14s", s.Instrument), "Weeks", strings.Join(weeks, ", ")))
					}
				}
				return nil
			}
			lo, hi, _ := in.Range()
			fmt.Fprintln(w, a.T("cli.programs.title", "Title", in.Title, "ID", in.ID, "Version", in.Version))
			validated := a.T("cli.programs.validated")
			if in.Validated != nil && !*in.Validated {
				validated = a.T("cli.programs.not_validated_caps")
			}
			fmt.Fprintln(w, a.T("cli.programs.instrument_about", "Items", a.T("cli.programs.n_items", "Count", len(in.Items)), "Low", lo, "High", hi, "Validated", validated))
			fmt.Fprintln(w, a.T("cli.programs.bands"))
			for _, b := range in.Bands {
				fmt.Fprintf(w, "  %2d-%-2d  %s\n", b.Min, b.Max, b.Label)
			}
			if in.Caseness != nil {
				fmt.Fprintln(w, a.T("cli.programs.caseness", "Score", *in.Caseness))
			}
			if pts, ok := in.ReliableChangePoints(); ok {
				fmt.Fprintln(w, a.T("cli.programs.reliable_change", "Count", pts))
			}
			for _, c := range in.Critical {
				fmt.Fprintln(w, a.T("cli.programs.critical", "Item", c.Item, "Amber", c.Amber, "Red", c.Red, "Label", c.Label))
			}
			fmt.Fprintln(w, a.T("cli.programs.licence", "Licence", strings.TrimSpace(in.Licence)))
			return nil
		},
	}
	cmd.Flags().IntVar(&version, "version", 0, "show this version (default: the newest)")
	addOutputFlag(cmd)
	return cmd
}

func ageMax(n int) string {
	if n == 0 {
		return "+"
	}
	return fmt.Sprintf("-%d", n)
}

func (a *app) programsExportCmd() *cobra.Command {
	var version int
	cmd := &cobra.Command{
		Use:   "export ID[@VERSION]",
		Short: "Write a stored program or instrument as a YAML file that imports again",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, _, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			p, in, err := a.lookupDef(ctx, db, args[0], version)
			if err != nil {
				return err
			}
			// the original, then each translation as a document of its own
			// (docs/programs.md, "Translations"), in the order of Languages
			var docs []any
			if p != nil {
				cp := *p
				cp.Kind = "program"
				docs = append(docs, cp)
				for _, l := range p.LanguagesOf()[1:] {
					t := *p.Translations[l]
					t.Kind, t.Version, t.TranslationOf = "program", p.Version, p.Language
					docs = append(docs, t)
				}
			} else {
				cp := *in
				cp.Kind = "instrument"
				docs = append(docs, cp)
				for _, l := range in.LanguagesOf()[1:] {
					t := *in.Translations[l]
					t.Kind, t.Version, t.TranslationOf = "instrument", in.Version, in.Language
					docs = append(docs, t)
				}
			}
			enc := yaml.NewEncoder(a.env.stdout)
			enc.SetIndent(2)
			for _, doc := range docs {
				if err := enc.Encode(doc); err != nil {
					return err
				}
			}
			return enc.Close()
		},
	}
	cmd.Flags().IntVar(&version, "version", 0, "export this version (default: the newest)")
	return cmd
}

// importStatus is an import's status (store.Import*) in the reader's
// language.
func (a *app) importStatus(s string) string {
	switch s {
	case store.ImportNew:
		return a.T("cli.programs.status.new")
	case store.ImportNewVersion:
		return a.T("cli.programs.status.new_version")
	case store.ImportUnchanged:
		return a.T("cli.programs.status.unchanged")
	}
	return s
}

// kindName is "program" or "instrument" in the reader's language.
func (a *app) kindName(k string) string {
	switch k {
	case "program":
		return a.T("cli.programs.kind.program")
	case "instrument":
		return a.T("cli.programs.kind.instrument")
	case "service":
		return a.T("cli.programs.kind.service")
	}
	return k
}
