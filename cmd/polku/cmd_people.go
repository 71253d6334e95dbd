package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"polku/programs"
	"polku/store"
)

func (a *app) therapistsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "therapists",
		Aliases: []string{"therapist"},
		Short:   "Add and list therapist, supervisor and admin accounts",
	}
	cmd.AddCommand(a.therapistsAddCmd(), a.therapistsListCmd(), a.therapistsShowCmd(), a.therapistsSetCmd())
	return cmd
}

func (a *app) therapistsAddCmd() *cobra.Command {
	var t store.Therapist
	var langs string
	cmd := &cobra.Command{
		Use:   "add HANDLE --name NAME [--role therapist|supervisor|admin] [--team TEAM]",
		Short: "Add an account",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			t.Handle = args[0]
			if strings.TrimSpace(t.Name) == "" {
				return usagef("%s", a.T("cli.therapists.name_required"))
			}
			if err := a.checkUILang(t.UILang); err != nil {
				return err
			}
			t.Languages = []string{}
			for _, l := range strings.Split(langs, ",") {
				if l = strings.TrimSpace(l); l != "" {
					t.Languages = append(t.Languages, l)
				}
			}
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			added, err := db.AddTherapist(ctx, actor, t)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, added)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.therapists.added", "Role", a.roleName(added.Role), "Handle", added.Handle, "ID", added.ID))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&t.Name, "name", "", "full name (required)")
	f.StringVar(&t.Role, "role", store.RoleTherapist, "therapist, supervisor or admin")
	f.StringVar(&t.Team, "team", "", "team (a supervisor sees their team)")
	f.StringVar(&langs, "languages", "fi", "languages, comma-separated (fi, sv, en)")
	f.IntVar(&t.Capacity, "capacity", 100, "how many active patients the therapist can carry")
	f.BoolVar(&t.Intake, "intake", false, "works the team's intake queue (with the supervisors)")
	f.StringVar(&t.UILang, "ui-lang", "", "language of the interface: fi, sv or en (default: none, --lang and the environment decide)")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) therapistsListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, o, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			ts, err := db.Therapists(ctx)
			if err != nil {
				return err
			}
			if ts == nil {
				ts = []store.Therapist{}
			}
			if o.json() {
				return writeJSON(a.env.stdout, ts)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, strings.Join([]string{a.T("cli.therapists.col.handle"), a.T("cli.therapists.col.name"), a.T("cli.therapists.col.role"),
				a.T("cli.therapists.col.team"), a.T("cli.therapists.col.languages"), a.T("cli.therapists.col.capacity"),
				a.T("cli.therapists.col.intake"), a.T("cli.therapists.col.ui_lang")}, "\t"))
			for _, t := range ts {
				in := "-"
				if t.Intake {
					in = a.yesNo(true)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Handle, t.Name, a.roleName(t.Role), dash(t.Team), dash(strings.Join(t.Languages, ",")),
					a.p.Int(t.Capacity), in, dash(t.UILang))
			}
			return tw.Flush()
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) patientsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "patients",
		Aliases: []string{"patient"},
		Short:   "List patients, show one patient's record, record a go-ahead",
	}
	cmd.AddCommand(a.patientsListCmd(), a.patientsShowCmd(), a.patientsSummaryCmd(), a.patientsGoAheadCmd())
	return cmd
}

func (a *app) patientsListCmd() *cobra.Command {
	var f store.PatientFilter
	var therapist string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List patients you may see, with their current enrollment",
		Long: `List patients with their newest enrollment (or referral). With --as, a
therapist sees their own patients and a supervisor their team; without it
the local store's owner sees everyone. A listing shows no clinical content.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if therapist != "" {
				t, err := db.TherapistByHandle(ctx, therapist)
				if err != nil {
					return fmt.Errorf("--therapist: %w", err)
				}
				f.TherapistID = t.ID
			}
			list, err := db.Patients(ctx, actor, f)
			if err != nil {
				return err
			}
			if list == nil {
				list = []store.PatientSummary{}
			}
			if o.json() {
				return writeJSON(a.env.stdout, list)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.patients.columns"))
			for _, p := range list {
				prog := dash(p.ProgramID)
				if p.ProgramVersion > 0 {
					prog = fmt.Sprintf("%s v%d", p.ProgramID, p.ProgramVersion)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Pseudonym, p.DisplayName, prog, a.statusName(p.Status), dash(p.TherapistHandle), dash(a.day(p.StartDate)), dash(a.day(p.PlannedEnd)))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.env.stderr, "%s\n", a.T("cli.count.patients", "Count", len(list)))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&therapist, "therapist", "", "only this therapist's patients (handle)")
	fl.StringVar(&f.Status, "status", "", "only this enrollment status (active, scheduled, completed, discontinued) or 'referral'")
	fl.StringVar(&f.ProgramID, "program", "", "only this program")
	fl.StringVar(&f.Query, "query", "", "part of the pseudonym or name")
	fl.IntVar(&f.Limit, "limit", 0, "at most this many")
	addOutputFlag(cmd)
	return cmd
}

// measureRow is one scored response in 'patients show --output json'.
type measureRow struct {
	Instrument string                 `json:"instrument"`
	Validated  bool                   `json:"validated"`
	Week       int                    `json:"week"`
	AnsweredAt time.Time              `json:"answered_at"`
	Total      int                    `json:"total"`
	Band       string                 `json:"band"`
	Case       *bool                  `json:"case,omitempty"`
	Critical   []programs.CriticalHit `json:"critical,omitempty"`
	Change     *programs.Change       `json:"change,omitempty"` // from baseline; absent on the baseline itself
	Acked      bool                   `json:"acknowledged"`
}

type patientShow struct {
	Patient     store.Patient      `json:"patient"`
	Enrollments []store.Enrollment `json:"enrollments"`
	Referrals   []store.Referral   `json:"referrals"`
	Measures    []measureRow       `json:"measures"`
	Counts      map[string]int     `json:"counts"`
	RiskAcks    []store.RiskAck    `json:"risk_acks"`
}

func (a *app) patientsShowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show PATIENT",
		Short: "Show a patient's enrollments and scores over time with bands and change status",
		Long: `Show one patient (by id or pseudonym): enrollments, and every symptom score
with its severity band, critical items and change from baseline (reliable
improvement or deterioration, recovery). The read is written to the audit log.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := db.ReadablePatient(ctx, actor, args[0]) // unknown and not yours: one answer
			if err != nil {
				return err
			}
			rec, err := db.PatientRecord(ctx, actor, p.ID, "cli:patients show")
			if err != nil {
				return err
			}
			show := patientShow{Patient: rec.Patient, Enrollments: nonNil(rec.Enrollments), Referrals: nonNil(rec.Referrals), RiskAcks: nonNil(rec.RiskAcks),
				Measures: []measureRow{}, Counts: map[string]int{
					"submissions": len(rec.Submissions), "feedback": len(rec.Feedback), "messages": len(rec.Messages),
					"diary_entries": len(rec.Diary), "notes": len(rec.Notes)}}
			acked := map[string]bool{}
			for _, ack := range rec.RiskAcks {
				acked[ack.SourceID] = true
			}
			baseline := map[string]int{}
			for _, m := range rec.Measures {
				in, err := db.InstrumentDef(ctx, m.InstrumentID, m.InstrumentVersion)
				if err != nil {
					return err
				}
				sc, err := in.Score(m.Answers)
				if err != nil {
					return err
				}
				row := measureRow{Instrument: in.Name(), Validated: in.Validated != nil && *in.Validated, Week: m.Week, AnsweredAt: m.AnsweredAt,
					Total: sc.Total, Band: sc.Band, Case: sc.Case, Critical: sc.Critical, Acked: acked[m.ID]}
				key := m.EnrollmentID + "/" + m.InstrumentID
				if b, ok := baseline[key]; ok {
					ch := in.Change(b, sc.Total)
					row.Change = &ch
				} else {
					baseline[key] = sc.Total
				}
				show.Measures = append(show.Measures, row)
			}
			if o.json() {
				return writeJSON(a.env.stdout, show)
			}
			w := a.env.stdout
			pt := rec.Patient
			synthetic := ""
			if pt.Synthetic {
				synthetic = "  [" + a.T("cli.patients.synthetic") + "]"
			}
			fmt.Fprintf(w, "%s  %s  %s%s\n", pt.Pseudonym, pt.DisplayName, a.T("cli.patients.born", "Date", a.day(pt.BirthDate), "Lang", langNameIn(a.p, pt.Language)), synthetic)
			for _, r := range rec.Referrals {
				fmt.Fprintln(w, a.T("cli.patients.referral", "Date", a.day(a.local(r.ReceivedAt).Format("2006-01-02")), "Unit", r.ReferringUnit,
					"Program", r.RequestedProgram, "Status", a.statusName(r.Status)))
			}
			for _, e := range rec.Enrollments {
				def := rec.Programs[e.ProgramVersionID]
				th := rec.Therapists[e.TherapistID]
				status := a.statusName(e.Status)
				if e.Paused() {
					status += " (" + a.T("cli.patients.paused") + ")"
				}
				fmt.Fprintln(w, a.T("cli.patients.program", "Title", def.Title, "Version", def.Version, "Therapist", th.Handle, "Status", status,
					"Start", a.day(e.StartDate), "End", a.day(e.PlannedEnd), "Open", e.UnlockedModules, "Modules", len(def.Modules)))
			}
			fmt.Fprintln(w, a.T("cli.patients.records", "Submissions", len(rec.Submissions), "Feedback", len(rec.Feedback),
				"Messages", len(rec.Messages), "Diary", len(rec.Diary), "Notes", len(rec.Notes)))
			if len(show.Measures) == 0 {
				fmt.Fprintln(w, "\n"+a.T("cli.patients.no_scores"))
				return nil
			}
			fmt.Fprintln(w)
			byInstrument := map[string][]measureRow{}
			var names []string
			for _, m := range show.Measures {
				if _, ok := byInstrument[m.Instrument]; !ok {
					names = append(names, m.Instrument)
				}
				byInstrument[m.Instrument] = append(byInstrument[m.Instrument], m)
			}
			sort.Strings(names)
			for _, name := range names {
				rows := byInstrument[name]
				note := ""
				if !rows[0].Validated {
					note = "  (" + a.T("cli.patients.not_validated") + ")"
				}
				fmt.Fprintf(w, "%s%s\n", name, note)
				tw := newTable(w)
				fmt.Fprintln(tw, "  "+a.T("cli.patients.score_columns"))
				for _, m := range rows {
					change := a.T("cli.patients.baseline")
					if m.Change != nil {
						change = fmt.Sprintf("%+d, %s", m.Change.Delta, a.changeName(m.Change.Status))
					}
					crit := ""
					for _, c := range m.Critical {
						state := a.T("cli.patients.not_acknowledged")
						if m.Acked {
							state = a.T("cli.patients.acknowledged")
						}
						crit += a.T("cli.patients.critical", "Item", c.Item, "Answer", c.Answer, "Level", strings.ToUpper(c.Level), "State", state)
					}
					fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%s\t%s\n", a.day(a.local(m.AnsweredAt).Format("2006-01-02")), m.Week, m.Total, m.Band, change, crit)
				}
				tw.Flush()
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

// nonNil makes an empty list [] in JSON, never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
