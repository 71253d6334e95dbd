package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"

	"polku/store"
	"polku/store/api"
)

// The patient portal's endpoints. A patient token acts for its patient
// only: the patient id is never taken from the request.

func needPatient(p *principal) error {
	if p.kind != kindPatient {
		return forbiddenm("store.err.api.portal_only")
	}
	return nil
}

// enrollment resolves the enrollment a patient request is about: the given
// one (if it is the patient's) or the patient's newest active one.
func (s *Server) enrollment(ctx context.Context, patientID, id string) (*store.Enrollment, error) {
	rec, err := s.db.PatientRecord(ctx, store.System("portal"), patientID, "")
	if err != nil {
		return nil, storeError(err)
	}
	var found *store.Enrollment
	for i := range rec.Enrollments {
		e := &rec.Enrollments[i]
		if id != "" && e.ID == id {
			return e, nil
		}
		if id == "" && (e.Status == store.EnrollmentActive || found == nil) {
			found = e
		}
	}
	if id != "" {
		return nil, errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.enrollment_not_yours", "ID", id)
	}
	if found == nil {
		return nil, errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.not_enrolled")
	}
	return found, nil
}

// idempotencyKey is the optional Idempotency-Key header of patient writes.
func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", nil
	}
	if err := checkKey(k); err != nil {
		return "", badRequestm("store.err.api.idempotency_key", "Err", err)
	}
	return k, nil
}

// applyPatient applies a patient's write once per idempotency key and
// answers with the created record.
func (s *Server) applyPatient(w http.ResponseWriter, r *http.Request, p *principal, body []byte, op store.Op, created api.Created) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	actor := patientActor(p.patientID, p.device)
	created.Status = api.StatusApplied
	if key == "" {
		if err := s.db.Apply(r.Context(), actor, op); err != nil {
			s.countPortal(err, "")
			return storeError(err)
		}
		s.countPortal(nil, api.StatusApplied)
		writeJSON(w, http.StatusCreated, created)
		return nil
	}
	result, _ := json.Marshal(created)
	status, stored, err := s.applyOnce(r.Context(), actor, key, requestHash(op.OpType(), body), op, result, nil)
	s.countPortal(err, status)
	if err != nil {
		return storeError(err)
	}
	code := http.StatusCreated
	if status != api.StatusApplied {
		json.Unmarshal(stored, &created)
		created.Status = status
		code = http.StatusOK
	}
	writeJSON(w, code, created)
	return nil
}

func (s *Server) handlePatientSubmit(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req api.SubmitRequest
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	e, err := s.enrollment(r.Context(), p.patientID, req.EnrollmentID)
	if err != nil {
		return err
	}
	now := s.db.Now()
	sub := store.Submission{ID: s.db.NewID(now), EnrollmentID: e.ID, PatientID: p.patientID, ModuleID: req.ModuleID,
		ExerciseID: req.ExerciseID, SubmittedAt: now, Answers: req.Answers}
	return s.applyPatient(w, r, p, body, store.SubmitOp{Submission: sub}, api.Created{Type: "submission", ID: sub.ID})
}

func (s *Server) handlePatientDiary(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req api.DiaryRequest
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	e, err := s.enrollment(r.Context(), p.patientID, req.EnrollmentID)
	if err != nil {
		return err
	}
	now := s.db.Now()
	d := store.DiaryEntry{ID: s.db.NewID(now), EnrollmentID: e.ID, PatientID: p.patientID, ExerciseID: req.ExerciseID,
		Date: req.Date, Fields: req.Fields, RecordedAt: now}
	return s.applyPatient(w, r, p, body, store.AddDiaryOp{Entry: d}, api.Created{Type: "diary_entry", ID: d.ID})
}

func (s *Server) handlePatientMeasure(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req api.MeasureRequest
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	e, err := s.enrollment(r.Context(), p.patientID, req.EnrollmentID)
	if err != nil {
		return err
	}
	now := s.db.Now()
	m := store.MeasureResponse{ID: s.db.NewID(now), EnrollmentID: e.ID, PatientID: p.patientID, InstrumentID: req.InstrumentID,
		InstrumentVersion: req.InstrumentVersion, Week: req.Week, Answers: req.Answers, AnsweredAt: now}
	return s.applyPatient(w, r, p, body, store.AddMeasureOp{Measure: m}, api.Created{Type: "measure_response", ID: m.ID})
}

func (s *Server) handlePatientMessage(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req api.MessageRequest
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	e, err := s.enrollment(r.Context(), p.patientID, req.EnrollmentID)
	if err != nil {
		return err
	}
	now := s.db.Now()
	m := store.Message{ID: s.db.NewID(now), EnrollmentID: e.ID, PatientID: p.patientID, Direction: store.DirectionIn,
		Body: req.Body, SentAt: now}
	return s.applyPatient(w, r, p, body, store.SendMessageOp{Message: m}, api.Created{Type: "message", ID: m.ID})
}

func (s *Server) handlePatientRead(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req api.ReadRequest
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	if len(req.IDs) == 0 || len(req.IDs) > MaxReadIDs {
		return badRequestm("store.err.api.read_ids", "Max", MaxReadIDs)
	}
	for _, id := range req.IDs {
		var pid string
		err := s.db.Reader().QueryRowContext(r.Context(), "SELECT patient_id FROM feedback WHERE id = ?", id).Scan(&pid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && pid != p.patientID) {
			return errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.feedback_not_yours", "ID", id)
		}
		if err != nil {
			return err
		}
	}
	op := store.MarkReadOp{Type: "feedback", IDs: req.IDs, At: s.db.Now()}
	return s.applyPatient(w, r, p, body, op, api.Created{Type: "read", ID: req.IDs[0]})
}

func (s *Server) handlePatientMe(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	if len(r.URL.Query()) > 0 {
		return badRequestm("store.err.api.no_params", "Route", "GET /v1/patient/me")
	}
	v := api.PatientView{PatientID: p.patientID}
	e, err := s.enrollment(r.Context(), p.patientID, "")
	var he *httpError
	if err != nil && !(errors.As(err, &he) && he.status == http.StatusNotFound) {
		return err
	}
	if e != nil {
		v.Enrollment = e
		var def string
		if err := s.db.Reader().QueryRowContext(r.Context(), "SELECT definition FROM program_versions WHERE id = ?", e.ProgramVersionID).Scan(&def); err != nil {
			return err
		}
		var lang string
		if err := s.db.Reader().QueryRowContext(r.Context(), "SELECT language FROM patients WHERE id = ?", p.patientID).Scan(&lang); err != nil {
			return err
		}
		prog, fallback, err := api.PatientProgram([]byte(def), lang)
		if err != nil {
			return err
		}
		if v.Program, err = json.Marshal(prog); err != nil {
			return err
		}
		v.Language, v.Fallback = prog.Language, fallback
		decided, err := s.db.GoAheadStatus(r.Context(), *e)
		if err != nil {
			return err
		}
		v.Modules = api.PatientModules(prog, decided)
		seen := map[string]bool{}
		for _, sc := range prog.Schedule {
			if seen[sc.Instrument] {
				continue
			}
			seen[sc.Instrument] = true
			in, err := s.db.InstrumentDef(r.Context(), sc.Instrument, 0)
			if err != nil {
				return err
			}
			v.Instruments = append(v.Instruments, api.PatientInstrument(in, lang))
		}
	}
	if err := s.auditPortalRead(r.Context(), p, "enrollment"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// auditPortalRead writes the audit row of a patient reading their own
// record through the portal: the actor is the patient, the device and the
// token are the token's, so that reads through a token someone else made
// (an admin's for a synthetic patient) can be told apart. It is written
// before the data leaves.
func (s *Server) auditPortalRead(ctx context.Context, p *principal, what string) error {
	return s.db.RecordAccess(ctx, patientActor(p.patientID, p.device), p.patientID, "portal-read", what+" through portal token "+p.tokenID)
}

// patientSince parses the optional since= of patient listings: the cursor
// of a previous answer (a position in the server's change log, never a
// time: clients' clocks do not decide what is new).
func patientSince(r *http.Request) (int64, error) {
	q := r.URL.Query()
	for k, v := range q {
		if k != "since" {
			return 0, badRequestm("store.err.api.unknown_param", "Name", strconv.Quote(k))
		}
		if len(v) > 1 {
			return 0, badRequestm("store.err.api.param_twice", "Name", strconv.Quote(k), "N", len(v))
		}
	}
	v := q.Get("since")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badRequestm("store.err.api.since_portal", "Value", strconv.Quote(v))
	}
	return n, nil
}

// patientChanged reads one patient's records of one type (feedback or
// message) written or changed after the cursor since, from one snapshot,
// with the cursor to pass next time. A cursor beyond the server's newest
// change (a server restored from a backup) reads everything again.
func (s *Server) patientChanged(ctx context.Context, patientID, typ string, since int64) ([]any, string, error) {
	table := map[string]string{"feedback": "feedback", "message": "messages"}[typ]
	tx, err := s.db.Reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	var head int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&head); err != nil {
		return nil, "", err
	}
	var rows *sql.Rows
	if since == 0 || since > head {
		rows, err = tx.QueryContext(ctx, "SELECT id FROM "+table+" WHERE patient_id = ?", patientID)
	} else {
		rows, err = tx.QueryContext(ctx, "SELECT DISTINCT entity_id FROM changes WHERE patient_id = ? AND entity = ? AND seq > ?", patientID, table, since)
	}
	if err != nil {
		return nil, "", err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, "", err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	recs, err := s.db.LoadRecords(ctx, tx, typ, ids)
	if err != nil {
		return nil, "", err
	}
	return recs, strconv.FormatInt(head, 10), nil
}

func (s *Server) handlePatientFeedback(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	since, err := patientSince(r)
	if err != nil {
		return err
	}
	recs, cursor, err := s.patientChanged(r.Context(), p.patientID, "feedback", since)
	if err != nil {
		return err
	}
	out := api.FeedbackList{Feedback: []store.Feedback{}, Cursor: cursor}
	for _, rec := range recs {
		if f, ok := rec.(*store.Feedback); ok && f.PatientID == p.patientID {
			out.Feedback = append(out.Feedback, *f)
		}
	}
	sort.Slice(out.Feedback, func(i, j int) bool {
		a, b := out.Feedback[i], out.Feedback[j]
		return a.SentAt.Before(b.SentAt) || (a.SentAt.Equal(b.SentAt) && a.ID < b.ID)
	})
	if err := s.auditPortalRead(r.Context(), p, "feedback"); err != nil {
		return err
	}
	logOf(r.Context()).add("items", len(out.Feedback))
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handlePatientMessages(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	since, err := patientSince(r)
	if err != nil {
		return err
	}
	recs, cursor, err := s.patientChanged(r.Context(), p.patientID, "message", since)
	if err != nil {
		return err
	}
	out := api.MessageList{Messages: []store.Message{}, Cursor: cursor}
	for _, rec := range recs {
		if m, ok := rec.(*store.Message); ok && m.PatientID == p.patientID {
			out.Messages = append(out.Messages, *m)
		}
	}
	sort.Slice(out.Messages, func(i, j int) bool {
		a, b := out.Messages[i], out.Messages[j]
		return a.SentAt.Before(b.SentAt) || (a.SentAt.Equal(b.SentAt) && a.ID < b.ID)
	})
	if err := s.auditPortalRead(r.Context(), p, "messages"); err != nil {
		return err
	}
	logOf(r.Context()).add("items", len(out.Messages))
	writeJSON(w, http.StatusOK, out)
	return nil
}

// countPortal counts a patient's write in polku_ops_total.
func (s *Server) countPortal(err error, status string) {
	switch {
	case err == nil:
	case errors.Is(err, store.ErrConflict):
		status = api.StatusConflict
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrForbidden):
		status = api.StatusRejected
	default:
		status = api.StatusError
	}
	s.metrics.ops.WithLabelValues("portal", status).Inc()
}
