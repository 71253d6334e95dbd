// Package demo generates a synthetic polku store: therapists in teams,
// referrals, patients at every week of every built-in program, improvers,
// non-responders, deteriorators, inactive patients, a few with PHQ-9 item 9
// endorsed, unanswered messages, submissions waiting for feedback and sleep
// diaries. Everything is dated relative to the given time and every patient
// is marked synthetic. The same seed makes the same people and histories.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/programs"
	"polku/programs/builtin"
	"polku/store"
)

// Config says what to generate.
type Config struct {
	Seed       uint64
	Patients   int
	Therapists int       // 0: 8, or one per 150 patients for large stores
	Now        time.Time // the demo's "now"; data is dated relative to it
	// Progress, if set, is called after each patient with how many are
	// done of how many.
	Progress func(done, total int)
}

// Handles of the demo accounts.
const (
	DemoHandle       = "demo"  // the therapist the demo opens as
	SupervisorHandle = "super" // supervisor of team 1
	AdminHandle      = "admin"
)

// Summary says what was generated.
type Summary struct {
	Teams        int            `json:"teams"`
	Therapists   int            `json:"therapists"`
	Patients     int            `json:"patients"`
	Enrollments  map[string]int `json:"enrollments"` // by status
	OpenReferral int            `json:"open_referrals"`
	Showcase     int            `json:"intake_showcase"` // referral-only patients SYN-R001... in every intake state
	RiskPatients int            `json:"risk_patients"`   // with an unacknowledged critical item
	Records      int            `json:"records"`
	DemoPatients int            `json:"demo_therapist_patients"`
	// SignedSummaries is how many discharge summaries were signed.
	SignedSummaries int `json:"signed_summaries"`
}

// TherapistCount is how many therapists a demo of n patients gets.
func TherapistCount(patients int) int {
	n := int(math.Ceil(float64(patients) / 150))
	if n < 8 {
		n = 8
	}
	return n
}

type progInfo struct {
	pv  store.ProgramVersion
	def *programs.Program
}

type gen struct {
	ctx           context.Context
	db            *store.DB
	cfg           Config
	now           time.Time
	supervisorID  string // team 1's, who decided the showcase referrals
	loc           *time.Location
	today         time.Time
	progs         map[string]progInfo
	instruments   map[string]*programs.Instrument
	therapists    []store.Therapist // role therapist, demo first
	weights       []int
	sum           Summary
	demoRisk      int               // risk scenarios given to the demo therapist so far
	demoPaused    int               // paused treatments given to the demo therapist so far
	demoMoved     int               // treatments transferred to the demo therapist so far
	demoFollowUps int               // follow-ups answered by the demo therapist's patients so far
	riskLangs     map[string]int    // the demo therapist's patients with a possible-risk message, by language
	supervisors   map[string]string // supervisor id by team
	idTick        int64
}

// Generate fills an empty store. The store should be opened with a seeded
// Random option for reproducible ids.
func Generate(ctx context.Context, db *store.DB, cfg Config) (Summary, error) {
	if cfg.Patients < 1 {
		return Summary{}, store.NewError(store.ErrInvalid, i18n.Msg("store.err.demo_patients", "N", cfg.Patients))
	}
	if cfg.Therapists == 0 {
		cfg.Therapists = TherapistCount(cfg.Patients)
	}
	sys := store.System("demo")
	g, err := newGen(ctx, db, cfg)
	if err != nil {
		return Summary{}, err
	}
	sum, err := db.ImportRecords(ctx, sys, func(yield func(any) bool) {
		for _, t := range g.staff() {
			if !yield(t) {
				return
			}
		}
		for i := 0; i < cfg.Patients-cohortSize(cfg.Patients); i++ {
			if ctx.Err() != nil {
				return // the import then fails with the context's error and writes nothing
			}
			for _, rec := range g.patient(i) {
				if !yield(rec) {
					return
				}
			}
			if cfg.Progress != nil {
				cfg.Progress(i+1, cfg.Patients)
			}
		}
		for _, rec := range g.intakeShowcase() {
			if !yield(rec) {
				return
			}
		}
	})
	if err != nil {
		return g.sum, err
	}
	for _, n := range sum.Added {
		g.sum.Records += n
	}
	if err := g.signSummaries(ctx); err != nil {
		return g.sum, err
	}
	if err := g.groups(); err != nil { // groups.go
		return g.sum, err
	}
	for k, v := range map[string]string{"demo": "true", "demo_seed": strconv.FormatUint(cfg.Seed, 10),
		"demo_patients": strconv.Itoa(cfg.Patients), "demo_therapists": strconv.Itoa(cfg.Therapists),
		"demo_generated_at": g.now.Format(time.RFC3339)} {
		if err := db.SetMeta(ctx, k, v); err != nil {
			return g.sum, err
		}
	}
	return g.sum, nil
}

// newGen stores the built-in programs and reads what the generator
// needs of them.
func newGen(ctx context.Context, db *store.DB, cfg Config) (*gen, error) {
	sys := store.System("demo")
	b, err := builtin.Load()
	if err != nil {
		return nil, err
	}
	if _, err := db.ImportPrograms(ctx, sys, b, false); err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	g := &gen{ctx: ctx, db: db, cfg: cfg, now: cfg.Now.UTC().Truncate(time.Minute), loc: pol.Location(),
		progs: map[string]progInfo{}, riskLangs: map[string]int{}, instruments: map[string]*programs.Instrument{}, sum: Summary{Enrollments: map[string]int{}}}
	lt := g.now.In(g.loc)
	g.today = time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, g.loc)
	for _, id := range []string{"gad", "depression", "insomnia", "social-anxiety-youth"} {
		pv, err := db.ProgramVersion(ctx, id, 0)
		if err != nil {
			return nil, err
		}
		def, err := db.ProgramDef(ctx, pv.ID)
		if err != nil {
			return nil, err
		}
		g.progs[id] = progInfo{pv, def}
		for _, s := range def.Schedule {
			in, err := db.InstrumentDef(ctx, s.Instrument, 0)
			if err != nil {
				return nil, err
			}
			g.instruments[s.Instrument] = in
		}
	}
	return g, nil
}

func (g *gen) staffTime() time.Time { return g.now.AddDate(-1, 0, 0) }

// staff makes the accounts: therapists in teams of eight with a
// supervisor each, and one admin.
func (g *gen) staff() []any {
	var out []any
	at := g.staffTime()
	teams := (g.cfg.Therapists + 7) / 8
	g.sum.Teams = teams
	rng := rand.New(rand.NewPCG(g.cfg.Seed, 1<<40))
	named := map[string]int{} // therapists named so far, by language
	for i := 0; i < g.cfg.Therapists; i++ {
		lang := TherapistLanguage(g.cfg.Seed, i)
		handle, name := DemoHandle, "Sanna Esimerkki"
		if i > 0 {
			names := therapistNamesIn[lang]
			k := named[lang]
			named[lang]++
			name = names[k%len(names)]
			handle = strings.ToLower(strings.Split(name, " ")[0])
			if k >= len(names) {
				handle = fmt.Sprintf("%s%d", handle, k/len(names)+1)
			}
			handle = strings.NewReplacer("ä", "a", "ö", "o", "å", "a").Replace(handle)
		}
		langs := therapistLanguages(lang, rng.IntN(4) == 0, i == 0)
		t := store.Therapist{ID: g.id(at), Handle: handle, Name: name, Role: store.RoleTherapist,
			Team: fmt.Sprintf("team-%d", i/8+1), Languages: langs, Capacity: 110, CreatedAt: at, UpdatedAt: at, Version: 1}
		if i > 0 {
			// Each works in their own language. The demo therapist keeps
			// the setting unset, so that the person trying the demo picks
			// it (--lang, LANG).
			t.UILang = UILanguage(t)
		}
		g.therapists = append(g.therapists, t)
		w := 2
		if i == 0 && g.cfg.Therapists <= 8 {
			w = 4 // in a small demo the demo therapist carries a fuller caseload
		}
		g.weights = append(g.weights, w)
		out = append(out, &g.therapists[len(g.therapists)-1])
	}
	for team := 1; team <= teams; team++ {
		handle := SupervisorHandle
		if team > 1 {
			handle = fmt.Sprintf("%s%d", SupervisorHandle, team)
		}
		sup := &store.Therapist{ID: g.id(at), Handle: handle, Name: fmt.Sprintf("Supervisor, team %d", team),
			Role: store.RoleSupervisor, Team: fmt.Sprintf("team-%d", team), Languages: []string{"fi", "en"}, CreatedAt: at, UpdatedAt: at, Version: 1}
		if g.supervisors == nil {
			g.supervisors = map[string]string{}
		}
		g.supervisors[sup.Team] = sup.ID
		if team == 1 {
			g.supervisorID = sup.ID
		}
		out = append(out, sup)
	}
	out = append(out, &store.Therapist{ID: g.id(at), Handle: AdminHandle, Name: "Service Admin", Role: store.RoleAdmin,
		Languages: []string{"fi", "en"}, CreatedAt: at, UpdatedAt: at, Version: 1})
	g.sum.Therapists = len(g.therapists)
	return out
}

// speaker is therapist i if they speak lang, else one of those who do,
// in turn by i (the demo therapist speaks every language).
func (g *gen) speaker(i int, lang string) int {
	if speaks(g.therapists[i].Languages, lang) {
		return i
	}
	var who []int
	for j, t := range g.therapists {
		if speaks(t.Languages, lang) {
			who = append(who, j)
		}
	}
	if len(who) == 0 {
		return i
	}
	return who[i%len(who)]
}

func (g *gen) pickTherapist(rng *rand.Rand) int {
	total := 0
	for _, w := range g.weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range g.weights {
		if n < w {
			return i
		}
		n -= w
	}
	return 0
}

// trajectory kinds
const (
	improver = iota
	nonResponder
	deteriorator
	inactive
)

// patientPlan is everything decided up front for one patient.
type patientPlan struct {
	rng        *rand.Rand
	patient    *store.Patient
	enroll     *store.Enrollment
	prog       progInfo
	therapist  store.Therapist
	start      time.Time // local midnight of the start date
	horizon    time.Time // patient activity stops here
	kind       int
	riskNow    bool // an unacknowledged item-9 answer in the newest PHQ-9
	riskPast   bool // an earlier item-9 answer, acknowledged
	riskMsg    bool
	riskLevel  int // the demo therapist's forced flags: 1 amber, 2 red
	firstName  string
	age        int // on the demo's today
	wake       int // the patient's getting-up time, minutes after midnight
	baseSleep  int // minutes of sleep a night before treatment (insomnia)
	noWelcome  bool
	records    []any
	baselines  map[string]float64
	submission []*store.Submission
}

// id makes the next record id. Ids are UUIDv7 of the moment the generator
// "writes" each record: a clock that ticks one millisecond per record from
// the start of the day before today (so one seed makes the same ids all
// day long). So ids increase in insertion order, every primary-key
// and per-patient index insert lands at the right edge of its B-tree, and a
// 20,000-patient store builds several times faster than with ids stamped
// at each record's clinical time.
func (g *gen) id(time.Time) string {
	g.idTick++
	return g.db.NewID(g.today.Add(-24 * time.Hour).Add(time.Duration(g.idTick) * time.Millisecond))
}

func (g *gen) patient(i int) []any {
	rng := rand.New(rand.NewPCG(g.cfg.Seed, uint64(i)+1))
	pp := &patientPlan{rng: rng, baselines: map[string]float64{}}
	progID := []string{"gad", "gad", "gad", "depression", "depression", "depression", "insomnia", "insomnia", "social-anxiety-youth"}[rng.IntN(9)]
	pp.prog = g.progs[progID]
	lang := languageOf(rng.IntN(100))
	names := firstNames[lang]
	pp.firstName = names[rng.IntN(len(names))]
	age := 18 + rng.IntN(52)
	switch {
	case progID == "social-anxiety-youth":
		age = 13 + rng.IntN(5)
	case progID == "insomnia" && rng.IntN(8) == 0:
		age = 16 + rng.IntN(2) // the program's age rule for 16-17-year-olds
	}
	pp.age = age
	created := g.now.AddDate(0, 0, -rng.IntN(400)-30)
	birth := g.today.AddDate(-age, -rng.IntN(12), -rng.IntN(28))
	pat := &store.Patient{ID: g.id(created), Pseudonym: fmt.Sprintf("SYN-%05d", i+1), DisplayName: pp.firstName + " " + lastInitials[rng.IntN(len(lastInitials))] + ".",
		BirthDate: birth.Format(time.DateOnly), Language: lang, Synthetic: true, CreatedAt: created, UpdatedAt: created, Version: 1}
	pp.patient = pat
	pp.records = append(pp.records, pat)
	g.sum.Patients++

	weeks := pp.prog.def.Weeks
	status := store.EnrollmentActive
	switch r := rng.IntN(100); {
	case r < 5:
		status = "referral"
	case r < 9:
		status = store.EnrollmentScheduled
	case r < 23:
		status = store.EnrollmentCompleted
	case r < 28:
		status = store.EnrollmentDiscontinued
	}
	var received time.Time
	switch status {
	case "referral":
		received = g.now.Add(-time.Duration(rng.IntN(10*24)+1) * time.Hour)
	case store.EnrollmentScheduled:
		received = g.now.Add(-time.Duration(rng.IntN(11*24)+24) * time.Hour)
		pp.start = g.today.AddDate(0, 0, 1+rng.IntN(5))
	case store.EnrollmentActive:
		weekIn := 1 + rng.IntN(weeks+1)
		pp.start = g.today.AddDate(0, 0, -((weekIn-1)*7 + rng.IntN(7)))
	case store.EnrollmentCompleted:
		pp.start = g.today.AddDate(0, 0, -(weeks*7 + 7 + rng.IntN(150)))
	case store.EnrollmentDiscontinued:
		pp.start = g.today.AddDate(0, 0, -(21 + rng.IntN(150)))
	}
	if status != "referral" {
		received = pp.start.Add(-time.Duration(2+rng.IntN(6)) * 24 * time.Hour).Add(time.Duration(8+rng.IntN(8)) * time.Hour)
	}
	ref := &store.Referral{ID: g.id(received), PatientID: pat.ID, ReceivedAt: received, ReferringUnit: texts(lang).units[rng.IntN(len(referringUnits))],
		RequestedProgram: progID, Status: store.ReferralReceived, UpdatedAt: received, Version: 1}
	g.referralContent(ref, i, progID, lang, pp.age)
	pp.records = append(pp.records, ref)
	if status == "referral" {
		g.sum.OpenReferral++
		return pp.records
	}
	ref.Status = store.ReferralEnrolled
	ref.Version = 2
	ti := g.speaker(g.pickTherapist(rng), lang)
	pp.therapist = g.therapists[ti]
	if ti == 0 {
		g.sum.DemoPatients++
	}
	enrolledAt := received.Add(time.Duration(2+rng.IntN(20)) * time.Hour)
	if enrolledAt.After(g.now) {
		enrolledAt = g.now.Add(-time.Minute)
	}
	e := &store.Enrollment{ID: g.id(enrolledAt), PatientID: pat.ID, ReferralID: ref.ID, ProgramVersionID: pp.prog.pv.ID, ProgramID: progID,
		TherapistID: pp.therapist.ID, Status: status, StartDate: pp.start.Format(time.DateOnly),
		PlannedEnd: pp.start.AddDate(0, 0, 7*weeks).Format(time.DateOnly), CreatedAt: enrolledAt, UpdatedAt: enrolledAt, Version: 1}
	pp.enroll = e
	pp.records = append(pp.records, e)
	g.sum.Enrollments[status]++
	if status == store.EnrollmentScheduled {
		return pp.records
	}

	switch r := rng.IntN(100); {
	case r < 58:
		pp.kind = improver
	case r < 80:
		pp.kind = nonResponder
	case r < 89:
		pp.kind = deteriorator
	default:
		pp.kind = inactive
	}
	end := pp.start.AddDate(0, 0, 7*weeks)
	pp.horizon = g.now
	switch status {
	case store.EnrollmentCompleted:
		pp.horizon = end
	case store.EnrollmentDiscontinued:
		pp.horizon = pp.start.AddDate(0, 0, 7+rng.IntN(21))
	}
	if pp.kind == inactive && status == store.EnrollmentActive {
		days := int(g.today.Sub(pp.start).Hours() / 24)
		if days > 10 {
			pp.horizon = pp.start.Add(time.Duration(rng.IntN(days-8)+1) * 24 * time.Hour)
		}
	}
	if pp.horizon.After(g.now) {
		pp.horizon = g.now
	}
	if status == store.EnrollmentActive {
		pp.riskNow = rng.IntN(100) < 4
		// The demo therapist always has a red flag, an amber one and a
		// possible-risk message to show.
		if ti == 0 && g.demoRisk < 3 && progID != "insomnia" && progID != "social-anxiety-youth" && g.today.Sub(pp.start) > 8*24*time.Hour {
			g.demoRisk++
			pp.riskNow = g.demoRisk <= 2
			pp.riskMsg = g.demoRisk == 3
			pp.riskLevel = g.demoRisk
		} else if ti == 0 && g.riskLangs[lang] == 0 && !pp.riskNow && progID != "social-anxiety-youth" && g.today.Sub(pp.start) > 8*24*time.Hour {
			pp.riskMsg = true // a possible-risk message in each language
		}
		if pp.riskMsg && ti == 0 {
			g.riskLangs[lang]++
		}
		pp.riskPast = !pp.riskNow && rng.IntN(100) < 4
		pp.riskMsg = pp.riskMsg || rng.IntN(1000) < 15
		pp.noWelcome = g.today.Sub(pp.start) < 4*24*time.Hour && rng.IntN(2) == 0
	}
	current := g.weekAt(pp, pp.horizon)
	unlocked := 0
	for mi := range pp.prog.def.Modules {
		if pp.prog.def.ModuleWeek(mi) <= current {
			unlocked = mi + 1
		}
	}
	if status == store.EnrollmentCompleted {
		unlocked = len(pp.prog.def.Modules)
	}
	if unlocked == 0 {
		unlocked = 1
	}
	e.UnlockedModules = unlocked
	e.Version = int64(1 + unlocked)
	e.UpdatedAt = minTime(pp.start.AddDate(0, 0, 7*(unlocked-1)).Add(6*time.Hour), g.now)

	g.messages(pp)
	g.exercises(pp)
	g.measures(pp)
	g.extras(pp)
	g.course(pp)
	if pp.riskNow {
		g.sum.RiskPatients++
	}
	return pp.records
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// weekAt is the program week of t (1 = the first seven days).
func (g *gen) weekAt(pp *patientPlan, t time.Time) int {
	w := int(t.Sub(pp.start).Hours()/24)/7 + 1
	if w < 1 {
		w = 1
	}
	return w
}

// at is a moment on day `day` after the start, at a daytime hour.
func (g *gen) at(pp *patientPlan, day int) time.Time {
	t := pp.start.AddDate(0, 0, day).Add(time.Duration(8+pp.rng.IntN(14))*time.Hour + time.Duration(pp.rng.IntN(60))*time.Minute)
	return t.UTC().Truncate(time.Millisecond)
}

// workingLater is t plus some office hours (8-16 on weekdays), so that
// therapists answer in the daytime.
func (g *gen) workingLater(t time.Time, hours int) time.Time {
	for hours > 0 {
		t = t.Add(time.Hour)
		lt := t.In(g.loc)
		if wd := lt.Weekday(); wd != time.Saturday && wd != time.Sunday && lt.Hour() >= 8 && lt.Hour() < 16 {
			hours--
		}
	}
	return t.Add(-time.Duration(t.Minute()) * time.Minute).Add(time.Duration(g.minute(t)) * time.Minute)
}

// minute is a stable pseudo-random minute for a time, so replies do not
// all land on the hour.
func (g *gen) minute(t time.Time) int { return int(uint64(t.Unix()/3600)*2654435761%59) + 1 }

func (g *gen) messages(pp *patientPlan) {
	rng, e := pp.rng, pp.enroll
	if !pp.noWelcome {
		at := pp.start.Add(time.Duration(9+rng.IntN(8)) * time.Hour).UTC()
		if at.After(g.now) {
			at = g.now.Add(-time.Hour)
		}
		m := &store.Message{ID: g.id(at), EnrollmentID: e.ID, PatientID: e.PatientID, Direction: store.DirectionOut, TherapistID: pp.therapist.ID,
			Body: welcome(pp.lang(), pp.firstName, pp.therapist.Name, pp.youth()), SentAt: at}
		if read := at.Add(time.Duration(1+rng.IntN(30)) * time.Hour); read.Before(g.now) {
			m.ReadAt = &read
		}
		pp.records = append(pp.records, m)
	}
	span := int(pp.horizon.Sub(pp.start).Hours() / 24)
	if span < 1 {
		span = 1
	}
	n := rng.IntN(4)
	for k := 0; k < n; k++ {
		at := g.at(pp, rng.IntN(span))
		if at.After(pp.horizon) || at.After(g.now) {
			continue
		}
		x := pp.exchange()
		g.patientMessage(pp, at, x.msg, x.reply)
	}
	if pp.riskMsg {
		at := g.now.Add(-time.Duration(2+rng.IntN(60)) * time.Hour)
		if at.After(pp.start) {
			g.patientMessage(pp, at, riskMessage(rng, pp.lang()), "")
		}
	}
}

// patientMessage writes a patient's message and, when reply is not empty,
// maybe the therapist's reply to it.
func (g *gen) patientMessage(pp *patientPlan, at time.Time, body, reply string) {
	mayReply := reply != ""
	rng, e := pp.rng, pp.enroll
	m := &store.Message{ID: g.id(at), EnrollmentID: e.ID, PatientID: e.PatientID, Direction: store.DirectionIn, Body: body, SentAt: at}
	pp.records = append(pp.records, m)
	replyAt := g.workingLater(at, 1+rng.IntN(14))
	answered := mayReply && replyAt.Before(g.now) && (g.now.Sub(at) > 5*24*time.Hour || rng.IntN(2) == 0)
	if answered {
		read := at.Add(time.Duration(rng.IntN(int(replyAt.Sub(at)/time.Minute)+1)) * time.Minute)
		m.ReadAt = &read
		r := &store.Message{ID: g.id(replyAt), EnrollmentID: e.ID, PatientID: e.PatientID, Direction: store.DirectionOut, TherapistID: pp.therapist.ID,
			Body: reply, SentAt: replyAt}
		pp.records = append(pp.records, r)
	} else if rng.IntN(3) == 0 {
		read := at.Add(time.Duration(rng.IntN(120)+1) * time.Minute)
		if read.Before(g.now) {
			m.ReadAt = &read
		}
	}
}

func (g *gen) doneRate(pp *patientPlan) int {
	return map[int]int{improver: 92, nonResponder: 70, deteriorator: 75, inactive: 85}[pp.kind]
}

func (g *gen) exercises(pp *patientPlan) {
	rng, e, def := pp.rng, pp.enroll, pp.prog.def
	var feedback []any
	for mi := 0; mi < e.UnlockedModules; mi++ {
		mod := def.Modules[mi]
		week := def.ModuleWeek(mi)
		for xi := range mod.Exercises {
			ex := &mod.Exercises[xi]
			switch ex.Kind {
			case programs.KindDiary:
				g.diary(pp, ex, week)
				continue
			case programs.KindQuestionnaire:
				continue // the schedule covers measures
			}
			if rng.IntN(100) >= g.doneRate(pp) {
				continue
			}
			at := g.at(pp, 7*(week-1)+1+rng.IntN(6))
			if at.After(pp.horizon) || at.After(g.now) {
				continue
			}
			s := &store.Submission{ID: g.id(at), EnrollmentID: e.ID, PatientID: e.PatientID, ModuleID: mod.ID, ExerciseID: ex.ID,
				SubmittedAt: at, Answers: g.answers(pp, ex, at)}
			pp.records = append(pp.records, s)
			pp.submission = append(pp.submission, s)
			age := g.now.Sub(at)
			give := 97
			switch {
			case e.Status != store.EnrollmentActive, age > 14*24*time.Hour:
				give = 100
			case age < 36*time.Hour:
				give = 15
			case age < 5*24*time.Hour:
				give = 50
			}
			if rng.IntN(100) >= give {
				continue
			}
			sent := g.workingLater(at, 2+rng.IntN(14))
			if sent.After(g.now) {
				continue
			}
			f := &store.Feedback{ID: g.id(sent), SubmissionID: s.ID, EnrollmentID: e.ID, PatientID: e.PatientID, TherapistID: pp.therapist.ID,
				Body: feedbackText(feedbackFor(rng, pp.lang(), ex, s.Answers, pp.youth()), pp.firstName, ex.Title), SentAt: sent}
			if read := sent.Add(time.Duration(1+rng.IntN(48)) * time.Hour); read.Before(g.now) && rng.IntN(5) > 0 {
				f.ReadAt = &read
			}
			feedback = append(feedback, f)
			for _, ga := range def.GoAhead {
				if ga.Screening == ex.ID {
					// The demo's screening feedback says the next step may
					// start: the go-ahead is recorded with it.
					feedback = append(feedback, &store.GoAhead{ID: g.id(sent), PatientID: e.PatientID, EnrollmentID: e.ID, GoAheadID: ga.ID,
						SubmissionID: s.ID, TherapistID: pp.therapist.ID, Decision: store.GoAheadYes, DecidedAt: sent})
				}
			}
		}
	}
	pp.records = append(pp.records, feedback...)
}

// Answers fills an exercise with synthetic answers that fit it, for an
// adult on no particular day: a reflection's text, a worksheet's fields
// from the exercise's own answers where the demo has them, plausible
// values for the rest. The demo itself uses the patient's program, age
// and the submission's day.
func Answers(rng *rand.Rand, ex *programs.Exercise) map[string]string {
	return answersFor(rng, textCtx{}, ex)
}

// textCtx is what the demo knows when it writes a patient's answer.
type textCtx struct {
	program string
	youth   bool
	at      time.Time // the submission's time; zero: none
	lang    string    // the patient's language; "": English
}

// bankEntry finds the demo's written answers for an exercise: the
// program's youth variant, the program's, or (without a program) the
// first program that has the exercise.
func bankEntry(rng *rand.Rand, c textCtx, ex *programs.Exercise) map[string]string {
	var list []map[string]string
	id := ex.ID
	if stem, _, ok := strings.Cut(id, "-plan-"); ok {
		id = stem + "-plan" // weekly-plan-5 answers like weekly-plan
	}
	if c.program != "" {
		if c.youth {
			list = texts(c.lang).answers[c.program+"/"+id+"/youth"]
		}
		if len(list) == 0 {
			list = texts(c.lang).answers[c.program+"/"+id]
		}
	} else {
		for _, p := range []string{"gad", "depression", "insomnia", "social-anxiety-youth"} {
			if list = texts(c.lang).answers[p+"/"+id]; len(list) > 0 {
				break
			}
		}
	}
	if len(list) == 0 {
		return nil
	}
	return list[rng.IntN(len(list))]
}

func answersFor(rng *rand.Rand, c textCtx, ex *programs.Exercise) map[string]string {
	entry := bankEntry(rng, c, ex)
	if len(ex.Fields) == 0 {
		if t := entry["text"]; t != "" {
			return map[string]string{"text": t}
		}
		return map[string]string{"text": texts(c.lang).fallback}
	}
	out := map[string]string{}
	for _, f := range ex.Fields {
		if v, ok := entry[f.ID]; ok {
			out[f.ID] = v
			continue
		}
		if v, ok := dated(rng, c, f.ID); ok {
			out[f.ID] = v
			continue
		}
		if v, ok := plausible(rng, c, f.ID); ok {
			out[f.ID] = v
			continue
		}
		if v, ok := rating(rng, f); ok {
			out[f.ID] = v
			continue
		}
		switch f.Type {
		case programs.FieldText:
			out[f.ID] = texts(c.lang).seeMessage
		case programs.FieldRating:
			lo, hi := 0, 10
			if f.Min != nil {
				lo = *f.Min
			}
			if f.Max != nil {
				hi = *f.Max
			}
			out[f.ID] = strconv.Itoa(lo + rng.IntN(hi-lo+1))
		case programs.FieldNumber, programs.FieldCount:
			out[f.ID] = strconv.Itoa(rng.IntN(6))
		case programs.FieldMinutes:
			out[f.ID] = strconv.Itoa(5 * (1 + rng.IntN(12)))
		case programs.FieldTime:
			out[f.ID] = fmt.Sprintf("%02d:%02d", 7+rng.IntN(14), 5*rng.IntN(12))
		}
	}
	// Ratings after an exercise: distress, anxiety, tension and belief
	// mostly ease (at or below before); mood after a planned activity
	// mostly lifts, as behavioural activation expects.
	for _, f := range ex.Fields { // in field order: map order would make seeds unreproducible
		id := f.ID
		stem, ok := strings.CutSuffix(id, "-after")
		if !ok {
			continue
		}
		before, err1 := strconv.Atoi(out[stem+"-before"])
		a, err2 := strconv.Atoi(out[id])
		if err1 != nil || err2 != nil {
			continue
		}
		hi := 10
		if f.Max != nil {
			hi = *f.Max
		}
		switch {
		case stem == "mood" && rng.IntN(100) < 80:
			out[id] = strconv.Itoa(min(hi, before+rng.IntN(4)))
		case stem == "mood":
			out[id] = strconv.Itoa(max(0, before-1-rng.IntN(2)))
		case a > before:
			out[id] = strconv.Itoa(before - before*rng.IntN(40)/100)
		}
	}
	// Exposure: about one step in five is harder than expected; a written
	// answer that says how it went decides.
	if exp, err := strconv.Atoi(out["expected"]); err == nil {
		if _, err := strconv.Atoi(out["actual"]); err == nil {
			harder := rng.IntN(100) < 20
			if o, ok := entry["_outcome"]; ok {
				harder = o == "harder"
			}
			if harder && exp < 10 {
				out["actual"] = strconv.Itoa(min(10, exp+1+rng.IntN(2)))
			} else {
				out["actual"] = strconv.Itoa(max(0, exp-rng.IntN(4)))
			}
		}
	}
	if first, err := strconv.Atoi(out["anxiety-first"]); err == nil {
		out["anxiety-last"] = strconv.Itoa(max(0, first-2-rng.IntN(4)))
	}
	return out
}

// rating gives the ratings a therapist reads most closely values in the
// range patients in treatment give: anxiety, tension and belief before an
// exercise are high, mood before an activity is low.
func rating(rng *rand.Rand, f programs.Field) (string, bool) {
	if f.Type != programs.FieldRating || f.Max == nil {
		return "", false
	}
	hi := *f.Max
	share := func(lo, top int) string { return strconv.Itoa(hi * (lo + rng.IntN(top-lo+1)) / 10) }
	switch f.ID {
	case "anxiety-before", "tension-before", "belief-before", "expected", "anxiety", "anxiety-first", "belief":
		return share(5, 9), true
	case "distress":
		return share(3, 8), true
	case "mood-before", "mood":
		return share(2, 6), true
	}
	return "", false
}

// dated fills the date and time fields of a worksheet from the day it was
// sent: a log's "when", a diary-like "date", an "agreed on" date.
func dated(rng *rand.Rand, c textCtx, id string) (string, bool) {
	if c.at.IsZero() {
		return "", false
	}
	day := c.at.AddDate(0, 0, -rng.IntN(3))
	switch id {
	case "when":
		return fmt.Sprintf(texts(c.lang).clock, texts(c.lang).weekdays[day.Weekday()], 7+rng.IntN(15), 15*rng.IntN(4)), true
	case "date", "agreed":
		return day.Format(time.DateOnly), true
	}
	return "", false
}

// plausible gives values that make sense for the built-in programs'
// numeric and time fields a therapist would otherwise find odd.
func plausible(rng *rand.Rand, c textCtx, id string) (string, bool) {
	between := func(lo, hi int) int { return lo + rng.IntN(hi-lo+1) }
	switch id {
	case "wake-time":
		return hhmm(6*60 + 5*between(0, 18)), true
	case "earliest-bedtime":
		return hhmm(23*60 + 5*between(0, 18)), true
	case "wind-down-start":
		return hhmm(21*60 + 5*between(0, 18)), true
	case "duration":
		return strconv.Itoa(5 * between(2, 6)), true
	case "postponed":
		return strconv.Itoa(between(0, 4)), true
	case "naps_min":
		return []string{"0", "0", "0", "20"}[rng.IntN(4)], true
	case "sleep_aid":
		return texts(c.lang).none, true
	}
	return "", false
}

func hhmm(min int) string {
	min = ((min % 1440) + 1440) % 1440
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

// lang is the patient's language: what the patient writes, and what
// the therapist writes to the patient, is in it.
func (pp *patientPlan) lang() string { return pp.patient.Language }

// therapistLang is the therapist's own language, for their notes.
func (pp *patientPlan) therapistLang() string { return therapistLanguage(pp.therapist) }

// youth says whether the patient is under 18: texts for young people
// never mention work or a partner.
func (pp *patientPlan) youth() bool { return pp.age < 18 }

// exchange picks a message the patient might write, with the reply it gets.
func (pp *patientPlan) exchange() exchange {
	b := texts(pp.lang())
	list := b.program[pp.prog.def.ID]
	if !pp.youth() {
		list = append(append([]exchange{}, b.adult...), list...)
	}
	return list[pp.rng.IntN(len(list))]
}

// wakeTime is the patient's fixed getting-up time (06.00-07.30).
func (pp *patientPlan) wakeTime() int {
	if pp.wake == 0 {
		pp.wake = 6*60 + 15*pp.rng.IntN(7)
	}
	return pp.wake
}

// sleepBefore is how long the patient slept a night before treatment.
func (pp *patientPlan) sleepBefore() int {
	if pp.baseSleep == 0 {
		pp.baseSleep = 320 + 5*pp.rng.IntN(16)
	}
	return pp.baseSleep
}

// answers writes one submission's answers for this patient on that day.
func (g *gen) answers(pp *patientPlan, ex *programs.Exercise, at time.Time) map[string]string {
	out := answersFor(pp.rng, textCtx{program: pp.prog.def.ID, youth: pp.youth(), at: at.In(g.loc), lang: pp.lang()}, ex)
	if pp.prog.def.ID == "insomnia" {
		g.sleepWindow(pp, ex, at, out)
	}
	return out
}

// sleepWindow fills the sleep-window worksheets from the patient's own
// diary, by the program's rule: the first window is the average sleep of
// the last two weeks rounded to 15 minutes, never below the floor of the
// patient's age; later weeks follow programs.Titrate; the earliest bedtime
// is the getting-up time minus the window.
func (g *gen) sleepWindow(pp *patientPlan, ex *programs.Exercise, at time.Time, out map[string]string) {
	first := ex.ID == "my-sleep-window"
	if ex.Kind != programs.KindWorksheet || !first && !strings.HasPrefix(ex.ID, "window-week-") {
		return
	}
	days := 7
	if first {
		days = 14
	}
	var tib, tst time.Duration
	n := 0
	from := at.AddDate(0, 0, -days-1).Format(time.DateOnly)
	for _, r := range pp.records {
		d, ok := r.(*store.DiaryEntry)
		if !ok || d.RecordedAt.After(at) || d.Date < from {
			continue
		}
		night, err := programs.SleepNight(d.Date, d.Fields)
		if err != nil {
			continue
		}
		tib += night.TimeInBed
		tst += night.TotalSleep
		n++
	}
	avg := time.Duration(pp.sleepBefore()) * time.Minute
	meanTIB := avg + 90*time.Minute
	eff := 70.0
	if n > 0 {
		avg, meanTIB = tst/time.Duration(n), tib/time.Duration(n)
		eff = float64(tst) / float64(tib) * 100
	}
	floor, rule := pp.prog.def.TimeInBedFloor(pp.age)
	var window time.Duration
	if first {
		window = max(floor, avg.Round(programs.WindowStep))
		out["average-sleep"] = strconv.Itoa(int(avg / time.Minute))
		out["average-efficiency"] = strconv.Itoa(int(math.Round(eff)))
	} else {
		window, _ = programs.Titrate(eff, meanTIB, floor, rule)
		out["efficiency"] = strconv.Itoa(int(math.Round(eff)))
	}
	wake := pp.wakeTime()
	out["window"] = strconv.Itoa(int(window / time.Minute))
	out["wake-time"] = hhmm(wake)
	bed := wake - int(window/time.Minute)
	if _, ok := out["earliest-bedtime"]; ok || first {
		out["earliest-bedtime"] = hhmm(bed)
	}
	if _, ok := out["bedtime"]; ok || !first {
		out["bedtime"] = hhmm(bed)
	}
}

// diary writes the sleep diary nights of one module's week onwards (the
// diary exercise is filled every night from its module on). A patient
// who improves keeps a sleep window from week 3: a fixed getting-up time
// (give or take 15 minutes) and a bedtime that follows the window, which
// starts at the usual sleep (never below the floor of the patient's age)
// and grows by 15 minutes a week. Time awake in the night grows with the
// number of awakenings.
func (g *gen) diary(pp *patientPlan, ex *programs.Exercise, fromWeek int) {
	rng, e := pp.rng, pp.enroll
	if !programs.IsSleepDiary(ex) {
		return
	}
	weeks := float64(pp.prog.def.Weeks)
	wake := pp.wakeTime()
	floor, _ := pp.prog.def.TimeInBedFloor(pp.age)
	first := max(int(floor/time.Minute), (pp.sleepBefore()+7)/15*15)
	for day := 7 * (fromWeek - 1); ; day++ {
		night := pp.start.AddDate(0, 0, day)
		recorded := night.AddDate(0, 0, 1).Add(time.Duration(7*60+rng.IntN(120)) * time.Minute).UTC()
		if recorded.After(pp.horizon) || recorded.After(g.now) {
			return
		}
		if rng.IntN(100) >= 85 {
			continue
		}
		p := float64(day) / (7 * weeks) // progress 0..1
		better := p
		switch pp.kind {
		case nonResponder, inactive:
			better = p * 0.25
		case deteriorator:
			better = -p * 0.3
		}
		var bed, final, out int
		if week := day/7 + 1; week >= 3 && pp.kind == improver {
			window := min(480, first+15*(week-3))
			out = wake + rng.IntN(31) - 15
			bed = out - window + rng.IntN(16) // to bed only when sleepy
			final = out - rng.IntN(11)
		} else {
			bed = 22*60 + 30 + rng.IntN(75)
			final = wake - 45 + rng.IntN(60)
			out = final + 5 + rng.IntN(40)
		}
		lights := bed + rng.IntN(20)
		onset := clampInt(int(50-35*better)+rng.IntN(20)-10, 3, 120)
		wakings := clampInt(int(3.5-3*better)+rng.IntN(2)-1, 0, 5)
		waso := 0
		if wakings > 0 {
			waso = wakings * clampInt(int(22-12*better)+rng.IntN(7)-3, 4, 28)
		}
		fields := map[string]string{
			programs.SleepBedTime: hhmm(bed), programs.SleepLightsOut: hhmm(lights), programs.SleepOnset: strconv.Itoa(onset),
			programs.SleepWakings: strconv.Itoa(wakings), programs.SleepWASO: strconv.Itoa(waso), programs.SleepFinalWake: hhmm(final),
			programs.SleepOutOfBed: hhmm(out), programs.SleepQuality: strconv.Itoa(clampInt(2+int(2*better)+rng.IntN(2), 1, 5)),
		}
		for _, f := range ex.Fields {
			switch f.ID {
			case "naps_min":
				fields[f.ID] = []string{"0", "0", "0", "0", "15", "20", "30"}[rng.IntN(7)]
			case "sleep_aid":
				b := texts(pp.lang())
				fields[f.ID] = []string{b.none, b.none, b.none, b.none, b.sleepAid}[rng.IntN(5)]
			}
		}
		pp.records = append(pp.records, &store.DiaryEntry{ID: g.id(recorded), EnrollmentID: e.ID, PatientID: e.PatientID, ExerciseID: ex.ID,
			Date: night.Format(time.DateOnly), Fields: fields, RecordedAt: recorded})
	}
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// measures answers the program's schedule along the patient's trajectory.
func (g *gen) measures(pp *patientPlan) {
	rng, e, def := pp.rng, pp.enroll, pp.prog.def
	type due struct {
		in   *programs.Instrument
		week int
		at   time.Time
	}
	var all []due
	for _, s := range def.Schedule {
		in := g.instruments[s.Instrument]
		for _, w := range s.Weeks {
			day := 7*w - 1
			if w == 0 {
				day = -1
			}
			at := g.at(pp, day)
			if at.After(pp.horizon) || at.After(g.now) {
				continue
			}
			all = append(all, due{in, w, at})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	lastPHQ := -1
	for i, d := range all {
		if d.in.ID == "phq9" {
			lastPHQ = i
		}
	}
	var ackable *store.MeasureResponse
	for i, d := range all {
		_, hi, _ := d.in.Range()
		base, ok := pp.baselines[d.in.ID]
		if !ok {
			base = float64(hi) * (0.45 + 0.3*rng.Float64())
			pp.baselines[d.in.ID] = base
		}
		p := float64(d.week) / float64(def.Weeks)
		var target float64
		switch pp.kind {
		case improver:
			target = base * (1 - 0.6*p)
		case nonResponder, inactive:
			target = base * (1 - 0.1*p)
		case deteriorator:
			target = base + 0.35*float64(hi)*p
		}
		target += rng.Float64()*4 - 2
		total := clampInt(int(math.Round(target)), 0, hi)
		crit := 0
		if d.in.ID == "phq9" {
			switch {
			case pp.riskNow && i == lastPHQ && pp.riskLevel > 0:
				crit = 3 - pp.riskLevel
			case pp.riskNow && i == lastPHQ:
				crit = 1 + rng.IntN(2)
			case pp.riskPast && i == 1:
				crit = 1
			}
		}
		answers := spread(rng, d.in, total, crit)
		sum := 0
		for _, a := range answers {
			sum += a
		}
		m := &store.MeasureResponse{ID: g.id(d.at), EnrollmentID: e.ID, PatientID: e.PatientID, InstrumentID: d.in.ID, InstrumentVersion: d.in.Version,
			Week: d.week, Answers: answers, Total: sum, AnsweredAt: d.at}
		pp.records = append(pp.records, m)
		if pp.riskPast && crit > 0 {
			ackable = m
		}
	}
	if ackable != nil {
		at := g.workingLater(ackable.AnsweredAt, 1+rng.IntN(4))
		if !at.After(e.CreatedAt) {
			// A baseline answered in the hours before the enrollment was
			// made: only the therapist it makes assigned acknowledges it.
			at = g.workingLater(e.CreatedAt, 1)
		}
		if at.After(g.now) {
			at = g.now.Add(-time.Minute)
		}
		pp.records = append(pp.records, &store.RiskAck{ID: g.id(at), PatientID: e.PatientID, EnrollmentID: e.ID, SourceType: store.RiskSourceMeasure,
			SourceID: ackable.ID, TherapistID: pp.therapist.ID, Action: store.AckCalledPatient,
			Comment: texts(pp.therapistLang()).riskAck, AckedAt: at})
	}
}

// spread distributes a total over an instrument's items. Critical items get
// exactly crit (0 keeps them unendorsed).
func spread(rng *rand.Rand, in *programs.Instrument, total, crit int) []int {
	answers := make([]int, len(in.Items))
	critical := map[int]bool{}
	for _, c := range in.Critical {
		for i, it := range in.Items {
			if it.ID == c.Item {
				critical[i] = true
				answers[i] = crit
				total -= crit
			}
		}
	}
	maxOf := func(i int) int {
		m := 0
		for _, o := range in.ItemOptions(i) {
			if o.Score > m {
				m = o.Score
			}
		}
		return m
	}
	for guard := 0; total > 0 && guard < 1000; guard++ {
		i := rng.IntN(len(answers))
		if critical[i] || answers[i] >= maxOf(i) {
			continue
		}
		answers[i]++
		total--
	}
	return answers
}

func (g *gen) extras(pp *patientPlan) {
	rng, e := pp.rng, pp.enroll
	if notes := texts(pp.therapistLang()).notes[pp.prog.def.ID]; rng.IntN(5) == 0 {
		at := g.at(pp, rng.IntN(int(pp.horizon.Sub(pp.start).Hours()/24)+1))
		if at.Before(g.now) {
			pp.records = append(pp.records, &store.Note{ID: g.id(at), PatientID: e.PatientID, TherapistID: pp.therapist.ID,
				Body: notes[rng.IntN(len(notes))] + texts(pp.therapistLang()).synthetic, CreatedAt: at})
		}
	}
	if e.Status == store.EnrollmentActive && rng.IntN(2) == 0 {
		week := store.ISOWeek(g.now.In(g.loc))
		pp.records = append(pp.records, &store.TimeSpent{ID: g.id(g.now), TherapistID: pp.therapist.ID, PatientID: e.PatientID, Week: week,
			Seconds: int64(120 + rng.IntN(1500)), UpdatedAt: g.now})
	}
}
