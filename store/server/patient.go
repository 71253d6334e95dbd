package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"polku/store"
	"polku/store/api"
)

// The patient portal's endpoints. A patient token acts for its patient
// only: the patient id is never taken from the request.

func needPatient(p *principal) error {
	if p.kind != kindPatient {
		return forbiddenf("these endpoints are for the patient portal: use a patient token")
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
		return nil, &httpError{http.StatusNotFound, api.CodeNotFound, "enrollment " + id + " is not yours"}
	}
	if found == nil {
		return nil, &httpError{http.StatusNotFound, api.CodeNotFound, "you are not enrolled in a program"}
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
		return "", badRequest("Idempotency-Key %v", err)
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
			return storeError(err)
		}
		writeJSON(w, http.StatusCreated, created)
		return nil
	}
	result, _ := json.Marshal(created)
	status, stored, err := s.applyOnce(r.Context(), actor, key, requestHash(op.OpType(), body), op, result, nil)
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
	if len(req.IDs) == 0 || len(req.IDs) > 1000 {
		return badRequest("ids: give 1 to 1000 feedback ids")
	}
	for _, id := range req.IDs {
		var pid string
		err := s.db.Reader().QueryRowContext(r.Context(), "SELECT patient_id FROM feedback WHERE id = ?", id).Scan(&pid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && pid != p.patientID) {
			return &httpError{http.StatusNotFound, api.CodeNotFound, "feedback " + id + " is not yours"}
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
		return badRequest("GET /v1/patient/me takes no parameters")
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
		v.Program = json.RawMessage(def)
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// patientSince parses the optional since= (a time) of patient listings.
func patientSince(r *http.Request) (time.Time, error) {
	q := r.URL.Query()
	for k := range q {
		if k != "since" {
			return time.Time{}, badRequest("unknown parameter %q", k)
		}
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return t, badRequest("since=%q is not a time like 2026-11-23T09:30:00Z", v)
		}
		return t, nil
	}
	return time.Time{}, nil
}

func (s *Server) handlePatientFeedback(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	since, err := patientSince(r)
	if err != nil {
		return err
	}
	rec, err := s.db.PatientRecord(r.Context(), store.System("portal"), p.patientID, "")
	if err != nil {
		return storeError(err)
	}
	out := api.FeedbackList{Feedback: []store.Feedback{}}
	for _, f := range rec.Feedback {
		if !f.SentAt.Before(since) {
			out.Feedback = append(out.Feedback, f)
		}
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
	rec, err := s.db.PatientRecord(r.Context(), store.System("portal"), p.patientID, "")
	if err != nil {
		return storeError(err)
	}
	out := api.MessageList{Messages: []store.Message{}}
	for _, m := range rec.Messages {
		if !m.SentAt.Before(since) {
			out.Messages = append(out.Messages, m)
		}
	}
	logOf(r.Context()).add("items", len(out.Messages))
	writeJSON(w, http.StatusOK, out)
	return nil
}
