package langtest

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"polku/internal/i18n"
	"polku/tui/common"
)

// The checks find what they are for: an English interface word left on a
// Finnish screen (not a data word, not a Finnish one), and a row wider
// than the screen.
func TestTheChecksFindEnglishAndWideRows(t *testing.T) {
	en := i18n.New(i18n.EN).T("tui.status.live")
	fi := i18n.New(i18n.FI).T("tui.status.live")
	if got := English("● "+en+" · Maria", i18n.FI); len(got) == 0 {
		t.Errorf("%q on a Finnish screen: no English found", en)
	}
	if got := English("● "+fi+" · Maria", i18n.FI); len(got) != 0 {
		t.Errorf("%q: English %v found in Finnish", fi, got)
	}
	if got := English("● "+en, i18n.FI, en); len(got) != 0 {
		t.Errorf("data words are not English: %v", got)
	}
	if got := Overflow("abc\nabcdef", 5); len(got) != 1 || got[0] != "abcdef" {
		t.Errorf("overflow %q", got)
	}
}

type echo struct{ got []tea.Msg }

func (e *echo) Init() tea.Cmd { return nil }
func (e *echo) Update(m tea.Msg) (tea.Model, tea.Cmd) {
	e.got = append(e.got, m)
	if m == "first" {
		return e, func() tea.Msg { return common.PageMsg{Msg: "second"} }
	}
	return e, nil
}
func (e *echo) View() string { return "" }

// Drain delivers a page's messages, following the commands they return,
// and hands back the others.
func TestDrainFollowsThePagesCommands(t *testing.T) {
	e := &echo{}
	other := Drain(e, tea.Batch(func() tea.Msg { return common.PageMsg{Msg: "first"} }, func() tea.Msg { return "root's" }))
	if len(e.got) != 2 || e.got[0] != "first" || e.got[1] != "second" || len(other) != 1 || other[0] != "root's" {
		t.Errorf("page got %v, root got %v", e.got, other)
	}
}
