package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/store"
)

// auditPeriod reads --from and --to as days; to is returned as the start
// of the day after (exclusive). Zero: no bound. inZone moves the days to
// the service's zone once the store is open.
func (a *app) auditPeriod(from, to string) (time.Time, time.Time, error) {
	var f, t time.Time
	var err error
	if from != "" {
		if f, err = time.Parse(time.DateOnly, from); err != nil {
			return f, t, usagef("%s", a.T("cli.audit.bad_day", "Flag", "--from", "Value", strconv.Quote(from)))
		}
	}
	if to != "" {
		if t, err = time.Parse(time.DateOnly, to); err != nil {
			return f, t, usagef("%s", a.T("cli.audit.bad_day", "Flag", "--to", "Value", strconv.Quote(to)))
		}
		t = t.AddDate(0, 0, 1)
	}
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		return f, t, usagef("%s", a.T("cli.audit.to_before_from", "To", to, "From", from))
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
		return errors.New(a.T("cli.audit.no_user", "Handle", strconv.Quote(handle)))
	}
	if err != nil {
		return err
	}
	if o.json() {
		return writeJSON(a.env.stdout, r)
	}
	who := a.roleName(r.User.Role)
	if r.User.Team != "" {
		who = a.T("cli.audit.by.role_team", "Role", who, "Team", r.User.Team)
	}
	fmt.Fprintf(a.env.stdout, "%s\n\n", a.T("cli.audit.by.heading", "Handle", r.User.Handle, "Name", r.User.Name, "Who", who,
		"Reads", len(r.Reads), "Count", r.Unassigned))
	tw := newTable(a.env.stdout)
	fmt.Fprintln(tw, "\t"+a.T("cli.audit.by.columns"))
	for _, rd := range r.Reads {
		mark := ""
		if rd.Purpose == store.PurposeNone {
			mark = "!"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark, a.local(rd.At).Format("2006-01-02 15:04:05"), rd.Pseudonym, dash(rd.Device), a.auditAction(rd.Action), dash(rd.Detail), a.purposeName(rd.Purpose))
	}
	return tw.Flush()
}

// purposeText says a read's purpose to the patient, in their language.
func purposeText(p *i18n.Printer, purpose string) string {
	switch purpose {
	case store.PurposeCare:
		return p.T("cli.audit.md.purpose.care")
	case store.PurposeSupervision:
		return p.T("cli.audit.md.purpose.supervision")
	case store.PurposeAdministration:
		return p.T("cli.audit.md.purpose.administration")
	case store.PurposeNone:
		return p.T("cli.audit.md.purpose.none")
	}
	return purpose
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	s = strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// auditMarkdown writes the patient's access report in Markdown, in the
// patient's language (--lang, when given, says otherwise); the language it
// is in and the patient's language are both stated.
func (a *app) auditMarkdown(ctx context.Context, db *store.DB, actor store.Actor, ref string, from, to time.Time) error {
	if actor.Role != store.RoleAdmin {
		return fmt.Errorf("%s: %w", a.T("cli.audit.admins_only", "Handle", actor.Handle, "Role", a.roleName(actor.Role)), store.ErrForbidden)
	}
	pt, err := db.ResolvePatient(ctx, ref)
	if err != nil {
		return err
	}
	r, err := db.PatientAccess(ctx, actor, pt.ID, from, to, "cli:audit --format md")
	if err != nil {
		return err
	}
	lang := i18n.Resolve(a.lang, r.Patient.Language, nil)
	r.Language = lang
	p := i18n.New(lang)
	day := func(t time.Time) string {
		if lang == i18n.EN {
			return t.Format(time.DateOnly)
		}
		return p.Date(t)
	}
	when := func(t time.Time) string {
		if lang == i18n.EN {
			return a.local(t).Format("2006-01-02 15:04")
		}
		return p.DateTime(a.local(t))
	}
	w := a.env.stdout
	period := p.T("cli.audit.md.period_all")
	switch {
	case r.From != nil && r.To != nil:
		period = p.T("cli.audit.md.period_from_to", "From", day(*r.From), "To", day(r.To.AddDate(0, 0, -1)))
	case r.From != nil:
		period = p.T("cli.audit.md.period_from", "From", day(*r.From))
	case r.To != nil:
		period = p.T("cli.audit.md.period_to", "To", day(r.To.AddDate(0, 0, -1)))
	}
	fmt.Fprintf(w, "# %s\n\n", p.T("cli.audit.md.title"))
	fmt.Fprintf(w, "- %s\n", p.T("cli.audit.md.patient", "Name", mdCell(r.Patient.DisplayName), "Pseudonym", r.Patient.Pseudonym))
	fmt.Fprintf(w, "- %s\n", p.T("cli.audit.md.period", "Period", period, "Zone", a.zoneName()))
	fmt.Fprintf(w, "- %s\n", p.T("cli.audit.md.language", "Lang", plainLangName(p, r.Language), "Yours", dash(plainLangName(p, r.Patient.Language))))
	fmt.Fprintf(w, "- %s\n\n", p.T("cli.audit.md.made", "When", when(a.env.now()), "Who", mdCell(actor.Handle)))
	fmt.Fprintf(w, "%s\n\n", p.T("cli.audit.md.intro"))
	if len(r.Reads) == 0 {
		fmt.Fprintf(w, "%s\n", p.T("cli.audit.md.nobody"))
		return nil
	}
	fmt.Fprintf(w, "| %s |\n", p.T("cli.audit.md.columns"))
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, rd := range r.Reads {
		what := rd.Action
		if rd.Action == "read" {
			what = p.T("cli.audit.md.action_read")
		}
		if rd.Detail != "" {
			what += " (" + rd.Detail + ")"
		}
		role := rd.Role
		switch role {
		case store.RoleTherapist, store.RoleSupervisor, store.RoleAdmin:
			role = p.T("cli.role." + role)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", when(rd.At), mdCell(rd.Name), mdCell(role),
			mdCell(rd.Team), mdCell(what), mdCell(rd.Device), mdCell(purposeText(p, rd.Purpose)))
	}
	return nil
}

// purposeName is a read's purpose in the reader's language (the JSON
// keeps the code).
func (a *app) purposeName(purpose string) string {
	switch purpose {
	case store.PurposeCare, store.PurposeSupervision, store.PurposeAdministration, store.PurposeNone:
		return a.T("cli.audit.purpose." + purpose)
	}
	return purpose
}

// auditAction is an audit log action in the reader's language (the JSON
// keeps the code): "read" is said; other actions are codes.
func (a *app) auditAction(action string) string {
	if action == "read" {
		return a.T("cli.audit.md.action_read")
	}
	return action
}
