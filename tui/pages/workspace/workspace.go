// Package workspace is one patient's workspace: a header with the program,
// week, module, last activity and scores; tabs for submissions, messages,
// measures, the diary, notes and the timeline; the submission reader with
// the feedback editor beside or below it; risk acknowledgement.
package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"polku/programs"
	"polku/store"
	"polku/tui/common"
	"polku/tui/components/ackdialog"
	"polku/tui/components/coursedialog"
	"polku/tui/components/editor"
	"polku/tui/components/goaheaddialog"
)

// Tab is one of the workspace's tabs.
type Tab int

// The tabs, in order.
const (
	TabSubmissions Tab = iota
	TabMessages
	TabMeasures
	TabDiary
	TabNotes
	TabTimeline
)

var tabNames = []string{"Submissions", "Messages", "Measures", "Diary", "Notes", "Timeline"}

// tabIDs are the catalog ids of the tabs' names on screen.
var tabIDs = []string{"pages.workspace.tab.submissions", "pages.workspace.tab.messages", "pages.workspace.tab.measures",
	"pages.workspace.tab.diary", "pages.workspace.tab.notes", "pages.workspace.tab.timeline"}

// TabByName finds a tab by its name (case-insensitive).
func TabByName(name string) (Tab, bool) {
	for i, n := range tabNames {
		if strings.EqualFold(n, name) {
			return Tab(i), true
		}
	}
	return 0, false
}

func (t Tab) String() string { return tabNames[t] }

// KeyMap are the workspace's bindings.
type KeyMap struct {
	common.ListKeys
	NextTab      key.Binding
	PrevTab      key.Binding
	TabN         key.Binding
	Write        key.Binding
	ReaderWrite  key.Binding // in the reader enter writes too
	ReaderScroll key.Binding // while writing in the reader
	Correct      key.Binding
	Ack          key.Binding
	GoAhead      key.Binding
	Course       key.Binding
	Summary      key.Binding
	Next         key.Binding
	Back         key.Binding
	ReaderOut    key.Binding
	Lang         key.Binding // module text in the patient's language or the therapist's
}

// Page is a patient's workspace.
type Page struct {
	c         *common.Common
	id        int
	patientID string
	name      string
	item      store.QueueItem
	hasItem   bool
	readOnly  bool
	focus     *common.Focus

	rec           *store.PatientRecord
	inst          map[string]*programs.Instrument
	svcLoc        *time.Location               // the service's time zone, for working days
	programOf     map[string]*programs.Program // by enrollment id
	loading       bool
	reloadPending bool
	loaded        bool
	err           error
	version       int // bumps on every record load

	tab         Tab
	subs        []subRow
	subCursor   int
	subSelected string

	reading    string // submission id open in the reader
	reader     viewport.Model
	readerKey  string
	content    viewport.Model
	contentKey string

	editors    map[string]*editor.Editor
	markedRead map[string]bool
	sentSubs   map[string]bool
	// sentDrafts are drafts this page sent: the store has deleted them,
	// but a record loaded before the send may still hold them, and an
	// editor must never be made from one again.
	sentDrafts map[string]bool
	// correctAfter: feedback editors whose send was refused, with the
	// first record load that can show why.
	correctAfter map[string]int
	loadGen      int // numbers the record loads

	ack     *ackdialog.Dialog
	goAhead *goaheaddialog.Dialog
	course  *coursedialog.Dialog
	// courseConflict: the course dialog waits for the reload after a
	// version conflict to say what changed.
	courseConflict bool
	// summaryOf is the enrollment whose discharge summary editor is open
	// on the timeline ("" when none).
	summaryOf string
	// ownLang: the program's text shows in the therapist's language, not
	// the patient's (key L).
	ownLang bool
	keys    KeyMap
	width   int
	high    int
}

// New opens a patient's workspace; the record loads in Init.
func New(c *common.Common, item store.QueueItem, readOnly bool, focus *common.Focus) *Page {
	p := &Page{c: c, id: c.NewPageID(), patientID: item.PatientID, name: item.DisplayName, item: item, hasItem: item.EnrollmentID != "",
		readOnly: readOnly, focus: focus, editors: map[string]*editor.Editor{}, markedRead: map[string]bool{}, sentSubs: map[string]bool{}, sentDrafts: map[string]bool{}, correctAfter: map[string]int{},
		reader: viewport.New(0, 0), content: viewport.New(0, 0)}
	p.reader.KeyMap = viewport.KeyMap{}
	p.content.KeyMap = viewport.KeyMap{}
	p.keys = KeyMap{
		ListKeys:     common.NewListKeysIn(c.Printer()),
		NextTab:      key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab/→/l", c.T("pages.workspace.keys.next_tab"))),
		PrevTab:      key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←/h", c.T("pages.workspace.keys.prev_tab"))),
		TabN:         key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", c.T("pages.workspace.keys.tab_n"))),
		Write:        key.NewBinding(key.WithKeys("e", "i"), key.WithHelp("e/i", c.T("pages.workspace.keys.write"))),
		ReaderWrite:  key.NewBinding(key.WithKeys("e", "i", "enter"), key.WithHelp("e/i/enter", c.T("pages.workspace.keys.write_feedback"))),
		ReaderScroll: key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", c.T("pages.workspace.keys.reader_scroll"))),
		Correct:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("pages.workspace.keys.correct"))),
		Ack:          key.NewBinding(key.WithKeys("a"), key.WithHelp("a", c.T("pages.workspace.keys.ack"))),
		GoAhead:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", c.T("pages.workspace.keys.go_ahead"))),
		Course:       key.NewBinding(key.WithKeys("C"), key.WithHelp("C", c.T("pages.workspace.keys.course"))),
		Summary:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", c.T("pages.workspace.keys.summary"))),
		Next:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("pages.workspace.keys.next"))),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.workspace.keys.back"))),
		ReaderOut:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.workspace.keys.reader_out"))),
	}
	p.keys.Lang = key.NewBinding(key.WithKeys("L"), key.WithHelp("L", p.tr().T("content.workspace.key_lang")))
	p.keys.Open.SetHelp("enter", c.T("pages.workspace.keys.open"))
	if readOnly {
		for _, b := range []*key.Binding{&p.keys.Write, &p.keys.ReaderWrite, &p.keys.ReaderScroll, &p.keys.Correct, &p.keys.Ack, &p.keys.GoAhead, &p.keys.Next} {
			b.SetEnabled(false)
		}
		p.keys.Summary.SetEnabled(false)
		p.keys.Course.SetEnabled(c.Actor.Role == store.RoleSupervisor)
	}
	return p
}

// ID is the page address.
func (p *Page) ID() int { return p.id }

// PatientID is whose workspace this is.
func (p *Page) PatientID() string { return p.patientID }

// PatientName is the patient's name.
func (p *Page) PatientName() string { return p.name }

// ReadOnly says this is a supervisor's view.
func (p *Page) ReadOnly() bool { return p.readOnly }

// Tab is the tab on show.
func (p *Page) Tab() Tab { return p.tab }

// Reading is the submission open in the reader ("" if none).
func (p *Page) Reading() string { return p.reading }

// Editor is the editor of the current view, if any.
func (p *Page) Editor() *editor.Editor { return p.activeEditor() }

// Title names the page.
func (p *Page) Title() string {
	t := p.name
	if p.readOnly {
		t += " " + p.c.T("pages.workspace.read_only")
	}
	return t
}

// InputFocused says an editor or the dialog has the keyboard.
func (p *Page) InputFocused() bool {
	if p.ack != nil || p.goAhead != nil || p.course != nil {
		return true
	}
	e := p.activeEditor()
	return e != nil && e.Focused()
}

// Init loads the record (audited as a workspace read).
func (p *Page) Init() tea.Cmd { return p.load("workspace") }

// Refresh reloads the record when others changed it, keeping editors.
func (p *Page) Refresh(ch common.Changes) tea.Cmd {
	if !ch.Touches(p.patientID) {
		return nil
	}
	return p.load("workspace (live refresh)")
}

// SetQueue takes the patient's reasons from a reloaded queue.
func (p *Page) SetQueue(q *store.Queue) {
	if q == nil {
		return
	}
	for _, it := range q.Items {
		if it.PatientID == p.patientID {
			p.item, p.hasItem = it, true
			if p.ack != nil && !it.HasRisk() {
				// Acknowledged elsewhere: nothing typed is dropped.
				if strings.TrimSpace(p.ack.Comment()) != "" {
					p.ack.AcknowledgedElsewhere()
				} else {
					p.ack = nil
					p.layout()
				}
			}
			return
		}
	}
}

// Close saves every unsaved draft.
func (p *Page) Close() tea.Cmd {
	var cmds []tea.Cmd
	for _, e := range p.editors {
		cmds = append(cmds, e.Flush())
	}
	return tea.Batch(cmds...)
}

// FlushSync saves every unsaved draft now.
func (p *Page) FlushSync(ctx context.Context) error {
	var errs []error
	for _, e := range p.editors {
		errs = append(errs, e.FlushSync(ctx))
	}
	return errors.Join(errs...)
}

// SetSize sets the page's box.
func (p *Page) SetSize(w, h int) {
	p.width, p.high = w, h
	p.layout()
}

func (p *Page) headerHeight() int {
	h := 3 // two header lines and the tabs
	if p.riskReasons() != nil {
		h++
	}
	return h
}

// layout sizes the viewports and editors for the current view.
func (p *Page) layout() {
	bodyH := max(1, p.high-p.headerHeight())
	if p.ack != nil {
		p.ack.SetWidth(p.width)
	}
	if p.goAhead != nil {
		p.goAhead.SetSize(p.width, bodyH)
	}
	if p.course != nil {
		p.course.SetWidth(p.width)
	}
	if p.reading != "" {
		rw, rh, ew, eh := p.readerSplit(bodyH)
		p.reader.Width, p.reader.Height = rw, rh
		if e := p.activeEditor(); e != nil {
			e.SetSize(ew, eh)
		} else {
			p.reader.Height = bodyH
			p.reader.Width = p.width
		}
		return
	}
	e := p.activeEditor()
	if e != nil {
		eh := p.editorRows(bodyH)
		p.content.Width, p.content.Height = p.width, max(1, bodyH-eh-1)
		e.SetSize(p.width, eh)
	} else {
		p.content.Width, p.content.Height = p.width, bodyH
	}
}

func editorHeight(bodyH int) int { return max(5, min(12, bodyH*2/5)) }

// editorRows is the editor's height below a view: small until the
// therapist starts writing.
func (p *Page) editorRows(bodyH int) int {
	if e := p.activeEditor(); e != nil && (e.Focused() || e.Confirming()) {
		return editorHeight(bodyH)
	}
	return 4
}

// sideBySide: the reader and the editor share the width.
func (p *Page) sideBySide() bool { return p.width >= 120 }

func (p *Page) readerSplit(bodyH int) (rw, rh, ew, eh int) {
	if p.sideBySide() {
		rw = p.width * 11 / 20
		return rw, bodyH, p.width - rw - 3, bodyH
	}
	eh = p.editorRows(bodyH)
	return p.width, max(1, bodyH-eh-1), p.width, eh
}

// riskReasons are the patient's unacknowledged risk flags.
func (p *Page) riskReasons() []store.Reason {
	if !p.hasItem {
		return nil
	}
	var rs []store.Reason
	for _, r := range p.item.Reasons {
		if r.Class == store.ClassRisk {
			rs = append(rs, r)
		}
	}
	return rs
}

// activeEditor is the editor belonging to the current view.
func (p *Page) activeEditor() *editor.Editor {
	if p.readOnly || p.rec == nil {
		return nil
	}
	if p.reading != "" {
		return p.editors[editor.Key(store.DraftFeedback, p.reading)]
	}
	switch p.tab {
	case TabMessages:
		if e, _ := p.current(); e != nil {
			return p.ensureEditor(store.DraftMessage, e.ID)
		}
	case TabNotes:
		return p.ensureEditor(store.DraftNote, p.patientID)
	case TabTimeline:
		if p.summaryOf != "" {
			return p.editors[editor.Key(store.DraftSummary, p.summaryOf)]
		}
	}
	return nil
}

// ensureEditor returns the editor for a target, making it (with the saved
// draft, if any) on first use.
func (p *Page) ensureEditor(kind, target string) *editor.Editor {
	k := editor.Key(kind, target)
	if e, ok := p.editors[k]; ok {
		return e
	}
	first := common.FirstName(p.name)
	o := editor.Options{Kind: kind, TargetID: target, PatientID: p.patientID, Existing: p.draftFor(kind, target),
		Vars: common.Vars{FirstName: first, ScoreChange: p.scoreChange(), Therapist: p.c.Therapist.Name}}
	st, actor, pid := p.c.Store, p.c.Actor, p.patientID
	switch kind {
	case store.DraftFeedback:
		row, ok := p.subByID(target)
		if !ok {
			return nil
		}
		o.Vars.Exercise = row.title()
		o.Label = p.c.T("pages.workspace.editor.feedback_label", "Exercise", row.title())
		o.Verb = p.c.T("pages.workspace.editor.feedback_verb", "Name", first)
		supersedes := ""
		if head := row.head(); head != nil {
			supersedes = head.ID
			o.Label, o.Verb = p.correctionWords(row)
		}
		o.Send = p.sendFeedback(*row.sub, supersedes)
	case store.DraftMessage:
		o.Label = p.c.T("pages.workspace.editor.reply_label", "Name", first)
		o.Verb = p.c.T("pages.workspace.editor.reply_verb", "Name", first)
		enrollment := target
		o.Send = func(ctx context.Context, body, draftID string) (string, error) {
			m, err := st.SendMessage(ctx, actor, store.Message{EnrollmentID: enrollment, PatientID: pid, Direction: store.DirectionOut, Body: body}, draftID)
			return m.ID, err
		}
	case store.DraftNote:
		o.Label = p.c.T("pages.workspace.editor.note_label")
		o.Verb = p.c.T("pages.workspace.editor.note_verb")
		o.Send = func(ctx context.Context, body, draftID string) (string, error) {
			n, err := st.AddNote(ctx, actor, store.Note{PatientID: pid, Body: body}, draftID)
			return n.ID, err
		}
	case store.DraftSummary:
		o.Label = p.c.T("pages.workspace.editor.summary_label")
		o.Verb = p.c.T("pages.workspace.editor.summary_verb")
		o.Word = "sign"
		o.Send = p.summarySend(target)
	}
	o.Templates = p.templatesFor(o.Vars, p.moduleOf(kind, target))
	e := editor.New(p.c, p.id, o)
	p.editors[k] = e
	return e
}

// sendFeedback sends feedback on sub; supersedes is the feedback it
// corrects ("" for the first).
func (p *Page) sendFeedback(sub store.Submission, supersedes string) editor.SendFunc {
	st, actor, pid := p.c.Store, p.c.Actor, p.patientID
	return func(ctx context.Context, body, draftID string) (string, error) {
		f, err := st.SendFeedback(ctx, actor, store.Feedback{SubmissionID: sub.ID, EnrollmentID: sub.EnrollmentID, PatientID: pid,
			Body: body, Supersedes: supersedes}, draftID)
		return f.ID, err
	}
}

// correctionWords label an editor that corrects sent feedback.
func (p *Page) correctionWords(row subRow) (label, verb string) {
	return p.c.T("pages.workspace.editor.correction_label", "Exercise", row.title()), p.c.T("pages.workspace.editor.correction_verb", "Name", common.FirstName(p.name))
}

// offerCorrections turns feedback editors whose send was refused (feedback
// had been sent meanwhile from another window or device) into corrections
// of the newest feedback, once a record loaded after the refusal is on
// screen, and asks before sending.
func (p *Page) offerCorrections(gen int) {
	for k, need := range p.correctAfter {
		if gen < need {
			continue
		}
		delete(p.correctAfter, k)
		e, ok := p.editors[k]
		if !ok || e.Sent() {
			continue
		}
		row, ok := p.subByID(strings.TrimPrefix(k, store.DraftFeedback+":"))
		head := row.head()
		if !ok || head == nil {
			e.SetNotice(p.c.T("pages.workspace.editor.sent_elsewhere_lost"))
			continue
		}
		label, verb := p.correctionWords(row)
		e.Retarget(label, verb, p.sendFeedback(*row.sub, head.ID))
		who := p.rec.Therapists[head.TherapistID].Name
		if head.TherapistID == p.c.Actor.ID {
			who = p.c.T("pages.workspace.editor.you")
		}
		e.Offer(p.c.T("pages.workspace.editor.offer_correction", "Exercise", row.title(), "Who", who, "When", p.c.When(head.SentAt)))
	}
}

// Update handles keys and the page's own messages.
func (p *Page) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case recordMsg:
		return p, p.onRecord(msg)
	case markedReadMsg:
		if msg.err != nil {
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.workspace.error.mark_read"), msg.err))
		}
		return p, func() tea.Msg { return common.ReloadQueueMsg{} }
	case ackdialog.DoneMsg:
		p.ack = nil
		p.layout()
		if msg.Err != nil {
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.workspace.error.ack"), msg.Err))
		}
		if msg.Acked {
			return p, tea.Batch(common.Status(p.c.T("pages.workspace.acked")), p.load("workspace (after acknowledgement)"),
				func() tea.Msg { return common.SentMsg{What: "acknowledgement", PatientID: p.patientID} })
		}
		return p, nil
	case goaheaddialog.DoneMsg:
		return p, p.onGoAheadDone(msg)
	case coursedialog.DoneMsg:
		return p, p.onCourseDone(msg)
	case teamMsg:
		return p, p.onTeam(msg)
	case summaryMsg:
		return p, p.onSummary(msg)
	case auditedMsg:
		return p, common.Error(msg.Failed())
	case common.StatusMsg:
		return p, func() tea.Msg { return msg }
	case editor.SentMsg:
		return p, p.onSent(msg)
	case editor.Msg:
		if e, ok := p.editors[msg.EditorKey()]; ok {
			return p, e.Update(msg)
		}
		if f, ok := msg.(common.Failure); ok && f.Failed() != nil {
			return p, common.Error(f.Failed())
		}
		return p, nil
	case tea.KeyMsg:
		return p, p.onKey(msg)
	}
	return p, nil
}

func (p *Page) onRecord(msg recordMsg) tea.Cmd {
	p.loading = false
	var cmds []tea.Cmd
	if p.reloadPending {
		p.reloadPending = false
		cmds = append(cmds, p.load("workspace (live refresh)"))
	}
	if msg.err != nil {
		p.err = msg.err
		return tea.Batch(append(cmds, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.workspace.error.open"), msg.err)))...)
	}
	p.err = nil
	p.rec, p.inst, p.svcLoc = msg.rec, msg.inst, msg.loc
	p.name = p.rec.Patient.DisplayName
	p.derive()
	p.offerCorrections(msg.gen)
	p.courseReloaded()
	if !p.loaded {
		p.loaded = true
		cmds = append(cmds, p.autoFocus())
	}
	if p.reading != "" {
		if _, ok := p.subByID(p.reading); !ok {
			p.reading = ""
		}
	}
	p.layout()
	cmds = append(cmds, p.markRead())
	return tea.Batch(cmds...)
}

// autoFocus opens what the patient's most urgent reason is about.
func (p *Page) autoFocus() tea.Cmd {
	if f := p.focus; f != nil {
		if f.SubmissionID != "" {
			return p.openReader(f.SubmissionID)
		}
		if t, ok := TabByName(f.Tab); ok {
			p.tab = t
		}
		return nil
	}
	if !p.hasItem || len(p.item.Reasons) == 0 {
		if id := p.firstWaiting(""); id != "" {
			return p.openReader(id)
		}
		return nil
	}
	r := p.item.Reasons[0]
	switch {
	case r.SourceType == store.RiskSourceSubmit && r.SourceID != "":
		if _, ok := p.subByID(r.SourceID); ok {
			return p.openReader(r.SourceID)
		}
	case r.SourceType == store.RiskSourceMessage:
		p.tab = TabMessages
	case r.SourceType == store.RiskSourceMeasure:
		p.tab = TabMeasures
	case r.SourceType == store.RiskSourceDiary:
		p.tab = TabDiary
	}
	return nil
}

// firstWaiting is the oldest submission waiting for feedback, other than
// except and those just sent.
func (p *Page) firstWaiting(except string) string {
	for _, r := range p.subs {
		if r.waiting() && r.sub.ID != except && !p.sentSubs[r.sub.ID] {
			return r.sub.ID
		}
	}
	return ""
}

type markedReadMsg struct{ err error }

func (m markedReadMsg) Failed() error { return m.err }

// markRead marks the patient's unread messages read when the thread is on
// screen (never in a supervisor's read-only view).
func (p *Page) markRead() tea.Cmd {
	if p.readOnly || p.tab != TabMessages || p.reading != "" || p.rec == nil {
		return nil
	}
	// Only messages on this therapist's own enrollments: one with a colleague
	// (an earlier program) is theirs to mark read.
	mine := map[string]bool{}
	for _, e := range p.rec.Enrollments {
		mine[e.ID] = e.TherapistID == p.c.Actor.ID
	}
	var ids []string
	for _, m := range p.rec.Messages {
		if m.Direction == store.DirectionIn && m.ReadAt == nil && !p.markedRead[m.ID] && mine[m.EnrollmentID] {
			ids = append(ids, m.ID)
			p.markedRead[m.ID] = true
		}
	}
	if len(ids) == 0 {
		return nil
	}
	st, actor, ctx := p.c.Store, p.c.Actor, p.c.Ctx
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		return markedReadMsg{err: st.MarkRead(ctx, actor, "message", ids...)}
	}))
}

func (p *Page) onSent(msg editor.SentMsg) tea.Cmd {
	e, ok := p.editors[msg.Key]
	if !ok {
		return common.Error(msg.Err)
	}
	cmd := e.Update(msg)
	if msg.Conflict != nil {
		return cmd // not sent: the editor asks which text to keep
	}
	if msg.Err != nil {
		if msg.Kind == store.DraftFeedback && errors.Is(msg.Err, store.ErrConflict) {
			// Sent meanwhile from another window or device: keep the
			// text, say so, and offer it as a correction once the
			// record is reloaded.
			e.SetNotice(p.c.T("pages.workspace.editor.sent_elsewhere"))
			p.correctAfter[msg.Key] = p.loadGen + 1
			return tea.Batch(cmd, common.Error(errors.New(p.c.T("pages.workspace.error.sent_elsewhere"))),
				p.load("submission (after feedback sent elsewhere)"))
		}
		return tea.Batch(cmd, common.Error(fmt.Errorf("%s: %w; %s", p.c.T("pages.workspace.error.not_sent"), msg.Err, p.c.T("pages.workspace.error.kept_as_draft"))))
	}
	delete(p.editors, msg.Key)
	p.forgetDraft(msg.DraftID)
	pid := p.patientID
	// The root says "sent" once it has gone out (on a replica, once the
	// server has it).
	recordID := msg.RecordID
	sent := func(what, said, then string) tea.Cmd {
		return func() tea.Msg {
			return common.SentMsg{What: what, PatientID: pid, RecordID: recordID, Said: said, Then: then}
		}
	}
	switch msg.Kind {
	case store.DraftFeedback:
		subID := strings.TrimPrefix(msg.Key, store.DraftFeedback+":")
		p.sentSubs[subID] = true
		if next := p.firstWaiting(subID); next != "" {
			return tea.Batch(sent("feedback", p.c.T("pages.workspace.sent.feedback"), " "+p.c.T("pages.workspace.sent.next_submission", "Name", common.FirstName(p.name))),
				p.openReader(next), p.load("submission"))
		}
		return tea.Batch(sent("feedback", p.c.T("pages.workspace.sent.feedback"), ""), func() tea.Msg { return common.NextPatientMsg{After: pid} })
	case store.DraftMessage:
		p.layout()
		return tea.Batch(sent("message", p.c.T("pages.workspace.sent.message"), ""), p.load("messages"))
	case store.DraftNote:
		p.layout()
		return tea.Batch(sent("note", "", ""), common.Status(p.c.T("pages.workspace.sent.note")), p.load("notes"))
	case store.DraftSummary:
		p.summaryOf = ""
		p.layout()
		return tea.Batch(sent("discharge summary", p.c.T("pages.workspace.sent.summary"), ""), p.load("timeline (after signing)"))
	}
	return nil
}

// forgetDraft drops a sent draft from the record on screen, so that the
// editor made next for the same target starts empty.
func (p *Page) forgetDraft(id string) {
	if id == "" {
		return
	}
	p.sentDrafts[id] = true
	if p.rec == nil {
		return
	}
	kept := p.rec.Drafts[:0]
	for _, d := range p.rec.Drafts {
		if d.ID != id {
			kept = append(kept, d)
		}
	}
	p.rec.Drafts = kept
}

// openReader opens a submission in the reader (the open is audited).
func (p *Page) openReader(id string) tea.Cmd {
	row, ok := p.subByID(id)
	if !ok {
		return nil
	}
	p.reading = id
	p.subSelected = id
	p.readerKey = ""
	for i, r := range p.subs {
		if r.sub.ID == id {
			p.subCursor = i
		}
	}
	if !p.readOnly && (row.waiting() || p.draftFor(store.DraftFeedback, id) != nil) {
		p.ensureEditor(store.DraftFeedback, id)
	}
	p.layout()
	p.reader.GotoTop()
	st, actor, ctx, pid := p.c.Store, p.c.Actor, p.c.Ctx, p.patientID
	detail := "submission " + id
	what := p.c.T("pages.workspace.error.audit")
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		return auditedMsg{err: st.RecordAccess(ctx, actor, pid, "read", detail), what: what}
	}))
}

// auditedMsg is the end of writing a read to the audit log.
type auditedMsg struct {
	err  error
	what string // the failure in the therapist's language
}

// Failed reports a failed audit write (for the status bar when the page
// is gone).
func (m auditedMsg) Failed() error {
	if m.err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", m.what, m.err)
}

func (p *Page) closeReader() tea.Cmd {
	var cmd tea.Cmd
	if e := p.activeEditor(); e != nil {
		cmd = e.Blur()
	}
	p.reading = ""
	p.layout()
	return cmd
}

func (p *Page) switchTab(t Tab) tea.Cmd {
	var cmds []tea.Cmd
	if e := p.activeEditor(); e != nil && e.Focused() {
		cmds = append(cmds, e.Blur())
	}
	p.tab = t
	p.contentKey = ""
	p.layout()
	cmds = append(cmds, p.markRead())
	return tea.Batch(cmds...)
}
