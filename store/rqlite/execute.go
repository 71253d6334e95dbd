package rqlite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// A commit whose answer is lost (the connection broke after the request
// was written, a node answered "leadership lost") may or may not have
// been applied. Sending it again is not safe: applied twice, or, guarded,
// failing as if another writer had come first, so that the caller runs
// the whole operation again and writes it a second time. Execute finds
// out instead, with a marker:
//
//   - every commit carries, in its own transaction, a row of its own in
//     write_attempts (a random id, dead = 0): the row is there if and
//     only if the commit was applied;
//   - when the answer is lost, Execute writes the same id with dead = 1
//     (INSERT OR IGNORE) and reads the row back, in one transaction (the
//     fence). dead = 0: the commit was applied before the fence, done.
//     dead = 1: it was not, and now never will be: should the lost
//     request still reach the leader later (held in a node, forwarded, in
//     a deposed leader's log), its marker insert breaks the primary key
//     and rolls it back whole. The commit is then sent again, with a new
//     marker.
//
// The fence is itself a write whose answer may be lost; it is safe to send
// again (the same row, the same answer), so it is, until the request's
// deadline; a fence that gets no answer either leaves the outcome unknown
// (*OutcomeUnknownError).
//
// Markers older than an hour are deleted (piggybacked on a commit once a
// minute): an hour is far beyond any request's life (a request's deadline
// is 15 s; rqlite applies or drops a request within its own timeouts) and
// beyond any fence, which comes within one deadline of its commit.

const (
	attemptsTTL   = time.Hour
	attemptsSweep = time.Minute
	markerInsert  = "INSERT INTO write_attempts (id, at, dead) VALUES (?, ?, 0)"
	fenceInsert   = "INSERT OR IGNORE INTO write_attempts (id, at, dead) VALUES (?, ?, 1)"
	fenceRead     = "SELECT dead FROM write_attempts WHERE id = ?"
	sweepAttempts = "DELETE FROM write_attempts WHERE at < ?"
	// maxResends bounds how often a commit found not applied is sent
	// again.
	maxResends = 5
)

var attemptsSchema = []Statement{
	{SQL: "CREATE TABLE IF NOT EXISTS write_attempts (id TEXT PRIMARY KEY, at INTEGER NOT NULL, dead INTEGER NOT NULL) WITHOUT ROWID"},
	{SQL: "CREATE INDEX IF NOT EXISTS write_attempts_at ON write_attempts (at)"},
}

// attempts is what the client knows of the markers' table.
type attempts struct {
	mu    sync.Mutex
	ready bool
	swept time.Time
}

// ensure makes the markers' table once (the statements are safe to send
// again: a lost answer is sent again).
func (a *attempts) ensure(ctx context.Context, c *Client) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ready {
		return nil
	}
	res, err := c.request(ctx, "/db/execute", "transaction", attemptsSchema, true)
	if err != nil {
		return err
	}
	if err := one(res, len(attemptsSchema)); err != nil {
		return err
	}
	a.ready = true
	return nil
}

func (a *attempts) forget() {
	a.mu.Lock()
	a.ready = false
	a.mu.Unlock()
}

// sweepDue says whether this commit is to delete the old markers.
func (a *attempts) sweepDue(now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if now.Sub(a.swept) < attemptsSweep {
		return false
	}
	a.swept = now
	return true
}

func markerID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("rqlite: no randomness for a write marker: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Execute commits stmts as one transaction (/db/execute?transaction) and
// returns each statement's result; statement errors are in the results.
// It is applied at most once, whatever is lost on the way (see above).
// Results nil with a nil error: the transaction was applied, and its
// answers were lost with the response.
func (c *Client) Execute(ctx context.Context, stmts []Statement) ([]Result, error) {
	if err := c.attempts.ensure(ctx, c); err != nil {
		return nil, err
	}
	recreated := false
	for resend := 0; ; resend++ {
		now := time.Now()
		id := markerID()
		batch := make([]Statement, 0, len(stmts)+2)
		batch = append(batch, Statement{SQL: markerInsert, Args: []any{id, now.Unix()}})
		batch = append(batch, stmts...)
		if c.attempts.sweepDue(now) {
			batch = append(batch, Statement{SQL: sweepAttempts, Args: []any{now.Add(-attemptsTTL).Unix()}})
		}
		res, err := c.request(ctx, "/db/execute", "transaction", batch, false)
		if err == nil {
			if len(res) > 0 && res[0].Error != "" {
				if strings.Contains(res[0].Error, "no such table") && !recreated {
					// Dropped since (a store emptied whole): make it again.
					recreated = true
					c.attempts.forget()
					if err := c.attempts.ensure(ctx, c); err != nil {
						return nil, err
					}
					continue
				}
				return nil, &Error{Msg: res[0].Error, Index: 0}
			}
			if len(res) == 0 {
				return nil, fmt.Errorf("rqlite: %d statements got no answer", len(batch))
			}
			return res[1:min(len(res), 1+len(stmts))], nil
		}
		var unknown *OutcomeUnknownError
		if !errors.As(err, &unknown) {
			// Nothing reached a node.
			return nil, err
		}
		applied, ferr := c.fence(ctx, id)
		if ferr != nil {
			return nil, &OutcomeUnknownError{Err: fmt.Errorf("%w; whether it was applied could not be read: %v", err, ferr)}
		}
		if applied {
			return nil, nil
		}
		// Not applied, and now never will be: send it again.
		if resend >= maxResends || ctx.Err() != nil {
			return nil, &UnavailableError{err}
		}
	}
}

// fence makes sure that the commit marked id is either applied or never
// will be, and says which.
func (c *Client) fence(ctx context.Context, id string) (bool, error) {
	res, err := c.request(ctx, "/db/request", "transaction", []Statement{
		{SQL: fenceInsert, Args: []any{id, time.Now().Unix()}},
		{SQL: fenceRead, Args: []any{id}},
	}, true)
	if err != nil {
		return false, err
	}
	if err := one(res, 2); err != nil {
		return false, err
	}
	if len(res[1].Values) != 1 || len(res[1].Values[0]) != 1 {
		return false, fmt.Errorf("rqlite: the write marker %s is not there after it was written", id)
	}
	n, ok := res[1].Values[0][0].(json.Number)
	if !ok {
		return false, fmt.Errorf("rqlite: the write marker %s reads %v", id, res[1].Values[0][0])
	}
	dead, err := n.Int64()
	if err != nil {
		return false, err
	}
	return dead == 0, nil
}
