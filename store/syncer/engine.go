package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
	"polku/store/client"
)

// Config configures an Engine.
type Config struct {
	DB     *store.DB // the replica, opened with OpenReplica
	Client *client.Client
	Clock  func() time.Time
	// Interval is the pause between background rounds (default 5 s).
	Interval time.Duration
	// PageSize is the most records per pull page (default 5000, the
	// server's largest).
	PageSize int
	// PushBatch is the most ops per push request (default 100).
	PushBatch int
	// Retain is how long pushed ops are kept, to be pushed again if the
	// server is restored from an older backup (default 30 days).
	Retain time.Duration
	// Backoff spaces the background rounds after failures (offline, or
	// the server busy): jittered, doubling from Base (default the
	// Interval) up to Max (default 5 minutes), and never sooner than a
	// Retry-After the server sent.
	Backoff client.Backoff
	// After is the background loop's timer (default time.After); tests
	// pass one that fires at once and records the wait.
	After func(d time.Duration) <-chan time.Time
}

// Engine syncs one replica with one server. Rounds never overlap.
type Engine struct {
	cfg     Config
	db      *store.DB
	c       *client.Client
	now     func() time.Time
	roundMu sync.Mutex
	trigger chan struct{}

	mu     sync.Mutex
	status Status
	onPull func(pulled int) // OnPull's function

	// Bookkeeping writes are kept rare: an idle round writes nothing.
	savedSync time.Time // when last_sync was last stored
	pruned    time.Time // when pushed ops were last pruned
}

// Status is what a user sees of the engine.
type Status struct {
	Server    string
	Online    bool
	LastSync  time.Time
	Pending   int // local ops not yet pushed
	Conflicts int // ops the server refused (conflicts and rejections)
	Err       string
}

// Report says what one round moved.
type Report struct {
	Pushed     int      `json:"pushed"`
	Duplicates int      `json:"duplicates"`
	Conflicts  int      `json:"conflicts"`
	Rejected   int      `json:"rejected"`
	Pulled     int      `json:"pulled"`
	Patients   int      `json:"patients"`
	Revoked    int      `json:"revoked"`
	Pages      int      `json:"pages"`
	Resynced   bool     `json:"resynced"`             // the server had a new epoch: everything was pulled again
	KeptAside  int      `json:"kept_aside,omitempty"` // records the restored server no longer has, kept in the outbox
	Epoch      string   `json:"epoch"`
	Refused    []string `json:"refused,omitempty"` // errors of the ops refused in this round
	// RefusedMsgs are the errors of Refused as messages, one for each
	// (an empty one where the server sent only the text).
	RefusedMsgs []i18n.Message `json:"-"`
}

// refused adds the error of a refused op.
func (rep *Report) refused(r api.PushResult) {
	m, _ := store.MessageFromJSON(r.Msg)
	rep.Refused = append(rep.Refused, r.Error)
	rep.RefusedMsgs = append(rep.RefusedMsgs, m)
}

// New makes an engine.
func New(cfg Config) *Engine {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 5000
	}
	if cfg.PushBatch <= 0 {
		cfg.PushBatch = 100
	}
	if cfg.Retain <= 0 {
		cfg.Retain = 30 * 24 * time.Hour
	}
	if cfg.Backoff.Base <= 0 {
		cfg.Backoff.Base = cfg.Interval
	}
	if cfg.Backoff.Max <= 0 {
		cfg.Backoff.Max = 5 * time.Minute
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	e := &Engine{cfg: cfg, db: cfg.DB, c: cfg.Client, now: cfg.Clock, trigger: make(chan struct{}, 1)}
	e.status.Server = cfg.Client.Server()
	if p, c, err := Counts(context.Background(), cfg.DB); err == nil {
		e.status.Pending, e.status.Conflicts = p, c
	}
	if v, _ := e.state(context.Background(), nil, "last_sync"); v != "" {
		e.status.LastSync, _ = time.Parse(time.RFC3339Nano, v)
	}
	return e
}

// Status returns the engine's state (safe from any goroutine). The outbox
// counts are fresh: a write made since the last round shows as pending at
// once.
func (e *Engine) Status() Status {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	pending, refused, err := Counts(ctx, e.db)
	cancel()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err == nil {
		e.status.Pending, e.status.Conflicts = pending, refused
	}
	return e.status
}

// Trigger asks for a round soon (after a send).
func (e *Engine) Trigger() {
	select {
	case e.trigger <- struct{}{}:
	default:
	}
}

// Run syncs in the background until ctx ends: a round at once, then every
// Interval, and shortly after each Trigger. After a failed round it waits
// longer each time (Backoff, or the server's Retry-After when that is
// longer), so that an offline replica or a busy server is not asked
// again and again; a Trigger still starts a round at once.
func (e *Engine) Run(ctx context.Context) {
	failures := 0
	now := make(chan time.Time, 1)
	now <- time.Time{}
	var wake <-chan time.Time = now
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-e.trigger:
			// Let a burst of writes settle into one round.
			select {
			case <-ctx.Done():
				return
			case <-time.After(150 * time.Millisecond):
			}
		}
		if ctx.Err() != nil {
			return
		}
		_, err := e.Round(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := e.cfg.Interval
		if err != nil {
			wait = e.cfg.Backoff.Wait(err, failures)
			failures++
		} else {
			failures = 0
		}
		wake = e.cfg.After(wait)
	}
}

var errEpoch = errors.New("the server has a new epoch")

// OnPull sets a function told, after each page a round writes, how many
// records the round has pulled so far (for a progress counter: the server
// sends no total). nil stops telling.
func (e *Engine) OnPull(f func(pulled int)) {
	e.mu.Lock()
	e.onPull = f
	e.mu.Unlock()
}

// Round pushes the outbox and pulls the server's changes.
func (e *Engine) Round(ctx context.Context) (Report, error) {
	e.roundMu.Lock()
	defer e.roundMu.Unlock()
	var rep Report
	err := replicaError(e.db.Path(), e.lockedRound(ctx, &rep))
	pending, refused, cerr := Counts(context.WithoutCancel(ctx), e.db)
	e.mu.Lock()
	defer e.mu.Unlock()
	if cerr == nil {
		e.status.Pending, e.status.Conflicts = pending, refused
	}
	switch {
	case err == nil:
		e.status.Online, e.status.Err = true, ""
		e.status.LastSync = e.now()
		if moved(rep) || e.now().Sub(e.savedSync) > time.Minute {
			e.savedSync = e.now()
			e.setState(context.WithoutCancel(ctx), nil, "last_sync", e.status.LastSync.UTC().Format(time.RFC3339Nano))
		}
	case client.IsOffline(err):
		e.status.Online, e.status.Err = false, "offline: "+shortErr(err)
	default:
		var ce *client.Error
		e.status.Online = errors.As(err, &ce)
		e.status.Err = shortErr(err)
	}
	return rep, err
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

func (e *Engine) lockedRound(ctx context.Context, rep *Report) error {
	if p := e.db.Path(); p != "" {
		unlock, err := lockFile(ctx, p+".sync-lock")
		if err != nil {
			return fmt.Errorf("lock the replica for a sync round: %w", err)
		}
		defer unlock()
	}
	return e.round(ctx, rep)
}

func (e *Engine) round(ctx context.Context, rep *Report) error {
	if err := e.checkServer(ctx); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := e.push(ctx, rep)
		if err == nil {
			err = e.pull(ctx, rep)
		}
		if errors.Is(err, errEpoch) && attempt < 3 {
			rep.Resynced = true
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	if e.now().Sub(e.pruned) < time.Hour {
		return nil
	}
	e.pruned = e.now()
	cutoff := fmtTime(e.now().Add(-e.cfg.Retain))
	_, err := e.db.Writer().ExecContext(ctx, "DELETE FROM outbox WHERE state = 'pushed' AND pushed_at < ?", cutoff)
	return err
}

func moved(r Report) bool {
	return r.Pushed+r.Duplicates+r.Conflicts+r.Rejected+r.Pulled+r.Revoked > 0 || r.Resynced
}

// cursorSlack is how far the cursor may lag behind the server's head
// before an otherwise empty page is still written down, so that a replica
// whose patients are quiet does not write on every round.
const cursorSlack = 2000

// checkServer binds a new replica to its server and refuses another one.
func (e *Engine) checkServer(ctx context.Context) error {
	srv, err := e.state(ctx, nil, "server")
	if err != nil {
		return err
	}
	if srv == "" {
		return e.setState(ctx, nil, "server", e.c.Server())
	}
	if srv != e.c.Server() {
		return fmt.Errorf("this replica belongs to %s, not %s", srv, e.c.Server())
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (e *Engine) q(tx *sql.Tx, write bool) querier {
	switch {
	case tx != nil:
		return tx
	case write:
		return e.db.Writer()
	}
	return e.db.Reader()
}

func (e *Engine) state(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	var v string
	err := e.q(tx, false).QueryRowContext(ctx, "SELECT value FROM sync_state WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func (e *Engine) setState(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := e.q(tx, true).ExecContext(ctx, "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// newEpoch records a server epoch change: every op kept since it was
// pushed goes back to pending (the restored server may not have it; it
// answers "duplicate" for those it has) and the next pull starts over.
func (e *Engine) newEpoch(ctx context.Context, epoch string) error {
	tx, err := e.db.Writer().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE outbox SET state = 'pending', pushed_at = NULL WHERE state = 'pushed'"); err != nil {
		return err
	}
	for k, v := range map[string]string{"epoch": epoch, "cursor": "0", "check": "", "reset": "1"} {
		if err := e.setState(ctx, tx, k, v); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// checkEpoch compares the server's epoch with the replica's: the first
// one seen is stored; a different one starts a resync.
func (e *Engine) checkEpoch(ctx context.Context, epoch string) error {
	if epoch == "" {
		return errors.New("the server did not say its epoch")
	}
	cur, err := e.state(ctx, nil, "epoch")
	if err != nil {
		return err
	}
	switch cur {
	case epoch:
		return nil
	case "":
		return e.setState(ctx, nil, "epoch", epoch)
	}
	if err := e.newEpoch(ctx, epoch); err != nil {
		return err
	}
	return errEpoch
}

type outboxRow struct {
	key, typ, body string
}

func (e *Engine) push(ctx context.Context, rep *Report) error {
	for {
		rows, err := e.db.Reader().QueryContext(ctx, "SELECT key, op_type, body FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?", e.cfg.PushBatch)
		if err != nil {
			return err
		}
		var batch []outboxRow
		for rows.Next() {
			var r outboxRow
			if err := rows.Scan(&r.key, &r.typ, &r.body); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		// An op larger than the server takes goes in parts, each under its
		// own key (the same every time, so a part pushed again is a
		// duplicate); a request carries at most PushBatch parts.
		var ops []api.PushOp
		parts := make([][]string, len(batch))
		for i, r := range batch {
			split, err := splitOp(r)
			if err != nil {
				return err
			}
			for _, op := range split {
				parts[i] = append(parts[i], op.Key)
			}
			ops = append(ops, split...)
		}
		got := map[string]api.PushResult{}
		var stop error
		for len(ops) > 0 && stop == nil {
			n := min(len(ops), e.cfg.PushBatch)
			epoch, err := e.state(ctx, nil, "epoch")
			if err != nil {
				return err
			}
			resp, err := e.c.PushUnder(ctx, epoch, ops[:n])
			var ce *client.Error
			if errors.As(err, &ce) && ce.Code == api.CodeEpochChanged {
				// Nothing was applied: learn the new epoch, put every op
				// pushed under the old one back in line, push again.
				me, merr := e.c.Me(ctx)
				if merr != nil {
					return merr
				}
				if me.Epoch == epoch {
					return err
				}
				return e.checkEpoch(ctx, me.Epoch)
			}
			if err != nil {
				return err
			}
			if err := e.checkEpoch(ctx, resp.Epoch); err != nil {
				return err
			}
			for _, r := range resp.Results {
				got[r.Key] = r
				if r.Status == api.StatusError && stop == nil {
					stop = fmt.Errorf("push: %s; will try again", r.Error)
				}
			}
			if len(resp.Results) < n && stop == nil {
				msg := "the server stopped before the end of the push"
				if k := len(resp.Results); k > 0 && resp.Results[k-1].Error != "" {
					msg = resp.Results[k-1].Error
				}
				stop = fmt.Errorf("push: %s; will try again", msg)
			}
			ops = ops[n:]
		}
		// One result per outbox row whose parts were all answered: the
		// first refusal among them, else applied (duplicate when every
		// part was).
		var results []api.PushResult
		for i, r := range batch {
			res, ok := combine(r.key, parts[i], got)
			if !ok {
				break // in order: later rows wait for this one
			}
			results = append(results, res)
		}
		if err := e.record(ctx, results, rep); err != nil {
			return err
		}
		if stop != nil {
			return stop
		}
	}
}

// splitOp is an outbox row as the ops a push carries: one, or for a
// read.mark of more ids than the server takes in one op, one per
// MaxReadIDs ids under the keys KEY.1, KEY.2, ...
func splitOp(r outboxRow) ([]api.PushOp, error) {
	one := []api.PushOp{{Key: r.key, Type: r.typ, Op: []byte(r.body)}}
	if r.typ != (store.MarkReadOp{}).OpType() {
		return one, nil
	}
	var m store.MarkReadOp
	if err := json.Unmarshal([]byte(r.body), &m); err != nil || len(m.IDs) <= client.MaxReadIDs {
		return one, nil
	}
	var out []api.PushOp
	for i := 0; len(m.IDs) > 0; i++ {
		n := min(len(m.IDs), client.MaxReadIDs)
		part := m
		part.IDs = m.IDs[:n]
		b, err := json.Marshal(part)
		if err != nil {
			return nil, err
		}
		out = append(out, api.PushOp{Key: r.key + "." + strconv.Itoa(i+1), Type: r.typ, Op: b})
		m.IDs = m.IDs[n:]
	}
	return out, nil
}

// combine makes one result for an outbox row from its parts' results;
// false while a part has no result (or an error result) yet.
func combine(key string, parts []string, got map[string]api.PushResult) (api.PushResult, bool) {
	res := api.PushResult{Key: key, Status: api.StatusDuplicate}
	for _, k := range parts {
		r, ok := got[k]
		if !ok || r.Status == api.StatusError {
			return res, false
		}
		switch r.Status {
		case api.StatusConflict, api.StatusRejected:
			if res.Status != api.StatusConflict && res.Status != api.StatusRejected {
				r.Key = key
				res = r
			}
		case api.StatusApplied:
			if res.Status == api.StatusDuplicate {
				res.Status = api.StatusApplied
			}
		}
	}
	return res, true
}

// record writes push results: pushed ops are marked, refused ones keep
// their error and the server's state of their records replaces the
// replica's copy, all in one transaction.
func (e *Engine) record(ctx context.Context, results []api.PushResult, rep *Report) error {
	var items []store.PulledItem
	for _, r := range results {
		if r.Status != api.StatusConflict && r.Status != api.StatusRejected {
			continue
		}
		for _, it := range r.Records {
			rec, err := store.DecodeRecord(it.Type, it.Record)
			if err != nil {
				return fmt.Errorf("push: the server's copy of %s %s: %w", it.Type, it.ID, err)
			}
			items = append(items, store.PulledItem{Type: it.Type, ID: it.ID, Record: rec})
		}
		for _, a := range r.Absent {
			items = append(items, store.PulledItem{Type: a.Type, ID: a.ID, Deleted: true})
		}
	}
	now := fmtTime(e.now())
	_, err := e.db.ApplyPulled(ctx, store.PulledBatch{Items: items, Within: func(tx *sql.Tx) error {
		for _, r := range results {
			var err error
			switch r.Status {
			case api.StatusApplied, api.StatusDuplicate:
				_, err = tx.ExecContext(ctx, "UPDATE outbox SET state = 'pushed', pushed_at = ?, error = '', error_msg = '' WHERE key = ?", now, r.Key)
			case api.StatusConflict, api.StatusRejected:
				_, err = tx.ExecContext(ctx, "UPDATE outbox SET state = ?, error = ?, error_msg = ? WHERE key = ?", r.Status, r.Error, string(r.Msg), r.Key)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}})
	if err != nil {
		return err
	}
	for _, r := range results {
		switch r.Status {
		case api.StatusApplied:
			rep.Pushed++
		case api.StatusDuplicate:
			rep.Duplicates++
		case api.StatusConflict:
			rep.Conflicts++
			rep.refused(r)
		case api.StatusRejected:
			rep.Rejected++
			rep.refused(r)
		}
	}
	return nil
}

// errStale: another process advanced the cursor while this page was on
// its way; the page is dropped and pulling goes on from the new cursor.
var errStale = errors.New("the pull cursor moved")

type pulled struct {
	resp  *api.PullResponse
	items []store.PulledItem // resp's items decoded
	err   error
}

// fetch asks for the page after cursor in the background and decodes its
// records there too, so that both overlap the writing of the page before.
func (e *Engine) fetch(ctx context.Context, cursor, check string) <-chan pulled {
	ch := make(chan pulled, 1)
	go func() {
		resp, err := e.c.Pull(ctx, cursor, check, e.cfg.PageSize)
		var items []store.PulledItem
		if err == nil {
			items, err = decodeItems(resp.Items)
		}
		ch <- pulled{resp, items, err}
	}()
	return ch
}

// decodeItems decodes a page's records.
func decodeItems(in []api.Item) ([]store.PulledItem, error) {
	items := make([]store.PulledItem, 0, len(in))
	for _, it := range in {
		pi := store.PulledItem{Type: it.Type, ID: it.ID, Deleted: it.Deleted, PatientID: it.PatientID, By: it.By}
		if !it.Deleted {
			var err error
			if pi.Record, err = store.DecodeRecord(it.Type, it.Record); err != nil {
				return nil, fmt.Errorf("pull: %s %s: %w", it.Type, it.ID, err)
			}
		}
		items = append(items, pi)
	}
	return items, nil
}

// seqOf is the change-log position of a pull cursor ("SEQ" or
// "SEQ~..." while a newly assigned patient's history is on its way).
func seqOf(cursor string) int64 {
	n, _ := strconv.ParseInt(strings.SplitN(cursor, "~", 2)[0], 10, 64)
	return n
}

func (e *Engine) pull(ctx context.Context, rep *Report) error {
	patients := map[string]bool{}
	defer func() { rep.Patients += len(patients) }()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // drops a prefetched page nobody will apply
	var next <-chan pulled
	var nextCursor string
	for page := 0; page < 100_000; page++ {
		cursor, err := e.state(ctx, nil, "cursor")
		if err != nil {
			return err
		}
		if cursor == "" {
			cursor = "0"
		}
		check, err := e.state(ctx, nil, "check")
		if err != nil {
			return err
		}
		if next == nil || nextCursor != cursor {
			next, nextCursor = e.fetch(ctx, cursor, check), cursor
		}
		got := <-next
		next = nil
		if client.IsResync(got.err) {
			// The server's change at our cursor is another one: it was
			// restored from an older copy without a new epoch, and has
			// written other changes since. Treat it as a new epoch.
			epoch, err := e.state(ctx, nil, "epoch")
			if err != nil {
				return err
			}
			if err := e.newEpoch(ctx, epoch); err != nil {
				return err
			}
			return errEpoch
		}
		if got.err != nil {
			return got.err
		}
		resp := got.resp
		if err := e.checkEpoch(ctx, resp.Epoch); err != nil {
			return err
		}
		rep.Epoch = resp.Epoch
		if seqOf(cursor) > resp.Head {
			// The server went back in time without saying so (restored
			// from a copy with the same epoch): treat it as a new epoch.
			if err := e.newEpoch(ctx, resp.Epoch); err != nil {
				return err
			}
			return errEpoch
		}
		// While this page is written, the next one is on its way.
		if resp.More {
			next, nextCursor = e.fetch(ctx, resp.Cursor, resp.Check), resp.Cursor
		}
		items := got.items
		for _, it := range items {
			if it.PatientID != "" {
				patients[it.PatientID] = true
			}
		}
		reset, err := e.state(ctx, nil, "reset")
		if err != nil {
			return err
		}
		aside, err := e.state(ctx, nil, "aside")
		if err != nil {
			return err
		}
		if len(items) == 0 && len(resp.Revoked) == 0 && reset != "1" && aside == "" && !resp.More {
			if seqOf(resp.Cursor)-seqOf(cursor) < cursorSlack {
				// Nothing for this replica: nothing to write.
				rep.Pages++
				return nil
			}
		}
		kept := 0
		batch := store.PulledBatch{
			Reset: reset == "1",
			Purge: resp.Revoked,
			Items: items,
			Skip:  e.pendingIDs(ctx),
			Within: func(tx *sql.Tx) error {
				cur, err := e.state(ctx, tx, "cursor")
				if err != nil {
					return err
				}
				if cur == "" {
					cur = "0"
				}
				if cur != cursor {
					return errStale
				}
				for k, v := range map[string]string{"cursor": resp.Cursor, "check": resp.Check, "reset": "0"} {
					if err := e.setState(ctx, tx, k, v); err != nil {
						return err
					}
				}
				if !resp.More {
					// Caught up after a restore: what the server no longer
					// has goes aside, into the outbox.
					kept, err = e.keepAside(ctx, tx)
					return err
				}
				return nil
			},
		}
		// The server names patients the actor could see at the cursor and
		// no longer can; only those this replica holds are dropped (a first
		// sync never had the ones that came and went before it caught up).
		dropped := 0
		batch.Before = func(tx *sql.Tx) error {
			var err error
			if dropped, err = held(ctx, tx, resp.Revoked); err != nil {
				return err
			}
			if batch.Reset {
				return e.noteAside(ctx, tx)
			}
			return nil
		}
		n, err := e.db.ApplyPulled(ctx, batch)
		if errors.Is(err, errStale) {
			continue
		}
		if err != nil {
			return err
		}
		rep.Pages++
		rep.Pulled += n
		rep.Revoked += dropped
		rep.KeptAside += kept
		e.mu.Lock()
		onPull := e.onPull
		e.mu.Unlock()
		if onPull != nil {
			onPull(rep.Pulled)
		}
		if !resp.More {
			return nil
		}
	}
	return errors.New("pull: too many pages")
}

// held counts the patients of ids this replica has.
func held(ctx context.Context, tx *sql.Tx, ids []string) (int, error) {
	n := 0
	for _, id := range ids {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM patients WHERE id = ?", id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// pendingIDs names the records of ops not yet pushed: pulled copies of
// them would undo the local change until the push is through.
func (e *Engine) pendingIDs(ctx context.Context) func(tx *sql.Tx) (map[string]bool, error) {
	return func(tx *sql.Tx) (map[string]bool, error) {
		rows, err := tx.QueryContext(ctx, "SELECT record_ids FROM outbox WHERE state = 'pending' AND record_ids <> ''")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		skip := map[string]bool{}
		for rows.Next() {
			var ids string
			if err := rows.Scan(&ids); err != nil {
				return nil, err
			}
			for _, id := range strings.Fields(ids) {
				skip[id] = true
			}
		}
		return skip, rows.Err()
	}
}

// Deliver syncs now and says whether the newest local write of record id
// (a message, feedback) reached the server: a screen says "sent" only for
// Delivered. For Waiting, err says why not yet (offline: the write is
// saved and goes with the next round that reaches the server).
func (e *Engine) Deliver(ctx context.Context, id string) (Delivery, error) {
	_, err := e.Round(ctx)
	d, derr := DeliveryOf(context.WithoutCancel(ctx), e.db, id)
	if derr != nil {
		return "", derr
	}
	if d == Delivered {
		return d, nil
	}
	return d, err
}
