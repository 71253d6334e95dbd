package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
)

// decodedOp is one pushed operation after decoding.
type decodedOp struct {
	Key  string
	Op   store.Op
	Hash string // of the op's type and JSON: what its key stands for
}

// MaxReadIDs is the most records one read.mark op may mark.
const MaxReadIDs = 1000

// DecodePush decodes a push request body strictly: the envelope, and every
// operation by its type. Any problem is an error naming the op's index, and
// then nothing of the request is applied.
func DecodePush(r io.Reader, maxOps int) ([]decodedOp, error) {
	var req api.PushRequest
	if err := api.DecodeStrict(r, &req); err != nil {
		return nil, err
	}
	if req.Ops == nil {
		return nil, invalidErr("store.err.api.missing_ops")
	}
	if len(req.Ops) > maxOps {
		return nil, invalidErr("store.err.api.too_many_ops", "N", len(req.Ops), "Max", maxOps)
	}
	out := make([]decodedOp, 0, len(req.Ops))
	seen := map[string]bool{}
	for i, o := range req.Ops {
		if err := checkKey(o.Key); err != nil {
			return nil, invalidErr("store.err.api.op_key", "I", i, "Err", err)
		}
		if seen[o.Key] {
			return nil, invalidErr("store.err.api.op_key_twice", "I", i, "Key", strconv.Quote(o.Key))
		}
		seen[o.Key] = true
		op, err := api.DecodeOp(o.Type, o.Op)
		if err != nil {
			return nil, invalidErr("store.err.api.op", "I", i, "Err", err)
		}
		if m, ok := op.(*store.MarkReadOp); ok && len(m.IDs) > MaxReadIDs {
			return nil, invalidErr("store.err.api.read_mark_ids", "I", i, "N", len(m.IDs), "Max", MaxReadIDs)
		}
		out = append(out, decodedOp{Key: o.Key, Op: op, Hash: requestHash(o.Type, o.Op)})
	}
	return out, nil
}

// decodeErr is a push body's problem told as message id (a store.err.*
// id) with its name/value arguments: an invalid-input store error, which
// the answer says as a 400 with the message.
func invalidErr(id string, kv ...any) error {
	return store.NewError(store.ErrInvalid, i18n.Msg(id, msgArgs(kv)...))
}

// requestHash is what an idempotency key is stored with: the hex SHA-256
// of the operation type and the request's JSON (without insignificant
// white space).
func requestHash(opType string, body []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, body) != nil {
		b.Reset()
		b.Write(body)
	}
	h := sha256.New()
	h.Write([]byte(opType))
	h.Write([]byte{0})
	h.Write(b.Bytes())
	return hex.EncodeToString(h.Sum(nil))
}

func checkKey(k string) error {
	if k == "" {
		return invalidErr("store.err.required")
	}
	if len(k) > 100 {
		return invalidErr("store.err.longer_than_characters", "Max", 100)
	}
	for _, c := range k {
		if c <= ' ' || c > '~' {
			return invalidErr("store.err.api.key_printable")
		}
	}
	return nil
}

// idem is an idempotency row to write inside an operation's transaction.
type idem struct {
	actorID, key, opType, hash, status, at string
	result                                 []byte
}

func (s *Server) stamp() string { return s.now().UTC().Format("2006-01-02T15:04:05.000Z") }

// storeKey writes an idempotency key in the same transaction as its
// operation: if the key is already stored (a concurrent duplicate), the
// insert fails and the operation rolls back.
func storeKey(ctx context.Context, q store.Querier, k *idem) error {
	_, err := q.ExecContext(ctx, "INSERT INTO idempotency (actor_id, key, op_type, request_hash, status, result, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		k.actorID, k.key, k.opType, k.hash, k.status, string(k.result), k.at)
	if err != nil {
		return fmt.Errorf("idempotency key %s: %w", k.key, errDuplicateKey)
	}
	return nil
}

var errDuplicateKey = errors.New("already applied")

// storedKey is a stored idempotency key: the request it was used for and
// the answer it got.
type storedKey struct {
	opType, hash, status string
	result               []byte
}

// sameRequest says whether a key is used again for the request it was
// first used for. Keys stored without a hash (before schema 3) are taken
// on trust.
func (k *storedKey) sameRequest(opType, hash string) bool {
	return k.opType == opType && (k.hash == "" || k.hash == hash)
}

// stored returns a stored idempotency key, or nil.
func (s *Server) stored(ctx context.Context, actorID, key string) (*storedKey, error) {
	var k storedKey
	st, err := s.db.ReadStmt(ctx, "SELECT op_type, request_hash, status, result FROM idempotency WHERE actor_id = ? AND key = ?")
	if err != nil {
		return nil, err
	}
	err = st.QueryRowContext(ctx, actorID, key).Scan(&k.opType, &k.hash, &k.status, &k.result)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// storedKeys returns the stored idempotency keys among keys, by key, in
// one read (one round trip on a cluster, however many ops a push has).
func (s *Server) storedKeys(ctx context.Context, actorID string, keys []string) (map[string]*storedKey, error) {
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	st, err := s.db.ReadStmt(ctx, "SELECT key, op_type, request_hash, status, result FROM idempotency WHERE actor_id = ? AND key IN (SELECT value FROM json_each(?))")
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, actorID, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*storedKey{}
	for rows.Next() {
		var key string
		var k storedKey
		if err := rows.Scan(&key, &k.opType, &k.hash, &k.status, &k.result); err != nil {
			return nil, err
		}
		out[key] = &k
	}
	return out, rows.Err()
}

// keyReused answers a key used again for another request.
func keyReused(what, key, opType string) error {
	return errm(http.StatusUnprocessableEntity, api.CodeKeyReused, "store.err.api.key_reused", "What", what, "Key", strconv.Quote(key), "Op", opType)
}

// applyOnce applies op under an idempotency key: a key seen before with
// the same request (opType and hash) returns its stored status without
// applying anything, and with another request is an error (422). check
// runs inside the write transaction before the op (authorization). result
// is stored with the key for a successful apply, in the op's transaction.
func (s *Server) applyOnce(ctx context.Context, actor store.Actor, key, hash string, op store.Op, result []byte, check func(store.Querier) error) (status string, stored []byte, err error) {
	k, err := s.stored(ctx, actor.ID, key)
	if err != nil {
		return "", nil, err
	}
	return s.applyKnown(ctx, actor, key, hash, op, result, check, k)
}

// applyKnown is applyOnce for a key already looked up: prior is what was
// stored under it then (nil: nothing). A key stored since is found when
// the write refuses it.
func (s *Server) applyKnown(ctx context.Context, actor store.Actor, key, hash string, op store.Op, result []byte, check func(store.Querier) error, prior *storedKey) (status string, stored []byte, err error) {
	seen := func(k *storedKey) (string, []byte, error) {
		if !k.sameRequest(op.OpType(), hash) {
			return "", nil, keyReused("Idempotency-Key", key, k.opType)
		}
		return dupStatus(k.status), k.result, nil
	}
	if prior != nil {
		return seen(prior)
	}
	k := &idem{actorID: actor.ID, key: key, opType: op.OpType(), hash: hash, status: api.StatusApplied, result: result, at: s.stamp()}
	err = s.db.ApplyAuthorized(ctx, actor, op, func(q store.Querier) error {
		if check != nil {
			if err := check(q); err != nil {
				return err
			}
		}
		return storeKey(ctx, q, k)
	})
	if err == nil {
		return api.StatusApplied, result, nil
	}
	// A concurrent push of the same key may have won.
	if k, err2 := s.stored(ctx, actor.ID, key); err2 == nil && k != nil {
		return seen(k)
	}
	return "", nil, err
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func dupStatus(st string) string {
	if st == api.StatusApplied {
		return api.StatusDuplicate
	}
	return st
}

// remember stores a refusal under its key, so that a repeated push gets the
// same answer.
func (s *Server) remember(ctx context.Context, actorID string, o decodedOp, status string, res api.PushResult) {
	res.Records, res.Absent = nil, nil
	b, _ := json.Marshal(res)
	s.db.Writer().ExecContext(ctx, "INSERT OR IGNORE INTO idempotency (actor_id, key, op_type, request_hash, status, result, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		actorID, o.Key, o.Op.OpType(), o.Hash, status, string(b), s.stamp())
}

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request, p *principal) error {
	if p.kind != kindTherapist {
		return forbiddenm("store.err.api.patient_writes")
	}
	if len(r.URL.Query()) > 0 {
		return badRequestm("store.err.api.no_params", "Route", "POST /v1/ops")
	}
	if e := r.Header.Get(api.HeaderEpoch); e != "" && e != s.epoch {
		// Restored from a backup since the replica last pushed: its ops may
		// build on ops this store lost. It pushes them all again, in order.
		return errm(http.StatusConflict, api.CodeEpochChanged, "store.err.api.epoch_changed")
	}
	if err := checkJSONType(r, false); err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errm(http.StatusRequestEntityTooLarge, api.CodeTooLarge, "store.err.api.too_large_push", "Max", s.cfg.MaxBody)
		}
		return badRequestm("store.err.api.read_body", "Err", err.Error())
	}
	ops, err := DecodePush(bytes.NewReader(body), s.cfg.MaxOps)
	if err != nil {
		return badRequestErr(err)
	}
	// A key used before for another op refuses the whole push before
	// anything is applied.
	keys := make([]string, len(ops))
	for i, o := range ops {
		keys[i] = o.Key
	}
	known, err := s.storedKeys(r.Context(), p.actor.ID, keys)
	if err != nil {
		return err
	}
	prior := make([]*storedKey, len(ops))
	for i, o := range ops {
		k := known[o.Key]
		if k != nil && !k.sameRequest(o.Op.OpType(), o.Hash) {
			return keyReused(fmt.Sprintf("ops[%d].key", i), o.Key, k.opType)
		}
		prior[i] = k
	}
	resp := api.PushResponse{Epoch: s.epoch, Results: make([]api.PushResult, 0, len(ops))}
	counts := map[string]int{}
	for i, o := range ops {
		res := s.pushOne(r.Context(), p, o, prior[i])
		counts[res.Status]++
		resp.Results = append(resp.Results, res)
		if res.Status == api.StatusError {
			break
		}
	}
	rl := logOf(r.Context())
	rl.add("ops", len(ops))
	for st, n := range counts {
		rl.add(st, n)
		s.metrics.ops.WithLabelValues("push", st).Add(float64(n))
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// pushOne applies one pushed op; prior is what its key had stored when
// the push was checked.
func (s *Server) pushOne(ctx context.Context, p *principal, o decodedOp, prior *storedKey) api.PushResult {
	actor := p.actor
	res := api.PushResult{Key: o.Key}
	ok, _ := json.Marshal(api.PushResult{Key: o.Key, Status: api.StatusApplied})
	status, stored, err := s.applyKnown(ctx, actor, o.Key, o.Hash, o.Op, ok, func(q store.Querier) error {
		if err := s.authorize(ctx, q, p, o.Op); err != nil {
			return err
		}
		if s.afterAuthorize != nil {
			s.afterAuthorize()
		}
		return nil
	}, prior)
	var he *httpError
	res.Error = errText(err)
	res.Msg = errorMsg(err)
	switch {
	case err == nil && status == api.StatusApplied:
		res.Status, res.Error, res.Msg = status, "", nil
		return res
	case err == nil:
		// Seen before: the first answer again.
		json.Unmarshal(stored, &res)
		res.Key, res.Status = o.Key, status
		if res.Status != api.StatusDuplicate {
			s.repair(ctx, actor, o.Op, &res)
		}
		return res
	case errors.As(err, &he):
		res.Status, res.Code = api.StatusRejected, he.code
	case errors.Is(err, store.ErrConflict):
		res.Status, res.Code = api.StatusConflict, api.CodeConflict
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrNotFound):
		res.Status, res.Code = api.StatusRejected, api.CodeBadRequest
	case errors.Is(err, store.ErrForbidden):
		res.Status, res.Code = api.StatusRejected, api.CodeForbidden
	case errors.Is(err, store.ErrUnavailable):
		// Not remembered: pushed again, it is applied, or found applied
		// by its key.
		s.log.Warn("push: store unavailable", "op", o.Op.OpType(), "err", err.Error())
		m := i18n.Msg("store.err.api.unavailable")
		return api.PushResult{Key: o.Key, Status: api.StatusError, Code: api.CodeUnavailable, Error: store.RenderMessage(english(), m), Msg: store.MessageJSON(m)}
	default:
		s.log.Error("push: apply failed", "op", o.Op.OpType(), "err", err.Error())
		m := i18n.Msg("store.err.api.server_error")
		return api.PushResult{Key: o.Key, Status: api.StatusError, Code: api.CodeInternal, Error: store.RenderMessage(english(), m), Msg: store.MessageJSON(m)}
	}
	if he == nil || he.code != api.CodeKeyReused {
		s.remember(ctx, actor.ID, o, res.Status, res)
	}
	s.repair(ctx, actor, o.Op, &res)
	return res
}

// repair attaches the server's current state of the records a refused op
// meant to write, as far as the actor may see them; the rest are absent.
// The records are patient data leaving the server: each patient whose
// records are attached gets an audit row first (action sync-repair), and
// when that cannot be written no record is attached.
func (s *Server) repair(ctx context.Context, actor store.Actor, op store.Op, res *api.PushResult) {
	refs, _ := api.Touched(op)
	if len(refs) == 0 {
		return
	}
	tx, err := s.db.Reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return
	}
	defer tx.Rollback()
	vis, err := s.visibility(ctx, tx, actor)
	if err != nil {
		return
	}
	var records []api.Item
	var absent []api.RecordRef
	var patients []string
	seen := map[api.RecordRef]bool{}
	for _, ref := range refs {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		recs, err := s.db.LoadRecords(ctx, tx, ref.Type, []string{ref.ID})
		if err != nil {
			return
		}
		if len(recs) != 1 {
			absent = append(absent, ref)
			continue
		}
		// As a pull would send it (a post of another therapist's patient
		// without the patient, to a moderator).
		if rec, ok := vis.outgoing(recs[0]); ok {
			if it, err := itemOf(0, rec); err == nil {
				records = append(records, it)
				if it.PatientID != "" && !slices.Contains(patients, it.PatientID) {
					patients = append(patients, it.PatientID)
				}
				continue
			}
		}
		absent = append(absent, ref)
	}
	if err := s.db.RecordAccessMany(ctx, actor, patients, "sync-repair", "records returned with a refused push"); err != nil {
		s.log.Error("push: audit of returned records failed", "err", err.Error())
		return
	}
	res.Records, res.Absent = records, absent
}
