package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"polku/store"
	"polku/store/syncer"
)

// The treatment's course from the command line: 'polku enrollments
// extend|pause|resume|complete|discontinue|transfer|show|sign-summary' and
// 'polku patients summary'. Each change is one store operation
// (store.DB.ChangeCourse); on a replica it is pushed to the server at once.

func (a *app) enrollmentsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "enrollments",
		Aliases: []string{"enrollment"},
		Short:   "Extend, pause, resume, complete, discontinue or transfer a treatment; sign its discharge summary",
		Long: `Change the course of a treatment. Each command takes a patient (pseudonym or
id: their current treatment; a finished one for sign-summary) or an
enrollment id. The change is made only if the enrollment is still at the
version you saw (--if-version; by default the version read just before),
and is written to the change log with who made it and why.

Who may: the therapist the treatment is assigned to, and a supervisor of
that therapist's team; a transfer only a supervisor. Admin accounts may not.`,
	}
	cmd.AddCommand(a.enrollmentsShowCmd(),
		a.courseCmd(store.CourseExtend), a.courseCmd(store.CoursePause), a.courseCmd(store.CourseResume),
		a.courseCmd(store.CourseComplete), a.courseCmd(store.CourseDiscontinue), a.courseCmd(store.CourseTransfer),
		a.signSummaryCmd())
	return cmd
}

var courseShort = map[string]string{
	store.CourseExtend:      "Move the planned end some weeks later, saying why",
	store.CoursePause:       "Pause a treatment: no inactivity or overdue start is raised while paused",
	store.CourseResume:      "Resume a paused treatment",
	store.CourseComplete:    "Complete a treatment: schedules the follow-up and drafts the discharge summary",
	store.CourseDiscontinue: "End a treatment early with a reason code: drafts the discharge summary",
	store.CourseTransfer:    "Move a treatment and the patient's whole record to another therapist (supervisor)",
}

var courseUse = map[string]string{
	store.CourseExtend:      "extend PATIENT|ENROLLMENT --weeks N --reason TEXT",
	store.CoursePause:       "pause PATIENT|ENROLLMENT [--reason TEXT]",
	store.CourseResume:      "resume PATIENT|ENROLLMENT [--reason TEXT]",
	store.CourseComplete:    "complete PATIENT|ENROLLMENT [--reason TEXT]",
	store.CourseDiscontinue: "discontinue PATIENT|ENROLLMENT --code CODE [--reason TEXT]",
	store.CourseTransfer:    "transfer PATIENT|ENROLLMENT --to HANDLE [--reason TEXT]",
}

var coursePast = map[string]string{
	store.CourseExtend: "extended", store.CoursePause: "paused", store.CourseResume: "resumed", store.CourseComplete: "completed",
	store.CourseDiscontinue: "discontinued", store.CourseTransfer: "transferred",
}

// courseResult is what a course command prints with --output json.
type courseResult struct {
	Enrollment store.Enrollment      `json:"enrollment"`
	Event      store.EnrollmentEvent `json:"event"`
	Draft      string                `json:"summary_draft,omitempty"` // id of the discharge summary draft made
	Delivery   string                `json:"delivery"`                // delivered, waiting (on a replica, not yet on the server)
}

func (a *app) courseCmd(kind string) *cobra.Command {
	var c store.CourseChange
	var to string
	var ifVersion int64
	cmd := &cobra.Command{
		Use:   courseUse[kind],
		Short: courseShort[kind],
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.Kind = kind
			switch kind {
			case store.CourseExtend:
				if c.Weeks == 0 {
					return usagef("%s", a.T("cli.course.weeks_required", "Max", store.MaxExtendWeeks))
				}
				if strings.TrimSpace(c.Reason) == "" {
					return usagef("%s", a.T("cli.course.reason_required"))
				}
			case store.CourseDiscontinue:
				if c.ReasonCode == "" {
					return usagef("%s", a.T("cli.course.code_required", "Codes", strings.Join(store.DiscontinueReasons, ", ")))
				}
			case store.CourseTransfer:
				if to == "" {
					return usagef("%s", a.T("cli.course.to_required"))
				}
			}
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			w, err := a.openWrite(ctx)
			if err != nil {
				return err
			}
			defer w.db.Close()
			actor, err := a.actor(ctx, w.db)
			if err != nil {
				return err
			}
			e, err := a.findEnrollment(ctx, w.db, actor, args[0], false)
			if err != nil {
				return err
			}
			c.EnrollmentID, c.Version = e.ID, e.Version
			// The discharge summary draft an end writes is in the language of
			// the person ending it (--lang, their own setting, then the
			// environment), as the workbench's course dialog writes it.
			c.Lang = a.p.Lang()
			if cmd.Flags().Changed("if-version") {
				c.Version = ifVersion
			}
			if kind == store.CourseTransfer {
				th, err := w.db.TherapistByHandle(ctx, to)
				if err != nil {
					return errors.New(a.T("cli.course.no_to", "Handle", fmt.Sprintf("%q", to)))
				}
				c.ToTherapist = th.ID
			}
			r, err := w.db.StepCourse(ctx, actor, c)
			if err != nil {
				return a.describeCourseError(err)
			}
			after := r.Enrollment
			res := courseResult{Enrollment: after, Event: r.Event, Draft: r.DraftID}
			res.Delivery = w.push(ctx, after.ID)
			if o.json() {
				return writeJSON(a.env.stdout, res)
			}
			a.printCourse(ctx, w.db, res)
			return nil
		},
	}
	f := cmd.Flags()
	f.Int64Var(&ifVersion, "if-version", 0, "change it only if the enrollment is still at this version (see 'enrollments show')")
	f.StringVar(&c.Reason, "reason", "", "why, in words")
	switch kind {
	case store.CourseExtend:
		f.IntVar(&c.Weeks, "weeks", 0, fmt.Sprintf("weeks to add (1-%d)", store.MaxExtendWeeks))
	case store.CourseDiscontinue:
		f.StringVar(&c.ReasonCode, "code", "", "reason code: "+strings.Join(store.DiscontinueReasons, ", "))
		cmd.RegisterFlagCompletionFunc("code", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return store.DiscontinueReasons, cobra.ShellCompDirectiveNoFileComp
		})
	case store.CourseTransfer:
		f.StringVar(&to, "to", "", "handle of the therapist who takes over")
		cmd.RegisterFlagCompletionFunc("to", a.completeHandles)
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) printCourse(ctx context.Context, db *store.DB, res courseResult) {
	w := a.env.stdout
	e := res.Enrollment
	past := coursePast[res.Event.Kind]
	if a.p.Lang() != "en" {
		past = a.T("cli.course.past." + res.Event.Kind)
	}
	fmt.Fprintln(w, a.T("cli.course.done", "Past", past, "ID", e.ID, "Program", e.ProgramID, "Version", e.Version))
	switch res.Event.Kind {
	case store.CourseExtend:
		fmt.Fprintln(w, a.T("cli.course.planned_end", "Date", a.day(e.PlannedEnd)))
	case store.CourseTransfer:
		if th, err := db.Therapist(ctx, e.TherapistID); err == nil {
			fmt.Fprintln(w, a.T("cli.course.assigned", "Handle", th.Handle))
		}
	case store.CourseComplete, store.CourseDiscontinue:
		if e.FollowUpDue != "" {
			fmt.Fprintln(w, a.T("cli.course.follow_up", "Date", a.day(e.FollowUpDue)))
		}
		if res.Draft != "" {
			fmt.Fprintln(w, a.T("cli.course.drafted"))
		}
	}
	if res.Delivery == string(syncer.Waiting) {
		fmt.Fprintln(w, a.T("cli.course.saved_here"))
	}
}

// describeCourseError adds the next step to a refused change.
func (a *app) describeCourseError(err error) error {
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		return fmt.Errorf("%s: %w", a.T("cli.course.changed_meanwhile", "ID", ce.ID, "Current", ce.Current, "Want", ce.Want), store.ErrConflict)
	}
	return err
}

// findEnrollment resolves an enrollment id, or a patient (pseudonym or
// id) to their current enrollment (active or scheduled), or with finished
// to their latest completed or discontinued one.
func (a *app) findEnrollment(ctx context.Context, db *store.DB, actor store.Actor, ref string, finished bool) (store.Enrollment, error) {
	if e, err := db.Enrollment(ctx, actor, ref); err == nil {
		return e, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return e, err
	}
	p, err := db.ReadablePatient(ctx, actor, ref)
	if err != nil {
		return store.Enrollment{}, err
	}
	list, err := db.PatientEnrollments(ctx, actor, p.ID)
	if err != nil {
		return store.Enrollment{}, err
	}
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Finished() == finished {
			return list[i], nil
		}
	}
	if finished {
		return store.Enrollment{}, fmt.Errorf("%s: %w", a.T("cli.course.none_finished", "Patient", p.Pseudonym), store.ErrNotFound)
	}
	return store.Enrollment{}, fmt.Errorf("%s: %w", a.T("cli.course.none_current", "Patient", p.Pseudonym), store.ErrNotFound)
}

// writeStore is a store to change: the local one, or the replica of the
// login, whose engine pushes the change at once.
type writeStore struct {
	db  *store.DB
	eng *syncer.Engine
	a   *app
}

func (a *app) openWrite(ctx context.Context) (*writeStore, error) {
	if a.server != "" || a.env.getenv("POLKU_SERVER") != "" || (a.dbPath == "" && a.env.getenv("POLKU_DB") == "") {
		l, ok, err := a.serverLogin(false)
		if err != nil {
			return nil, err
		}
		if ok {
			db, eng, err := a.openReplica(ctx, l)
			if err != nil {
				return nil, err
			}
			if eng.Status().LastSync.IsZero() {
				if _, err := eng.Round(ctx); err != nil {
					db.Close()
					return nil, fmt.Errorf("%s: %w", a.T("cli.sync.first_failed"), err)
				}
			}
			th, err := db.Therapist(ctx, l.TherapistID)
			if err != nil {
				db.Close()
				return nil, err
			}
			if h := a.handle(); h != "" && h != th.Handle {
				db.Close()
				return nil, usagef("%s", a.T("cli.course.signed_in_as", "Server", l.Server, "Handle", th.Handle, "Want", h))
			}
			a.as = th.Handle
			a.useZoneOf(ctx, db)
			return &writeStore{db: db, eng: eng, a: a}, nil
		}
	}
	db, err := a.open(ctx, false)
	if err != nil {
		return nil, err
	}
	return &writeStore{db: db, a: a}, nil
}

// push sends what was just written (on a replica) and says where the
// record stands: delivered, or waiting on this device.
func (w *writeStore) push(ctx context.Context, id string) string {
	if w.eng == nil {
		return string(syncer.Delivered)
	}
	if _, err := w.eng.Round(ctx); err != nil {
		fmt.Fprintf(w.a.env.stderr, "polku: %s\n", w.a.T("cli.course.not_reached", "Err", netMessage(w.a.p, err)))
	}
	d, err := syncer.DeliveryOf(ctx, w.db, id)
	if err != nil {
		return string(syncer.Waiting)
	}
	return string(d)
}

// enrollmentShow is 'enrollments show --output json'.
type enrollmentShow struct {
	Enrollment store.Enrollment        `json:"enrollment"`
	Therapist  string                  `json:"therapist"`
	Course     []store.EnrollmentEvent `json:"course"`
}

func (a *app) enrollmentsShowCmd() *cobra.Command {
	var finished bool
	cmd := &cobra.Command{
		Use:   "show PATIENT|ENROLLMENT",
		Short: "Show a treatment's status, version and course",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, actor, o, err := a.beginAs(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			e, err := a.findEnrollment(ctx, db, actor, args[0], finished)
			if err != nil {
				return err
			}
			evs, err := db.CourseEvents(ctx, actor, e.ID)
			if err != nil {
				return err
			}
			// The course says why (a pause for surgery): a read of the record.
			if err := db.RecordAccess(ctx, actor, e.PatientID, "read", "cli:enrollments show"); err != nil {
				return err
			}
			if evs == nil {
				evs = []store.EnrollmentEvent{}
			}
			th, _ := db.Therapist(ctx, e.TherapistID)
			v := enrollmentShow{Enrollment: e, Therapist: th.Handle, Course: evs}
			if o.json() {
				return writeJSON(a.env.stdout, v)
			}
			w := a.env.stdout
			status := a.statusName(e.Status)
			if e.Paused() {
				status += a.T("cli.course.paused_since", "Date", a.day(a.local(*e.PausedSince).Format("2006-01-02")))
			}
			fmt.Fprintln(w, a.T("cli.course.show.heading", "ID", e.ID, "Program", e.ProgramID, "Handle", th.Handle, "Version", e.Version))
			fmt.Fprintln(w, a.T("cli.course.show.status", "Status", status))
			fmt.Fprint(w, a.T("cli.course.show.dates", "Start", a.day(e.StartDate), "End", a.day(e.PlannedEnd)))
			if e.EndedOn != "" {
				fmt.Fprint(w, a.T("cli.course.show.ended", "Date", a.day(e.EndedOn)))
			}
			fmt.Fprintln(w)
			if e.FollowUpDue != "" {
				fmt.Fprintln(w, a.T("cli.course.show.follow_up", "Date", a.day(e.FollowUpDue)))
			}
			handle := func(id string) string {
				if t, err := db.Therapist(ctx, id); err == nil {
					return t.Handle
				}
				return strings.TrimPrefix(id, "os:")
			}
			for _, ev := range evs {
				fmt.Fprintln(w, a.T("cli.course.show.course", "Event", store.DescribeEvent(ev, handle)))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&finished, "finished", false, "with a patient: their latest completed or discontinued treatment")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) signSummaryCmd() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "sign-summary PATIENT|ENROLLMENT [--file FILE|-]",
		Short: "Sign the discharge summary of a finished treatment",
		Long: `Sign the discharge summary of a completed or discontinued treatment (a
patient names their latest one). With --file the text is read from the file
('-' for standard input) and signed as it is; without, the summary draft is
opened in $VISUAL or $EDITOR first. A signed summary is never changed: signing
again makes a correction that supersedes it. Print it with 'polku patients
summary'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			var body string
			if file != "" {
				var b []byte
				var err error
				if file == "-" {
					b, err = io.ReadAll(io.LimitReader(a.env.stdin, 1<<20))
				} else {
					b, err = os.ReadFile(file)
				}
				if err != nil {
					return fmt.Errorf("--file: %w", err)
				}
				if body = string(b); strings.TrimSpace(body) == "" {
					return usagef("%s", a.T("cli.course.file_empty", "File", file))
				}
			}
			w, err := a.openWrite(ctx)
			if err != nil {
				return err
			}
			defer w.db.Close()
			actor, err := a.actor(ctx, w.db)
			if err != nil {
				return err
			}
			e, err := a.findEnrollment(ctx, w.db, actor, args[0], true)
			if err != nil {
				return err
			}
			if file == "" {
				if body, err = a.editDraft(ctx, w.db, actor, e.ID); err != nil {
					return err
				}
			}
			s, err := w.db.SignSummary(ctx, actor, e.ID, body)
			if err != nil {
				return err
			}
			delivery := w.push(ctx, s.ID)
			if o.json() {
				return writeJSON(a.env.stdout, struct {
					Summary  store.Summary `json:"summary"`
					Delivery string        `json:"delivery"`
				}{s, delivery})
			}
			fmt.Fprint(a.env.stdout, a.T("cli.course.signed", "ID", s.ID, "Enrollment", e.ID))
			if s.Supersedes != "" {
				fmt.Fprint(a.env.stdout, a.T("cli.course.correction", "ID", s.Supersedes))
			}
			fmt.Fprintln(a.env.stdout)
			if delivery == string(syncer.Waiting) {
				fmt.Fprintln(a.env.stdout, a.T("cli.course.saved_here"))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "sign this text (a file, or - for standard input) without an editor")
	addOutputFlag(cmd)
	return cmd
}

// editDraft opens the summary draft in the user's editor and saves what
// comes back as the draft; it returns the text to sign.
func (a *app) editDraft(ctx context.Context, db *store.DB, actor store.Actor, enrollmentID string) (string, error) {
	editor := a.env.getenv("VISUAL")
	if editor == "" {
		editor = a.env.getenv("EDITOR")
	}
	if editor == "" {
		return "", usagef("%s", a.T("cli.course.no_editor"))
	}
	d, err := db.SummaryDraftIn(ctx, actor, enrollmentID, a.p.Lang())
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "polku-summary-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(path, []byte(d.Body), 0o600); err != nil {
		return "", err
	}
	parts := strings.Fields(editor)
	c := exec.CommandContext(ctx, parts[0], append(parts[1:], path)...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Run(); err != nil {
		return "", errors.New(a.T("cli.course.editor_failed", "Editor", parts[0], "Err", err.Error()))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	d.Body = string(b)
	if _, err := db.SaveDraft(ctx, actor, d); err != nil {
		return "", err
	}
	if strings.TrimSpace(d.Body) == "" {
		return "", usagef("%s", a.T("cli.course.summary_empty"))
	}
	return d.Body, nil
}

func (a *app) patientsSummaryCmd() *cobra.Command {
	var format, enrollment string
	cmd := &cobra.Command{
		Use:   "summary PATIENT [--format md|json]",
		Short: "Print the discharge summary of a patient's latest finished treatment",
		Long: `Print the signed discharge summary of the patient's latest completed or
discontinued treatment (or of --enrollment), as markdown or JSON (the text
and the figures it was signed with). Before it is signed, the figures as they
are now are printed, marked as not signed. The read is written to the audit
log.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "md" && format != "json" {
				return usagef("%s", a.T("cli.course.bad_format", "Value", strconv.Quote(format)))
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
			v, err := db.PatientSummary(ctx, actor, args[0], enrollment)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.env.stdout, v)
			}
			fmt.Fprint(a.env.stdout, v.Markdown())
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md or json")
	cmd.Flags().StringVar(&enrollment, "enrollment", "", "the treatment (default: the latest finished one)")
	return cmd
}
