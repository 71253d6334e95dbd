package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"polku/store"
)

// auditPeriod reads --from and --to as days; to is returned as the start
// of the day after (exclusive). Zero: no bound. inZone moves the days to
// the service's zone once the store is open.
func auditPeriod(from, to string) (time.Time, time.Time, error) {
	var f, t time.Time
	var err error
	if from != "" {
		if f, err = time.Parse(time.DateOnly, from); err != nil {
			return f, t, usagef("--from %q: want a date as YYYY-MM-DD", from)
		}
	}
	if to != "" {
		if t, err = time.Parse(time.DateOnly, to); err != nil {
			return f, t, usagef("--to %q: want a date as YYYY-MM-DD", to)
		}
		t = t.AddDate(0, 0, 1)
	}
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		return f, t, usagef("--to %s is before --from %s", to, from)
	}
	return f, t, nil
}

// inZone is the same calendar day's midnight in the service's zone.
func (a *app) inZone(d time.Time) time.Time {
	if d.IsZero() {
		return d
	}
	loc := time.Local
	if a.zone != nil {
		loc = a.zone
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

func (a *app) zoneName() string {
	if a.zone != nil {
		return a.zone.String()
	}
	return time.Local.String()
}

// auditBy lists everything one user read: the privacy officer's view.
func (a *app) auditBy(ctx context.Context, db *store.DB, actor store.Actor, o *output, handle string, from, to time.Time) error {
	r, err := db.UserAccess(ctx, actor, handle, from, to, "cli:audit --by")
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user with handle %q (see 'polku therapists list')", handle)
	}
	if err != nil {
		return err
	}
	if o.json() {
		return writeJSON(a.env.stdout, r)
	}
	team := ""
	if r.User.Team != "" {
		team = ", team " + r.User.Team
	}
	fmt.Fprintf(a.env.stdout, "Reads by %s (%s, %s%s): %d; %d of patients %s was not assigned to at the time (marked !)\n\n",
		r.User.Handle, r.User.Name, r.User.Role, team, len(r.Reads), r.Unassigned, r.User.Handle)
	tw := newTable(a.env.stdout)
	fmt.Fprintln(tw, "\tWHEN\tPATIENT\tDEVICE\tACTION\tWHAT\tPURPOSE")
	for _, rd := range r.Reads {
		mark := ""
		if rd.Purpose == store.PurposeNone {
			mark = "!"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark, a.local(rd.At).Format("2006-01-02 15:04:05"), rd.Pseudonym, dash(rd.Device), rd.Action, dash(rd.Detail), rd.Purpose)
	}
	return tw.Flush()
}

// purposeText says a read's purpose to the patient.
var purposeText = map[string]string{
	store.PurposeCare:           "your treatment (your therapist)",
	store.PurposeSupervision:    "supervision of your therapist's team",
	store.PurposeAdministration: "administration (an export or an access report)",
	store.PurposeNone:           "not in your care team at the time: to be looked into",
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	s = strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// auditMarkdown writes the patient's access report in Markdown. It is in
// English for now; the language it is in and the patient's language are
// both stated.
func (a *app) auditMarkdown(ctx context.Context, db *store.DB, actor store.Actor, ref string, from, to time.Time) error {
	if actor.Role != store.RoleAdmin {
		return fmt.Errorf("%s is a %s: the patient's access report is for admins only: %w", actor.Handle, actor.Role, store.ErrForbidden)
	}
	p, err := db.ResolvePatient(ctx, ref)
	if err != nil {
		return err
	}
	r, err := db.PatientAccess(ctx, actor, p.ID, from, to, "cli:audit --format md")
	if err != nil {
		return err
	}
	w := a.env.stdout
	period := "every recorded read"
	switch {
	case r.From != nil && r.To != nil:
		period = fmt.Sprintf("%s to %s", r.From.Format(time.DateOnly), r.To.AddDate(0, 0, -1).Format(time.DateOnly))
	case r.From != nil:
		period = "from " + r.From.Format(time.DateOnly)
	case r.To != nil:
		period = "until " + r.To.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	fmt.Fprintf(w, "# Who has read your record\n\n")
	fmt.Fprintf(w, "- Patient: %s (%s)\n", mdCell(r.Patient.DisplayName), r.Patient.Pseudonym)
	fmt.Fprintf(w, "- Period: %s (times in %s)\n", period, a.zoneName())
	fmt.Fprintf(w, "- Language of this report: %s (your language: %s; other languages are not available yet)\n", r.Language, r.Patient.Language)
	fmt.Fprintf(w, "- Made: %s by %s\n\n", a.local(a.env.now()).Format("2006-01-02 15:04"), mdCell(actor.Handle))
	fmt.Fprintf(w, "Finland's Client Data Act (703/2023) gives you the right to know who has read your record. "+
		"Each line below is one time someone opened or exported it: who, in what role and team, when, what they read, on which device, and why.\n\n")
	if len(r.Reads) == 0 {
		fmt.Fprintf(w, "Nobody read your record in this period.\n")
		return nil
	}
	fmt.Fprintln(w, "| When | Who | Role | Team | What was read | Device | Purpose |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, rd := range r.Reads {
		what := rd.Action
		if rd.Detail != "" {
			what += " (" + rd.Detail + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", a.local(rd.At).Format("2006-01-02 15:04"), mdCell(rd.Name), mdCell(rd.Role),
			mdCell(rd.Team), mdCell(what), mdCell(rd.Device), mdCell(purposeText[rd.Purpose]))
	}
	return nil
}
