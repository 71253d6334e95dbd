package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"polku/store"
	"polku/store/api"
	"polku/store/client"
	"polku/store/fhir"
)

func (a *app) importCmd() *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import records from a JSON Lines file (all or nothing)",
		Long: `Read records in the JSON Lines interchange format (see docs/interchange.md;
'-' reads standard input). Every line is checked; if any is bad, nothing is
written and each error names its line and field. Records already stored
with identical content are skipped.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			var r io.Reader = a.env.stdin
			name, size := "standard input", -1
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				r, name = f, args[0]
				if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
					size = int(fi.Size())
				}
			}
			report, done := a.progress("import", "", true)
			defer done()
			r = &countingReader{r: r, total: size, report: report}
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			sum, err := db.Import(ctx, actor, r, dryRun)
			done()
			if err != nil {
				var ie store.ImportErrors
				if errors.As(err, &ie) {
					for _, e := range ie.Lines {
						fmt.Fprintf(a.env.stderr, "%s:%d: %s\n", name, e.Line, a.explain(e.Err))
					}
					if more := ie.Total - ie.Dependent - len(ie.Lines); more > 0 {
						fmt.Fprintf(a.env.stderr, "%s: %s\n", name, a.T("cli.data.more_bad", "Count", more))
					}
					if d := ie.DependentLine(); d != "" {
						if a.p.Lang() != "en" {
							d = a.T("cli.data.dependent", "Count", ie.Dependent, "N", a.p.Int(ie.Dependent))
						}
						fmt.Fprintf(a.env.stderr, "%s: %s\n", name, d)
					}
					return errors.New(a.T("cli.data.nothing_imported", "Count", ie.Total))
				}
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, sum)
			}
			var parts []string
			types := make([]string, 0, len(sum.Added))
			for t := range sum.Added {
				types = append(types, t)
			}
			sort.Strings(types)
			for _, t := range types {
				parts = append(parts, fmt.Sprintf("%s %d", t, sum.Added[t]))
			}
			added := strings.Join(parts, ", ")
			if added == "" {
				added = a.T("cli.data.nothing_new")
			}
			id := "cli.data.imported"
			if dryRun {
				id = "cli.data.would_import"
			}
			fmt.Fprintln(a.env.stdout, a.T(id, "Added", added, "Count", sum.Lines, "Unchanged", sum.Unchanged))
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check every line and report, write nothing")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) exportCmd() *cobra.Command {
	var patient, out, format, base string
	var includeText bool
	cmd := &cobra.Command{
		Use:   "export [--patient ID] [--out FILE] [--format jsonl|fhir|fhir-ndjson]",
		Short: "Write the store (or one patient) as JSON Lines or FHIR R4",
		Long: `Write every record of the store, or one patient's record with what it refers
to, in the JSON Lines interchange format, to standard output or --out.
Exporting patients counts as reading their records (audit log).

--format fhir --patient P writes one patient as a FHIR R4 Bundle (type
collection); --format fhir-ndjson --out DIR writes the whole store as FHIR
bulk data, one NDJSON file per resource type. Feedback and messages are
clinical content: they are exported (as Communication) only with
--include-text. See docs/interchange.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "jsonl":
				if includeText || base != "" {
					return usagef("%s", a.T("cli.data.fhir_only"))
				}
			case "fhir":
				if patient == "" {
					return usagef("%s", a.T("cli.data.fhir_patient"))
				}
			case "fhir-ndjson":
				if patient != "" || out == "" {
					return usagef("%s", a.T("cli.data.fhir_ndjson"))
				}
			default:
				return usagef("%s", a.T("cli.data.bad_format", "Value", fmt.Sprintf("%q", format)))
			}
			ctx, db, _, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			f := store.ExportFilter{}
			if patient != "" {
				p, err := db.ReadablePatient(ctx, actor, patient) // unknown and not yours: one answer
				if err != nil {
					return err
				}
				f.PatientID = p.ID
			}
			if format != "jsonl" {
				return a.exportFHIR(ctx, db, actor, format, f.PatientID, out, fhir.Options{Base: base, IncludeText: includeText})
			}
			var w io.Writer = newJSONStream(a.env.stdout) // JSON Lines stay exact on a terminal (output.go)
			var tmp *os.File
			if out != "" {
				// Write next to the target and rename, so a failed export
				// never leaves a half-written file under the real name.
				tmp, err = os.CreateTemp(filepath.Dir(out), ".polku-export-*")
				if err != nil {
					return a.outFolderError(out, err)
				}
				defer os.Remove(tmp.Name())
				w = tmp
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			report, done := a.progress("export", "records", false)
			f.Progress = report
			n, err := db.Export(ctx, actor, bw, f)
			done()
			if err == nil {
				err = bw.Flush()
			}
			if err != nil {
				if tmp != nil {
					tmp.Close()
				}
				return err
			}
			if tmp != nil {
				if err := tmp.Close(); err != nil {
					return err
				}
				if err := os.Rename(tmp.Name(), out); err != nil {
					return err
				}
				fmt.Fprintln(a.env.stderr, a.T("cli.data.wrote_records", "Count", n, "File", out))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&patient, "patient", "", "only this patient (id or pseudonym)")
	cmd.Flags().StringVar(&out, "out", "", "write to this file (fhir-ndjson: this folder) instead of standard output")
	cmd.Flags().StringVar(&format, "format", "jsonl", "jsonl (the interchange format), fhir (one patient's Bundle) or fhir-ndjson (bulk files)")
	cmd.Flags().BoolVar(&includeText, "include-text", false, "FHIR: export feedback and messages (clinical content) as Communication")
	cmd.Flags().StringVar(&base, "fhir-base", "", "FHIR: base URL of polku's canonical URLs and code systems (default "+fhir.DefaultBase+")")
	return cmd
}

// exportFHIR writes one patient's Bundle (to standard output or a file,
// all or nothing) or the whole store as NDJSON files in a folder.
func (a *app) exportFHIR(ctx context.Context, db *store.DB, actor store.Actor, format, patientID, out string, o fhir.Options) error {
	if format == "fhir-ndjson" {
		if err := os.MkdirAll(out, 0o700); err != nil {
			return err
		}
		counts, err := fhir.WriteNDJSON(ctx, db, actor, out, o)
		if err != nil {
			return err
		}
		var parts []string
		for _, t := range fhir.ResourceTypes {
			if counts[t] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", t, counts[t]))
			}
		}
		fmt.Fprintln(a.env.stderr, a.T("cli.data.wrote_resources", "Resources", strings.Join(parts, ", "), "Folder", out))
		return nil
	}
	b, err := fhir.PatientBundle(ctx, db, actor, patientID, o)
	if err != nil {
		return err
	}
	return writeOut(a, out, func(w io.Writer, _ bool) error { return writeJSON(w, b) })
}

func (a *app) auditCmd() *cobra.Command {
	var format, from, to, by string
	cmd := &cobra.Command{
		Use:   "audit PATIENT | audit PATIENT --format md [--from DATE --to DATE] | audit --by HANDLE",
		Short: "List who read a patient's record, when, from which device",
		Long: `List every read of one patient's record (who, when, what, from which device):
the access report a patient may ask for under the Client Data Act (703/2023).
Who may read the record may read this list: the assigned therapist,
a supervisor of their team, or the store's owner without --as. Reading it
is itself written to the audit log.

For admins only (the store's owner or an admin account):
  --format md      the report to give the patient, in Markdown: who by name,
                   role and team, when, what was read, from which device, for
                   what purpose, for the period --from/--to
  --by HANDLE      everything one user read in the period, with reads of
                   patients the user was not assigned to at that moment
                   flagged (the privacy officer's view)
Both are reads of the patients in them, and are written to the audit log.

After 'polku login' the plain list comes from the server, which keeps the
audit log (a replica has only the reads made on this device): it needs the
server to answer. On the server itself: polku audit PATIENT --db STORE.`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case by != "" && len(args) > 0:
				return usagef("%s", a.T("cli.audit.by_and_patient", "Got", strconv.Quote(strings.Join(args, " "))))
			case by == "" && len(args) == 0:
				return usagef("%s", a.T("cli.audit.which"))
			case len(args) > 1:
				return usagef("%s", a.T("cli.audit.one_patient", "Got", strconv.Quote(strings.Join(args, " "))))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && format != "md" {
				return usagef("%s", a.T("cli.audit.bad_format", "Value", strconv.Quote(format)))
			}
			if by != "" && format != "" {
				return usagef("%s", a.T("cli.audit.format_and_by"))
			}
			if (from != "" || to != "") && by == "" && format == "" {
				return usagef("%s", a.T("cli.audit.period_needs"))
			}
			fromT, toT, err := a.auditPeriod(from, to)
			if err != nil {
				return err
			}
			if by == "" && format == "" {
				if l, ok, err := a.readsServer(); err != nil {
					return err
				} else if ok {
					return a.auditFromServer(cmd, l, args[0])
				}
			}
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			fromT, toT = a.inZone(fromT), a.inZone(toT)
			if by != "" {
				return a.auditBy(ctx, db, actor, o, by, fromT, toT)
			}
			if format == "md" {
				return a.auditMarkdown(ctx, db, actor, args[0], fromT, toT)
			}
			p, err := db.ReadablePatient(ctx, actor, args[0])
			if err != nil {
				return err
			}
			entries, err := db.PatientAuditLog(ctx, actor, p.ID, "cli:audit")
			if err != nil {
				return err
			}
			ths, err := db.Therapists(ctx)
			if err != nil {
				return err
			}
			names := map[string]string{}
			for _, t := range ths {
				names[t.ID] = t.Handle
			}
			type row struct {
				store.AuditEntry
				Who string `json:"who"`
			}
			rows := []row{}
			for _, e := range entries {
				who := names[e.ActorID]
				if who == "" {
					who = e.ActorID
				}
				rows = append(rows, row{e, who})
			}
			if o.json() {
				return writeJSON(a.env.stdout, rows)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.audit.columns"))
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.local(r.At).Format("2006-01-02 15:04:05"), r.Who, dash(r.Device), a.auditAction(r.Action), dash(r.Detail))
			}
			return tw.Flush()
		},
	}
	addOutputFlag(cmd)
	cmd.Flags().StringVar(&format, "format", "", "md: the patient's access report in Markdown (admins)")
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (with --format md or --by)")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD, inclusive (with --format md or --by)")
	cmd.Flags().StringVar(&by, "by", "", "list everything this user (handle) read (admins)")
	return cmd
}

// auditFromServer shows a patient's access report as the server has it
// (GET /v1/audit/{patient}): the audit log is the server's; a replica holds
// only the reads made on this device, so it is never shown in its place.
func (a *app) auditFromServer(cmd *cobra.Command, l *loginInfo, patient string) error {
	o := outputOf(cmd)
	if err := o.check(); err != nil {
		return err
	}
	if h := a.handle(); h != "" && h != l.Handle {
		return usagef("%s", a.T("cli.audit.signed_in_as", "Server", l.Server, "Handle", l.Handle, "Want", h))
	}
	c, err := client.New(l.Server, l.Token, client.Options{})
	if err != nil {
		return err
	}
	log, err := c.PatientAudit(cmd.Context(), patient)
	if err != nil {
		var ce *client.Error
		if errors.As(err, &ce) && ce.Status == http.StatusNotFound && ce.Code == api.CodeNotFound && strings.HasPrefix(ce.Message, "no such endpoint") {
			return errors.New(a.T("cli.audit.server_older", "Server", l.Server, "Patient", patient))
		}
		if client.IsOffline(err) {
			return errors.New(a.T("cli.audit.server_silent", "Err", netMessage(a.p, err), "Server", l.Server, "Patient", patient))
		}
		return err
	}
	if zone, err := time.LoadLocation(log.TimeZone); err == nil && log.TimeZone != "" {
		a.zone = zone
	}
	if o.json() {
		return writeJSON(a.env.stdout, log.Entries)
	}
	tw := newTable(a.env.stdout)
	fmt.Fprintln(tw, a.T("cli.audit.columns"))
	for _, r := range log.Entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.local(r.At).Format("2006-01-02 15:04:05"), r.Who, dash(r.Device), a.auditAction(r.Action), dash(r.Detail))
	}
	return tw.Flush()
}

// outFolderError says why a file cannot be made beside out, in terms of
// the folder the person named rather than the temporary file's name.
func (a *app) outFolderError(out string, err error) error {
	dir := filepath.Dir(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New(a.T("cli.data.no_folder", "Out", out, "Dir", dir))
	case errors.Is(err, fs.ErrPermission):
		return errors.New(a.T("cli.data.folder_denied", "Out", out, "Dir", dir))
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return errors.New(a.T("cli.data.folder_error", "Out", out, "Dir", dir, "Err", pe.Err.Error()))
	}
	return err
}
