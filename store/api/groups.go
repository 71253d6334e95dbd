package api

import "polku/store"

// The patient portal's peer-group and cohort endpoints (docs/api.md,
// docs/groups.md).

// JoinGroupRequest joins a peer group with a join code under an alias
// (POST /v1/patient/groups/join).
type JoinGroupRequest struct {
	Code  string `json:"code"`
	Alias string `json:"alias"`
}

// PostRequest posts to a peer group (POST /v1/patient/groups/{id}/posts).
type PostRequest struct {
	Body string `json:"body"`
}

// GroupList is GET /v1/patient/groups: the peer groups the patient is a
// member of, each with its approved posts and the patient's own posts
// (with their status, and the reason of a rejection).
type GroupList struct {
	Groups []store.PortalGroup `json:"groups"`
}

// GroupMessageList is GET /v1/patient/group-messages: the messages the
// patient's cohort therapists sent to the whole cohort, oldest first.
type GroupMessageList struct {
	Messages []store.GroupMessage `json:"messages"`
}

// derefGroupOp is deref for the group operations.
func derefGroupOp(op store.Op) store.Op {
	switch o := op.(type) {
	case *store.CreateCohortOp:
		return *o
	case *store.AddCohortMemberOp:
		return *o
	case *store.RemoveCohortMemberOp:
		return *o
	case *store.SendGroupMessageOp:
		return *o
	case *store.CreatePeerGroupOp:
		return *o
	case *store.IssueGroupCodeOp:
		return *o
	case *store.ModeratePostOp:
		return *o
	case *store.AdvanceCohortOp:
		return *o
	}
	return op
}
