// Package admin is the home page of an admin: admins have no patients and
// no queue, so the workbench says what admins do and the commands that do
// it (accounts, programs, tokens, data, settings, the server).
package admin

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"polku/tui/common"
)

// Page is the admin's home.
type Page struct {
	c      *common.Common
	id     int
	width  int
	height int
}

// New makes the admin page.
func New(c *common.Common) *Page { return &Page{c: c, id: c.NewPageID()} }

// command is one command line with the catalog id of what it does.
type command struct{ line, does string }

// groups are what an admin does (catalog ids), each with its commands.
var groups = []struct {
	what     string
	commands []command
}{
	{"pages.admin.group.accounts", []command{
		{"polku therapists add HANDLE --name NAME [--role therapist|supervisor|admin] [--team TEAM]", "pages.admin.does.therapists_add"},
		{"polku therapists list", "pages.admin.does.therapists_list"},
	}},
	{"pages.admin.group.programs", []command{
		{"polku programs import FILE...", "pages.admin.does.programs_import"},
		{"polku programs list", "pages.admin.does.programs_list"},
	}},
	{"pages.admin.group.tokens", []command{
		{"polku tokens create --therapist HANDLE", "pages.admin.does.tokens_create"},
		{"polku tokens list", "pages.admin.does.tokens_list"},
		{"polku tokens revoke TOKEN-ID", "pages.admin.does.tokens_revoke"},
	}},
	{"pages.admin.group.data", []command{
		{"polku export --out FILE [--patient ID]", "pages.admin.does.export"},
		{"polku import FILE", "pages.admin.does.import"},
		{"polku audit PATIENT", "pages.admin.does.audit"},
	}},
	{"pages.admin.group.settings", []command{
		{"polku settings list", "pages.admin.does.settings_list"},
		{"polku settings set KEY VALUE", "pages.admin.does.settings_set"},
	}},
	{"pages.admin.group.server", []command{
		{"polku serve --db PATH [--addr 127.0.0.1:7420]", "pages.admin.does.serve"},
	}},
}

// ID is the page address.
func (p *Page) ID() int { return p.id }

// Title names the page.
func (p *Page) Title() string { return p.c.T("pages.admin.title") }

// InputFocused: the page has no text fields.
func (p *Page) InputFocused() bool { return false }

// Init has nothing to load.
func (p *Page) Init() tea.Cmd { return nil }

// Refresh: nothing on the page comes from the store.
func (p *Page) Refresh(common.Changes) tea.Cmd { return nil }

// Close has nothing to flush.
func (p *Page) Close() tea.Cmd { return nil }

// SetSize sets the page's box.
func (p *Page) SetSize(w, h int) { p.width, p.height = w, h }

// Update: the page has no keys of its own (q quits, ? helps).
func (p *Page) Update(tea.Msg) (tea.Model, tea.Cmd) { return p, nil }

// ShortHelp: only the global keys.
func (p *Page) ShortHelp() []key.Binding { return nil }

// FullHelp: only the global keys.
func (p *Page) FullHelp() [][]key.Binding { return nil }

// View draws the page.
func (p *Page) View() string {
	st := p.c.Styles
	w := max(20, p.width)
	var b strings.Builder
	b.WriteString(st.Title.Render(p.c.T("pages.admin.heading", "Name", p.c.Therapist.Name, "Handle", p.c.Therapist.Handle)) + "\n")
	b.WriteString(st.Subtle.Render(common.Wrap(p.c.T("pages.admin.intro"), w)) + "\n")
	// One line per command, what it is for beside the first of its
	// group; on a tall screen what each does on the line below it.
	labelW := 10
	n := 0
	for _, g := range groups {
		n += len(g.commands)
		labelW = max(labelW, ansi.StringWidth(p.c.T(g.what))+1)
	}
	tall := p.height >= 2*n+8
	b.WriteString("\n")
	for _, g := range groups {
		for i, c := range g.commands {
			label := ""
			if i == 0 {
				label = p.c.T(g.what)
			}
			b.WriteString(st.Bold.Render(common.Pad(label, labelW)) + st.Accent.Render(common.Truncate(c.line, w-labelW)) + "\n")
			if tall {
				b.WriteString(strings.Repeat(" ", labelW+2) + st.Faint.Render(common.Truncate(p.c.T(c.does), w-labelW-2)) + "\n")
			}
		}
	}
	b.WriteString("\n" + st.Faint.Render(common.Wrap(p.c.T("pages.admin.footer"), w)))
	return common.Fit(b.String(), p.width, p.height)
}
