package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"reflect"

	"polku/internal/i18n"
	"polku/programs"
)

// Group programs (cohorts) and moderated peer groups: records, tables and
// reads. The operations are in groups_ops.go; docs/groups.md describes them.

// Post statuses.
const (
	PostPending  = "pending"  // waiting for a moderator
	PostApproved = "approved" // shown to the group
	PostRejected = "rejected" // not shown; the reason is shown to the poster
	PostHidden   = "hidden"   // approved, then taken down
	PostHeld     = "held"     // a risk phrase: never shown, raised as a risk flag
)

// Moderation actions.
const (
	ModApprove = "approve"
	ModReject  = "reject"
	ModHide    = "hide"
)

// RiskSourcePost is the risk-flag source type of a held group post.
const RiskSourcePost = "group_post"

// FormerMember is what a post of someone who left the group shows as its author.
const FormerMember = "a former member"

// Limits of group text.
const (
	MaxPost       = 4000 // characters in one post
	MaxCohortSize = 50
	maxAlias      = 32
)

// Cohort is a program run for a named group with a shared start date.
type Cohort struct {
	ID               string    `json:"id" db:"id"`
	Name             string    `json:"name" db:"name"`
	ProgramVersionID string    `json:"program_version_id" db:"program_version_id"`
	ProgramID        string    `json:"program_id" db:"program_id"`
	StartDate        string    `json:"start_date" db:"start_date"`
	Capacity         int       `json:"capacity" db:"capacity"`
	TherapistIDs     []string  `json:"therapist_ids" db:"therapist_ids,json"`
	CreatedAt        time.Time `json:"created_at" db:"created_at"`
	UpdatedAt        time.Time `json:"updated_at" db:"updated_at"`
	Version          int64     `json:"version" db:"version"`
}

// CohortMember is a patient in a cohort with the enrollment the cohort
// made for them.
type CohortMember struct {
	ID           string     `json:"id" db:"id"`
	CohortID     string     `json:"cohort_id" db:"cohort_id"`
	PatientID    string     `json:"patient_id" db:"patient_id"`
	EnrollmentID string     `json:"enrollment_id" db:"enrollment_id"`
	JoinedAt     time.Time  `json:"joined_at" db:"joined_at"`
	LeftAt       *time.Time `json:"left_at,omitempty" db:"left_at"`
}

// GroupMessage is one message to a whole cohort. Append-only.
type GroupMessage struct {
	ID          string    `json:"id" db:"id"`
	CohortID    string    `json:"cohort_id" db:"cohort_id"`
	TherapistID string    `json:"therapist_id" db:"therapist_id"`
	Body        string    `json:"body" db:"body"`
	SentAt      time.Time `json:"sent_at" db:"sent_at"`
}

// PeerGroup is a moderated peer group of a cohort or a topic.
type PeerGroup struct {
	ID           string    `json:"id" db:"id"`
	Name         string    `json:"name" db:"name"`
	CohortID     string    `json:"cohort_id,omitempty" db:"cohort_id"`
	Topic        string    `json:"topic,omitempty" db:"topic"`
	TherapistIDs []string  `json:"therapist_ids" db:"therapist_ids,json"`
	CreatedAt    time.Time `json:"created_at" db:"created_at"`
}

// GroupCode is a single-use join code; only its hash is stored.
type GroupCode struct {
	ID        string     `json:"id" db:"id"`
	GroupID   string     `json:"group_id" db:"group_id"`
	Hash      string     `json:"hash" db:"hash"`
	CreatedBy string     `json:"created_by" db:"created_by"`
	CreatedAt time.Time  `json:"created_at" db:"created_at"`
	UsedAt    *time.Time `json:"used_at,omitempty" db:"used_at"`
	UsedBy    string     `json:"used_by,omitempty" db:"used_by"`
}

// GroupMember is a patient in a peer group under an alias.
type GroupMember struct {
	ID        string     `json:"id" db:"id"`
	GroupID   string     `json:"group_id" db:"group_id"`
	PatientID string     `json:"patient_id" db:"patient_id"`
	Alias     string     `json:"alias" db:"alias"`
	JoinedAt  time.Time  `json:"joined_at" db:"joined_at"`
	LeftAt    *time.Time `json:"left_at,omitempty" db:"left_at"`
}

// GroupPost is a patient's post to a peer group.
type GroupPost struct {
	ID           string     `json:"id" db:"id"`
	GroupID      string     `json:"group_id" db:"group_id"`
	MemberID     string     `json:"member_id" db:"member_id"`
	PatientID    string     `json:"patient_id" db:"patient_id"`
	EnrollmentID string     `json:"enrollment_id,omitempty" db:"enrollment_id"`
	Body         string     `json:"body" db:"body"`
	PostedAt     time.Time  `json:"posted_at" db:"posted_at"`
	Status       string     `json:"status" db:"status"`
	Reason       string     `json:"reason,omitempty" db:"reason"`
	DecidedBy    string     `json:"decided_by,omitempty" db:"decided_by"`
	DecidedAt    *time.Time `json:"decided_at,omitempty" db:"decided_at"`
	Version      int64      `json:"version" db:"version"`
}

// PostDecision records one moderation decision. Append-only.
type PostDecision struct {
	ID          string    `json:"id" db:"id"`
	PostID      string    `json:"post_id" db:"post_id"`
	TherapistID string    `json:"therapist_id" db:"therapist_id"`
	Action      string    `json:"action" db:"action"`
	Reason      string    `json:"reason,omitempty" db:"reason"`
	DecidedAt   time.Time `json:"decided_at" db:"decided_at"`
}

var groupTables = struct {
	cohort, cohortMember, groupMessage, peerGroup, code, member, post, decision *table
}{
	cohort:       newTable("cohorts", Cohort{}),
	cohortMember: newTable("cohort_members", CohortMember{}),
	groupMessage: newTable("group_messages", GroupMessage{}),
	peerGroup:    newTable("peer_groups", PeerGroup{}),
	code:         newTable("group_codes", GroupCode{}),
	member:       newTable("group_members", GroupMember{}),
	post:         newTable("group_posts", GroupPost{}),
	decision:     newTable("post_decisions", PostDecision{}),
}

// CleanPost makes a patient's post text safe to store and show: terminal
// escape sequences and other control characters are removed (new lines and
// tabs stay), surrounding space is trimmed. CheckPost then refuses what is
// left if it is empty or too long.
func CleanPost(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0x1b { // ESC: drop the whole sequence (CSI ... final byte, OSC ... BEL/ST)
			i += n
			if i < len(s) && (s[i] == '[' || s[i] == ']') {
				osc := s[i] == ']'
				i++
				for i < len(s) {
					c := s[i]
					i++
					if osc && (c == 0x07 || (c == 0x1b && i < len(s) && s[i] == '\\')) {
						if c == 0x1b {
							i++
						}
						break
					}
					if !osc && c >= 0x40 && c <= 0x7e {
						break
					}
				}
			}
			continue
		}
		if r == '\r' {
			i += n
			continue
		}
		if r != '\n' && r != '\t' && programs.IsControl(r) {
			i += n
			continue
		}
		b.WriteRune(r)
		i += n
	}
	return strings.TrimSpace(b.String())
}

// checkPost refuses an empty, too long or unclean post body.
func checkPost(rec, field, s string) error {
	visible := strings.IndexFunc(s, func(c rune) bool {
		invisible := c == 0xad || (c >= 0x200b && c <= 0x200f) || (c >= 0x2060 && c <= 0x2064) || c == 0xfeff
		return !programs.IsControl(c) && !invisible && strings.TrimSpace(string(c)) != ""
	})
	if visible < 0 {
		return invalid(rec, field, "store.err.has_no_visible_text")
	}
	if !utf8.ValidString(s) {
		return invalid(rec, field, "store.err.not_utf8")
	}
	if n := utf8.RuneCountInString(s); n > MaxPost {
		return invalid(rec, field, "store.err.characters_long_post_has", "N", n, "MaxPost", MaxPost)
	}
	for _, c := range s {
		if c != '\n' && c != '\t' && programs.IsControl(c) {
			return invalid(rec, field, "store.err.contains_control_character_u", "C", fmt.Sprintf("%04X", c))
		}
	}
	return nil
}

// checkAlias refuses an alias that is empty, too long, unclean, or that
// names the patient (their display name, first name or pseudonym).
func checkAlias(p *Patient, alias string) error {
	const r = "group_member"
	if err := need(r, "alias", alias); err != nil {
		return err
	}
	if utf8.RuneCountInString(alias) > maxAlias {
		return invalid(r, "alias", "store.err.longer_than_characters", "Max", maxAlias)
	}
	if alias != strings.TrimSpace(alias) {
		return invalid(r, "alias", "store.err.starts_ends_space")
	}
	if err := checkPlain(r, "alias", alias); err != nil {
		return err
	}
	a := strings.ToLower(alias)
	for _, name := range personNames(p) {
		if strings.Contains(a, strings.ToLower(name)) {
			return invalid(r, "alias", "store.err.names_you_choose_alias")
		}
	}
	return nil
}

// personNames: the names a patient could be recognised by (display name,
// each part of it of 2+ letters, pseudonym).
func personNames(p *Patient) []string {
	out := []string{}
	for _, n := range []string{p.DisplayName, p.Pseudonym} {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	for _, part := range strings.Fields(p.DisplayName) {
		if utf8.RuneCountInString(part) >= 2 {
			out = append(out, part)
		}
	}
	return out
}

// NamedMembers returns the members of a cohort whose display name, first
// name or pseudonym appears in text (whole words, any case): a group
// message must not name anyone.
func (db *DB) NamedMembers(ctx context.Context, cohortID, text string) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT p.pseudonym, p.display_name FROM cohort_members m JOIN patients p ON p.id = m.patient_id
		WHERE m.cohort_id = ? AND m.left_at IS NULL ORDER BY p.pseudonym`, cohortID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	words := map[string]bool{}
	low := strings.ToLower(text)
	for _, w := range strings.FieldsFunc(low, func(r rune) bool { return !isNameRune(r) }) {
		words[w] = true
	}
	var out []string
	for rows.Next() {
		var p Patient
		if err := rows.Scan(&p.Pseudonym, &p.DisplayName); err != nil {
			return nil, err
		}
		for _, n := range personNames(&p) {
			n = strings.ToLower(n)
			if words[n] || (strings.ContainsFunc(n, func(r rune) bool { return !isNameRune(r) }) && strings.Contains(low, n)) {
				out = append(out, p.Pseudonym)
				break
			}
		}
	}
	return out, rows.Err()
}

func isNameRune(r rune) bool {
	return r == '-' || r == '\'' || r == '_' || (r >= '0' && r <= '9') || ('a' <= r && r <= 'z') || r > 0x7f && !strings.ContainsRune("\u00a0\u2019\u201c\u201d", r)
}

// CohortSummary is one line of the cohort list.
type CohortSummary struct {
	Cohort
	Members int `json:"members"`
	Week    int `json:"week"` // the cohort's current week, 1-based (0: not started)
}

// CohortWeek is the week a cohort (or anyone who started on start) is in
// on day: 1 in the first seven days, 0 before the start.
func CohortWeek(start string, day time.Time) int {
	s, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return 0
	}
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	if d.Before(s) {
		return 0
	}
	return int(d.Sub(s).Hours()/24)/7 + 1
}

// Cohorts lists the cohorts. It reads no patient content, so every staff
// role may list them.
func (db *DB) Cohorts(ctx context.Context, actor Actor) ([]CohortSummary, error) {
	list, err := selectAll[Cohort](ctx, db.r, groupTables.cohort, "ORDER BY start_date, name")
	if err != nil {
		return nil, err
	}
	out := make([]CohortSummary, 0, len(list))
	today := db.Now()
	for _, c := range list {
		var n int
		if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM cohort_members WHERE cohort_id = ? AND left_at IS NULL", c.ID).Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, CohortSummary{Cohort: c, Members: n, Week: CohortWeek(c.StartDate, today)})
	}
	return out, nil
}

// FindCohort finds a cohort by id or name.
func (db *DB) FindCohort(ctx context.Context, idOrName string) (Cohort, error) {
	return selectOne[Cohort](ctx, db.r, groupTables.cohort, "cohort", idOrName, "WHERE id = ? OR name = ?", idOrName, idOrName)
}

// FindPeerGroup finds a peer group by id or name.
func (db *DB) FindPeerGroup(ctx context.Context, idOrName string) (PeerGroup, error) {
	return selectOne[PeerGroup](ctx, db.r, groupTables.peerGroup, "peer group", idOrName, "WHERE id = ? OR name = ?", idOrName, idOrName)
}

// canSeeGroup: the group's therapists, and supervisors of their team, read a
// cohort's or a group's patient content; admin accounts do not.
func (db *DB) canSeeGroup(ctx context.Context, actor Actor, therapistIDs []string, what i18n.Message) error {
	switch {
	case !actor.IsPerson(), actor.Role == RoleAdmin && !actor.isAdminAccount():
		return nil
	case actor.isAdminAccount():
		return forbidden("store.err.admin_reads_no_content", "Handle", actor.Handle)
	case actor.Role == RoleTherapist && slices.Contains(therapistIDs, actor.ID):
		return nil
	case actor.Role == RoleSupervisor && actor.Team != "":
		for _, id := range therapistIDs {
			var team string
			if err := db.r.QueryRowContext(ctx, "SELECT team FROM therapists WHERE id = ?", id).Scan(&team); err == nil && team == actor.Team {
				return nil
			}
		}
	}
	return forbidden("store.err.not_therapist_of", "Handle", actor.Handle, "What", what)
}

// CohortMemberView is one member in the cohort view.
type CohortMemberView struct {
	PatientID    string     `json:"patient_id"`
	Pseudonym    string     `json:"pseudonym"`
	DisplayName  string     `json:"display_name"`
	EnrollmentID string     `json:"enrollment_id"`
	Status       string     `json:"status"`
	LeftAt       *time.Time `json:"left_at,omitempty"`
	DoneThisWeek bool       `json:"done_this_week"` // submitted an exercise of this week's module
}

// WeekScore is the cohort's scores on one instrument in one week.
type WeekScore struct {
	Week       int     `json:"week"`
	N          int     `json:"n"`
	Median     float64 `json:"median"`
	Q1         float64 `json:"q1"` // spread: lower and upper quartile
	Q3         float64 `json:"q3"`
	Min        int     `json:"min"`
	Max        int     `json:"max"`
	BaseMedian float64 `json:"-"`
}

// InstrumentScores is a cohort's weekly scores on one instrument, with the
// reliable-change band around the first week's median (0 if the
// instrument defines no reliable change).
type InstrumentScores struct {
	Instrument string      `json:"instrument"`
	RCI        int         `json:"reliable_change"`
	BandLow    float64     `json:"band_low"`
	BandHigh   float64     `json:"band_high"`
	Weeks      []WeekScore `json:"weeks"`
}

// CohortView is what the workbench's cohort page shows.
type CohortView struct {
	Cohort     Cohort             `json:"cohort"`
	Week       int                `json:"week"`
	ModuleID   string             `json:"module_id,omitempty"` // this week's module
	Therapists []string           `json:"therapists"`          // handles
	Members    []CohortMemberView `json:"members"`
	Scores     []InstrumentScores `json:"scores"`
	Messages   []GroupMessage     `json:"messages"`
	Groups     []PeerGroup        `json:"groups"`
}

// CohortDetail reads a cohort for its therapists (or their supervisors);
// each member's record read is audited.
func (db *DB) CohortDetail(ctx context.Context, actor Actor, idOrName string) (*CohortView, error) {
	c, err := db.FindCohort(ctx, idOrName)
	if err != nil {
		return nil, err
	}
	if err := db.canSeeGroup(ctx, actor, c.TherapistIDs, i18n.Msg("store.err.what.cohort", "Name", c.Name)); err != nil {
		return nil, err
	}
	v := &CohortView{Cohort: c, Week: CohortWeek(c.StartDate, db.Now()), Members: []CohortMemberView{}, Scores: []InstrumentScores{},
		Messages: []GroupMessage{}, Groups: []PeerGroup{}}
	for _, id := range c.TherapistIDs {
		var h string
		if err := db.r.QueryRowContext(ctx, "SELECT handle FROM therapists WHERE id = ?", id).Scan(&h); err == nil {
			v.Therapists = append(v.Therapists, h)
		}
	}
	prog, err := db.ProgramDef(ctx, c.ProgramVersionID)
	if err != nil {
		return nil, err
	}
	v.ModuleID = weekModule(prog, v.Week)
	rows, err := db.r.QueryContext(ctx, `SELECT m.patient_id, p.pseudonym, p.display_name, m.enrollment_id, e.status, m.left_at,
		EXISTS (SELECT 1 FROM submissions s WHERE s.enrollment_id = m.enrollment_id AND s.module_id = ?)
		FROM cohort_members m JOIN patients p ON p.id = m.patient_id JOIN enrollments e ON e.id = m.enrollment_id
		WHERE m.cohort_id = ? ORDER BY m.left_at IS NOT NULL, p.pseudonym`, v.ModuleID, c.ID)
	if err != nil {
		return nil, err
	}
	var enrollments []string
	for rows.Next() {
		var m CohortMemberView
		var left sql.NullString
		if err := rows.Scan(&m.PatientID, &m.Pseudonym, &m.DisplayName, &m.EnrollmentID, &m.Status, &left, &m.DoneThisWeek); err != nil {
			rows.Close()
			return nil, err
		}
		if left.Valid {
			t, _ := parseTime(left.String)
			m.LeftAt = &t
		}
		v.Members = append(v.Members, m)
		enrollments = append(enrollments, m.EnrollmentID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if v.Scores, err = db.cohortScores(ctx, enrollments); err != nil {
		return nil, err
	}
	if v.Messages, err = selectAll[GroupMessage](ctx, db.r, groupTables.groupMessage, "WHERE cohort_id = ? ORDER BY sent_at, id", c.ID); err != nil {
		return nil, err
	}
	if v.Groups, err = selectAll[PeerGroup](ctx, db.r, groupTables.peerGroup, "WHERE cohort_id = ? ORDER BY name", c.ID); err != nil {
		return nil, err
	}
	for _, m := range v.Members {
		if err := db.RecordAccess(ctx, actor, m.PatientID, "read", "cohort "+c.Name); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// cohortScores: per instrument and week, the median and quartiles of the
// members' totals (a member's last answer of the week counts).
func (db *DB) cohortScores(ctx context.Context, enrollments []string) ([]InstrumentScores, error) {
	out := []InstrumentScores{}
	if len(enrollments) == 0 {
		return out, nil
	}
	args := make([]any, len(enrollments))
	for i, e := range enrollments {
		args[i] = e
	}
	rows, err := db.r.QueryContext(ctx, `SELECT enrollment_id, instrument_id, instrument_version, week, total FROM measure_responses
		WHERE enrollment_id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY instrument_id, week, answered_at`, args...)
	if err != nil {
		return nil, err
	}
	type key struct {
		inst string
		week int
	}
	last := map[key]map[string]int{}
	versions := map[string]int{}
	var insts []string
	for rows.Next() {
		var eid, inst string
		var ver, week, total int
		if err := rows.Scan(&eid, &inst, &ver, &week, &total); err != nil {
			rows.Close()
			return nil, err
		}
		k := key{inst, week}
		if last[k] == nil {
			last[k] = map[string]int{}
		}
		last[k][eid] = total
		if _, seen := versions[inst]; !seen {
			insts = append(insts, inst)
		}
		versions[inst] = ver
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, inst := range insts {
		s := InstrumentScores{Instrument: inst, Weeks: []WeekScore{}}
		if in, err := db.InstrumentDef(ctx, inst, versions[inst]); err == nil {
			if pts, ok := in.ReliableChangePoints(); ok {
				s.RCI = pts
			}
		}
		var weeks []int
		for k := range last {
			if k.inst == inst {
				weeks = append(weeks, k.week)
			}
		}
		sort.Ints(weeks)
		for _, w := range weeks {
			var totals []int
			for _, t := range last[key{inst, w}] {
				totals = append(totals, t)
			}
			s.Weeks = append(s.Weeks, weekScore(w, totals))
		}
		if len(s.Weeks) > 0 && s.RCI > 0 {
			s.BandLow, s.BandHigh = s.Weeks[0].Median-float64(s.RCI), s.Weeks[0].Median+float64(s.RCI)
		}
		out = append(out, s)
	}
	return out, nil
}

func weekScore(week int, totals []int) WeekScore {
	sort.Ints(totals)
	q := func(p float64) float64 {
		pos := p * float64(len(totals)-1)
		lo := int(pos)
		if lo+1 >= len(totals) {
			return float64(totals[lo])
		}
		return float64(totals[lo]) + (pos-float64(lo))*float64(totals[lo+1]-totals[lo])
	}
	return WeekScore{Week: week, N: len(totals), Median: q(0.5), Q1: q(0.25), Q3: q(0.75), Min: totals[0], Max: totals[len(totals)-1]}
}

// PeerGroupSummary is one line of the group list.
type PeerGroupSummary struct {
	PeerGroup
	Members int `json:"members"`
	Pending int `json:"pending"`
}

// PeerGroups lists the peer groups with their member and pending counts.
func (db *DB) PeerGroups(ctx context.Context, actor Actor) ([]PeerGroupSummary, error) {
	list, err := selectAll[PeerGroup](ctx, db.r, groupTables.peerGroup, "ORDER BY name")
	if err != nil {
		return nil, err
	}
	out := make([]PeerGroupSummary, 0, len(list))
	for _, g := range list {
		s := PeerGroupSummary{PeerGroup: g}
		if err := db.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND left_at IS NULL),
			(SELECT COUNT(*) FROM group_posts WHERE group_id = ?1 AND status = 'pending')`, g.ID).Scan(&s.Members, &s.Pending); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// QueuedPost is a post as a moderator sees it. On a moderator's replica a
// post of another therapist's patient names no patient: no pseudonym
// either (docs/groups.md, "On a replica").
type QueuedPost struct {
	GroupPost
	GroupName string `json:"group_name"`
	Alias     string `json:"alias"`
	Pseudonym string `json:"pseudonym"`
}

// ModerationQueue lists the posts waiting for the actor's moderation
// (pending, oldest first) in the groups they moderate; with all, every
// post of those groups, newest first (to hide one later).
func (db *DB) ModerationQueue(ctx context.Context, actor Actor, all bool) ([]QueuedPost, error) {
	groups, err := selectAll[PeerGroup](ctx, db.r, groupTables.peerGroup, "ORDER BY name")
	if err != nil {
		return nil, err
	}
	var ids []any
	names := map[string]string{}
	for _, g := range groups {
		if db.canSeeGroup(ctx, actor, g.TherapistIDs, i18n.Msg("store.err.what.a_group")) == nil {
			ids = append(ids, g.ID)
			names[g.ID] = g.Name
		}
	}
	out := []QueuedPost{}
	if len(ids) == 0 {
		if actor.isAdminAccount() {
			return nil, forbidden("store.err.admin_reads_no_content", "Handle", actor.Handle)
		}
		return out, nil
	}
	where := "p.status = 'pending' AND p.group_id IN (?" + strings.Repeat(", ?", len(ids)-1) + ") ORDER BY p.posted_at, p.id"
	if all {
		where = "p.group_id IN (?" + strings.Repeat(", ?", len(ids)-1) + ") ORDER BY p.posted_at DESC, p.id DESC LIMIT 1000"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+prefixed("p.", groupTables.post.colList)+`, m.alias, m.left_at IS NOT NULL, COALESCE(pt.pseudonym, '')
		FROM group_posts p JOIN group_members m ON m.id = p.member_id LEFT JOIN patients pt ON pt.id = p.patient_id WHERE `+where, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var q QueuedPost
		var left bool
		if err := scanPost(rows, &q.GroupPost, &q.Alias, &left, &q.Pseudonym); err != nil {
			return nil, err
		}
		if left {
			q.Alias = FormerMember
		}
		q.GroupName = names[q.GroupID]
		out = append(out, q)
	}
	return out, rows.Err()
}

// QueuePlan returns SQLite's plan of the moderation queue's query (for a
// benchmark and a test that it uses the index).
func (db *DB) QueuePlan(ctx context.Context) (string, error) {
	rows, err := db.r.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT `+prefixed("p.", groupTables.post.colList)+`, m.alias, m.left_at IS NOT NULL, COALESCE(pt.pseudonym, '')
		FROM group_posts p JOIN group_members m ON m.id = p.member_id LEFT JOIN patients pt ON pt.id = p.patient_id
		WHERE p.status = 'pending' AND p.group_id IN (?) ORDER BY p.posted_at, p.id`, "x")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		b.WriteString(detail + "\n")
	}
	return b.String(), rows.Err()
}

func prefixed(p, colList string) string {
	cols := strings.Split(colList, ", ")
	for i := range cols {
		cols[i] = p + cols[i]
	}
	return strings.Join(cols, ", ")
}

// scanPost scans the post's columns and then extra.
func scanPost(rows *sql.Rows, p *GroupPost, extra ...any) error {
	n := len(groupTables.post.cols)
	raw := make([]any, n)
	ptrs := make([]any, 0, n+len(extra))
	for i := range raw {
		ptrs = append(ptrs, &raw[i])
	}
	ptrs = append(ptrs, extra...)
	if err := rows.Scan(ptrs...); err != nil {
		return err
	}
	v := reflect.ValueOf(p).Elem()
	for i, c := range groupTables.post.cols {
		if err := setField(v.Field(c.index), raw[i], c.json); err != nil {
			return err
		}
	}
	return nil
}

// PortalPost is a post as a group member sees it through the portal.
type PortalPost struct {
	ID       string    `json:"id"`
	Author   string    `json:"author"` // the alias, or "a former member"
	Body     string    `json:"body"`
	PostedAt time.Time `json:"posted_at"`
	Own      bool      `json:"own,omitempty"`
	Status   string    `json:"status,omitempty"` // own posts only
	Reason   string    `json:"reason,omitempty"` // own rejected posts only
}

// PortalGroup is a group as a member sees it.
type PortalGroup struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	Topic string       `json:"topic,omitempty"`
	Alias string       `json:"alias"`
	Posts []PortalPost `json:"posts"`
}

// GroupsOfPatient lists the peer groups a patient is a member of, with the
// approved posts (and the patient's own posts with their status; a
// rejected one with its reason; held posts show as pending to their
// poster, so that a risk phrase is not announced back).
func (db *DB) GroupsOfPatient(ctx context.Context, patientID string) ([]PortalGroup, error) {
	members, err := selectAll[GroupMember](ctx, db.r, groupTables.member, "WHERE patient_id = ? AND left_at IS NULL ORDER BY joined_at", patientID)
	if err != nil {
		return nil, err
	}
	out := []PortalGroup{}
	for _, m := range members {
		g, err := selectOne[PeerGroup](ctx, db.r, groupTables.peerGroup, "peer group", m.GroupID, "WHERE id = ?", m.GroupID)
		if err != nil {
			return nil, err
		}
		pg := PortalGroup{ID: g.ID, Name: g.Name, Topic: g.Topic, Alias: m.Alias, Posts: []PortalPost{}}
		rows, err := db.r.QueryContext(ctx, `SELECT p.id, p.body, p.posted_at, p.status, p.reason, p.patient_id, gm.alias, gm.left_at IS NOT NULL
			FROM group_posts p JOIN group_members gm ON gm.id = p.member_id
			WHERE p.group_id = ? AND (p.status = 'approved' OR p.patient_id = ?) ORDER BY p.posted_at, p.id`, g.ID, patientID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var pp PortalPost
			var at, pid string
			var left bool
			if err := rows.Scan(&pp.ID, &pp.Body, &at, &pp.Status, &pp.Reason, &pid, &pp.Author, &left); err != nil {
				rows.Close()
				return nil, err
			}
			pp.PostedAt, _ = parseTime(at)
			pp.Own = pid == patientID
			if left {
				pp.Author = FormerMember
			}
			if !pp.Own {
				pp.Status, pp.Reason = "", ""
			} else if pp.Status == PostHeld {
				pp.Status = PostPending
			}
			if pp.Status != PostRejected {
				pp.Reason = ""
			}
			pg.Posts = append(pg.Posts, pp)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out = append(out, pg)
	}
	return out, nil
}

// GroupMessagesOf lists the group messages of the cohorts a patient is in
// (sent while they were a member).
func (db *DB) GroupMessagesOf(ctx context.Context, patientID string) ([]GroupMessage, error) {
	return groupMessagesOf(ctx, db.r, patientID)
}

// loadGroupRecord adds the group messages and posts to a patient's record.
func loadGroupRecord(ctx context.Context, q querier, r *PatientRecord, patientID string) (err error) {
	if r.GroupMessages, err = groupMessagesOf(ctx, q, patientID); err != nil {
		return err
	}
	r.GroupPosts, err = selectAll[GroupPost](ctx, q, groupTables.post, "WHERE patient_id = ? ORDER BY posted_at", patientID)
	return err
}

func groupMessagesOf(ctx context.Context, q querier, patientID string) ([]GroupMessage, error) {
	return selectAll[GroupMessage](ctx, q, groupTables.groupMessage, `WHERE cohort_id IN
		(SELECT cohort_id FROM cohort_members WHERE patient_id = ?1)
		AND sent_at >= (SELECT MIN(joined_at) FROM cohort_members WHERE patient_id = ?1 AND cohort_id = group_messages.cohort_id)
		AND sent_at <= COALESCE((SELECT left_at FROM cohort_members WHERE patient_id = ?1 AND cohort_id = group_messages.cohort_id), '9999')
		ORDER BY sent_at, id`, patientID)
}

// cohortOfTx and groupOfTx read inside a write.
func (t *tx) cohort(id string) (*Cohort, error) {
	var c Cohort
	return &c, txRefs{t}.get(groupTables.cohort, "cohort", id, &c)
}

func (t *tx) peerGroup(id string) (*PeerGroup, error) {
	var g PeerGroup
	return &g, txRefs{t}.get(groupTables.peerGroup, "peer group", id, &g)
}

// moderates: a therapist moderates and messages only their own groups;
// the system (demo, simulation) and the store's owner at the CLI may;
// supervisors read, they do not moderate; admin accounts neither.
func (t *tx) moderates(therapistIDs []string, what i18n.Message) error {
	if !t.actor.IsPerson() || t.actor.Role == RoleAdmin && !t.actor.isAdminAccount() {
		return nil // the system, or the store's owner at the CLI
	}
	if t.actor.Role == RoleTherapist && slices.Contains(therapistIDs, t.actor.ID) {
		return nil
	}
	return forbidden("store.err.not_therapist_of", "Handle", t.actor.Handle, "What", what)
}

// weekModule is the module of a program week: the one that names the
// week, else the week's place in the list.
func weekModule(p *programs.Program, week int) string {
	for _, m := range p.Modules {
		if m.Week == week {
			return m.ID
		}
	}
	if week >= 1 && week <= len(p.Modules) {
		return p.Modules[week-1].ID
	}
	return ""
}

// postSource reads the patient, enrollment and time of a held post, the
// source of a risk flag being acknowledged.
func postSource(rf refs, id string) (patient, enrollment string, at time.Time, err error) {
	tr, ok := rf.(txRefs)
	if !ok {
		return "", "", at, notFound("group post", id)
	}
	var p GroupPost
	if err := tr.get(groupTables.post, "group post", id, &p); err != nil {
		return "", "", at, err
	}
	if p.Status != PostHeld {
		return "", "", at, invalid("risk_ack", "source_id", "store.err.post_held_risk_phrase", "Id", id, "Status", statusArg(p.Status))
	}
	return p.PatientID, p.EnrollmentID, p.PostedAt, nil
}
