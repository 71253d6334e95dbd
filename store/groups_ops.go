package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store/riskphrase"
)

// The operations of cohorts and peer groups (docs/groups.md).

// CreateCohortOp creates a cohort.
type CreateCohortOp struct {
	Cohort Cohort `json:"cohort"`
}

func (CreateCohortOp) OpType() string { return "cohort.create" }
func (o CreateCohortOp) apply(t *tx) error {
	c := &o.Cohort
	const r = "cohort"
	if err := first(needID(r, "id", c.ID), need(r, "name", c.Name), checkPlain(r, "name", c.Name), needID(r, "program_version_id", c.ProgramVersionID),
		checkDate(r, "start_date", c.StartDate), needTime(r, "created_at", c.CreatedAt)); err != nil {
		return err
	}
	if c.Capacity < 1 || c.Capacity > MaxCohortSize {
		return invalid(r, "capacity", "store.err.outside_range", "Value", c.Capacity, "Max", MaxCohortSize)
	}
	if len(c.TherapistIDs) < 1 || len(c.TherapistIDs) > 2 {
		return invalid(r, "therapist_ids", "store.err.cohort_has_one_two", "N", len(c.TherapistIDs))
	}
	for _, id := range c.TherapistIDs {
		th, err := txRefs{t}.therapist(id)
		if err != nil {
			return ref(r, "therapist_ids", id, err)
		}
		if th.Role != RoleTherapist {
			return invalid(r, "therapist_ids", "store.err.role_not_therapist", "Handle", th.Handle, "Role", roleArg(th.Role))
		}
	}
	p, err := txRefs{t}.program(c.ProgramVersionID)
	if err != nil {
		return ref(r, "program_version_id", c.ProgramVersionID, err)
	}
	if c.ProgramID != p.ID {
		return invalid(r, "program_id", "store.err.does_match_program_version", "ProgramID", quote(c.ProgramID), "ProgramVersionID", c.ProgramVersionID, "ID", quote(p.ID))
	}
	if t.actor.Role == RoleTherapist && t.actor.IsPerson() && !slices.Contains(c.TherapistIDs, t.actor.ID) {
		return forbidden("store.err.can_create_cohort_only", "Handle", t.actor.Handle)
	}
	return t.insert(groupTables.cohort, c, c.ID, "")
}

// AddCohortMemberOp enrolls a patient into a cohort: the enrollment starts
// on the cohort's start date with one of the cohort's therapists.
type AddCohortMemberOp struct {
	Member     CohortMember `json:"member"`
	Enrollment Enrollment   `json:"enrollment"`
}

func (AddCohortMemberOp) OpType() string { return "cohort.add" }
func (o AddCohortMemberOp) apply(t *tx) error {
	m, e := &o.Member, &o.Enrollment
	const r = "cohort_member"
	if err := first(needID(r, "id", m.ID), needID(r, "cohort_id", m.CohortID), needID(r, "patient_id", m.PatientID), needTime(r, "joined_at", m.JoinedAt)); err != nil {
		return err
	}
	c, err := t.cohort(m.CohortID)
	if err != nil {
		return ref(r, "cohort_id", m.CohortID, err)
	}
	if err := t.managesCohort(c); err != nil {
		return err
	}
	if e.PatientID != m.PatientID || e.ID != m.EnrollmentID {
		return invalid(r, "enrollment_id", "store.err.enrollment_member_s")
	}
	if e.ProgramVersionID != c.ProgramVersionID || e.StartDate != c.StartDate {
		return invalid(r, "enrollment", "store.err.cohort_s_enrollment_program", "ProgramVersionID", c.ProgramVersionID, "StartDate", c.StartDate)
	}
	if !slices.Contains(c.TherapistIDs, e.TherapistID) {
		return invalid(r, "enrollment", "store.err.therapist_therapist_cohort", "TherapistID", e.TherapistID, "Name", c.Name)
	}
	var n, already int
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COUNT(*), COALESCE(SUM(patient_id = ?), 0) FROM cohort_members WHERE cohort_id = ? AND left_at IS NULL`,
		m.PatientID, c.ID).Scan(&n, &already); err != nil {
		return err
	}
	if already > 0 {
		return invalid(r, "patient_id", "store.err.patient_already_cohort", "PatientID", m.PatientID, "Name", c.Name)
	}
	if n >= c.Capacity {
		return invalid(r, "cohort_id", "store.err.cohort_full", "Name", c.Name, "N", n, "Capacity", c.Capacity)
	}
	if err := checkEnrollment(txRefs{t}, e); err != nil {
		return err
	}
	if err := t.insert(tables.enrollment, e, e.ID, e.PatientID); err != nil {
		return err
	}
	// A patient removed earlier and added again gets their row back.
	res, err := t.exec("UPDATE cohort_members SET enrollment_id = ?, joined_at = ?, left_at = NULL WHERE cohort_id = ? AND patient_id = ?",
		e.ID, fmtTime(m.JoinedAt), c.ID, m.PatientID)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k > 0 {
		var id string
		if err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM cohort_members WHERE cohort_id = ? AND patient_id = ?", c.ID, m.PatientID).Scan(&id); err != nil {
			return err
		}
		return t.changed("cohort_members", id, m.PatientID, "update")
	}
	return t.insert(groupTables.cohortMember, m, m.ID, m.PatientID)
}

// managesCohort: a cohort's therapists and admins (who manage enrollments)
// add and remove members.
func (t *tx) managesCohort(c *Cohort) error {
	if t.actor.Role == RoleAdmin {
		return nil
	}
	return t.moderates(c.TherapistIDs, i18n.Msg("store.err.what.cohort", "Name", c.Name))
}

// RemoveCohortMemberOp takes a patient out of a cohort (they stop getting
// its group messages). Their enrollment goes on, individually.
type RemoveCohortMemberOp struct {
	CohortID  string    `json:"cohort_id"`
	PatientID string    `json:"patient_id"`
	At        time.Time `json:"at"`
}

func (RemoveCohortMemberOp) OpType() string { return "cohort.remove" }
func (o RemoveCohortMemberOp) apply(t *tx) error {
	c, err := t.cohort(o.CohortID)
	if err != nil {
		return err
	}
	if err := t.managesCohort(c); err != nil {
		return err
	}
	var id string
	if err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM cohort_members WHERE cohort_id = ? AND patient_id = ? AND left_at IS NULL", c.ID, o.PatientID).Scan(&id); err != nil {
		return newErr(ErrNotFound, "store.err.not_member_of_cohort", "Cohort", c.Name, "ID", quote(o.PatientID))
	}
	if _, err := t.exec("UPDATE cohort_members SET left_at = ? WHERE id = ?", fmtTime(o.At), id); err != nil {
		return err
	}
	return t.changed("cohort_members", id, o.PatientID, "update")
}

// SendGroupMessageOp stores one message to a whole cohort.
type SendGroupMessageOp struct {
	Message GroupMessage `json:"message"`
}

func (SendGroupMessageOp) OpType() string { return "cohort.message" }
func (o SendGroupMessageOp) apply(t *tx) error {
	m := &o.Message
	const r = "group_message"
	if err := first(needID(r, "id", m.ID), needID(r, "cohort_id", m.CohortID), needID(r, "therapist_id", m.TherapistID),
		checkText(r, "body", m.Body), needTime(r, "sent_at", m.SentAt)); err != nil {
		return err
	}
	c, err := t.cohort(m.CohortID)
	if err != nil {
		return ref(r, "cohort_id", m.CohortID, err)
	}
	if !slices.Contains(c.TherapistIDs, m.TherapistID) {
		return invalid(r, "therapist_id", "store.err.therapist_cohort", "TherapistID", m.TherapistID, "Name", c.Name)
	}
	if err := t.moderates(c.TherapistIDs, i18n.Msg("store.err.what.cohort", "Name", c.Name)); err != nil {
		return err
	}
	return t.insert(groupTables.groupMessage, m, m.ID, "")
}

// CreatePeerGroupOp creates a peer group of a cohort (moderated by the
// cohort's therapists) or of a topic (moderated by its creator).
type CreatePeerGroupOp struct {
	Group PeerGroup `json:"group"`
}

func (CreatePeerGroupOp) OpType() string { return "group.create" }
func (o CreatePeerGroupOp) apply(t *tx) error {
	g := &o.Group
	const r = "peer_group"
	if err := first(needID(r, "id", g.ID), need(r, "name", g.Name), checkPlain(r, "name", g.Name), checkPlain(r, "topic", g.Topic),
		needTime(r, "created_at", g.CreatedAt)); err != nil {
		return err
	}
	if (g.CohortID == "") == (strings.TrimSpace(g.Topic) == "") {
		return invalid(r, "cohort_id", "store.err.peer_group_belongs_cohort")
	}
	if g.CohortID != "" {
		c, err := t.cohort(g.CohortID)
		if err != nil {
			return ref(r, "cohort_id", g.CohortID, err)
		}
		if !slices.Equal(g.TherapistIDs, c.TherapistIDs) {
			return invalid(r, "therapist_ids", "store.err.cohort_s_group_moderated")
		}
	}
	if len(g.TherapistIDs) < 1 || len(g.TherapistIDs) > 2 {
		return invalid(r, "therapist_ids", "store.err.group_has_one_two", "N", len(g.TherapistIDs))
	}
	for _, id := range g.TherapistIDs {
		th, err := txRefs{t}.therapist(id)
		if err != nil {
			return ref(r, "therapist_ids", id, err)
		}
		if th.Role != RoleTherapist {
			return invalid(r, "therapist_ids", "store.err.role_not_therapist", "Handle", th.Handle, "Role", roleArg(th.Role))
		}
	}
	if err := t.moderates(g.TherapistIDs, i18n.Msg("store.err.what.group", "Name", g.Name)); err != nil {
		return err
	}
	return t.insert(groupTables.peerGroup, g, g.ID, "")
}

// IssueGroupCodeOp stores a join code's hash.
type IssueGroupCodeOp struct {
	Code GroupCode `json:"code"`
}

func (IssueGroupCodeOp) OpType() string { return "group.code" }
func (o IssueGroupCodeOp) apply(t *tx) error {
	c := &o.Code
	const r = "group_code"
	if err := first(needID(r, "id", c.ID), needID(r, "group_id", c.GroupID), needTime(r, "created_at", c.CreatedAt)); err != nil {
		return err
	}
	if b, err := hex.DecodeString(c.Hash); err != nil || len(b) != sha256.Size {
		return invalid(r, "hash", "store.err.hex_sha")
	}
	c.UsedAt, c.UsedBy = nil, ""
	g, err := t.peerGroup(c.GroupID)
	if err != nil {
		return ref(r, "group_id", c.GroupID, err)
	}
	if err := t.moderates(g.TherapistIDs, i18n.Msg("store.err.what.group", "Name", g.Name)); err != nil {
		return err
	}
	return t.insert(groupTables.code, c, c.ID, "")
}

// HashGroupCode is how a join code is stored.
func HashGroupCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(sum[:])
}

// JoinGroupOp uses a join code: one patient joins its group under an alias.
type JoinGroupOp struct {
	Member   GroupMember `json:"member"`
	CodeHash string      `json:"code_hash"`
}

func (JoinGroupOp) OpType() string { return "group.join" }
func (o JoinGroupOp) apply(t *tx) error {
	m := &o.Member
	const r = "group_member"
	if err := first(needID(r, "id", m.ID), needID(r, "patient_id", m.PatientID), needTime(r, "joined_at", m.JoinedAt)); err != nil {
		return err
	}
	var codeID, groupID string
	var used *string
	if err := t.tx.QueryRowContext(t.ctx, "SELECT id, group_id, used_at FROM group_codes WHERE hash = ?", o.CodeHash).Scan(&codeID, &groupID, &used); err != nil {
		return invalid(r, "code", "store.err.join_code_check_ask")
	}
	if used != nil {
		return invalid(r, "code", "store.err.has_been_used_already")
	}
	if m.GroupID == "" {
		m.GroupID = groupID
	}
	if m.GroupID != groupID {
		return invalid(r, "group_id", "store.err.code_another_group")
	}
	p, err := txRefs{t}.patient(m.PatientID)
	if err != nil {
		return ref(r, "patient_id", m.PatientID, err)
	}
	if t.actor.Role == "patient" && t.actor.ID != "patient:"+m.PatientID {
		return forbidden("store.err.patient_joins_only_themselves")
	}
	if err := checkAlias(p, m.Alias); err != nil {
		return err
	}
	var inGroup, taken int
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COALESCE(SUM(patient_id = ? AND left_at IS NULL), 0), COALESCE(SUM(lower(alias) = lower(?)), 0)
		FROM group_members WHERE group_id = ?`, m.PatientID, m.Alias, groupID).Scan(&inGroup, &taken); err != nil {
		return err
	}
	if inGroup > 0 {
		return invalid(r, "patient_id", "store.err.you_are_already_group")
	}
	if taken > 0 {
		return invalid(r, "alias", "store.err.taken_group_choose_another", "Alias", quote(m.Alias))
	}
	m.LeftAt = nil
	if _, err := t.exec("UPDATE group_codes SET used_at = ?, used_by = ? WHERE id = ?", fmtTime(m.JoinedAt), m.PatientID, codeID); err != nil {
		return err
	}
	if err := t.changed("group_codes", codeID, "", "update"); err != nil {
		return err
	}
	return t.insert(groupTables.member, m, m.ID, m.PatientID)
}

// LeaveGroupOp: a patient leaves a peer group; their posts then show as
// "a former member".
type LeaveGroupOp struct {
	GroupID   string    `json:"group_id"`
	PatientID string    `json:"patient_id"`
	At        time.Time `json:"at"`
}

func (LeaveGroupOp) OpType() string { return "group.leave" }
func (o LeaveGroupOp) apply(t *tx) error {
	if t.actor.Role == "patient" && t.actor.ID != "patient:"+o.PatientID {
		return forbidden("store.err.patient_leaves_only_themselves")
	}
	var id string
	if err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM group_members WHERE group_id = ? AND patient_id = ? AND left_at IS NULL",
		o.GroupID, o.PatientID).Scan(&id); err != nil {
		return notFound("membership of group", o.GroupID)
	}
	if _, err := t.exec("UPDATE group_members SET left_at = ? WHERE id = ?", fmtTime(o.At), id); err != nil {
		return err
	}
	return t.changed("group_members", id, o.PatientID, "update")
}

// AddGroupPostOp stores a member's post. It waits for moderation
// (pending), or is held when it contains a risk phrase of the policy's
// lists: a held post is never shown to the group and raises a risk flag
// for the poster's therapist, like a message. The status is decided here,
// not by the caller.
type AddGroupPostOp struct {
	Post GroupPost `json:"post"`
}

func (AddGroupPostOp) OpType() string { return "group.post" }
func (o AddGroupPostOp) apply(t *tx) error {
	p := &o.Post
	const r = "group_post"
	if err := first(needID(r, "id", p.ID), needID(r, "group_id", p.GroupID), needID(r, "patient_id", p.PatientID),
		checkPost(r, "body", p.Body), needTime(r, "posted_at", p.PostedAt)); err != nil {
		return err
	}
	if t.actor.Role == "patient" && t.actor.ID != "patient:"+p.PatientID {
		return forbidden("store.err.patient_posts_only_themselves")
	}
	var memberID string
	if err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM group_members WHERE group_id = ? AND patient_id = ? AND left_at IS NULL",
		p.GroupID, p.PatientID).Scan(&memberID); err != nil {
		return forbidden("store.err.patient_member_group", "PatientID", p.PatientID, "GroupID", p.GroupID)
	}
	p.MemberID = memberID
	if p.EnrollmentID == "" {
		// The flag goes to the therapist of the newest current enrollment.
		_ = t.tx.QueryRowContext(t.ctx, `SELECT id FROM enrollments WHERE patient_id = ? AND status IN ('active', 'scheduled')
			ORDER BY start_date DESC, id DESC LIMIT 1`, p.PatientID).Scan(&p.EnrollmentID)
	} else if _, _, err := enrollmentOf(txRefs{t}, r, p.EnrollmentID, p.PatientID); err != nil {
		return err
	}
	pol, err := t.db.Policy(t.ctx)
	if err != nil {
		return err
	}
	m, err := riskphrase.Compile(pol.RiskWords)
	if err != nil {
		return err
	}
	p.Status, p.Reason, p.DecidedBy, p.DecidedAt, p.Version = PostPending, "", "", nil, 1
	if _, hit := m.Match(p.Body); hit {
		p.Status = PostHeld
	}
	return t.insert(groupTables.post, p, p.ID, p.PatientID)
}

// ModeratePostOp approves or rejects a pending post, or hides an approved
// one, by compare-and-set, and records the decision (who, what, when).
type ModeratePostOp struct {
	Decision PostDecision `json:"decision"`
	Version  int64        `json:"version"`
}

func (ModeratePostOp) OpType() string { return "group.moderate" }
func (o ModeratePostOp) apply(t *tx) error {
	d := &o.Decision
	const r = "post_decision"
	if err := first(needID(r, "id", d.ID), needID(r, "post_id", d.PostID), needID(r, "therapist_id", d.TherapistID),
		checkEnum(r, "action", d.Action, ModApprove, ModReject, ModHide), checkTextLen(r, "reason", d.Reason), checkPlain(r, "reason", d.Reason),
		needTime(r, "decided_at", d.DecidedAt)); err != nil {
		return err
	}
	var post GroupPost
	if err := (txRefs{t}).get(groupTables.post, "group post", d.PostID, &post); err != nil {
		return err
	}
	g, err := t.peerGroup(post.GroupID)
	if err != nil {
		return err
	}
	if err := t.moderates(g.TherapistIDs, i18n.Msg("store.err.what.group", "Name", g.Name)); err != nil {
		return err
	}
	if t.actor.IsPerson() && d.TherapistID != t.actor.ID {
		return invalid(r, "therapist_id", "store.err.decision_recorded_one_who")
	}
	next := ""
	switch {
	case post.Status == PostHeld:
		return invalid(r, "action", "store.err.post_held_risk_phrase_2", "ID", post.ID)
	case d.Action == ModApprove && post.Status == PostPending:
		next = PostApproved
	case d.Action == ModReject && post.Status == PostPending:
		if strings.TrimSpace(d.Reason) == "" {
			return invalid(r, "reason", "store.err.required_poster_shown_why")
		}
		next = PostRejected
	case d.Action == ModHide && post.Status == PostApproved:
		next = PostHidden
	default:
		return invalid(r, "action", "store.err.cannot_post", "Action", d.Action, "Status", statusArg(post.Status))
	}
	if err := t.cas("group_posts", "group post", post.ID, post.PatientID, o.Version,
		"status = ?, reason = ?, decided_by = ?, decided_at = ?", next, d.Reason, d.TherapistID, fmtTime(d.DecidedAt)); err != nil {
		return err
	}
	return t.insert(groupTables.decision, d, d.ID, post.PatientID)
}

// --- convenience methods ---

// CreateCohort creates a cohort; the program id is filled in.
func (db *DB) CreateCohort(ctx context.Context, actor Actor, c Cohort) (Cohort, error) {
	db.stamp(&c.ID, &c.CreatedAt)
	c.UpdatedAt, c.Version = c.CreatedAt, 1
	if c.ProgramID == "" {
		p, err := db.ProgramDef(ctx, c.ProgramVersionID)
		if err != nil {
			return c, ref("cohort", "program_version_id", c.ProgramVersionID, err)
		}
		c.ProgramID = p.ID
	}
	return c, db.Apply(ctx, actor, CreateCohortOp{c})
}

// CohortEnrollment builds the enrollment a cohort gives a patient: the
// cohort's program version and start date, therapist (one of the
// cohort's; the first if empty).
func (db *DB) CohortEnrollment(ctx context.Context, c Cohort, patientID, therapistID string) (AddCohortMemberOp, error) {
	now := db.Now()
	if therapistID == "" && len(c.TherapistIDs) > 0 {
		therapistID = c.TherapistIDs[0]
	}
	p, err := db.ProgramDef(ctx, c.ProgramVersionID)
	if err != nil {
		return AddCohortMemberOp{}, err
	}
	start, _ := time.Parse(time.DateOnly, c.StartDate)
	status := EnrollmentActive
	if start.After(now) {
		status = EnrollmentScheduled
	}
	e := Enrollment{ID: db.NewID(now), PatientID: patientID, ProgramVersionID: c.ProgramVersionID, ProgramID: p.ID, TherapistID: therapistID,
		Status: status, StartDate: c.StartDate, PlannedEnd: start.AddDate(0, 0, 7*p.Weeks).Format(time.DateOnly), CreatedAt: now, UpdatedAt: now, Version: 1,
		UnlockedModules: UnlockedThrough(p, min(CohortWeek(c.StartDate, now), p.Weeks))} // a late joiner gets the cohort's week open
	m := CohortMember{ID: db.NewID(now), CohortID: c.ID, PatientID: patientID, EnrollmentID: e.ID, JoinedAt: now}
	return AddCohortMemberOp{Member: m, Enrollment: e}, nil
}

// SendGroupMessage sends one message to a cohort.
func (db *DB) SendGroupMessage(ctx context.Context, actor Actor, m GroupMessage) (GroupMessage, error) {
	db.stamp(&m.ID, &m.SentAt)
	if m.TherapistID == "" {
		m.TherapistID = actor.ID
	}
	return m, db.Apply(ctx, actor, SendGroupMessageOp{m})
}

// CreatePeerGroup creates a peer group; a cohort's group gets the cohort's
// therapists, a topic group its creator.
func (db *DB) CreatePeerGroup(ctx context.Context, actor Actor, g PeerGroup) (PeerGroup, error) {
	db.stamp(&g.ID, &g.CreatedAt)
	if len(g.TherapistIDs) == 0 {
		if g.CohortID != "" {
			c, err := db.FindCohort(ctx, g.CohortID)
			if err != nil {
				return g, ref("peer_group", "cohort_id", g.CohortID, err)
			}
			g.CohortID, g.TherapistIDs = c.ID, c.TherapistIDs
		} else {
			g.TherapistIDs = []string{actor.ID}
		}
	}
	return g, db.Apply(ctx, actor, CreatePeerGroupOp{g})
}

// codeAlphabet leaves out letters and digits that are easy to mix up.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// IssueGroupCode makes a single-use join code for a group. The code is
// returned once; only its hash is stored.
func (db *DB) IssueGroupCode(ctx context.Context, actor Actor, groupID string) (string, GroupCode, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", GroupCode{}, err
	}
	code := make([]byte, 0, 14)
	for i, x := range b {
		if i == 4 || i == 8 {
			code = append(code, '-')
		}
		code = append(code, codeAlphabet[int(x)%len(codeAlphabet)])
	}
	c := GroupCode{GroupID: groupID, Hash: HashGroupCode(string(code)), CreatedBy: actor.ID}
	db.stamp(&c.ID, &c.CreatedAt)
	return string(code), c, db.Apply(ctx, actor, IssueGroupCodeOp{c})
}

// Moderate records a moderation decision on a post at its version.
func (db *DB) Moderate(ctx context.Context, actor Actor, postID, action, reason string, version int64) error {
	d := PostDecision{PostID: postID, TherapistID: actor.ID, Action: action, Reason: reason}
	db.stamp(&d.ID, &d.DecidedAt)
	return db.Apply(ctx, actor, ModeratePostOp{Decision: d, Version: version})
}

// PostOf reads one post.
func (db *DB) PostOf(ctx context.Context, id string) (GroupPost, error) {
	return selectOne[GroupPost](ctx, db.r, groupTables.post, "group post", id, "WHERE id = ?", id)
}

// PostDecisions lists the moderation decisions on a post, oldest first.
func (db *DB) PostDecisions(ctx context.Context, postID string) ([]PostDecision, error) {
	return selectAll[PostDecision](ctx, db.r, groupTables.decision, "WHERE post_id = ? ORDER BY decided_at, rowid", postID)
}

// UnlockedThrough is how many of a program's modules are open in a week:
// those whose week (or, without one, place in the list) is at most week.
func UnlockedThrough(p *programs.Program, week int) int {
	n := 0
	for i, m := range p.Modules {
		w := m.Week
		if w == 0 {
			w = i + 1
		}
		if w <= week {
			n = i + 1
		}
	}
	return n
}

// AdvanceCohortOp opens the modules of a cohort's week for every current
// member at once (the cohort advances together). No member's modules are
// closed again: one already further keeps theirs.
type AdvanceCohortOp struct {
	CohortID string    `json:"cohort_id"`
	Week     int       `json:"week"`
	At       time.Time `json:"at"`
}

func (AdvanceCohortOp) OpType() string { return "cohort.advance" }
func (o AdvanceCohortOp) apply(t *tx) error {
	if err := needTime("cohort", "at", o.At); err != nil {
		return err
	}
	c, err := t.cohort(o.CohortID)
	if err != nil {
		return err
	}
	if err := t.moderates(c.TherapistIDs, i18n.Msg("store.err.what.cohort", "Name", c.Name)); err != nil {
		return err
	}
	p, err := txRefs{t}.program(c.ProgramVersionID)
	if err != nil {
		return err
	}
	if o.Week < 1 || o.Week > p.Weeks {
		return invalid("cohort", "week", "store.err.outside_program_s_weeks", "Week", o.Week, "Weeks", p.Weeks)
	}
	n := UnlockedThrough(p, o.Week)
	rows, err := t.tx.QueryContext(t.ctx, `SELECT e.id, e.patient_id FROM cohort_members m JOIN enrollments e ON e.id = m.enrollment_id
		WHERE m.cohort_id = ? AND m.left_at IS NULL AND e.status IN ('active', 'scheduled') AND e.unlocked_modules < ?`, c.ID, n)
	if err != nil {
		return err
	}
	var ids, patients []string
	for rows.Next() {
		var id, pid string
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return err
		}
		ids, patients = append(ids, id), append(patients, pid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := t.exec("UPDATE enrollments SET unlocked_modules = ?, updated_at = ?, version = version + 1 WHERE id = ?", n, fmtTime(o.At), id); err != nil {
			return err
		}
		if err := t.changed("enrollments", id, patients[i], "update"); err != nil {
			return err
		}
	}
	return nil
}
