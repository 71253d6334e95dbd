package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"polku/internal/i18n"
	"polku/store"
)

func (a *app) triageCmd() *cobra.Command {
	var therapist string
	cmd := &cobra.Command{
		Use:   "triage",
		Short: "Print a therapist's queue, most urgent first, with the reasons",
		Long: `Print the queue the workbench shows: every active or scheduled patient of the
therapist named by --as (or, for a supervisor, --therapist), most urgent
first, each with the reasons in words. Risk always comes first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, o, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			actor, me, err := a.requireTherapist(ctx, db)
			if err != nil {
				return err
			}
			target := me
			if therapist != "" {
				if target, err = db.TherapistByHandle(ctx, therapist); err != nil {
					return fmt.Errorf("--therapist: %w", err)
				}
			}
			q, err := db.Triage(ctx, actor, target.ID)
			if err != nil {
				return err
			}
			if a.p.Lang() != i18n.EN {
				q.Localize(a.p) // the reasons' sentences in the reader's language; the codes stay
			}
			if o.json() {
				return writeJSON(a.env.stdout, q)
			}
			q.LocalizeTitles(a.p) // the programs' and modules' titles in the reader's language, where translated
			w := a.env.stdout
			fmt.Fprintf(w, "%s: %s", target.Handle, a.T("cli.count.patients", "Count", len(q.Items)))
			for _, c := range store.Classes {
				if n := q.Counts[c]; n > 0 {
					fmt.Fprintf(w, ", %d %s", n, a.className(c))
				}
			}
			fmt.Fprintln(w)
			for i, it := range q.Items {
				when := a.T("cli.triage.week", "Week", it.Week, "Weeks", it.Weeks)
				if it.Status == store.EnrollmentCompleted || it.Status == store.EnrollmentDiscontinued {
					// only an open risk flag keeps it here
					when = a.T("cli.triage.ended", "Status", a.statusName(it.Status), "End", a.day(it.PlannedEnd))
				}
				fmt.Fprintf(w, "\n%3d. %-13s %s  %s  %s, %s\n", i+1, strings.ToUpper(a.className(it.Class)), it.Pseudonym, it.DisplayName, it.ProgramTitle, when)
				for _, r := range it.Reasons {
					fmt.Fprintf(w, "       - %s\n", r.Text)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&therapist, "therapist", "", "another therapist's queue (supervisors: your team)")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) teamCmd() *cobra.Command {
	var team string
	cmd := &cobra.Command{
		Use:   "team",
		Short: "Supervisor view: every therapist's queue counts, caseload and feedback times",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if team == "" {
				team = actor.Team
			}
			if team == "" {
				return usagef("%s", a.T("cli.team.which"))
			}
			v, err := db.Team(ctx, actor, team)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, v)
			}
			w := a.env.stdout
			fmt.Fprintf(w, "%s\n\n", a.T("cli.team.heading", "Team", v.Team, "Therapists", len(v.Members), "Median", a.hours(v.MedianFeedbackHours),
				"Open", v.OpenReferrals, "Late", v.ReferralsOverPromise, "Waiting", v.ReferralsWaiting))
			tw := newTable(w)
			fmt.Fprint(tw, a.T("cli.team.columns"))
			for _, c := range store.Classes {
				fmt.Fprintf(tw, "\t%s", strings.ToUpper(a.className(c)))
			}
			fmt.Fprintln(tw, "\t"+a.T("cli.team.columns_feedback"))
			for _, m := range v.Members {
				fmt.Fprintf(tw, "%s\t%d\t%d", m.Therapist.Handle, m.Patients, m.Capacity)
				for _, c := range store.Classes {
					fmt.Fprintf(tw, "\t%d", m.Counts[c])
				}
				fmt.Fprintf(tw, "\t%d\t%s\n", m.FeedbackSent, a.hours(m.MedianFeedbackHours))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&team, "team", "", "the team (default: the supervisor's own)")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) hours(h *float64) string {
	if h == nil {
		return "-"
	}
	return a.p.Number(*h, 1) + " h"
}

func (a *app) settingsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "settings",
		Aliases: []string{"setting"},
		Short:   "Show and change the local policy (promise days, inactivity, risk words, ...)",
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "Show every setting with its value and meaning",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, o, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			pol, err := db.Policy(ctx)
			if err != nil {
				return err
			}
			stored, err := db.Settings(ctx)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, pol)
			}
			set := map[string]bool{}
			for _, s := range stored {
				set[s.Key] = true
				if strings.HasPrefix(s.Key, "risk_words.") {
					set["risk_words"] = true // the whole map is its languages
				}
			}
			values := store.PolicyValues(pol)
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.settings.columns"))
			for _, kv := range store.SettingKeys() {
				source := a.T("cli.settings.default")
				if set[kv[0]] {
					source = a.T("cli.settings.set")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", kv[0], values[kv[0]], source, a.settingMeaning(kv[0], kv[1]))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, p := range pol.ProblemTexts(a.p) {
				fmt.Fprintf(a.env.stdout, "%s: %s\n", a.T("cli.settings.problem"), p)
			}
			return nil
		},
	}
	addOutputFlag(list)
	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change a setting and say what changed",
		Long: `Change one setting. VALUE is read as the setting's type wants it: a number
(3), a time zone without quotes (Europe/Stockholm), a phrase list as JSON or
separated by commas. JSON is always accepted. Risk phrase lists are per
language (risk_words.fi, risk_words.sv, risk_words.en): setting one never
changes another; a whole risk_words map sets only the languages it names.`,
		Example: `  polku settings set timezone Europe/Stockholm
  polku settings set feedback_working_days 3
  polku settings set risk_words.fi '["haluan kuolla", "itsemurh*"]'`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, _, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			changes, err := db.ChangeSetting(ctx, actor, args[0], args[1])
			if err != nil {
				return err
			}
			for _, c := range changes {
				fmt.Fprintf(a.env.stdout, "%s: %s -> %s\n", c.Key, c.Before, c.After)
			}
			if strings.HasPrefix(args[0], "risk_words") {
				changed := map[string]bool{}
				for _, c := range changes {
					changed[c.Key] = true
				}
				var same []string
				for _, lang := range store.RiskLanguages {
					if !changed["risk_words."+lang] {
						same = append(same, lang)
					}
				}
				switch len(same) {
				case 0:
				case 1:
					fmt.Fprintln(a.env.stdout, a.T("cli.settings.unchanged_one", "Lang", same[0]))
				default:
					fmt.Fprintln(a.env.stdout, a.T("cli.settings.unchanged_many", "Langs", strings.Join(same[:len(same)-1], ", "), "Last", same[len(same)-1]))
				}
			}
			return nil
		},
	}
	cmd.AddCommand(list, set)
	return cmd
}

// settingMeaning is what a setting means, in the reader's language: the
// store's English, or the catalog's sentence for the key.
func (a *app) settingMeaning(key, english string) string {
	if a.p.Lang() == "en" {
		return english
	}
	if id := "cli.settings.meaning." + strings.ReplaceAll(key, ".", "_"); a.p.Has(id) {
		return a.p.T(id)
	}
	return english
}
