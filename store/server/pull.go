package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"polku/store"
	"polku/store/api"
)

// visibility is what one actor may pull: global records, the patients
// assigned to them (a therapist) or to their team (a supervisor), and their
// own drafts.
type visibility struct {
	actor    store.Actor
	patients map[string]bool
}

func (s *Server) visibility(ctx context.Context, tx *sql.Tx, actor store.Actor) (*visibility, error) {
	v := &visibility{actor: actor, patients: map[string]bool{}}
	var rows *sql.Rows
	var err error
	switch actor.Role {
	case store.RoleTherapist:
		rows, err = tx.QueryContext(ctx, "SELECT DISTINCT patient_id FROM enrollments WHERE therapist_id = ?", actor.ID)
	case store.RoleSupervisor:
		rows, err = tx.QueryContext(ctx, `SELECT DISTINCT e.patient_id FROM enrollments e JOIN therapists t ON t.id = e.therapist_id
			WHERE t.team = ? AND t.team <> ''`, actor.Team)
	default:
		return v, nil // admins read no patients
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		v.patients[id] = true
	}
	return v, rows.Err()
}

// canSee says whether the actor may receive a record.
func (v *visibility) canSee(rec any) bool {
	typ, _, patientID := store.RecordRef(rec)
	if d, ok := rec.(*store.Draft); ok && d.TherapistID != v.actor.ID {
		return false
	}
	if typ == "audit" {
		return false
	}
	if patientID == "" {
		return true
	}
	return v.patients[patientID]
}

// wasVisible says whether the actor could see a patient at change seq:
// whether any of the patient's enrollments was then assigned to the actor
// (or to the actor's team).
func (s *Server) wasVisible(ctx context.Context, tx *sql.Tx, actor store.Actor, patientID string, seq int64) (bool, error) {
	who := "a.therapist_id = ?3"
	arg := actor.ID
	if actor.Role == store.RoleSupervisor {
		who = "a.therapist_id IN (SELECT id FROM therapists WHERE team = ?3 AND team <> '')"
		arg = actor.Team
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM assignments a WHERE a.patient_id = ?1 AND a.seq <= ?2
		AND a.seq = (SELECT MAX(b.seq) FROM assignments b WHERE b.enrollment_id = a.enrollment_id AND b.seq <= ?2)
		AND `+who+` LIMIT 1`, patientID, seq, arg).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

func itemOf(seq int64, rec any) (api.Item, error) {
	typ, id, patientID := store.RecordRef(rec)
	b, err := json.Marshal(rec)
	if err != nil {
		return api.Item{}, err
	}
	return api.Item{Seq: seq, Type: typ, ID: id, PatientID: patientID, Record: b}, nil
}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request, p *principal) error {
	if p.kind != kindTherapist {
		return forbiddenf("patient tokens read through /v1/patient/ endpoints")
	}
	q := r.URL.Query()
	for k, v := range q {
		if k != "since" && k != "limit" {
			return badRequest("unknown parameter %q: GET /v1/changes takes since and limit", k)
		}
		if len(v) > 1 {
			return badRequest("parameter %q given %d times", k, len(v))
		}
	}
	var since int64
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badRequest("since=%q is not a cursor from a previous pull (or 0)", v)
		}
		since = n
	}
	limit := s.cfg.PageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > s.cfg.MaxPageSize {
			return badRequest("limit=%q must be a number from 1 to %d", v, s.cfg.MaxPageSize)
		}
		limit = min(n, s.cfg.PageSize)
	}
	resp, patients, err := s.pull(r.Context(), p.actor, since, limit)
	if err != nil {
		return err
	}
	// The audit comes before the data leaves: one row per patient pulled.
	if err := s.db.RecordAccessMany(r.Context(), p.actor, patients, "sync-pull", "records pulled to a replica"); err != nil {
		return err
	}
	rl := logOf(r.Context())
	rl.add("since", since)
	rl.add("items", len(resp.Items))
	rl.add("patients", len(patients))
	writePull(w, resp)
	return nil
}

type pick struct {
	seq       int64
	typ, id   string
	patientID string
	actorID   string
}

// maxScan bounds the change-log rows one pull reads, so that a caller who
// may see little of a busy log still gets quick pages.
const maxScan = 50_000

// pull reads one page of changes after since from one snapshot.
func (s *Server) pull(ctx context.Context, actor store.Actor, since int64, limit int) (*api.PullResponse, []string, error) {
	tx, err := s.db.Reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	resp := &api.PullResponse{Epoch: s.epoch, Items: []api.Item{}}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&resp.Head); err != nil {
		return nil, nil, err
	}
	resp.Cursor = strconv.FormatInt(since, 10)
	if since >= resp.Head {
		return resp, nil, nil
	}
	vis, err := s.visibility(ctx, tx, actor)
	if err != nil {
		return nil, nil, err
	}
	var picks []pick
	var backfill []pick
	seenBackfill := map[string]bool{}
	revoked := map[string]bool{}
	cursor := since
	scanned := 0
	batch := max(2*limit, 500)
scan:
	for len(picks) < limit && scanned < maxScan {
		rows, err := tx.QueryContext(ctx, "SELECT seq, entity, entity_id, patient_id, actor_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", cursor, batch)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for rows.Next() {
			var c pick
			var entity string
			if err := rows.Scan(&c.seq, &entity, &c.id, &c.patientID, &c.actorID); err != nil {
				rows.Close()
				return nil, nil, err
			}
			n++
			scanned++
			cursor = c.seq
			c.typ = store.EntityType(entity)
			if c.typ == "" {
				continue
			}
			if c.patientID != "" {
				if !vis.patients[c.patientID] {
					if c.typ == "enrollment" && since > 0 && !revoked[c.patientID] {
						was, err := s.wasVisible(ctx, tx, actor, c.patientID, since)
						if err != nil {
							rows.Close()
							return nil, nil, err
						}
						revoked[c.patientID] = was
					}
					continue
				}
				if c.typ == "enrollment" && since > 0 && !seenBackfill[c.patientID] {
					seenBackfill[c.patientID] = true
					was, err := s.wasVisible(ctx, tx, actor, c.patientID, since)
					if err != nil {
						rows.Close()
						return nil, nil, err
					}
					if !was {
						backfill = append(backfill, c)
					}
				}
			}
			picks = append(picks, c)
			if len(picks) >= limit {
				rows.Close()
				break scan
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		if n < batch {
			break
		}
	}
	resp.Cursor = strconv.FormatInt(cursor, 10)
	resp.More = cursor < resp.Head
	for p, was := range revoked {
		if was {
			resp.Revoked = append(resp.Revoked, p)
		}
	}

	// Current rows, loaded per type in batches from the same snapshot.
	byType := map[string][]string{}
	for _, c := range picks {
		byType[c.typ] = append(byType[c.typ], c.id)
	}
	current := map[[2]string]any{}
	for typ, ids := range byType {
		recs, err := s.db.LoadRecords(ctx, tx, typ, ids)
		if err != nil {
			return nil, nil, err
		}
		for _, rec := range recs {
			_, id, _ := store.RecordRef(rec)
			current[[2]string{typ, id}] = rec
		}
	}
	sent := map[[2]string]bool{}
	patients := map[string]bool{}
	add := func(seq int64, by string, rec any) error {
		if !vis.canSee(rec) {
			return nil
		}
		it, err := itemOf(seq, rec)
		if err != nil {
			return err
		}
		it.By = by
		k := [2]string{it.Type, it.ID}
		if sent[k] {
			return nil
		}
		sent[k] = true
		resp.Items = append(resp.Items, it)
		if it.PatientID != "" {
			patients[it.PatientID] = true
		}
		return nil
	}
	for _, c := range picks {
		k := [2]string{c.typ, c.id}
		rec, ok := current[k]
		if !ok {
			// Deleted since (drafts are the only records deleted). Tell the
			// replica, but only about drafts that were its own.
			if sent[k] || (c.typ == "draft" && c.actorID != actor.ID) {
				continue
			}
			sent[k] = true
			resp.Items = append(resp.Items, api.Item{Seq: c.seq, Type: c.typ, ID: c.id, PatientID: c.patientID, Deleted: true, By: c.actorID})
			continue
		}
		if err := add(c.seq, c.actorID, rec); err != nil {
			return nil, nil, err
		}
	}
	// Patients newly assigned to the actor: their whole record, since the
	// actor's cursor is past their older changes.
	for _, c := range backfill {
		older, err := changedBefore(ctx, tx, c.patientID, since)
		if err != nil {
			return nil, nil, err
		}
		if len(older) == 0 {
			continue
		}
		recs, err := s.db.LoadPatientRecords(ctx, tx, c.patientID, actor.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, rec := range recs {
			typ, id, _ := store.RecordRef(rec)
			if !older[[2]string{typ, id}] {
				continue // changed after the cursor: the feed brings it
			}
			if err := add(c.seq, "", rec); err != nil {
				return nil, nil, err
			}
		}
	}
	list := make([]string, 0, len(patients))
	for p := range patients {
		list = append(list, p)
	}
	return resp, list, nil
}

// Pull is the pull as a function, for tests and benchmarks.
func (s *Server) Pull(ctx context.Context, actor store.Actor, since int64, limit int) (*api.PullResponse, error) {
	resp, _, err := s.pull(ctx, actor, since, limit)
	if err != nil {
		return nil, fmt.Errorf("pull: %w", err)
	}
	return resp, nil
}

// changedBefore lists a patient's records with a change at or before seq.
func changedBefore(ctx context.Context, tx *sql.Tx, patientID string, seq int64) (map[[2]string]bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT entity, entity_id FROM changes WHERE patient_id = ? AND seq <= ?", patientID, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]bool{}
	for rows.Next() {
		var entity, id string
		if err := rows.Scan(&entity, &id); err != nil {
			return nil, err
		}
		out[[2]string{store.EntityType(entity), id}] = true
	}
	return out, rows.Err()
}

// writePull writes a pull page by hand: the records are JSON already, and
// encoding/json would validate and copy each of them once more.
func writePull(w http.ResponseWriter, resp *api.PullResponse) {
	size := 256
	for _, it := range resp.Items {
		size += len(it.Record) + 200
	}
	b := make([]byte, 0, size)
	b = append(b, `{"epoch":`...)
	b = appendString(b, resp.Epoch)
	b = append(b, `,"cursor":`...)
	b = appendString(b, resp.Cursor)
	b = append(b, `,"more":`...)
	b = strconv.AppendBool(b, resp.More)
	b = append(b, `,"head":`...)
	b = strconv.AppendInt(b, resp.Head, 10)
	b = append(b, `,"items":[`...)
	for i, it := range resp.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, it.Seq, 10)
		b = append(b, `,"type":`...)
		b = appendString(b, it.Type)
		b = append(b, `,"id":`...)
		b = appendString(b, it.ID)
		if it.PatientID != "" {
			b = append(b, `,"patient_id":`...)
			b = appendString(b, it.PatientID)
		}
		if it.Deleted {
			b = append(b, `,"deleted":true`...)
		}
		if it.By != "" {
			b = append(b, `,"by":`...)
			b = appendString(b, it.By)
		}
		if len(it.Record) > 0 {
			b = append(b, `,"record":`...)
			b = append(b, it.Record...)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if len(resp.Revoked) > 0 {
		b = append(b, `,"revoked":[`...)
		for i, p := range resp.Revoked {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, p)
		}
		b = append(b, ']')
	}
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
