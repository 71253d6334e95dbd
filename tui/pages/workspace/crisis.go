package workspace

import (
	"strings"

	"polku/programs"
	"polku/tui/common"
	"polku/tui/sanitize"
)

// crisisBlock is the program's "if you need help now" block, compact: the
// patient reads it with every module, so the therapist sees what the
// patient was told (one line per contact: the number or service, its name
// and its hours). Program text is sanitized like all program text.
func (p *Page) crisisBlock(cr *programs.Crisis, width int) string {
	if cr == nil {
		return ""
	}
	st := p.c.Styles
	var b strings.Builder
	title := strings.TrimSpace(sanitize.Line(cr.Title))
	if title == "" {
		title = p.c.T("pages.workspace.crisis.title")
	}
	b.WriteString(st.Label.Render(common.Truncate(title+" "+p.c.T("pages.workspace.crisis.note"), width)) + "\n")
	for _, k := range cr.Contacts {
		reach := strings.TrimSpace(sanitize.Line(k.Number))
		if reach == "" {
			reach = strings.TrimSpace(sanitize.Line(k.Service))
		}
		line := reach + " · " + strings.TrimSpace(sanitize.Line(k.Name))
		if h := strings.TrimSpace(sanitize.Line(k.Hours)); h != "" {
			line += " · " + h
		}
		b.WriteString(st.Subtle.Render(common.Wrap(line, width-2)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
