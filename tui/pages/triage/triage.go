// Package triage is the home page of a therapist: their queue, most urgent
// first, in sections (needs you, waiting on the patient, all), each row
// with the reasons as badges, a preview of the selected patient, and a
// filter. Risk-class patients are pinned at the top whatever the section,
// filter or sort, and stay on screen while the rest scrolls; when there are
// more of them than half the list holds, a line counts those out of view.
package triage

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"polku/store"
	"polku/tui/common"
	"polku/tui/components/ackdialog"
	"polku/tui/components/sparkline"
	"polku/tui/pages/intake"
)

// Sections of the queue.
const (
	SectionNeeds = iota
	SectionWaiting
	SectionAll
)

var sectionNames = []string{"Needs you", "Waiting on patient", "All"}

// Sort orders (risk stays on top in every one).
const (
	SortUrgency = iota
	SortName
	SortIdle
	SortProgram
)

var sortNames = []string{"urgency", "name", "longest idle", "program"}

// KeyMap are the queue's bindings.
type KeyMap struct {
	common.ListKeys
	NextSection key.Binding
	PrevSection key.Binding
	Section     key.Binding
	Filter      key.Binding
	ClearFilter key.Binding
	Sort        key.Binding
	Ack         key.Binding
	Reload      key.Binding
	Intake      key.Binding
}

// Page is the queue page.
type Page struct {
	c         *common.Common
	id        int
	therapist store.Therapist
	readOnly  bool
	home      bool

	queue   *store.Queue
	search  []string // lower-cased searchable text per item
	visible []int    // indices into queue.Items, in display order
	pinned  int      // how many of visible are pinned risk rows

	section   int
	sortMode  int
	filter    textinput.Model
	filtering bool
	cursor    int
	offset    int
	selected  string // patient id under the cursor

	ack   *ackdialog.Dialog
	keys  KeyMap
	width int
	high  int
}

// New makes the queue page of a therapist. readOnly is the supervisor's
// view; home is the therapist's own queue.
func New(c *common.Common, th store.Therapist, readOnly, home bool) *Page {
	fi := textinput.New()
	fi.Prompt = "/"
	fi.Placeholder = "name or program"
	fi.PromptStyle = c.Styles.Accent
	fi.TextStyle = c.Styles.EditorFocused
	fi.PlaceholderStyle = c.Styles.Faint
	fi.Cursor.Style = c.Styles.EditorCursor
	fi.CharLimit = 64
	fi.Cursor.SetMode(cursor.CursorStatic)
	p := &Page{c: c, id: c.NewPageID(), therapist: th, readOnly: readOnly, home: home, filter: fi}
	p.keys = KeyMap{
		ListKeys:    common.NewListKeys(),
		NextSection: key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab/→/l", "next section")),
		PrevSection: key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←/h", "previous section")),
		Section:     key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1-3", "needs you / waiting / all")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Ack:         key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "acknowledge risk")),
		Reload:      key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r/ctrl+r", "reload")),
		Intake:      key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "intake queue (referrals)")),
	}
	// The intake queue is for intake workers, from their own queue.
	p.keys.Intake.SetEnabled(home && intake.May(c))
	p.keys.Open.SetHelp("enter", "open patient")
	if !home {
		p.keys.ClearFilter.SetHelp("esc", "clear the filter, or back")
	}
	if readOnly {
		p.keys.Ack.SetEnabled(false)
	}
	return p
}

// ID is the page address.
func (p *Page) ID() int { return p.id }

// Therapist is whose queue this is.
func (p *Page) Therapist() store.Therapist { return p.therapist }

// Title names the page.
func (p *Page) Title() string {
	if p.home {
		return "Queue"
	}
	return p.therapist.Name + "'s queue (read-only)"
}

// InputFocused says the filter or the dialog has the keyboard.
func (p *Page) InputFocused() bool { return p.filtering || p.ack != nil }

// Init does nothing: the root loads the queue.
func (p *Page) Init() tea.Cmd { return nil }

// Refresh: the root reloads the queue and calls SetQueue.
func (p *Page) Refresh(common.Changes) tea.Cmd { return nil }

// Close has nothing to flush.
func (p *Page) Close() tea.Cmd { return nil }

// SetSize sets the page's box.
func (p *Page) SetSize(w, h int) {
	p.width, p.high = w, h
	p.filter.Width = max(10, w/3)
	if p.ack != nil {
		p.ack.SetWidth(w)
	}
	p.clampOffset()
}

// Queue is the queue on show.
func (p *Page) Queue() *store.Queue { return p.queue }

// SetQueue shows a (re)loaded queue, keeping the cursor on the same
// patient.
func (p *Page) SetQueue(q *store.Queue) {
	if q == nil || q.TherapistID != p.therapist.ID {
		return
	}
	p.queue = q
	p.search = make([]string, len(q.Items))
	for i := range q.Items {
		it := &q.Items[i]
		p.search[i] = strings.ToLower(it.DisplayName + "\x00" + it.Pseudonym + "\x00" + it.ProgramID + "\x00" + it.ProgramTitle)
	}
	p.recompute()
}

// Select puts the cursor on a patient if they are on show.
func (p *Page) Select(patientID string) {
	p.selected = patientID
	p.recompute()
}

// Visible is the patients in display order (for tests and "next").
func (p *Page) Visible() []store.QueueItem {
	out := make([]store.QueueItem, len(p.visible))
	for i, ix := range p.visible {
		out[i] = p.queue.Items[ix]
	}
	return out
}

// Selected is the item under the cursor.
func (p *Page) Selected() (store.QueueItem, bool) {
	if p.queue == nil || p.cursor < 0 || p.cursor >= len(p.visible) {
		return store.QueueItem{}, false
	}
	return p.queue.Items[p.visible[p.cursor]], true
}

// NextAfter is the next patient after patientID, in the order on screen,
// who needs the therapist (not only waiting on the patient).
func (p *Page) NextAfter(patientID string) (store.QueueItem, bool) {
	if p.queue == nil || len(p.visible) == 0 {
		return store.QueueItem{}, false
	}
	start := p.cursor
	for i, ix := range p.visible {
		if p.queue.Items[ix].PatientID == patientID {
			start = i
			break
		}
	}
	for k := 1; k <= len(p.visible); k++ {
		it := p.queue.Items[p.visible[(start+k)%len(p.visible)]]
		if it.PatientID != patientID && it.Class != store.ClassWaiting {
			return it, true
		}
	}
	return store.QueueItem{}, false
}

// SetFilter sets the filter text (tests and the property check use it).
func (p *Page) SetFilter(s string) { p.filter.SetValue(s); p.recompute() }

// SetSection switches the section.
func (p *Page) SetSection(s int) { p.section = s; p.recompute() }

// SetSort sets the sort order.
func (p *Page) SetSort(s int) { p.sortMode = s; p.recompute() }

func (p *Page) inSection(it *store.QueueItem) bool {
	switch p.section {
	case SectionNeeds:
		return it.Class != store.ClassWaiting
	case SectionWaiting:
		return it.Class == store.ClassWaiting
	}
	return true
}

// recompute rebuilds the visible rows: every risk-class patient first,
// in the store's order and regardless of section and filter, then the
// section's patients that match the filter, in the chosen order.
func (p *Page) recompute() {
	if p.queue == nil {
		p.visible = nil
		return
	}
	needle := strings.ToLower(strings.TrimSpace(p.filter.Value()))
	p.visible = p.visible[:0]
	var rest []int
	for i := range p.queue.Items {
		it := &p.queue.Items[i]
		if it.Class == store.ClassRisk {
			p.visible = append(p.visible, i)
			continue
		}
		if !p.inSection(it) || (needle != "" && !strings.Contains(p.search[i], needle)) {
			continue
		}
		rest = append(rest, i)
	}
	p.pinned = len(p.visible)
	items := p.queue.Items
	switch p.sortMode {
	case SortName:
		sort.SliceStable(rest, func(a, b int) bool {
			return strings.ToLower(items[rest[a]].DisplayName) < strings.ToLower(items[rest[b]].DisplayName)
		})
	case SortIdle:
		sort.SliceStable(rest, func(a, b int) bool {
			la, lb := items[rest[a]].LastActive, items[rest[b]].LastActive
			switch {
			case la == nil:
				return lb != nil
			case lb == nil:
				return false
			}
			return la.Before(*lb)
		})
	case SortProgram:
		sort.SliceStable(rest, func(a, b int) bool { return items[rest[a]].ProgramID < items[rest[b]].ProgramID })
	}
	p.visible = append(p.visible, rest...)
	prev := p.cursor
	p.cursor = -1
	if p.selected != "" {
		for i, ix := range p.visible {
			if items[ix].PatientID == p.selected {
				p.cursor = i
				break
			}
		}
	}
	if p.cursor < 0 {
		// The patient under the cursor is gone from view: stay at the
		// same row.
		p.cursor = min(prev, len(p.visible)-1)
	}
	if p.cursor < 0 {
		p.cursor = 0
	}
	if len(p.visible) > 0 {
		p.selected = items[p.visible[p.cursor]].PatientID
	}
	p.clampOffset()
}

func (p *Page) listHeight() int {
	h := p.high - 2 // header and class counts
	if !p.wide() {
		h -= previewHeight(p.high) + 1
	}
	return max(1, h)
}

func previewHeight(total int) int {
	switch {
	case total >= 40:
		return 12
	case total >= 24:
		return 8
	}
	return max(3, total/3)
}

func (p *Page) wide() bool { return p.width >= 110 }

// rowsLayout says how the list's rows are used: the risk rows that stay on
// screen while the rest scrolls (every one, up to half the list), then,
// when there are more risk patients than that, one line that counts those
// out of view, then the scrolled window.
func (p *Page) rowsLayout() (sticky, line, window int) {
	l := p.listHeight()
	if p.pinned <= max(1, l/2) && l-p.pinned >= 1 {
		return p.pinned, 0, l - p.pinned
	}
	if l >= 2 && p.pinned > 0 {
		sticky = min(max(1, l/2), l-2)
		return sticky, 1, l - sticky - 1
	}
	return 0, 0, max(1, l)
}

// RiskOutOfView counts the risk-class patients that are not on screen:
// above and below the scrolled window (the risk line says so).
func (p *Page) RiskOutOfView() (above, below int) {
	sticky, line, window := p.rowsLayout()
	if line == 0 {
		return 0, 0
	}
	start := sticky + p.offset
	above = max(0, min(start, p.pinned)-sticky)
	below = max(0, p.pinned-(start+window))
	return above, below
}

// clampOffset keeps the cursor on screen. The offset scrolls the rows
// below the sticky risk rows.
func (p *Page) clampOffset() {
	sticky, _, h := p.rowsLayout()
	rest := len(p.visible) - sticky
	if ci := p.cursor - sticky; ci >= 0 {
		if ci < p.offset {
			p.offset = ci
		}
		if ci >= p.offset+h {
			p.offset = ci - h + 1
		}
	}
	if p.offset > max(0, rest-h) {
		p.offset = max(0, rest-h)
	}
	if p.offset < 0 {
		p.offset = 0
	}
}

func (p *Page) move(to int) {
	if len(p.visible) == 0 {
		return
	}
	p.cursor = min(max(0, to), len(p.visible)-1)
	p.selected = p.queue.Items[p.visible[p.cursor]].PatientID
	p.clampOffset()
}

// Update handles keys.
func (p *Page) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ackdialog.DoneMsg:
		p.ack = nil
		if msg.Err != nil {
			return p, common.Error(fmt.Errorf("acknowledgement not recorded: %w", msg.Err))
		}
		if msg.Acked {
			return p, tea.Batch(common.Status("Risk acknowledged."), func() tea.Msg {
				return common.SentMsg{What: "acknowledgement", PatientID: msg.PatientID}
			})
		}
		return p, nil
	case tea.KeyMsg:
		if p.ack != nil {
			return p, p.ack.Update(msg)
		}
		if p.filtering {
			return p, p.updateFilter(msg)
		}
		return p, p.updateKeys(msg)
	}
	return p, nil
}

func (p *Page) updateFilter(msg tea.KeyMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		p.filtering = false
		p.filter.Blur()
		return nil
	case "esc":
		p.filtering = false
		p.filter.Blur()
		p.filter.SetValue("")
		p.recompute()
		return nil
	case "up", "down":
		p.updateKeys(msg)
		return nil
	}
	before := p.filter.Value()
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	if p.filter.Value() != before {
		p.recompute()
	}
	return cmd
}

func (p *Page) updateKeys(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch {
	case key.Matches(msg, k.Up):
		p.move(p.cursor - 1)
	case key.Matches(msg, k.Down):
		p.move(p.cursor + 1)
	case key.Matches(msg, k.PageUp):
		p.move(p.cursor - p.listHeight())
	case key.Matches(msg, k.PageDown):
		p.move(p.cursor + p.listHeight())
	case key.Matches(msg, k.Top):
		p.move(0)
	case key.Matches(msg, k.Bottom):
		p.move(len(p.visible) - 1)
	case key.Matches(msg, k.NextSection):
		p.section = (p.section + 1) % len(sectionNames)
		p.recompute()
	case key.Matches(msg, k.PrevSection):
		p.section = (p.section + len(sectionNames) - 1) % len(sectionNames)
		p.recompute()
	case key.Matches(msg, k.Section):
		p.section = int(msg.String()[0] - '1')
		p.recompute()
	case key.Matches(msg, k.Sort):
		p.sortMode = (p.sortMode + 1) % len(sortNames)
		p.recompute()
		return common.Status("Sorted by " + sortNames[p.sortMode] + "; risk stays on top.")
	case key.Matches(msg, k.Filter):
		p.filtering = true
		return p.filter.Focus()
	case key.Matches(msg, k.ClearFilter):
		if p.filter.Value() != "" {
			p.filter.SetValue("")
			p.recompute()
			return nil
		}
		if !p.home {
			return func() tea.Msg { return common.BackMsg{} }
		}
	case key.Matches(msg, k.Reload):
		return func() tea.Msg { return common.ReloadQueueMsg{} }
	case key.Matches(msg, k.Intake):
		return func() tea.Msg { return common.OpenIntakeMsg{} }
	case key.Matches(msg, k.Ack):
		it, ok := p.Selected()
		if !ok {
			return nil
		}
		d := ackdialog.New(p.c, p.id, it)
		if d.Empty() {
			return common.Status("No unacknowledged risk flags for this patient.")
		}
		d.SetWidth(p.width)
		p.ack = d
	case key.Matches(msg, k.Open):
		it, ok := p.Selected()
		if !ok {
			return nil
		}
		ro := p.readOnly
		return func() tea.Msg { return common.OpenPatientMsg{Item: it, ReadOnly: ro} }
	}
	return nil
}

// filterKeys are the bindings while the filter has the keyboard.
var filterKeys = []key.Binding{
	key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
	key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move")),
}

// ShortHelp lists the main bindings.
func (p *Page) ShortHelp() []key.Binding {
	if p.ack != nil {
		return p.ack.ShortHelp()
	}
	if p.filtering {
		return filterKeys[:2]
	}
	return []key.Binding{p.keys.Open, common.Short(p.keys.NextSection, "tab"), p.keys.Filter, p.keys.Ack}
}

// FullHelp lists every binding.
func (p *Page) FullHelp() [][]key.Binding {
	if p.ack != nil {
		return p.ack.FullHelp()
	}
	if p.filtering {
		return [][]key.Binding{filterKeys}
	}
	k := p.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.NextSection, k.PrevSection, k.Section},
		{k.Filter, k.ClearFilter, k.Sort, k.Ack, k.Reload, k.Intake},
	}
}

// View draws the page.
func (p *Page) View() string {
	st := p.c.Styles
	if p.queue == nil {
		return common.Fit(st.Subtle.Render("Loading the queue…"), p.width, p.high)
	}
	header := p.headerView()
	counts := p.countsView()
	if p.ack != nil {
		return common.Fit(lipgloss.JoinVertical(lipgloss.Left, header, counts, p.ack.View()), p.width, p.high)
	}
	if p.wide() {
		lw := p.width * 3 / 5
		pw := p.width - lw - 1
		h := p.high - 2
		list := common.Fit(p.listView(lw, h), lw, h)
		sep := strings.TrimRight(strings.Repeat(st.Rule.Render("│")+"\n", h), "\n")
		prev := common.Fit(p.previewView(pw-1), pw-1, h)
		body := lipgloss.JoinHorizontal(lipgloss.Top, list, sep, " ", prev)
		return lipgloss.JoinVertical(lipgloss.Left, header, counts, body)
	}
	lh := p.listHeight()
	ph := previewHeight(p.high)
	return lipgloss.JoinVertical(lipgloss.Left, header, counts,
		common.Fit(p.listView(p.width, lh), p.width, lh),
		st.Rule.Render(common.Rule(p.width)),
		common.Fit(p.previewView(p.width), p.width, ph))
}

func (p *Page) headerView() string {
	st := p.c.Styles
	q := p.queue
	waiting := q.Counts[store.ClassWaiting]
	counts := []int{len(q.Items) - waiting, waiting, len(q.Items)}
	var parts []string
	for i, name := range sectionNames {
		label := fmt.Sprintf("%s %d", name, counts[i])
		if i == p.section {
			parts = append(parts, st.SectionOn.Render("["+label+"]"))
		} else {
			parts = append(parts, st.Section.Render(" "+label+" "))
		}
	}
	left := strings.Join(parts, "")
	right := ""
	switch {
	case p.filtering:
		right = p.filter.View()
	case p.filter.Value() != "":
		right = st.Accent.Render("/" + p.filter.Value())
	}
	if p.sortMode != SortUrgency {
		right = strings.TrimSpace(right + st.Faint.Render(" sort: "+sortNames[p.sortMode]))
	}
	gap := p.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return common.Truncate(left+" "+right, p.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (p *Page) countsView() string {
	st := p.c.Styles
	var parts []string
	for _, c := range store.Classes {
		if n := p.queue.Counts[c]; n > 0 && c != store.ClassWaiting {
			parts = append(parts, st.ClassStyle(c.String()).Render(fmt.Sprintf("%d %s", n, c)))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, st.OK.Render("Nothing needs you right now."))
	}
	line := " " + strings.Join(parts, st.Faint.Render(" · "))
	if !p.home {
		line = " " + st.Bold.Render(p.therapist.Name) + st.Warn.Render(" (read-only)") + st.Faint.Render(" · ") + line[1:]
	}
	if p.pinned > 0 && (p.section != SectionNeeds || p.filter.Value() != "") {
		line += st.Faint.Render("  (risk pinned on top)")
	}
	return common.Truncate(line, p.width)
}

func (p *Page) listView(width, height int) string {
	st := p.c.Styles
	if len(p.visible) == 0 {
		msg := "No patients here."
		if p.filter.Value() != "" {
			msg = "No patients match the filter."
		}
		return st.Subtle.Render("  " + msg)
	}
	nameW := min(24, max(14, width/4))
	progW := 15
	// The sticky risk rows, the line counting risk rows out of view, then
	// the scrolled rest.
	sticky, line, window := p.rowsLayout()
	lines := make([]string, 0, height)
	for i := 0; i < sticky && i < len(p.visible); i++ {
		lines = append(lines, p.rowView(i, width, nameW, progW))
	}
	if line > 0 {
		lines = append(lines, p.riskLine(width))
	}
	for i := sticky + p.offset; i < len(p.visible) && i < sticky+p.offset+window; i++ {
		lines = append(lines, p.rowView(i, width, nameW, progW))
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n")
}

// riskLine counts the risk patients out of view (empty when all are on
// screen).
func (p *Page) riskLine(width int) string {
	above, below := p.RiskOutOfView()
	n := above + below
	if n == 0 {
		return ""
	}
	what := "more risk patients"
	if n == 1 {
		what = "more risk patient"
	}
	var text string
	switch {
	case above > 0 && below > 0:
		text = fmt.Sprintf("▲▼ %d %s, above and below", n, what)
	case above > 0:
		text = fmt.Sprintf("▲ %d %s above (g goes to the top)", n, what)
	default:
		text = fmt.Sprintf("▼ %d %s below", n, what)
	}
	return common.Truncate(p.c.Styles.Risk.Render("  "+text), width)
}

// rowView draws row i of the visible rows.
func (p *Page) rowView(row, width, nameW, progW int) string {
	st := p.c.Styles
	it := &p.queue.Items[p.visible[row]]
	name := it.DisplayName
	if name == "" {
		name = it.Pseudonym
	}
	prog := fmt.Sprintf("%s w%d/%d", abbrev(it.ProgramID), it.Week, it.Weeks)
	if it.Status == store.EnrollmentScheduled {
		prog = abbrev(it.ProgramID) + " start"
	}
	selected := row == p.cursor
	// On the selected row every part carries the highlight.
	sty := func(s lipgloss.Style) lipgloss.Style {
		if selected {
			return s.Inherit(st.Selected)
		}
		return s
	}
	var badges []string
	now := p.c.Now()
	for _, r := range it.Reasons {
		badges = append(badges, sty(st.ClassStyle(r.Class.String())).Render(common.Badge(it, r, now, p.c.Loc, p.c.Scales)))
	}
	if len(badges) == 0 {
		badges = append(badges, sty(st.Faint).Render("waiting on patient"))
	}
	space := sty(st.App).Render(" ")
	left := sty(st.App).Render(common.Pad(name, nameW)+" ") + sty(st.Subtle).Render(common.Pad(prog, progW)) + space
	rest := max(0, width-2-lipgloss.Width(left))
	right := common.Truncate(strings.Join(badges, space), rest)
	if gap := rest - lipgloss.Width(right); gap > 0 && selected {
		right += sty(st.App).Render(strings.Repeat(" ", gap))
	}
	if selected {
		return st.Cursor.Render("› ") + left + right
	}
	return "  " + left + right
}

func maxOf(vs []int) int {
	m := 0
	for _, v := range vs {
		m = max(m, v)
	}
	return m
}

func abbrev(programID string) string {
	if len(programID) > 8 {
		return programID[:7] + "…"
	}
	return programID
}

func (p *Page) previewView(width int) string {
	st := p.c.Styles
	it, ok := p.Selected()
	if !ok {
		return ""
	}
	var b strings.Builder
	name := it.DisplayName
	b.WriteString(st.Header.Render(name) + "  " + st.Faint.Render(it.Pseudonym) + "\n")
	// What the program is comes after when: a long title is cut first.
	line := fmt.Sprintf("week %d of %d · %s", it.Week, it.Weeks, it.ProgramTitle)
	if it.Status == store.EnrollmentScheduled {
		line = common.Starts(it.StartDate, p.c.Now(), p.c.Loc) + " · " + it.ProgramTitle
	}
	b.WriteString(common.Truncate(st.Subtle.Render(line), width) + "\n")
	var facts []string
	if it.LastActive != nil {
		facts = append(facts, "last active "+common.Ago(p.c.Now(), *it.LastActive))
	} else {
		facts = append(facts, "no activity yet")
	}
	if it.Waiting > 0 {
		facts = append(facts, common.Plural(it.Waiting, "submission", "submissions")+" waiting")
	}
	if it.Unread > 0 {
		facts = append(facts, st.Unread.Render(common.Plural(it.Unread, "unread message", "unread messages")))
	}
	if it.ModuleTitle != "" {
		facts = append(facts, "module: "+it.ModuleTitle) // last: a long title is cut first
	}
	b.WriteString(common.Truncate(strings.Join(facts, " · "), width) + "\n")
	if len(it.Scores) > 0 {
		vals := make([]int, len(it.Scores))
		for i, s := range it.Scores {
			vals[i] = s.Total
		}
		first, last := it.Scores[0], it.Scores[len(it.Scores)-1]
		b.WriteString(fmt.Sprintf("%s %s  %d → %d (week %d → %d)\n", st.Label.Render(p.c.Scales.Named(it.Instrument).Long()), st.Spark.Render(sparkline.Render(vals, 0, maxOf(vals), 16)),
			first.Total, last.Total, first.Week, last.Week))
	}
	for _, r := range it.Reasons {
		bullet := st.ClassStyle(r.Class.String()).Render("• ")
		b.WriteString(bullet + strings.ReplaceAll(common.Wrap(common.ReasonText(r, p.c.Scales), width-2), "\n", "\n  ") + "\n")
	}
	if len(it.Reasons) == 0 {
		b.WriteString(st.Faint.Render("Nothing to do: waiting on the patient.") + "\n")
	}
	if it.HasRisk() && !p.readOnly {
		b.WriteString(st.Risk.Render(common.Wrap("Press a to acknowledge the risk flag with your action.", width)))
	}
	return strings.TrimRight(b.String(), "\n")
}
