package main

import (
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
					return usagef("--decision no needs --comment: say why the step is not suitable")
				}
			case "":
				return usagef("give --decision yes (go ahead) or --decision no (not suitable)")
			default:
				return usagef("--decision %q: give yes (go ahead) or no (not suitable)", decision)
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
				return fmt.Errorf("%s has no enrollment", p.Pseudonym)
			}
			g, err := pickGoAhead(def, id)
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
				return fmt.Errorf("%s has not submitted '%s' yet: there is nothing to decide on", p.Pseudonym, title)
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
				fmt.Fprintf(a.env.stdout, "go-ahead recorded for %s: %s may start\n", p.Pseudonym, g.What)
			} else {
				fmt.Fprintf(a.env.stdout, "recorded for %s: %s is not suitable\n", p.Pseudonym, g.What)
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
func pickGoAhead(def *programs.Program, id string) (*programs.GoAhead, error) {
	if len(def.GoAhead) == 0 {
		return nil, fmt.Errorf("program %s has no step that waits for a go-ahead", def.ID)
	}
	if id == "" {
		if len(def.GoAhead) > 1 {
			return nil, usagef("program %s has several go-aheads: give --id (%s)", def.ID, def.GoAheadIDs())
		}
		return &def.GoAhead[0], nil
	}
	if g := def.GoAheadByID(id); g != nil {
		return g, nil
	}
	return nil, usagef("--id %q: program %s has no such go-ahead (it has %s)", id, def.ID, def.GoAheadIDs())
}
