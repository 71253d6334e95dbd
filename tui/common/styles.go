package common

import (
	"github.com/charmbracelet/lipgloss"
)

// Theme says how the workbench colours things.
type Theme struct {
	// Mono: no colours at all (NO_COLOR); emphasis by bold, underline and
	// reverse only.
	Mono bool
}

// Styles are every style the workbench draws with, built once from one
// renderer. Colours adapt to dark and light backgrounds.
type Styles struct {
	R *lipgloss.Renderer

	App        lipgloss.Style
	Header     lipgloss.Style
	HeaderDim  lipgloss.Style
	Title      lipgloss.Style
	Subtle     lipgloss.Style
	Faint      lipgloss.Style
	Bold       lipgloss.Style
	Accent     lipgloss.Style
	Selected   lipgloss.Style
	Cursor     lipgloss.Style
	Section    lipgloss.Style
	SectionOn  lipgloss.Style
	Tab        lipgloss.Style
	TabOn      lipgloss.Style
	Rule       lipgloss.Style
	Border     lipgloss.Style
	Box        lipgloss.Style
	Risk       lipgloss.Style
	RiskBanner lipgloss.Style
	Amber      lipgloss.Style
	OK         lipgloss.Style
	Warn       lipgloss.Style
	Badge      map[string]lipgloss.Style // by triage class name
	Unread     lipgloss.Style
	Status     lipgloss.Style
	StatusKey  lipgloss.Style
	StatusErr  lipgloss.Style
	StatusLive lipgloss.Style
	Confirm    lipgloss.Style
	Label      lipgloss.Style
	Quote      lipgloss.Style
	BandShade  []lipgloss.Style
	ChartPoint lipgloss.Style
	ChartLine  lipgloss.Style
	Spark      lipgloss.Style
	HelpKey    lipgloss.Style
	HelpDesc   lipgloss.Style
	HelpSep    lipgloss.Style

	// Colours for bubbles components.
	EditorFocused lipgloss.Style
	EditorBlurred lipgloss.Style
	EditorCursor  lipgloss.Style
	Mono          bool
}

type ac = lipgloss.AdaptiveColor

// NewStyles builds the styles on renderer r.
func NewStyles(r *lipgloss.Renderer, th Theme) *Styles {
	c := func(light, dark string) lipgloss.TerminalColor {
		if th.Mono {
			return lipgloss.NoColor{}
		}
		return ac{Light: light, Dark: dark}
	}
	var (
		accent   = c("#4338CA", "#A5B4FC")
		subtle   = c("#57606A", "#9CA3AF")
		faint    = c("#8C959F", "#6B7280")
		red      = c("#B42318", "#FF7B72")
		redBg    = c("#FDE2E1", "#4A1010")
		amber    = c("#8A5A00", "#E3B341")
		green    = c("#1A7F37", "#7EE787")
		blue     = c("#0550AE", "#79C0FF")
		selBg    = c("#E7E9F7", "#2A2D45")
		barBg    = c("#E5E7EB", "#1F2430")
		barFg    = c("#1F2328", "#D1D5DB")
		rule     = c("#D0D7DE", "#3B4252")
		textMain = c("#1F2328", "#E6EDF3")
	)
	n := r.NewStyle
	s := &Styles{R: r, Mono: th.Mono}
	s.App = n()
	s.Header = n().Bold(true).Foreground(textMain)
	s.HeaderDim = n().Foreground(subtle)
	s.Title = n().Bold(true).Foreground(accent)
	s.Subtle = n().Foreground(subtle)
	s.Faint = n().Foreground(faint)
	s.Bold = n().Bold(true)
	s.Accent = n().Foreground(accent)
	s.Selected = n().Background(selBg).Bold(true)
	if th.Mono {
		s.Selected = n().Reverse(true)
	}
	s.Cursor = n().Foreground(accent).Bold(true)
	s.Section = n().Foreground(subtle).Padding(0, 1)
	s.SectionOn = n().Foreground(accent).Bold(true).Underline(true).Padding(0, 1)
	s.Tab = n().Foreground(subtle)
	s.TabOn = n().Foreground(accent).Bold(true).Underline(true)
	s.Rule = n().Foreground(rule)
	s.Border = n().Foreground(rule)
	s.Box = n().Border(lipgloss.RoundedBorder()).BorderForeground(rule).Padding(0, 1)
	s.Risk = n().Foreground(red).Bold(true)
	s.RiskBanner = n().Foreground(red).Background(redBg).Bold(true)
	if th.Mono {
		s.RiskBanner = n().Bold(true).Reverse(true)
	}
	s.Amber = n().Foreground(amber).Bold(true)
	s.OK = n().Foreground(green)
	s.Warn = n().Foreground(amber)
	s.Badge = map[string]lipgloss.Style{
		"risk":          n().Foreground(red).Bold(true),
		"overdue":       n().Foreground(red),
		"deterioration": n().Foreground(amber).Bold(true),
		"due":           n().Foreground(amber),
		"inactive":      n().Foreground(subtle),
		"ending":        n().Foreground(blue),
		"starting":      n().Foreground(blue),
		"waiting":       n().Foreground(faint),
	}
	s.Unread = n().Foreground(accent).Bold(true)
	s.Status = n().Foreground(barFg).Background(barBg)
	s.StatusKey = n().Foreground(barFg).Background(barBg).Bold(true)
	s.StatusErr = n().Foreground(red).Background(barBg).Bold(true)
	s.StatusLive = n().Foreground(green).Background(barBg).Bold(true)
	if th.Mono {
		s.Status = n().Reverse(true)
		s.StatusKey = n().Reverse(true).Bold(true)
		s.StatusErr = n().Reverse(true).Bold(true)
		s.StatusLive = n().Reverse(true).Bold(true)
	}
	s.Confirm = n().Foreground(amber).Bold(true)
	s.Label = n().Foreground(subtle).Bold(true)
	s.Quote = n().Foreground(subtle).PaddingLeft(2)
	s.BandShade = []lipgloss.Style{
		n().Background(c("#F6F8FA", "#161B22")),
		n().Background(c("#EAEEF2", "#21262D")),
	}
	if th.Mono {
		s.BandShade = []lipgloss.Style{n(), n()}
	}
	s.ChartPoint = n().Foreground(accent).Bold(true)
	s.ChartLine = n().Foreground(amber)
	s.Spark = n().Foreground(accent)
	s.HelpKey = n().Foreground(accent).Bold(true)
	s.HelpDesc = n().Foreground(subtle)
	s.HelpSep = n().Foreground(faint)
	s.EditorFocused = n()
	s.EditorBlurred = n().Foreground(subtle)
	s.EditorCursor = n().Reverse(true)
	return s
}

// ClassStyle is the style of a triage class's badges.
func (s *Styles) ClassStyle(class string) lipgloss.Style {
	if st, ok := s.Badge[class]; ok {
		return st
	}
	return s.Subtle
}
