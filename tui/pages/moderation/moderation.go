// Package moderation is the moderation queue of the peer groups a
// therapist moderates: posts waiting for a decision, oldest first, to
// approve or reject with a reason shown to the poster; and every post, to
// hide one later. A supervisor reads it; only the group's therapists
// decide (docs/groups.md).
package moderation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"polku/store"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// Source is what the page reads.
type Source interface {
	ModerationQueue(ctx context.Context, actor store.Actor, all bool) ([]store.QueuedPost, error)
	NewID(at time.Time) string
}

// OpenKey opens the page from a home page.
var OpenKey = key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "moderation queue"))

// OpenKeyIn is OpenKey described in the therapist's language.
func OpenKeyIn(c *common.Common) key.Binding {
	return key.NewBinding(key.WithKeys("m"), key.WithHelp("m", c.T("pages.moderation.keys.open_page")))
}

// KeyMap are the page's bindings.
type KeyMap struct {
	common.ListKeys
	Approve key.Binding
	Reject  key.Binding
	Hide    key.Binding
	All     key.Binding
	Reload  key.Binding
	Confirm key.Binding
	Cancel  key.Binding
}

type loadedMsg struct {
	posts []store.QueuedPost
	all   bool
	err   error
}

type decidedMsg struct {
	action string
	err    error
}

// Page is the moderation queue.
type Page struct {
	c        *common.Common
	src      Source
	id       int
	keys     KeyMap
	posts    []store.QueuedPost
	all      bool
	loaded   bool
	err      error
	cursor   int
	reason   textinput.Model
	rejectOn bool
	width    int
	height   int
}

// New makes the page.
func New(c *common.Common, src Source) *Page {
	p := &Page{c: c, src: src, id: c.NewPageID()}
	p.keys = KeyMap{ListKeys: common.NewListKeysIn(c.Printer()),
		Approve: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", c.T("pages.moderation.keys.approve"))),
		Reject:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", c.T("pages.moderation.keys.reject"))),
		Hide:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", c.T("pages.moderation.keys.hide"))),
		All:     key.NewBinding(key.WithKeys("v"), key.WithHelp("v", c.T("pages.moderation.keys.all"))),
		Reload:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r/ctrl+r", c.T("pages.moderation.keys.reload"))),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("pages.moderation.keys.confirm"))),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.moderation.keys.cancel"))),
	}
	p.keys.Open.SetEnabled(false)
	p.reason = textinput.New()
	p.reason.Placeholder = c.T("pages.moderation.reason_placeholder")
	p.reason.CharLimit = 500
	p.reason.Cursor.SetMode(cursor.CursorStatic)
	return p
}

func (p *Page) readOnly() bool { return p.c.Therapist.Role != store.RoleTherapist }

// ID is the page address.
func (p *Page) ID() int { return p.id }

// Title names the page.
func (p *Page) Title() string { return p.c.T("pages.moderation.title") }

// InputFocused: the reason field has the keyboard.
func (p *Page) InputFocused() bool { return p.rejectOn }

// Init loads the queue.
func (p *Page) Init() tea.Cmd { return p.load() }

// Refresh reloads on any change.
func (p *Page) Refresh(ch common.Changes) tea.Cmd {
	if p.rejectOn {
		return nil
	}
	return p.load()
}

// Close has nothing to flush.
func (p *Page) Close() tea.Cmd { return nil }

// SetSize sets the page's box.
func (p *Page) SetSize(w, h int) {
	p.width, p.height = w, h
	p.reason.Width = max(10, w-12)
}

// Posts are the posts shown.
func (p *Page) Posts() []store.QueuedPost { return p.posts }

func (p *Page) load() tea.Cmd {
	src, actor, ctx, all := p.src, p.c.Actor, p.c.Ctx, p.all
	return common.ToPage(p.id, func() tea.Msg {
		posts, err := src.ModerationQueue(ctx, actor, all)
		for i := range posts {
			q := &posts[i]
			q.Body, q.Alias, q.GroupName, q.Pseudonym = sanitize.Text(q.Body), sanitize.Line(q.Alias), sanitize.Line(q.GroupName), sanitize.Line(q.Pseudonym)
			q.Status, q.Reason = sanitize.Line(q.Status), sanitize.Line(q.Reason)
		}
		return loadedMsg{posts: posts, all: all, err: err}
	})
}

func (p *Page) decide(action, reason string) tea.Cmd {
	if p.cursor >= len(p.posts) {
		return nil
	}
	post := p.posts[p.cursor]
	st, src, actor, ctx, now := p.c.Store, p.src, p.c.Actor, p.c.Ctx, p.c.Now().UTC().Truncate(time.Millisecond)
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		d := store.PostDecision{ID: src.NewID(now), PostID: post.ID, TherapistID: actor.ID, Action: action, Reason: reason, DecidedAt: now}
		return decidedMsg{action: action, err: st.Apply(ctx, actor, store.ModeratePostOp{Decision: d, Version: post.Version})}
	}))
}

// Update handles keys and results.
func (p *Page) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.all != p.all {
			return p, nil
		}
		p.loaded = true
		if msg.err != nil {
			p.err = msg.err
			return p, common.Error(fmt.Errorf("%s: %w", p.c.T("pages.moderation.error.load"), msg.err))
		}
		p.posts, p.err = msg.posts, nil
		p.cursor = min(p.cursor, max(0, len(p.posts)-1))
		return p, nil
	case decidedMsg:
		if msg.err != nil {
			return p, tea.Batch(p.load(), common.Error(fmt.Errorf("%s: %w", p.c.T("pages.moderation.error."+msg.action), msg.err)))
		}
		return p, tea.Batch(p.load(), common.Status(p.c.T("pages.moderation.done."+msg.action)))
	case tea.KeyMsg:
		return p, p.onKey(msg)
	}
	return p, nil
}

func (p *Page) onKey(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	if p.rejectOn {
		switch {
		case key.Matches(msg, k.Cancel):
			p.rejectOn = false
			p.reason.Blur()
			return nil
		case key.Matches(msg, k.Confirm):
			r := strings.TrimSpace(p.reason.Value())
			if r == "" {
				return common.Status(p.c.T("pages.moderation.write_reason"))
			}
			p.rejectOn = false
			p.reason.Blur()
			return p.decide(store.ModReject, r)
		}
		var cmd tea.Cmd
		p.reason, cmd = p.reason.Update(msg)
		return cmd
	}
	n := len(p.posts)
	var cur *store.QueuedPost
	if p.cursor < n {
		cur = &p.posts[p.cursor]
	}
	switch {
	case key.Matches(msg, k.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, k.Down):
		p.cursor = min(max(0, n-1), p.cursor+1)
	case key.Matches(msg, k.Top):
		p.cursor = 0
	case key.Matches(msg, k.Bottom):
		p.cursor = max(0, n-1)
	case key.Matches(msg, k.All):
		p.all, p.cursor, p.loaded = !p.all, 0, false
		return p.load()
	case key.Matches(msg, k.Reload):
		return p.load()
	case key.Matches(msg, k.Cancel):
		return func() tea.Msg { return common.BackMsg{} }
	case p.readOnly():
		// Read-only: only the group's therapists moderate.
	case key.Matches(msg, k.Approve) && cur != nil && cur.Status == store.PostPending:
		return p.decide(store.ModApprove, "")
	case key.Matches(msg, k.Reject) && cur != nil && cur.Status == store.PostPending:
		p.rejectOn = true
		p.reason.SetValue("")
		return p.reason.Focus()
	case key.Matches(msg, k.Hide) && cur != nil && cur.Status == store.PostApproved:
		return p.decide(store.ModHide, "")
	case key.Matches(msg, k.Approve, k.Reject, k.Hide) && cur != nil:
		return common.Status(p.c.T("pages.moderation.wrong_status", "Status", p.c.T("pages.moderation.status."+cur.Status)))
	}
	return nil
}

// ShortHelp lists the main bindings.
func (p *Page) ShortHelp() []key.Binding {
	if p.rejectOn {
		return []key.Binding{p.keys.Confirm, p.keys.Cancel}
	}
	if p.readOnly() {
		return []key.Binding{p.keys.Up, p.keys.Down, p.keys.All}
	}
	return []key.Binding{p.keys.Up, p.keys.Down, common.ShortAs(p.keys.Approve, "a", p.c.T("pages.moderation.keys.approve_short")), common.ShortAs(p.keys.Reject, "x", p.c.T("pages.moderation.keys.reject_short")), p.keys.All}
}

// FullHelp lists every binding.
func (p *Page) FullHelp() [][]key.Binding {
	if p.rejectOn {
		return [][]key.Binding{{p.keys.Confirm, p.keys.Cancel}}
	}
	nav := []key.Binding{p.keys.Up, p.keys.Down, p.keys.Top, p.keys.Bottom}
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", p.c.T("pages.moderation.keys.back")))
	if p.readOnly() {
		return [][]key.Binding{nav, {p.keys.All, p.keys.Reload, back}}
	}
	return [][]key.Binding{nav, {p.keys.Approve, p.keys.Reject, p.keys.Hide}, {p.keys.All, p.keys.Reload, back}}
}

// View draws the list and the selected post.
func (p *Page) View() string {
	st := p.c.Styles
	var b strings.Builder
	what := p.c.T("pages.moderation.waiting_title")
	if p.all {
		what = p.c.T("pages.moderation.all_title")
	}
	ro := ""
	if p.readOnly() {
		ro = " · " + p.c.T("pages.moderation.read_only")
	}
	b.WriteString(common.Truncate(st.Title.Render(what)+st.Subtle.Render(" · "+p.c.Int(len(p.posts))+ro), p.width) + "\n\n")
	switch {
	case !p.loaded:
		b.WriteString(st.Subtle.Render(p.c.T("pages.moderation.loading")))
		return common.Fit(b.String(), p.width, p.height)
	case p.err != nil:
		b.WriteString(st.Risk.Render(p.c.T("pages.moderation.error.load") + ": " + p.c.Err(p.err)))
		return common.Fit(b.String(), p.width, p.height)
	case len(p.posts) == 0:
		b.WriteString(st.Subtle.Render(p.c.T("pages.moderation.none")))
		return common.Fit(b.String(), p.width, p.height)
	}
	listH := max(3, p.height/2-2)
	top := max(0, min(p.cursor-listH/2, len(p.posts)-listH))
	// As wide as the longest time and state in the language.
	whenW, statusW := 13, 9
	for i := top; i < min(len(p.posts), top+listH); i++ {
		whenW = max(whenW, ansi.StringWidth(p.c.When(p.posts[i].PostedAt)))
		statusW = max(statusW, ansi.StringWidth(p.c.T("pages.moderation.status."+p.posts[i].Status)))
	}
	for i := top; i < min(len(p.posts), top+listH); i++ {
		q := p.posts[i]
		line := common.Pad(p.c.When(q.PostedAt), whenW) + " " + common.Pad(q.GroupName, 16) + " " + common.Pad(q.Alias, 16) + " "
		if p.all {
			line += common.Pad(p.c.T("pages.moderation.status."+q.Status), statusW) + " "
		}
		line += strings.ReplaceAll(q.Body, "\n", " ")
		if i == p.cursor {
			b.WriteString(st.Cursor.Render("› ") + st.Selected.Render(common.Pad(common.Truncate(ansi.Strip(line), p.width-2), p.width-2)) + "\n")
		} else {
			b.WriteString("  " + common.Truncate(line, p.width-2) + "\n")
		}
	}
	q := p.posts[p.cursor]
	// A post of another therapist's patient reaches a moderator's replica
	// without the patient: no pseudonym to show.
	meta := "pages.moderation.post_meta"
	if q.Pseudonym == "" {
		meta = "pages.moderation.post_meta_nopatient"
	}
	b.WriteString("\n" + st.Accent.Render(q.Alias) + st.Faint.Render(" "+p.c.T(meta, "Pseudonym", q.Pseudonym, "Group", q.GroupName, "When", p.c.When(q.PostedAt), "Status", p.c.T("pages.moderation.status."+q.Status))) + "\n")
	if q.Reason != "" {
		b.WriteString(st.Subtle.Render(p.c.T("pages.moderation.reason", "Reason", q.Reason)) + "\n")
	}
	b.WriteString(st.Quote.Render(common.Wrap(q.Body, max(10, p.width-4))) + "\n")
	if p.rejectOn {
		b.WriteString("\n" + st.Label.Render(p.c.T("pages.moderation.reject_label")+" ") + p.reason.View())
	}
	return common.Fit(strings.TrimRight(b.String(), "\n"), p.width, p.height)
}
