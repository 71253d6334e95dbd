// Package syncer keeps a therapist's local replica in sync with a polku
// server: every local operation goes into an outbox in the same
// transaction as its rows; a sync round pushes the outbox in order (each op
// with an idempotency key) and then pulls the server's changes page by
// page, saving the cursor in the same transaction as the rows. Operations
// the server refuses stay in the outbox, visible, until the therapist
// retries or discards them; a new server epoch (a restore from backup)
// makes the replica push again what the server may have lost and pull
// everything again.
package syncer

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
)

// Outbox states.
const (
	StatePending  = "pending"
	StatePushed   = "pushed"
	StateConflict = "conflict"
	StateRejected = "rejected"
)

const timeLayout = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// OpenReplica opens (and creates) a replica store and registers the outbox
// hook, so that every local write is queued for the server in the same
// transaction.
func OpenReplica(ctx context.Context, path string, opts store.Options) (*store.DB, error) {
	opts.Create = true
	db, err := store.Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	db.AddWriteHook(outboxHook(clock))
	return db, nil
}

// ErrNotPushable is returned (and the local write rolled back) for writes a
// replica cannot send to its server.
var ErrNotPushable = errors.New("a replica sends therapist work to its server; do this on the server")

func newKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("polku: no randomness for idempotency keys: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

func outboxHook(clock func() time.Time) store.WriteHook {
	return func(ctx context.Context, tx *sql.Tx, op store.Op, actor store.Actor) error {
		switch x := api.Deref(op).(type) {
		case store.RecordAccessOp:
			if x.Entry.ID == "" {
				// The audit rows of an export: local to this replica.
				return nil
			}
		case store.ImportProgramsOp:
			if len(x.Programs) == 0 && len(x.Instruments) == 0 {
				return fmt.Errorf("import into a replica: %w", ErrNotPushable)
			}
		}
		body, err := json.Marshal(op)
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		refs, patientID := api.Touched(op)
		ids := make([]string, len(refs))
		for i, r := range refs {
			ids[i] = r.ID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO outbox (key, op_type, body, actor_id, patient_id, record_ids, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, newKey(), op.OpType(), string(body), actor.ID, patientID, strings.Join(ids, " "), fmtTime(clock()))
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		return nil
	}
}

// Entry is one operation in the outbox.
type Entry struct {
	Seq    int64  `json:"seq"`
	Key    string `json:"key"`
	OpType string `json:"op_type"`
	State  string `json:"state"`
	Error  string `json:"error,omitempty"`
	// ErrorMsg is Error as data, when the server sent it so: the reader's
	// language says it (LocalizeEntries).
	ErrorMsg  i18n.Message `json:"-"`
	PatientID string       `json:"patient_id,omitempty"`
	CreatedAt time.Time    `json:"created_at"`
	// Text is what the therapist wrote in the op (feedback, message, note,
	// draft), so that nothing typed is lost while the op waits.
	Text string          `json:"text,omitempty"`
	Op   json.RawMessage `json:"op"`
}

// Entries lists outbox entries in the given states (all when none), oldest
// first.
func Entries(ctx context.Context, db *store.DB, states ...string) ([]Entry, error) {
	q := "SELECT seq, key, op_type, state, error, error_msg, patient_id, created_at, body FROM outbox"
	var args []any
	if len(states) > 0 {
		q += " WHERE state IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(states)), ", ") + ")"
		for _, s := range states {
			args = append(args, s)
		}
	}
	rows, err := db.Reader().QueryContext(ctx, q+" ORDER BY seq", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		var created, body, msg string
		if err := rows.Scan(&e.Seq, &e.Key, &e.OpType, &e.State, &e.Error, &msg, &e.PatientID, &created, &body); err != nil {
			return nil, err
		}
		if msg != "" {
			e.ErrorMsg, _ = store.MessageFromJSON(json.RawMessage(msg)) // one that does not read: the English stays
		}
		e.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
		e.Op = json.RawMessage(body)
		if op, err := api.DecodeOp(e.OpType, e.Op); err == nil {
			e.Text = opText(op)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func opText(op store.Op) string {
	switch x := api.Deref(op).(type) {
	case store.SendFeedbackOp:
		return x.Feedback.Body
	case store.SendMessageOp:
		return x.Message.Body
	case store.AddNoteOp:
		return x.Note.Body
	case store.SaveDraftOp:
		return x.Draft.Body
	case store.AckRiskOp:
		return x.Ack.Comment
	case store.RecordGoAheadOp:
		return x.GoAhead.Comment
	}
	return ""
}

// LocalizeEntries says each entry's refusal in p's language where the
// server sent it as data (the English text stays where it did not).
func LocalizeEntries(p *i18n.Printer, entries []Entry) {
	for i := range entries {
		if entries[i].ErrorMsg.ID != "" {
			entries[i].Error = store.RenderMessage(p, entries[i].ErrorMsg)
		}
	}
}

// Counts returns how many ops wait to be pushed and how many the server
// refused (conflicts and rejections).
func Counts(ctx context.Context, db *store.DB) (pending, refused int, err error) {
	rows, err := db.Reader().QueryContext(ctx, "SELECT state, COUNT(*) FROM outbox WHERE state <> 'pushed' GROUP BY state")
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return 0, 0, err
		}
		if st == StatePending {
			pending += n
		} else {
			refused += n
		}
	}
	return pending, refused, rows.Err()
}

// Discard drops a refused op from the outbox (its text is gone then).
func Discard(ctx context.Context, db *store.DB, key string) error {
	res, err := db.Writer().ExecContext(ctx, "DELETE FROM outbox WHERE key = ? AND state IN ('conflict', 'rejected')", key)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.NewError(store.ErrNotFound, i18n.Msg("store.err.no_outbox_op", "Key", fmt.Sprintf("%q", key)))
	}
	return nil
}

// Retry queues a refused op again under a new key. A versioned op is
// rebased on the replica's current version of its record first: retrying a
// conflict means "mine wins", as the therapist's explicit choice.
func Retry(ctx context.Context, db *store.DB, key string) error {
	var typ, body string
	err := db.Reader().QueryRowContext(ctx, "SELECT op_type, body FROM outbox WHERE key = ? AND state IN ('conflict', 'rejected')", key).Scan(&typ, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return store.NewError(store.ErrNotFound, i18n.Msg("store.err.no_outbox_op", "Key", fmt.Sprintf("%q", key)))
	}
	if err != nil {
		return err
	}
	op, err := api.DecodeOp(typ, []byte(body))
	if err != nil {
		return err
	}
	version := func(table, id string) int64 {
		var v int64
		db.Reader().QueryRowContext(ctx, "SELECT version FROM "+table+" WHERE id = ?", id).Scan(&v)
		return v
	}
	switch x := op.(type) {
	case *store.SaveDraftOp:
		x.Draft.Version = version("drafts", x.Draft.ID)
	case *store.DeleteDraftOp:
		x.Version = version("drafts", x.ID)
	case *store.UpdateEnrollmentOp:
		x.Version = version("enrollments", x.ID)
	case *store.CourseOp:
		x.Version = version("enrollments", x.Event.EnrollmentID)
	case *store.SetReferralStatusOp:
		x.Version = version("referrals", x.ID)
	}
	b, err := json.Marshal(op)
	if err != nil {
		return err
	}
	_, err = db.Writer().ExecContext(ctx, "UPDATE outbox SET key = ?, body = ?, state = 'pending', error = '', error_msg = '' WHERE key = ?", newKey(), string(b), key)
	return err
}

// Delivery says where a local write of a record stands.
type Delivery string

const (
	// Delivered: the server has it (or the store is not a replica).
	Delivered Delivery = "delivered"
	// Waiting: saved here, in the outbox, not yet on the server.
	Waiting Delivery = "waiting"
	// Refused: the server refused it; 'polku sync status' shows why.
	Refused Delivery = "refused"
)

// DeliveryOf says whether the newest local write of record id has reached
// the server. A record no op in the outbox writes was delivered (written
// on a server's own store, pulled, or pushed long ago and pruned).
func DeliveryOf(ctx context.Context, db *store.DB, id string) (Delivery, error) {
	var state string
	err := db.Reader().QueryRowContext(ctx, `SELECT state FROM outbox WHERE ' ' || record_ids || ' ' LIKE '% ' || ? || ' %'
		ORDER BY seq DESC LIMIT 1`, id).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Delivered, nil
	case err != nil:
		return "", err
	}
	switch state {
	case StatePending:
		return Waiting, nil
	case StateConflict, StateRejected:
		return Refused, nil
	}
	return Delivered, nil
}
