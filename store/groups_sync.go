package store

import (
	"context"
	"database/sql"
	"slices"
)

// Cohorts and peer groups on replicas. A therapist's replica holds the
// cohorts they run and the peer groups they moderate, with what is in them
// of the patients the therapist may read: members, group messages, posts
// and moderation decisions (a supervisor's, those of the team's
// therapists). Join codes stay on the server. These types travel in pulls
// like every record, but are no part of the export format.

// groupTypes are the group record types a replica receives, in dependency
// order.
var groupTypes = []string{"cohort", "cohort_member", "group_message", "peer_group", "group_member", "group_post", "post_decision"}

var groupKinds = map[string]recordKind{
	"cohort":        {"cohort", groupTables.cohort, func() any { return &Cohort{} }, self},
	"cohort_member": {"cohort_member", groupTables.cohortMember, func() any { return &CohortMember{} }, self},
	"group_message": {"group_message", groupTables.groupMessage, func() any { return &GroupMessage{} }, self},
	"peer_group":    {"peer_group", groupTables.peerGroup, func() any { return &PeerGroup{} }, self},
	"group_member":  {"group_member", groupTables.member, func() any { return &GroupMember{} }, self},
	"group_post":    {"group_post", groupTables.post, func() any { return &GroupPost{} }, self},
	"post_decision": {"post_decision", groupTables.decision, func() any { return &PostDecision{} }, self},
}

func self(w any) any { return w }

// GroupTypes are the group record types a replica receives, in dependency
// order.
func GroupTypes() []string { return slices.Clone(groupTypes) }

// IsGroupType says whether typ is a cohort or peer-group record type.
func IsGroupType(typ string) bool {
	_, ok := groupKinds[typ]
	return ok
}

// syncKind is the kind of a record type that travels in pulls.
func syncKind(typ string) (recordKind, bool) {
	if k, ok := groupKinds[typ]; ok {
		return k, true
	}
	k, ok := recordKinds[typ]
	return k, ok
}

// groupRef says which group record rec is (ok false: not one). Members,
// posts and cohort members name their patient.
func groupRef(rec any) (typ, id, patientID string, ok bool) {
	switch r := rec.(type) {
	case *Cohort:
		return "cohort", r.ID, "", true
	case *CohortMember:
		return "cohort_member", r.ID, r.PatientID, true
	case *GroupMessage:
		return "group_message", r.ID, "", true
	case *PeerGroup:
		return "peer_group", r.ID, "", true
	case *GroupMember:
		return "group_member", r.ID, r.PatientID, true
	case *GroupPost:
		return "group_post", r.ID, r.PatientID, true
	case *PostDecision:
		return "post_decision", r.ID, "", true
	}
	return "", "", "", false
}

// LoadPatientGroupRecords reads a patient's part of cohorts and peer
// groups inside q: their cohort and group memberships, their posts and the
// decisions on them, in dependency order and by id within a type. The
// caller decides which of them a replica may have.
func (db *DB) LoadPatientGroupRecords(ctx context.Context, q *sql.Tx, patientID string) ([]any, error) {
	var out []any
	for _, c := range []struct{ typ, where string }{
		{"cohort_member", "patient_id = ?"},
		{"group_member", "patient_id = ?"},
		{"group_post", "patient_id = ?"},
		{"post_decision", "post_id IN (SELECT id FROM group_posts WHERE patient_id = ?)"},
	} {
		kind := groupKinds[c.typ]
		rows, err := q.QueryContext(ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" WHERE "+c.where+" ORDER BY id", patientID)
		if err != nil {
			return nil, err
		}
		if out, err = scanRecords(rows, kind, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}
