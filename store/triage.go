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

	"polku/programs"
	"polku/store/riskphrase"
)

// Class is a triage priority class; lower is more urgent.
type Class int

// The triage classes, most urgent first (CLINICAL.md).
const (
	ClassRisk Class = iota + 1
	ClassOverdue
	ClassDeterioration
	ClassDue
	ClassInactive
	ClassEnding
	ClassStarting
	ClassWaiting // nothing for the therapist to do: waiting on the patient
)

var classNames = map[Class]string{
	ClassRisk: "risk", ClassOverdue: "overdue", ClassDeterioration: "deterioration", ClassDue: "due",
	ClassInactive: "inactive", ClassEnding: "ending", ClassStarting: "starting", ClassWaiting: "waiting",
}

// Classes lists every class in priority order.
var Classes = []Class{ClassRisk, ClassOverdue, ClassDeterioration, ClassDue, ClassInactive, ClassEnding, ClassStarting, ClassWaiting}

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
	ReasonCriticalItem    = "critical-item"
	ReasonRiskPhrase      = "risk-phrase"
	ReasonFeedbackOverdue = "feedback-overdue"
	ReasonMessageOverdue  = "message-overdue"
	ReasonDeterioration   = "reliable-deterioration"
	ReasonNotOnTrack      = "not-on-track"
	ReasonFeedbackDue     = "feedback-due"
	ReasonMessageDue      = "message-due"
	ReasonInactive        = "inactive"
	ReasonEndingSoon      = "ending-soon"
	ReasonEnded           = "ended"
	ReasonNoWelcome       = "no-welcome"
	ReasonStartDue        = "start-due"
)

// Reason is one explained triage signal.
type Reason struct {
	Class      Class     `json:"class"`
	Code       string    `json:"code"`
	Level      string    `json:"level,omitempty"`     // risk: "red" or "amber"
	Heuristic  bool      `json:"heuristic"`           // a word-list match, not a scored answer
	Validated  *bool     `json:"validated,omitempty"` // reasons about a score: whether its instrument is validated
	Text       string    `json:"text"`                // a sentence a therapist would accept
	Badge      string    `json:"badge"`               // a few characters for the queue row
	Since      time.Time `json:"since"`               // when the clock of this reason started
	SourceType string    `json:"source_type,omitempty"`
	SourceID   string    `json:"source_id,omitempty"`
	// EnrollmentID is the enrollment of the source: a risk flag from a
	// finished enrollment is shown on the patient's current item.
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
	PatientID    string     `json:"patient_id"`
	Pseudonym    string     `json:"pseudonym"`
	DisplayName  string     `json:"display_name"`
	EnrollmentID string     `json:"enrollment_id"`
	TherapistID  string     `json:"therapist_id"`
	Status       string     `json:"status"`
	ProgramID    string     `json:"program_id"`
	ProgramTitle string     `json:"program_title"`
	Week         int        `json:"week"`
	Weeks        int        `json:"weeks"`
	ModuleTitle  string     `json:"module_title,omitempty"`
	StartDate    string     `json:"start_date"`
	PlannedEnd   string     `json:"planned_end"`
	LastActive   *time.Time `json:"last_active,omitempty"`
	Waiting      int        `json:"waiting"` // submissions without feedback
	Unread       int        `json:"unread"`  // patient messages not yet read
	Instrument   string     `json:"instrument,omitempty"`
	// Validated says whether Instrument is a validated scale; the series
	// is a validated one whenever the patient has answered one.
	Validated bool         `json:"validated"`
	Scores    []ScorePoint `json:"scores,omitempty"` // of Instrument, oldest first
	Class     Class        `json:"class"`
	Reasons   []Reason     `json:"reasons"`
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
// with its reasons, most urgent first. A therapist may triage only
// themselves; a supervisor their team.
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
	return forbidden("%s may not see %s's queue", actor.Handle, th.Handle)
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
	measures   []triageMeasure
	lastDiary  time.Time
	acked      map[string]bool
	program    *programs.Program
}

type triageSub struct {
	id, exercise, supersedes string
	at                       time.Time
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
// (completed or discontinued) enrollments of every patient whose latest
// enrollment is theirs, for the risk flags those still carry
// (docs/clinical.md, "Who owns a flag").
const triageScope = `SELECT id FROM enrollments WHERE therapist_id = ?1 AND status IN ('active', 'scheduled')
	UNION ALL SELECT f.id FROM enrollments f
	WHERE f.patient_id IN (SELECT patient_id FROM enrollments WHERE therapist_id = ?1) AND f.status IN ('completed', 'discontinued')
	AND (SELECT l.therapist_id FROM enrollments l WHERE l.patient_id = f.patient_id ORDER BY l.created_at DESC, l.id DESC LIMIT 1) = ?1`

func (db *DB) triage(ctx context.Context, tx *sql.Tx, th Therapist, pol Policy, now time.Time) (*Queue, error) {
	q := &Queue{TherapistID: th.ID, Handle: th.Handle, GeneratedAt: now, Counts: map[Class]int{}}
	byID := map[string]*triageEnrollment{}
	var order []*triageEnrollment

	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.patient_id, p.pseudonym, p.display_name, e.program_version_id, e.program_id,
		e.status, e.start_date, e.planned_end, e.unlocked_modules, COALESCE(r.received_at, '')
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
			&it.Status, &it.StartDate, &it.PlannedEnd, &te.unlocked, &received); err != nil {
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

	scan := func(query string, fn func(r *sql.Rows) error) error {
		rows, err := tx.QueryContext(ctx, query, th.ID)
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
	// Rows come in index order (enrollment, then time), so no sorting.
	err = scan(`SELECT id, enrollment_id, exercise_id, supersedes, submitted_at FROM submissions
		WHERE enrollment_id IN (`+triageScope+`) ORDER BY enrollment_id, submitted_at`, func(r *sql.Rows) error {
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
	err = scan(`SELECT enrollment_id, submission_id FROM feedback WHERE enrollment_id IN (`+triageScope+`)`, func(r *sql.Rows) error {
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
		FROM messages WHERE enrollment_id IN (`+triageScope+`) ORDER BY enrollment_id, sent_at`, func(r *sql.Rows) error {
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
	err = scan(`SELECT id, enrollment_id, instrument_id, instrument_version, week, answers, total, answered_at
		FROM measure_responses WHERE enrollment_id IN (`+triageScope+`) ORDER BY enrollment_id, answered_at`, func(r *sql.Rows) error {
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
	err = scan(`SELECT e.id, (SELECT MAX(recorded_at) FROM diary_entries d WHERE d.enrollment_id = e.id) FROM enrollments e
		WHERE e.id IN (`+triageScope+`)`, func(r *sql.Rows) error {
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
	err = scan(`SELECT source_id FROM risk_acks WHERE patient_id IN (SELECT patient_id FROM enrollments WHERE id IN (`+triageScope+`))`, func(r *sql.Rows) error {
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

	rules, err := newTriageRules(pol, now, db.riskCache, th)
	if err != nil {
		return nil, err
	}
	if err := rules.scanTexts(ctx, tx, order); err != nil {
		return nil, err
	}
	for _, te := range order {
		te.finished = te.item.Status == EnrollmentCompleted || te.item.Status == EnrollmentDiscontinued
		if te.program, err = db.programDef(ctx, tx, te.programVID, true); err != nil {
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

func (c *riskCache) get(words, id string) riskphrase.Hit {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.words != words {
		return riskphrase.Hit{}
	}
	return c.m[id]
}

// triageRules applies the policy to one enrollment at a time.
type triageRules struct {
	pol      Policy
	now      time.Time
	loc      *time.Location
	today    time.Time
	cache    *riskCache
	matcher  *riskphrase.Matcher
	wordsKey string
	owner    string // the queue's therapist, who owns the flags of finished enrollments in it
}

func newTriageRules(pol Policy, now time.Time, cache *riskCache, th Therapist) (*triageRules, error) {
	loc := pol.Location()
	ln := now.In(loc)
	r := &triageRules{pol: pol, now: now, loc: loc, today: time.Date(ln.Year(), ln.Month(), ln.Day(), 0, 0, 0, 0, loc), cache: cache, owner: th.Handle}
	var key []string
	for _, lang := range RiskLanguages {
		key = append(key, lang+"\x01"+strings.Join(pol.RiskWords[lang], "\x00"))
	}
	r.wordsKey = strings.Join(key, "\x02")
	var err error
	r.matcher, err = cache.compiled(r.wordsKey, pol.RiskWords)
	return r, err
}

func (r *triageRules) day(t time.Time) string { return t.In(r.loc).Format("2 Jan") }

func (r *triageRules) date(d string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, d, r.loc)
	return t
}

// scanTexts reads and scans the patient texts (inbound messages,
// submission answers) the cache has not seen, in batches.
func (r *triageRules) scanTexts(ctx context.Context, tx *sql.Tx, order []*triageEnrollment) error {
	var msgIDs, subIDs []string
	for _, te := range order {
		for _, m := range te.messages {
			if m.direction == DirectionIn {
				msgIDs = append(msgIDs, m.id)
			}
		}
		for _, s := range te.submitted {
			subIDs = append(subIDs, s.id)
		}
	}
	for _, job := range []struct {
		ids   []string
		query string
	}{
		{r.cache.missing(r.wordsKey, msgIDs), "SELECT id, body FROM messages WHERE id IN "},
		{r.cache.missing(r.wordsKey, subIDs), "SELECT id, answers FROM submissions WHERE id IN "},
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
				texts := []string{text}
				if strings.HasPrefix(job.query, "SELECT id, answers") {
					var answers map[string]string
					if err := json.Unmarshal([]byte(text), &answers); err != nil {
						rows.Close()
						return fmt.Errorf("submission %s: %w", id, err)
					}
					texts = texts[:0]
					for _, v := range answers {
						texts = append(texts, v)
					}
					sort.Strings(texts)
				}
				hit, _ := r.matcher.Match(texts...)
				r.cache.put(r.wordsKey, id, hit)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
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

func (r *triageRules) apply(ctx context.Context, db *DB, tx *sql.Tx, te *triageEnrollment) error {
	instrument := func(id string, version int) (*programs.Instrument, error) {
		return db.instrumentDef(ctx, tx, id, version, true)
	}
	it, p := te.item, te.program
	it.ProgramTitle, it.Weeks = p.Title, p.Weeks
	start := r.date(it.StartDate)
	if it.Status == EnrollmentActive {
		it.Week = int(r.today.Sub(start).Hours()/24)/7 + 1
		if it.Week < 1 {
			it.Week = 1
		}
		if it.Week > p.Weeks {
			it.Week = p.Weeks // past the planned end: the ending reason says so
		}
	}
	if te.unlocked > 0 && te.unlocked <= len(p.Modules) {
		it.ModuleTitle = p.Modules[te.unlocked-1].Title
	}
	var reasons []Reason
	add := func(rs Reason) { reasons = append(reasons, rs) }

	// Activity.
	last := te.lastDiary
	for _, s := range te.submitted {
		if s.at.After(last) {
			last = s.at
		}
	}
	for _, m := range te.messages {
		if m.direction == DirectionIn && m.at.After(last) {
			last = m.at
		}
		if m.direction == DirectionIn && !m.read {
			it.Unread++
		}
	}
	for _, m := range te.measures {
		if m.at.After(last) {
			last = m.at
		}
	}
	if !last.IsZero() {
		l := last
		it.LastActive = &l
	}

	// 1. Risk: endorsed critical items and possible-risk phrases, until
	// acknowledged, whatever became of the enrollment (docs/clinical.md).
	origin := ""
	if te.finished {
		origin = fmt.Sprintf("; from the %s enrollment in %s (planned end %s): the flag stays until acknowledged and is %s's as the last therapist assigned (the team supervisor's when nobody is)",
			it.Status, p.Title, r.day(r.date(it.PlannedEnd)), r.owner)
	}
	series := map[string][]triageMeasure{}
	validated := map[string]bool{}
	var instruments []string
	for _, m := range te.measures {
		if _, seen := series[m.instrument]; !seen {
			instruments = append(instruments, m.instrument)
		}
		series[m.instrument] = append(series[m.instrument], m)
		in, err := instrument(m.instrument, m.version)
		if err != nil {
			return err
		}
		validated[m.instrument] = isValidated(in)
		if te.acked[m.id] {
			continue
		}
		for _, hit := range in.CriticalHits(m.answers) {
			v := isValidated(in)
			add(Reason{Class: ClassRisk, Code: ReasonCriticalItem, Level: hit.Level, Since: m.at, SourceType: RiskSourceMeasure, SourceID: m.id, EnrollmentID: it.EnrollmentID, Validated: &v,
				Text:  fmt.Sprintf("%s%s item %s answered %d on %s, not yet acknowledged (%s)%s", in.Name(), notValidatedNote(in), hit.Item, hit.Answer, r.day(m.at), hit.Label, origin),
				Badge: fmt.Sprintf("RISK %s#%s=%d", in.Name(), hit.Item, hit.Answer)})
		}
	}
	phrase := func(h riskphrase.Hit) string {
		if h.Found == h.Phrase {
			return fmt.Sprintf("%q (%s list)", h.Found, h.Lang)
		}
		return fmt.Sprintf("%q (%s list phrase %q)", h.Found, h.Lang, h.Phrase)
	}
	for _, m := range te.messages {
		if m.direction != DirectionIn || te.acked[m.id] {
			continue
		}
		if h := r.cache.get(r.wordsKey, m.id); h.Phrase != "" {
			add(Reason{Class: ClassRisk, Code: ReasonRiskPhrase, Level: programs.LevelAmber, Heuristic: true, Since: m.at, SourceType: RiskSourceMessage, SourceID: m.id,
				EnrollmentID: it.EnrollmentID, Phrase: h.Phrase, Lang: h.Lang,
				Text:  fmt.Sprintf("Possible risk (word-list heuristic, can be wrong): message of %s contains %s, not yet acknowledged%s", r.day(m.at), phrase(h), origin),
				Badge: "RISK? msg"})
		}
	}
	superseded := map[string]bool{}
	for _, s := range te.submitted {
		if s.supersedes != "" {
			superseded[s.supersedes] = true
		}
	}
	for _, s := range te.submitted {
		if te.acked[s.id] {
			continue
		}
		if h := r.cache.get(r.wordsKey, s.id); h.Phrase != "" {
			add(Reason{Class: ClassRisk, Code: ReasonRiskPhrase, Level: programs.LevelAmber, Heuristic: true, Since: s.at, SourceType: RiskSourceSubmit, SourceID: s.id,
				EnrollmentID: it.EnrollmentID, Phrase: h.Phrase, Lang: h.Lang,
				Text:  fmt.Sprintf("Possible risk (word-list heuristic, can be wrong): exercise '%s' of %s contains %s, not yet acknowledged%s", exerciseTitle(p, s.exercise), r.day(s.at), phrase(h), origin),
				Badge: "RISK? ex"})
		}
	}
	if te.finished {
		// Nothing else is asked of a therapist about a finished enrollment.
		it.Reasons = reasons
		rankReasons(it)
		return nil
	}

	// 2 and 4. Submissions waiting for feedback and unanswered messages.
	promise := time.Duration(r.pol.FeedbackWorkingDays) * 24 * time.Hour
	promiseWords := fmt.Sprintf("the %d-working-day promise", r.pol.FeedbackWorkingDays)
	for _, s := range te.submitted {
		if te.feedbackOn[s.id] || superseded[s.id] {
			continue
		}
		it.Waiting++
		waited := workingTime(s.at, r.now, r.loc)
		title := exerciseTitle(p, s.exercise)
		days := WorkingDays(s.at, r.now, r.loc)
		if waited > promise {
			add(Reason{Class: ClassOverdue, Code: ReasonFeedbackOverdue, Since: s.at, SourceType: RiskSourceSubmit, SourceID: s.id,
				Text: fmt.Sprintf("Exercise '%s' submitted %s, waiting %s: feedback %s over %s",
					title, r.day(s.at), plural(days, "working day", "working days"), overBy(waited-promise), promiseWords),
				Badge: fmt.Sprintf("FB %dd!", days)})
		} else {
			add(Reason{Class: ClassDue, Code: ReasonFeedbackDue, Since: s.at, SourceType: RiskSourceSubmit, SourceID: s.id,
				Text:  fmt.Sprintf("Exercise '%s' submitted %s, feedback due within %s", title, r.day(s.at), plural(r.pol.FeedbackWorkingDays, "working day", "working days")),
				Badge: "FB " + shortAge(r.now.Sub(s.at))})
		}
	}
	var unanswered []triageMsg
	for _, m := range te.messages {
		if m.direction == DirectionOut {
			unanswered = unanswered[:0]
		} else {
			unanswered = append(unanswered, m)
		}
	}
	if len(unanswered) > 0 {
		oldest := unanswered[0]
		waited := workingTime(oldest.at, r.now, r.loc)
		days := WorkingDays(oldest.at, r.now, r.loc)
		n := plural(len(unanswered), "message", "messages")
		if waited > promise {
			add(Reason{Class: ClassOverdue, Code: ReasonMessageOverdue, Since: oldest.at, SourceType: RiskSourceMessage, SourceID: oldest.id,
				Text: fmt.Sprintf("%s unanswered since %s, %s: answer %s over %s",
					n, r.day(oldest.at), plural(days, "working day", "working days"), overBy(waited-promise), promiseWords),
				Badge: fmt.Sprintf("MSG %d %dd!", len(unanswered), days)})
		} else {
			add(Reason{Class: ClassDue, Code: ReasonMessageDue, Since: oldest.at, SourceType: RiskSourceMessage, SourceID: oldest.id,
				Text:  fmt.Sprintf("%s unanswered since %s, answer due within %s", n, r.day(oldest.at), plural(r.pol.FeedbackWorkingDays, "working day", "working days")),
				Badge: fmt.Sprintf("MSG %d", len(unanswered))})
		}
	}

	// 3. Deterioration: reliable deterioration from baseline, or not on track.
	for _, id := range instruments {
		ms := series[id]
		in, err := instrument(id, ms[len(ms)-1].version)
		if err != nil {
			return err
		}
		// A scale that is not validated has no known reliable change or
		// expected curve: it never raises deterioration or not on track.
		if len(ms) < 2 || !isValidated(in) {
			continue
		}
		base, cur := ms[0], ms[len(ms)-1]
		ch := in.Change(base.total, cur.total)
		yes := true
		if ch.ReliableDeterioration {
			add(Reason{Class: ClassDeterioration, Code: ReasonDeterioration, Since: cur.at, SourceType: RiskSourceMeasure, SourceID: cur.id, Validated: &yes,
				Text:  fmt.Sprintf("%s rose from %d to %d since baseline (reliable deterioration: +%d, threshold %d)", in.Name(), base.total, cur.total, ch.Delta, ch.Threshold),
				Badge: fmt.Sprintf("%s +%d", in.Name(), ch.Delta)})
			continue
		}
		totals := make([]int, len(ms))
		for i, m := range ms {
			totals[i] = m.total
		}
		week := cur.week
		if week < 1 {
			week = 1
		}
		// Below the caseness cut-off the patient is in the non-clinical
		// range: no not-on-track signal, whatever the curve says.
		if isCase, hasCut := in.IsCase(cur.total); hasCut && !isCase {
			continue
		}
		if off, expected, ok := programs.NotOnTrack(totals, week, p.Weeks, r.pol.NotOnTrack.ExpectedImprovementPct/100, r.pol.NotOnTrack.MinScores); ok && off {
			add(Reason{Class: ClassDeterioration, Code: ReasonNotOnTrack, Since: cur.at, SourceType: RiskSourceMeasure, SourceID: cur.id, Validated: &yes,
				Text: fmt.Sprintf("Not on track: %s is %d in week %d, expected below %.1f (baseline %d; local rule: %.0f%% improvement over %d weeks)",
					in.Name(), cur.total, week, expected, base.total, r.pol.NotOnTrack.ExpectedImprovementPct, p.Weeks),
				Badge: in.Name() + " off"})
		}
	}
	// The sparkline shows a validated scale: the program's first scheduled
	// one the patient answered, else the first validated one answered;
	// a not-validated scale only when nothing else was answered.
	primary := ""
	for _, sc := range p.Schedule {
		if _, ok := series[sc.Instrument]; ok && validated[sc.Instrument] {
			primary = sc.Instrument
			break
		}
	}
	for _, id := range instruments {
		if primary == "" && validated[id] {
			primary = id
		}
	}
	if primary == "" && len(instruments) > 0 {
		primary = instruments[0]
	}
	if ms, ok := series[primary]; ok {
		in, err := instrument(primary, ms[len(ms)-1].version)
		if err != nil {
			return err
		}
		it.Instrument = in.Name()
		it.Validated = isValidated(in)
		for _, m := range ms {
			it.Scores = append(it.Scores, ScorePoint{Week: m.week, Total: m.total, At: m.at})
		}
	}

	if it.Status == EnrollmentActive {
		// 5. Inactive.
		since := last
		if since.IsZero() || since.Before(start) {
			since = start
		}
		if idle := r.today.Sub(truncDay(since, r.loc)); idle >= time.Duration(r.pol.InactiveDays)*24*time.Hour {
			days := int(idle.Hours() / 24)
			text := fmt.Sprintf("No activity for %d days (last on %s)", days, r.day(since))
			if last.IsZero() || last.Before(start) {
				text = fmt.Sprintf("No activity since the start on %s, %d days ago", r.day(start), days)
			}
			add(Reason{Class: ClassInactive, Code: ReasonInactive, Since: since, Text: text, Badge: fmt.Sprintf("IDLE %dd", days)})
		}
		// 6. Ending.
		end := r.date(it.PlannedEnd)
		left := int(end.Sub(r.today).Hours() / 24)
		switch {
		case left < 0:
			finalWeek := 0
			for _, s := range p.Schedule {
				for _, w := range s.Weeks {
					if w > finalWeek {
						finalWeek = w
					}
				}
			}
			final := false
			for _, m := range te.measures {
				if m.week >= finalWeek && finalWeek > 0 {
					final = true
				}
			}
			text := fmt.Sprintf("Program ended on %s, %d days ago: complete or extend the enrollment", r.day(end), -left)
			if !final && finalWeek > 0 {
				text = fmt.Sprintf("Program ended on %s without final scores (week %d)", r.day(end), finalWeek)
			}
			add(Reason{Class: ClassEnding, Code: ReasonEnded, Since: end, Text: text, Badge: "ENDED"})
		case left <= r.pol.EndingDays:
			add(Reason{Class: ClassEnding, Code: ReasonEndingSoon, Since: end, Text: fmt.Sprintf("Program ends on %s, in %s", r.day(end), plural(left, "day", "days")),
				Badge: fmt.Sprintf("ENDS %dd", left)})
		}
		// 7. Starting: no welcome message yet.
		welcomed := false
		for _, m := range te.messages {
			if m.direction == DirectionOut {
				welcomed = true
				break
			}
		}
		if !welcomed {
			days := int(r.today.Sub(start).Hours() / 24)
			add(Reason{Class: ClassStarting, Code: ReasonNoWelcome, Since: start,
				Text: fmt.Sprintf("No welcome message yet (started %s, %s ago)", r.day(start), plural(days, "day", "days")), Badge: "WELCOME"})
		}
	} else if it.Status == EnrollmentScheduled {
		received := start
		if te.referral != nil {
			received = *te.referral
		}
		days := int(r.today.Sub(truncDay(received, r.loc)).Hours() / 24)
		due := truncDay(received, r.loc).AddDate(0, 0, r.pol.StartDays)
		text := fmt.Sprintf("Referral received %s, %s ago; start promised within %d days (by %s)", r.day(received), plural(days, "day", "days"), r.pol.StartDays, r.day(due))
		if days > r.pol.StartDays {
			text = fmt.Sprintf("Referral received %s, %d days ago: start %s over the %d-day start promise", r.day(received), days, plural(days-r.pol.StartDays, "day", "days"), r.pol.StartDays)
		}
		add(Reason{Class: ClassStarting, Code: ReasonStartDue, Since: received, Text: text, Badge: fmt.Sprintf("START %dd", days)})
	}

	it.Reasons = reasons
	rankReasons(it)
	return nil
}

// overBy says how far past the promise a clock is, in working days, or in
// working hours when it is less than one day.
func overBy(d time.Duration) string {
	if d < 24*time.Hour {
		h := int(d.Hours())
		if h < 1 {
			return "just"
		}
		return plural(h, "working hour", "working hours")
	}
	return plural(int(d/(24*time.Hour)), "working day", "working days")
}

// isValidated says whether an instrument's definition says it is validated.
func isValidated(in *programs.Instrument) bool { return in.Validated != nil && *in.Validated }

// notValidatedNote marks a score of a scale that is not validated.
func notValidatedNote(in *programs.Instrument) string {
	if isValidated(in) {
		return ""
	}
	return " (not a validated scale)"
}

func exerciseTitle(p *programs.Program, id string) string {
	if _, ex, ok := p.Exercise(id); ok {
		return ex.Title
	}
	return id
}

func truncDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

func shortAge(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
