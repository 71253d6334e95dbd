package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"polku/programs"
	"polku/store"
)

// goAheadRow is the JSON of 'polku patients go-ahead'.
type goAheadRow struct {
	store.GoAhead
	Pseudonym string `json:"pseudonym"`
	What      string `json:"what"`
}

func (a *app) patientsGoAheadCmd() *cobra.Command {
	var id, decision, comment string
	cmd := &cobra.Command{
		Use:   "go-ahead PATIENT --decision yes|no [--id GO-AHEAD] [--comment TEXT]",
		Short: "Record your go-ahead (or not) for a step that waits for it, after reading the screening",
		Long: `Record the therapist's decision on a treatment step that waits for it (a
program's go-ahead, e.g. sleep restriction after the health check), on the
patient's current enrollment and their newest answer to the screening.
--decision yes lets the step start; --decision no records it as not
suitable and needs --comment saying why. --id may be left out when the
program has one go-ahead. Read the screening answers first (the workbench
shows them: 'g' in the patient's workspace). The patient sees only whether
the step is approved, never the comment.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var d string
			switch strings.ToLower(decision) {
			case "yes", store.GoAheadYes:
				d = store.GoAheadYes
			case "no", store.GoAheadNotSuitable:
				d = store.GoAheadNotSuitable
				if strings.TrimSpace(comment) == "" {
					return usagef("%s", a.T("cli.goahead.comment_needed"))
				}
			case "":
				return usagef("%s", a.T("cli.goahead.give_decision"))
			default:
				return usagef("%s", a.T("cli.goahead.bad_decision", "Value", fmt.Sprintf("%q", decision)))
			}
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := db.ReadablePatient(ctx, actor, args[0])
			if err != nil {
				return err
			}
			rec, err := db.PatientRecord(ctx, actor, p.ID, "cli:patients go-ahead")
			if err != nil {
				return err
			}
			e, def := rec.Current()
			if e == nil {
				return errors.New(a.T("cli.goahead.no_enrollment", "Patient", p.Pseudonym))
			}
			g, err := a.pickGoAhead(def, id)
			if err != nil {
				return err
			}
			var screening *store.Submission
			for i, s := range rec.Submissions {
				if s.EnrollmentID == e.ID && s.ExerciseID == g.Screening && (screening == nil || !s.SubmittedAt.Before(screening.SubmittedAt)) {
					screening = &rec.Submissions[i]
				}
			}
			if screening == nil {
				title := g.Screening
				if _, ex, ok := def.Exercise(g.Screening); ok {
					title = ex.Title
				}
				return errors.New(a.T("cli.goahead.not_submitted", "Patient", p.Pseudonym, "Title", title))
			}
			saved, err := db.RecordGoAhead(ctx, actor, store.GoAhead{PatientID: p.ID, EnrollmentID: e.ID, GoAheadID: g.ID,
				SubmissionID: screening.ID, Decision: d, Comment: comment})
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, goAheadRow{GoAhead: saved, Pseudonym: p.Pseudonym, What: g.What})
			}
			if d == store.GoAheadYes {
				fmt.Fprintln(a.env.stdout, a.T("cli.goahead.yes", "Patient", p.Pseudonym, "What", a.goAheadWhat(def, g)))
			} else {
				fmt.Fprintln(a.env.stdout, a.T("cli.goahead.not_suitable", "Patient", p.Pseudonym, "What", a.goAheadWhat(def, g)))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "which go-ahead of the program (e.g. sleep-restriction); may be left out when there is one")
	cmd.Flags().StringVar(&decision, "decision", "", "yes (go ahead) or no (not suitable)")
	cmd.Flags().StringVar(&comment, "comment", "", "what you based the decision on; required with --decision no")
	addOutputFlag(cmd)
	return cmd
}

// pickGoAhead finds the go-ahead named by id in a program, or its only one.
func (a *app) pickGoAhead(def *programs.Program, id string) (*programs.GoAhead, error) {
	if len(def.GoAhead) == 0 {
		return nil, errors.New(a.T("cli.goahead.none", "Program", def.ID))
	}
	if id == "" {
		if len(def.GoAhead) > 1 {
			return nil, usagef("%s", a.T("cli.goahead.several", "Program", def.ID, "IDs", def.GoAheadIDs()))
		}
		return &def.GoAhead[0], nil
	}
	if g := def.GoAheadByID(id); g != nil {
		return g, nil
	}
	return nil, usagef("%s", a.T("cli.goahead.no_such", "Value", fmt.Sprintf("%q", id), "Program", def.ID, "IDs", def.GoAheadIDs()))
}
