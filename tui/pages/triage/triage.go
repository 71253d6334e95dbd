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

// sectionNames are the catalog ids of the sections' names.
var sectionNames = []string{"pages.triage.section.needs", "pages.triage.section.waiting", "pages.triage.section.all"}

// Sort orders (risk stays on top in every one).
const (
	SortUrgency = iota
	SortName
	SortIdle
	SortProgram
)

// sortNames are the catalog ids of the sort orders' names.
var sortNames = []string{"pages.triage.sort.urgency", "pages.triage.sort.name", "pages.triage.sort.idle", "pages.triage.sort.program"}

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
	fi.Placeholder = c.T("pages.triage.filter_placeholder")
	fi.PromptStyle = c.Styles.Accent
	fi.TextStyle = c.Styles.EditorFocused
	fi.PlaceholderStyle = c.Styles.Faint
	fi.Cursor.Style = c.Styles.EditorCursor
	fi.CharLimit = 64
	fi.Cursor.SetMode(cursor.CursorStatic)
	p := &Page{c: c, id: c.NewPageID(), therapist: th, readOnly: readOnly, home: home, filter: fi}
	p.keys = KeyMap{
		ListKeys:    common.NewListKeysIn(c.Printer()),
		NextSection: key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab/→/l", c.T("pages.triage.keys.next_section"))),
		PrevSection: key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←/h", c.T("pages.triage.keys.prev_section"))),
		Section:     key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1-3", c.T("pages.triage.keys.section"))),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", c.T("pages.triage.keys.filter"))),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.triage.keys.clear_filter"))),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", c.T("pages.triage.keys.sort"))),
		Ack:         key.NewBinding(key.WithKeys("a"), key.WithHelp("a", c.T("pages.triage.keys.ack"))),
		Reload:      key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r/ctrl+r", c.T("pages.triage.keys.reload"))),
		Intake:      key.NewBinding(key.WithKeys("i"), key.WithHelp("i", c.T("pages.triage.keys.intake"))),
	}
	// The intake queue is for intake workers, from their own queue.
	p.keys.Intake.SetEnabled(home && intake.May(c))
	p.keys.Open.SetHelp("enter", c.T("pages.triage.keys.open"))
	if !home {
		p.keys.ClearFilter.SetHelp("esc", c.T("pages.triage.keys.clear_filter_or_back"))
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
		return p.c.T("pages.triage.title")
	}
	return p.c.T("pages.triage.title_of", "Name", p.therapist.Name)
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
			// The language's collation: å, ä and ö after z in Finnish and Swedish.
			return p.c.Compare(items[rest[a]].DisplayName, items[rest[b]].DisplayName) < 0
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
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.triage.ack_not_recorded"), msg.Err))
		}
		if msg.Acked {
			return p, tea.Batch(common.Status(p.c.T("pages.triage.acked")), func() tea.Msg {
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
		return common.Status(p.c.T("pages.triage.sorted_by", "Order", p.c.T(sortNames[p.sortMode])))
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
			return common.Status(p.c.T("pages.triage.no_flags"))
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
func (p *Page) filterKeys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", p.c.T("pages.triage.keys.keep_filter"))),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", p.c.T("pages.triage.keys.clear_filter"))),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", p.c.T("pages.triage.keys.move"))),
	}
}

// ShortHelp lists the main bindings.
func (p *Page) ShortHelp() []key.Binding {
	if p.ack != nil {
		return p.ack.ShortHelp()
	}
	if p.filtering {
		return p.filterKeys()[:2]
	}
	return []key.Binding{p.keys.Open, common.Short(p.keys.NextSection, "tab"), p.keys.Filter, p.keys.Ack}
}

// FullHelp lists every binding.
func (p *Page) FullHelp() [][]key.Binding {
	if p.ack != nil {
		return p.ack.FullHelp()
	}
	if p.filtering {
		return [][]key.Binding{p.filterKeys()}
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
		return common.Fit(st.Subtle.Render(p.c.T("pages.triage.loading")), p.width, p.high)
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
		label := p.c.T(name) + " " + p.c.Int(counts[i])
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
		right = strings.TrimSpace(right + st.Faint.Render(" "+p.c.T("pages.triage.sort_label", "Order", p.c.T(sortNames[p.sortMode]))))
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
			parts = append(parts, st.ClassStyle(c.String()).Render(p.c.T("pages.triage.class_count."+strings.ReplaceAll(c.String(), "-", "_"), "Count", n)))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, st.OK.Render(p.c.T("pages.triage.nothing_needs_you")))
	}
	line := " " + strings.Join(parts, st.Faint.Render(" · "))
	if !p.home {
		line = " " + st.Bold.Render(p.therapist.Name) + st.Warn.Render(" "+p.c.T("pages.triage.read_only")) + st.Faint.Render(" · ") + line[1:]
	}
	if p.pinned > 0 && (p.section != SectionNeeds || p.filter.Value() != "") {
		line += st.Faint.Render("  " + p.c.T("pages.triage.risk_pinned"))
	}
	return common.Truncate(line, p.width)
}

func (p *Page) listView(width, height int) string {
	st := p.c.Styles
	if len(p.visible) == 0 {
		msg := p.c.T("pages.triage.empty")
		if p.filter.Value() != "" {
			msg = p.c.T("pages.triage.empty_filter")
		}
		return st.Subtle.Render("  " + msg)
	}
	nameW := min(24, max(14, width/4))
	// As wide as a long program column in the language ("depress… vk10/12").
	progW := max(15, lipgloss.Width(p.c.T("pages.triage.row_week", "Program", "1234567…", "Week", 10, "Weeks", 12)))
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
	var text string
	switch {
	case above > 0 && below > 0:
		text = p.c.T("pages.triage.risk_above_below", "Count", n)
	case above > 0:
		text = p.c.T("pages.triage.risk_above", "Count", n)
	default:
		text = p.c.T("pages.triage.risk_below", "Count", n)
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
	prog := p.c.T("pages.triage.row_week", "Program", abbrev(it.ProgramID), "Week", it.Week, "Weeks", it.Weeks)
	if it.Status == store.EnrollmentScheduled {
		prog = p.c.T("pages.triage.row_start", "Program", abbrev(it.ProgramID))
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
		badge := common.Badge(it, r, now, p.c.Loc, p.c.Scales)
		if r.Code == store.ReasonStartDue && it.Status == store.EnrollmentScheduled {
			badge = p.c.StartBadge(it.StartDate)
		}
		badges = append(badges, sty(st.ClassStyle(r.Class.String())).Render(badge))
	}
	if len(badges) == 0 {
		badges = append(badges, sty(st.Faint).Render(p.c.T("pages.triage.waiting_on_patient")))
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
	line := p.c.T("pages.triage.week_of", "Week", it.Week, "Weeks", it.Weeks) + " · " + it.ProgramTitle
	if it.Status == store.EnrollmentScheduled {
		line = p.c.Starts(it.StartDate) + " · " + it.ProgramTitle
	}
	b.WriteString(common.Truncate(st.Subtle.Render(line), width) + "\n")
	var facts []string
	if it.LastActive != nil {
		facts = append(facts, p.c.T("pages.triage.last_active", "Ago", p.c.Ago(*it.LastActive)))
	} else {
		facts = append(facts, p.c.T("pages.triage.no_activity"))
	}
	if it.Waiting > 0 {
		facts = append(facts, p.c.T("pages.triage.submissions_waiting", "Count", it.Waiting))
	}
	if it.Unread > 0 {
		facts = append(facts, st.Unread.Render(p.c.T("pages.triage.unread", "Count", it.Unread)))
	}
	if it.ModuleTitle != "" {
		facts = append(facts, p.c.T("pages.triage.module", "Title", it.ModuleTitle)) // last: a long title is cut first
	}
	b.WriteString(common.Truncate(strings.Join(facts, " · "), width) + "\n")
	if len(it.Scores) > 0 {
		vals := make([]int, len(it.Scores))
		for i, s := range it.Scores {
			vals[i] = s.Total
		}
		first, last := it.Scores[0], it.Scores[len(it.Scores)-1]
		b.WriteString(st.Label.Render(p.c.Scales.Named(it.Instrument).Long()) + " " + st.Spark.Render(sparkline.Render(vals, 0, maxOf(vals), 16)) + "  " +
			p.c.T("pages.triage.scores", "First", first.Total, "Last", last.Total, "FirstWeek", first.Week, "LastWeek", last.Week) + "\n")
	}
	for _, r := range it.Reasons {
		bullet := st.ClassStyle(r.Class.String()).Render("• ")
		b.WriteString(bullet + strings.ReplaceAll(common.Wrap(common.ReasonText(r, p.c.Scales), width-2), "\n", "\n  ") + "\n")
	}
	if len(it.Reasons) == 0 {
		b.WriteString(st.Faint.Render(p.c.T("pages.triage.nothing_to_do")) + "\n")
	}
	if it.HasRisk() && !p.readOnly {
		b.WriteString(st.Risk.Render(common.Wrap(p.c.T("pages.triage.press_a"), width)))
	}
	return strings.TrimRight(b.String(), "\n")
}
