package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"polku/internal/i18n"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"polku/store"
	"polku/store/client"
	"polku/store/syncer"
	"polku/tui"
)

// loginInfo is the saved login: which server, with which token, and where
// the replica is. It is kept in the user's config directory, mode 0600.
type loginInfo struct {
	Server      string `json:"server"`
	Token       string `json:"token"`
	Handle      string `json:"handle"`
	TherapistID string `json:"therapist_id"`
	Role        string `json:"role"`
	Replica     string `json:"replica"`
}

// configDir is the XDG config directory for polku.
func (a *app) configDir() string {
	if d := a.env.getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "polku")
	}
	if h := a.env.getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "polku")
	}
	return filepath.Join(os.TempDir(), "polku-config")
}

func (a *app) loginPath() string { return filepath.Join(a.configDir(), "login.json") }

func (a *app) readLogin() (*loginInfo, error) {
	b, err := os.ReadFile(a.loginPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var l loginInfo
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, errors.New(a.T("cli.sync.login_damaged", "Path", a.loginPath(), "Err", err.Error()))
	}
	return &l, nil
}

func (a *app) writeLogin(l *loginInfo) error {
	if err := os.MkdirAll(a.configDir(), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	tmp := a.loginPath() + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, a.loginPath())
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (a *app) replicaPath(server, handle string) string {
	u, _ := client.ParseServer(server)
	name := unsafeName.ReplaceAllString(u.Host, "_") + "-" + unsafeName.ReplaceAllString(handle, "_") + ".db"
	return filepath.Join(a.dataDir(), "replicas", name)
}

// serverLogin finds the login to use: the one for --server (which must
// exist), or with no --server the saved one. ok is false when neither
// applies and the local store is the source of truth.
func (a *app) serverLogin(required bool) (*loginInfo, bool, error) {
	l, err := a.readLogin()
	if err != nil {
		return nil, false, err
	}
	srv := a.server
	if srv == "" {
		srv = a.env.getenv("POLKU_SERVER")
	}
	if srv != "" {
		u, err := client.ParseServer(srv)
		if err != nil {
			return nil, false, usagef("--server: %w", err)
		}
		if l == nil || l.Server != u.String() {
			return nil, false, errors.New(a.T("cli.login.not_to", "Server", u.String()))
		}
		return l, true, nil
	}
	if l == nil {
		if required {
			return nil, false, usagef("%s", a.T("cli.login.not_any"))
		}
		return nil, false, nil
	}
	return l, true, nil
}

// openReplica opens the login's replica and its sync engine.
func (a *app) openReplica(ctx context.Context, l *loginInfo) (*store.DB, *syncer.Engine, error) {
	c, err := client.New(l.Server, l.Token, client.Options{})
	if err != nil {
		return nil, nil, err
	}
	db, err := syncer.OpenReplica(ctx, l.Replica, store.Options{Clock: a.env.now})
	if err != nil {
		return nil, nil, err
	}
	// The workbench syncs in the background every 3 s, so that a change made
	// elsewhere (a patient accepted at intake, a flag acknowledged) is on
	// screen within 5 s: the round plus the workbench's 1 s poll.
	return db, syncer.New(syncer.Config{DB: db, Client: c, Clock: a.env.now, Interval: 3 * time.Second}), nil
}

func (a *app) loginCmd() *cobra.Command {
	var token string
	cmd := &cobra.Command{
		Use:   "login --server URL [--token TOKEN]",
		Short: "Sign in to a polku server and keep a local replica of your patients",
		Long: `Sign in to a server ('polku serve') with a token from your admin ('polku
tokens create'). Without --token the token is read from standard input.
The login is saved in $XDG_CONFIG_HOME/polku/login.json (mode 0600) and the
replica in $XDG_DATA_HOME/polku/replicas/. Afterwards 'polku' opens the
workbench on the replica and syncs in the background; 'polku sync' syncs
once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if a.server == "" {
				return usagef("%s", a.T("cli.login.give_server"))
			}
			u, err := client.ParseServer(a.server)
			if err != nil {
				return usagef("--server: %w", err)
			}
			if token == "" {
				sc := bufio.NewScanner(a.env.stdin)
				sc.Buffer(make([]byte, 4096), 4096)
				if sc.Scan() {
					token = strings.TrimSpace(sc.Text())
				}
				if token == "" {
					return usagef("%s", a.T("cli.login.give_token"))
				}
			}
			c, err := client.New(u.String(), token, client.Options{})
			if err != nil {
				return err
			}
			me, err := c.Me(ctx)
			if err != nil {
				var ce *client.Error
				switch {
				case client.IsExpired(err) && errors.As(err, &ce):
					return fmt.Errorf("%s: %s", a.T("cli.login.cannot", "Server", u.String()), ce.Message) // when, and what to do
				case client.IsUnauthorized(err):
					return errors.New(a.T("cli.login.refused"))
				}
				return fmt.Errorf("%s: %w", a.T("cli.login.cannot", "Server", u.String()), err)
			}
			if me.Kind != "therapist" || me.Therapist == nil {
				return errors.New(a.T("cli.login.wrong_kind", "Kind", a.tokenKind(me.Kind)))
			}
			l := &loginInfo{Server: u.String(), Token: token, Handle: me.Therapist.Handle, TherapistID: me.Therapist.ID,
				Role: me.Therapist.Role, Replica: a.replicaPath(u.String(), me.Therapist.Handle)}
			if err := a.writeLogin(l); err != nil {
				return fmt.Errorf("%s: %w", a.T("cli.login.save"), err)
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.login.signed_in", "Server", u.String(), "Handle", l.Handle, "Role", a.roleName(l.Role), "Replica", l.Replica))
			return nil
		},
	}
	cmd.Flags().StringVar(&token, "token", "", "access token (default: read from standard input)")
	return cmd
}

func (a *app) logoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the saved server login (the replica file stays)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := a.readLogin()
			if err != nil {
				return err
			}
			if l == nil {
				fmt.Fprintln(a.env.stdout, a.T("cli.login.not_signed_in"))
				return nil
			}
			if err := os.Remove(a.loginPath()); err != nil {
				return err
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.login.signed_out", "Server", l.Server, "Replica", l.Replica))
			return nil
		},
	}
}

// syncResult is 'polku sync --output json'.
type syncResult struct {
	syncer.Report
	Server   string         `json:"server"`
	Pending  int            `json:"pending"`
	Refused  int            `json:"refused_total"`
	Entries  []syncer.Entry `json:"refused_ops,omitempty"`
	Replica  string         `json:"replica"`
	Duration float64        `json:"seconds"`
}

func (a *app) syncCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Push your work to the server and pull what changed (one round)",
		Long: `One sync round with the server you are signed in to: push the outbox (your
work since the last sync, in order), then pull what changed. Operations the
server refuses (a draft changed elsewhere, a patient no longer yours) stay
in the outbox with what you wrote: see 'polku sync status', then 'polku sync
retry KEY' or 'polku sync discard KEY'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			l, _, err := a.serverLogin(true)
			if err != nil {
				return err
			}
			if _, err := os.Stat(l.Replica); errors.Is(err, os.ErrNotExist) {
				a.interruptNote = firstSyncInterrupted // stopped even before the round
			}
			db, eng, err := a.openReplica(ctx, l)
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			rep, err := a.syncRound(ctx, eng)
			if err != nil {
				return fmt.Errorf("%s: %w", a.T("cli.sync.with", "Server", l.Server), err)
			}
			if th, err := db.Therapist(ctx, l.TherapistID); err == nil {
				a.speak(th) // after the round: the replica now holds their setting
			}
			st := eng.Status()
			res := syncResult{Report: rep, Server: l.Server, Pending: st.Pending, Refused: st.Conflicts, Replica: l.Replica,
				Duration: time.Since(start).Seconds()}
			if o.json() {
				if res.Entries, err = syncer.Entries(ctx, db, syncer.StateConflict, syncer.StateRejected); err != nil {
					return err
				}
				syncer.LocalizeEntries(a.p, res.Entries)
				return writeJSON(a.env.stdout, res)
			}
			w := a.env.stdout
			if rep.Resynced {
				fmt.Fprintln(w, a.T("cli.sync.resynced"))
			}
			if rep.KeptAside > 0 {
				fmt.Fprintln(w, a.T("cli.sync.kept_aside", "Count", rep.KeptAside))
			}
			fmt.Fprint(w, a.T("cli.sync.pushed", "Count", rep.Pushed))
			if rep.Duplicates > 0 {
				fmt.Fprint(w, a.T("cli.sync.duplicates", "Count", rep.Duplicates))
			}
			fmt.Fprint(w, a.T("cli.sync.pulled", "Count", rep.Pulled, "Patients", a.T("cli.count.patients", "Count", rep.Patients)))
			if rep.Revoked > 0 {
				fmt.Fprint(w, a.T("cli.sync.dropped", "Patients", a.T("cli.count.patients", "Count", rep.Revoked)))
			}
			fmt.Fprintln(w, a.T("cli.sync.took", "Seconds", a.p.Number(res.Duration, 2)))
			for i, e := range rep.Refused {
				if i < len(rep.RefusedMsgs) && rep.RefusedMsgs[i].ID != "" && a.p.Lang() != "en" {
					e = store.RenderMessage(a.p, rep.RefusedMsgs[i])
				}
				fmt.Fprintln(w, a.T("cli.sync.refused", "Error", e))
			}
			if st.Conflicts > 0 {
				fmt.Fprintln(w, a.T("cli.sync.waiting", "Count", st.Conflicts))
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	cmd.AddCommand(a.syncStatusCmd(), a.syncResolveCmd("retry"), a.syncResolveCmd("discard"))
	return cmd
}

// firstSyncInterrupted is what Ctrl+C during a first sync leaves: the
// pages fetched are kept on disk, but no command reads a replica before
// its first sync has finished, so nothing of it is shown.
const firstSyncInterrupted = "interrupted: the first sync did not finish, so nothing from it is shown; the next command continues it"

// syncRound runs one sync round with a counter of the records pulled on
// standard error (a terminal, without --quiet; the server sends no total,
// so a count and a rate, no time left). During a first sync, an
// interruption says that nothing from it is shown.
func (a *app) syncRound(ctx context.Context, eng *syncer.Engine) (syncer.Report, error) {
	first := eng.Status().LastSync.IsZero()
	if first {
		a.interruptNote = firstSyncInterrupted
	}
	report, done := a.progress("sync", "records", false)
	eng.OnPull(func(n int) { report(n, 0) })
	rep, err := eng.Round(ctx)
	eng.OnPull(nil)
	done()
	if err == nil && first {
		a.interruptNote = "" // finished: from here on, what is read is whole
	}
	return rep, err
}

func (a *app) syncStatusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the login, the last sync and the outbox (refused ops with their text)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := outputOf(cmd)
			if err := o.check(); err != nil {
				return err
			}
			ctx := cmd.Context()
			l, _, err := a.serverLogin(true)
			if err != nil {
				return err
			}
			db, eng, err := a.openReplica(ctx, l)
			if err != nil {
				return err
			}
			defer db.Close()
			entries, err := syncer.Entries(ctx, db, syncer.StatePending, syncer.StateConflict, syncer.StateRejected)
			if err != nil {
				return err
			}
			if th, err := db.Therapist(ctx, l.TherapistID); err == nil {
				a.speak(th)
			}
			syncer.LocalizeEntries(a.p, entries) // the refusals in the reader's language (the JSON's too: codes stay codes)
			st := eng.Status()
			if o.json() {
				return writeJSON(a.env.stdout, map[string]any{"server": l.Server, "handle": l.Handle, "replica": l.Replica,
					"last_sync": st.LastSync, "pending": st.Pending, "refused": st.Conflicts, "outbox": entries})
			}
			w := a.env.stdout
			last := a.T("cli.sync.never")
			if !st.LastSync.IsZero() {
				last = a.local(st.LastSync).Format("2006-01-02 15:04:05")
				if a.p.Lang() != "en" {
					last = a.p.DateTime(a.local(st.LastSync))
				}
			}
			fmt.Fprintln(w, a.T("cli.sync.status", "Server", l.Server, "Handle", l.Handle, "Replica", l.Replica, "Last", last, "Pending", st.Pending, "Refused", st.Conflicts))
			for _, e := range entries {
				if e.State == syncer.StatePending {
					continue
				}
				fmt.Fprintf(w, "\n%s  %s  %s  %s\n  %s\n", e.Key, e.State, e.OpType, a.local(e.CreatedAt).Format("2006-01-02 15:04"), e.Error)
				if e.Text != "" {
					for _, line := range strings.Split(plainText(e.Text), "\n") {
						fmt.Fprintf(w, "  | %s\n", line)
					}
				}
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func (a *app) syncResolveCmd(verb string) *cobra.Command {
	short := map[string]string{
		"retry":   "Queue a refused op again (a conflicted draft then overwrites the server's copy)",
		"discard": "Drop a refused op from the outbox (what it says is lost)",
	}[verb]
	return &cobra.Command{
		Use:   verb + " KEY",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			l, _, err := a.serverLogin(true)
			if err != nil {
				return err
			}
			db, _, err := a.openReplica(ctx, l)
			if err != nil {
				return err
			}
			defer db.Close()
			if verb == "retry" {
				err = syncer.Retry(ctx, db, args[0])
			} else {
				err = syncer.Discard(ctx, db, args[0])
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.env.stdout, "%s: %s\n", verb, args[0])
			return nil
		},
	}
}

// --- the workbench on a replica ---

// remoteSession is the workbench's sync when it runs on a replica.
type remoteSession struct {
	sync   tui.Syncer
	server string // the server the replica is of
}

// tuiSyncer shows the engine to the workbench.
type tuiSyncer struct{ e *syncer.Engine }

func (s tuiSyncer) Status() tui.SyncStatus {
	st := s.e.Status()
	return tui.SyncStatus{Server: st.Server, Online: st.Online, LastSync: st.LastSync, Pending: st.Pending, Conflicts: st.Conflicts, Err: st.Err}
}

func (s tuiSyncer) Trigger() { s.e.Trigger() }

// Deliver syncs now and says whether the local write of record id reached
// the server ("Message sent.") or waits in the outbox (err says why: saved,
// and sent when the server can be reached).
func (s tuiSyncer) Deliver(ctx context.Context, id string) (bool, error) {
	d, err := s.e.Deliver(ctx, id)
	return d == syncer.Delivered, err
}

// tuiSync is the Syncer for the workbench (nil on a local store).
func (a *app) tuiSync() tui.Syncer {
	if a.remote == nil {
		return nil
	}
	return a.remote.sync
}

// storeLabel says in the status bar, in the therapist's language, what
// the workbench works on.
func (a *app) storeLabel(db *store.DB, th store.Therapist) string {
	p := i18n.New(a.uiLang(th.UILang))
	if a.remote != nil {
		return p.T("cli.store_label.replica", "Server", a.remote.server)
	}
	return p.T("cli.store_label.local", "Path", db.Path())
}

// runRemoteTUI opens the workbench on the replica when a server is in use
// (--server, POLKU_SERVER, or a saved login without --db). ok is false
// when the local store is the source of truth.
func (a *app) runRemoteTUI(cmd *cobra.Command) (ok bool, err error) {
	if a.server == "" && a.env.getenv("POLKU_SERVER") == "" && (a.dbPath != "" || a.env.getenv("POLKU_DB") != "") {
		return false, nil
	}
	l, ok, err := a.serverLogin(false)
	if !ok || err != nil {
		return err != nil, err
	}
	ctx := cmd.Context()
	db, eng, err := a.openReplica(ctx, l)
	if err != nil {
		return true, err
	}
	defer db.Close()
	if eng.Status().LastSync.IsZero() {
		// Never synced to the end (new, or a first sync was interrupted):
		// finish it before opening, so that nothing half-fetched is shown.
		fmt.Fprintln(a.env.stderr, a.T("cli.sync.first", "Server", l.Server, "Replica", l.Replica))
		if _, err := a.syncRound(ctx, eng); err != nil {
			return true, fmt.Errorf("%s: %w", a.T("cli.sync.first_failed"), err)
		}
	}
	th, err := db.Therapist(ctx, l.TherapistID)
	if err != nil {
		return true, err
	}
	if h := a.handle(); h != "" && h != th.Handle {
		return true, usagef("%s", a.T("cli.sync.signed_in_as", "Server", l.Server, "Handle", th.Handle, "Want", h))
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		eng.Run(runCtx)
	}()
	a.remote = &remoteSession{sync: tuiSyncer{eng}, server: l.Server}
	err = a.startTUI(cmd, db, store.ActorFor(th, a.deviceName()), th, false)
	cancel()
	<-done
	// One last push, so that work done just before quitting goes out.
	final, stop := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer stop()
	if _, ferr := eng.Round(final); ferr != nil {
		if st := eng.Status(); st.Pending > 0 {
			fmt.Fprintf(a.env.stderr, "polku: %s\n", a.T("cli.sync.not_pushed", "Count", st.Pending, "Err", netMessage(a.p, ferr)))
		}
	}
	return true, err
}

// plainText drops terminal control characters from text before it is
// printed (patient and therapist text is hostile input to a terminal).
func plainText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
