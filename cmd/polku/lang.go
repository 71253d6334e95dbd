package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store"
	"polku/store/client"
)

// checkUILang refuses an interface language polku does not speak, naming
// the flag and the values it takes (a usage error, exit 2). "" is allowed:
// it clears the setting.
func (a *app) checkUILang(v string) error {
	if v == "" {
		return nil
	}
	for _, l := range store.UILangs {
		if v == l {
			return nil
		}
	}
	return usagef("%s", a.T("cli.therapists.bad_ui_lang", "Value", fmt.Sprintf("%q", v), "Allowed", strings.Join(store.UILangs, ", ")))
}

// uiLangName is a ui-lang setting as a person reads it: the language's
// name, or that none is set.
func (a *app) uiLangName(l string) string {
	switch l {
	case "fi":
		return a.T("cli.lang.fi")
	case "sv":
		return a.T("cli.lang.sv")
	case "en":
		return a.T("cli.lang.en")
	}
	return a.T("cli.lang.unset")
}

// langNameIn is a language code as p's language names it: "suomi (fi)",
// "finska (fi)", "Finnish (fi)"; a code polku does not speak stays as it
// is.
func langNameIn(p *i18n.Printer, code string) string {
	switch code {
	case i18n.FI, i18n.SV, i18n.EN:
		return p.T("cli.lang." + code)
	}
	return code
}

// plainLangName is a language's name without its code, for a patient's
// report: "suomi", "finska", "Finnish".
func plainLangName(p *i18n.Printer, code string) string {
	switch code {
	case i18n.FI, i18n.SV, i18n.EN:
		return p.T("store.lang." + code)
	}
	return code
}

func (a *app) yesNo(b bool) string {
	if b {
		return a.T("cli.word.yes")
	}
	return a.T("cli.word.no")
}

// roleName is an account's role in the person's language (the JSON keeps
// the code).
func (a *app) roleName(role string) string {
	switch role {
	case store.RoleTherapist:
		return a.T("cli.role.therapist")
	case store.RoleSupervisor:
		return a.T("cli.role.supervisor")
	case store.RoleAdmin:
		return a.T("cli.role.admin")
	}
	return role
}

func (a *app) therapistsShowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show HANDLE",
		Short: "Show one account, with its interface language",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, o, err := a.begin(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			th, err := db.TherapistByHandle(ctx, args[0])
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, th)
			}
			team := dash(th.Team)
			langs := dash(strings.Join(th.Languages, ", "))
			tw := newTable(a.env.stdout)
			for _, row := range [][2]string{
				{a.T("cli.therapists.field.handle"), th.Handle},
				{a.T("cli.therapists.field.name"), th.Name},
				{a.T("cli.therapists.field.role"), a.roleName(th.Role)},
				{a.T("cli.therapists.field.team"), team},
				{a.T("cli.therapists.field.languages"), langs},
				{a.T("cli.therapists.field.capacity"), a.p.Int(th.Capacity)},
				{a.T("cli.therapists.field.intake"), a.yesNo(th.Intake)},
				{a.T("cli.therapists.field.ui_lang"), a.uiLangName(th.UILang)},
				{a.T("cli.therapists.field.record_id"), th.ID},
				{a.T("cli.therapists.field.version"), fmt.Sprint(th.Version)},
			} {
				fmt.Fprintf(tw, "%s\t%s\n", row[0], row[1])
			}
			return tw.Flush()
		},
	}
	addOutputFlag(cmd)
	return cmd
}

// explain says a store error in the person's language: the store's
// sentence rendered from its message (store.err.*), whether the local
// store or a server (which sends the message beside its text) said it,
// in place of its English words. An error without a message (from an
// older server, or one a command wraps around a bare store.ErrNotFound)
// is said by its code: a record not found, changed by someone else,
// refused or invalid. English keeps the store's own sentence; an error of
// another kind is left as it is.
func (a *app) explain(err error) string {
	msg := err.Error()
	if a.p.Lang() == "en" {
		return msg
	}
	if rest, ok := strings.CutPrefix(msg, "--output must be table or json, not "); ok {
		return a.T("cli.run.output_values", "Value", rest)
	}
	if local, ok := client.LocalizeError(a.p, err); ok {
		return local
	}
	var pathErr *programs.PathError // a program or template file that is not there
	if errors.As(err, &pathErr) {
		return pathErr.Localized(a.p)
	}
	var conflict *store.ConflictError
	var field *store.FieldError
	switch {
	case errors.As(err, &conflict):
		return a.T("cli.err.conflict", "Record", conflict.Record, "ID", conflict.ID, "Current", conflict.Current, "Want", conflict.Want)
	case errors.As(err, &field):
		name := field.Field
		if field.Record != "" {
			name = field.Record + "." + field.Field
		}
		return a.T("cli.err.invalid", "Field", name, "Msg", field.Text())
	case errors.Is(err, store.ErrNotFound):
		return a.T("cli.err.not_found", "What", strings.TrimSuffix(msg, ": "+store.ErrNotFound.Error()))
	case errors.Is(err, store.ErrForbidden):
		return a.T("cli.err.forbidden", "Detail", strings.TrimSuffix(msg, ": "+store.ErrForbidden.Error()))
	case errors.Is(err, store.ErrConflict):
		// A command's own sentence around the bare code ("... changed
		// meanwhile ...: conflict") says it already.
		return strings.TrimSuffix(msg, ": "+store.ErrConflict.Error())
	}
	return msg
}

// goAheadWhat is what a go-ahead lets start, in the person's language
// where the program has a translation, else in the program's own words.
func (a *app) goAheadWhat(def *programs.Program, g *programs.GoAhead) string {
	if tr, fallback := def.In(a.p.Lang()); !fallback && tr != nil {
		for _, x := range tr.GoAhead {
			if x.ID == g.ID && x.What != "" {
				return x.What
			}
		}
	}
	return g.What
}

// className is a queue class in the person's language (the JSON keeps the
// code).
func (a *app) className(c store.Class) string {
	switch c {
	case store.ClassRisk:
		return a.T("cli.class.risk")
	case store.ClassOverdue:
		return a.T("cli.class.overdue")
	case store.ClassDeterioration:
		return a.T("cli.class.deterioration")
	case store.ClassDue:
		return a.T("cli.class.due")
	case store.ClassInactive:
		return a.T("cli.class.inactive")
	case store.ClassEnding:
		return a.T("cli.class.ending")
	case store.ClassStarting:
		return a.T("cli.class.starting")
	case store.ClassFollowUp:
		return a.T("cli.class.follow_up")
	case store.ClassWaiting:
		return a.T("cli.class.waiting")
	}
	return c.String()
}

// statusName is an enrollment's or a referral's status in the person's
// language; a status it does not know stays the code.
func (a *app) statusName(s string) string {
	if a.p.Lang() == "en" || s == "" {
		return s
	}
	if id := "cli.status." + strings.ReplaceAll(s, "-", "_"); a.p.Has(id) {
		return a.p.T(id)
	}
	return s
}

// changeName is a change status (programs.Change*) in the person's
// language.
func (a *app) changeName(s string) string {
	switch s {
	case programs.ChangeReliableRecovery:
		return a.T("cli.change.reliable_recovery")
	case programs.ChangeRecovery:
		return a.T("cli.change.recovery")
	case programs.ChangeReliableImprovement:
		return a.T("cli.change.reliable_improvement")
	case programs.ChangeNone:
		return a.T("cli.change.none")
	case programs.ChangeReliableDeterioration:
		return a.T("cli.change.reliable_deterioration")
	}
	return s
}

// day is a YYYY-MM-DD date in the language's form ("1.12.2026" in Finnish
// and Swedish); English keeps the ISO form the tables have always had.
func (a *app) day(s string) string {
	if a.p.Lang() == "en" {
		return s
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return a.p.Date(t)
}
