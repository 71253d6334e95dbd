package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/server"
)

func (a *app) serveCmd() *cobra.Command {
	var addr, certFile, keyFile, logFormat, storeAddr string
	var newEpoch bool
	var lifetimes map[string]string
	cfg := server.Config{}
	cmd := &cobra.Command{
		Use:   "serve [--db PATH | --store rqlite://HOST:PORT,...] [--addr 127.0.0.1:7420] [--tls-cert FILE --tls-key FILE]",
		Short: "Serve a store over HTTP to therapists' replicas and the patient portal",
		Long: `Serve the store as polku's HTTP JSON API (docs/api.md): therapists' polku
keeps a replica in sync with it (polku login, polku sync) and the patient
portal writes through it. Every request needs a token (polku tokens create).

Plain HTTP is allowed only on a loopback address; on any other address give
--tls-cert and --tls-key. Logs are JSON lines on standard error, one per
request; they never contain patient text. SIGINT or SIGTERM stops the server
after the requests in flight.

After 'polku restore' the server announces a new epoch by itself: replicas
then push again what the backup lacks and pull everything again. A store
file put back another way needs --new-epoch once. (A replica whose pull
cursor names a change the restored store does not have notices without it
too, but a new epoch tells every replica at once.) The server holds
STORE.lock while it runs; 'polku restore' refuses while it does.

Tokens expire (polku tokens list shows when). --token-lifetime caps how long
tokens of a kind work, counted from when each was made, whatever expiry it
was made with: --token-lifetime therapist=30d ends every staff token older
than 30 days at once. An expired token is answered 401 token_expired.

GET /healthz answers without a token (ready, the store reachable, the
epoch). --metrics-addr serves GET /metrics (Prometheus) and /healthz on a
second, plain-HTTP listener without a token: keep it on loopback or a
monitoring network (docs/operations.md). The metrics hold counts only,
never patient data.

--store rqlite://host1:4001,host2:4001,host3:4001 serves a store on an
rqlite cluster instead of a file (docs/operations.md): several servers may
serve one cluster; every operation is one cluster transaction.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var err error
			if cfg.Lifetimes, err = parseLifetimes(a.p, lifetimes); err != nil {
				return usagef("%v", err)
			}
			withTLS := certFile != "" || keyFile != ""
			if err := server.CheckAddr(addr, withTLS); err != nil {
				return usageError{err} // said in the reader's language (its message)
			}
			if withTLS && (certFile == "" || keyFile == "") {
				return usagef("%s", a.T("cli.serve.both_tls"))
			}
			if cfg.MetricsAddr != "" {
				if _, _, err := net.SplitHostPort(cfg.MetricsAddr); err != nil {
					return usagef("%s", a.T("cli.serve.bad_metrics", "Value", fmt.Sprintf("%q", cfg.MetricsAddr), "Err", err.Error()))
				}
				if cfg.MetricsAddr == addr {
					return usagef("%s", a.T("cli.serve.same_metrics"))
				}
			}
			var h slog.Handler
			switch logFormat {
			case "json":
				h = slog.NewJSONHandler(a.env.stderr, nil)
			case "text":
				h = slog.NewTextHandler(a.env.stderr, nil)
			default:
				return usagef("%s", a.T("cli.serve.bad_log_format", "Value", fmt.Sprintf("%q", logFormat)))
			}
			log := slog.New(h)
			// Held while serving: 'polku restore' refuses to replace the
			// store under a running server, and a second server refuses too.
			// (A missing store is left to store.Open to explain.)
			path := a.storePath()
			if storeAddr != "" {
				if a.dbPath != "" {
					return usagef("%s", a.T("cli.serve.store_and_db"))
				}
				if !store.IsClusterAddr(storeAddr) {
					return usagef("%s", a.T("cli.serve.bad_store", "Value", fmt.Sprintf("%q", storeAddr)))
				}
				path = storeAddr
			} else if _, err := os.Stat(path); err == nil {
				release, err := store.LockStore(path, "polku serve")
				if err != nil {
					return err
				}
				defer release()
			}
			db, err := store.Open(ctx, path, store.Options{Clock: a.env.now, Create: storeAddr != ""})
			if err != nil {
				return err
			}
			defer db.Close()
			// --new-epoch, or by itself after 'polku restore'.
			if epoch, reason, err := db.TakeNewEpoch(ctx, newEpoch); err != nil {
				return err
			} else if epoch != "" {
				log.Info("new epoch", "epoch", epoch, "reason", reason)
			}
			cfg.DB, cfg.Logger, cfg.Clock = db, log, a.env.now
			srv, err := server.New(ctx, cfg)
			if err != nil {
				return err
			}
			return srv.Serve(ctx, addr, certFile, keyFile, func(ln net.Addr) {
				fmt.Fprintln(a.env.stdout, a.T("cli.serve.serving", "Path", db.Path(), "Scheme", map[bool]string{false: "http", true: "https"}[withTLS], "Addr", ln.String()))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:7420", "address to listen on (host:port)")
	f.StringVar(&certFile, "tls-cert", "", "TLS certificate file (PEM)")
	f.StringVar(&keyFile, "tls-key", "", "TLS private key file (PEM)")
	f.StringVar(&logFormat, "log-format", "json", "log format: json or text")
	f.StringVar(&storeAddr, "store", "", "serve a store on an rqlite cluster: rqlite://host1:4001,host2:4001,host3:4001 (instead of --db)")
	f.BoolVar(&newEpoch, "new-epoch", false, "announce a new epoch (after restoring the store from a backup)")
	f.Float64Var(&cfg.Rate, "rate", 20, "requests per second allowed per token (negative: no limit)")
	f.IntVar(&cfg.Burst, "burst", 60, "requests allowed at once per token")
	f.Int64Var(&cfg.MaxBody, "max-body", 8<<20, "largest request body in bytes")
	f.IntVar(&cfg.PageSize, "page-size", 5000, "most records per pull page (at most 5000)")
	f.StringVar(&cfg.MetricsAddr, "metrics-addr", "", "serve GET /metrics and GET /healthz, without a token, on this second address (e.g. 127.0.0.1:9420)")
	f.StringToStringVar(&lifetimes, "token-lifetime", nil,
		"longest a token of a kind works, from when it was made: therapist=90d,admin=30d,portal=180d (the defaults)")
	return cmd
}

// parseLifetimes reads --token-lifetime: KIND=LIFETIME pairs, each kind
// therapist (staff), admin or portal, each lifetime days (90d) or a Go
// duration (36h).
func parseLifetimes(p *i18n.Printer, m map[string]string) (server.Lifetimes, error) {
	var l server.Lifetimes
	for k, v := range m {
		var d time.Duration
		if n, ok := strings.CutSuffix(v, "d"); ok {
			days, err := strconv.Atoi(n)
			if err != nil || days <= 0 {
				return l, errors.New(p.T("cli.serve.bad_lifetime", "Kind", k, "Value", v))
			}
			d = time.Duration(days) * 24 * time.Hour
		} else if x, err := time.ParseDuration(v); err == nil && x > 0 {
			d = x
		} else {
			return l, errors.New(p.T("cli.serve.bad_lifetime", "Kind", k, "Value", v))
		}
		switch k {
		case "therapist":
			l.Therapist = d
		case "admin":
			l.Admin = d
		case "portal", "patient":
			l.Patient = d
		default:
			return l, errors.New(p.T("cli.serve.bad_lifetime_kind", "Kind", strconv.Quote(k)))
		}
	}
	return l, nil
}
