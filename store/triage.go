package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store/riskphrase"
)

// Class is a triage priority class; lower is more urgent.
type Class int

// The triage classes, most urgent first (docs/clinical.md).
const (
	ClassRisk Class = iota + 1
	ClassOverdue
	ClassDeterioration
	ClassDue
	ClassInactive
	ClassEnding
	ClassStarting
	ClassFollowUp
	ClassWaiting // nothing for the therapist to do: waiting on the patient
)

var classNames = map[Class]string{
	ClassRisk: "risk", ClassOverdue: "overdue", ClassDeterioration: "deterioration", ClassDue: "due",
	ClassInactive: "inactive", ClassEnding: "ending", ClassStarting: "starting", ClassFollowUp: "follow-up", ClassWaiting: "waiting",
}

// Classes lists every class in priority order.
var Classes = []Class{ClassRisk, ClassOverdue, ClassDeterioration, ClassDue, ClassInactive, ClassEnding, ClassStarting, ClassFollowUp, ClassWaiting}

func (c Class) String() string { return classNames[c] }

// MarshalText writes the class name.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a class name.
func (c *Class) UnmarshalText(b []byte) error {
	for k, v := range classNames {
		if v == string(b) {
			*c = k
			return nil
		}
	}
	return fmt.Errorf("unknown triage class %q", b)
}

// Reason codes.
const (
	ReasonCriticalItem     = "critical-item"
	ReasonRiskPhrase       = "risk-phrase"
	ReasonFeedbackOverdue  = "feedback-overdue"
	ReasonMessageOverdue   = "message-overdue"
	ReasonDeterioration    = "reliable-deterioration"
	ReasonNotOnTrack       = "not-on-track"
	ReasonFeedbackDue      = "feedback-due"
	ReasonMessageDue       = "message-due"
	ReasonInactive         = "inactive"
	ReasonEndingSoon       = "ending-soon"
	ReasonEnded            = "ended"
	ReasonNoWelcome        = "no-welcome"
	ReasonStartDue         = "start-due"
	ReasonFollowUpDue      = "follow-up-due"
	ReasonFollowUpAnswered = "follow-up-answered"
)

// Reason is one explained triage signal.
type Reason struct {
	Class     Class  `json:"class"`
	Code      string `json:"code"`
	Level     string `json:"level,omitempty"`     // risk: "red" or "amber"
	Heuristic bool   `json:"heuristic"`           // a word-list match, not a scored answer
	Validated *bool  `json:"validated,omitempty"` // reasons about a score: whether its instrument is validated
	Text      string `json:"text"`                // a sentence a therapist would accept
	Badge     string `json:"badge"`               // a few characters for the queue row
	// Msg and BadgeMsg are Text and Badge as messages, for a reader of
	// another language (Localize renders them; JSON keeps the codes).
	Msg        i18n.Message `json:"-"`
	BadgeMsg   i18n.Message `json:"-"`
	Since      time.Time    `json:"since"` // when the clock of this reason started
	SourceType string       `json:"source_type,omitempty"`
	SourceID   string       `json:"source_id,omitempty"`
	// EnrollmentID (risk reasons) is the enrollment the source belongs
	// to. A flag of a finished enrollment is shown on the patient's
	// current item, so it can differ from the item's; an acknowledgement
	// is filed on the item's EnrollmentID either way.
	EnrollmentID string `json:"enrollment_id,omitempty"`
	// Phrase is the list phrase a heuristic risk reason matched, as
	// written in the list ("itsemurh*"); Lang is its list.
	Phrase string `json:"phrase,omitempty"`
	Lang   string `json:"lang,omitempty"`
}

// ScorePoint is one total of an instrument over the weeks.
type ScorePoint struct {
	Week  int       `json:"week"`
	Total int       `json:"total"`
	At    time.Time `json:"at"`
}

// QueueItem is one patient in a therapist's queue.
type QueueItem struct {
	PatientID    string `json:"patient_id"`
	Pseudonym    string `json:"pseudonym"`
	DisplayName  string `json:"display_name"`
	EnrollmentID string `json:"enrollment_id"`
	TherapistID  string `json:"therapist_id"`
	Status       string `json:"status"`
	ProgramID    string `json:"program_id"`
	ProgramTitle string `json:"program_title"`
	Week         int    `json:"week"`
	Weeks        int    `json:"weeks"`
	ModuleTitle  string `json:"module_title,omitempty"`
	// program and module are the item's program and its unlocked module
	// (1-based; 0: none), for the titles in each language of
	// the program (Queue.LocalizeTitles shows them).
	program    *programs.Program
	module     int
	StartDate  string     `json:"start_date"`
	PlannedEnd string     `json:"planned_end"`
	LastActive *time.Time `json:"last_active,omitempty"`
	Waiting    int        `json:"waiting"` // submissions without feedback
	Unread     int        `json:"unread"`  // patient messages not yet read
	Instrument string     `json:"instrument,omitempty"`
	// Validated says whether Instrument is a validated scale; the series
	// is a validated one whenever the patient has answered one. Nil (absent
	// in JSON) when the item has no score series.
	Validated *bool        `json:"validated,omitempty"`
	Scores    []ScorePoint `json:"scores,omitempty"` // of Instrument, oldest first
	Class     Class        `json:"class"`
	Reasons   []Reason     `json:"reasons"`
	// Paused says the treatment is paused (its status stays active or
	// scheduled); FollowUpDue is the follow-up's date of a completed one.
	Paused      bool   `json:"paused,omitempty"`
	FollowUpDue string `json:"follow_up_due,omitempty"`
}

// HasRisk says whether any reason is in the risk class.
func (q *QueueItem) HasRisk() bool { return q.Class == ClassRisk }

// Queue is one therapist's triaged patients, most urgent first.
type Queue struct {
	TherapistID string        `json:"therapist_id"`
	Handle      string        `json:"therapist"`
	GeneratedAt time.Time     `json:"generated_at"`
	Items       []QueueItem   `json:"items"`
	Counts      map[Class]int `json:"counts"` // patients by top class
}

// Triage builds a therapist's queue: every active or scheduled enrollment
// with its reasons, most urgent first, and every patient of theirs whose
// finished enrollment still has an unacknowledged risk flag (such an item
// has Status completed or discontinued and only risk reasons). A
// therapist may triage only themselves; a supervisor their team.
func (db *DB) Triage(ctx context.Context, actor Actor, therapistID string) (*Queue, error) {
	th, err := db.Therapist(ctx, therapistID)
	if err != nil {
		return nil, err
	}
	if err := canTriage(actor, th); err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return db.triage(ctx, tx, th, pol, db.Now())
}

func canTriage(actor Actor, th Therapist) error {
	switch {
	case !actor.IsPerson(), strings.HasPrefix(actor.ID, "os:"):
		return nil
	case actor.Role == RoleTherapist && actor.ID == th.ID:
		return nil
	case actor.Role == RoleSupervisor && actor.Team != "" && actor.Team == th.Team:
		return nil
	}
	return forbidden("store.err.may_see_s_queue", "Handle", actor.Handle, "Handle2", th.Handle)
}

type triageEnrollment struct {
	item       *QueueItem
	finished   bool // completed or discontinued: only its risk flags count
	programVID string
	unlocked   int
	referral   *time.Time
	submitted  []triageSub
	feedbackOn map[string]bool
	messages   []triageMsg
	posts      []triageMsg // held group posts (groups.go)
	measures   []triageMeasure
	lastDiary  time.Time
	diaries    []triageDiary // every entry, for the phrase scan
	acked      map[string]bool
	goAheads   map[string]time.Time // newest go-ahead decision by go-ahead id
	program    *programs.Program
	endedOn    string
	events     []EnrollmentEvent // pauses and resumptions
	signed     time.Time         // the newest signed summary
}

type triageSub struct {
	id, exercise, supersedes string
	at                       time.Time
}

// triageDiary is a diary entry: its free text is scanned for risk phrases.
type triageDiary struct {
	id, exercise string
	at           time.Time
}

type triageMsg struct {
	id, direction string
	at            time.Time
	read          bool
}

type triageMeasure struct {
	id, instrument string
	version, week  int
	answers        []int
	total          int
	at             time.Time
}

// triageScope is the enrollments a therapist's queue reads (?1 is the
// therapist): their active and scheduled ones, and the finished
// (completed or discontinued) enrollments of every patient they own, for
// the risk flags those still carry. The owner is the therapist of the
// patient's current enrollment (the latest active or scheduled one), or
// of the latest enrollment when none is current (docs/clinical.md, "A flag
// belongs to the patient").
const triageScope = `SELECT id FROM enrollments WHERE therapist_id = ?1 AND status IN ('active', 'scheduled')
	UNION ALL SELECT f.id FROM enrollments f
	WHERE f.patient_id IN (SELECT patient_id FROM enrollments WHERE therapist_id = ?1) AND f.status IN ('completed', 'discontinued')
	AND (SELECT l.therapist_id FROM enrollments l WHERE l.patient_id = f.patient_id
		ORDER BY l.status IN ('active', 'scheduled') DESC, l.created_at DESC, l.id DESC LIMIT 1) = ?1`

func (db *DB) triage(ctx context.Context, tx *sql.Tx, th Therapist, pol Policy, now time.Time) (*Queue, error) {
	q := &Queue{TherapistID: th.ID, Handle: th.Handle, GeneratedAt: now, Counts: map[Class]int{}}
	byID := map[string]*triageEnrollment{}
	var order []*triageEnrollment

	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.patient_id, p.pseudonym, p.display_name, e.program_version_id, e.program_id,
		e.status, e.start_date, e.planned_end, e.unlocked_modules, COALESCE(r.received_at, ''),
		e.paused_since IS NOT NULL, e.ended_on, e.follow_up_due
		FROM enrollments e JOIN patients p ON p.id = e.patient_id LEFT JOIN referrals r ON r.id = e.referral_id AND e.referral_id <> ''
		WHERE e.id IN (`+triageScope+`) ORDER BY e.created_at, e.id`, th.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		it := &QueueItem{TherapistID: th.ID}
		te := &triageEnrollment{item: it, feedbackOn: map[string]bool{}}
		var received string
		if err := rows.Scan(&it.EnrollmentID, &it.PatientID, &it.Pseudonym, &it.DisplayName, &te.programVID, &it.ProgramID,
			&it.Status, &it.StartDate, &it.PlannedEnd, &te.unlocked, &received, &it.Paused, &te.endedOn, &it.FollowUpDue); err != nil {
			rows.Close()
			return nil, err
		}
		if received != "" {
			t, _ := parseTime(received)
			te.referral = &t
		}
		byID[it.EnrollmentID] = te
		order = append(order, te)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return q, nil
	}

	// The scope is read once: the later reads take its ids as one JSON
	// list. A finished enrollment needs only what can raise a flag
	// (measures and patient texts, the diary's among them), not feedback.
	var all, current, patients []string
	seenPatient := map[string]bool{}
	for _, te := range order {
		all = append(all, te.item.EnrollmentID)
		if st := te.item.Status; st == EnrollmentActive || st == EnrollmentScheduled {
			current = append(current, te.item.EnrollmentID)
		}
		if !seenPatient[te.item.PatientID] {
			seenPatient[te.item.PatientID] = true
			patients = append(patients, te.item.PatientID)
		}
	}
	jsonList := func(ids []string) string {
		b, _ := json.Marshal(ids)
		return string(b)
	}
	allIDs, currentIDs, patientIDs := jsonList(all), jsonList(current), jsonList(patients)
	const inList = `(SELECT value FROM json_each(?))`
	scanIn := func(ids, query string, fn func(r *sql.Rows) error) error {
		rows, err := tx.QueryContext(ctx, query, ids)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	scan := func(query string, fn func(r *sql.Rows) error) error { return scanIn(allIDs, query, fn) }
	// Rows come in index order (enrollment, then time), so no sorting.
	err = scan(`SELECT id, enrollment_id, exercise_id, supersedes, submitted_at FROM submissions
		WHERE enrollment_id IN `+inList+` ORDER BY enrollment_id, submitted_at`, func(r *sql.Rows) error {
		var s triageSub
		var eid, at string
		if err := r.Scan(&s.id, &eid, &s.exercise, &s.supersedes, &at); err != nil {
			return err
		}
		s.at, _ = parseTime(at)
		byID[eid].submitted = append(byID[eid].submitted, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanIn(currentIDs, `SELECT enrollment_id, submission_id FROM feedback WHERE enrollment_id IN `+inList, func(r *sql.Rows) error {
		var eid, sid string
		if err := r.Scan(&eid, &sid); err != nil {
			return err
		}
		byID[eid].feedbackOn[sid] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(`SELECT id, enrollment_id, direction, sent_at, read_at IS NOT NULL
		FROM messages WHERE enrollment_id IN `+inList+` ORDER BY enrollment_id, sent_at`, func(r *sql.Rows) error {
		var m triageMsg
		var eid, at string
		if err := r.Scan(&m.id, &eid, &m.direction, &at, &m.read); err != nil {
			return err
		}
		m.at, _ = parseTime(at)
		byID[eid].messages = append(byID[eid].messages, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(`SELECT id, enrollment_id, 'in', posted_at, 0 FROM group_posts
		WHERE status = 'held' AND enrollment_id IN `+inList+` ORDER BY enrollment_id, posted_at`, func(r *sql.Rows) error {
		var m triageMsg
		var eid, at string
		if err := r.Scan(&m.id, &eid, &m.direction, &at, &m.read); err != nil {
			return err
		}
		m.at, _ = parseTime(at)
		byID[eid].posts = append(byID[eid].posts, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(`SELECT id, enrollment_id, instrument_id, instrument_version, week, answers, total, answered_at
		FROM measure_responses WHERE enrollment_id IN `+inList+` ORDER BY enrollment_id, answered_at`, func(r *sql.Rows) error {
		var m triageMeasure
		var eid, answers, at string
		if err := r.Scan(&m.id, &eid, &m.instrument, &m.version, &m.week, &answers, &m.total, &at); err != nil {
			return err
		}
		m.at, _ = parseTime(at)
		var ok bool
		if m.answers, ok = parseInts(answers); !ok {
			return fmt.Errorf("measure %s: answers %q are not a list of numbers", m.id, answers)
		}
		byID[eid].measures = append(byID[eid].measures, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(`SELECT id, enrollment_id, exercise_id, recorded_at FROM diary_entries
		WHERE enrollment_id IN `+inList+` ORDER BY enrollment_id, recorded_at`, func(r *sql.Rows) error {
		var d triageDiary
		var eid, at string
		if err := r.Scan(&d.id, &eid, &d.exercise, &at); err != nil {
			return err
		}
		d.at, _ = parseTime(at)
		byID[eid].diaries = append(byID[eid].diaries, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanIn(currentIDs, `SELECT e.id, (SELECT MAX(recorded_at) FROM diary_entries d WHERE d.enrollment_id = e.id) FROM enrollments e
		WHERE e.id IN `+inList, func(r *sql.Rows) error {
		var eid string
		var at sql.NullString
		if err := r.Scan(&eid, &at); err != nil {
			return err
		}
		if at.Valid {
			byID[eid].lastDiary, _ = parseTime(at.String)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// An acknowledgement may be filed on any of the patient's enrollments
	// (a flag from a finished one is acknowledged on the current one), so
	// acknowledged sources are looked up by patient.
	acked := map[string]bool{}
	err = scanIn(patientIDs, `SELECT source_id FROM risk_acks WHERE patient_id IN `+inList, func(r *sql.Rows) error {
		var sid string
		if err := r.Scan(&sid); err != nil {
			return err
		}
		acked[sid] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, te := range order {
		te.acked = acked
	}
	// The course: pauses of the current enrollments (the inactivity clock
	// skips them), signed summaries of the finished ones (a summary signed
	// after a follow-up answer has taken it in).
	err = scanIn(allIDs, `SELECT enrollment_id, kind, at FROM enrollment_events WHERE enrollment_id IN `+inList+`
		AND kind IN ('pause', 'resume') ORDER BY enrollment_id, at, rowid`, func(r *sql.Rows) error {
		var ev EnrollmentEvent
		var at string
		if err := r.Scan(&ev.EnrollmentID, &ev.Kind, &at); err != nil {
			return err
		}
		ev.At, _ = parseTime(at)
		byID[ev.EnrollmentID].events = append(byID[ev.EnrollmentID].events, ev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanIn(allIDs, `SELECT enrollment_id, MAX(signed_at) FROM summaries WHERE enrollment_id IN `+inList+` GROUP BY enrollment_id`, func(r *sql.Rows) error {
		var eid, at string
		if err := r.Scan(&eid, &at); err != nil {
			return err
		}
		byID[eid].signed, _ = parseTime(at)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := scanIn(currentIDs, goAheadsQuery, func(r *sql.Rows) error { return scanGoAhead(r, byID) }); err != nil {
		return nil, err
	}

	rules, err := newTriageRules(pol, now, db.riskCache, th)
	if err != nil {
		return nil, err
	}
	if err := rules.scanTexts(ctx, tx, order); err != nil {
		return nil, err
	}
	for _, te := range order {
		te.finished = te.item.Status == EnrollmentCompleted || te.item.Status == EnrollmentDiscontinued
		if te.program, err = db.programDef(ctx, tx, te.programVID, nil); err != nil {
			return nil, err
		}
		if err := rules.apply(ctx, db, tx, te); err != nil {
			return nil, err
		}
	}
	q.Items = mergeFinished(order)
	SortQueue(q.Items)
	for _, it := range q.Items {
		q.Counts[it.Class]++
	}
	return q, nil
}

// mergeFinished makes the queue's items: one per active or scheduled
// enrollment, carrying the open risk flags of the patient's finished
// enrollments too; a patient with no current enrollment here but open
// flags on finished ones gets one item, for the latest of them. A finished
// enrollment without open flags is not in the queue.
func mergeFinished(order []*triageEnrollment) []QueueItem {
	current := map[string]*QueueItem{}
	var items []*QueueItem
	for _, te := range order {
		if !te.finished {
			items = append(items, te.item)
			if current[te.item.PatientID] == nil {
				current[te.item.PatientID] = te.item
			}
		}
	}
	for _, te := range order { // created_at order: the latest finished one wins
		if !te.finished || len(te.item.Reasons) == 0 {
			continue
		}
		it := current[te.item.PatientID]
		if it == nil {
			items = append(items, te.item)
			current[te.item.PatientID] = te.item
			continue
		}
		if it.Status == EnrollmentCompleted || it.Status == EnrollmentDiscontinued {
			// A later finished enrollment takes over the item.
			te.item.Reasons = append(it.Reasons, te.item.Reasons...)
			*it = *te.item
		} else {
			it.Reasons = append(it.Reasons, te.item.Reasons...)
		}
		rankReasons(it)
	}
	out := make([]QueueItem, len(items))
	for i, it := range items {
		out[i] = *it
	}
	return out
}

// rankReasons orders an item's reasons (class, red before amber, oldest
// first) and sets its class from the first.
func rankReasons(it *QueueItem) {
	reasons := it.Reasons
	sort.SliceStable(reasons, func(i, j int) bool {
		if reasons[i].Class != reasons[j].Class {
			return reasons[i].Class < reasons[j].Class
		}
		if (reasons[i].Level == programs.LevelRed) != (reasons[j].Level == programs.LevelRed) {
			return reasons[i].Level == programs.LevelRed
		}
		return reasons[i].Since.Before(reasons[j].Since)
	})
	it.Class = ClassWaiting
	if len(reasons) > 0 {
		it.Class = reasons[0].Class
	}
	if it.Reasons == nil {
		it.Reasons = []Reason{}
	}
}

// SortQueue orders items most urgent first: by class; within risk red
// before amber; then by how long the most urgent reason has waited; then
// by name.
func SortQueue(items []QueueItem) {
	key := func(it *QueueItem) (int, time.Time) {
		lvl := 1
		var since time.Time
		for i, r := range it.Reasons {
			if r.Class != it.Class {
				continue
			}
			if r.Level == programs.LevelRed {
				lvl = 0
			}
			if i == 0 || since.IsZero() || r.Since.Before(since) {
				since = r.Since
			}
		}
		return lvl, since
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := &items[i], &items[j]
		if a.Class != b.Class {
			return a.Class < b.Class
		}
		la, sa := key(a)
		lb, sb := key(b)
		if la != lb {
			return la < lb
		}
		if !sa.Equal(sb) {
			return sa.Before(sb)
		}
		if a.DisplayName != b.DisplayName {
			return a.DisplayName < b.DisplayName
		}
		return a.PatientID < b.PatientID
	})
}

// riskCache remembers which risk phrase (if any) a patient text contains,
// per word list, and the compiled list. Texts are append-only, so an entry
// never goes stale, and a refreshed queue reads no text it has already
// scanned.
type riskCache struct {
	mu      sync.Mutex
	words   string
	matcher *riskphrase.Matcher
	m       map[string]riskphrase.Hit
}

const riskCacheMax = 500_000

// compiled returns the matcher for a word list, compiling it once.
func (c *riskCache) compiled(words string, lists map[string][]string) (*riskphrase.Matcher, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.words == words && c.matcher != nil {
		return c.matcher, nil
	}
	m, err := riskphrase.Compile(lists)
	if err != nil {
		return nil, fmt.Errorf("setting risk_words: %w", err)
	}
	c.words, c.matcher, c.m = words, m, map[string]riskphrase.Hit{}
	return m, nil
}

// missing returns the ids not yet scanned with this word list.
func (c *riskCache) missing(words string, ids []string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.words != words || len(c.m) > riskCacheMax {
		c.words, c.m = words, map[string]riskphrase.Hit{}
	}
	var out []string
	for _, id := range ids {
		if _, ok := c.m[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

func (c *riskCache) put(words, id string, hit riskphrase.Hit) {
	c.mu.Lock()
	if c.words == words {
		c.m[id] = hit
	}
	c.mu.Unlock()
}

// collect puts the hits among ids into dst, under one lock.
func (c *riskCache) collect(words string, dst map[string]riskphrase.Hit, ids ...[]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.words != words {
		return
	}
	for _, list := range ids {
		for _, id := range list {
			if h := c.m[id]; h.Phrase != "" {
				dst[id] = h
			}
		}
	}
}

// triageRules loads what the rules need for one queue (the phrase
// matcher, the texts' hits) and applies them to one enrollment at a time.
type triageRules struct {
	env         ruleEnv
	cache       *riskCache
	matcher     *riskphrase.Matcher
	wordsKey    string
	instruments map[instrumentRef]*programs.Instrument
	hits        map[string]riskphrase.Hit // of this queue's texts, those with a phrase
}

func newTriageRules(pol Policy, now time.Time, cache *riskCache, th Therapist) (*triageRules, error) {
	loc := pol.Location()
	r := &triageRules{env: ruleEnv{now: now, today: truncDay(now, loc), loc: loc, pol: pol, owner: th.Handle}, cache: cache,
		instruments: map[instrumentRef]*programs.Instrument{}, hits: map[string]riskphrase.Hit{}}
	r.wordsKey = riskWordsKey(pol)
	var err error
	r.matcher, err = cache.compiled(r.wordsKey, pol.RiskWords)
	return r, err
}

// riskWordsKey names the policy's risk word lists (the cache's key).
func riskWordsKey(pol Policy) string {
	var key []string
	for _, lang := range RiskLanguages {
		key = append(key, lang+"\x01"+strings.Join(pol.RiskWords[lang], "\x00"))
	}
	return strings.Join(key, "\x02")
}

// textHit finds the risk phrase (if any) in one patient text as the queue
// reads it: a message's body as it is; a submission's answers (a JSON
// object of field to text) as their texts in sorted order.
func textHit(m *riskphrase.Matcher, submission bool, text string) (riskphrase.Hit, error) {
	if !submission {
		hit, _ := m.Match(text)
		return hit, nil
	}
	var answers map[string]string
	if err := json.Unmarshal([]byte(text), &answers); err != nil {
		return riskphrase.Hit{}, err
	}
	hit, _ := m.Match(answerTexts(answers)...)
	return hit, nil
}

func (r *triageRules) date(d string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, d, r.env.loc)
	return t
}

// scanTexts reads and scans the patient texts the cache has not seen, in
// batches: every text a patient writes (inbound messages, submission
// answers, the text fields of diary entries). Notes and outbound messages
// are the therapist's and never raise a flag (docs/clinical.md).
func (r *triageRules) scanTexts(ctx context.Context, tx *sql.Tx, order []*triageEnrollment) error {
	var msgIDs, subIDs, diaryIDs, postIDs []string
	for _, te := range order {
		for _, m := range te.posts {
			postIDs = append(postIDs, m.id)
		}
		for _, m := range te.messages {
			if m.direction == DirectionIn {
				msgIDs = append(msgIDs, m.id)
			}
		}
		for _, s := range te.submitted {
			subIDs = append(subIDs, s.id)
		}
		for _, d := range te.diaries {
			diaryIDs = append(diaryIDs, d.id)
		}
	}
	for _, job := range []struct {
		ids   []string
		query string
	}{
		{r.cache.missing(r.wordsKey, msgIDs), "SELECT id, body FROM messages WHERE id IN "},
		{r.cache.missing(r.wordsKey, subIDs), "SELECT id, answers FROM submissions WHERE id IN "},
		{r.cache.missing(r.wordsKey, diaryIDs), "SELECT id, fields FROM diary_entries WHERE id IN "},
		{r.cache.missing(r.wordsKey, postIDs), "SELECT id, body FROM group_posts WHERE id IN "},
	} {
		for len(job.ids) > 0 {
			batch := job.ids[:min(len(job.ids), 500)]
			job.ids = job.ids[len(batch):]
			args := make([]any, len(batch))
			for i, id := range batch {
				args[i] = id
			}
			rows, err := tx.QueryContext(ctx, job.query+"(?"+strings.Repeat(", ?", len(batch)-1)+")", args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, text string
				if err := rows.Scan(&id, &text); err != nil {
					rows.Close()
					return err
				}
				// answers and diary fields are a JSON object of texts
				hit, err := textHit(r.matcher, !strings.HasPrefix(job.query, "SELECT id, body"), text)
				if err != nil {
					rows.Close()
					return fmt.Errorf("%s %s: %w", strings.Fields(job.query)[4], id, err)
				}
				r.cache.put(r.wordsKey, id, hit)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	r.cache.collect(r.wordsKey, r.hits, msgIDs, subIDs, diaryIDs, postIDs)
	return nil
}

// parseInts reads a JSON list of whole numbers like [1,0,3] without the
// cost of encoding/json (the triage reads thousands of them).
func parseInts(s string) ([]int, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	body := strings.TrimSpace(s[1 : len(s)-1])
	if body == "" {
		return []int{}, true
	}
	out := make([]int, 0, 16)
	for _, part := range strings.Split(body, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// apply resolves what the rules need about one enrollment (its
// instruments and the risk phrases found in its texts), runs the rules
// (triagerules.go) and fills in the queue item.
func (r *triageRules) apply(ctx context.Context, db *DB, tx *sql.Tx, te *triageEnrollment) error {
	it, p := te.item, te.program
	f := &facts{enrollmentID: it.EnrollmentID, status: it.Status, program: p, start: r.date(it.StartDate), end: r.date(it.PlannedEnd),
		finished: te.finished, referral: te.referral, submitted: te.submitted, feedbackOn: te.feedbackOn, messages: te.messages, posts: te.posts,
		diaries: te.diaries, measures: te.measures, acked: te.acked, instruments: r.instruments, hits: r.hits,
		paused: it.Paused, pauses: pauseSpans(te.events), ended: r.date(te.endedOn), followUpDue: r.date(it.FollowUpDue), signed: te.signed}
	// The instruments and hits are resolved into maps the whole queue
	// shares (the rules only read them).
	for _, m := range te.measures {
		ref := instrumentRef{m.instrument, m.version}
		if _, ok := r.instruments[ref]; ok {
			continue
		}
		in, err := db.instrumentDef(ctx, tx, m.instrument, m.version, nil)
		if err != nil {
			return err
		}
		r.instruments[ref] = in
	}
	f.goAheads = te.goAheads
	newFacts(f, te.lastDiary)

	it.ProgramTitle, it.Weeks = p.Title, p.Weeks
	if it.Status == EnrollmentActive {
		// Past the planned end the week stays at the last: the ending reason says so.
		it.Week = min(max(int(r.env.today.Sub(f.start).Hours()/24)/7+1, 1), p.Weeks)
	}
	if te.unlocked > 0 && te.unlocked <= len(p.Modules) {
		it.ModuleTitle = p.Modules[te.unlocked-1].Title
		it.module = te.unlocked
	}
	it.program = p // titles in other languages: LocalizeTitles, for a person's view only
	if !f.last.IsZero() {
		l := f.last
		it.LastActive = &l
	}
	for _, m := range te.messages {
		if m.direction == DirectionIn && !m.read {
			it.Unread++
		}
	}
	for _, s := range te.submitted {
		if !te.feedbackOn[s.id] && !f.superseded[s.id] {
			it.Waiting++
		}
	}
	if primary := primarySeries(f); primary != "" {
		in := f.latest(primary)
		v := isValidated(in)
		it.Instrument, it.Validated = in.Name(), &v
		for _, m := range f.series[primary] {
			it.Scores = append(it.Scores, ScorePoint{Week: m.week, Total: m.total, At: m.at})
		}
	}
	it.Reasons = evaluate(f, &r.env)
	rankReasons(it)
	return nil
}
