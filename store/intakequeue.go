package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"polku/programs"
	"polku/store/riskphrase"
)

// IntakeItem is one open referral in the intake queue.
type IntakeItem struct {
	ReferralID    string     `json:"referral_id"`
	Version       int64      `json:"version"`
	PatientID     string     `json:"patient_id"`
	Pseudonym     string     `json:"pseudonym"`
	DisplayName   string     `json:"display_name"`
	Age           int        `json:"age"` // -1 when unknown
	Language      string     `json:"language"`
	Region        string     `json:"region,omitempty"`
	Team          string     `json:"team,omitempty"`
	ReferringUnit string     `json:"referring_unit"`
	WishedProgram string     `json:"wished_program,omitempty"`
	ReceivedAt    time.Time  `json:"received_at"`
	WorkingDays   int        `json:"working_days"` // since the arrival
	PromiseDays   int        `json:"promise_days"`
	Due           time.Time  `json:"due"` // the last day of the promise
	OverPromise   bool       `json:"over_promise"`
	WaitingSince  *time.Time `json:"waiting_since,omitempty"`
	Risk          bool       `json:"risk"`
	Reasons       []Reason   `json:"reasons"`
}

// IntakeQueue is a team's open referrals in the order they are worked.
type IntakeQueue struct {
	Team        string       `json:"team"`
	GeneratedAt time.Time    `json:"generated_at"`
	PromiseDays int          `json:"promise_days"`
	Open        int          `json:"open"`
	OverPromise int          `json:"over_promise"`
	Waiting     int          `json:"waiting"`
	Items       []IntakeItem `json:"items"`
}

// intakeScope is which open referrals a queue holds: every team's (all),
// or one team's and those of no team.
type intakeScope struct {
	all  bool
	team string
}

// intakeScope is the queue actor works: a person their own team's (a
// person of no team: the referrals of no team); the store's owner at the
// CLI or the system every team's, or the team asked for.
func (db *DB) intakeScope(ctx context.Context, actor Actor, team string) (intakeScope, error) {
	if actor.IsPerson() && !strings.HasPrefix(actor.ID, "os:") {
		if team != "" && team != actor.Team {
			return intakeScope{}, forbidden("store.err.works_intake_queue_team", "Handle", actor.Handle, "Team", quote(actor.Team), "Team2", quote(team))
		}
		return intakeScope{team: actor.Team}, mayIntake(ctx, db.r, actor, actor.Team)
	}
	return intakeScope{all: team == "", team: team}, mayIntake(ctx, db.r, actor, team)
}

// Intake builds the intake queue of a team (a supervisor's or intake
// worker's own; "" for every team when the store's owner asks). It reads
// names and ages, not records: it is not audited, like the therapist
// queue; ReferralDetail is.
func (db *DB) Intake(ctx context.Context, actor Actor, team string) (*IntakeQueue, error) {
	scope, err := db.intakeScope(ctx, actor, team)
	if err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	items, err := db.intakeItems(ctx, tx, pol, now, scope, "")
	if err != nil {
		return nil, err
	}
	q := &IntakeQueue{Team: scope.team, GeneratedAt: now, PromiseDays: pol.StartDays, Items: items}
	for _, it := range items {
		q.Open++
		if it.OverPromise {
			q.OverPromise++
		}
		if it.WaitingSince != nil {
			q.Waiting++
		}
	}
	return q, nil
}

// intakeCols leave out the referral's texts: they are read only for the
// referrals the risk-phrase cache has not seen (texts never change).
const intakeCols = `r.id, r.version, r.patient_id, r.received_at, r.requested_program, r.referring_unit, r.team, r.region,
	r.screening, r.doctor_assessment <> '', r.waiting_since, p.pseudonym, p.display_name, p.birth_date, p.language`

// intakeItems loads and evaluates the open referrals of a scope, or one
// referral by id.
func (db *DB) intakeItems(ctx context.Context, tx *sql.Tx, pol Policy, now time.Time, scope intakeScope, id string) ([]IntakeItem, error) {
	query := `SELECT ` + intakeCols + ` FROM referrals r JOIN patients p ON p.id = r.patient_id `
	var args []any
	switch {
	case id != "":
		query += `WHERE r.id = ?`
		args = append(args, id)
	case scope.all:
		query += `WHERE r.status IN ('received', 'accepted')`
	default:
		query += `WHERE r.status IN ('received', 'accepted') AND r.team IN (?, '')`
		args = append(args, scope.team)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rules, err := newTriageRules(pol, now, db.riskCache, Therapist{})
	if err != nil {
		return nil, err
	}
	env := &rules.env
	env.days = dayMemo{}
	loc := env.loc
	clock := &promiseClock{loc: loc, now: now, memo: env.days, rest: map[int]time.Duration{}, dues: map[int]time.Time{}}
	progs := map[string]*programs.Program{}
	instruments := map[string]*programs.Instrument{}
	var out []IntakeItem
	var facts []*intakeFacts
	for rows.Next() {
		var it IntakeItem
		var received, screening, birth string
		var doctor bool
		var waiting sql.NullString
		if err := rows.Scan(&it.ReferralID, &it.Version, &it.PatientID, &received, &it.WishedProgram, &it.ReferringUnit, &it.Team, &it.Region,
			&screening, &doctor, &waiting, &it.Pseudonym, &it.DisplayName, &birth, &it.Language); err != nil {
			return nil, err
		}
		it.ReceivedAt, _ = parseTime(received)
		f := &intakeFacts{received: it.ReceivedAt, age: ageOn(birth, now, loc), doctor: doctor}
		it.Age = f.age
		if waiting.Valid {
			w, _ := parseTime(waiting.String)
			it.WaitingSince, f.waitingSince = &w, &w
		}
		if it.WishedProgram != "" {
			p, ok := progs[it.WishedProgram]
			if !ok {
				if pv, err := db.latestProgramDef(ctx, it.WishedProgram); err == nil {
					p, _ = db.ProgramDef(ctx, pv.ID)
				}
				progs[it.WishedProgram] = p
			}
			f.wished = p
		}
		if screening != "" && screening != "[]" {
			var list []Screening
			if err := jsonUnmarshal(screening, &list); err != nil {
				return nil, fmt.Errorf("referral %s: screening: %w", it.ReferralID, err)
			}
			for _, s := range list {
				if len(s.Answers) == 0 {
					continue
				}
				in, ok := instruments[s.Instrument]
				if !ok {
					in, _ = db.instrumentDef(ctx, tx, s.Instrument, 0, nil)
					instruments[s.Instrument] = in
				}
				if in == nil {
					continue
				}
				for _, h := range in.CriticalHits(s.Answers) {
					f.critical = append(f.critical, screeningHit{instrument: in.Name(), date: s.Date, hit: h})
				}
			}
		}
		facts = append(facts, f)
		it.WorkingDays = clock.workingDays(it.ReceivedAt)
		f.workingDays = it.WorkingDays
		it.PromiseDays = pol.StartDays
		it.Due = clock.due(it.ReceivedAt, pol.StartDays)
		it.OverPromise = it.WorkingDays > pol.StartDays
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// Referral texts never change: a phrase found once is cached by the
	// referral's id, and only texts not yet scanned are read.
	ids := make([]string, len(out))
	for i := range out {
		ids[i] = out[i].ReferralID
	}
	if err := db.scanReferralTexts(ctx, tx, rules, db.riskCache.missing(rules.wordsKey, ids)); err != nil {
		return nil, err
	}
	hits := map[string]riskphrase.Hit{}
	db.riskCache.collect(rules.wordsKey, hits, ids)
	order := make([]*IntakeItem, len(out))
	for i := range out {
		it := &out[i]
		if h, ok := hits[it.ReferralID]; ok {
			facts[i].phrase = &h
		}
		it.Reasons = evaluateIntake(facts[i], env)
		it.Risk = riskRank(it.Reasons) < 2
		order[i] = it
	}
	slices.SortFunc(order, func(a, b *IntakeItem) int {
		switch {
		case intakeLess(a, b):
			return -1
		case intakeLess(b, a):
			return 1
		}
		return 0
	})
	sorted := make([]IntakeItem, len(order))
	for i, it := range order {
		sorted[i] = *it
	}
	return sorted, nil
}

// scanReferralTexts reads the reason and notes of referrals the cache has
// not seen, in batches, and puts what the phrase matcher finds there.
func (db *DB) scanReferralTexts(ctx context.Context, tx *sql.Tx, rules *triageRules, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		args := make([]any, n)
		for i, id := range batch {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, reason, notes FROM referrals WHERE id IN (?"+strings.Repeat(", ?", n-1)+")", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, reason, notes string
			if err := rows.Scan(&id, &reason, &notes); err != nil {
				rows.Close()
				return err
			}
			h, _ := rules.matcher.Match(reason, notes)
			db.riskCache.put(rules.wordsKey, id, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// ageOn is the age in whole years on now's day in loc (-1 when unknown).
func ageOn(birth string, now time.Time, loc *time.Location) int {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return -1
	}
	n := now.In(loc)
	age := n.Year() - b.Year()
	if n.Month() < b.Month() || (n.Month() == b.Month() && n.Day() < b.Day()) {
		age--
	}
	return age
}

// ReferralDetail is everything an intake worker decides on: the
// referral, its patient and assessments, and the suggestions (programs,
// therapists, a start date, services), none of which is a decision.
type ReferralDetail struct {
	Item        IntakeItem            `json:"item"`
	Referral    Referral              `json:"referral"`
	Patient     Patient               `json:"patient"`
	Assessments []Assessment          `json:"assessments"`
	Checklist   []programs.Criterion  `json:"checklist"` // of the first suggested program (or the default)
	Programs    []ProgramSuggestion   `json:"programs"`
	Therapists  []TherapistSuggestion `json:"therapists"`
	StartDate   string                `json:"start_date"` // suggested: the next working day
	PromiseDate string                `json:"promise_date"`
	Services    []ServiceSuggestion   `json:"services"`
	Decision    string                `json:"decision,omitempty"` // decided referrals: what was decided
	Enrollment  *Enrollment           `json:"enrollment,omitempty"`
	WaitingList bool                  `json:"waiting_list_suggested,omitempty"` // nobody has free capacity
}

// ReferralDetail reads one referral for its intake worker, with the
// suggestions, and audits the read.
func (db *DB) ReferralDetail(ctx context.Context, actor Actor, referralID string) (*ReferralDetail, error) {
	r, err := db.Referral(ctx, referralID)
	if err != nil {
		return nil, err
	}
	if err := mayIntake(ctx, db.r, actor, r.Team); err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	loc := pol.Location()
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	items, err := db.intakeItems(ctx, tx, pol, now, intakeScope{}, r.ID)
	if err != nil || len(items) == 0 {
		return nil, fmt.Errorf("referral %s: %w", referralID, err)
	}
	d := &ReferralDetail{Item: items[0], Referral: r}
	if d.Patient, err = selectOne[Patient](ctx, tx, tables.patient, "patient", r.PatientID, "WHERE id = ?", r.PatientID); err != nil {
		return nil, err
	}
	if d.Assessments, err = selectAll[Assessment](ctx, tx, tables.assessment, "WHERE referral_id = ? ORDER BY assessed_at", r.ID); err != nil {
		return nil, err
	}
	progs, _, err := db.latestPrograms(ctx)
	if err != nil {
		return nil, err
	}
	sf := suggestFacts{age: d.Item.Age, language: d.Patient.Language, codes: r.Codes, wished: r.RequestedProgram}
	for _, s := range r.Screening {
		if s.Total == nil {
			continue
		}
		in, err := db.instrumentDef(ctx, tx, s.Instrument, 0, nil)
		if err != nil {
			continue
		}
		sf.scores = append(sf.scores, scoreFact{instrument: s.Instrument, name: in.Name(), total: *s.Total, band: in.Band(*s.Total), bands: instrumentBands(in, *s.Total)})
	}
	d.Programs = suggestPrograms(progs, sf)
	d.Checklist = programs.DefaultEligibility()
	for _, p := range progs {
		if len(d.Programs) > 0 && p.ID == d.Programs[0].ProgramID {
			d.Checklist = p.Checklist()
		}
	}
	if d.Therapists, err = db.therapistLoads(ctx, tx, suggestTeam(r, actor)); err != nil {
		return nil, err
	}
	d.Therapists = rankTherapists(d.Therapists, d.Patient.Language)
	d.WaitingList = len(d.Therapists) == 0 || d.Therapists[0].Free <= 0
	d.StartDate = NextWorkingDay(now, loc).Format(time.DateOnly)
	d.PromiseDate = d.Item.Due.Format(time.DateOnly)
	svcs, err := db.Services(ctx)
	if err != nil {
		return nil, err
	}
	d.Services = findServices(svcs, r.Region, d.Patient.Language, "")
	if r.Status != ReferralReceived && r.Status != ReferralAccepted {
		d.Item.Reasons = nil
		es, err := selectAll[Enrollment](ctx, tx, tables.enrollment, "WHERE referral_id = ? ORDER BY created_at DESC LIMIT 1", r.ID)
		if err != nil {
			return nil, err
		}
		if len(es) > 0 {
			d.Enrollment = &es[0]
		}
		d.Decision = r.Status
		if r.DecisionCode != "" && r.DecisionCode != "accepted" {
			d.Decision += ": " + r.DecisionCode
		}
	}
	if err := db.RecordAccess(ctx, actor, r.PatientID, "referral-view", "referral "+r.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// therapistLoads lists the team's therapists with their caseload (active
// and scheduled enrollments) and backlog (scheduled ones).
func (db *DB) therapistLoads(ctx context.Context, q querier, team string) ([]TherapistSuggestion, error) {
	where := "WHERE t.role = 'therapist'"
	var args []any
	if team != "" {
		where += " AND t.team = ?"
		args = append(args, team)
	}
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.handle, t.name, t.languages, t.capacity,
		(SELECT COUNT(*) FROM enrollments e WHERE e.therapist_id = t.id AND e.status IN ('active', 'scheduled')),
		(SELECT COUNT(*) FROM enrollments e WHERE e.therapist_id = t.id AND e.status = 'scheduled')
		FROM therapists t `+where+` ORDER BY t.handle`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TherapistSuggestion
	for rows.Next() {
		var t TherapistSuggestion
		var langs string
		if err := rows.Scan(&t.TherapistID, &t.Handle, &t.Name, &langs, &t.Capacity, &t.Caseload, &t.Starting); err != nil {
			return nil, err
		}
		jsonUnmarshal(langs, &t.Languages)
		out = append(out, t)
	}
	return out, rows.Err()
}

// ---- decisions ----

// AcceptRequest says how to accept a referral. Empty fields take the
// suggestion: the program the referrer wished (else the first suggested),
// its newest version, the first suggested therapist, the next working day.
type AcceptRequest struct {
	ReferralID string `json:"referral_id"`
	Version    int64  `json:"version"` // the referral version the worker saw; 0: the current one
	ProgramID  string `json:"program_id,omitempty"`
	ProgramVer int    `json:"program_version,omitempty"`
	Therapist  string `json:"therapist,omitempty"` // handle or id
	StartDate  string `json:"start_date,omitempty"`
	Reason     string `json:"reason,omitempty"` // why the start is beyond the promise
	// DoctorAssessment is the referring doctor's assessment, when it came
	// after the referral (16-17-year-olds in an adults' program).
	DoctorAssessment string `json:"doctor_assessment,omitempty"`
}

// Accepted is what accepting did (or, in a dry run, would do).
type Accepted struct {
	Enrollment   Enrollment   `json:"enrollment"`
	Therapist    string       `json:"therapist"` // handle
	Notification Notification `json:"notification"`
	DryRun       bool         `json:"dry_run,omitempty"`
}

// AcceptReferral accepts a referral in one operation: the enrollment with
// its therapist, the referral enrolled, the patient's notification.
func (db *DB) AcceptReferral(ctx context.Context, actor Actor, req AcceptRequest, dryRun bool) (Accepted, error) {
	r, err := db.Referral(ctx, req.ReferralID)
	if err != nil {
		return Accepted{}, err
	}
	if req.Version == 0 {
		req.Version = r.Version
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return Accepted{}, err
	}
	now := db.Now()
	loc := pol.Location()
	prog := req.ProgramID
	if prog == "" {
		prog = r.RequestedProgram
	}
	if prog == "" {
		return Accepted{}, invalid("accept", "program", "store.err.say_which_program_referral", "ID", r.ID)
	}
	pv, err := db.ProgramVersion(ctx, prog, req.ProgramVer)
	if err != nil {
		return Accepted{}, ref("accept", "program", prog, err)
	}
	th, err := db.pickTherapist(ctx, r, suggestTeam(r, actor), req.Therapist)
	if err != nil {
		return Accepted{}, err
	}
	start := req.StartDate
	if start == "" {
		start = NextWorkingDay(now, loc).Format(time.DateOnly)
	}
	sd, err := time.ParseInLocation(time.DateOnly, start, loc)
	if err != nil {
		return Accepted{}, invalid("accept", "start_date", "store.err.not_date_iso", "Value", quote(start))
	}
	def, err := db.ProgramDef(ctx, pv.ID)
	if err != nil {
		return Accepted{}, err
	}
	status := EnrollmentScheduled
	if !sd.After(truncDay(now, loc)) {
		status = EnrollmentActive
	}
	p, err := db.ResolvePatient(ctx, r.PatientID)
	if err != nil {
		return Accepted{}, err
	}
	e := Enrollment{ID: db.NewID(now), PatientID: r.PatientID, ReferralID: r.ID, ProgramVersionID: pv.ID, ProgramID: pv.ProgramID,
		TherapistID: th.ID, Status: status, StartDate: start, PlannedEnd: sd.AddDate(0, 0, 7*def.Weeks).Format(time.DateOnly),
		CreatedAt: now, UpdatedAt: now, Version: 1}
	n := Notification{ID: db.NewID(now), Kind: NotifyAccepted, Recipient: ToPatient, ReferralID: r.ID, PatientID: r.PatientID,
		SourceID: r.SourceID, Language: p.Language, StartDate: start, Text: acceptedText(p.Language, sd), CreatedAt: now}
	op := AcceptReferralOp{ReferralVersion: req.Version, Enrollment: e, Notification: n, Reason: req.Reason, DoctorAssessment: req.DoctorAssessment, At: now}
	out := Accepted{Enrollment: e, Therapist: th.Handle, Notification: n, DryRun: dryRun}
	if dryRun {
		return out, db.tryApply(ctx, actor, op)
	}
	return out, db.Apply(ctx, actor, op)
}

// suggestTeam is whose therapists are suggested: the referral's team, or
// for a referral of no team the deciding person's.
func suggestTeam(r Referral, actor Actor) string {
	if r.Team == "" && actor.IsPerson() {
		return actor.Team
	}
	return r.Team
}

func (db *DB) pickTherapist(ctx context.Context, r Referral, team, want string) (Therapist, error) {
	if want != "" {
		th, err := db.TherapistByHandle(ctx, want)
		if err != nil {
			th, err = db.Therapist(ctx, want)
		}
		return th, ref("accept", "therapist", want, err)
	}
	loads, err := db.therapistLoads(ctx, db.r, team)
	if err != nil {
		return Therapist{}, err
	}
	p, err := db.ResolvePatient(ctx, r.PatientID)
	if err != nil {
		return Therapist{}, err
	}
	loads = rankTherapists(loads, p.Language)
	if len(loads) == 0 || loads[0].Free <= 0 {
		return Therapist{}, invalid("accept", "therapist", "store.err.no_therapist_team_has", "ID", r.ID)
	}
	return db.Therapist(ctx, loads[0].TherapistID)
}

func acceptedText(lang string, start time.Time) string {
	d := start.Format("2.1.2006")
	switch lang {
	case "fi":
		return "Lähetteesi nettiterapiaan on hyväksytty. Hoito alkaa " + d + ". Saat kirjautumisohjeet erikseen."
	case "sv":
		return "Din remiss till internetterapi har godkänts. Behandlingen börjar " + d + ". Du får inloggningsanvisningar separat."
	}
	return "Your referral to internet therapy has been accepted. Your treatment starts on " + d + ". You will receive sign-in instructions separately."
}

// DeclineRequest says how to decline a referral.
type DeclineRequest struct {
	ReferralID string `json:"referral_id"`
	Version    int64  `json:"version"`
	Code       string `json:"code"`
	Text       string `json:"text"`
	Service    string `json:"service,omitempty"` // a service id from the directory
}

// DeclineReferral declines a referral and queues the referrer's
// notification.
func (db *DB) DeclineReferral(ctx context.Context, actor Actor, req DeclineRequest, dryRun bool) (Notification, error) {
	r, err := db.Referral(ctx, req.ReferralID)
	if err != nil {
		return Notification{}, err
	}
	if req.Version == 0 {
		req.Version = r.Version
	}
	now := db.Now()
	meaning, _ := declineMeaning(req.Code)
	text := fmt.Sprintf("Referral %s received %s was not accepted for internet therapy: %s.", orDash(r.SourceID), r.ReceivedAt.Format("2.1.2006"), meaning)
	if req.Service != "" {
		svcs, _ := db.Services(ctx)
		for _, s := range svcs {
			if s.ID == req.Service {
				text += " Suggested instead: " + s.Name + " (" + s.Contact + ")."
			}
		}
	}
	n := Notification{ID: db.NewID(now), Kind: NotifyDeclined, Recipient: ToReferrer, ReferralID: r.ID, PatientID: r.PatientID,
		SourceID: r.SourceID, Language: "fi", Text: text, CreatedAt: now}
	op := DeclineReferralOp{ReferralID: r.ID, ReferralVersion: req.Version, Code: req.Code, Text: req.Text, ServiceID: req.Service, Notification: n, At: now}
	if dryRun {
		return n, db.tryApply(ctx, actor, op)
	}
	return n, db.Apply(ctx, actor, op)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WaitReferral puts a referral on the waiting list.
func (db *DB) WaitReferral(ctx context.Context, actor Actor, referralID string, version int64, reason string, dryRun bool) error {
	if version == 0 {
		r, err := db.Referral(ctx, referralID)
		if err != nil {
			return err
		}
		version = r.Version
	}
	op := WaitReferralOp{ReferralID: referralID, ReferralVersion: version, Reason: reason, At: db.Now()}
	if dryRun {
		return db.tryApply(ctx, actor, op)
	}
	return db.Apply(ctx, actor, op)
}

// QueuedNotification is a notification with its place in the store's
// order of arrival (the change log's sequence): the cursor of
// GET /v1/notifications. Ids are made by the writer's clock, which on a
// replica may be behind, so they are no cursor.
type QueuedNotification struct {
	Seq int64 `json:"seq"`
	Notification
}

// Notifications lists notifications that arrived after the change-log
// sequence after (0: from the start), in order of arrival, at most limit.
func (db *DB) Notifications(ctx context.Context, after int64, limit int) ([]QueuedNotification, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	cols := make([]string, len(tables.notification.cols))
	for i, c := range tables.notification.cols {
		cols[i] = "n." + c.name
	}
	rows, err := db.r.QueryContext(ctx, `SELECT c.seq, `+strings.Join(cols, ", ")+` FROM changes c JOIN notifications n ON n.id = c.entity_id
		WHERE c.seq > ? AND c.entity = 'notifications' AND c.op = 'insert' ORDER BY c.seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []QueuedNotification{}
	for rows.Next() {
		var q QueuedNotification
		if err := tables.notification.scanInto(seqScanner{rows, &q.Seq}, &q.Notification); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// seqScanner reads a leading seq column before a record's columns.
type seqScanner struct {
	rows interface{ Scan(...any) error }
	seq  *int64
}

func (s seqScanner) Scan(dst ...any) error {
	return s.rows.Scan(append([]any{s.seq}, dst...)...)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// promiseClock counts working days since arrivals for one queue: the
// working time from the day after an arrival until now, and the last day
// of the promise, are the same for every referral of that day.
type promiseClock struct {
	loc  *time.Location
	now  time.Time
	memo dayMemo
	rest map[int]time.Duration // by arrival day
	dues map[int]time.Time     // by arrival day
}

func dayKey(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

func (c *promiseClock) workingDays(from time.Time) int {
	l := from.In(c.loc)
	next := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, c.loc)
	if !next.Before(c.now) {
		return int(workingTimeMemo(from, c.now, c.loc, c.memo) / (24 * time.Hour))
	}
	var first time.Duration
	if c.memo.isWorking(l) {
		first = next.Sub(from)
	}
	k := dayKey(l)
	rest, ok := c.rest[k]
	if !ok {
		rest = workingTimeMemo(next, c.now, c.loc, c.memo)
		c.rest[k] = rest
	}
	return int((first + rest) / (24 * time.Hour))
}

func (c *promiseClock) due(from time.Time, days int) time.Time {
	k := dayKey(from.In(c.loc))
	d, ok := c.dues[k]
	if !ok {
		d = addWorkingDays(from, days, c.loc, c.memo)
		c.dues[k] = d
	}
	return d
}

// intakeCounts counts a team's open referrals (and those of no team), how
// many are past the start promise and how many wait, for the team view:
// the queue's clock without its reasons.
func (db *DB) intakeCounts(ctx context.Context, pol Policy, now time.Time, team string, v *TeamView) error {
	rows, err := db.r.QueryContext(ctx, `SELECT received_at, waiting_since IS NOT NULL FROM referrals
		WHERE status IN ('received', 'accepted') AND team IN (?, '')`, team)
	if err != nil {
		return err
	}
	defer rows.Close()
	loc := pol.Location()
	memo := dayMemo{}
	clock := &promiseClock{loc: loc, now: now, memo: memo, rest: map[int]time.Duration{}, dues: map[int]time.Time{}}
	for rows.Next() {
		var received string
		var waiting bool
		if err := rows.Scan(&received, &waiting); err != nil {
			return err
		}
		t, err := parseTime(received)
		if err != nil {
			return err
		}
		v.OpenReferrals++
		if clock.workingDays(t) > pol.StartDays {
			v.ReferralsOverPromise++
		}
		if waiting {
			v.ReferralsWaiting++
		}
		if v.OldestOpenReferral == nil || t.Before(*v.OldestOpenReferral) {
			tt := t
			v.OldestOpenReferral = &tt
		}
	}
	return rows.Err()
}
