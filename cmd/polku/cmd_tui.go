package main

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"polku/store"
	"polku/tui"
)

// runTUI opens the workbench on the store as the therapist named by --as.
// NO_COLOR turns colours off; POLKU_THEME=light or dark (or COLORFGBG)
// overrides asking the terminal for its background.
func (a *app) runTUI(cmd *cobra.Command, _ []string) error {
	if remote, err := a.runRemoteTUI(cmd); remote {
		return err
	}
	ctx := cmd.Context()
	db, err := a.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	actor, th, err := a.requireTherapist(ctx, db)
	if err != nil {
		return err
	}
	demo, _ := db.Meta(ctx, "demo")
	return a.startTUI(cmd, db, actor, th, demo == "true")
}

func (a *app) startTUI(cmd *cobra.Command, db *store.DB, actor store.Actor, th store.Therapist, demo bool) error {
	a.settleBackground()
	return tui.Run(cmd.Context(), tui.Options{
		Store:      db,
		Actor:      actor,
		Therapist:  th,
		StoreLabel: a.storeLabel(db, th),
		Sync:       a.tuiSync(),
		Clock:      a.env.now,
		Demo:       demo,
		Input:      a.env.stdin,
		Output:     rawWriter(a.env.stdout), // the workbench cleans what it shows itself
		Theme:      a.theme(),
		NoColor:    a.env.getenv("NO_COLOR") != "",
		Lang:       a.uiLang(th.UILang),
	})
}

// settleBackground fixes the background of lipgloss's default renderer
// (which the bubbles components draw with) before the workbench takes the
// terminal: from POLKU_THEME or COLORFGBG, or by asking the terminal now.
// Only the workbench asks: bubbletea's own package init, which asked in
// every command, is removed (third_party/bubbletea/POLKU.md).
func (a *app) settleBackground() {
	switch a.theme() {
	case "light":
		lipgloss.SetHasDarkBackground(false)
	case "dark":
		lipgloss.SetHasDarkBackground(true)
	default:
		if a.env.getenv("NO_COLOR") != "" {
			lipgloss.SetHasDarkBackground(true)
		} else {
			lipgloss.HasDarkBackground()
		}
	}
}

// theme is POLKU_THEME, or the background named by COLORFGBG ("fg;bg",
// set by rxvt, Konsole and others), or "" to ask the terminal.
func (a *app) theme() string {
	if t := a.env.getenv("POLKU_THEME"); t != "" {
		return t
	}
	if v := a.env.getenv("COLORFGBG"); v != "" {
		parts := strings.Split(v, ";")
		switch parts[len(parts)-1] {
		case "7", "9", "10", "11", "12", "13", "14", "15":
			return "light"
		case "0", "1", "2", "3", "4", "5", "6", "8":
			return "dark"
		}
	}
	return ""
}
