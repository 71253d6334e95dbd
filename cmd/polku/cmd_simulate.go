package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/spf13/cobra"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store"
	"polku/store/api"
	"polku/store/client"
	"polku/store/server"
	"polku/store/synctest"
)

// portal is what a simulated patient does, through the server's patient
// endpoints or straight into a local store.
type portal interface {
	view(ctx context.Context) (*store.Enrollment, *programs.Program, error)
	submit(ctx context.Context, r api.SubmitRequest) error
	diary(ctx context.Context, r api.DiaryRequest) error
	measure(ctx context.Context, r api.MeasureRequest) error
	message(ctx context.Context, r api.MessageRequest) error
	readFeedback(ctx context.Context) (int, error)
}

type httpPortal struct{ c *client.Client }

func (p httpPortal) view(ctx context.Context) (*store.Enrollment, *programs.Program, error) {
	v, err := p.c.PatientMe(ctx)
	if err != nil {
		return nil, nil, err
	}
	if v.Enrollment == nil {
		return nil, nil, errNotEnrolled
	}
	var prog programs.Program
	if err := json.Unmarshal(v.Program, &prog); err != nil {
		return nil, nil, err
	}
	return v.Enrollment, &prog, nil
}

func (p httpPortal) submit(ctx context.Context, r api.SubmitRequest) error {
	_, err := p.c.Submit(ctx, newSimKey(), r)
	return err
}
func (p httpPortal) diary(ctx context.Context, r api.DiaryRequest) error {
	_, err := p.c.Diary(ctx, newSimKey(), r)
	return err
}
func (p httpPortal) measure(ctx context.Context, r api.MeasureRequest) error {
	_, err := p.c.Measure(ctx, newSimKey(), r)
	return err
}
func (p httpPortal) message(ctx context.Context, r api.MessageRequest) error {
	_, err := p.c.Message(ctx, newSimKey(), r)
	return err
}
func (p httpPortal) readFeedback(ctx context.Context) (int, error) {
	list, err := p.c.Feedback(ctx)
	if err != nil {
		return 0, err
	}
	var ids []string
	for _, f := range list {
		if f.ReadAt == nil {
			ids = append(ids, f.ID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return len(ids), p.c.MarkFeedbackRead(ctx, newSimKey(), ids...)
}

type localPortal struct {
	db        *store.DB
	patientID string
}

func (p localPortal) actor() store.Actor {
	return store.Actor{ID: "patient:" + p.patientID, Handle: "patient", Role: "patient", Device: "simulate"}
}

func (p localPortal) view(ctx context.Context) (*store.Enrollment, *programs.Program, error) {
	rec, err := p.db.PatientRecord(ctx, store.System("simulate"), p.patientID, "")
	if err != nil {
		return nil, nil, err
	}
	e, prog := rec.Current()
	if e == nil {
		return nil, nil, errNotEnrolled
	}
	return e, prog, nil
}

func (p localPortal) submit(ctx context.Context, r api.SubmitRequest) error {
	_, err := p.db.Submit(ctx, p.actor(), store.Submission{EnrollmentID: r.EnrollmentID, PatientID: p.patientID, ModuleID: r.ModuleID,
		ExerciseID: r.ExerciseID, Answers: r.Answers})
	return err
}
func (p localPortal) diary(ctx context.Context, r api.DiaryRequest) error {
	_, err := p.db.AddDiary(ctx, p.actor(), store.DiaryEntry{EnrollmentID: r.EnrollmentID, PatientID: p.patientID, ExerciseID: r.ExerciseID,
		Date: r.Date, Fields: r.Fields})
	return err
}
func (p localPortal) measure(ctx context.Context, r api.MeasureRequest) error {
	_, err := p.db.AddMeasure(ctx, p.actor(), store.MeasureResponse{EnrollmentID: r.EnrollmentID, PatientID: p.patientID,
		InstrumentID: r.InstrumentID, Week: r.Week, Answers: r.Answers})
	return err
}
func (p localPortal) message(ctx context.Context, r api.MessageRequest) error {
	_, err := p.db.SendMessage(ctx, p.actor(), store.Message{EnrollmentID: r.EnrollmentID, PatientID: p.patientID, Direction: store.DirectionIn, Body: r.Body}, "")
	return err
}
func (p localPortal) readFeedback(ctx context.Context) (int, error) {
	rec, err := p.db.PatientRecord(ctx, store.System("simulate"), p.patientID, "")
	if err != nil {
		return 0, err
	}
	var ids []string
	for _, f := range rec.Feedback {
		if f.ReadAt == nil {
			ids = append(ids, f.ID)
		}
	}
	return len(ids), p.db.MarkRead(ctx, p.actor(), "feedback", ids...)
}

func newSimKey() string { return fmt.Sprintf("sim-%x", rand.Uint64()) }

var simMessages = []string{
	"Hi, I could not open the second exercise on my phone. Can you help?",
	"This week was hard, but I did the worry log on four days.",
	"Thank you for your feedback, it helped me understand the exercise.",
	"I will be travelling next week; can I do the module a bit later?",
	"Is it normal that the postponement feels strange at first?",
}

func (a *app) simulateCmd() *cobra.Command {
	var every, duration time.Duration
	var token string
	var count, patients int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "simulate [--server URL [--token TOKEN]] [--db PATH] [--every 2s] [--count N] [--duration D]",
		Short: "Play synthetic patients doing their weekly work, so that a demo shows work arriving",
		Long: `Play the synthetic patients of a store (those marked synthetic, with an
active enrollment): each tick one of them submits an exercise, writes a
diary day, answers a questionnaire, sends a message or reads feedback.

With --server the patients act through the server's patient endpoints, as
the patient portal would, with portal tokens that live a day at most and
are revoked when simulate stops (also on Ctrl-C): made by the server for
your login (a therapist plays their own synthetic patients, an admin all of
them; --token or POLKU_TOKEN for another token), or, with --db, in the
server's store file. Without --server they write straight into the store at
--db. Nothing is printed of what they write. When the server is busy or
cannot be reached, simulate waits longer each time before the next action.
Stop with Ctrl-C, --count or --duration.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if every <= 0 {
				return usagef("%s", a.T("cli.simulate.every"))
			}
			ctx := cmd.Context()
			if duration > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, duration)
				defer cancel()
			}
			var cast []simMember
			var portals []portal
			rnd := rand.New(rand.NewPCG(seed, seed+1))
			pick := func() {
				rnd.Shuffle(len(cast), func(i, j int) { cast[i], cast[j] = cast[j], cast[i] })
				if patients > 0 && patients < len(cast) {
					cast = cast[:patients]
				}
			}
			// The portal tokens made here are revoked when simulate ends,
			// however it ends: the command's context may be cancelled
			// already (Ctrl-C), so the revocations get a fresh one.
			var revoke []func(context.Context) error
			var closeDB func() error // after the revocations, which may need the store
			defer func() {
				if closeDB != nil {
					defer closeDB()
				}
				if len(revoke) == 0 {
					return
				}
				rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				n := 0
				for _, r := range revoke {
					if err := r(rctx); err != nil {
						fmt.Fprintln(a.env.stderr, "polku: "+a.T("cli.simulate.not_revoked", "Err", err.Error(), "Lifetime", server.SimulateLifetime.String()))
						continue
					}
					n++
				}
				fmt.Fprintln(a.env.stdout, a.T("cli.simulate.revoked", "Count", n))
			}()
			where := ""
			switch {
			case a.server != "" && a.dbPath == "" && a.env.getenv("POLKU_DB") == "":
				// Through the server only: it lists the synthetic patients
				// this token may play and makes their portal tokens.
				u, err := client.ParseServer(a.server)
				if err != nil {
					return usagef("--server: %w", err)
				}
				if token == "" {
					token = a.env.getenv("POLKU_TOKEN")
				}
				if token == "" {
					if l, _ := a.readLogin(); l != nil && l.Server == u.String() {
						token = l.Token
					}
				}
				if token == "" {
					return usagef("%s", a.T("cli.simulate.needs_token", "Server", u.String()))
				}
				player, err := client.New(u.String(), token, client.Options{})
				if err != nil {
					return err
				}
				if l, _ := a.readLogin(); l != nil && l.Server == u.String() {
					// The service's zone, for the times printed, from the replica's settings.
					if db, err := store.Open(ctx, l.Replica, store.Options{ReadOnly: true, Clock: a.env.now}); err == nil {
						a.useZoneOf(ctx, db)
						db.Close()
					}
				}
				list, err := player.SyntheticPatients(ctx)
				if err != nil {
					return fmt.Errorf("%s: %w", a.T("cli.simulate.list"), err)
				}
				for _, p := range list {
					cast = append(cast, simMember{p.ID, p.Pseudonym})
				}
				if len(cast) == 0 {
					return errors.New(a.T("cli.simulate.none_server"))
				}
				pick()
				for _, m := range cast {
					pt, err := player.CreatePatientToken(ctx, m.id, "simulate")
					if err != nil {
						return err
					}
					id := pt.ID
					revoke = append(revoke, func(ctx context.Context) error { return player.RevokeToken(ctx, id) })
					c, err := client.New(u.String(), pt.Token, client.Options{})
					if err != nil {
						return err
					}
					portals = append(portals, httpPortal{c})
				}
				where = a.T("cli.simulate.through", "Server", u.String())
			default:
				db, err := a.open(ctx, false)
				if err != nil {
					return err
				}
				closeDB = db.Close
				list, err := db.Patients(ctx, store.System("simulate"), store.PatientFilter{Status: store.EnrollmentActive})
				if err != nil {
					return err
				}
				for _, p := range list {
					if p.Synthetic {
						cast = append(cast, simMember{p.ID, p.Pseudonym})
					}
				}
				if len(cast) == 0 {
					return errors.New(a.T("cli.simulate.none_store"))
				}
				pick()
				if a.server != "" {
					// Through the server, with tokens made in its store.
					u, err := client.ParseServer(a.server)
					if err != nil {
						return usagef("--server: %w", err)
					}
					actor, err := a.actor(ctx, db)
					if err != nil {
						return err
					}
					for _, m := range cast {
						tok, info, err := server.CreatePatientToken(ctx, db, m.id, server.TokenOptions{Device: "simulate", Expires: a.env.now().Add(server.SimulateLifetime)})
						if err != nil {
							return err
						}
						id := info.ID
						revoke = append(revoke, func(ctx context.Context) error {
							_, err := server.RevokeTokens(ctx, db, actor, id, "")
							return err
						})
						if err := server.AuditPatientToken(ctx, db, actor, info); err != nil {
							return err
						}
						c, err := client.New(u.String(), tok, client.Options{})
						if err != nil {
							return err
						}
						portals = append(portals, httpPortal{c})
					}
					where = a.T("cli.simulate.through", "Server", u.String())
				} else {
					for _, m := range cast {
						portals = append(portals, localPortal{db: db, patientID: m.id})
					}
					where = a.T("cli.simulate.into", "Path", db.Path())
				}
			}
			fmt.Fprintln(a.env.stdout, a.T("cli.simulate.start", "Patients", a.T("cli.simulate.n_patients", "Count", len(cast)), "Where", where, "Every", every.String()))
			done, failed := simulateLoop(ctx, simLoop{cast: cast, portals: portals, rnd: rnd, every: every, count: count,
				now: a.env.now, local: a.local, out: a.env.stdout, tr: a.p, after: time.After})
			fmt.Fprintln(a.env.stdout, a.T("cli.simulate.done", "Done", a.T("cli.simulate.n_actions", "Count", done), "Failed", failed))
			if failed > 0 && done == 0 {
				return errors.New(a.T("cli.simulate.all_failed"))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.DurationVar(&every, "every", 2*time.Second, "pause between actions")
	f.IntVar(&count, "count", 0, "stop after this many actions (0: until stopped)")
	f.DurationVar(&duration, "duration", 0, "stop after this long")
	f.IntVar(&patients, "patients", 0, "play at most this many patients")
	f.Uint64Var(&seed, "seed", uint64(time.Now().UnixNano()), "random seed")
	f.StringVar(&token, "token", "", "token for --server without --db (env POLKU_TOKEN; default: the saved login's)")
	return cmd
}

type simMember struct{ id, pseudonym string }

// errNotEnrolled: the simulated patient has no current treatment.
var errNotEnrolled = errors.New("not enrolled")

// simError is an action's error in the reader's language.
func simError(p *i18n.Printer, err error) string {
	if errors.Is(err, errNotEnrolled) {
		return p.T("cli.simulate.not_enrolled")
	}
	return netMessage(p, err)
}

// simLoop is what simulateLoop needs; after is the timer (tests pass one
// that fires at once and records the wait).
type simLoop struct {
	cast    []simMember
	portals []portal
	rnd     *rand.Rand
	every   time.Duration
	count   int
	now     func() time.Time
	local   func(time.Time) time.Time // the time a person reads (the service's zone); nil: as now gives it
	out     io.Writer
	tr      *i18n.Printer // the reader's language (nil: English)
	after   func(time.Duration) <-chan time.Time
	backoff client.Backoff
}

// simulateLoop plays one action every l.every until ctx ends or l.count
// actions are done. When the server is busy (429, 503) or cannot be
// reached, the next try waits longer each time (the server's Retry-After
// when it asks for longer), and the wait is said once per failure.
func simulateLoop(ctx context.Context, l simLoop) (done, failed int) {
	if l.backoff.Base <= 0 {
		l.backoff.Base = l.every
	}
	if l.backoff.Max <= 0 {
		l.backoff.Max = 2 * time.Minute
	}
	if l.tr == nil {
		l.tr = i18n.New(i18n.EN)
	}
	streak := 0
	for l.count <= 0 || done < l.count {
		i := l.rnd.IntN(len(l.cast))
		act, err := simulateOne(ctx, l.portals[i], l.rnd, l.now())
		what := l.tr.M(act)
		shown := l.now()
		if l.local != nil {
			shown = l.local(shown)
		}
		at := shown.Format("15:04:05")
		wait := l.every
		switch {
		case err != nil && ctx.Err() != nil:
			return done, failed
		case err != nil && (client.IsOffline(err) || client.IsBusy(err)):
			failed++
			wait = l.backoff.Wait(err, streak)
			streak++
			fmt.Fprintln(l.out, l.tr.T("cli.simulate.line_retry", "At", at, "Who", l.cast[i].pseudonym, "What", what,
				"Err", simError(l.tr, err), "Wait", wait.Round(time.Millisecond).String()))
		case err != nil:
			failed++
			streak = 0
			fmt.Fprintln(l.out, l.tr.T("cli.simulate.line_failed", "At", at, "Who", l.cast[i].pseudonym, "What", what, "Err", simError(l.tr, err)))
		default:
			done++
			streak = 0
			fmt.Fprintln(l.out, l.tr.T("cli.simulate.line", "At", at, "Who", l.cast[i].pseudonym, "What", what))
		}
		if l.count > 0 && done >= l.count {
			break
		}
		select {
		case <-ctx.Done():
			return done, failed
		case <-l.after(wait):
		}
	}
	return done, failed
}

// simulateOne makes one patient do one thing and says what (never the
// text), as a message of the cli catalog.
func simulateOne(ctx context.Context, p portal, rnd *rand.Rand, now time.Time) (i18n.Message, error) {
	e, prog, err := p.view(ctx)
	if err != nil {
		return i18n.Msg("cli.simulate.act.view"), err
	}
	open := prog.Modules
	if e.UnlockedModules < len(open) {
		open = open[:max(1, e.UnlockedModules)]
	}
	var works, diaries []struct {
		module string
		ex     *programs.Exercise
	}
	var questionnaires []string
	for mi := range open {
		for xi := range open[mi].Exercises {
			ex := &open[mi].Exercises[xi]
			item := struct {
				module string
				ex     *programs.Exercise
			}{open[mi].ID, ex}
			switch ex.Kind {
			case programs.KindReflection, programs.KindWorksheet:
				works = append(works, item)
			case programs.KindDiary:
				diaries = append(diaries, item)
			}
		}
	}
	// The scheduled instruments whose item count simulate knows.
	for _, s := range prog.Schedule {
		if s.Instrument == "phq9" || s.Instrument == "gad7" {
			questionnaires = append(questionnaires, s.Instrument)
		}
	}
	start, _ := time.Parse(time.DateOnly, e.StartDate)
	week := min(max(0, int(now.Sub(start).Hours()/24/7)), prog.Weeks)
	switch roll := rnd.IntN(100); {
	case roll < 40 && len(works) > 0:
		x := works[rnd.IntN(len(works))]
		return i18n.Msg("cli.simulate.act.submitted", "Exercise", x.ex.ID), p.submit(ctx, api.SubmitRequest{EnrollmentID: e.ID, ModuleID: x.module, ExerciseID: x.ex.ID, Answers: synctest.Answers(x.ex, rnd)})
	case roll < 55 && len(diaries) > 0:
		x := diaries[rnd.IntN(len(diaries))]
		return i18n.Msg("cli.simulate.act.diary"), p.diary(ctx, api.DiaryRequest{EnrollmentID: e.ID, ExerciseID: x.ex.ID, Date: now.AddDate(0, 0, -1).Format(time.DateOnly), Fields: synctest.Answers(x.ex, rnd)})
	case roll < 75 && len(questionnaires) > 0:
		id := questionnaires[rnd.IntN(len(questionnaires))]
		answers := make([]int, map[string]int{"phq9": 9, "gad7": 7}[id])
		for i := range answers {
			answers[i] = rnd.IntN(3)
		}
		if id == "phq9" {
			answers[8] = 0
		}
		return i18n.Msg("cli.simulate.act.answered", "Instrument", map[string]string{"phq9": "PHQ-9", "gad7": "GAD-7"}[id]), p.measure(ctx, api.MeasureRequest{EnrollmentID: e.ID, InstrumentID: id, Week: week, Answers: answers})
	case roll < 84 && isGroupPoster(p): // cmd_groups.go
		if what, err := p.(groupPoster).groupPost(ctx, rnd); what.ID != "" || err != nil {
			return what, err
		}
		return i18n.Msg("cli.simulate.act.message"), p.message(ctx, api.MessageRequest{EnrollmentID: e.ID, Body: simMessages[rnd.IntN(len(simMessages))]})
	case roll < 90:
		return i18n.Msg("cli.simulate.act.message"), p.message(ctx, api.MessageRequest{EnrollmentID: e.ID, Body: simMessages[rnd.IntN(len(simMessages))]})
	default:
		n, err := p.readFeedback(ctx)
		return i18n.Msg("cli.simulate.act.read_feedback", "Count", n), err
	}
}
