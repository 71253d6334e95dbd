package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"polku/store"
	"polku/store/api"
)

// After a server is restored from a backup, the replica pulls everything
// again, replacing its records. Its own work comes back through the outbox
// (pushed ops are kept for 30 days and pushed again), but records others
// wrote (a patient's message, a colleague's note) that reached the replica
// and not the backup are gone from the server. They are not dropped in
// silence: before the reset the replica notes what it had, and once it has
// caught up with the server, every noted record the server did not send
// again goes into the outbox as a refused op, with its text, where the
// therapist sees it ('polku sync status', the refused count of the
// workbench) and can send their own work again or discard it. Records of
// patients the therapist may no longer see are not kept.

// asideTypes are the record types kept aside: what people wrote.
var asideTypes = []string{"submission", "feedback", "message", "measure_response", "diary_entry", "note", "risk_ack", "go_ahead", "draft"}

// asideRecord is one noted record.
type asideRecord struct {
	Type      string          `json:"type"`
	ID        string          `json:"id"`
	PatientID string          `json:"patient_id"`
	Record    json.RawMessage `json:"record"`
}

// noteAside notes the replica's records in sync_state ("aside") inside the
// reset's transaction, before they are deleted.
func (e *Engine) noteAside(ctx context.Context, tx *sql.Tx) error {
	var noted []asideRecord
	for _, typ := range asideTypes {
		recs, err := e.db.LoadAllRecords(ctx, tx, typ)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			b, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			_, id, patientID := store.RecordRef(rec)
			noted = append(noted, asideRecord{Type: typ, ID: id, PatientID: patientID, Record: b})
		}
	}
	if len(noted) == 0 {
		return nil
	}
	b, err := json.Marshal(noted)
	if err != nil {
		return err
	}
	return e.setState(ctx, tx, "aside", string(b))
}

// keepAside runs in the transaction of the page that caught up after a
// reset: noted records the server did not send again, of patients still in
// the replica and not already in the outbox, become refused outbox ops. It
// returns how many.
func (e *Engine) keepAside(ctx context.Context, tx *sql.Tx) (int, error) {
	v, err := e.state(ctx, tx, "aside")
	if err != nil || v == "" {
		return 0, err
	}
	var noted []asideRecord
	if err := json.Unmarshal([]byte(v), &noted); err != nil {
		return 0, fmt.Errorf("the records noted before the resync are damaged: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sync_state WHERE key = 'aside'"); err != nil {
		return 0, err
	}
	inOutbox, err := outboxRecordIDs(ctx, tx)
	if err != nil {
		return 0, err
	}
	byType := map[string][]string{}
	for _, r := range noted {
		byType[r.Type] = append(byType[r.Type], r.ID)
	}
	present := map[string]bool{}
	for typ, ids := range byType {
		recs, err := e.db.LoadRecords(ctx, tx, typ, ids)
		if err != nil {
			return 0, err
		}
		for _, rec := range recs {
			_, id, _ := store.RecordRef(rec)
			present[typ+" "+id] = true
		}
	}
	patients := map[string]bool{}
	now := fmtTime(e.now())
	kept := 0
	for _, r := range noted {
		if present[r.Type+" "+r.ID] || inOutbox[r.ID] {
			continue
		}
		seen, ok := patients[r.PatientID]
		if !ok {
			var one int
			seen = tx.QueryRowContext(ctx, "SELECT 1 FROM patients WHERE id = ?", r.PatientID).Scan(&one) == nil
			patients[r.PatientID] = seen
		}
		if !seen {
			continue // no longer the therapist's patient (or gone with the backup)
		}
		rec, err := store.DecodeRecord(r.Type, r.Record)
		if err != nil {
			return 0, err
		}
		op, author := asideOp(rec)
		if op == nil {
			continue
		}
		body, err := json.Marshal(op)
		if err != nil {
			return 0, err
		}
		refs, patientID := api.Touched(op)
		ids := make([]string, len(refs))
		for i, ref := range refs {
			ids[i] = ref.ID
		}
		msg := fmt.Sprintf("kept aside: the server was restored from a backup and no longer has this %s (%s). "+
			"Tell your admin; 'polku sync retry KEY' sends it again (the server takes back only your own work), "+
			"'polku sync discard KEY' drops it", strings.ReplaceAll(r.Type, "_", " "), author)
		_, err = tx.ExecContext(ctx, `INSERT INTO outbox (key, op_type, body, actor_id, patient_id, record_ids, created_at, state, error)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'rejected', ?)`, "restored-"+newKey(), op.OpType(), string(body), "sync", patientID, strings.Join(ids, " "), now, msg)
		if err != nil {
			return 0, err
		}
		kept++
	}
	return kept, nil
}

// outboxRecordIDs names the records of every op in the outbox, whatever
// its state: those are visible there already.
func outboxRecordIDs(ctx context.Context, tx *sql.Tx) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT record_ids FROM outbox WHERE record_ids <> ''")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var ids string
		if err := rows.Scan(&ids); err != nil {
			return nil, err
		}
		for _, id := range strings.Fields(ids) {
			out[id] = true
		}
	}
	return out, rows.Err()
}

// asideOp is the op that would write rec again, and who wrote it.
func asideOp(rec any) (store.Op, string) {
	switch r := rec.(type) {
	case *store.Submission:
		return store.SubmitOp{Submission: *r}, "written by the patient"
	case *store.Feedback:
		return store.SendFeedbackOp{Feedback: *r}, "written by therapist " + r.TherapistID
	case *store.Message:
		if r.Direction == store.DirectionIn {
			return store.SendMessageOp{Message: *r}, "written by the patient"
		}
		return store.SendMessageOp{Message: *r}, "written by therapist " + r.TherapistID
	case *store.MeasureResponse:
		return store.AddMeasureOp{Measure: *r}, "answered by the patient"
	case *store.DiaryEntry:
		return store.AddDiaryOp{Entry: *r}, "written by the patient"
	case *store.Note:
		return store.AddNoteOp{Note: *r}, "written by therapist " + r.TherapistID
	case *store.RiskAck:
		return store.AckRiskOp{Ack: *r}, "recorded by therapist " + r.TherapistID
	case *store.GoAhead:
		return store.RecordGoAheadOp{GoAhead: *r}, "decided by therapist " + r.TherapistID
	case *store.Draft:
		d := *r
		d.Version = 0
		return store.SaveDraftOp{Draft: d}, "your draft"
	}
	return nil, ""
}
