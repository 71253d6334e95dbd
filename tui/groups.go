package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/pages/cohort"
	"polku/tui/pages/moderation"
)

// The group pages (docs/groups.md) open from a home page (the queue, the
// team view): c the cohorts, m the moderation queue. An admin account
// reads no patient content and has neither.

// groupSource is what the group pages read from the store.
type groupSource interface {
	moderation.Source
	cohort.Source
}

func (m *Model) groupSource() groupSource {
	if m.c.Therapist.Role == store.RoleAdmin {
		return nil
	}
	src, _ := m.opts.Store.(groupSource)
	return src
}

// groupKeys are the home page's keys to the group pages.
func (m *Model) groupKeys() []key.Binding {
	if m.groupSource() == nil {
		return nil
	}
	return []key.Binding{cohort.OpenKeyIn(m.c), moderation.OpenKeyIn(m.c)}
}

// groupKey opens a group page from the home page.
func (m *Model) groupKey(msg tea.KeyMsg, top common.Page) (tea.Cmd, bool) {
	src := m.groupSource()
	if len(m.stack) != 1 || top.InputFocused() || src == nil {
		return nil, false
	}
	switch {
	case key.Matches(msg, cohort.OpenKey):
		return m.push(cohort.New(m.c, src)), true
	case key.Matches(msg, moderation.OpenKey):
		return m.push(moderation.New(m.c, src)), true
	}
	return nil, false
}
