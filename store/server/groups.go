package server

import (
	"net/http"

	"polku/store"
	"polku/store/api"
)

// The patient portal's peer groups and cohort messages (docs/groups.md).
// A patient token acts for its patient only.

func (s *Server) groupRoutes(handle func(pattern string, h handlerFunc, params ...string)) {
	handle("GET /v1/patient/groups", s.handlePatientGroups)
	handle("GET /v1/patient/group-messages", s.handlePatientGroupMessages)
	handle("POST /v1/patient/groups/join", s.handlePatientJoin)
	handle("POST /v1/patient/groups/{id}/posts", s.handlePatientPost)
	handle("POST /v1/patient/groups/{id}/leave", s.handlePatientLeave)
}

func (s *Server) handlePatientGroups(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	gs, err := s.db.GroupsOfPatient(r.Context(), p.patientID)
	if err != nil {
		return err
	}
	if err := s.auditPortalRead(r.Context(), p, "peer groups"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.GroupList{Groups: gs})
	return nil
}

func (s *Server) handlePatientGroupMessages(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	ms, err := s.db.GroupMessagesOf(r.Context(), p.patientID)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []store.GroupMessage{}
	}
	if err := s.auditPortalRead(r.Context(), p, "group messages"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.GroupMessageList{Messages: ms})
	return nil
}

func (s *Server) handlePatientJoin(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req api.JoinGroupRequest
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	if req.Code == "" {
		return badRequest("code: give the join code your therapist handed you")
	}
	now := s.db.Now()
	m := store.GroupMember{ID: s.db.NewID(now), PatientID: p.patientID, Alias: req.Alias, JoinedAt: now}
	op := store.JoinGroupOp{Member: m, CodeHash: store.HashGroupCode(req.Code)}
	return s.applyPatient(w, r, p, body, op, api.Created{Type: "group_member", ID: m.ID})
}

// handlePatientPost takes a post. Its text is cleaned like every patient
// text shown to others (escape sequences and control characters removed)
// and refused when nothing is left or it is too long. The answer says
// "pending" also for a post held for a risk phrase.
func (s *Server) handlePatientPost(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req api.PostRequest
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	now := s.db.Now()
	post := store.GroupPost{ID: s.db.NewID(now), GroupID: r.PathValue("id"), PatientID: p.patientID, Body: store.CleanPost(req.Body), PostedAt: now}
	return s.applyPatient(w, r, p, body, store.AddGroupPostOp{Post: post}, api.Created{Type: "group_post", ID: post.ID})
}

func (s *Server) handlePatientLeave(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needPatient(p); err != nil {
		return err
	}
	var req struct{}
	body, err := s.readBody(w, r, &req)
	if err != nil {
		return err
	}
	op := store.LeaveGroupOp{GroupID: r.PathValue("id"), PatientID: p.patientID, At: s.db.Now()}
	return s.applyPatient(w, r, p, body, op, api.Created{Type: "group_leave", ID: op.GroupID})
}
