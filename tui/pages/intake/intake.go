// Package intake is the intake queue as a workbench page: the team's open
// referrals, risk first and then by the start promise, each with its
// badges, a preview (the reasons as sentences, the suggested programs and
// therapists, the checklist of the last assessment), and the three
// decisions: accept (program, therapist and start date, polku's
// suggestion to start from), decline with a reason code and a service from
// the finder, and the waiting list. Supervisors and intake workers open it
// with i. Every decision is one store call inside a tea.Cmd, checked
// against the referral's version: a referral someone else decided first
// says what was decided and the list reloads.
package intake

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// Store is what the page needs of the store.
type Store = common.IntakeStore

// May says whether the person at the keyboard works the intake queue.
func May(c *common.Common) bool {
	if _, ok := common.IntakeOf(c.Store); !ok {
		return false
	}
	return c.Therapist.Role == store.RoleSupervisor || c.Therapist.Role == store.RoleTherapist && c.Therapist.Intake
}

// Modes of the page.
const (
	modeList = iota
	modeAccept
	modeDecline
	modeWait
)

// Fields that take text.
const (
	editNone = iota
	editDate
	editReason
	editText
	editDoctor
)

type (
	queueMsg struct {
		q   *store.IntakeQueue
		err error
	}
	detailMsg struct {
		id  string
		d   *store.ReferralDetail
		err error
	}
	decidedMsg struct {
		item store.IntakeItem
		said string
		err  error
	}
)

// Page is the intake page.
type Page struct {
	c   *common.Common
	st  Store
	id  int
	key KeyMap

	queue    *store.IntakeQueue
	cursor   int
	offset   int
	selected string // referral id under the cursor
	details  map[string]*store.ReferralDetail
	loading  map[string]bool

	mode    int
	edit    int
	before  string // the field's value when its edit began
	busy    bool   // a decision is being written
	prog    int    // accept: index into the suggested programs
	ther    int    // accept: index into the therapists
	code    int    // decline: index into store.DeclineCodes
	service int    // decline: index into the services, -1 none
	date    textinput.Model
	reason  textinput.Model // accept: why beyond the promise; wait: why; decline: the text
	doctor  textinput.Model // accept: the referring doctor's assessment (16-17-year-olds)
	problem string          // what the form still needs

	width, high int
}

// New makes the intake page.
func New(c *common.Common) *Page {
	st, _ := common.IntakeOf(c.Store)
	p := &Page{c: c, st: st, id: c.NewPageID(), key: newKeys(c), details: map[string]*store.ReferralDetail{}, loading: map[string]bool{}}
	p.date = p.input(c.T("pages.intake.date_placeholder"), 10)
	p.reason = p.input("", 500)
	p.doctor = p.input("", 2000)
	return p
}

func (p *Page) input(placeholder string, limit int) textinput.Model {
	st := p.c.Styles
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.TextStyle = st.EditorFocused
	ti.PlaceholderStyle = st.Faint
	ti.Cursor.Style = st.EditorCursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = limit
	return ti
}

// ID is the page address.
func (p *Page) ID() int { return p.id }

// Title names the page.
func (p *Page) Title() string { return p.c.T("pages.intake.title") }

// InputFocused says a text field has the keyboard.
func (p *Page) InputFocused() bool { return p.edit != editNone }

// Init loads the queue.
func (p *Page) Init() tea.Cmd { return p.load() }

// Refresh reloads the queue when others wrote.
func (p *Page) Refresh(ch common.Changes) tea.Cmd {
	if ch.All || ch.Others {
		return p.load()
	}
	return nil
}

// Close has nothing to flush.
func (p *Page) Close() tea.Cmd { return nil }

// SetSize sets the page's box.
func (p *Page) SetSize(w, h int) {
	p.width, p.high = w, h
	p.date.Width = 12
	p.reason.Width = max(10, w-20)
	p.doctor.Width = max(10, w-20)
	p.clampOffset()
}

// Queue is the queue on show (tests).
func (p *Page) Queue() *store.IntakeQueue { return p.queue }

// Selected is the referral under the cursor.
func (p *Page) Selected() (store.IntakeItem, bool) {
	if p.queue == nil || p.cursor < 0 || p.cursor >= len(p.queue.Items) {
		return store.IntakeItem{}, false
	}
	return p.queue.Items[p.cursor], true
}

// Select puts the cursor on a referral.
func (p *Page) Select(referralID string) {
	p.selected = referralID
	p.place()
}

func (p *Page) load() tea.Cmd {
	if p.st == nil {
		return common.Error(errors.New(p.c.T("pages.intake.error.no_queue")))
	}
	st, ctx, actor, tr := p.st, p.c.Ctx, p.c.Actor, p.c.Printer()
	return common.ToPage(p.id, func() tea.Msg {
		q, err := st.Intake(ctx, actor, "")
		if err == nil {
			q.Localize(tr)
			sanitizeQueue(q)
		}
		return queueMsg{q: q, err: err}
	})
}

func (p *Page) loadDetail() tea.Cmd {
	it, ok := p.Selected()
	if !ok || p.details[it.ReferralID] != nil || p.loading[it.ReferralID] || p.st == nil {
		return nil
	}
	p.loading[it.ReferralID] = true
	st, ctx, actor, id, tr := p.st, p.c.Ctx, p.c.Actor, it.ReferralID, p.c.Printer()
	return common.ToPage(p.id, func() tea.Msg {
		d, err := st.ReferralDetail(ctx, actor, id)
		if err == nil {
			d.Localize(tr)
			sanitizeDetail(d)
		}
		return detailMsg{id: id, d: d, err: err}
	})
}

// place keeps the cursor on the selected referral after a reload.
func (p *Page) place() {
	if p.queue == nil {
		return
	}
	for i, it := range p.queue.Items {
		if it.ReferralID == p.selected {
			p.cursor = i
		}
	}
	p.cursor = max(0, min(p.cursor, len(p.queue.Items)-1))
	if it, ok := p.Selected(); ok {
		p.selected = it.ReferralID
	}
	p.clampOffset()
}

func (p *Page) move(to int) tea.Cmd {
	if p.queue == nil || len(p.queue.Items) == 0 {
		return nil
	}
	p.cursor = max(0, min(to, len(p.queue.Items)-1))
	p.selected = p.queue.Items[p.cursor].ReferralID
	p.clampOffset()
	return p.loadDetail()
}

func (p *Page) clampOffset() {
	h := p.listHeight()
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+h {
		p.offset = p.cursor - h + 1
	}
	n := 0
	if p.queue != nil {
		n = len(p.queue.Items)
	}
	p.offset = max(0, min(p.offset, n-h))
}

// detail is the loaded detail of the referral under the cursor.
func (p *Page) detail() *store.ReferralDetail {
	it, ok := p.Selected()
	if !ok {
		return nil
	}
	return p.details[it.ReferralID]
}

// Update handles keys and the results of the page's commands.
func (p *Page) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case queueMsg:
		if msg.err != nil {
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.intake.error.load"), msg.err))
		}
		p.queue = msg.q
		// Details are read again (the versions and the suggestions
		// change), except the one an open form was filled from: its
		// choices stay, and the decision is checked against the version
		// it was filled from.
		kept := map[string]*store.ReferralDetail{}
		formID := ""
		if p.mode != modeList {
			formID = p.selected
			if d := p.details[formID]; d != nil {
				kept[formID] = d
			}
		}
		p.details, p.loading = kept, map[string]bool{}
		p.place()
		if formID != "" && p.selected != formID {
			// Decided by someone else: the form has nothing to decide.
			p.mode, p.edit, p.problem, p.busy = modeList, editNone, "", false
			return p, tea.Batch(p.loadDetail(), common.Error(errors.New(p.c.T("pages.intake.error.decided_elsewhere"))))
		}
		return p, p.loadDetail()
	case detailMsg:
		delete(p.loading, msg.id)
		if msg.err != nil {
			if p.mode != modeList {
				p.mode, p.edit = modeList, editNone
			}
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.intake.error.read", "ID", msg.id), msg.err))
		}
		p.details[msg.id] = msg.d
		if it, ok := p.Selected(); ok && it.ReferralID == msg.id && p.mode != modeList {
			p.startForm()
		}
		return p, nil
	case decidedMsg:
		p.busy = false
		return p, p.onDecided(msg)
	case tea.KeyMsg:
		if p.edit != editNone {
			return p, p.updateEdit(msg)
		}
		if p.mode != modeList {
			return p, p.updateForm(msg)
		}
		return p, p.updateList(msg)
	}
	return p, nil
}

func (p *Page) updateList(msg tea.KeyMsg) tea.Cmd {
	k := p.key
	switch {
	case key.Matches(msg, k.Up):
		return p.move(p.cursor - 1)
	case key.Matches(msg, k.Down):
		return p.move(p.cursor + 1)
	case key.Matches(msg, k.PageUp):
		return p.move(p.cursor - p.listHeight())
	case key.Matches(msg, k.PageDown):
		return p.move(p.cursor + p.listHeight())
	case key.Matches(msg, k.Top):
		return p.move(0)
	case key.Matches(msg, k.Bottom):
		return p.move(len(p.queue.Items) - 1)
	case key.Matches(msg, k.Reload):
		return p.load()
	case key.Matches(msg, k.Back):
		return func() tea.Msg { return common.BackMsg{} }
	case key.Matches(msg, k.Accept, k.Open):
		return p.open(modeAccept)
	case key.Matches(msg, k.Decline):
		return p.open(modeDecline)
	case key.Matches(msg, k.Wait):
		return p.open(modeWait)
	}
	return nil
}

// open starts a decision's form on the referral under the cursor (once
// its detail is read).
func (p *Page) open(mode int) tea.Cmd {
	if _, ok := p.Selected(); !ok {
		return common.Status(p.c.T("pages.intake.none"))
	}
	p.mode = mode
	if p.detail() != nil {
		p.startForm()
		return nil
	}
	return p.loadDetail()
}

// startForm fills the form with polku's suggestion.
func (p *Page) startForm() {
	d := p.detail()
	p.problem, p.edit = "", editNone
	p.reason.SetValue("")
	p.doctor.SetValue("")
	p.prog, p.ther, p.code, p.service = 0, 0, 0, -1
	switch p.mode {
	case modeAccept:
		// The referrer's wished program first when it fits, as the store
		// takes it.
		for i, s := range d.Programs {
			if s.Wished && s.Fits {
				p.prog = i
				break
			}
		}
		p.date.SetValue(d.StartDate)
		if d.WaitingList {
			p.problem = p.c.T("pages.intake.problem.no_capacity")
		}
	case modeDecline:
		if len(d.Services) > 0 {
			p.service = 0
		}
	}
}

func (p *Page) updateForm(msg tea.KeyMsg) tea.Cmd {
	k := p.key
	d := p.detail()
	if key.Matches(msg, k.Cancel) {
		p.mode, p.problem = modeList, ""
		return nil
	}
	if d == nil || p.busy {
		return nil
	}
	switch p.mode {
	case modeAccept:
		switch {
		case key.Matches(msg, k.Program) && len(d.Programs) > 1:
			p.prog = (p.prog + 1) % len(d.Programs)
		case key.Matches(msg, k.Therapist) && len(d.Therapists) > 1:
			p.ther = (p.ther + 1) % len(d.Therapists)
		case key.Matches(msg, k.Date):
			return p.startEdit(editDate)
		case key.Matches(msg, k.Text):
			return p.startEdit(editReason)
		case key.Matches(msg, k.Doctor) && p.needsDoctor():
			return p.startEdit(editDoctor)
		case key.Matches(msg, k.Confirm):
			return p.accept()
		}
	case modeDecline:
		switch {
		case key.Matches(msg, k.Code):
			p.code = (p.code + 1) % len(store.DeclineCodes)
		case key.Matches(msg, k.Service) && len(d.Services) > 0:
			p.service++
			if p.service >= len(d.Services) {
				p.service = -1
			}
		case key.Matches(msg, k.Text):
			return p.startEdit(editText)
		case key.Matches(msg, k.Confirm):
			return p.decline()
		}
	case modeWait:
		switch {
		case key.Matches(msg, k.Text):
			return p.startEdit(editReason)
		case key.Matches(msg, k.Confirm):
			return p.wait()
		}
	}
	return nil
}

func (p *Page) field(edit int) *textinput.Model {
	switch edit {
	case editDate:
		return &p.date
	case editDoctor:
		return &p.doctor
	}
	return &p.reason
}

// needsDoctor says the referral waits for the referring doctor's
// assessment (a 16-17-year-old in an adults' program).
func (p *Page) needsDoctor() bool {
	d := p.detail()
	if d == nil {
		return false
	}
	for _, r := range d.Item.Reasons {
		if r.Code == store.ReasonDoctorNeeded {
			return true
		}
	}
	return false
}

func (p *Page) startEdit(edit int) tea.Cmd {
	p.edit = edit
	f := p.field(edit)
	p.before = f.Value()
	f.CursorEnd()
	return f.Focus()
}

func (p *Page) updateEdit(msg tea.KeyMsg) tea.Cmd {
	f := p.field(p.edit)
	switch {
	case key.Matches(msg, p.key.Keep):
		f.Blur()
		p.edit = editNone
		p.problem = ""
		return nil
	case key.Matches(msg, p.key.Drop):
		f.SetValue(p.before)
		f.Blur()
		p.edit = editNone
		return nil
	}
	var cmd tea.Cmd
	*f, cmd = f.Update(msg)
	return cmd
}

// The chosen program, therapist and service of the form.
func (p *Page) program() (store.ProgramSuggestion, bool) {
	d := p.detail()
	if d == nil || p.prog >= len(d.Programs) {
		return store.ProgramSuggestion{}, false
	}
	return d.Programs[p.prog], true
}

func (p *Page) therapist() (store.TherapistSuggestion, bool) {
	d := p.detail()
	if d == nil || p.ther >= len(d.Therapists) {
		return store.TherapistSuggestion{}, false
	}
	return d.Therapists[p.ther], true
}

func (p *Page) serviceChosen() (store.ServiceSuggestion, bool) {
	d := p.detail()
	if d == nil || p.service < 0 || p.service >= len(d.Services) {
		return store.ServiceSuggestion{}, false
	}
	return d.Services[p.service], true
}

// FormTherapist is the id of the therapist the accept form has chosen.
func (p *Page) FormTherapist() string {
	th, _ := p.therapist()
	return th.TherapistID
}

// beyondPromise says the start date is past the promise's last day.
func (p *Page) beyondPromise() bool {
	d := p.detail()
	return d != nil && d.PromiseDate != "" && strings.TrimSpace(p.date.Value()) > d.PromiseDate
}

func (p *Page) accept() tea.Cmd {
	d := p.detail()
	prog, ok := p.program()
	if !ok {
		p.problem = p.c.T("pages.intake.problem.no_program")
		return nil
	}
	th, ok := p.therapist()
	if !ok {
		p.problem = p.c.T("pages.intake.problem.no_therapist")
		return nil
	}
	if p.needsDoctor() && strings.TrimSpace(p.doctor.Value()) == "" {
		p.problem = p.c.T("pages.intake.problem.doctor", "Age", d.Item.Age)
		return p.startEdit(editDoctor)
	}
	if p.beyondPromise() && strings.TrimSpace(p.reason.Value()) == "" {
		p.problem = p.c.T("pages.intake.problem.beyond_promise", "Date", strings.TrimSpace(p.date.Value()), "Promise", d.PromiseDate) // as typed: YYYY-MM-DD
		return p.startEdit(editReason)
	}
	req := store.AcceptRequest{ReferralID: d.Referral.ID, Version: d.Item.Version, ProgramID: prog.ProgramID, ProgramVer: prog.Version,
		Therapist: th.TherapistID, StartDate: strings.TrimSpace(p.date.Value()), Reason: strings.TrimSpace(p.reason.Value()),
		DoctorAssessment: strings.TrimSpace(p.doctor.Value())}
	item, name := d.Item, d.Item.DisplayName
	st, ctx, actor, c := p.st, p.c.Ctx, p.c.Actor, p.c
	p.busy = true
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		a, err := st.AcceptReferral(ctx, actor, req, false)
		if err != nil {
			return decidedMsg{item: item, err: err}
		}
		return decidedMsg{item: item, said: c.T("pages.intake.said.accepted", "Name", name, "Date", isoDate(c, a.Enrollment.StartDate), "Therapist", sanitize.Line(a.Therapist))}
	}))
}

func (p *Page) decline() tea.Cmd {
	d := p.detail()
	text := strings.TrimSpace(p.reason.Value())
	if text == "" {
		p.problem = p.c.T("pages.intake.problem.decline_text")
		return p.startEdit(editText)
	}
	req := store.DeclineRequest{ReferralID: d.Referral.ID, Version: d.Item.Version, Code: store.DeclineCodes[p.code][0], Text: text}
	if s, ok := p.serviceChosen(); ok {
		req.Service = s.ServiceID
	}
	item := d.Item
	st, ctx, actor := p.st, p.c.Ctx, p.c.Actor
	said := p.c.T("pages.intake.said.declined", "Name", item.DisplayName)
	p.busy = true
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		_, err := st.DeclineReferral(ctx, actor, req, false)
		return decidedMsg{item: item, said: said, err: err}
	}))
}

func (p *Page) wait() tea.Cmd {
	d := p.detail()
	reason := strings.TrimSpace(p.reason.Value())
	item := d.Item
	st, ctx, actor := p.st, p.c.Ctx, p.c.Actor
	said := p.c.T("pages.intake.said.waiting", "Name", item.DisplayName)
	p.busy = true
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		err := st.WaitReferral(ctx, actor, item.ReferralID, item.Version, reason, false)
		return decidedMsg{item: item, said: said, err: err}
	}))
}

// onDecided closes the form; a conflict says what was decided meanwhile
// and reloads the list; a problem with the input keeps the form open.
func (p *Page) onDecided(msg decidedMsg) tea.Cmd {
	if msg.err != nil {
		var de *store.DecidedError
		if errors.As(msg.err, &de) || store.IsConflict(msg.err) {
			p.mode, p.edit, p.problem = modeList, editNone, ""
			return tea.Batch(common.Error(errors.New(sanitize.Line(p.c.Err(msg.err)))), p.load())
		}
		p.problem = sanitize.Line(p.c.Err(msg.err))
		return nil
	}
	p.mode, p.edit, p.problem = modeList, editNone, ""
	item := msg.item
	return tea.Batch(p.load(), func() tea.Msg {
		return common.SentMsg{What: "referral", PatientID: item.PatientID, Said: msg.said}
	})
}

// keys are the bindings as they work now: cycling through one choice
// does nothing, so it is not offered.
func (p *Page) keys() KeyMap {
	k := p.key
	d := p.detail()
	k.Program.SetEnabled(d != nil && len(d.Programs) > 1)
	k.Therapist.SetEnabled(d != nil && len(d.Therapists) > 1)
	k.Service.SetEnabled(d != nil && len(d.Services) > 0)
	k.Doctor.SetEnabled(p.needsDoctor())
	return k
}

// ShortHelp lists the main bindings.
func (p *Page) ShortHelp() []key.Binding {
	k := p.keys()
	if p.edit != editNone {
		return []key.Binding{k.Keep, k.Drop}
	}
	switch p.mode {
	case modeAccept:
		return []key.Binding{k.Confirm, k.Program, k.Therapist, k.Date, common.Short(k.Cancel, "esc")}
	case modeDecline:
		return []key.Binding{k.Confirm, k.Code, k.Service, k.Text, common.Short(k.Cancel, "esc")}
	case modeWait:
		return []key.Binding{k.Confirm, k.Text, common.Short(k.Cancel, "esc")}
	}
	return []key.Binding{k.Accept, k.Decline, k.Wait, k.Back}
}

// FullHelp lists every binding of the screen.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.keys()
	if p.edit != editNone {
		return [][]key.Binding{{k.Keep, k.Drop}}
	}
	switch p.mode {
	case modeAccept:
		return [][]key.Binding{{k.Program, k.Therapist, k.Date, k.Text, k.Doctor}, {k.Confirm, k.Cancel}}
	case modeDecline:
		return [][]key.Binding{{k.Code, k.Service, k.Text}, {k.Confirm, k.Cancel}}
	case modeWait:
		return [][]key.Binding{{k.Text}, {k.Confirm, k.Cancel}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Accept, k.Decline, k.Wait},
		{k.Reload, k.Back},
	}
}

// sanitizeQueue strips control sequences from what referrers and
// importers wrote, in place.
func sanitizeQueue(q *store.IntakeQueue) {
	q.Team = sanitize.Line(q.Team)
	for i := range q.Items {
		sanitizeItem(&q.Items[i])
	}
}

func sanitizeItem(it *store.IntakeItem) {
	for _, s := range []*string{&it.Pseudonym, &it.DisplayName, &it.Language, &it.Region, &it.Team, &it.ReferringUnit, &it.WishedProgram} {
		*s = sanitize.Line(*s)
	}
	for j := range it.Reasons {
		it.Reasons[j].Text = sanitize.Line(it.Reasons[j].Text)
		it.Reasons[j].Badge = sanitize.Line(it.Reasons[j].Badge)
	}
}

func sanitizeDetail(d *store.ReferralDetail) {
	sanitizeItem(&d.Item)
	r := &d.Referral
	for _, s := range []*string{&r.Reason, &r.Notes, &r.ReferrerName, &r.ReferringUnit, &r.DoctorAssessment, &r.RequestedProgram} {
		*s = sanitize.Line(*s)
	}
	for i := range r.Codes {
		r.Codes[i] = sanitize.Line(r.Codes[i])
	}
	d.Patient.DisplayName = sanitize.Line(d.Patient.DisplayName)
	d.Patient.Pseudonym = sanitize.Line(d.Patient.Pseudonym)
	for i := range d.Checklist {
		d.Checklist[i].Text = sanitize.Line(d.Checklist[i].Text)
	}
	for i := range d.Programs {
		s := &d.Programs[i]
		s.Title, s.Text = sanitize.Line(s.Title), sanitize.Line(s.Text)
		for j := range s.Notes {
			s.Notes[j] = sanitize.Line(s.Notes[j])
		}
	}
	for i := range d.Therapists {
		t := &d.Therapists[i]
		t.Handle, t.Name, t.Text = sanitize.Line(t.Handle), sanitize.Line(t.Name), sanitize.Line(t.Text)
	}
	for i := range d.Services {
		s := &d.Services[i]
		s.Name, s.For, s.Contact = sanitize.Line(s.Name), sanitize.Line(s.For), sanitize.Line(s.Contact)
	}
	for i := range d.Assessments {
		a := &d.Assessments[i]
		a.Note = sanitize.Line(a.Note)
	}
	d.Decision = sanitize.Line(d.Decision)
}

// isoDate shows a stored date (YYYY-MM-DD) in the therapist's form; a
// text that is not a date (a half-typed one) is shown as it is.
func isoDate(c *common.Common, s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return c.Printer().Date(t)
}
