package common

import "github.com/charmbracelet/bubbles/key"

// GlobalKeys work on every page.
type GlobalKeys struct {
	Help  key.Binding
	Back  key.Binding
	Quit  key.Binding
	Force key.Binding
}

// NewGlobalKeys makes the global bindings.
func NewGlobalKeys() *GlobalKeys {
	return &GlobalKeys{
		Help:  key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?/f1", "help")),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:  key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Force: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (drafts are kept)")),
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

// NewListKeys makes list bindings.
func NewListKeys() ListKeys {
	return ListKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup/ctrl+b", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn/ctrl+f/space", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
	}
}
