package main

import (
	"fmt"

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
	var therapist, patient string
	cmd := &cobra.Command{
		Use:   "create (--therapist HANDLE | --patient PATIENT) [--device NAME]",
		Short: "Make a token; it is printed once, alone on the last line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (therapist == "") == (patient == "") {
				return usagef("give either --therapist HANDLE or --patient PATIENT")
			}
			ctx := cmd.Context()
			db, err := a.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			var token string
			var info server.TokenInfo
			if therapist != "" {
				th, err := db.TherapistByHandle(ctx, therapist)
				if err != nil {
					return fmt.Errorf("--therapist: %w", err)
				}
				token, info, err = server.CreateTherapistToken(ctx, db, th.ID, a.device)
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
				token, info, err = server.CreatePatientToken(ctx, db, patient, a.device)
				if err != nil {
					return fmt.Errorf("--patient: %w", err)
				}
				if err := server.AuditPatientToken(ctx, db, actor, info); err != nil {
					server.RevokeTokens(ctx, db, info.ID, "")
					return fmt.Errorf("audit the token: %w", err)
				}
			}
			if outputOf(cmd).json() {
				return writeJSON(a.env.stdout, struct {
					server.TokenInfo
					Token string `json:"token"`
				}{info, token})
			}
			fmt.Fprintf(a.env.stdout, "made %s token %s for %s%s; it is shown only now:\n", info.Kind, info.ID, info.Subject, deviceNote(info.Device))
			fmt.Fprintln(a.env.stdout, token)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&therapist, "therapist", "", "account handle (therapist, supervisor or admin)")
	f.StringVar(&patient, "patient", "", "patient id or pseudonym (a patient portal token)")
	addOutputFlag(cmd)
	return cmd
}

func deviceNote(d string) string {
	if d == "" {
		return ""
	}
	return " on " + d
}

func (a *app) tokensListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tokens (never the tokens themselves)",
		Args:  cobra.NoArgs,
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
			if o.json() {
				return writeJSON(a.env.stdout, list)
			}
			tw := newTable(a.env.stdout)
			fmt.Fprintln(tw, "ID\tKIND\tFOR\tDEVICE\tCREATED\tREVOKED")
			for _, t := range list {
				revoked := "-"
				if t.RevokedAt != nil {
					revoked = a.local(*t.RevokedAt).Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Kind, dash(t.Subject), dash(t.Device), a.local(t.CreatedAt).Format("2006-01-02 15:04"), revoked)
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
				return usagef("give one of TOKEN-ID, --therapist HANDLE or --patient PATIENT")
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
			count, err := server.RevokeTokens(ctx, db, id, subject)
			if err != nil {
				return err
			}
			if count == 0 {
				return fmt.Errorf("no token to revoke (unknown id, or revoked already)")
			}
			fmt.Fprintf(a.env.stdout, "revoked %s\n", plural(count, "token", "tokens"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&therapist, "therapist", "", "revoke every token of this account")
	f.StringVar(&patient, "patient", "", "revoke every token of this patient")
	return cmd
}
