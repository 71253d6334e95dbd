package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"polku/internal/i18n"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"polku/programs"
	"polku/store"
	"polku/store/rqlite"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// env is everything a command touches outside itself, so that tests can
// run commands in-process with their own streams, environment and clock.
type env struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time
	// stderrTTY: standard error is a terminal, so long work shows progress.
	stderrTTY bool
}

// app carries the global flags and the environment into every command.
type app struct {
	env    *env
	dbPath string
	as     string
	device string
	server string         // --server: work on the replica of this server
	quiet  bool           // --quiet: no progress on standard error
	lang   string         // --lang: the interface language (i18n.Resolve)
	p      *i18n.Printer  // the language the person at the keyboard reads (speak)
	help   bool           // the command line asks for help: p has the help texts
	zone   *time.Location // the service's time zone, once a store is open
	remote *remoteSession // set while the workbench runs on a replica
	// interruptNote, when set, is what an interruption now leaves behind
	// (a first sync: nothing shown), said instead of interrupted's.
	interruptNote string
}

// uiLang is the language a person reads: --lang, then their own setting
// (a therapist's ui-lang; "" when there is none), then the environment.
func (a *app) uiLang(setting string) string {
	return i18n.Resolve(a.lang, setting, a.env.getenv)
}

// T renders a cli catalog message in the person's language.
func (a *app) T(id string, kv ...any) string { return a.p.T(id, kv...) }

// speak sets the language of what follows to the one of the therapist the
// command runs as (their ui-lang, unless --lang says otherwise).
func (a *app) speak(th store.Therapist) {
	if l := a.uiLang(th.UILang); l != a.p.Lang() {
		a.p = a.printer(l)
	}
}

// speakAs speaks the language of the therapist named by --as (or
// POLKU_AS), if the store has them: what the command says from here on is
// in their language, even when it does not otherwise look them up.
func (a *app) speakAs(ctx context.Context, db *store.DB) {
	if h := a.handle(); h != "" {
		if th, err := db.TherapistByHandle(ctx, h); err == nil {
			a.speak(th)
		}
	}
}

// printer is the Printer of lang: without the help texts (the clihelp
// catalogs, the largest) unless the command line asks for help, so that a
// command that shows none does not parse them.
func (a *app) printer(lang string) *i18n.Printer {
	if a.help {
		return i18n.New(lang)
	}
	return i18n.NewExcept(lang, "clihelp")
}

// wantsHelp says whether a command line shows help: --help or -h, or the
// help or completion commands.
func wantsHelp(args []string) bool {
	for _, s := range args {
		switch {
		case s == "--":
			return false
		case s == "--help", s == "-h", strings.HasPrefix(s, "--help="):
			return true
		case s == "help", s == "completion": // (or a flag's value: parsing more than needed is harmless)
			return true
		}
	}
	return false
}

// langFromArgs is the value of --lang on a command line, read before the
// commands are built so that their help is in the language: "" when none.
func langFromArgs(args []string) string {
	for i, s := range args {
		switch {
		case s == "--":
			return ""
		case s == "--lang" && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(s, "--lang="):
			return strings.TrimPrefix(s, "--lang=")
		}
	}
	return ""
}

// usageError marks an error as a usage error (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// run executes one command line and returns the exit code: 0 ok, 1 failure,
// 2 usage error, 130 interrupted.
func run(ctx context.Context, e *env) int {
	e, flush := e.sanitized() // nothing reaches a terminal raw (output.go)
	defer flush()
	a := &app{env: e, help: wantsHelp(e.args)}
	a.p = a.printer(i18n.Resolve(langFromArgs(e.args), "", e.getenv))
	root := a.rootCmd()
	root.SetArgs(e.args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	if ctx.Err() != nil {
		// Ctrl+C (SIGINT), SIGTERM or SIGHUP. The commands in allOrNothing
		// roll back or remove what they had begun. On a terminal, start at
		// the line's beginning, over the "^C" the terminal echoed.
		if e.stderrTTY {
			fmt.Fprint(e.stderr, "\r\x1b[K")
		}
		note := a.interrupted(cmd)
		if a.interruptNote != "" {
			note = a.interruptNote
		}
		fmt.Fprintf(e.stderr, "polku: %s\n", note)
		return exitInterrupted
	}
	msg := netMessage(a.p, err)
	if msg == err.Error() {
		msg = store.ExplainError(a.p, err) // no driver words or result codes
	}
	if msg == err.Error() {
		msg = a.explain(err)
	}
	var probs programs.Problems
	var ue usageError
	switch {
	case errors.As(err, &probs):
		if cmd != nil && outputOf(cmd).json() {
			writeJSON(e.stdout, a.problemsJSON(probs))
		} else {
			fmt.Fprintln(e.stderr, probs.Localized(a.p)) // file:line:col: in the reader's language
		}
		fmt.Fprintf(e.stderr, "polku: %s\n", a.T("cli.run.problems", "Count", len(probs)))
		return 1
	case errors.As(err, &ue), isCobraUsage(msg):
		fmt.Fprintf(e.stderr, "polku: %s\n", msg)
		fmt.Fprintln(e.stderr, a.T("cli.run.usage_hint"))
		return 2
	}
	fmt.Fprintf(e.stderr, "polku: %s\n", msg)
	return 1
}

// exitInterrupted is the exit code of an interrupted command (128 + SIGINT,
// as shells report it).
const exitInterrupted = 130

// allOrNothing are the commands that write nothing when interrupted: the
// demo is built in a file beside its own and renamed into place, an import
// is one transaction, an export to --out goes to a file renamed into place.
var allOrNothing = map[string]bool{"polku demo": true, "polku import": true, "polku export": true, "polku programs import": true}

// netMessage is the error's text with a failed request to a server (a
// *url.Error, however the client wrapped it) told as what it means for the
// person at the keyboard and what to do next, rather than as Go prints it
// ("Get \"http://...\": dial tcp ...: connect: connection refused").
func netMessage(p *i18n.Printer, err error) string {
	msg := err.Error()
	var ue *url.Error
	var op *net.OpError
	var raw, where string // the Go text to replace, and the server it is about
	switch {
	case errors.As(err, &ue):
		raw, where = ue.Error(), ue.URL
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			where = u.Scheme + "://" + u.Host
		}
	case errors.As(err, &op) && op.Addr != nil:
		raw, where = op.Error(), op.Addr.String()
	default:
		return msg
	}
	var dns *net.DNSError
	var why string
	switch {
	case errors.Is(err, http.ErrSchemeMismatch):
		why = p.T("cli.net.plain_http")
	case errors.Is(err, syscall.ECONNREFUSED) && errors.As(err, new(*rqlite.UnavailableError)):
		why = p.T("cli.net.refused_cluster") // serve --store rqlite://: a node, not a polku server
	case errors.Is(err, syscall.ECONNREFUSED):
		why = p.T("cli.net.refused")
	case errors.As(err, &dns):
		why = p.T("cli.net.no_host", "Host", fmt.Sprintf("%q", dns.Name))
	case errors.Is(err, os.ErrDeadlineExceeded) || (ue != nil && ue.Timeout()):
		why = p.T("cli.net.timeout")
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		why = p.T("cli.net.cut")
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		why = p.T("cli.net.no_route")
	case errors.As(err, &op) && op.Err != nil:
		why = op.Err.Error()
	case ue != nil:
		why = ue.Err.Error()
	default:
		why = p.T("cli.net.failed")
	}
	friendly := p.T("cli.net.cannot_reach", "Where", where, "Why", why)
	if i := strings.Index(msg, raw); i >= 0 {
		prefix := msg[:i]
		if strings.HasSuffix(strings.TrimSuffix(prefix, ": "), where) {
			// "cannot sign in to http://x: cannot reach http://x: ..." says the
			// address twice.
			return strings.TrimSuffix(prefix, ": ") + ": " + why
		}
		return prefix + friendly + msg[i+len(raw):]
	}
	return friendly
}

// interrupted says what an interrupted command left behind.
func (a *app) interrupted(cmd *cobra.Command) string {
	if cmd == nil {
		return a.T("cli.run.interrupted")
	}
	switch path := cmd.CommandPath(); {
	case path == "polku export" && !cmd.Flags().Changed("out"):
		return a.T("cli.run.interrupted_stdout")
	case allOrNothing[path]:
		return a.T("cli.run.interrupted_nothing")
	case path == "polku sync":
		// A pull writes page by page, each with its cursor (a first sync
		// says otherwise: syncRound).
		return a.T("cli.run.interrupted_sync")
	}
	return a.T("cli.run.interrupted")
}

func isCobraUsage(msg string) bool {
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument",
		"invalid argument", "accepts ", "requires at least", "requires at most", "required flag"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (a *app) rootCmd() *cobra.Command {
	if a.p == nil { // run sets it from --lang and the environment
		a.help = true
		a.p = a.printer(i18n.Resolve("", "", a.env.getenv))
	}
	root := &cobra.Command{
		Use:   "polku",
		Short: "The therapist's workbench for guided internet therapy",
		Long: `polku is where internet therapists triage their patients, read submitted
exercises, write feedback and answer messages, in the terminal.

Run without a command to open the workbench as the therapist named by --as.
Try it with synthetic data: polku demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE:          a.runTUI,
	}
	root.SetFlagErrorFunc(a.flagError) // with "did you mean" (args.go)
	pf := root.PersistentFlags()
	pf.StringVar(&a.dbPath, "db", "", "store file (env POLKU_DB; default "+defaultDBHint()+")")
	pf.StringVar(&a.as, "as", "", "act as this therapist handle (env POLKU_AS)")
	pf.StringVar(&a.device, "device", "", "name of this device in the audit log (default: host name)")
	pf.StringVar(&a.server, "server", "", "polku server to work with (env POLKU_SERVER; see 'polku login')")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "show no progress on standard error")
	pf.StringVar(&a.lang, "lang", "", "interface language: fi, sv or en (default: your own setting, then LC_ALL/LC_MESSAGES/LANG)")
	root.AddCommand(
		a.initCmd(),
		a.programsCmd(),
		a.templatesCmd(),
		a.therapistsCmd(),
		a.patientsCmd(),
		a.enrollmentsCmd(),
		a.referralsCmd(),
		a.importCmd(),
		a.exportCmd(),
		a.triageCmd(),
		a.teamCmd(),
		a.cohortsCmd(),
		a.groupsCmd(),
		a.settingsCmd(),
		a.auditCmd(),
		a.reportCmd(),
		a.demoCmd(),
		a.serveCmd(),
		a.backupCmd(),
		a.restoreCmd(),
		a.tokensCmd(),
		a.loginCmd(),
		a.logoutCmd(),
		a.syncCmd(),
		a.simulateCmd(),
	)
	a.finishCommands(root)
	a.localizeHelp(root)
	return root
}

func defaultDBHint() string { return "$XDG_DATA_HOME/polku/polku.db" }

// dataDir is the XDG data directory for polku.
func (a *app) dataDir() string {
	if d := a.env.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "polku")
	}
	if h := a.env.getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "polku")
	}
	return filepath.Join(os.TempDir(), "polku")
}

// storePath resolves --db, then POLKU_DB, then the XDG default.
func (a *app) storePath() string {
	if a.dbPath != "" {
		return a.dbPath
	}
	if p := a.env.getenv("POLKU_DB"); p != "" {
		return p
	}
	return filepath.Join(a.dataDir(), "polku.db")
}

// begin starts a command that works on the store: it checks --output (if
// the command has it) before any work, then opens the store. The caller
// closes it.
func (a *app) begin(cmd *cobra.Command) (context.Context, *store.DB, *output, error) {
	o := outputOf(cmd)
	if cmd.Flags().Lookup("output") != nil {
		if err := o.check(); err != nil {
			return nil, nil, nil, err
		}
	}
	if !localOnly[cmd.CommandPath()] {
		if db, ok, err := a.openReadReplica(cmd.Context()); ok || err != nil {
			return cmd.Context(), db, o, err
		}
	}
	db, err := a.open(cmd.Context(), false)
	return cmd.Context(), db, o, err
}

// beginAs is begin and the actor the command works as (--as, the login,
// or the store's owner), for the many commands that read or write as
// someone; the store is closed again when the actor cannot be had.
func (a *app) beginAs(cmd *cobra.Command) (context.Context, *store.DB, store.Actor, *output, error) {
	ctx, db, o, err := a.begin(cmd)
	if err != nil {
		return ctx, nil, store.Actor{}, nil, err
	}
	actor, err := a.actor(ctx, db)
	if err != nil {
		db.Close()
		return ctx, nil, store.Actor{}, nil, err
	}
	return ctx, db, actor, o, nil
}

// localOnly are the commands going through begin that change the store:
// they keep working on the local store (a replica takes therapist work
// only, through its outbox).
var localOnly = map[string]bool{"polku settings set": true}

// readsServer is the login a command that reads works with (its replica,
// or the server itself), unless --db or POLKU_DB names a store: ok is
// false when the local store is the one to read.
func (a *app) readsServer() (*loginInfo, bool, error) {
	if a.server == "" && a.env.getenv("POLKU_SERVER") == "" && (a.dbPath != "" || a.env.getenv("POLKU_DB") != "") {
		return nil, false, nil
	}
	return a.serverLogin(false)
}

// openReadReplica opens the replica of the saved login (or of --server) for
// a command that reads, unless --db or POLKU_DB names a store. ok is false
// when the local store is the one to read. A replica that was never synced
// is fetched first, and with no --as the login's handle is the reader.
func (a *app) openReadReplica(ctx context.Context) (*store.DB, bool, error) {
	l, ok, err := a.readsServer()
	if !ok || err != nil {
		return nil, false, err
	}
	db, eng, err := a.openReplica(ctx, l)
	if err != nil {
		return nil, true, err
	}
	if eng.Status().LastSync.IsZero() {
		// Never synced to the end (new, or a first sync was interrupted):
		// finish it before reading, so that nothing half-fetched is shown.
		fmt.Fprintln(a.env.stderr, a.T("cli.sync.first", "Server", l.Server, "Replica", l.Replica))
		if _, err = a.syncRound(ctx, eng); err != nil {
			db.Close()
			return nil, true, fmt.Errorf("%s: %w", a.T("cli.sync.first_failed"), err)
		}
	}
	th, err := db.Therapist(ctx, l.TherapistID)
	if err != nil {
		db.Close()
		return nil, true, err
	}
	if h := a.handle(); h != "" && h != th.Handle {
		db.Close()
		return nil, true, usagef("%s", a.T("cli.audit.signed_in_as", "Server", l.Server, "Handle", th.Handle, "Want", h))
	}
	a.as = th.Handle
	a.speak(th)
	a.useZoneOf(ctx, db)
	return db, true, nil
}

func (a *app) open(ctx context.Context, create bool) (*store.DB, error) {
	db, err := store.Open(ctx, a.storePath(), store.Options{Clock: a.env.now, Create: create})
	if err == nil {
		a.useZoneOf(ctx, db)
		a.speakAs(ctx, db)
	}
	return db, err
}

// useZoneOf makes the store's service time zone (the timezone setting) the
// one times are shown in.
func (a *app) useZoneOf(ctx context.Context, db *store.DB) {
	if pol, err := db.Policy(ctx); err == nil {
		a.zone = pol.Location()
	}
}

// local is t in the service's time zone, where the store is known, rather
// than the machine's: what a therapist in Helsinki sees on a laptop set to
// another zone. Use it for every time a command prints.
func (a *app) local(t time.Time) time.Time {
	if a.zone == nil {
		return t.Local()
	}
	return t.In(a.zone)
}

func (a *app) deviceName() string {
	if a.device != "" {
		return a.device
	}
	if h, err := os.Hostname(); err == nil {
		return h
	}
	return "unknown"
}

// handle resolves --as, then POLKU_AS.
func (a *app) handle() string {
	if a.as != "" {
		return a.as
	}
	return a.env.getenv("POLKU_AS")
}

// actor is the person at the keyboard: the account named by --as, or the
// operating-system user for admin work on the store file itself.
func (a *app) actor(ctx context.Context, db *store.DB) (store.Actor, error) {
	h := a.handle()
	if h == "" {
		name := a.env.getenv("USER")
		if u, err := user.Current(); err == nil && name == "" {
			name = u.Username
		}
		if name == "" {
			name = "unknown"
		}
		return store.LocalUser(name, a.deviceName()), nil
	}
	t, err := db.TherapistByHandle(ctx, h)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return store.Actor{}, errors.New(a.T("cli.run.no_such_handle", "Handle", fmt.Sprintf("%q", h), "Path", db.Path()))
		}
		return store.Actor{}, err
	}
	a.speak(t)
	return store.ActorFor(t, a.deviceName()), nil
}

// requireTherapist resolves --as and insists on it.
func (a *app) requireTherapist(ctx context.Context, db *store.DB) (store.Actor, store.Therapist, error) {
	h := a.handle()
	if h == "" {
		return store.Actor{}, store.Therapist{}, usagef("%s", a.T("cli.run.say_who"))
	}
	t, err := db.TherapistByHandle(ctx, h)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return store.Actor{}, t, errors.New(a.T("cli.run.no_such_handle", "Handle", fmt.Sprintf("%q", h), "Path", db.Path()))
		}
		return store.Actor{}, t, err
	}
	a.speak(t)
	return store.ActorFor(t, a.deviceName()), t, nil
}

// output is the --output flag of listing commands.
type output struct{ format string }

func addOutputFlag(cmd *cobra.Command) {
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
}

func (o *output) check() error {
	if o.format != "table" && o.format != "json" {
		return usagef("--output must be table or json, not %q", o.format) // said in the language by explain
	}
	return nil
}

func (o *output) json() bool { return o.format == "json" }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(newJSONStream(w)) // escapes C1 and bidi controls too (output.go)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// table aligns columns like tabwriter and trims the padding at line ends.
type table struct {
	*tabwriter.Writer
	buf bytes.Buffer
	out io.Writer
}

func newTable(w io.Writer) *table {
	t := &table{out: w}
	t.Writer = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	return t
}

// Flush writes the aligned table.
func (t *table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	lines := strings.SplitAfter(t.buf.String(), "\n")
	for _, l := range lines {
		trimmed := strings.TrimRight(l, " \n")
		if strings.HasSuffix(l, "\n") {
			trimmed += "\n"
		}
		if _, err := io.WriteString(t.out, trimmed); err != nil {
			return err
		}
	}
	t.buf.Reset()
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
