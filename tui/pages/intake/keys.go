package intake

import (
	"github.com/charmbracelet/bubbles/key"

	"polku/tui/common"
)

// KeyMap are the intake page's bindings: the list, and the forms of the
// three decisions.
type KeyMap struct {
	common.ListKeys
	Accept  key.Binding
	Decline key.Binding
	Wait    key.Binding
	Reload  key.Binding
	Back    key.Binding

	// In a decision's form.
	Program   key.Binding
	Therapist key.Binding
	Date      key.Binding
	Code      key.Binding
	Service   key.Binding
	Text      key.Binding
	Doctor    key.Binding
	Confirm   key.Binding
	Cancel    key.Binding

	// While a text field has the keyboard.
	Keep key.Binding
	Drop key.Binding
}

func newKeys() KeyMap {
	k := KeyMap{
		ListKeys: common.NewListKeys(),
		Accept:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "accept")),
		Decline:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "decline and refer onward")),
		Wait:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "waiting list")),
		Reload:   key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r/ctrl+r", "reload")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),

		Program:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "next suggested program")),
		Therapist: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "next therapist")),
		Date:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "edit the start date")),
		Code:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "next reason code")),
		Service:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "next service (finder)")),
		Text:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit the reason text")),
		Doctor:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "the referring doctor's assessment")),
		Confirm:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm")),
		Cancel:    key.NewBinding(key.WithKeys("esc", "n"), key.WithHelp("esc/n", "cancel")),

		Keep: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
		Drop: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "undo the edit")),
	}
	k.Open.SetHelp("enter", "accept (review first)")
	return k
}
