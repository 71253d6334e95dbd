package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"polku/store"
	"polku/store/report"
)

func (a *app) reportCmd() *cobra.Command {
	var from, to, team, program, format, out string
	cmd := &cobra.Command{
		Use:   "report [--from DATE --to DATE] [--team T] [--program P] [-o table|json|csv|html] [--out FILE]",
		Short: "The service's figures for a period: access, engagement, therapist work, outcomes, risk",
		Long: `Compute the monthly service report for a period (default: the last full month
in the service's time zone), for a team or the whole service, optionally for
one program. Every figure and its definition: docs/reports.md.

Supervisors see their own team; admins any team or the whole service. The
report holds counts and figures only, no patient names. Therapists are
refused (their own caseload is in the workbench).

--output html writes one self-contained page (inline SVG charts, no
scripts, nothing fetched from the network); write it to a file with --out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "table", "json", "csv", "html":
			default:
				return usagef("%s", a.T("cli.report_cmd.bad_output", "Value", strconv.Quote(format)))
			}
			ctx := cmd.Context()
			// A signed-in supervisor reads their replica (which holds the
			// team), as every reading command does; else the store file.
			db, ok, err := a.openReadReplica(ctx)
			if !ok && err == nil {
				db, err = a.open(ctx, false)
			}
			if err != nil {
				return err
			}
			defer db.Close()
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			q, err := a.reportPeriod(a.local(a.env.now()), from, to)
			if err != nil {
				return err
			}
			q.Team, q.Program = team, program
			r, err := db.Report(ctx, actor, q)
			if err != nil {
				return err
			}
			return writeOut(a, out, func(w io.Writer, file bool) error {
				switch format {
				case "json":
					return writeJSON(w, r)
				case "csv":
					return r.WriteCSV(w, a.p)
				case "html":
					return r.WriteHTML(w, a.p)
				}
				return a.reportTable(w, r)
			})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first day of the period, YYYY-MM-DD (default: first day of last month)")
	cmd.Flags().StringVar(&to, "to", "", "last day of the period, YYYY-MM-DD, inclusive (default: last day of last month)")
	cmd.Flags().StringVar(&team, "team", "", "one team (a supervisor's own team by default; admins: the whole service)")
	cmd.Flags().StringVar(&program, "program", "", "one program id")
	cmd.Flags().StringVarP(&format, "output", "o", "table", "output format: table, json, csv or html")
	cmd.Flags().StringVar(&out, "out", "", "write to this file (all or nothing) instead of standard output")
	return cmd
}

// reportPeriod reads --from and --to; without them the period is the last
// full month before now (in the service's time zone).
func (a *app) reportPeriod(now time.Time, from, to string) (store.ReportQuery, error) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	q := store.ReportQuery{From: first.AddDate(0, -1, 0), To: first.AddDate(0, 0, -1)}
	var err error
	if from != "" {
		if q.From, err = time.Parse(time.DateOnly, from); err != nil {
			return q, usagef("%s", a.T("cli.audit.bad_day", "Flag", "--from", "Value", strconv.Quote(from)))
		}
	}
	if to != "" {
		if q.To, err = time.Parse(time.DateOnly, to); err != nil {
			return q, usagef("%s", a.T("cli.audit.bad_day", "Flag", "--to", "Value", strconv.Quote(to)))
		}
	}
	if q.To.Before(q.From) {
		return q, usagef("%s", a.T("cli.audit.to_before_from", "To", q.To.Format(time.DateOnly), "From", q.From.Format(time.DateOnly)))
	}
	if q.To.Sub(q.From) > 366*24*time.Hour*5 {
		return q, usagef("%s", a.T("cli.report_cmd.too_long", "From", q.From.Format(time.DateOnly), "To", q.To.Format(time.DateOnly)))
	}
	return q, nil
}

// writeOut writes to standard output, or with --out to a file next to the
// target that is renamed into place when complete, so that a failed write
// never leaves a half-written file under the real name. Files get the
// exact bytes; standard output goes through the sanitizing writer.
func writeOut(a *app, out string, write func(w io.Writer, file bool) error) error {
	if out == "" {
		return write(a.env.stdout, false)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".polku-out-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := write(bw, true); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	fmt.Fprintln(a.env.stderr, a.T("cli.run.wrote", "File", out))
	return nil
}

func (a *app) reportTable(w io.Writer, r *report.Report) error {
	fmt.Fprintf(w, "%s\n\n", a.p.T("report.table.heading", "From", r.From, "To", r.To, "Zone", r.Timezone, "Scope", report.Scope(a.p, r)))
	tw := newTable(w)
	fmt.Fprintln(tw, a.p.T("report.table.columns"))
	for _, row := range r.Rows(a.p) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", row.Section, row.Figure, row.Value)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", a.p.T("report.table.note"))
	return nil
}
