package workspace

import (
	"context"
	"fmt"
	"sort"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"polku/programs"
	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// recordMsg carries a loaded (and sanitized) patient record.
type recordMsg struct {
	gen  int // which load
	rec  *store.PatientRecord
	inst map[string]*programs.Instrument // by "id@version"
	loc  *time.Location                  // the service's time zone (working days)
	err  error
}

// Failed reports a failed load.
func (m recordMsg) Failed() error { return m.err }

// load reads the record through the audited path, with view saying what
// the therapist opened.
func (p *Page) load(view string) tea.Cmd {
	if p.loading {
		p.reloadPending = true
		return nil
	}
	p.loading = true
	p.loadGen++
	st, actor, ctx, pid, gen := p.c.Store, p.c.Actor, p.c.Ctx, p.patientID, p.loadGen
	return common.ToPage(p.id, func() tea.Msg {
		msg := loadRecord(ctx, st, actor, pid, view)
		msg.gen = gen
		return msg
	})
}

func loadRecord(ctx context.Context, st store.Store, actor store.Actor, patientID, view string) recordMsg {
	rec, err := st.PatientRecord(ctx, actor, patientID, view)
	if err != nil {
		return recordMsg{err: err}
	}
	SanitizeRecord(rec)
	pol, err := st.Policy(ctx)
	if err != nil {
		return recordMsg{err: err}
	}
	inst := map[string]*programs.Instrument{}
	for _, m := range rec.Measures {
		k := instKey(m.InstrumentID, m.InstrumentVersion)
		if _, ok := inst[k]; ok {
			continue
		}
		in, err := st.InstrumentDef(ctx, m.InstrumentID, m.InstrumentVersion)
		if err != nil {
			return recordMsg{err: fmt.Errorf("instrument %s: %w", k, err)}
		}
		inst[k] = common.SanitizeInstrument(in)
	}
	return recordMsg{rec: rec, inst: inst, loc: pol.Location()}
}

func instKey(id string, version int) string { return fmt.Sprintf("%s@%d", id, version) }

// SanitizeRecord strips terminal control sequences from every free text
// in a record, in place: what patients (and anyone else) wrote never
// reaches the terminal raw. The program definitions are replaced by
// sanitized copies (the originals are the store's shared cache).
func SanitizeRecord(r *store.PatientRecord) {
	r.Patient.DisplayName = sanitize.Line(r.Patient.DisplayName)
	r.Patient.Pseudonym = sanitize.Line(r.Patient.Pseudonym)
	for i := range r.Referrals {
		r.Referrals[i].ReferringUnit = sanitize.Line(r.Referrals[i].ReferringUnit)
		r.Referrals[i].RequestedProgram = sanitize.Line(r.Referrals[i].RequestedProgram)
		r.Referrals[i].Status = sanitize.Line(r.Referrals[i].Status)
		r.Referrals[i].Note = sanitize.Text(r.Referrals[i].Note)
	}
	for i := range r.Enrollments {
		e := &r.Enrollments[i]
		e.Status, e.StartDate, e.PlannedEnd = sanitize.Line(e.Status), sanitize.Line(e.StartDate), sanitize.Line(e.PlannedEnd)
	}
	for id, p := range r.Programs {
		r.Programs[id] = common.SanitizeProgram(p)
	}
	for i := range r.Submissions {
		r.Submissions[i].Answers = sanitizeMap(r.Submissions[i].Answers)
	}
	for i := range r.Feedback {
		r.Feedback[i].Body = sanitize.Text(r.Feedback[i].Body)
	}
	for i := range r.Messages {
		r.Messages[i].Body = sanitize.Text(r.Messages[i].Body)
	}
	for i := range r.GroupMessages {
		r.GroupMessages[i].Body = sanitize.Text(r.GroupMessages[i].Body)
	}
	for i := range r.GroupPosts {
		r.GroupPosts[i].Body, r.GroupPosts[i].Status = sanitize.Text(r.GroupPosts[i].Body), sanitize.Line(r.GroupPosts[i].Status)
	}
	for i := range r.Diary {
		r.Diary[i].Date = sanitize.Line(r.Diary[i].Date)
		r.Diary[i].Fields = sanitizeMap(r.Diary[i].Fields)
	}
	for i := range r.Notes {
		r.Notes[i].Body = sanitize.Text(r.Notes[i].Body)
	}
	for i := range r.RiskAcks {
		r.RiskAcks[i].Comment = sanitize.Text(r.RiskAcks[i].Comment)
	}
	for id, t := range r.Therapists {
		t.Name = sanitize.Line(t.Name)
		t.Handle = sanitize.Line(t.Handle)
		r.Therapists[id] = t
	}
}

func sanitizeMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[sanitize.Line(k)] = sanitize.Text(v)
	}
	return out
}

// subRow is one submission in the list.
type subRow struct {
	sub        *store.Submission
	module     *programs.Module
	exercise   *programs.Exercise
	week       int
	feedback   []store.Feedback
	superseded bool
}

func (r subRow) waiting() bool { return len(r.feedback) == 0 && !r.superseded }

// head is the newest feedback on the submission: the one no other
// corrects (nil if none was sent).
func (r subRow) head() *store.Feedback {
	corrected := map[string]bool{}
	for _, f := range r.feedback {
		if f.Supersedes != "" {
			corrected[f.Supersedes] = true
		}
	}
	for i := len(r.feedback) - 1; i >= 0; i-- {
		if !corrected[r.feedback[i].ID] {
			return &r.feedback[i]
		}
	}
	return nil
}

func (r subRow) title() string {
	if r.exercise != nil {
		return r.exercise.Title
	}
	return sanitize.Line(r.sub.ExerciseID)
}

func (r subRow) moduleTitle() string {
	if r.module != nil {
		return r.module.Title
	}
	return sanitize.Line(r.sub.ModuleID)
}

// derive rebuilds what the views show from the record.
func (p *Page) derive() {
	rec := p.rec
	p.programOf = map[string]*programs.Program{}
	for _, e := range rec.Enrollments {
		p.programOf[e.ID] = p.programIn(rec.Programs[e.ProgramVersionID])
	}
	superseded := map[string]bool{}
	for _, s := range rec.Submissions {
		if s.Supersedes != "" {
			superseded[s.Supersedes] = true
		}
	}
	fb := map[string][]store.Feedback{}
	for _, f := range rec.Feedback {
		fb[f.SubmissionID] = append(fb[f.SubmissionID], f)
	}
	p.subs = p.subs[:0]
	for i := range rec.Submissions {
		s := &rec.Submissions[i]
		row := subRow{sub: s, feedback: fb[s.ID], superseded: superseded[s.ID]}
		if prog := p.programOf[s.EnrollmentID]; prog != nil {
			if mi, m, ok := prog.Module(s.ModuleID); ok {
				row.module = m
				row.week = prog.ModuleWeek(mi)
			}
			if _, ex, ok := prog.Exercise(s.ExerciseID); ok {
				row.exercise = ex
			}
		}
		p.subs = append(p.subs, row)
	}
	// Waiting first (oldest first: the promise runs), then the rest,
	// newest first.
	sort.SliceStable(p.subs, func(i, j int) bool {
		a, b := p.subs[i], p.subs[j]
		if a.waiting() != b.waiting() {
			return a.waiting()
		}
		if a.waiting() {
			return a.sub.SubmittedAt.Before(b.sub.SubmittedAt)
		}
		return a.sub.SubmittedAt.After(b.sub.SubmittedAt)
	})
	if p.subSelected != "" {
		for i, r := range p.subs {
			if r.sub.ID == p.subSelected {
				p.subCursor = i
			}
		}
	}
	p.subCursor = min(max(0, p.subCursor), max(0, len(p.subs)-1))
	p.version++
}

func (p *Page) subByID(id string) (subRow, bool) {
	for _, r := range p.subs {
		if r.sub.ID == id {
			return r, true
		}
	}
	return subRow{}, false
}

// current is the newest enrollment and its program.
func (p *Page) current() (*store.Enrollment, *programs.Program) {
	if p.rec == nil {
		return nil, nil
	}
	e, prog := p.rec.Current()
	if e != nil && p.programOf[e.ID] != nil {
		prog = p.programOf[e.ID] // in the language the workspace shows
	}
	return e, prog
}

// draftFor finds the user's saved draft for a target.
func (p *Page) draftFor(kind, target string) *store.Draft {
	if p.rec == nil {
		return nil
	}
	for i := range p.rec.Drafts {
		d := &p.rec.Drafts[i]
		if d.TargetType == kind && d.TargetID == target && d.TherapistID == p.c.Actor.ID && !p.sentDrafts[d.ID] {
			return d
		}
	}
	return nil
}

// series is one instrument's scores in the current enrollment.
type series struct {
	id     string
	in     *programs.Instrument // newest version answered
	points []store.MeasureResponse
}

func (p *Page) measureSeries() []series {
	e, prog := p.current()
	if e == nil {
		return nil
	}
	byID := map[string]*series{}
	var order []string
	if prog != nil {
		for _, s := range prog.Schedule {
			order = append(order, s.Instrument)
		}
	}
	for _, m := range p.rec.Measures {
		if m.EnrollmentID != e.ID {
			continue
		}
		s, ok := byID[m.InstrumentID]
		if !ok {
			s = &series{id: m.InstrumentID}
			byID[m.InstrumentID] = s
			found := false
			for _, o := range order {
				found = found || o == m.InstrumentID
			}
			if !found {
				order = append(order, m.InstrumentID)
			}
		}
		s.points = append(s.points, m)
		s.in = p.inst[instKey(m.InstrumentID, m.InstrumentVersion)]
	}
	var out []series
	for _, id := range order {
		if s, ok := byID[id]; ok && s.in != nil {
			out = append(out, *s)
		}
	}
	return out
}

// scoreChange says how the scores moved from baseline, for the
// patient-facing templates (validated instruments only).
func (p *Page) scoreChange() string {
	var moves []common.ScoreMove
	for _, s := range p.measureSeries() {
		if len(s.points) < 2 {
			continue
		}
		moves = append(moves, common.ScoreMove{Scale: common.ScaleOf(s.in), From: s.points[0].Total, To: s.points[len(s.points)-1].Total})
	}
	return common.ScoreChange(moves)
}

// weekOf is the program week of the current enrollment today.
func (p *Page) weekOf() (week, weeks int) {
	if p.hasItem && p.item.Weeks > 0 {
		return p.item.Week, p.item.Weeks
	}
	e, prog := p.current()
	if e == nil || prog == nil {
		return 0, 0
	}
	start, err := time.ParseInLocation(time.DateOnly, e.StartDate, p.c.Loc)
	if err != nil {
		return 0, prog.Weeks
	}
	week = int(p.c.Now().Sub(start).Hours()/24)/7 + 1
	return max(1, week), prog.Weeks
}

// waited says how long a submission has waited for feedback, in working
// days as the queue counts them.
func (p *Page) waited(r subRow) string {
	loc := p.svcLoc
	if loc == nil {
		loc = p.c.Loc
	}
	return common.WorkingDaysIn(p.c.Printer(), r.sub.SubmittedAt, p.c.Now(), loc)
}

// lastActive is the newest patient activity in the record.
func (p *Page) lastActive() time.Time {
	var last time.Time
	for _, s := range p.rec.Submissions {
		last = later(last, s.SubmittedAt)
	}
	for _, m := range p.rec.Messages {
		if m.Direction == store.DirectionIn {
			last = later(last, m.SentAt)
		}
	}
	for _, m := range p.rec.Measures {
		last = later(last, m.AnsweredAt)
	}
	for _, d := range p.rec.Diary {
		last = later(last, d.RecordedAt)
	}
	return last
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
