package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"polku/store"
	"polku/tui/common"
	"polku/tui/pages/admin"
	"polku/tui/pages/intake"
	"polku/tui/pages/team"
	"polku/tui/pages/triage"
	"polku/tui/pages/workspace"
	"polku/tui/sanitize"
)

// Model is the root of the workbench: a stack of pages (the home queue or
// team view at the bottom), the status bar, help, the live poll of the
// store and the time meter. It forwards input only to the page on top;
// the results of a page's commands come back to that page by address.
type Model struct {
	c    *common.Common
	opts Options

	// keyCache and statusCache keep the key line and the status bar
	// between frames that do not change them.
	keyCache, statusCache lineCache

	stack    []common.Page
	width    int
	height   int
	help     help.Model
	showHelp bool
	helpTop  int // first line of the help on screen (it scrolls)

	status    string
	statusErr bool
	statusAt  time.Time

	queues   map[string]*store.Queue
	qLoading map[string]bool
	qAgain   map[string]bool
	qLoaded  bool

	lastSeq     int64
	seqKnown    bool
	newActivity int
	syncStatus  *SyncStatus
	polls       int      // numbers the polls, so that a status read before a send is not taken for after
	sending     delivery // what was sent on a replica and has not reached the server

	meter    meter
	quitting bool
	lister   changeLister
	// instruments lists the stored instruments, so that scores can be
	// named with their validation marker (nil: every name unmarked as
	// validated).
	instruments common.InstrumentLister
}

// changeLister is the part of the store that says what changed; a store
// without it makes every change refresh everything.
type changeLister interface {
	Changes(ctx context.Context, after int64, limit int) ([]store.Change, error)
}

// meter counts the time spent with the patient on screen this week.
type meter struct {
	patientID string
	name      string
	since     time.Time     // start of the time not yet written
	lastKey   time.Time     // the meter stops IdleAfter the last key
	stored    time.Duration // written this week (TimeThisWeek + flushes)
}

type (
	pollTickMsg  struct{}
	meterTickMsg struct{}
	seqMsg       struct {
		seq  int64
		err  error
		sync *SyncStatus
		poll int
	}
	changesMsg struct {
		seq int64
		ch  common.Changes
		n   int
		err error
	}
	queueMsg struct {
		therapistID string
		q           *store.Queue
		scales      *common.Scales // nil: keep the ones loaded
		err         error
	}
	scalesMsg struct {
		scales *common.Scales
		err    error
	}
	timeMsg struct {
		patientID string
		d         time.Duration
		err       error
	}
	timeSavedMsg struct{ err error }
)

// New builds the root model (Run uses it; tests drive it directly).
func New(ctx context.Context, opts Options) (*Model, error) {
	if opts.Store == nil {
		return nil, errors.New("tui: no store")
	}
	opts.StoreLabel = sanitize.Line(opts.StoreLabel)
	c := newCommon(ctx, opts)
	m := &Model{c: c, opts: opts, queues: map[string]*store.Queue{}, qLoading: map[string]bool{}, qAgain: map[string]bool{}}
	m.lister, _ = opts.Store.(changeLister)
	m.instruments, _ = opts.Store.(common.InstrumentLister)
	m.help = help.New()
	st := c.Styles
	m.help.Styles = help.Styles{ShortKey: st.HelpKey, ShortDesc: st.HelpDesc, ShortSeparator: st.HelpSep, Ellipsis: st.HelpSep,
		FullKey: st.HelpKey, FullDesc: st.HelpDesc, FullSeparator: st.HelpSep}
	var home common.Page
	switch {
	case c.Supervisor():
		home = team.New(c)
	case c.Therapist.Role == store.RoleAdmin:
		home = admin.New(c) // an admin has no queue
	default:
		home = triage.New(c, c.Therapist, false, true)
	}
	m.stack = []common.Page{home}
	m.width, m.height = 80, 24
	m.resize()
	return m, nil
}

// Common exposes the shared state (tests).
func (m *Model) Common() *common.Common { return m.c }

// Top is the page on top of the stack.
func (m *Model) Top() common.Page { return m.stack[len(m.stack)-1] }

// Pages is the stack, bottom first.
func (m *Model) Pages() []common.Page { return m.stack }

// StatusText is the current status message.
func (m *Model) StatusText() string { return m.status }

// Init loads the home page, reads the change-log position and starts the
// poll and the time meter.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.stack[0].Init(), m.poll(), m.meterTick()}
	switch {
	case m.home() != nil:
		cmds = append(cmds, m.loadQueue(m.c.Therapist.ID))
	case m.c.Supervisor():
		cmds = append(cmds, m.loadScales())
	}
	return tea.Batch(cmds...)
}

func (m *Model) pageHeight() int { return max(1, m.height-2) }

func (m *Model) resize() {
	for _, p := range m.stack {
		p.SetSize(m.width, m.pageHeight())
	}
	m.help.Width = m.width
}

// Update routes a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(20, msg.Width), max(6, msg.Height)
		m.resize()
		return m, nil
	case common.PageMsg:
		for _, p := range m.stack {
			if p.ID() == msg.Page {
				_, cmd := p.Update(msg.Msg)
				return m, cmd
			}
		}
		if f, ok := msg.Msg.(common.Failure); ok && f.Failed() != nil {
			m.setStatus("", f.Failed())
		}
		if s, ok := msg.Msg.(common.StatusMsg); ok {
			m.setStatus(s.Text, s.Err)
		}
		return m, nil
	case common.StatusMsg:
		m.setStatus(msg.Text, msg.Err)
		return m, nil
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pollTickMsg:
		return m, m.poll()
	case seqMsg:
		return m, m.onSeq(msg)
	case changesMsg:
		return m, m.onChanges(msg)
	case queueMsg:
		return m, m.onQueue(msg)
	case scalesMsg:
		if msg.err != nil {
			m.setStatus("", fmt.Errorf("%s: %w", m.c.T("tui.error.instruments"), msg.err))
		} else {
			m.c.Scales = msg.scales
		}
		return m, nil
	case meterTickMsg:
		return m, tea.Batch(m.flushTime(false), m.meterTick())
	case timeMsg:
		if msg.err == nil && msg.patientID == m.meter.patientID {
			m.meter.stored += msg.d
		}
		return m, nil
	case timeSavedMsg:
		if msg.err != nil {
			m.setStatus("", fmt.Errorf("%s: %w", m.c.T("tui.error.time_not_recorded"), msg.err))
		}
		return m, nil
	case common.OpenPatientMsg:
		return m, m.openPatient(msg)
	case common.OpenQueueMsg:
		return m, m.openQueue(msg)
	case common.OpenIntakeMsg:
		return m, m.push(intake.New(m.c))
	case common.BackMsg:
		return m, m.pop()
	case common.NextPatientMsg:
		return m, m.next(msg.After)
	case common.SentMsg:
		cmds := []tea.Cmd{m.reloadQueues()}
		s := m.opts.Sync
		if s != nil {
			cmds = append(cmds, func() tea.Msg { s.Trigger(); return nil })
		}
		switch {
		case msg.Said == "":
		case s == nil:
			m.setStatus(msg.Said+msg.Then, nil) // the local store is the source of truth
		default:
			// On a replica it is sent once the server has it.
			cmds = append(cmds, m.awaitDelivery(msg))
		}
		return m, tea.Batch(cmds...)
	case deliveryMsg:
		return m, m.onDelivery(msg)
	case deliverTickMsg:
		return m, m.onDeliverTick()
	case common.ReloadQueueMsg:
		return m, m.reloadQueues()
	case common.SelectPatientMsg:
		if h := m.home(); h != nil {
			h.Select(msg.PatientID)
		}
		return m, nil
	}
	_, cmd := m.Top().Update(msg)
	return m, cmd
}

func (m *Model) setStatus(text string, err error) {
	m.status, m.statusErr, m.statusAt = text, err != nil, m.c.Now()
	if err != nil {
		m.status = m.c.Err(err)
	}
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.Top().InputFocused() {
		// Keys typed faster than the terminal is read arrive together
		// ("jjj"): take them one at a time, so each moves, switches or
		// opens as if typed slowly (and text goes to an editor as soon as
		// one has the keyboard).
		var cmds []tea.Cmd
		for i, r := range msg.Runes {
			if m.Top().InputFocused() {
				cmds = append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[i:], Alt: msg.Alt}))
				break
			}
			cmds = append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		}
		return tea.Batch(cmds...)
	}
	g := m.c.Keys
	now := m.c.Now()
	var cmds []tea.Cmd
	if m.meter.patientID != "" && now.Sub(m.meter.lastKey) > m.c.Config.IdleAfter {
		// Back from a pause: count up to the idle cut-off, restart now.
		cmds = append(cmds, m.flushTime(false))
		m.meter.since = now
	}
	m.meter.lastKey = now
	if !m.statusErr && m.status != "" && now.Sub(m.statusAt) > 2*time.Second {
		m.status = ""
	}
	if key.Matches(msg, g.Force) {
		m.quitting = true
		return tea.Quit
	}
	top := m.Top()
	if len(m.stack) == 1 {
		m.newActivity = 0
	}
	if m.showHelp {
		if key.Matches(msg, g.Help, g.Back, g.Quit) {
			m.showHelp = false
		}
		m.scrollHelp(msg)
		return tea.Batch(cmds...)
	}
	if msg.String() == "f1" || !top.InputFocused() && key.Matches(msg, g.Help) {
		m.showHelp, m.helpTop = true, 0
		return tea.Batch(cmds...)
	}
	if !top.InputFocused() && key.Matches(msg, g.Quit) {
		if len(m.stack) == 1 {
			m.quitting = true
			return tea.Batch(append(cmds, tea.Quit)...)
		}
		m.setStatus(m.c.T("tui.status.quit_from_queue"), nil)
		return tea.Batch(cmds...)
	}
	if cmd, ok := m.groupKey(msg, top); ok {
		return tea.Batch(append(cmds, cmd)...)
	}
	m.statusErr = m.statusErr && !(msg.Type == tea.KeyEsc)
	_, cmd := top.Update(msg)
	return tea.Batch(append(cmds, cmd)...)
}

// home is the therapist's own queue page, if the stack has one.
func (m *Model) home() *triage.Page {
	if p, ok := m.stack[0].(*triage.Page); ok {
		return p
	}
	return nil
}

func (m *Model) push(p common.Page) tea.Cmd {
	p.SetSize(m.width, m.pageHeight())
	m.stack = append(m.stack, p)
	m.showHelp = false
	return p.Init()
}

func (m *Model) pop() tea.Cmd {
	if len(m.stack) <= 1 {
		return nil
	}
	top := m.Top()
	m.stack = m.stack[:len(m.stack)-1]
	cmds := []tea.Cmd{top.Close()}
	if pp, ok := top.(common.PatientPage); ok && pp.PatientID() == m.meter.patientID {
		cmds = append(cmds, m.stopMeter())
	}
	if pp, ok := top.(common.PatientPage); ok {
		if h := m.home(); h != nil {
			h.Select(pp.PatientID())
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) openPatient(msg common.OpenPatientMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.Replace {
		if _, ok := m.Top().(*workspace.Page); ok {
			cmds = append(cmds, m.pop())
		}
	}
	ws := workspace.New(m.c, msg.Item, msg.ReadOnly, msg.Focus)
	if q := m.queues[msg.Item.TherapistID]; q != nil {
		ws.SetQueue(q)
	}
	cmds = append(cmds, m.push(ws))
	if !msg.ReadOnly {
		cmds = append(cmds, m.startMeter(msg.Item.PatientID, msg.Item.DisplayName))
	}
	return tea.Batch(cmds...)
}

func (m *Model) openQueue(msg common.OpenQueueMsg) tea.Cmd {
	p := triage.New(m.c, msg.Therapist, true, false)
	cmd := m.push(p)
	if msg.Queue != nil {
		m.queues[msg.Therapist.ID] = msg.Queue
		p.SetQueue(msg.Queue)
		return cmd
	}
	return tea.Batch(cmd, m.loadQueue(msg.Therapist.ID))
}

// next moves from a patient to the next one in the home queue who needs
// the therapist, in the order on screen (section, filter and sort kept).
func (m *Model) next(after string) tea.Cmd {
	h := m.home()
	if h == nil {
		return m.pop()
	}
	it, ok := h.NextAfter(after)
	if !ok {
		var cmds []tea.Cmd
		for len(m.stack) > 1 {
			cmds = append(cmds, m.pop())
		}
		m.setStatus(m.c.T("tui.status.nothing_else"), nil)
		return tea.Batch(cmds...)
	}
	h.Select(it.PatientID)
	return m.openPatient(common.OpenPatientMsg{Item: it, Replace: true})
}

// --- queues ---

func (m *Model) loadQueue(therapistID string) tea.Cmd {
	if m.qLoading[therapistID] {
		m.qAgain[therapistID] = true
		return nil
	}
	m.qLoading[therapistID] = true
	st, actor, ctx, instruments, tr := m.c.Store, m.c.Actor, m.c.Ctx, m.instruments, m.c.Printer()
	return func() tea.Msg {
		q, err := st.Triage(ctx, actor, therapistID)
		if err != nil {
			return queueMsg{therapistID: therapistID, err: err}
		}
		q.Localize(tr)       // the reasons in the therapist's language, before they are sanitized
		q.LocalizeTitles(tr) // and the programs' and modules' titles where translated
		common.SanitizeQueue(q)
		msg := queueMsg{therapistID: therapistID, q: q}
		if instruments != nil {
			// With every queue, so that an instrument imported meanwhile
			// is named right (the definitions are cached by the store).
			if msg.scales, err = common.LoadScales(ctx, instruments); err != nil {
				return queueMsg{therapistID: therapistID, err: err}
			}
			msg.scales = msg.scales.In(tr)
		}
		return msg
	}
}

// loadScales reads the stored instruments (the supervisor's home loads no
// queue of its own).
func (m *Model) loadScales() tea.Cmd {
	ctx, instruments, tr := m.c.Ctx, m.instruments, m.c.Printer()
	if instruments == nil {
		return nil
	}
	return func() tea.Msg {
		s, err := common.LoadScales(ctx, instruments)
		return scalesMsg{scales: s.In(tr), err: err}
	}
}

// reloadQueues reloads every queue a page on the stack shows.
func (m *Model) reloadQueues() tea.Cmd {
	var cmds []tea.Cmd
	seen := map[string]bool{}
	for _, p := range m.stack {
		if t, ok := p.(*triage.Page); ok && !seen[t.Therapist().ID] {
			seen[t.Therapist().ID] = true
			cmds = append(cmds, m.loadQueue(t.Therapist().ID))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) onQueue(msg queueMsg) tea.Cmd {
	m.qLoading[msg.therapistID] = false
	var cmd tea.Cmd
	if m.qAgain[msg.therapistID] {
		m.qAgain[msg.therapistID] = false
		cmd = m.loadQueue(msg.therapistID)
	}
	if msg.err != nil {
		m.setStatus("", fmt.Errorf("%s: %w", m.c.T("tui.error.queue"), msg.err))
		return cmd
	}
	if msg.scales != nil {
		m.c.Scales = msg.scales
	}
	m.queues[msg.therapistID] = msg.q
	m.qLoaded = true
	for _, p := range m.stack {
		if qc, ok := p.(common.QueueConsumer); ok {
			qc.SetQueue(msg.q)
		}
	}
	return cmd
}

// --- live updates ---

func (m *Model) poll() tea.Cmd {
	m.polls++
	st, ctx, sy, n := m.c.Store, m.c.Ctx, m.opts.Sync, m.polls
	return func() tea.Msg {
		seq, err := st.LastSeq(ctx)
		msg := seqMsg{seq: seq, err: err, poll: n}
		if sy != nil {
			s := sy.Status()
			msg.sync = &s
		}
		return msg
	}
}

func (m *Model) pollTick() tea.Cmd {
	return m.c.After(m.c.Config.PollEvery, func(time.Time) tea.Msg { return pollTickMsg{} })
}

func (m *Model) onSeq(msg seqMsg) tea.Cmd {
	if msg.sync != nil {
		m.syncStatus = msg.sync
		if msg.poll > m.sending.afterPoll {
			m.followDelivery(*msg.sync, nil, nil, "", false)
		}
	}
	if msg.err != nil {
		m.setStatus("", fmt.Errorf("%s: %w", m.c.T("tui.error.store"), msg.err))
		return m.pollTick()
	}
	if !m.seqKnown {
		m.seqKnown, m.lastSeq = true, msg.seq
		return m.pollTick()
	}
	if msg.seq == m.lastSeq {
		return m.pollTick()
	}
	after, seq, me, own := m.lastSeq, msg.seq, m.c.Actor.ID, m.c.Own
	lister, ctx := m.lister, m.c.Ctx
	return func() tea.Msg {
		if lister == nil {
			return changesMsg{seq: seq, ch: common.Changes{All: true}, n: 1}
		}
		return describeChanges(ctx, lister, own, after, seq, me)
	}
}

// describeChanges reads the change log between two positions and says
// which patients changed. The writes this process made are left out (the
// page that wrote reloads what it needs, and a draft saved as the
// therapist types must never reload anything); writes by anyone else are
// changes, the same therapist's in another window or on another device
// included. Records a replica pulled in under the user's own name may be
// the echo of this process's writes or another device's: they refresh
// what they touch, but are not counted as news. A row that may belong to
// a write of this process still running is looked at again at the next
// poll.
func describeChanges(ctx context.Context, l changeLister, own *common.OwnWrites, after, seq int64, me string) changesMsg {
	const limit = 5000
	rows, err := l.Changes(ctx, after, limit)
	if err != nil {
		return changesMsg{seq: seq, err: err}
	}
	own.NextRound()
	ch := common.Changes{Patients: map[string]bool{}}
	if len(rows) >= limit {
		ch.All = true
	}
	n := 0
	last := after
	for _, r := range rows {
		if r.ActorID == me && r.Entity != "sync" {
			mine, unsure := own.Claim(r)
			if unsure && !ch.All {
				return changesMsg{seq: last, ch: ch, n: n}
			}
			if mine {
				last = max(last, r.Seq)
				continue
			}
		}
		last = max(last, r.Seq)
		if r.ActorID != me || r.Entity != "sync" {
			n++
		}
		ch.Others = true
		if r.PatientID != "" {
			ch.Patients[r.PatientID] = true
		}
	}
	if ch.All || last < seq {
		last = seq
	}
	return changesMsg{seq: last, ch: ch, n: n}
}

func (m *Model) onChanges(msg changesMsg) tea.Cmd {
	cmds := []tea.Cmd{m.pollTick()}
	if msg.err != nil {
		m.setStatus("", fmt.Errorf("%s: %w", m.c.T("tui.error.store"), msg.err))
		return tea.Batch(cmds...)
	}
	m.lastSeq = msg.seq
	if !msg.ch.All && !msg.ch.Others {
		return tea.Batch(cmds...)
	}
	m.newActivity += msg.n
	cmds = append(cmds, m.reloadQueues())
	for _, p := range m.stack {
		cmds = append(cmds, p.Refresh(msg.ch))
	}
	return tea.Batch(cmds...)
}

// --- time meter ---

func (m *Model) meterTick() tea.Cmd {
	return m.c.After(m.c.Config.TimeFlushEvery, func(time.Time) tea.Msg { return meterTickMsg{} })
}

// pending is the time counted but not yet written.
func (m *Model) pending(now time.Time) time.Duration {
	if m.meter.patientID == "" {
		return 0
	}
	end := now
	if cut := m.meter.lastKey.Add(m.c.Config.IdleAfter); cut.Before(end) {
		end = cut
	}
	if d := end.Sub(m.meter.since); d > 0 {
		return d
	}
	return 0
}

func (m *Model) startMeter(patientID, name string) tea.Cmd {
	var cmds []tea.Cmd
	if m.meter.patientID != "" {
		cmds = append(cmds, m.stopMeter())
	}
	now := m.c.Now()
	m.meter = meter{patientID: patientID, name: name, since: now, lastKey: now}
	st, ctx, me := m.c.Store, m.c.Ctx, m.c.Therapist.ID
	cmds = append(cmds, func() tea.Msg {
		d, err := st.TimeThisWeek(ctx, me, patientID, now)
		return timeMsg{patientID: patientID, d: d, err: err}
	})
	return tea.Batch(cmds...)
}

func (m *Model) stopMeter() tea.Cmd {
	cmd := m.flushTime(true)
	m.meter = meter{}
	return cmd
}

// flushTime writes the counted time (whole seconds).
func (m *Model) flushTime(final bool) tea.Cmd {
	if m.meter.patientID == "" {
		return nil
	}
	now := m.c.Now()
	d := m.pending(now).Truncate(time.Second)
	if d < time.Second {
		return nil
	}
	m.meter.since = m.meter.since.Add(d)
	m.meter.stored += d
	st, actor, ctx, pid := m.c.Store, m.c.Actor, m.c.Ctx, m.meter.patientID
	return m.c.Write(func() tea.Msg {
		return timeSavedMsg{err: st.AddTime(ctx, actor, pid, d)}
	})
}

// --- view ---

// View draws the page, the help or message line and the status bar.
func (m *Model) View() string {
	top := m.Top()
	var body string
	if m.showHelp {
		body = m.helpView(top)
	} else {
		body = top.View()
	}
	body = common.Fit(body, m.width, m.pageHeight())
	return body + "\n" + m.messageLine(top) + "\n" + m.statusBar()
}

// helpKey is the help binding as it works on the screen: where a text
// field or dialog has the keyboard, ? is typed (or ignored) and only F1
// opens the help.
func (m *Model) helpKey(top common.Page) key.Binding {
	if top.InputFocused() {
		b := m.c.Keys.Help
		b.SetKeys("f1")
		b.SetHelp("f1", m.c.T("tui.keys.help"))
		return b
	}
	return m.c.Keys.Help
}

// helpGroups are the bindings the help screen shows for the page on top:
// the page's own, then the global keys (esc back only where the page has
// no esc of its own).
func (m *Model) helpGroups(top common.Page) [][]key.Binding {
	g := m.c.Keys
	groups := top.FullHelp()
	pageEsc := false
	for _, grp := range groups {
		for _, b := range grp {
			for _, k := range b.Keys() {
				pageEsc = pageEsc || b.Enabled() && k == "esc"
			}
		}
	}
	global := []key.Binding{m.helpKey(top)}
	if len(m.stack) > 1 && !pageEsc {
		global = append(global, g.Back)
	}
	switch {
	case top.InputFocused():
	case len(m.stack) == 1:
		global = append(global, m.groupKeys()...)
		global = append(global, g.Quit)
	default:
		// q explains how to quit from here.
		q := g.Quit
		q.SetHelp("q", m.c.T("tui.keys.quit_from_queue"))
		global = append(global, q)
	}
	global = append(global, g.Force)
	return append(groups, global)
}

// helpContent is the whole help of the page on top: its keys, then the
// legend of the badges and marks.
func (m *Model) helpContent(top common.Page) string {
	st := m.c.Styles
	return helpColumns(st, m.helpGroups(top), m.width) + "\n\n" + st.Title.Render(m.c.T("tui.help.legend_title")) + "\n" + legendView(st, m.c.Legend(), m.width)
}

// helpRows is how many lines of the help fit between its title and its
// last line.
func (m *Model) helpRows() int { return max(1, m.pageHeight()-3) }

// scrollHelp moves the help with the list keys.
func (m *Model) scrollHelp(msg tea.KeyMsg) {
	lines := strings.Count(m.helpContent(m.Top()), "\n") + 1
	rows := m.helpRows() + 1
	switch msg.String() {
	case "down", "j":
		m.helpTop++
	case "up", "k":
		m.helpTop--
	case "pgdown", " ", "ctrl+f":
		m.helpTop += rows
	case "pgup", "ctrl+b":
		m.helpTop -= rows
	case "home", "g":
		m.helpTop = 0
	case "end", "G":
		m.helpTop = lines
	}
	m.helpTop = max(0, min(m.helpTop, lines-rows))
}

func (m *Model) helpView(top common.Page) string {
	st := m.c.Styles
	title := st.Title.Render(m.c.T("tui.help.title")) + st.Subtle.Render(" · "+top.Title())
	closeWith := "?"
	if top.InputFocused() {
		closeWith = "f1"
	}
	lines := strings.Split(m.helpContent(top), "\n")
	rows := m.helpRows()
	gap := "\n\n"
	if len(lines) > rows {
		gap, rows = "\n", rows+1 // every line counts when it scrolls
	}
	first := max(0, min(m.helpTop, len(lines)-rows))
	last := min(len(lines), first+rows)
	foot := m.c.T("tui.help.close", "Key", closeWith)
	if len(lines) > rows {
		foot += " " + m.c.T("tui.help.scroll", "First", first+1, "Last", last, "Total", len(lines))
	}
	if drafts := " " + m.c.T("tui.help.drafts"); lipgloss.Width(foot+drafts) <= m.width {
		foot += drafts
	}
	return title + gap + common.Fit(strings.Join(lines[first:last], "\n"), m.width, rows) + "\n" + st.Faint.Render(common.Truncate(foot, m.width))
}

// legendView lays the legend out: each example, then what it means,
// wrapped beside it.
func legendView(st *common.Styles, legend []common.LegendEntry, width int) string {
	ew := 0
	for _, e := range legend {
		ew = max(ew, lipgloss.Width(e.Example))
	}
	mw := max(20, width-ew-4)
	var b strings.Builder
	for _, e := range legend {
		meaning := strings.Split(common.Wrap(e.Meaning, mw), "\n")
		b.WriteString(st.HelpKey.Render(common.Pad(e.Example, ew)) + "  " + st.HelpDesc.Render(meaning[0]) + "\n")
		for _, l := range meaning[1:] {
			b.WriteString(strings.Repeat(" ", ew+2) + st.HelpDesc.Render(l) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// helpColumns lays the groups of bindings out as columns, wrapping to
// more rows of columns when the screen is narrow (nothing is cut off).
func helpColumns(st *common.Styles, groups [][]key.Binding, width int) string {
	var cols []string
	for _, g := range groups {
		kw := 0
		for _, b := range g {
			if b.Enabled() {
				kw = max(kw, lipgloss.Width(b.Help().Key))
			}
		}
		var lines []string
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			lines = append(lines, st.HelpKey.Render(common.Pad(b.Help().Key, kw))+" "+st.HelpDesc.Render(b.Help().Desc))
		}
		if len(lines) > 0 {
			cols = append(cols, strings.Join(lines, "\n"))
		}
	}
	var rows []string
	var row []string
	used := 0
	for _, c := range cols {
		w := lipgloss.Width(c) + 4
		if used > 0 && used+w > width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, used = nil, 0
		}
		row = append(row, st.R.NewStyle().PaddingRight(4).Render(c))
		used += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return strings.Join(rows, "\n\n")
}

func (m *Model) messageLine(top common.Page) string {
	st := m.c.Styles
	now := m.c.Now()
	if m.status != "" && (m.statusErr || now.Sub(m.statusAt) < m.c.Config.StatusFor) {
		if m.statusErr {
			return common.Truncate(st.Risk.Render("! "+m.status), m.width)
		}
		return common.Truncate(st.Accent.Render(m.status), m.width)
	}
	g := m.c.Keys
	keys := append([]key.Binding{}, top.ShortHelp()...)
	hasEsc := false
	for _, k := range keys {
		hasEsc = hasEsc || k.Help().Key == "esc"
	}
	var global []key.Binding
	if !top.InputFocused() {
		global = append(global, common.Short(g.Help, "?"))
		if len(m.stack) == 1 {
			global = append(global, g.Quit)
		} else if !hasEsc {
			global = append(global, g.Back)
		}
	}
	var ck strings.Builder
	ck.WriteString(strconv.Itoa(m.width))
	for _, b := range append(keys, global...) {
		if b.Enabled() {
			ck.WriteString("\x00" + b.Help().Key + "\x01" + b.Help().Desc)
		}
	}
	ck.WriteString("\x00" + strconv.Itoa(len(keys)))
	return m.keyCache.get(ck.String(), func() string {
		// The way to help (and out) stays on the line in every language:
		// when the line is too wide, the page's last keys give way (?
		// lists them).
		h := m.help
		h.Width = 0 // measured here, not cut by the help model
		line := h.ShortHelpView(append(keys, global...))
		for len(keys) > 1 && len(global) > 0 && m.width > 0 && ansi.StringWidth(line) > m.width {
			keys = keys[:len(keys)-1]
			line = h.ShortHelpView(append(keys, global...))
		}
		return common.Truncate(line, m.width)
	})
}

// lineCache keeps the last rendering of a line whose words and width
// did not change: the key line and the status bar are the same on most
// frames, and drawing them (styles, widths of non-ASCII text) costs more
// than saying what is on them.
type lineCache struct {
	key, line string
}

// get is the cached line for key, or render's, kept for next time.
func (c *lineCache) get(key string, render func() string) string {
	if c.key != key || c.line == "" {
		c.key, c.line = key, render()
	}
	return c.line
}

// The status bar's parts, by style.
const (
	statusPlain = iota
	statusLive
	statusErr
	statusKey
)

func (m *Model) statusBar() string {
	now := m.c.Now()
	type part struct {
		style int
		text  string
	}
	var right []part
	if m.newActivity > 0 {
		right = append(right, part{statusLive, "● " + m.c.T("tui.status.new", "Count", m.newActivity)})
	} else {
		right = append(right, part{statusPlain, "● " + m.c.T("tui.status.live")})
	}
	if m.meter.patientID != "" {
		total := m.meter.stored + m.pending(now)
		right = append(right, part{statusPlain, "⏱ " + m.c.T("tui.status.time_this_week", "Time", m.c.Minutes(total), "Name", common.FirstName(m.meter.name))})
	}
	if s := m.syncStatus; s != nil && m.opts.Sync != nil {
		var parts []string
		if s.Online {
			parts = append(parts, m.c.T("tui.status.online"))
		} else {
			parts = append(parts, m.c.T("tui.status.offline"))
		}
		if !s.LastSync.IsZero() {
			parts = append(parts, m.c.T("tui.status.synced", "Time", m.c.Time(s.LastSync)))
		} else {
			parts = append(parts, m.c.T("tui.status.never_synced"))
		}
		parts = append(parts, m.c.T("tui.status.pending", "Count", s.Pending))
		if s.Conflicts > 0 {
			parts = append(parts, m.c.T("tui.status.conflicts", "Count", s.Conflicts))
		}
		text := strings.Join(parts, " · ")
		if s.Err != "" || !s.Online || s.Conflicts > 0 {
			right = append(right, part{statusErr, text})
		} else {
			right = append(right, part{statusPlain, text})
		}
	}
	if m.opts.Demo {
		right = append(right, part{statusKey, m.c.T("tui.status.demo")})
	}
	var key strings.Builder
	key.WriteString(strconv.Itoa(m.width) + "\x00" + m.c.Therapist.Handle + "\x00" + m.opts.StoreLabel)
	for _, p := range right {
		key.WriteString("\x00" + strconv.Itoa(p.style) + p.text)
	}
	return m.statusCache.get(key.String(), func() string {
		st := m.c.Styles
		styles := [...]lipgloss.Style{statusPlain: st.Status, statusLive: st.StatusLive, statusErr: st.StatusErr, statusKey: st.StatusKey}
		sep := st.Status.Render(" │ ")
		left := st.StatusKey.Render(" "+m.c.Therapist.Handle) + st.Status.Render(" · "+m.opts.StoreLabel)
		rendered := make([]string, len(right))
		for i, p := range right {
			rendered[i] = styles[p.style].Render(p.text)
		}
		r := strings.Join(rendered, sep) + st.Status.Render(" ")
		rw := lipgloss.Width(r)
		lw := m.width - rw
		if lw < 12 {
			// Too narrow for everything: keep the essentials on the right.
			r = common.Truncate(r, m.width-12)
			lw = m.width - lipgloss.Width(r)
		}
		l := common.Truncate(left, lw)
		if gap := lw - lipgloss.Width(l); gap > 0 {
			l += st.Status.Render(strings.Repeat(" ", gap))
		}
		return l + r
	})
}

// flushSync saves what is unsaved after the program has ended: drafts of
// every page still open, drafts whose save failed when their page closed,
// and the time meter.
func (m *Model) flushSync(ctx context.Context) error {
	errs := []error{m.c.Unsaved.Retry(ctx)}
	for _, p := range m.stack {
		if f, ok := p.(common.Flusher); ok {
			errs = append(errs, f.FlushSync(ctx))
		}
	}
	if m.meter.patientID != "" {
		d := m.pending(m.c.Now()).Truncate(time.Second)
		if d >= time.Second {
			errs = append(errs, m.c.Store.AddTime(ctx, m.c.Actor, m.meter.patientID, d))
		}
	}
	return errors.Join(errs...)
}
