package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store"
)

// templateFilter is the --lang and --program of the templates commands.
type templateFilter struct {
	lang, program string
}

func (f *templateFilter) add(cmd *cobra.Command) {
	// --lang here picks the templates' language (and, being that, the
	// language of the command's words too)
	cmd.Flags().StringVar(&f.lang, "lang", "", "only the templates of this language: fi, sv or en")
	cmd.Flags().StringVar(&f.program, "program", "", "only the templates of this program id (\"*\": those for every program)")
}

// printer speaks the filter's language, else the person's.
func (f *templateFilter) printer(a *app) *i18n.Printer {
	if oneOfLang(f.lang) {
		return i18n.New(f.lang)
	}
	return i18n.New(a.uiLang(""))
}

func (f *templateFilter) check(tr *i18n.Printer) error {
	if f.lang != "" && !oneOfLang(f.lang) {
		return usagef("%s", tr.T("content.templates.bad_lang", "Lang", f.lang))
	}
	return nil
}

func oneOfLang(l string) bool {
	for _, x := range programs.Languages {
		if x == l {
			return true
		}
	}
	return false
}

func (f *templateFilter) keep(s programs.TemplateSet) bool {
	if f.lang != "" && s.Language != f.lang {
		return false
	}
	switch f.program {
	case "":
		return true
	case "*":
		return s.Program == ""
	}
	return s.Program == f.program
}

func (f *templateFilter) apply(sets []programs.TemplateSet) []programs.TemplateSet {
	out := []programs.TemplateSet{}
	for _, s := range sets {
		if f.keep(s) {
			out = append(out, s)
		}
	}
	return out
}

func (a *app) templatesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "templates",
		Aliases: []string{"template"},
		Short:   "List, import and export the feedback templates (per language and program)",
		Long: `Feedback templates are the openings and closings a therapist inserts into
feedback (alt+1...alt+9 in the editor), per language and, optionally, per
program, with the variables {first_name}, {module}, {exercise},
{therapist} and {score_change}. The editor offers the templates of the patient's language and
program. Without an import the built-in templates (fi, sv, en) apply.
The file format is described in docs/programs.md ("Feedback templates").`,
	}
	cmd.AddCommand(a.templatesListCmd(), a.templatesImportCmd(), a.templatesExportCmd())
	return cmd
}

// templateRow is one line of 'templates list --output json'.
type templateRow struct {
	Language string `json:"language"`
	Program  string `json:"program,omitempty"`
	Name     string `json:"name"`
	Body     string `json:"body"`
}

func (a *app) templatesListCmd() *cobra.Command {
	var f templateFilter
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the feedback templates in use",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tr := f.printer(a)
			if err := f.check(tr); err != nil {
				return err
			}
			ctx, db, o, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			sets, version, stored, err := db.TemplateSets(ctx)
			if err != nil {
				return err
			}
			sets = f.apply(sets)
			if o.json() {
				rows := []templateRow{}
				for _, s := range sets {
					for _, t := range s.Templates {
						rows = append(rows, templateRow{Language: s.Language, Program: s.Program, Name: t.Name, Body: t.Body})
					}
				}
				source := "default"
				if stored {
					source = "stored"
				}
				return writeJSON(a.env.stdout, map[string]any{"source": source, "version": version, "templates": rows})
			}
			if stored {
				fmt.Fprintln(a.env.stdout, tr.T("content.templates.source_stored", "Version", version))
			} else {
				fmt.Fprintln(a.env.stdout, tr.T("content.templates.source_default"))
			}
			if len(sets) == 0 {
				fmt.Fprintln(a.env.stdout, tr.T("content.templates.none"))
				return nil
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, tr.T("content.templates.list_header"))
			for _, s := range sets {
				prog := s.Program
				if prog == "" {
					prog = tr.T("content.templates.every_program")
				}
				for _, t := range s.Templates {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Language, prog, t.Name, firstLine(t.Body, 50))
				}
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	addOutputFlag(cmd)
	return cmd
}

// firstLine is a body's first line with text, cut to n runes.
func firstLine(body string, n int) string {
	for _, l := range strings.Split(body, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if r := []rune(l); len(r) > n {
				return string(r[:n-1]) + "…"
			}
			return l
		}
	}
	return ""
}

func (a *app) templatesImportCmd() *cobra.Command {
	var f templateFilter
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Check template files and store them (all or nothing)",
		Long: `Check feedback template files (folders are read recursively) and print
every problem as file:line:col: message (exit status 1). Each set in the
files (one language, one program or every program) replaces the stored
set of that language and program; other sets are kept. With --lang or
--program only the matching sets of the files are imported.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			tr := f.printer(a)
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			if err := f.check(tr); err != nil {
				return err
			}
			docs, probs, err := programs.LoadTemplates(paths...)
			if err != nil {
				return err
			}
			if len(probs) > 0 {
				return probs
			}
			var sets []programs.TemplateSet
			for _, d := range docs {
				if f.keep(*d.Set) {
					sets = append(sets, *d.Set)
				}
			}
			ctx := cmd.Context()
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			res, err := db.ImportTemplates(ctx, actor, sets, dryRun)
			if err != nil {
				return err
			}
			if res == nil {
				res = []store.TemplateImport{}
			}
			if o.json() {
				return writeJSON(a.env.stdout, map[string]any{"dry_run": dryRun, "results": res})
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, tr.T("content.templates.import_header"))
			for _, r := range res {
				prog := r.Program
				if prog == "" {
					prog = tr.T("content.templates.every_program")
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.Language, prog, r.Templates, importStatus(tr, r.Status, dryRun))
			}
			tw.Flush()
			if dryRun {
				fmt.Fprintln(a.env.stdout, tr.T("content.templates.dry_run"))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check and report what would change, store nothing")
	f.add(cmd)
	addOutputFlag(cmd)
	return cmd
}

func importStatus(tr *i18n.Printer, status string, dryRun bool) string {
	switch {
	case status == store.TemplatesUnchanged:
		return tr.T("content.templates.status.unchanged")
	case status == store.TemplatesNew && dryRun:
		return tr.T("content.templates.status.would_be_new")
	case status == store.TemplatesNew:
		return tr.T("content.templates.status.new")
	case dryRun:
		return tr.T("content.templates.status.would_change")
	}
	return tr.T("content.templates.status.changed")
}

func (a *app) templatesExportCmd() *cobra.Command {
	var f templateFilter
	var out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the feedback templates in use as a template file",
		Long: `Write the feedback templates in use (imported, or the built-in ones) as a
template file that 'polku templates import' reads back: edit it and import
it again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tr := f.printer(a)
			if err := f.check(tr); err != nil {
				return err
			}
			ctx, db, _, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			sets, _, _, err := db.TemplateSets(ctx)
			if err != nil {
				return err
			}
			sets = f.apply(sets)
			data, err := programs.MarshalTemplates(sets)
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err := a.env.stdout.Write(data)
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return err
			}
			fmt.Fprintln(a.env.stderr, tr.T("content.templates.exported", "Count", len(sets), "File", out))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write to this file (default: standard output)")
	f.add(cmd)
	return cmd
}
