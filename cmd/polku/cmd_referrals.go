package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"polku/internal/i18n"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"polku/store"
)

func (a *app) referralsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "referrals",
		Aliases: []string{"referral"},
		Short:   "Receive referrals, work the intake queue, assess and decide",
	}
	cmd.AddCommand(a.referralsAddCmd(), a.referralsListCmd(), a.referralsShowCmd(), a.referralsAssessCmd(),
		a.referralsAcceptCmd(), a.referralsDeclineCmd(), a.referralsWaitCmd())
	return cmd
}

// intakeWrite opens the store and the actor for an intake write: after
// 'polku login' the replica (the decision waits in its outbox for the next
// sync: 'polku sync' or the workbench), else the local store.
func (a *app) intakeWrite(cmd *cobra.Command) (context.Context, *store.DB, store.Actor, *output, error) {
	ctx := cmd.Context()
	o := outputOf(cmd)
	if cmd.Flags().Lookup("output") != nil {
		if err := o.check(); err != nil {
			return ctx, nil, store.Actor{}, nil, err
		}
	}
	w, err := a.openWrite(ctx)
	if err != nil {
		return ctx, nil, store.Actor{}, nil, err
	}
	db := w.db
	if w.eng != nil {
		fmt.Fprintln(a.env.stderr, "polku: "+a.T("cli.intake.on_replica"))
	}
	actor, err := a.actor(ctx, db)
	if err != nil {
		db.Close()
		return ctx, nil, store.Actor{}, nil, err
	}
	return ctx, db, actor, o, nil
}

func (a *app) referralsAddCmd() *cobra.Command {
	var in store.ReferralIn
	var file string
	var codes, screening []string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "add (--file referral.json | --source ID --pseudonym P --name NAME --birth-date YYYY-MM-DD ...)",
		Short: "Receive a referral (the same source id twice is one referral)",
		Long: `Receive a referral: from a JSON file (the body of POST /v1/referrals,
docs/api.md) or from flags. A new pseudonym makes the patient too. Every
problem names its field. A source id already stored answers with the stored
referral and changes nothing.

--screening takes INSTRUMENT=TOTAL@DATE or INSTRUMENT=A,B,C,...@DATE (the
item answers), e.g. gad7=14@2026-11-20 or phq9=1,1,2,1,0,1,1,0,0@2026-11-20.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file != "" {
				raw, err := readInput(a, file)
				if err != nil {
					return err
				}
				dec := json.NewDecoder(strings.NewReader(string(raw)))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&in); err != nil {
					return usagef("%s", a.T("cli.referrals.bad_file", "File", file, "Err", err.Error()))
				}
			}
			in.Codes = append(in.Codes, codes...)
			for _, s := range screening {
				sc, err := parseScreening(s)
				if err != nil {
					return usagef("--screening %s: %s", s, a.screeningError(err))
				}
				in.Screening = append(in.Screening, sc)
			}
			ctx, db, actor, o, err := a.intakeWrite(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			got, err := db.ReceiveReferral(ctx, actor, in, dryRun)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, got)
			}
			switch {
			case dryRun:
				fmt.Fprintln(a.env.stdout, a.T("cli.intake.would_add", "Source", in.SourceID, "Patient", got.Patient.Pseudonym))
			case !got.Created:
				fmt.Fprintln(a.env.stdout, a.T("cli.intake.already", "Source", got.Referral.SourceID, "ID", got.Referral.ID, "Date", a.day(got.Referral.ReceivedAt.Format("2006-01-02"))))
			default:
				fmt.Fprintln(a.env.stdout, a.T("cli.intake.received", "Source", got.Referral.SourceID, "ID", got.Referral.ID, "Patient", got.Patient.Pseudonym))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&file, "file", "", "a referral as JSON ('-' for standard input)")
	f.StringVar(&in.SourceID, "source", "", "the sender's id of the referral (required)")
	f.StringVar(&in.Patient.Pseudonym, "pseudonym", "", "patient pseudonym")
	f.StringVar(&in.Patient.DisplayName, "name", "", "patient display name")
	f.StringVar(&in.Patient.BirthDate, "birth-date", "", "patient birth date YYYY-MM-DD")
	f.StringVar(&in.Patient.Language, "language", "fi", "patient language: fi, sv or en")
	f.StringVar(&in.Region, "region", "", "wellbeing services county, helsinki or aland")
	f.StringVar(&in.Referrer.Name, "referrer", "", "referring doctor's name")
	f.StringVar(&in.Referrer.Organisation, "organisation", "", "referring organisation")
	f.StringVar(&in.Reason, "reason", "", "the reason for the referral, as text")
	f.StringSliceVar(&codes, "code", nil, "ICD-10 code (repeat or comma-separate), e.g. F41.1")
	f.StringArrayVar(&screening, "screening", nil, "screening score INSTRUMENT=TOTAL@DATE or INSTRUMENT=A,B,...@DATE")
	f.StringVar(&in.WishedProgram, "program", "", "the program the referrer wishes")
	f.StringVar(&in.Notes, "notes", "", "free-text notes")
	f.StringVar(&in.DoctorAssessment, "doctor-assessment", "", "the referring doctor's assessment (16-17 year olds)")
	f.StringVar(&in.Team, "team", "", "the team whose intake queue takes it (default: every team's)")
	f.BoolVar(&dryRun, "dry-run", false, "check everything, write nothing")
	addOutputFlag(cmd)
	return cmd
}

func readInput(a *app, file string) ([]byte, error) {
	if file == "-" {
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := a.env.stdin.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return []byte(b.String()), nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	return raw, nil
}

// errScreeningForm: a --screening value not in either form.
var errScreeningForm = errors.New("write INSTRUMENT=TOTAL@DATE or INSTRUMENT=A,B,...@DATE")

// notNumberError is a --screening answer that is not a number.
type notNumberError string

func (e notNumberError) Error() string { return strconv.Quote(string(e)) + " is not a number" }

// screeningError says a parseScreening error in the reader's language.
func (a *app) screeningError(err error) string {
	var nn notNumberError
	switch {
	case errors.Is(err, errScreeningForm):
		return a.T("cli.referrals.screening_form")
	case errors.As(err, &nn):
		return a.T("cli.referrals.not_number", "Value", strconv.Quote(string(nn)))
	}
	return err.Error()
}

// parseScreening reads INSTRUMENT=TOTAL@DATE or INSTRUMENT=A,B,...@DATE.
func parseScreening(s string) (store.Screening, error) {
	var sc store.Screening
	inst, rest, ok := strings.Cut(s, "=")
	val, date, ok2 := strings.Cut(rest, "@")
	if !ok || !ok2 || inst == "" || date == "" {
		return sc, errScreeningForm
	}
	sc.Instrument, sc.Date = inst, date
	parts := strings.Split(val, ",")
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return sc, notNumberError(p)
		}
		nums[i] = n
	}
	if len(nums) == 1 {
		sc.Total = &nums[0]
	} else {
		sc.Answers = nums
	}
	return sc, nil
}

func (a *app) referralsListCmd() *cobra.Command {
	var team string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "The intake queue: the team's open referrals, risk first, then by the start promise",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd) // with a saved login, the replica (like 'patients show'), else the local store
			if err != nil {
				return err
			}
			defer db.Close()
			q, err := db.Intake(ctx, actor, team)
			if err != nil {
				return err
			}
			if q.Items == nil {
				q.Items = []store.IntakeItem{}
			}
			if o.json() {
				return writeJSON(a.env.stdout, q)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.referrals.queue", "Open", q.Open, "Late", q.OverPromise, "Days", q.PromiseDays, "Waiting", q.Waiting))
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.referrals.columns"))
			for _, it := range q.Items {
				var badges, why []string
				for _, r := range it.Reasons {
					badges = append(badges, r.Badge)
					why = append(why, r.Text)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", it.ReferralID, it.Pseudonym, age(it.Age), dash(it.WishedProgram),
					strings.Join(badges, " "), strings.Join(why, "; "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&team, "team", "", "team (the store's owner at the CLI; others work their own)")
	addOutputFlag(cmd)
	return cmd
}

func age(n int) string {
	if n < 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

// resolveReferral finds a referral by id or source id.
func resolveReferral(ctx context.Context, db *store.DB, ref string) (store.Referral, error) {
	return db.ResolveReferral(ctx, ref)
}

func (a *app) referralsShowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show REFERRAL",
		Short: "Show a referral with the program, therapist, start date and service suggestions",
		Long: `Show one referral (by id or source id): the patient, the referral's content,
the assessments, and the suggestions: programs by their indications, the
team's therapists by language, free capacity and backlog, a start date
within the promise, and the services of the patient's region. Suggestions
are never decisions. The read is written to the audit log.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd) // with a saved login, the replica (like 'patients show'), else the local store
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := resolveReferral(ctx, db, args[0])
			if err != nil {
				return err
			}
			d, err := db.ReferralDetail(ctx, actor, r.ID)
			if err != nil {
				return err
			}
			if l := a.uiLang(""); l != i18n.EN {
				d.Localize(i18n.New(l)) // the suggestions' sentences; the codes stay
			}
			if o.json() {
				return writeJSON(a.env.stdout, d)
			}
			w := a.env.stdout
			rf := d.Referral
			fmt.Fprintln(w, a.T("cli.referrals.show.referral", "ID", rf.ID, "Source", dash(rf.SourceID), "Status", a.statusName(rf.Status)))
			fmt.Fprintln(w, a.T("cli.referrals.show.patient", "Pseudonym", d.Patient.Pseudonym, "Name", d.Patient.DisplayName, "Age", age(d.Item.Age),
				"Lang", langNameIn(a.p, d.Patient.Language), "Region", dash(rf.Region)))
			received := rf.ReceivedAt.Format("2006-01-02 15:04")
			if a.p.Lang() != "en" {
				received = a.p.DateTime(a.local(rf.ReceivedAt))
			}
			fmt.Fprintln(w, a.T("cli.referrals.show.from", "Referrer", dash(rf.ReferrerName), "Unit", rf.ReferringUnit, "Received", received))
			fmt.Fprintln(w, a.T("cli.referrals.show.reason", "Reason", dash(rf.Reason)))
			if len(rf.Codes) > 0 {
				fmt.Fprintln(w, a.T("cli.referrals.show.codes", "Codes", strings.Join(rf.Codes, ", ")))
			}
			for _, s := range rf.Screening {
				if s.Total != nil {
					fmt.Fprintln(w, a.T("cli.referrals.show.score", "Instrument", s.Instrument, "Total", *s.Total, "Date", a.day(s.Date)))
				}
			}
			if rf.RequestedProgram != "" {
				fmt.Fprintln(w, a.T("cli.referrals.show.wished", "Program", rf.RequestedProgram))
			}
			if rf.DoctorAssessment != "" {
				fmt.Fprintln(w, a.T("cli.referrals.show.doctor", "Text", rf.DoctorAssessment))
			}
			if rf.Notes != "" {
				fmt.Fprintln(w, a.T("cli.referrals.show.notes", "Text", rf.Notes))
			}
			if d.Decision != "" {
				fmt.Fprintln(w, a.T("cli.referrals.show.decided", "Decision", d.Decision)+noteSuffix(rf.Note))
				return nil
			}
			for _, r := range d.Item.Reasons {
				fmt.Fprintln(w, a.T("cli.referrals.show.why", "Text", r.Text))
			}
			for _, as := range d.Assessments {
				fmt.Fprintf(w, "assessed %s %s: %s\n", as.AssessedAt.Format("2006-01-02"), dash(as.Method), answers(as.Answers))
			}
			fmt.Fprintln(w, "\n"+a.T("cli.referrals.show.programs"))
			if len(d.Programs) == 0 {
				fmt.Fprintln(w, "  "+a.T("cli.referrals.show.no_program"))
			}
			for _, p := range d.Programs {
				fmt.Fprintf(w, "  %s  %s", p.ProgramID, p.Text)
				if len(p.Notes) > 0 {
					fmt.Fprintf(w, " (%s)", strings.Join(p.Notes, "; "))
				}
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, a.T("cli.referrals.show.therapists"))
			for _, t := range d.Therapists {
				fmt.Fprintf(w, "  %s\n", t.Text)
			}
			if d.WaitingList {
				fmt.Fprintln(w, "  "+a.T("cli.referrals.show.no_capacity", "ID", rf.ID))
			}
			fmt.Fprintln(w, a.T("cli.referrals.show.start", "Start", a.day(d.StartDate), "Promise", a.day(d.PromiseDate)))
			fmt.Fprintln(w, a.T("cli.referrals.show.services"))
			for _, s := range d.Services {
				fmt.Fprintf(w, "  %s  %s: %s\n", s.ServiceID, s.Name, s.For)
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func noteSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func answers(m map[string]string) string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func (a *app) referralsAssessCmd() *cobra.Command {
	var as store.Assessment
	var criteria []string
	var file string
	cmd := &cobra.Command{
		Use:   "assess REFERRAL --criterion ID=yes|no|unknown ... [--program P] [--method records|phone|video]",
		Short: "Record a suitability assessment (append-only)",
		Long: `Record a suitability assessment against a program's eligibility checklist
(the default checklist without --program): each --criterion is ID=yes, no
or unknown. For an exclusion (acute-suicidality, psychosis, substance-use,
urgent-care), yes rules the patient out. A phone or video assessment is
--method phone|video with --note. --file reads a JSON assessment instead.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if file != "" {
				raw, err := readInput(a, file)
				if err != nil {
					return err
				}
				if err := json.Unmarshal(raw, &as); err != nil {
					return usagef("%s: %v", file, err)
				}
			}
			if as.Answers == nil {
				as.Answers = map[string]string{}
			}
			for _, c := range criteria {
				k, v, ok := strings.Cut(c, "=")
				if !ok {
					return usagef("%s", a.T("cli.referrals.bad_criterion", "Value", c))
				}
				as.Answers[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			ctx, db, actor, o, err := a.intakeWrite(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := resolveReferral(ctx, db, args[0])
			if err != nil {
				return err
			}
			as.ReferralID, as.PatientID = r.ID, r.PatientID
			got, err := db.AssessReferral(ctx, actor, as)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, got)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.intake.assessed", "ID", got.ID, "Answers", answers(got.Answers)))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&criteria, "criterion", nil, "ID=yes|no|unknown (repeat)")
	f.StringVar(&as.ProgramID, "program", "", "the program whose checklist is answered")
	f.StringVar(&as.Method, "method", "", "records, phone or video")
	f.StringVar(&as.Note, "note", "", "a note on the assessment")
	f.StringVar(&file, "file", "", "an assessment as JSON")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) referralsAcceptCmd() *cobra.Command {
	var req store.AcceptRequest
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "accept REFERRAL [--program P] [--therapist H] [--start YYYY-MM-DD] [--reason TEXT]",
		Short: "Accept a referral: the enrollment, the assignment and the patient's notification in one operation",
		Long: `Accept a referral. Without flags polku takes its suggestions: the wished
program, the team's therapist who speaks the patient's language with the
most free capacity, and the next working day. A start beyond the promise
needs --reason. --expect-version is the referral version you saw: if
someone decided it since, you are told what they decided.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.intakeWrite(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := resolveReferral(ctx, db, args[0])
			if err != nil {
				return err
			}
			req.ReferralID = r.ID
			got, err := db.AcceptReferral(ctx, actor, req, dryRun)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, got)
			}
			id := "cli.intake.accepted"
			if dryRun {
				id = "cli.intake.would_accept"
			}
			fmt.Fprintln(a.env.stdout, a.T(id, "ID", r.ID, "Program", got.Enrollment.ProgramID, "Therapist", got.Therapist,
				"Start", a.day(got.Enrollment.StartDate), "Status", a.statusName(got.Enrollment.Status)))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.ProgramID, "program", "", "program id (default: the wished one)")
	f.IntVar(&req.ProgramVer, "program-version", 0, "program version (default: the newest)")
	f.StringVar(&req.Therapist, "therapist", "", "therapist handle (default: the first suggested)")
	f.StringVar(&req.StartDate, "start", "", "start date YYYY-MM-DD (default: the next working day)")
	f.StringVar(&req.Reason, "reason", "", "why the start is beyond the promise")
	f.StringVar(&req.DoctorAssessment, "doctor-assessment", "", "the referring doctor's assessment (a 16-17-year-old in an adults' program), if it came after the referral")
	f.Int64Var(&req.Version, "expect-version", 0, "the referral version you decided on (default: the current one)")
	f.BoolVar(&dryRun, "dry-run", false, "check everything, write nothing")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) referralsDeclineCmd() *cobra.Command {
	var req store.DeclineRequest
	var dryRun bool
	codes := make([]string, len(store.DeclineCodes))
	for i, c := range store.DeclineCodes {
		codes[i] = c[0]
	}
	cmd := &cobra.Command{
		Use:   "decline REFERRAL --code CODE --text TEXT [--service SERVICE]",
		Short: "Decline a referral and refer onward; the referrer's notification is queued",
		Long: "Decline a referral with a reason code (" + strings.Join(codes, ", ") + `)
and a text, and point the patient to a service of the directory
('polku referrals show' lists those of the patient's region).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.intakeWrite(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := resolveReferral(ctx, db, args[0])
			if err != nil {
				return err
			}
			req.ReferralID = r.ID
			n, err := db.DeclineReferral(ctx, actor, req, dryRun)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, map[string]any{"referral_id": r.ID, "notification": n, "dry_run": dryRun})
			}
			id := "cli.intake.declined"
			if dryRun {
				id = "cli.intake.would_decline"
			}
			fmt.Fprintln(a.env.stdout, a.T(id, "ID", r.ID, "Code", req.Code))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Code, "code", "", "reason code: "+strings.Join(codes, ", "))
	f.StringVar(&req.Text, "text", "", "the reason in words")
	f.StringVar(&req.Service, "service", "", "the service the patient is pointed to")
	f.Int64Var(&req.Version, "expect-version", 0, "the referral version you decided on (default: the current one)")
	f.BoolVar(&dryRun, "dry-run", false, "check everything, write nothing")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) referralsWaitCmd() *cobra.Command {
	var reason string
	var version int64
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "wait REFERRAL [--reason TEXT]",
		Short: "Put a referral on the waiting list (no therapist has capacity)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.intakeWrite(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := resolveReferral(ctx, db, args[0])
			if err != nil {
				return err
			}
			if err := db.WaitReferral(ctx, actor, r.ID, version, reason, dryRun); err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, map[string]any{"referral_id": r.ID, "waiting": true, "dry_run": dryRun})
			}
			id := "cli.intake.waiting"
			if dryRun {
				id = "cli.intake.would_wait"
			}
			fmt.Fprintln(a.env.stdout, a.T(id, "ID", r.ID))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&reason, "reason", "", "why (e.g. nobody speaks sv with free capacity)")
	f.Int64Var(&version, "expect-version", 0, "the referral version you decided on (default: the current one)")
	f.BoolVar(&dryRun, "dry-run", false, "check everything, write nothing")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) therapistsSetCmd() *cobra.Command {
	var intake bool
	var uiLang string
	cmd := &cobra.Command{
		Use:   "set HANDLE [--intake=true|false] [--ui-lang fi|sv|en]",
		Short: "Change an account: whether it works the team's intake queue, the language of its interface",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			setIntake, setLang := cmd.Flags().Changed("intake"), cmd.Flags().Changed("ui-lang")
			if !setIntake && !setLang {
				return usagef("%s", a.T("cli.therapists.set_what"))
			}
			if setLang {
				if err := a.checkUILang(uiLang); err != nil {
					return err
				}
			}
			ctx, db, actor, o, err := a.intakeWrite(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			th, err := db.TherapistByHandle(ctx, args[0])
			if err != nil {
				return err
			}
			if setIntake {
				if err := db.SetTherapistIntake(ctx, actor, th.ID, th.Version, intake); err != nil {
					return err
				}
				if th, err = db.TherapistByHandle(ctx, args[0]); err != nil {
					return err
				}
			}
			if setLang {
				if err := db.SetTherapistUILang(ctx, actor, th.ID, th.Version, uiLang); err != nil {
					return err
				}
				if th, err = db.TherapistByHandle(ctx, args[0]); err != nil {
					return err
				}
			}
			if th.ID == actor.ID {
				a.speak(th) // the confirmation in the language just chosen
			}
			if o.json() {
				return writeJSON(a.env.stdout, th)
			}
			if setIntake {
				fmt.Fprintln(a.env.stdout, a.T("cli.therapists.intake_set", "Handle", th.Handle, "Value", a.yesNo(th.Intake)))
			}
			if setLang {
				fmt.Fprintln(a.env.stdout, a.T("cli.therapists.ui_lang_set", "Handle", th.Handle, "Lang", a.uiLangName(th.UILang)))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&intake, "intake", false, "works the team's intake queue")
	cmd.Flags().StringVar(&uiLang, "ui-lang", "", "language of the interface: fi, sv or en ('' clears it: --lang, then LC_ALL/LC_MESSAGES/LANG decide)")
	addOutputFlag(cmd)
	return cmd
}
