// Package admin is the home page of an admin: admins have no patients and
// no queue, so the workbench says what admins do and the commands that do
// it (accounts, programs, tokens, data, settings, the server).
package admin

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

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

// command is one command line with what it does.
type command struct{ line, does string }

// groups are what an admin does, each with its commands.
var groups = []struct {
	what     string
	commands []command
}{
	{"Accounts", []command{
		{"polku therapists add HANDLE --name NAME [--role therapist|supervisor|admin] [--team TEAM]", "add a therapist, supervisor or admin"},
		{"polku therapists list", "list the accounts"},
	}},
	{"Programs", []command{
		{"polku programs import FILE...", "validate and store program and instrument files (all or nothing)"},
		{"polku programs list", "list what is stored (polku programs show ID for one)"},
	}},
	{"Tokens", []command{
		{"polku tokens create --therapist HANDLE", "a therapist's token for polku login (--patient PATIENT: a portal token)"},
		{"polku tokens list", "list tokens (never the tokens themselves)"},
		{"polku tokens revoke TOKEN-ID", "revoke one (--therapist HANDLE or --patient PATIENT: all of theirs)"},
	}},
	{"Data", []command{
		{"polku export --out FILE [--patient ID]", "write the store, or one patient, as JSON Lines"},
		{"polku import FILE", "read JSON Lines records (all or nothing)"},
		{"polku audit PATIENT", "who read a patient's record"},
	}},
	{"Settings", []command{
		{"polku settings list", "the local policy: promises, inactivity, risk words, time zone"},
		{"polku settings set KEY VALUE", "change one"},
	}},
	{"Server", []command{
		{"polku serve --db PATH [--addr 127.0.0.1:7420]", "serve the store to therapists' replicas and the patient portal"},
	}},
}

// ID is the page address.
func (p *Page) ID() int { return p.id }

// Title names the page.
func (p *Page) Title() string { return "Admin" }

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
	b.WriteString(st.Title.Render("Admin: "+p.c.Therapist.Name+" ("+p.c.Therapist.Handle+")") + "\n")
	b.WriteString(st.Subtle.Render(common.Wrap("Admins have no patients and no queue: they run the service from the command line. "+
		"To work with patients, open the workbench as a therapist: polku --as HANDLE.", w)) + "\n")
	// One line per command, what it is for beside the first of its
	// group; on a tall screen what each does on the line below it.
	const labelW = 10
	n := 0
	for _, g := range groups {
		n += len(g.commands)
	}
	tall := p.height >= 2*n+8
	b.WriteString("\n")
	for _, g := range groups {
		for i, c := range g.commands {
			label := ""
			if i == 0 {
				label = g.what
			}
			b.WriteString(st.Bold.Render(common.Pad(label, labelW)) + st.Accent.Render(common.Truncate(c.line, w-labelW)) + "\n")
			if tall {
				b.WriteString(strings.Repeat(" ", labelW+2) + st.Faint.Render(common.Truncate(c.does, w-labelW-2)) + "\n")
			}
		}
	}
	b.WriteString("\n" + st.Faint.Render(common.Wrap("Each command has --help. On a server's store, add --db PATH.", w)))
	return common.Fit(b.String(), p.width, p.height)
}
