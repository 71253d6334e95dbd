package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"polku/store"
	"polku/store/api"
)

// visibility is what one actor may pull: global records, the patients
// assigned to them (a therapist) or to their team (a supervisor), and their
// own drafts.
type visibility struct {
	actor    store.Actor
	patients map[string]bool
	// intake: patients with an open referral in the actor's intake queue
	// (supervisors and intake workers). Of them the actor receives the
	// patient, the referrals and the assessments, not the rest of a record.
	intake map[string]bool
	// cohorts the actor runs and peer groups they moderate (a
	// supervisor: the team's therapists); posts holds the posts that the
	// moderation decisions of a page are about.
	cohorts, groups map[string]bool
	posts           map[string]*store.GroupPost
}

// intakeTypes are the record types an intake worker receives of a patient
// known to them only through an open referral.
var intakeTypes = map[string]bool{"patient": true, "referral": true, "assessment": true}

// sees says whether the actor receives records of type typ of a patient.
func (v *visibility) sees(patientID, typ string) bool {
	return v.patients[patientID] || (v.intake[patientID] && intakeTypes[typ])
}

func (s *Server) visibility(ctx context.Context, tx *sql.Tx, actor store.Actor) (*visibility, error) {
	v := &visibility{actor: actor, patients: map[string]bool{}, intake: map[string]bool{},
		cohorts: map[string]bool{}, groups: map[string]bool{}, posts: map[string]*store.GroupPost{}}
	q := visibilityQuery(actor.Role)
	if q == "" {
		return v, nil // admins read no patients
	}
	rows, err := tx.QueryContext(ctx, q, actor.ID, actor.Team)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sets := [...]map[string]bool{seesPatient: v.patients, seesIntake: v.intake, seesCohort: v.cohorts, seesGroup: v.groups}
	for rows.Next() {
		var kind int
		var id string
		if err := rows.Scan(&kind, &id); err != nil {
			return nil, err
		}
		if kind < 0 || kind >= len(sets) {
			return nil, fmt.Errorf("visibility: row of kind %d", kind)
		}
		sets[kind][id] = true
	}
	return v, rows.Err()
}

// The kinds of row of visibilityQuery.
const (
	seesPatient = iota // a patient assigned to the actor (or the team)
	seesIntake         // a patient of an open referral in the actor's intake queue
	seesCohort         // a cohort the actor runs
	seesGroup          // a peer group the actor moderates
)

// visibilityQuery is the one read (one round trip on a cluster) that says
// what an actor of role sees, a row (kind, id) each: the patients assigned
// to a therapist or to a supervisor's team; the patients of the open
// referrals of the team and of no team, for a supervisor and for a
// therapist who takes intake; the cohorts they run and the peer groups
// they moderate (a supervisor: those of the team's therapists; both
// tables are small, a scan each). ?1 is the actor's id, ?2 their team;
// "" for a role that sees no patients. TestVisibilityQueryPlans checks
// that every part reads through its index.
func visibilityQuery(role string) string {
	var patients, intake, who string
	switch role {
	case store.RoleTherapist:
		patients = "SELECT DISTINCT 0, patient_id FROM enrollments WHERE therapist_id = ?1"
		// The therapist's row first (one look-up): the referrals are read
		// only for a therapist who takes intake.
		intake = `SELECT DISTINCT 1, r.patient_id FROM therapists h JOIN referrals r
			WHERE h.id = ?1 AND h.intake AND r.status IN ('received', 'accepted') AND r.team IN (?2, '')`
		who = "value = ?1"
	case store.RoleSupervisor:
		patients = `SELECT DISTINCT 0, e.patient_id FROM enrollments e JOIN therapists t ON t.id = e.therapist_id
			WHERE t.team = ?2 AND t.team <> ''`
		intake = `SELECT DISTINCT 1, patient_id FROM referrals WHERE status IN ('received', 'accepted') AND team IN (?2, '')`
		who = "value IN (SELECT id FROM therapists WHERE team = ?2 AND team <> '')"
	default:
		return ""
	}
	return patients + "\nUNION ALL " + intake +
		"\nUNION ALL SELECT 2, id FROM cohorts WHERE EXISTS (SELECT 1 FROM json_each(therapist_ids) WHERE " + who + ")" +
		"\nUNION ALL SELECT 3, id FROM peer_groups WHERE EXISTS (SELECT 1 FROM json_each(therapist_ids) WHERE " + who + ")"
}

// canSee says whether the actor may receive a record.
func (v *visibility) canSee(rec any) bool {
	switch r := rec.(type) {
	case *store.Cohort:
		return v.cohorts[r.ID]
	case *store.CohortMember:
		return v.cohorts[r.CohortID] && v.patients[r.PatientID]
	case *store.GroupMessage:
		return v.cohorts[r.CohortID]
	case *store.PeerGroup:
		return v.groups[r.ID]
	case *store.GroupMember, *store.GroupPost, *store.PostDecision:
		// As it is: a moderator may receive another therapist's patient's
		// member or post only as outgoing blanks it, never this record.
		out, ok := v.outgoing(rec)
		return ok && out == rec
	}
	typ, _, patientID := store.RecordRef(rec)
	if d, ok := rec.(*store.Draft); ok && d.TherapistID != v.actor.ID {
		return false
	}
	if typ == "audit" {
		return false
	}
	if patientID == "" {
		return true
	}
	return v.sees(patientID, typ)
}

// decisionPosts loads the posts the moderation decisions among recs are
// about, for canSee.
func (s *Server) decisionPosts(ctx context.Context, tx *sql.Tx, v *visibility, recs []any) error {
	var ids []string
	for _, rec := range recs {
		if d, ok := rec.(*store.PostDecision); ok && v.posts[d.PostID] == nil {
			ids = append(ids, d.PostID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	posts, err := s.db.LoadRecords(ctx, tx, "group_post", ids)
	if err != nil {
		return err
	}
	for _, p := range posts {
		p := p.(*store.GroupPost)
		v.posts[p.ID] = p
	}
	return nil
}

// wasVisible says whether the actor could see a patient at change seq:
// whether any of the patient's enrollments was then assigned to the actor
// (or to the actor's team).
func (s *Server) wasVisible(ctx context.Context, tx *sql.Tx, actor store.Actor, patientID string, seq int64) (bool, error) {
	who := "a.therapist_id = ?3"
	arg := actor.ID
	if actor.Role == store.RoleSupervisor {
		who = "a.therapist_id IN (SELECT id FROM therapists WHERE team = ?3 AND team <> '')"
		arg = actor.Team
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM assignments a WHERE a.patient_id = ?1 AND a.seq <= ?2
		AND a.seq = (SELECT MAX(b.seq) FROM assignments b WHERE b.enrollment_id = a.enrollment_id AND b.seq <= ?2)
		AND `+who+` LIMIT 1`, patientID, seq, arg).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

func itemOf(seq int64, rec any) (api.Item, error) {
	typ, id, patientID := store.RecordRef(rec)
	b, err := json.Marshal(rec)
	if err != nil {
		return api.Item{}, err
	}
	return api.Item{Seq: seq, Type: typ, ID: id, PatientID: patientID, Record: b}, nil
}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request, p *principal) error {
	if p.kind != kindTherapist {
		return forbiddenm("store.err.api.patient_reads")
	}
	q := r.URL.Query()
	for k, v := range q {
		if k != "since" && k != "limit" && k != "check" {
			return badRequestm("store.err.api.unknown_param_pull", "Name", strconv.Quote(k))
		}
		if len(v) > 1 {
			return badRequestm("store.err.api.param_twice", "Name", strconv.Quote(k), "N", len(v))
		}
	}
	since, err := parseCursor(q.Get("since"))
	if err != nil {
		return badRequestm("store.err.api.since_pull", "Value", strconv.Quote(q.Get("since")))
	}
	check := q.Get("check")
	if len(check) > 64 {
		return badRequestm("store.err.api.check", "Value", strconv.Quote(check))
	}
	limit := s.cfg.PageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > s.cfg.MaxPageSize {
			return badRequestm("store.err.api.limit_pull", "Value", strconv.Quote(v), "Max", s.cfg.MaxPageSize)
		}
		limit = min(n, s.cfg.PageSize)
	}
	resp, patients, err := s.pull(r.Context(), p.actor, since, check, limit)
	if err != nil {
		return err
	}
	// The audit comes before the data leaves: one row per patient pulled.
	if err := s.db.RecordAccessMany(r.Context(), p.actor, patients, "sync-pull", "records pulled to a replica"); err != nil {
		return err
	}
	rl := logOf(r.Context())
	rl.add("since", since.seq)
	rl.add("items", len(resp.Items))
	rl.add("patients", len(patients))
	s.metrics.pulls.Inc()
	s.metrics.pulled.Add(float64(len(resp.Items)))
	writePull(w, resp)
	return nil
}

// cursor is a position in the change log: every change up to seq has been
// pulled. When a newly assigned patient's older records did not fit in one
// page, resume says how far they got: the next page takes the records of
// that patient after (typ, id), in the order of backfillList, before going
// on with the change at seq+1 (which assigned the patient).
//
// A first pull walks instead: walk says where. The horizon seq is the head
// of the change log when the walk began: the walk sends the current rows
// of the patients the actor could see both then and now, and the pull goes
// on from seq through the change log as after any page (the records
// written during the walk, the patients assigned during it).
type cursor struct {
	seq    int64
	resume *resume
	walk   *walkPos
}

// walkPos is the last record a walk sent: its type, patient ("" for
// global records) and id; typ "" before the first one.
type walkPos struct {
	typ, patientID, id string
}

// walkMark is a walk cursor's second part: "SEQ~w~TYPE~PATIENT~ID".
const walkMark = "w"

// cursorPart escapes "~" (and the escape) in an id put in a cursor.
var cursorPart = strings.NewReplacer("%", "%25", cursorSep, "%7E")

func unescapePart(v string) (string, error) {
	return url.PathUnescape(v)
}

type resume struct {
	patientID, typ, id string
}

// cursorSep separates a cursor's parts: "SEQ" or "SEQ~PATIENT~TYPE~ID".
const cursorSep = "~"

func parseCursor(v string) (cursor, error) {
	if v == "" {
		return cursor{}, nil
	}
	parts := strings.Split(v, cursorSep)
	n, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || n < 0 {
		return cursor{}, errors.New("bad cursor")
	}
	c := cursor{seq: n}
	if len(parts) == 5 && parts[1] == walkMark && n > 0 {
		w := &walkPos{typ: parts[2]}
		var err1, err2 error
		w.patientID, err1 = unescapePart(parts[3])
		w.id, err2 = unescapePart(parts[4])
		if err1 != nil || err2 != nil || (w.typ == "") != (w.id == "") || (w.typ != "" && !slices.Contains(store.WalkTypes(), w.typ) && !store.IsGroupType(w.typ)) {
			return cursor{}, errors.New("bad cursor")
		}
		c.walk = w
		return c, nil
	}
	switch {
	case len(parts) == 4 && n > 0 && parts[1] != "" && parts[2] != "" && parts[3] != "":
		c.resume = &resume{patientID: parts[1], typ: parts[2], id: parts[3]}
	case len(parts) != 1:
		return cursor{}, errors.New("bad cursor")
	}
	return c, nil
}

func (c cursor) String() string {
	s := strconv.FormatInt(c.seq, 10)
	if r := c.resume; r != nil {
		s += cursorSep + r.patientID + cursorSep + r.typ + cursorSep + r.id
	}
	if w := c.walk; w != nil {
		s += cursorSep + walkMark + cursorSep + w.typ + cursorSep + cursorPart.Replace(w.patientID) + cursorSep + cursorPart.Replace(w.id)
	}
	return s
}

// CheckOf is the check of a change-log row: a short hash of what the row
// says, returned with every pull cursor. A replica sends it back with the
// cursor; when the row at the cursor is gone or says something else (the
// server was restored from an older copy and has written other changes
// since), the pull answers 409 "resync" instead of going on from a position
// that means something else now. It reveals nothing of the row.
func CheckOf(seq int64, at, actorID, entity, entityID, op string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\x00%s", seq, at, actorID, entity, entityID, op)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// checkAt is the check of the change at seq ("" for 0 or a change that is
// not there).
func checkAt(ctx context.Context, tx *sql.Tx, seq int64) (string, error) {
	if seq <= 0 {
		return "", nil
	}
	var at, actorID, entity, entityID, op string
	err := tx.QueryRowContext(ctx, "SELECT at, actor_id, entity, entity_id, op FROM changes WHERE seq = ?", seq).Scan(&at, &actorID, &entity, &entityID, &op)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return CheckOf(seq, at, actorID, entity, entityID, op), nil
}

// knownCheckAt is checkAt, from known when the check at seq is there.
func knownCheckAt(ctx context.Context, tx *sql.Tx, known map[int64]string, seq int64) (string, error) {
	if c, ok := known[seq]; ok && seq > 0 {
		return c, nil
	}
	return checkAt(ctx, tx, seq)
}

// errResync answers a pull whose cursor names a change this server does
// not have.
func errResync(seq int64) error {
	return errm(http.StatusConflict, api.CodeResync, "store.err.api.resync", "Seq", seq)
}

type pick struct {
	seq       int64
	typ, id   string
	patientID string
	actorID   string
}

// maxScan bounds the change-log rows one pull reads, so that a caller who
// may see little of a busy log still gets quick pages.
const maxScan = 50_000

// pull reads one page of changes after since from one snapshot. check, if
// given, must be the check of the change at since.seq. A page carries at
// most limit items, the older records of newly assigned patients included.
func (s *Server) pull(ctx context.Context, actor store.Actor, since cursor, check string, limit int) (*api.PullResponse, []string, error) {
	tx, err := s.db.BeginLogRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	// The statements a walk prepared are kept for the next pages once
	// the transaction has ended (deferred calls run last first).
	kept := s.db.KeepStmts(tx)
	defer kept.Learn(context.WithoutCancel(ctx))
	defer tx.Rollback()
	resp := &api.PullResponse{Epoch: s.epoch, Items: []api.Item{}}
	// The head and the change at the cursor in one read (one round trip
	// on a cluster).
	var at, actorID, entity, entityID, op sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT h.head, c.at, c.actor_id, c.entity, c.entity_id, c.op
		FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM changes) h LEFT JOIN changes c ON c.seq = ?`, since.seq).
		Scan(&resp.Head, &at, &actorID, &entity, &entityID, &op); err != nil {
		return nil, nil, err
	}
	if since.seq > resp.Head {
		return nil, nil, errResync(since.seq) // a cursor this server never gave: it went back in time
	}
	// Checks already known, by seq: each is a read (a round trip on a
	// cluster) that a page would otherwise make again.
	checks := map[int64]string{}
	if since.seq > 0 {
		got := "" // as checkAt: no such change
		if at.Valid {
			got = CheckOf(since.seq, at.String, actorID.String, entity.String, entityID.String, op.String)
		}
		if check != "" && got != check {
			return nil, nil, errResync(since.seq)
		}
		checks[since.seq] = got
	}
	if since.seq == 0 && since.resume == nil && resp.Head > 0 {
		// A first pull: the records the actor may see as they are now,
		// up to the head of the log; the log from there.
		since.walk = &walkPos{}
		since.seq = resp.Head
	}
	resp.Cursor = since.String()
	if resp.Check, err = knownCheckAt(ctx, tx, checks, since.seq); err != nil {
		return nil, nil, err
	}
	if since.walk != nil {
		patients, err := s.walk(ctx, tx, kept, actor, resp, since, limit)
		if err != nil {
			return nil, nil, err
		}
		return resp, patients, nil
	}
	if since.seq >= resp.Head && since.resume == nil {
		return resp, nil, nil
	}
	vis, err := s.visibility(ctx, tx, actor)
	if err != nil {
		return nil, nil, err
	}
	var picks []pick
	type older struct {
		seq int64
		rec any
	}
	var backfill []older
	seenBackfill := map[string]bool{}
	revoked := map[string]bool{}
	next := cursor{seq: since.seq}
	resumeFrom := since.resume
	scanned := 0
	batch := max(2*limit, 500)
	full := func() bool { return len(picks)+len(backfill) >= limit }
	type lastRow struct {
		seq                               int64
		at, actorID, entity, entityID, op string
	}
	var last lastRow
scan:
	for !full() && scanned < maxScan {
		rows, err := tx.QueryContext(ctx, "SELECT seq, entity, entity_id, patient_id, actor_id, at, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", next.seq, batch)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		for rows.Next() {
			var c pick
			var entity, at, op string
			if err := rows.Scan(&c.seq, &entity, &c.id, &c.patientID, &c.actorID, &at, &op); err != nil {
				rows.Close()
				return nil, nil, err
			}
			// The page may end at any row read: the last one's check is
			// made from it (below), not read again.
			last = lastRow{c.seq, at, c.actorID, entity, c.id, op}
			n++
			scanned++
			c.typ = store.EntityType(entity)
			if c.typ == "" {
				next.seq = c.seq
				continue
			}
			if store.IsGroupType(c.typ) {
				// Whether the actor sees it depends on its cohort or
				// group: decided on the record.
				next.seq = c.seq
				picks = append(picks, c)
				if full() {
					rows.Close()
					break scan
				}
				continue
			}
			if c.patientID != "" && !vis.patients[c.patientID] && vis.sees(c.patientID, c.typ) {
				// An intake worker's new referral of a patient stored
				// before the cursor: the patient's row comes with it.
				if c.typ == "referral" && since.seq > 0 && !seenBackfill[c.patientID] {
					seenBackfill[c.patientID] = true
					list, err := s.db.LoadRecords(ctx, tx, "patient", []string{c.patientID})
					if err != nil {
						rows.Close()
						return nil, nil, err
					}
					for _, rec := range list {
						backfill = append(backfill, older{c.seq, rec})
					}
				}
				next.seq = c.seq
				picks = append(picks, c)
				if full() {
					rows.Close()
					break scan
				}
				continue
			}
			if c.patientID != "" {
				if !vis.patients[c.patientID] {
					if c.typ == "enrollment" && since.seq > 0 && !revoked[c.patientID] {
						was, err := s.wasVisible(ctx, tx, actor, c.patientID, since.seq)
						if err != nil {
							rows.Close()
							return nil, nil, err
						}
						revoked[c.patientID] = was
					}
					next.seq = c.seq
					continue
				}
				if c.typ == "enrollment" && since.seq > 0 && !seenBackfill[c.patientID] {
					seenBackfill[c.patientID] = true
					was, err := s.wasVisible(ctx, tx, actor, c.patientID, since.seq)
					if err != nil {
						rows.Close()
						return nil, nil, err
					}
					if !was {
						// Newly assigned: the patient's records from before
						// the cursor come with the assignment, as many as fit.
						list, err := s.backfillList(ctx, tx, actor, c.patientID, since.seq)
						if err != nil {
							rows.Close()
							return nil, nil, err
						}
						if r := resumeFrom; r != nil && r.patientID == c.patientID {
							list = after(list, r.typ, r.id)
						}
						if used := len(picks) + len(backfill); used+len(list)+1 > limit {
							// They and the assignment do not all fit: as
							// many as fit now (at least one, as the page is
							// not full), the rest on the next page, which
							// starts with this assignment again.
							take := min(limit-used, len(list))
							for _, rec := range list[:take] {
								backfill = append(backfill, older{c.seq, rec})
							}
							typ, id, _ := store.RecordRef(list[take-1])
							next = cursor{seq: c.seq - 1, resume: &resume{patientID: c.patientID, typ: typ, id: id}}
							rows.Close()
							break scan
						}
						for _, rec := range list {
							backfill = append(backfill, older{c.seq, rec})
						}
					}
					resumeFrom = nil
				}
			}
			next.seq = c.seq
			picks = append(picks, c)
			if full() {
				rows.Close()
				break scan
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		if n < batch {
			break
		}
	}
	resp.Cursor = next.String()
	resp.More = next.seq < resp.Head || next.resume != nil
	if last.seq > 0 {
		checks[last.seq] = CheckOf(last.seq, last.at, last.actorID, last.entity, last.entityID, last.op)
	}
	if resp.Check, err = knownCheckAt(ctx, tx, checks, next.seq); err != nil {
		return nil, nil, err
	}
	for p, was := range revoked {
		if was {
			resp.Revoked = append(resp.Revoked, p)
		}
	}
	// The replica forgets a revoked patient's memberships and posts with
	// the rest; those in groups the actor moderates come back without the
	// patient (docs/groups.md, "On a replica").
	if err := s.revokedGroupRecords(ctx, tx, vis, resp.Revoked, next.seq, func(seq int64, rec any) {
		backfill = append(backfill, older{seq, rec})
	}); err != nil {
		return nil, nil, err
	}

	// Current rows, loaded per type in batches from the same snapshot.
	byType := map[string][]string{}
	for _, c := range picks {
		byType[c.typ] = append(byType[c.typ], c.id)
	}
	current := map[[2]string]any{}
	for typ, ids := range byType {
		recs, err := s.db.LoadRecords(ctx, tx, typ, ids)
		if err != nil {
			return nil, nil, err
		}
		for _, rec := range recs {
			_, id, _ := store.RecordRef(rec)
			current[[2]string{typ, id}] = rec
		}
	}
	var all []any
	for _, rec := range current {
		all = append(all, rec)
	}
	for _, b := range backfill {
		all = append(all, b.rec)
	}
	if err := s.decisionPosts(ctx, tx, vis, all); err != nil {
		return nil, nil, err
	}
	sent := map[[2]string]bool{}
	patients := map[string]bool{}
	add := func(seq int64, by string, rec any) error {
		rec, ok := vis.outgoing(rec)
		if !ok {
			return nil
		}
		it, err := itemOf(seq, rec)
		if err != nil {
			return err
		}
		it.By = by
		k := [2]string{it.Type, it.ID}
		if sent[k] {
			return nil
		}
		sent[k] = true
		resp.Items = append(resp.Items, it)
		if it.PatientID != "" {
			patients[it.PatientID] = true
		}
		return nil
	}
	for _, c := range picks {
		k := [2]string{c.typ, c.id}
		rec, ok := current[k]
		if !ok {
			// Deleted since (drafts are the only records deleted). Tell the
			// replica, but only about drafts that were its own.
			if sent[k] || (c.typ == "draft" && c.actorID != actor.ID) || store.IsGroupType(c.typ) {
				continue
			}
			sent[k] = true
			resp.Items = append(resp.Items, api.Item{Seq: c.seq, Type: c.typ, ID: c.id, PatientID: c.patientID, Deleted: true, By: c.actorID})
			continue
		}
		if err := add(c.seq, c.actorID, rec); err != nil {
			return nil, nil, err
		}
	}
	for _, b := range backfill {
		if err := add(b.seq, "", b.rec); err != nil {
			return nil, nil, err
		}
	}
	list := make([]string, 0, len(patients))
	for p := range patients {
		list = append(list, p)
	}
	return resp, list, nil
}

// backfillList is a newly assigned patient's records with a change at or
// before seq (the later ones come with the change feed), that the actor may
// see, in a fixed order: by record type in dependency order, then by id.
func (s *Server) backfillList(ctx context.Context, tx *sql.Tx, actor store.Actor, patientID string, seq int64) ([]any, error) {
	older, err := changedBefore(ctx, tx, patientID, seq)
	if err != nil || len(older) == 0 {
		return nil, err
	}
	recs, err := s.db.LoadPatientRecords(ctx, tx, patientID, actor.ID)
	if err != nil {
		return nil, err
	}
	groups, err := s.db.LoadPatientGroupRecords(ctx, tx, patientID)
	if err != nil {
		return nil, err
	}
	recs = append(recs, groups...)
	out := recs[:0]
	for _, rec := range recs {
		typ, id, _ := store.RecordRef(rec)
		if older[[2]string{typ, id}] {
			out = append(out, rec)
		}
	}
	return out, nil
}

// after drops the records of list up to and including (typ, id).
func after(list []any, typ, id string) []any {
	for i, rec := range list {
		t, x, _ := store.RecordRef(rec)
		if t == typ && x == id {
			return list[i+1:]
		}
	}
	return list
}

// Pull is the pull as a function, for tests and benchmarks: since is a
// cursor of a previous page ("" or "0" for the start).
func (s *Server) Pull(ctx context.Context, actor store.Actor, since string, limit int) (*api.PullResponse, error) {
	c, err := parseCursor(since)
	if err != nil {
		return nil, fmt.Errorf("pull: since=%q: %w", since, err)
	}
	resp, _, err := s.pull(ctx, actor, c, "", limit)
	if err != nil {
		return nil, fmt.Errorf("pull: %w", err)
	}
	return resp, nil
}

// changedBefore lists a patient's records with a change at or before seq.
func changedBefore(ctx context.Context, tx *sql.Tx, patientID string, seq int64) (map[[2]string]bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT entity, entity_id FROM changes WHERE patient_id = ? AND seq <= ?", patientID, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]bool{}
	for rows.Next() {
		var entity, id string
		if err := rows.Scan(&entity, &id); err != nil {
			return nil, err
		}
		out[[2]string{store.EntityType(entity), id}] = true
	}
	return out, rows.Err()
}

// writePull writes a pull page by hand: the records are JSON already, and
// encoding/json would validate and copy each of them once more.
func writePull(w http.ResponseWriter, resp *api.PullResponse) {
	size := 256
	for _, it := range resp.Items {
		size += len(it.Record) + 200
	}
	b := make([]byte, 0, size)
	b = append(b, `{"epoch":`...)
	b = appendString(b, resp.Epoch)
	b = append(b, `,"cursor":`...)
	b = appendString(b, resp.Cursor)
	b = append(b, `,"more":`...)
	b = strconv.AppendBool(b, resp.More)
	b = append(b, `,"head":`...)
	b = strconv.AppendInt(b, resp.Head, 10)
	if resp.Check != "" {
		b = append(b, `,"check":`...)
		b = appendString(b, resp.Check)
	}
	b = append(b, `,"items":[`...)
	for i, it := range resp.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, it.Seq, 10)
		b = append(b, `,"type":`...)
		b = appendString(b, it.Type)
		b = append(b, `,"id":`...)
		b = appendString(b, it.ID)
		if it.PatientID != "" {
			b = append(b, `,"patient_id":`...)
			b = appendString(b, it.PatientID)
		}
		if it.Deleted {
			b = append(b, `,"deleted":true`...)
		}
		if it.By != "" {
			b = append(b, `,"by":`...)
			b = appendString(b, it.By)
		}
		if len(it.Record) > 0 {
			b = append(b, `,"record":`...)
			b = append(b, it.Record...)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if len(resp.Revoked) > 0 {
		b = append(b, `,"revoked":[`...)
		for i, p := range resp.Revoked {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, p)
		}
		b = append(b, ']')
	}
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// walkChunk is how many patients a walk reads at a time.
const walkChunk = 48

// walk fills one page of a first pull from the walk position of since:
// global records type by type, then the patients the actor could see at
// the horizon (since.seq) and still sees, one by one with all their
// records. It returns the patients whose records the page carries.
func (s *Server) walk(ctx context.Context, tx *sql.Tx, kept *store.TxStmts, actor store.Actor, resp *api.PullResponse, since cursor, limit int) ([]string, error) {
	vis, err := s.visibility(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	pos := *since.walk
	patients := map[string]bool{}
	add := func(rec any) (bool, error) {
		rec, ok := vis.outgoing(rec)
		if !ok {
			return false, nil
		}
		it, err := itemOf(since.seq, rec)
		if err != nil {
			return false, err
		}
		resp.Items = append(resp.Items, it)
		if it.PatientID != "" {
			patients[it.PatientID] = true
		}
		if len(resp.Items) < limit {
			return false, nil
		}
		t, id, p := store.RecordRef(rec)
		resp.Cursor = cursor{seq: since.seq, walk: &walkPos{typ: t, patientID: p, id: id}}.String()
		resp.More = true
		return true, nil
	}
	// Group records of patients the walk sends: a replica holds no post
	// without its patient (one assigned after the horizon comes, with
	// their posts, through the log). Read when the walk reaches the
	// groups, on its last pages only.
	var walked map[string]bool
	// (A member or post sent without its patient, to a moderator, needs
	// none: docs/groups.md.)
	addGroup := func(rec any) (bool, error) {
		out, ok := vis.outgoing(rec)
		if !ok {
			return false, nil
		}
		if walked == nil {
			seen, err := s.visibleAt(ctx, tx, actor, keys(vis.patients), since.seq)
			if err != nil {
				return false, err
			}
			walked = make(map[string]bool, len(seen))
			for _, p := range seen {
				walked[p] = true
			}
		}
		if _, _, p := store.RecordRef(out); p != "" && !walked[p] {
			return false, nil
		}
		if d, ok := out.(*store.PostDecision); ok {
			if p := vis.posts[d.PostID]; p == nil || (vis.patients[p.PatientID] && !walked[p.PatientID]) {
				return false, nil
			}
		}
		return add(rec)
	}
	if store.IsGroupType(pos.typ) {
		err := s.walkGroups(ctx, tx, vis, resp, since, pos, limit, addGroup)
		return keys(patients), err
	}
	if pos.typ == "" || store.IsGlobalType(pos.typ) {
		types := store.WalkTypes()
		for _, typ := range types[max(0, slices.Index(types, pos.typ)):] {
			if !store.IsGlobalType(typ) {
				break
			}
			after := ""
			if typ == pos.typ {
				after = pos.id
			}
			recs, err := s.db.WalkPage(ctx, tx, typ, after, limit-len(resp.Items))
			if err != nil {
				return nil, err
			}
			for _, rec := range recs {
				if full, err := add(rec); full || err != nil {
					return keys(patients), err
				}
			}
		}
		pos = walkPos{}
	}
	// The patients from the cursor's on, in walk order: those the actor
	// sees now, of whom a chunk at a time those they could also see at the
	// horizon; and an intake worker's patients through an open referral
	// (not assignments: those they see now, of the intake types only).
	limited := map[string]bool{}
	list := make([]string, 0, len(vis.patients)+len(vis.intake))
	for p := range vis.patients {
		if p >= pos.patientID {
			list = append(list, p)
		}
	}
	for p := range vis.intake {
		if !vis.patients[p] {
			limited[p] = true
			if p >= pos.patientID {
				list = append(list, p)
			}
		}
	}
	sort.Strings(list)
	order := store.WalkOrder(pos.typ)
	chunk, read, readPatients := walkChunk, 0, 0
	for len(list) > 0 {
		next := list[:min(chunk, len(list))]
		list = list[len(next):]
		var assigned []string
		for _, p := range next {
			if !limited[p] {
				assigned = append(assigned, p)
			}
		}
		then, err := s.visibleAt(ctx, kept, actor, assigned, since.seq)
		if err != nil {
			return nil, err
		}
		walking := make([]string, 0, len(next))
		for _, p := range next {
			if limited[p] {
				walking = append(walking, p)
			} else if _, ok := slices.BinarySearch(then, p); ok {
				walking = append(walking, p)
			}
		}
		recs, err := s.db.WalkRecords(ctx, kept, walking, limited, intakeTypes, actor.ID)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if pos.patientID != "" {
				// The records of the first patient up to the cursor came.
				typ, id, p := store.RecordRef(rec)
				if o := store.WalkOrder(typ); p == pos.patientID && (o < order || (o == order && id <= pos.id)) {
					continue
				}
			}
			if full, err := add(rec); full || err != nil {
				return keys(patients), err
			}
		}
		// The next chunk: as many patients as the page has room for, by
		// the records a patient had so far, so that little is read that
		// the next page reads again.
		read, readPatients = read+len(recs), readPatients+len(walking)
		if read > 0 {
			chunk = min(walkChunk, max(1, (limit-len(resp.Items))*readPatients/read+1))
		}
	}
	err = s.walkGroups(ctx, tx, vis, resp, since, walkPos{}, limit, addGroup)
	return keys(patients), err
}

// walkGroups walks the cohorts and peer groups the actor sees, type by
// type, from pos, and ends the walk when they are done.
func (s *Server) walkGroups(ctx context.Context, tx *sql.Tx, vis *visibility, resp *api.PullResponse, since cursor, pos walkPos, limit int, add func(any) (bool, error)) error {
	cohorts, groups := keys(vis.cohorts), keys(vis.groups)
	types := store.GroupTypes()
	for _, typ := range types[max(0, slices.Index(types, pos.typ)):] {
		after := ""
		if typ == pos.typ {
			after = pos.id
		}
		room := limit - len(resp.Items)
		recs, err := s.db.WalkGroupPage(ctx, tx, typ, cohorts, groups, after, room)
		if err != nil {
			return err
		}
		if err := s.decisionPosts(ctx, tx, vis, recs); err != nil {
			return err
		}
		for _, rec := range recs {
			if full, err := add(rec); full || err != nil {
				return err
			}
		}
		if len(recs) == room {
			// A page's worth read, some of it not the actor's: go on
			// after the last one read.
			_, id, _ := store.RecordRef(recs[len(recs)-1])
			resp.Cursor = cursor{seq: since.seq, walk: &walkPos{typ: typ, id: id}}.String()
			resp.More = true
			return nil
		}
	}
	// Walked: the change log from the horizon on.
	resp.Cursor = cursor{seq: since.seq}.String()
	resp.More = since.seq < resp.Head
	return nil
}

// visibleAt keeps of patients (of those the actor sees now) the ones the
// actor could also see at change seq, in one query through the patients'
// assignments, sorted.
func (s *Server) visibleAt(ctx context.Context, tx rowsQuerier, actor store.Actor, patients []string, seq int64) ([]string, error) {
	if len(patients) == 0 {
		return nil, nil
	}
	who := "a.therapist_id = ?3"
	arg := actor.ID
	if actor.Role == store.RoleSupervisor {
		who = "a.therapist_id IN (SELECT id FROM therapists WHERE team = ?3 AND team <> '')"
		arg = actor.Team
	}
	list, err := json.Marshal(patients)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT a.patient_id FROM assignments a
		WHERE a.patient_id IN (SELECT value FROM json_each(?1)) AND a.seq <= ?2
		AND a.seq = (SELECT MAX(b.seq) FROM assignments b WHERE b.enrollment_id = a.enrollment_id AND b.seq <= ?2)
		AND `+who, string(list), seq, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	sort.Strings(out)
	return out, rows.Err()
}

// rowsQuerier reads inside a transaction (*sql.Tx, *store.TxStmts).
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
