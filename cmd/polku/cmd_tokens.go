package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"polku/store/server"
)

func (a *app) tokensCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "tokens",
		Aliases: []string{"token"},
		Short:   "Make, list and revoke the access tokens of a server store",
		Long: `Tokens let therapists' polku (polku login) and the patient portal talk to
'polku serve'. Run these on the server's store file (--db). A token is shown
once, when it is made; the store keeps only its hash.

A patient token (--patient) is the patient's portal account: whoever holds
it reads the patient's feedback and messages. Making one is written to the
patient's audit log. This is the way to make one for a real patient; the
server's admin endpoint makes them only for synthetic patients.`,
	}
	cmd.AddCommand(a.tokensCreateCmd(), a.tokensListCmd(), a.tokensRevokeCmd())
	return cmd
}

func (a *app) tokensCreateCmd() *cobra.Command {
	var therapist, patient, integration, expiresFlag string
	cmd := &cobra.Command{
		Use:   "create (--therapist HANDLE | --patient PATIENT | --integration NAME) [--device NAME] [--expires 30d|DATE]",
		Short: "Make a token; it is printed once, alone on the last line",
		Long: `Make a token. It expires after the default lifetime of its kind (staff 90
days, admin accounts 30 days, patient portal 180 days), or when --expires
says: a lifetime (30d, 12h) or a date (2027-03-01: the token ends as that
day begins). A server
may end tokens sooner ('polku serve --token-lifetime').`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n := 0
			for _, x := range []string{therapist, patient, integration} {
				if x != "" {
					n++
				}
			}
			if n != 1 {
				return usagef("%s", a.T("cli.tokens.give_one"))
			}
			opts := server.TokenOptions{Device: a.device}
			if expiresFlag != "" {
				t, err := parseExpires(expiresFlag, a.env.now())
				if err != nil {
					return usagef("%s", a.T("cli.tokens.bad_expires", "Value", fmt.Sprintf("%q", strings.TrimSpace(expiresFlag))))
				}
				opts.Expires = t
			}
			ctx := cmd.Context()
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			var token string
			var info server.TokenInfo
			if integration != "" {
				token, info, err = server.CreateIntegrationToken(ctx, db, integration, opts)
				if err != nil {
					return fmt.Errorf("--integration: %w", err)
				}
			} else if therapist != "" {
				th, err := db.TherapistByHandle(ctx, therapist)
				if err != nil {
					return fmt.Errorf("--therapist: %w", err)
				}
				token, info, err = server.CreateTherapistToken(ctx, db, th.ID, opts)
				if err != nil {
					return err
				}
			} else {
				// This is how a real patient's portal account is made (the
				// server's admin endpoint makes tokens for synthetic
				// patients only); the making goes into the patient's audit
				// log under the person at the keyboard.
				actor, err := a.actor(ctx, db)
				if err != nil {
					return err
				}
				token, info, err = server.CreatePatientToken(ctx, db, patient, opts)
				if err != nil {
					return fmt.Errorf("--patient: %w", err)
				}
				if err := server.AuditPatientToken(ctx, db, actor, info); err != nil {
					server.RevokeTokens(ctx, db, actor, info.ID, "")
					return fmt.Errorf("%s: %w", a.T("cli.tokens.audit_failed"), err)
				}
			}
			if outputOf(cmd).json() {
				return writeJSON(a.env.stdout, struct {
					server.TokenInfo
					Token string `json:"token"`
				}{info, token})
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.tokens.made", "Kind", a.tokenKind(info.Kind), "ID", info.ID, "Subject", info.Subject, "Device", a.deviceNote(info.Device), "Expires", a.expiresText(info, a.env.now())))
			fmt.Fprintln(a.env.stdout, token)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&therapist, "therapist", "", "account handle (therapist, supervisor or admin)")
	f.StringVar(&patient, "patient", "", "patient id or pseudonym (a patient portal token)")
	f.StringVar(&integration, "integration", "", "an integration by name: may only add referrals (POST /v1/referrals) and read notifications (GET /v1/notifications)")
	f.StringVar(&expiresFlag, "expires", "", "when the token stops working: a lifetime (30d, 12h) or a date (2027-03-01); default: its kind's lifetime")
	addOutputFlag(cmd)
	return cmd
}

// parseExpires reads --expires: days ("30d"), a Go duration ("12h") or a
// date ("2027-03-01": as that day begins here, or an RFC 3339 time).
func parseExpires(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if d, ok := strings.CutSuffix(v, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n > 0 {
			return now.AddDate(0, 0, n), nil
		}
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return now.Add(d), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, errExpires{v}
}

// expiresText is a token's expiry as a table shows it.
func (a *app) expiresText(t server.TokenInfo, now time.Time) string {
	if t.ExpiresAt == nil {
		return a.T("cli.tokens.never")
	}
	s := a.tokenTime(*t.ExpiresAt)
	if t.Expired(now) {
		s += " (" + a.T("cli.tokens.expired") + ")"
	}
	return s
}

// tokenRow is a token as 'tokens list -o json' prints it.
type tokenRow struct {
	server.TokenInfo
	Expired bool `json:"expired"`
}

func (a *app) deviceNote(d string) string {
	if d == "" {
		return ""
	}
	return " " + a.T("cli.tokens.on_device", "Device", d)
}

// tokenTime is a token's time in the reader's form (English keeps
// "2006-01-02 15:04").
func (a *app) tokenTime(t time.Time) string {
	if a.p.Lang() == "en" {
		return a.local(t).Format("2006-01-02 15:04")
	}
	return a.p.DateTime(a.local(t))
}

// tokenKind is a token's kind in the reader's language.
func (a *app) tokenKind(k string) string {
	if id := "cli.tokens.kind." + k; a.p.Has(id) {
		return a.p.T(id)
	}
	return k
}

// errExpires is a --expires value that is neither a lifetime nor a date.
type errExpires struct{ value string }

func (e errExpires) Error() string {
	return fmt.Sprintf("--expires %q: give a lifetime (30d, 12h) or a date (2027-03-01)", e.value)
}

func (a *app) tokensListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tokens (never the tokens themselves)",
		Long: `List the tokens of the store: who each is for, its device, when it was made,
when it expires and when it was revoked (never the tokens themselves).

EXPIRES is the expiry the token was made with. A server started with a
shorter cap ('polku serve --token-lifetime therapist=30d') ends a token
sooner: when it is older than the cap for its kind, counted from CREATED.
The store does not record the flags of the running server, so this list
cannot show that earlier end: check the serve command line.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			list, err := server.ListTokens(ctx, db)
			if err != nil {
				return err
			}
			now := a.env.now()
			if o.json() {
				rows := make([]tokenRow, len(list))
				for i, t := range list {
					rows[i] = tokenRow{t, t.Expired(now)}
				}
				return writeJSON(a.env.stdout, rows)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, a.T("cli.tokens.columns"))
			for _, t := range list {
				revoked, by := "-", "-"
				if t.RevokedAt != nil {
					revoked = a.tokenTime(*t.RevokedAt)
					by = dash(t.RevokedByHandle)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, a.tokenKind(t.Kind), dash(t.Subject), dash(t.Device),
					a.tokenTime(t.CreatedAt), a.expiresText(t, now), revoked, by)
			}
			return tw.Flush()
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) tokensRevokeCmd() *cobra.Command {
	var therapist, patient string
	cmd := &cobra.Command{
		Use:   "revoke (TOKEN-ID | --therapist HANDLE | --patient PATIENT)",
		Short: "Revoke a token, or every token of an account or patient",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n := len(args)
			if therapist != "" {
				n++
			}
			if patient != "" {
				n++
			}
			if n != 1 {
				return usagef("%s", a.T("cli.tokens.give_revoke"))
			}
			ctx := cmd.Context()
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			var id, subject string
			switch {
			case len(args) == 1:
				id = args[0]
			case therapist != "":
				th, err := db.TherapistByHandle(ctx, therapist)
				if err != nil {
					return fmt.Errorf("--therapist: %w", err)
				}
				subject = th.ID
			default:
				p, err := db.ResolvePatient(ctx, patient)
				if err != nil {
					return fmt.Errorf("--patient: %w", err)
				}
				subject = p.ID
			}
			// Who revoked is kept with the token (and, for a portal token,
			// in the patient's audit log): --as, or the computer's user.
			actor, err := a.actor(ctx, db)
			if err != nil {
				return err
			}
			count, err := server.RevokeTokens(ctx, db, actor, id, subject)
			if err != nil {
				return err
			}
			if count == 0 {
				return errors.New(a.T("cli.tokens.none_to_revoke"))
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.tokens.revoked", "Count", count))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&therapist, "therapist", "", "revoke every token of this account")
	f.StringVar(&patient, "patient", "", "revoke every token of this patient")
	return cmd
}
