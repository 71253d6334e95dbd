package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"polku/store"
	"polku/store/demo"
)

func (a *app) demoCmd() *cobra.Command {
	var (
		seed       uint64
		patients   int
		therapists int
		reset      bool
		noTUI      bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Create a synthetic demo store and open the workbench on it",
		Long: `Create a store full of synthetic patients (dated relative to now, so the
queue always looks alive) and open the workbench as the demo therapist.
The demo uses its own store file ($XDG_DATA_HOME/polku/demo.db unless --db),
never the store named by POLKU_DB, and refuses to touch a store that is not
a demo store. Run it again to reopen the same demo; --reset rebuilds it.
Everything in it is synthetic.

Accounts: demo (therapist), super (supervisor of team-1), admin.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if patients < 1 || patients > 1_000_000 {
				return usagef("%s", a.T("cli.demo.bad_patients"))
			}
			if therapists < 0 {
				return usagef("%s", a.T("cli.demo.bad_therapists"))
			}
			path := a.dbPath
			if path == "" {
				path = filepath.Join(a.dataDir(), "demo.db")
			}
			// demo.db in the data folder is the demo's own file: --reset
			// replaces it whatever state it is in. A store named by --db is
			// replaced only when it is marked as a demo.
			ownFile := a.dbPath == ""
			if _, err := os.Stat(path); err == nil && !(reset && ownFile) {
				isDemo, meta, err := demoMeta(cmd, path)
				if err != nil {
					return err
				}
				if !isDemo {
					return errors.New(a.T("cli.demo.not_demo", "Path", path))
				}
				if !reset {
					for _, flag := range []struct{ name, want string }{
						{"seed", strconv.FormatUint(seed, 10)}, {"patients", strconv.Itoa(patients)}, {"therapists", strconv.Itoa(therapists)},
					} {
						if cmd.Flags().Changed(flag.name) && meta["demo_"+flag.name] != flag.want && !(flag.name == "therapists" && flag.want == "0") {
							return usagef("%s", a.T("cli.demo.made_with", "Path", path, "Flag", "--"+flag.name, "Value", meta["demo_"+flag.name]))
						}
					}
					fmt.Fprintln(a.env.stderr, a.T("cli.demo.reopening", "Path", path, "When", meta["demo_generated_at"]))
					return a.openDemo(cmd, path, noTUI)
				}
			}
			var key [32]byte
			binary.LittleEndian.PutUint64(key[:], seed)
			started := time.Now()
			// The generator writes as of one moment (to the minute), so that a
			// seed makes the same store, ids and times included.
			genNow := a.env.now().UTC().Truncate(time.Minute)
			// Build into a file next to the real one and rename it into place,
			// so that an interrupted build leaves the old demo (or nothing).
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return err
			}
			tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
			if err := removeStoreFiles(tmp); err != nil { // left by a build that was killed
				return err
			}
			// The file is new and is renamed into place only once it is
			// complete: it is written without a journal on disk and
			// without syncing (Scratch), and synced once before the rename.
			db, err := store.Open(ctx, tmp, store.Options{Clock: func() time.Time { return genNow }, Create: true, Random: rand.NewChaCha8(key), Scratch: true})
			if err != nil {
				return err
			}
			report, done := a.progress("demo", "patients", false)
			saving := false
			progress := func(n, total int) {
				report(n, total)
				if n == total && a.env.stderrTTY && !a.quiet {
					// Committing and checkpointing a big store takes a while.
					done()
					fmt.Fprint(a.env.stderr, a.T("cli.demo.saving", "Count", total))
					saving = true
				}
			}
			sum, err := demo.Generate(ctx, db, demo.Config{Seed: seed, Patients: patients, Therapists: therapists, Now: genNow, Progress: progress})
			done()
			if cerr := db.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = syncFile(tmp)
			}
			if err == nil {
				err = replaceStoreFiles(tmp, path)
			}
			if saving {
				fmt.Fprint(a.env.stderr, "\r\x1b[K")
			}
			if err != nil {
				removeStoreFiles(tmp)
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return fmt.Errorf("%s: %w", a.T("cli.demo.failed"), err)
			}
			w := a.env.stderr
			if noTUI {
				w = a.env.stdout
			}
			fmt.Fprintln(w, a.T("cli.demo.store", "Path", path, "Seed", seed, "Took", time.Since(started).Round(time.Millisecond).String()))
			fmt.Fprintln(w, "  "+a.T("cli.demo.people", "Therapists", a.T("cli.demo.n_therapists", "Count", sum.Therapists), "Teams", a.T("cli.demo.n_teams", "Count", sum.Teams),
				"Supervisor", fmt.Sprintf("%q", demo.SupervisorHandle), "Admin", fmt.Sprintf("%q", demo.AdminHandle)))
			fmt.Fprintln(w, "  "+a.T("cli.demo.patients", "Count", sum.Patients,
				"Active", sum.Enrollments[store.EnrollmentActive], "Scheduled", sum.Enrollments[store.EnrollmentScheduled], "Completed", sum.Enrollments[store.EnrollmentCompleted],
				"Discontinued", sum.Enrollments[store.EnrollmentDiscontinued], "Waiting", sum.OpenReferral))
			fmt.Fprintln(w, "  "+a.T("cli.demo.records", "Records", sum.Records, "Risk", sum.RiskPatients))
			fmt.Fprintln(w, "  "+a.T("cli.demo.demo_therapist", "Handle", fmt.Sprintf("%q", demo.DemoHandle), "Count", sum.DemoPatients))
			return a.openDemo(cmd, path, noTUI)
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&seed, "seed", 1, "random seed: the same seed makes the same demo")
	f.IntVar(&patients, "patients", 300, "number of synthetic patients")
	f.IntVar(&therapists, "therapists", 0, "number of therapists (default: 8, or one per 150 patients)")
	f.BoolVar(&reset, "reset", false, "delete the demo store and generate a new one")
	f.BoolVar(&noTUI, "no-tui", false, "print a summary instead of opening the workbench")
	return cmd
}

var storeSuffixes = []string{"", "-wal", "-shm"}

// syncFile makes a file's content durable.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// removeStoreFiles removes a store file with its -wal and -shm.
func removeStoreFiles(path string) error {
	for _, suffix := range storeSuffixes {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// replaceStoreFiles moves a closed store (with its -wal, if any) over
// another: the old one's -wal and -shm go first, so that they are never
// read with the new file.
func replaceStoreFiles(from, to string) error {
	for _, suffix := range storeSuffixes[1:] {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	for _, suffix := range []string{"-wal", ""} {
		if err := os.Rename(from+suffix, to+suffix); err != nil && !(suffix != "" && errors.Is(err, os.ErrNotExist)) {
			return err
		}
	}
	os.Remove(from + "-shm")
	return nil
}

// demoMeta reads the demo markers of an existing store.
func demoMeta(cmd *cobra.Command, path string) (bool, map[string]string, error) {
	db, err := store.Open(cmd.Context(), path, store.Options{ReadOnly: true})
	if err != nil {
		return false, nil, fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	meta := map[string]string{}
	for _, k := range []string{"demo", "demo_seed", "demo_patients", "demo_therapists", "demo_generated_at"} {
		meta[k], _ = db.Meta(cmd.Context(), k)
	}
	return meta["demo"] == "true", meta, nil
}

func (a *app) openDemo(cmd *cobra.Command, path string, noTUI bool) error {
	if noTUI {
		fmt.Fprintln(a.env.stdout, a.T("cli.demo.open_with", "Path", path, "Handle", demo.DemoHandle))
		return nil
	}
	ctx := cmd.Context()
	db, err := store.Open(ctx, path, store.Options{Clock: a.env.now})
	if err != nil {
		return err
	}
	defer db.Close()
	if a.handle() == "" {
		a.as = demo.DemoHandle
	}
	actor, th, err := a.requireTherapist(ctx, db)
	if err != nil {
		return err
	}
	return a.startTUI(cmd, db, actor, th, true)
}
