package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"polku/store"
	"polku/store/api"
)

// Admin endpoints: portal tokens for patients, and the synthetic patients a
// demo plays ('polku simulate --server'). An admin account manages
// accounts; it reads no clinical content here either. A therapist may play
// the synthetic patients assigned to them (a demo with their own login),
// and nobody else: never a real patient, never another therapist's.

// needPlayer lets admins and therapists through: who may play synthetic
// patients (which ones, playable says).
func needPlayer(p *principal) error {
	if p.kind != kindTherapist || (p.actor.Role != store.RoleAdmin && p.actor.Role != store.RoleTherapist) {
		return forbiddenm("store.err.api.admin_endpoint")
	}
	return nil
}

// playable is the SQL condition (on patients p) of the synthetic patients
// with an active enrollment that the principal may play, and its args.
func playable(p *principal) (string, []any) {
	cond := "p.synthetic = 1 AND EXISTS (SELECT 1 FROM enrollments e WHERE e.patient_id = p.id AND e.status = 'active'"
	if p.actor.Role == store.RoleAdmin {
		return cond + ")", nil
	}
	return cond + " AND e.therapist_id = ?)", []any{p.actor.ID}
}

func (s *Server) handleSynthetic(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPlayer(p); err != nil {
		return err
	}
	cond, args := playable(p)
	rows, err := s.db.Reader().QueryContext(r.Context(), `SELECT p.id, p.pseudonym FROM patients p
		WHERE `+cond+` ORDER BY p.pseudonym LIMIT 100000`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := api.SyntheticPatients{Patients: []api.PatientRef{}}
	for rows.Next() {
		var ref api.PatientRef
		if err := rows.Scan(&ref.ID, &ref.Pseudonym); err != nil {
			return err
		}
		out.Patients = append(out.Patients, ref)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// handleCreatePatientToken makes a portal token for a synthetic patient
// with an active enrollment (the patients 'polku simulate' plays), and
// nobody else: portal accounts of real patients are made on the server's
// store ('polku tokens create --patient'), not over the network with an
// admin token. The token's making is written to the patient's audit log
// before the token is sent.
func (s *Server) handleCreatePatientToken(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPlayer(p); err != nil {
		return err
	}
	var req api.PatientTokenRequest
	if _, err := s.readBody(w, r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.PatientID) == "" {
		return badRequestm("store.err.api.patient_id_required")
	}
	ctx := r.Context()
	notFound := errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.no_synthetic", "ID", req.PatientID)
	pt, err := s.db.ResolvePatient(ctx, req.PatientID)
	if errors.Is(err, store.ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	cond, args := playable(p)
	var ok int
	if err := s.db.Reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM patients p WHERE p.id = ? AND "+cond, append([]any{pt.ID}, args...)...).Scan(&ok); err != nil {
		return err
	}
	if ok == 0 {
		return notFound
	}
	tok, info, err := CreatePatientToken(ctx, s.db, pt.ID, TokenOptions{Device: req.Device, Expires: s.now().Add(SimulateLifetime)})
	if err != nil {
		return err
	}
	if err := AuditPatientToken(ctx, s.db, p.actor, info); err != nil {
		RevokeTokens(context.WithoutCancel(ctx), s.db, p.actor, info.ID, "")
		return err
	}
	writeJSON(w, http.StatusCreated, api.PatientToken{ID: info.ID, PatientID: info.SubjectID, Token: tok})
	return nil
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPlayer(p); err != nil {
		return err
	}
	id := r.PathValue("id")
	if p.actor.Role != store.RoleAdmin {
		// A therapist revokes portal tokens of the synthetic patients they
		// may play, and nothing else: the same answer as an unknown token.
		cond, args := playable(p)
		var ok int
		if err := s.db.Reader().QueryRowContext(r.Context(), "SELECT COUNT(*) FROM tokens t JOIN patients p ON p.id = t.subject_id WHERE t.id = ? AND t.kind = 'patient' AND "+cond,
			append([]any{id}, args...)...).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.no_token")
		}
	}
	n, err := RevokeTokens(r.Context(), s.db, p.actor, id, "")
	if err != nil {
		return err
	}
	if n == 0 {
		return errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.no_token")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
