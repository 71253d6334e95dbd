package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
)

// polku cohorts and polku groups: group programs and moderated peer groups
// (docs/groups.md).

func (a *app) cohortsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "cohorts",
		Aliases: []string{"cohort"},
		Short:   "Run a program for a group: create cohorts, add and remove members, message them",
	}
	cmd.AddCommand(a.cohortsCreateCmd(), a.cohortsListCmd(), a.cohortsShowCmd(), a.cohortsAddCmd(), a.cohortsRemoveCmd(), a.cohortsMessageCmd(), a.cohortsAdvanceCmd())
	return cmd
}

// session opens the store for writing and returns the actor.
func (a *app) session(ctx context.Context) (*store.DB, store.Actor, error) {
	db, err := a.open(ctx, false)
	if err != nil {
		return nil, store.Actor{}, err
	}
	actor, err := a.actor(ctx, db)
	if err != nil {
		db.Close()
		return nil, store.Actor{}, err
	}
	return db, actor, nil
}

// cohortRow is a cohort in 'cohorts list --output json'.
type cohortRow struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Program    string   `json:"program"`
	StartDate  string   `json:"start_date"`
	Week       int      `json:"week"`
	Members    int      `json:"members"`
	Capacity   int      `json:"capacity"`
	Therapists []string `json:"therapists"`
}

func handlesOf(ctx context.Context, db *store.DB, ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if t, err := db.Therapist(ctx, id); err == nil {
			out = append(out, t.Handle)
		} else {
			out = append(out, id)
		}
	}
	return out
}

func (a *app) cohortsCreateCmd() *cobra.Command {
	var program, start, therapists string
	var capacity int
	cmd := &cobra.Command{
		Use:   "create NAME --program PROGRAM --start DATE --therapists HANDLE[,HANDLE] [--capacity N]",
		Short: "Create a cohort: a program run for a named group from a shared start date",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			if program == "" || start == "" || therapists == "" {
				return usagef("%s", a.T("cli.cohorts.required"))
			}
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			id, ver, _ := strings.Cut(program, "@")
			v := 0
			if ver != "" {
				if _, err := fmt.Sscanf(ver, "%d", &v); err != nil {
					return usagef("%s", a.T("cli.cohorts.bad_program", "Value", fmt.Sprintf("%q", program)))
				}
			}
			pv, err := db.ProgramVersion(ctx, id, v)
			if err != nil {
				return fmt.Errorf("--program: %w (%s)", err, a.T("cli.cohorts.see", "Command", "polku programs list"))
			}
			c := store.Cohort{Name: args[0], ProgramVersionID: pv.ID, StartDate: start, Capacity: capacity}
			for _, h := range strings.Split(therapists, ",") {
				t, err := db.TherapistByHandle(ctx, strings.TrimSpace(h))
				if err != nil {
					return fmt.Errorf("--therapists: %w (%s)", err, a.T("cli.cohorts.see", "Command", "polku therapists list"))
				}
				c.TherapistIDs = append(c.TherapistIDs, t.ID)
			}
			c, err = db.CreateCohort(ctx, actor, c)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, c)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.cohorts.created", "Name", c.Name, "ID", c.ID, "Program", program, "Start", a.day(c.StartDate), "Count", c.Capacity))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&program, "program", "", "program id, or id@version (required)")
	f.StringVar(&start, "start", "", "shared start date YYYY-MM-DD (required)")
	f.StringVar(&therapists, "therapists", "", "one or two therapist handles, comma-separated (required)")
	f.IntVar(&capacity, "capacity", 12, "places in the cohort")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) cohortsListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List cohorts with their week and number of members",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			list, err := db.Cohorts(ctx, actor)
			if err != nil {
				return err
			}
			rows := []cohortRow{}
			for _, c := range list {
				rows = append(rows, cohortRow{ID: c.ID, Name: c.Name, Program: c.ProgramID, StartDate: c.StartDate, Week: c.Week, Members: c.Members,
					Capacity: c.Capacity, Therapists: handlesOf(ctx, db, c.TherapistIDs)})
			}
			if o.json() {
				return writeJSON(a.env.stdout, rows)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.cohorts.columns"))
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d/%d\t%s\n", r.Name, r.Program, a.day(r.StartDate), r.Week, r.Members, r.Capacity, strings.Join(r.Therapists, ","))
			}
			return tw.Flush()
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) cohortsShowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show COHORT",
		Short: "Show a cohort: members, who has done this week's module, group scores by week",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			v, err := db.CohortDetail(ctx, actor, args[0])
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, v)
			}
			w := a.env.stdout
			fmt.Fprintln(w, a.T("cli.cohorts.heading", "Name", v.Cohort.Name, "Program", v.Cohort.ProgramID, "Start", a.day(v.Cohort.StartDate), "Week", v.Week,
				"Members", activeMembers(v), "Capacity", v.Cohort.Capacity, "Therapists", strings.Join(v.Therapists, ",")))
			tw := newTable(w)
			fmt.Fprintln(tw, a.T("cli.cohorts.member_columns", "Module", dash(v.ModuleID)))
			for _, m := range v.Members {
				st, done := a.statusName(m.Status), "-"
				if m.LeftAt != nil {
					st = a.T("cli.cohorts.removed_status")
				} else if m.DoneThisWeek {
					done = a.T("cli.cohorts.done")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Pseudonym, cleanLine(m.DisplayName), st, done)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, s := range v.Scores {
				fmt.Fprint(w, "\n"+a.T("cli.cohorts.scores", "Instrument", s.Instrument))
				if s.RCI > 0 {
					fmt.Fprint(w, a.T("cli.cohorts.band", "Low", a.p.Number(s.BandLow, 1), "High", a.p.Number(s.BandHigh, 1), "Week", s.Weeks[0].Week))
				}
				fmt.Fprintln(w)
				for _, ws := range s.Weeks {
					fmt.Fprintln(w, a.T("cli.cohorts.score_week", "Week", fmt.Sprintf("%2d", ws.Week), "N", fmt.Sprintf("%-2d", ws.N),
						"Median", fmt.Sprintf("%5s", a.p.Number(ws.Median, 1)), "Q1", a.p.Number(ws.Q1, 1), "Q3", a.p.Number(ws.Q3, 1)))
				}
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func activeMembers(v *store.CohortView) int {
	n := 0
	for _, m := range v.Members {
		if m.LeftAt == nil {
			n++
		}
	}
	return n
}

// cleanLine drops control characters from text shown on one line.
func cleanLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

func (a *app) cohortsAddCmd() *cobra.Command {
	var therapist string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "add COHORT PATIENT... [--therapist HANDLE] [--dry-run]",
		Short: "Enroll patients into a cohort (its program, its start date, one of its therapists)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			c, err := db.FindCohort(ctx, args[0])
			if err != nil {
				return fmt.Errorf("%w (%s)", err, a.T("cli.cohorts.see", "Command", "polku cohorts list"))
			}
			thID := ""
			if therapist != "" {
				t, err := db.TherapistByHandle(ctx, therapist)
				if err != nil {
					return fmt.Errorf("--therapist: %w", err)
				}
				thID = t.ID
			}
			// Validate every patient before writing any.
			var ops []store.AddCohortMemberOp
			var pseud []string
			for _, ref := range args[1:] {
				p, err := db.ResolvePatient(ctx, ref)
				if err != nil {
					return err
				}
				op, err := db.CohortEnrollment(ctx, c, p.ID, thID)
				if err != nil {
					return err
				}
				ops = append(ops, op)
				pseud = append(pseud, p.Pseudonym)
			}
			type added struct {
				Pseudonym    string `json:"pseudonym"`
				EnrollmentID string `json:"enrollment_id"`
				StartDate    string `json:"start_date"`
				DryRun       bool   `json:"dry_run,omitempty"`
			}
			out := []added{}
			for i, op := range ops {
				if dryRun {
					out = append(out, added{pseud[i], op.Enrollment.ID, op.Enrollment.StartDate, true})
					continue
				}
				if err := db.Apply(ctx, actor, op); err != nil {
					return fmt.Errorf("%s: %w", pseud[i], err)
				}
				out = append(out, added{pseud[i], op.Enrollment.ID, op.Enrollment.StartDate, false})
			}
			if o.json() {
				return writeJSON(a.env.stdout, out)
			}
			id := "cli.cohorts.added"
			if dryRun {
				id = "cli.cohorts.would_add"
			}
			for _, r := range out {
				fmt.Fprintln(a.env.stdout, a.T(id, "Patient", r.Pseudonym, "Cohort", c.Name, "Start", a.day(r.StartDate)))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&therapist, "therapist", "", "which of the cohort's therapists (default: the first)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check and show what would be done, write nothing")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) cohortsRemoveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove COHORT PATIENT",
		Short: "Take a patient out of a cohort (their enrollment goes on individually)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			c, err := db.FindCohort(ctx, args[0])
			if err != nil {
				return err
			}
			p, err := db.ResolvePatient(ctx, args[1])
			if err != nil {
				return err
			}
			if err := db.Apply(ctx, actor, store.RemoveCohortMemberOp{CohortID: c.ID, PatientID: p.ID, At: db.Now()}); err != nil {
				return err
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.cohorts.removed", "Patient", p.Pseudonym, "Cohort", c.Name))
			return nil
		},
	}
	return cmd
}

func (a *app) cohortsMessageCmd() *cobra.Command {
	var body string
	var yes bool
	cmd := &cobra.Command{
		Use:   "message COHORT --body TEXT [--yes]",
		Short: "Send one message to every member of a cohort",
		Long: `Send one message to every member of a cohort. A group message carries no
clinical content about any one member: when it names a member (display
name, first name or pseudonym), polku refuses it unless --yes is given.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			if strings.TrimSpace(body) == "" {
				return usagef("%s", a.T("cli.cohorts.body_required"))
			}
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			c, err := db.FindCohort(ctx, args[0])
			if err != nil {
				return err
			}
			named, err := db.NamedMembers(ctx, c.ID, body)
			if err != nil {
				return err
			}
			if len(named) > 0 && !yes {
				return usagef("%s", a.T("cli.cohorts.names_member", "Names", strings.Join(named, ", "), "Cohort", c.Name))
			}
			m, err := db.SendGroupMessage(ctx, actor, store.GroupMessage{CohortID: c.ID, Body: body})
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, m)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.cohorts.sent", "Cohort", c.Name, "ID", m.ID))
			return nil
		},
	}
	cmd.Flags().StringVar(&body, "body", "", "the message (required)")
	cmd.Flags().BoolVar(&yes, "yes", false, "send even if it names a member")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) cohortsAdvanceCmd() *cobra.Command {
	var week int
	cmd := &cobra.Command{
		Use:   "advance COHORT [--week N]",
		Short: "Open the modules of the cohort's week (default: this week) for every member at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			c, err := db.FindCohort(ctx, args[0])
			if err != nil {
				return err
			}
			if week == 0 {
				week = store.CohortWeek(c.StartDate, db.Now())
			}
			if week < 1 {
				return errors.New(a.T("cli.cohorts.not_started", "Cohort", c.Name, "Start", a.day(c.StartDate)))
			}
			if err := db.Apply(ctx, actor, store.AdvanceCohortOp{CohortID: c.ID, Week: week, At: db.Now()}); err != nil {
				return err
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.cohorts.advanced", "Cohort", c.Name, "Week", week))
			return nil
		},
	}
	cmd.Flags().IntVar(&week, "week", 0, "the program week to open (default: the cohort's current week)")
	return cmd
}

// --- peer groups ---

func (a *app) groupsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "groups",
		Aliases: []string{"group"},
		Short:   "Moderated peer groups: create, list, show, join codes, moderation",
	}
	cmd.AddCommand(a.groupsCreateCmd(), a.groupsListCmd(), a.groupsShowCmd(), a.groupsCodeCmd(), a.groupsModerateCmd())
	return cmd
}

func (a *app) groupsCreateCmd() *cobra.Command {
	var cohort, topic string
	cmd := &cobra.Command{
		Use:   "create NAME (--cohort COHORT | --topic TOPIC)",
		Short: "Create a peer group of a cohort (its therapists moderate) or of a topic (you moderate)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			if (cohort == "") == (topic == "") {
				return usagef("%s", a.T("cli.groups.cohort_or_topic"))
			}
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			g, err := db.CreatePeerGroup(ctx, actor, store.PeerGroup{Name: args[0], CohortID: cohort, Topic: topic})
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, g)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.groups.created", "Name", g.Name, "ID", g.ID))
			return nil
		},
	}
	cmd.Flags().StringVar(&cohort, "cohort", "", "the cohort the group belongs to")
	cmd.Flags().StringVar(&topic, "topic", "", "the topic of a group that belongs to no cohort")
	addOutputFlag(cmd)
	return cmd
}

// groupRow is a peer group in 'groups list --output json'.
type groupRow struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Of         string   `json:"of"`
	Members    int      `json:"members"`
	Pending    int      `json:"pending"`
	Moderators []string `json:"moderators"`
}

func (a *app) groupsListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List peer groups with their members and posts waiting for moderation",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			list, err := db.PeerGroups(ctx, actor)
			if err != nil {
				return err
			}
			rows := []groupRow{}
			ofs := []string{} // the table's OF column, in the reader's language
			for _, g := range list {
				// The JSON's "of" stays English whatever the language.
				of, shown := "topic: "+g.Topic, a.T("cli.groups.of_topic", "Topic", g.Topic)
				if g.CohortID != "" {
					of, shown = "cohort", a.T("cli.groups.of_cohort_unknown")
					if c, err := db.FindCohort(ctx, g.CohortID); err == nil {
						of, shown = "cohort: "+c.Name, a.T("cli.groups.of_cohort", "Cohort", c.Name)
					}
				}
				rows = append(rows, groupRow{ID: g.ID, Name: g.Name, Of: of, Members: g.Members, Pending: g.Pending, Moderators: handlesOf(ctx, db, g.TherapistIDs)})
				ofs = append(ofs, shown)
			}
			if o.json() {
				return writeJSON(a.env.stdout, rows)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.groups.columns"))
			for i, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", r.Name, ofs[i], r.Members, r.Pending, strings.Join(r.Moderators, ","))
			}
			return tw.Flush()
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) groupsShowCmd() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "show GROUP [--all]",
		Short: "Show a group's moderation queue (posts waiting), or with --all every post",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			g, err := db.FindPeerGroup(ctx, args[0])
			if err != nil {
				return fmt.Errorf("%w (%s)", err, a.T("cli.cohorts.see", "Command", "polku groups list"))
			}
			q, err := db.ModerationQueue(ctx, actor, all)
			if err != nil {
				return err
			}
			posts := []store.QueuedPost{}
			for _, p := range q {
				if p.GroupID == g.ID {
					posts = append(posts, p)
				}
			}
			if o.json() {
				return writeJSON(a.env.stdout, posts)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.groups.post_columns"))
			for _, p := range posts {
				text := []rune(cleanLine(strings.ReplaceAll(p.Body, "\n", " ")))
				if len(text) > 60 {
					text = append(text[:59], '…')
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, a.postedAt(p.PostedAt), cleanLine(p.Alias), a.postStatus(p.Status), string(text))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "every post, newest first (to hide one later)")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) groupsCodeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "code GROUP",
		Short: "Make a single-use join code for a group (shown once; hand it to one patient)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			g, err := db.FindPeerGroup(ctx, args[0])
			if err != nil {
				return err
			}
			code, c, err := db.IssueGroupCode(ctx, actor, g.ID)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, map[string]string{"code": code, "group_id": g.ID, "id": c.ID})
			}
			fmt.Fprintln(a.env.stdout, code)
			fmt.Fprintln(a.env.stderr, a.T("cli.groups.code", "Group", g.Name))
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) groupsModerateCmd() *cobra.Command {
	var approve, hide bool
	var reject string
	cmd := &cobra.Command{
		Use:   "moderate POST (--approve | --reject REASON | --hide)",
		Short: "Approve or reject a waiting post (the reason is shown to the poster), or hide an approved one",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			action, n := "", 0
			if approve {
				action, n = store.ModApprove, n+1
			}
			if reject != "" {
				action, n = store.ModReject, n+1
			}
			if hide {
				action, n = store.ModHide, n+1
			}
			if n != 1 {
				return usagef("%s", a.T("cli.groups.moderate_one"))
			}
			ctx := cmd.Context()
			db, actor, err := a.session(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := db.PostOf(ctx, args[0])
			if err != nil {
				return err
			}
			if err := db.Moderate(ctx, actor, p.ID, action, reject, p.Version); err != nil {
				return err
			}
			done := a.T("cli.groups.moderated.approve", "ID", p.ID, "At", a.momentAt(db.Now()))
			switch action {
			case store.ModReject:
				done = a.T("cli.groups.moderated.reject", "ID", p.ID, "At", a.momentAt(db.Now()))
			case store.ModHide:
				done = a.T("cli.groups.moderated.hide", "ID", p.ID, "At", a.momentAt(db.Now()))
			}
			fmt.Fprintln(a.env.stdout, done)
			return nil
		},
	}
	cmd.Flags().BoolVar(&approve, "approve", false, "show the post to the group")
	cmd.Flags().StringVar(&reject, "reject", "", "do not show it; the reason is shown to the poster")
	cmd.Flags().BoolVar(&hide, "hide", false, "take an approved post down")
	return cmd
}

// postedAt is when a post was posted, in the reader's form (English keeps
// "2006-01-02 15:04").
func (a *app) postedAt(t time.Time) string {
	if a.p.Lang() == "en" {
		return t.Local().Format("2006-01-02 15:04")
	}
	return a.p.DateTime(t.Local())
}

// momentAt is a moment to the second, in the reader's form (English keeps
// time.DateTime).
func (a *app) momentAt(t time.Time) string {
	if a.p.Lang() == "en" {
		return t.Local().Format(time.DateTime)
	}
	return a.p.DateTime(t.Local())
}

// postStatus is a group post's status in the reader's language.
func (a *app) postStatus(s string) string {
	switch s {
	case store.PostPending:
		return a.T("cli.groups.post_status.pending")
	case store.PostApproved:
		return a.T("cli.groups.post_status.approved")
	case store.PostRejected:
		return a.T("cli.groups.post_status.rejected")
	case store.PostHidden:
		return a.T("cli.groups.post_status.hidden")
	case store.PostHeld:
		return a.T("cli.groups.post_status.held")
	}
	return s
}

// --- polku simulate: group members post ---

// groupPoster is a simulated patient who can post to their peer groups.
type groupPoster interface {
	// groupPost posts to one of the patient's groups ("" when they are in none).
	groupPost(ctx context.Context, rnd *rand.Rand) (i18n.Message, error)
}

func isGroupPoster(p portal) bool {
	_, ok := p.(groupPoster)
	return ok
}

var simPosts = []string{
	"This week's worksheet was hard but I did it. How did it go for you?",
	"I noticed I avoid calling people back. Small step today: one call.",
	"Anyone else sleeping badly this week? The wind-down hour helps me a little.",
	"Thanks for the kind words last week, they stayed with me.",
	"I tried the breathing exercise on the bus and nobody noticed :)",
}

func (p httpPortal) groupPost(ctx context.Context, rnd *rand.Rand) (i18n.Message, error) {
	l, err := p.c.Groups(ctx)
	if err != nil || len(l.Groups) == 0 {
		return i18n.Message{}, err
	}
	g := l.Groups[rnd.IntN(len(l.Groups))]
	_, err = p.c.Post(ctx, newSimKey(), g.ID, api.PostRequest{Body: simPosts[rnd.IntN(len(simPosts))]})
	return i18n.Msg("cli.simulate.act.posted", "Group", g.Name), err
}

func (p localPortal) groupPost(ctx context.Context, rnd *rand.Rand) (i18n.Message, error) {
	gs, err := p.db.GroupsOfPatient(ctx, p.patientID)
	if err != nil || len(gs) == 0 {
		return i18n.Message{}, err
	}
	g := gs[rnd.IntN(len(gs))]
	now := p.db.Now()
	post := store.GroupPost{ID: p.db.NewID(now), GroupID: g.ID, PatientID: p.patientID, Body: simPosts[rnd.IntN(len(simPosts))], PostedAt: now}
	return i18n.Msg("cli.simulate.act.posted", "Group", g.Name), p.db.Apply(ctx, p.actor(), store.AddGroupPostOp{Post: post})
}
