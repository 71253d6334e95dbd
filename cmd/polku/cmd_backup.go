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
				return usagef("give the backup file: --out FILE")
			}
			rep, err := store.Backup(cmd.Context(), a.storePath(), out)
			if err != nil {
				return err
			}
			if o.json() {
				return writeJSON(a.env.stdout, rep)
			}
			fmt.Fprintf(a.env.stdout, "backed up %s to %s (%s, mode 0600)\n", rep.Source, rep.Path, bytesText(rep.Bytes))
			fmt.Fprintf(a.env.stdout, "checked: integrity %s; %s in %s and change-log head %d, as in the store\n",
				rep.Integrity, plural(int(rows(rep.Tables)), "row", "rows"), plural(len(rep.Tables), "table", "tables"), rep.Head)
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
			fmt.Fprintf(a.env.stdout, "restored %s into %s: integrity %s; %s in %s, change-log head %d\n",
				rep.From, rep.Path, rep.Integrity, plural(int(rows(rep.Tables)), "row", "rows"), plural(len(rep.Tables), "table", "tables"), rep.Head)
			if rep.Aside != "" {
				fmt.Fprintf(a.env.stdout, "the store it replaced is kept at %s\n", rep.Aside)
			}
			fmt.Fprintln(a.env.stdout, "the next 'polku serve' announces a new epoch: replicas push again what the backup lacks")
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
func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
