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

func newKeys(c *common.Common) KeyMap {
	k := KeyMap{
		ListKeys: common.NewListKeysIn(c.Printer()),
		Accept:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", c.T("pages.intake.keys.accept"))),
		Decline:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", c.T("pages.intake.keys.decline"))),
		Wait:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", c.T("pages.intake.keys.wait"))),
		Reload:   key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r/ctrl+r", c.T("pages.intake.keys.reload"))),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.intake.keys.back"))),

		Program:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", c.T("pages.intake.keys.program"))),
		Therapist: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", c.T("pages.intake.keys.therapist"))),
		Date:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", c.T("pages.intake.keys.date"))),
		Code:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("pages.intake.keys.code"))),
		Service:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v", c.T("pages.intake.keys.service"))),
		Text:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", c.T("pages.intake.keys.text"))),
		Doctor:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", c.T("pages.intake.keys.doctor"))),
		Confirm:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", c.T("pages.intake.keys.confirm"))),
		Cancel:    key.NewBinding(key.WithKeys("esc", "n"), key.WithHelp("esc/n", c.T("pages.intake.keys.cancel"))),

		Keep: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("pages.intake.keys.keep"))),
		Drop: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("pages.intake.keys.drop"))),
	}
	k.Open.SetHelp("enter", c.T("pages.intake.keys.open"))
	return k
}
