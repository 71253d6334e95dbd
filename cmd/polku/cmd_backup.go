package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"polku/store"
)

func (a *app) backupCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup --db STORE --out FILE",
		Short: "Copy a store to a file while it is in use, and check the copy",
		Long: `Copy the store to FILE while 'polku serve' (or anything else) keeps working
on it: the copy is one consistent state of the store, taken with SQLite's
online backup inside one read transaction. It is checked before it is kept
(PRAGMA integrity_check, the row count of every table and the change-log
head, against what the store held at that moment) and written with mode
0600. An existing FILE is never overwritten.

Put it back with 'polku restore FILE --db STORE' (docs/operations.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			if out == "" {
				return usagef("%s", a.T("cli.backup.give_out"))
			}
			rep, err := store.Backup(cmd.Context(), a.storePath(), out)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, rep)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.backup.done", "Source", rep.Source, "Path", rep.Path, "Size", a.bytesText(rep.Bytes)))
			fmt.Fprintln(a.env.stdout, a.T("cli.backup.checked", "Integrity", rep.Integrity, "Rows", a.T("cli.backup.n_rows", "Count", int(rows(rep.Tables))),
				"Tables", a.T("cli.backup.n_tables", "Count", len(rep.Tables)), "Head", rep.Head))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the backup file to write (must not exist)")
	addOutputFlag(cmd)
	return cmd
}

func (a *app) restoreCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore FILE --db STORE",
		Short: "Put a backup in place of a store; the next serve announces a new epoch",
		Long: `Install the backup FILE (from 'polku backup' or 'litestream restore') as
the store. It refuses while 'polku serve' runs on the store: stop the
server first. The backup is checked (PRAGMA integrity_check, a polku store
this polku can open) before anything is moved; the store it replaces is
kept as STORE.before-restore-TIMESTAMP, with its -wal file.

The next 'polku serve' announces a new epoch by itself (no --new-epoch
needed): replicas then push again what the backup lacks and pull
everything again.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			rep, err := store.Restore(cmd.Context(), args[0], a.storePath(), a.env.now())
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, rep)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.backup.restored", "From", rep.From, "Path", rep.Path, "Integrity", rep.Integrity,
				"Rows", a.T("cli.backup.n_rows", "Count", int(rows(rep.Tables))), "Tables", a.T("cli.backup.n_tables", "Count", len(rep.Tables)), "Head", rep.Head))
			if rep.Aside != "" {
				fmt.Fprintln(a.env.stdout, a.T("cli.backup.aside", "Path", rep.Aside))
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.backup.new_epoch"))
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func rows(tables map[string]int64) int64 {
	var n int64
	for _, c := range tables {
		n += c
	}
	return n
}

// bytesText is a size for people: 532 B, 1.4 MiB.
func (a *app) bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%s %ciB", a.p.Number(float64(n)/float64(div), 1), "KMGTPE"[exp])
}
