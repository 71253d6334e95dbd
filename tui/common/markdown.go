package common

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/glamour"
	gansi "github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"polku/tui/sanitize"
)

// Markdown renders markdown with glamour in the workbench's theme, keeping
// one renderer per width.
type Markdown struct {
	style   gansi.StyleConfig
	profile termenv.Profile
	cache   map[int]*glamour.TermRenderer
}

// MarkdownStyle picks the glamour style.
type MarkdownStyle int

// Markdown styles.
const (
	MarkdownDark MarkdownStyle = iota
	MarkdownLight
	MarkdownPlain // ASCII only, no colours (NO_COLOR, tests)
)

// NewMarkdown makes a markdown renderer for a style and colour profile.
func NewMarkdown(st MarkdownStyle, profile termenv.Profile) *Markdown {
	var cfg gansi.StyleConfig
	switch st {
	case MarkdownLight:
		cfg = styles.LightStyleConfig
	case MarkdownPlain:
		cfg = styles.ASCIIStyleConfig
	default:
		cfg = styles.DarkStyleConfig
	}
	// Compact: no document margin and no blank lines around the document.
	zero := uint(0)
	cfg.Document.Margin = &zero
	cfg.Document.BlockPrefix = ""
	cfg.Document.BlockSuffix = ""
	return &Markdown{style: cfg, profile: profile, cache: map[int]*glamour.TermRenderer{}}
}

// Render renders markdown wrapped at width. On a rendering error the text
// is returned as it is (it has been sanitized by then).
func (m *Markdown) Render(md string, width int) string {
	if width < 10 {
		width = 10
	}
	r, ok := m.cache[width]
	if !ok {
		var err error
		r, err = glamour.NewTermRenderer(glamour.WithStyles(m.style), glamour.WithWordWrap(width), glamour.WithColorProfile(m.profile))
		if err != nil {
			return md
		}
		m.cache[width] = r
	}
	out, err := r.Render(md)
	if err != nil {
		return md
	}
	return trimBlankLines(out)
}

// trimBlankLines drops leading and trailing lines that show nothing, and
// trailing spaces on every line.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	blank := func(l string) bool { return strings.TrimSpace(ansi.Strip(l)) == "" }
	for len(lines) > 0 && blank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		if blank(l) {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

var linkDef = regexp.MustCompile(`(?m)^( {0,3})\[`)

// PatientMarkdown prepares text a patient wrote for the markdown renderer:
// control sequences are removed, and markdown that would hide text from
// the therapist (raw HTML and comments, link reference definitions) is
// escaped so that every word the patient wrote is shown.
func PatientMarkdown(s string) string {
	s = sanitize.Text(s)
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "<", `\<`)
	s = linkDef.ReplaceAllString(s, `$1\[`)
	return s
}
