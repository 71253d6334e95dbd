package common

import (
	"github.com/charmbracelet/bubbles/key"

	"polku/internal/i18n"
)

// GlobalKeys work on every page.
type GlobalKeys struct {
	Help  key.Binding
	Back  key.Binding
	Quit  key.Binding
	Force key.Binding
}

// NewGlobalKeys makes the global bindings, described in English.
func NewGlobalKeys() *GlobalKeys { return NewGlobalKeysIn(i18n.New(i18n.EN)) }

// NewGlobalKeysIn makes the global bindings, described in p's language.
func NewGlobalKeysIn(p *i18n.Printer) *GlobalKeys {
	return &GlobalKeys{
		Help:  key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?/f1", p.T("tui.keys.help"))),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", p.T("tui.keys.back"))),
		Quit:  key.NewBinding(key.WithKeys("q"), key.WithHelp("q", p.T("tui.keys.quit"))),
		Force: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", p.T("tui.keys.force_quit"))),
	}
}

// Short is a binding as the one-line key hint shows it: the same keys,
// with only the first named (the help page names them all).
func Short(b key.Binding, label string) key.Binding { return ShortAs(b, label, b.Help().Desc) }

// ShortAs is Short with a shorter description too.
func ShortAs(b key.Binding, label, desc string) key.Binding {
	b.SetHelp(label, desc)
	return b
}

// ListKeys move in a list.
type ListKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Open     key.Binding
}

// NewListKeys makes list bindings, described in English (c.ListKeys
// describes them in the therapist's language).
func NewListKeys() ListKeys { return NewListKeysIn(i18n.New(i18n.EN)) }

// NewListKeysIn makes list bindings, described in p's language.
func NewListKeysIn(p *i18n.Printer) ListKeys {
	return ListKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", p.T("tui.keys.up"))),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", p.T("tui.keys.down"))),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup/ctrl+b", p.T("tui.keys.page_up"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn/ctrl+f/space", p.T("tui.keys.page_down"))),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", p.T("tui.keys.top"))),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", p.T("tui.keys.bottom"))),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", p.T("tui.keys.open"))),
	}
}

// ListKeys makes list bindings described in the therapist's language.
func (c *Common) ListKeys() ListKeys { return NewListKeysIn(c.Printer()) }
