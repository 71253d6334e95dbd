package workspace

import (
	"fmt"
	"sort"
	"strings"

	"polku/tui/common"
	"polku/tui/sanitize"
)

func (p *Page) readerTitle() string {
	st := p.c.Styles
	row, ok := p.subByID(p.reading)
	if !ok {
		return ""
	}
	status := st.Badge["due"].Render(p.c.T("pages.workspace.reader.waiting", "Waited", p.waited(row)))
	switch {
	case p.sentSubs[row.sub.ID]:
		status = st.OK.Render(p.c.T("pages.workspace.reader.sent"))
	case row.superseded:
		status = st.Faint.Render(p.c.T("pages.workspace.reader.replaced"))
	case !row.waiting():
		status = st.OK.Render(p.c.T("pages.workspace.reader.sent"))
	}
	return common.Truncate(st.Accent.Render(p.c.T(tabIDs[TabSubmissions])+" › ")+st.Bold.Render(row.title())+st.Subtle.Render(" · "+p.c.T("pages.workspace.reader.week", "Week", row.week))+" · "+status, p.width)
}

func (p *Page) readerView(bodyH int) string {
	st := p.c.Styles
	e := p.activeEditor()
	rw := p.reader.Width
	key := fmt.Sprintf("%s/%d/%d", p.reading, p.version, rw)
	if key != p.readerKey {
		p.reader.SetContent(p.readerContent(rw))
		p.readerKey = key
	}
	reader := common.Fit(p.reader.View(), rw, p.reader.Height)
	if e == nil {
		return common.Fit(reader, p.width, bodyH)
	}
	if p.sideBySide() {
		return joinH(reader, " ", vsep(st, bodyH), " ", common.Fit(e.View(), p.width-rw-3, bodyH))
	}
	return reader + "\n" + st.Rule.Render(common.Rule(p.width)) + "\n" + e.View()
}

// readerContent renders the exercise prompt, the patient's answers (as
// markdown, with everything the patient wrote made inert) and the earlier
// feedback.
func (p *Page) readerContent(width int) string {
	st := p.c.Styles
	row, ok := p.subByID(p.reading)
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(st.Subtle.Render(p.c.T("pages.workspace.reader.module", "Module", row.moduleTitle(), "When", p.c.When(row.sub.SubmittedAt))))
	if row.sub.Supersedes != "" {
		b.WriteString(st.Faint.Render(" · " + p.c.T("pages.workspace.reader.replaces")))
	}
	b.WriteString("\n")
	b.WriteString(st.Label.Render(p.c.T("pages.workspace.reader.wrote", "Name", common.FirstName(p.name))) + "\n")
	b.WriteString(p.c.Markdown.Render(p.answersMarkdown(row), width-2) + "\n")
	if row.exercise != nil && strings.TrimSpace(row.exercise.Prompt) != "" {
		b.WriteString(st.Rule.Render(common.Rule(width)) + "\n")
		b.WriteString(st.Label.Render(p.c.T("pages.workspace.reader.asked")) + "\n")
		b.WriteString(st.Subtle.Render(p.c.Markdown.Render(sanitize.Text(row.exercise.Prompt), width-2)) + "\n")
	}
	if prog := p.programOf[row.sub.EnrollmentID]; prog != nil && prog.Crisis != nil {
		b.WriteString(st.Rule.Render(common.Rule(width)) + "\n")
		b.WriteString(p.crisisBlock(prog.Crisis, width) + "\n")
	}
	if len(row.feedback) > 0 {
		b.WriteString(st.Rule.Render(common.Rule(width)) + "\n")
		b.WriteString(st.Label.Render(p.c.T("pages.workspace.reader.feedback_sent")) + "\n")
		superseded := map[string]bool{}
		for _, f := range row.feedback {
			if f.Supersedes != "" {
				superseded[f.Supersedes] = true
			}
		}
		for _, f := range row.feedback {
			who := p.rec.Therapists[f.TherapistID].Name
			if who == "" {
				who = p.c.T("pages.workspace.reader.therapist")
			}
			meta := fmt.Sprintf("%s · %s", who, p.c.When(f.SentAt))
			if f.ReadAt != nil {
				meta += " · " + p.c.T("pages.workspace.reader.read_by_patient", "When", p.c.When(*f.ReadAt))
			} else {
				meta += " · " + p.c.T("pages.workspace.reader.not_read")
			}
			if superseded[f.ID] {
				meta += " · " + p.c.T("pages.workspace.reader.corrected")
			}
			b.WriteString(st.Subtle.Render(meta) + "\n")
			b.WriteString(st.Quote.Render(common.Wrap(f.Body, width-4)) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// answersMarkdown lays the answers out in the exercise's field order.
func (p *Page) answersMarkdown(row subRow) string {
	answers := row.sub.Answers
	var b strings.Builder
	seen := map[string]bool{}
	if row.exercise != nil {
		for _, f := range row.exercise.Fields {
			v, ok := answers[f.ID]
			seen[f.ID] = true
			if !ok || strings.TrimSpace(v) == "" {
				continue
			}
			writeAnswer(&b, f.Label, v)
		}
	}
	var rest []string
	for k := range answers {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		v := answers[k]
		if strings.TrimSpace(v) == "" {
			continue
		}
		if len(answers) > 1 || k != "text" {
			writeAnswer(&b, k, v)
			continue
		}
		b.WriteString(common.PatientMarkdown(v) + "\n\n")
	}
	if b.Len() == 0 {
		return "_(" + p.c.T("pages.workspace.reader.no_answers") + ")_"
	}
	return b.String()
}

// writeAnswer writes one labelled answer: short one-line answers on the
// label's line, longer ones as their own paragraphs.
func writeAnswer(b *strings.Builder, label, v string) {
	label = strings.TrimSpace(common.PatientMarkdown(label))
	if !strings.ContainsRune(strings.TrimSpace(v), '\n') && len(v) <= 60 {
		fmt.Fprintf(b, "- **%s** %s\n", label, common.PatientMarkdown(strings.TrimSpace(v)))
		return
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "**%s**\n\n%s\n\n", label, common.PatientMarkdown(v))
}
