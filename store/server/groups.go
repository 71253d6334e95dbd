package server

import (
	"context"
	"database/sql"
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
		return badRequestm("store.err.api.join_code")
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

// authorizeGroupOp decides on a pushed cohort or peer-group operation (ok
// false: not one). The store's operation checks that the actor is one of
// the cohort's or group's therapists (or, for membership, an admin); here
// the fields that name a writer must name the caller, a therapist adds to
// a cohort only patients they may read, and supervisors push none.
func authorizeGroupOp(ctx context.Context, q querier, actor store.Actor, o store.Op) (error, bool) {
	self := func(field, id string) error {
		if id != actor.ID {
			return forbiddenm("store.err.push.own_id", "Field", field)
		}
		return nil
	}
	var err error
	switch x := o.(type) {
	case store.CreateCohortOp, store.CreatePeerGroupOp, store.RemoveCohortMemberOp, store.AdvanceCohortOp:
	case store.AddCohortMemberOp:
		if actor.Role == store.RoleTherapist && !mayRead(ctx, q, actor, x.Member.PatientID) {
			err = forbiddenm("store.err.push.patient_not_yours", "ID", x.Member.PatientID)
		}
	case store.SendGroupMessageOp:
		err = self("message.therapist_id", x.Message.TherapistID)
	case store.IssueGroupCodeOp:
		err = self("code.created_by", x.Code.CreatedBy)
	case store.ModeratePostOp:
		err = self("decision.therapist_id", x.Decision.TherapistID)
	default:
		return nil, false
	}
	if err == nil && actor.Role == store.RoleSupervisor {
		err = forbiddenm("store.err.push.supervisor_groups", "Op", o.OpType())
	}
	return err, true
}

// A moderator moderates every post of their groups, but may not read the
// record of another therapist's patient (docs/groups.md, "On a replica").
// Their replica receives such a member and their posts without the
// patient: the alias, the text, the times, the status and the decisions,
// with patient_id and enrollment_id left empty, and no post held for a
// risk phrase (that is the poster's therapist's, in their queue). The
// replica's rows then name no patient (schema 12), the page names none,
// and no read of the patient's record is audited, for none was sent.

// moderates says whether the actor moderates the peer group: a therapist
// among its therapists (a supervisor reads the team's groups and
// moderates none).
func (v *visibility) moderates(groupID string) bool {
	return v.actor.Role == store.RoleTherapist && v.groups[groupID]
}

// outgoing is the record a pull sends for rec (ok false: none): rec
// itself, or a member or post of another therapist's patient without the
// patient, for a moderator of its group.
func (v *visibility) outgoing(rec any) (any, bool) {
	switch r := rec.(type) {
	case *store.GroupMember:
		switch {
		case !v.groups[r.GroupID]:
			return nil, false
		case v.patients[r.PatientID]:
			return rec, true
		case v.moderates(r.GroupID):
			m := *r
			m.PatientID = ""
			return &m, true
		}
		return nil, false
	case *store.GroupPost:
		switch {
		case !v.groups[r.GroupID]:
			return nil, false
		case v.patients[r.PatientID]:
			return rec, true
		case v.moderates(r.GroupID) && r.Status != store.PostHeld:
			p := *r
			p.PatientID, p.EnrollmentID = "", ""
			return &p, true
		}
		return nil, false
	case *store.PostDecision:
		p := v.posts[r.PostID]
		if p == nil || !v.groups[p.GroupID] {
			return nil, false
		}
		if v.patients[p.PatientID] || (v.moderates(p.GroupID) && p.Status != store.PostHeld) {
			return rec, true
		}
		return nil, false
	}
	return rec, v.canSee(rec)
}

// revokedGroupRecords hands to add, for each patient the actor no longer
// sees, the patient's members and posts (and the decisions on them) in
// the groups the actor moderates: the replica deletes them with the
// patient's record, and gets them back in the same page without the
// patient (outgoing decides what is sent).
func (s *Server) revokedGroupRecords(ctx context.Context, tx *sql.Tx, v *visibility, revoked []string, seq int64, add func(int64, any)) error {
	if v.actor.Role != store.RoleTherapist || len(v.groups) == 0 {
		return nil
	}
	for _, p := range revoked {
		recs, err := s.db.LoadPatientGroupRecords(ctx, tx, p)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			switch r := rec.(type) {
			case *store.GroupMember:
				if v.moderates(r.GroupID) {
					add(seq, rec)
				}
			case *store.GroupPost:
				if v.moderates(r.GroupID) {
					add(seq, rec)
				}
			case *store.PostDecision:
				add(seq, rec) // sent if its post is (outgoing)
			}
		}
	}
	return nil
}
