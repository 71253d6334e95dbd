package server

import (
	"net/http"

	"polku/store/api"
)

// handleAudit answers GET /v1/audit/{patient} (an id or pseudonym): the
// patient's access report from the server's audit log. The access rule is
// store.PatientAuditLog's: whoever may read the record (the assigned
// therapist, a supervisor of their team); the read is audited with the
// token's device.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request, p *principal) error {
	if p.kind != kindTherapist {
		return forbiddenm("store.err.api.audit_staff")
	}
	ctx := r.Context()
	pt, err := s.db.ReadablePatient(ctx, p.actor, r.PathValue("patient"))
	if err != nil {
		return err
	}
	entries, err := s.db.PatientAuditLog(ctx, p.actor, pt.ID, "api:audit")
	if err != nil {
		return err
	}
	ths, err := s.db.Therapists(ctx)
	if err != nil {
		return err
	}
	handles := make(map[string]string, len(ths))
	for _, t := range ths {
		handles[t.ID] = t.Handle
	}
	out := api.AuditLog{PatientID: pt.ID, Pseudonym: pt.Pseudonym, TimeZone: s.zone(ctx).String(), Entries: make([]api.AuditEntry, 0, len(entries))}
	for _, e := range entries {
		who := handles[e.ActorID]
		if who == "" {
			who = e.ActorID
		}
		out.Entries = append(out.Entries, api.AuditEntry{AuditEntry: e, Who: who})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
