package intake

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"polku/store"
	"polku/tui/common"
)

func (p *Page) wide() bool { return p.width >= 110 }

func previewHeight(total int) int {
	switch {
	case total >= 40:
		return 14
	case total >= 22:
		return 12
	}
	return max(3, total/3)
}

func (p *Page) listHeight() int {
	h := p.high - 2
	if !p.wide() {
		h -= previewHeight(p.high) + 1
	}
	return max(1, h)
}

// View draws the page.
func (p *Page) View() string {
	st := p.c.Styles
	if p.st == nil {
		return common.Fit(st.Subtle.Render(p.c.T("pages.intake.no_queue")), p.width, p.high)
	}
	if p.queue == nil {
		return common.Fit(st.Subtle.Render(p.c.T("pages.intake.loading")), p.width, p.high)
	}
	header := p.headerView()
	if p.mode != modeList {
		return common.Fit(header+"\n"+p.formView(p.width), p.width, p.high)
	}
	if p.wide() {
		lw := p.width * 3 / 5
		pw := p.width - lw - 1
		h := p.high - 1
		list := common.Fit(p.listView(lw, h), lw, h)
		sep := strings.TrimRight(strings.Repeat(st.Rule.Render("│")+"\n", h), "\n")
		prev := common.Fit(p.previewView(pw-1), pw-1, h)
		return lipgloss.JoinVertical(lipgloss.Left, header, lipgloss.JoinHorizontal(lipgloss.Top, list, sep, " ", prev))
	}
	lh := p.listHeight() + 1
	ph := previewHeight(p.high)
	return lipgloss.JoinVertical(lipgloss.Left, header,
		common.Fit(p.listView(p.width, lh), p.width, lh),
		st.Rule.Render(common.Rule(p.width)),
		common.Fit(p.previewView(p.width), p.width, ph))
}

func (p *Page) headerView() string {
	st := p.c.Styles
	q := p.queue
	team := q.Team
	if team == "" {
		team = p.c.T("pages.intake.every_team")
	}
	line := st.Header.Render(p.c.T("pages.intake.title")+" · "+team) + st.Faint.Render(" · ") + p.c.T("pages.intake.open", "Count", q.Open)
	if q.OverPromise > 0 {
		line += st.Faint.Render(" · ") + st.Risk.Render(p.c.T("pages.intake.over_promise", "Count", q.OverPromise))
	}
	if q.Waiting > 0 {
		line += st.Faint.Render(" · ") + p.c.T("pages.intake.waiting", "Count", q.Waiting)
	}
	line += st.Faint.Render(" · " + p.c.T("pages.intake.promise", "Count", q.PromiseDays))
	return common.Truncate(" "+line, p.width)
}

func (p *Page) listView(width, height int) string {
	st := p.c.Styles
	if len(p.queue.Items) == 0 {
		return st.OK.Render("  " + p.c.T("pages.intake.none"))
	}
	var lines []string
	for i := p.offset; i < len(p.queue.Items) && len(lines) < height; i++ {
		lines = append(lines, p.rowView(i, width))
	}
	return strings.Join(lines, "\n")
}

func (p *Page) rowView(i, width int) string {
	st := p.c.Styles
	it := &p.queue.Items[i]
	selected := i == p.cursor
	sty := func(s lipgloss.Style) lipgloss.Style {
		if selected {
			return s.Inherit(st.Selected)
		}
		return s
	}
	nameW := min(24, max(14, width/4))
	name := it.DisplayName
	if name == "" {
		name = it.Pseudonym
	}
	age := p.c.T("pages.intake.age_unknown")
	if it.Age >= 0 {
		age = p.c.T("pages.intake.age", "Age", it.Age)
	}
	var badges []string
	for _, r := range it.Reasons {
		badges = append(badges, sty(st.ClassStyle(r.Class.String())).Render(r.Badge))
	}
	space := sty(st.App).Render(" ")
	left := sty(st.App).Render(common.Pad(name, nameW)+" ") + sty(st.Subtle).Render(common.Pad(age, 7)) + space
	rest := max(0, width-2-lipgloss.Width(left))
	right := common.Truncate(strings.Join(badges, space), rest)
	if gap := rest - lipgloss.Width(right); gap > 0 && selected {
		right += sty(st.App).Render(strings.Repeat(" ", gap))
	}
	if selected {
		return st.Cursor.Render("› ") + left + right
	}
	return "  " + left + right
}

// previewView shows the referral under the cursor: who, the reasons as
// sentences, the suggestions and the checklist of the last assessment.
func (p *Page) previewView(width int) string {
	st := p.c.Styles
	it, ok := p.Selected()
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(st.Header.Render(it.DisplayName) + "  " + st.Faint.Render(it.Pseudonym) + "\n")
	facts := []string{p.c.T("pages.intake.arrived", "Date", p.c.Day(it.ReceivedAt)), p.c.T("pages.intake.from", "Unit", it.ReferringUnit)}
	if it.WishedProgram != "" {
		facts = append(facts, p.c.T("pages.intake.wishes", "Program", it.WishedProgram))
	}
	b.WriteString(common.Truncate(st.Subtle.Render(strings.Join(facts, " · ")), width) + "\n")
	for _, r := range it.Reasons {
		bullet := st.ClassStyle(r.Class.String()).Render("• ")
		b.WriteString(bullet + strings.ReplaceAll(common.Wrap(r.Text, width-2), "\n", "\n  ") + "\n")
	}
	d := p.details[it.ReferralID]
	if d == nil {
		b.WriteString(st.Faint.Render(p.c.T("pages.intake.reading")))
		return b.String()
	}
	if len(d.Programs) > 0 {
		b.WriteString(common.Truncate(st.Label.Render(p.c.T("pages.intake.suggested")+" ")+d.Programs[0].Text, width) + "\n")
	} else {
		b.WriteString(st.Warn.Render(p.c.T("pages.intake.no_program")) + "\n")
	}
	if len(d.Therapists) > 0 {
		b.WriteString(common.Truncate(st.Label.Render(p.c.T("pages.intake.therapist")+" ")+d.Therapists[0].Text, width) + "\n")
	}
	if d.WaitingList {
		b.WriteString(st.Warn.Render(p.c.T("pages.intake.no_capacity")) + "\n")
	}
	b.WriteString(common.Truncate(st.Label.Render(p.c.T("pages.intake.checklist")+" ")+checklistText(p.c, d), width) + "\n")
	if d.Referral.Reason != "" {
		b.WriteString(st.Faint.Render(common.Wrap(d.Referral.Reason, width)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// checklistText is the state of the checklist: the last assessment's
// answers counted, or that none is recorded.
func checklistText(c *common.Common, d *store.ReferralDetail) string {
	if len(d.Assessments) == 0 {
		return c.T("pages.intake.not_assessed", "Count", len(d.Checklist))
	}
	a := d.Assessments[len(d.Assessments)-1]
	yes, no, unknown := 0, 0, 0
	var excluded []string
	for _, c := range d.Checklist {
		switch a.Answers[c.ID] {
		case store.AnswerYes:
			if c.Exclusion {
				excluded = append(excluded, c.ID)
			}
			yes++
		case store.AnswerNo:
			no++
		default:
			unknown++
		}
	}
	s := c.T("pages.intake.assessed", "Date", c.Date(a.AssessedAt), "Method", orDash(a.Method), "Yes", yes, "No", no, "Unknown", unknown)
	if len(excluded) > 0 {
		s += "; " + c.T("pages.intake.excluded", "IDs", strings.Join(excluded, ", "))
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// formView draws the form of a decision.
func (p *Page) formView(width int) string {
	st := p.c.Styles
	it, _ := p.Selected()
	d := p.detail()
	var b strings.Builder
	title := p.c.T(map[int]string{modeAccept: "pages.intake.mode.accept", modeDecline: "pages.intake.mode.decline", modeWait: "pages.intake.mode.wait"}[p.mode])
	b.WriteString(st.Title.Render(title+": "+it.DisplayName) + "  " + st.Faint.Render(it.Pseudonym) + "\n\n")
	if d == nil {
		b.WriteString(st.Subtle.Render(p.c.T("pages.intake.reading")))
		return b.String()
	}
	// The labels' column is as wide as the longest label in the language.
	labelW := 11
	for _, id := range formLabels {
		labelW = max(labelW, ansi.StringWidth(p.c.T(id))+1)
	}
	pad := strings.Repeat(" ", labelW)
	label := func(id string) string { return st.Label.Render(common.Pad(p.c.T(id), labelW)) }
	field := func(id, value string) {
		b.WriteString(common.Truncate(label(id)+value, width) + "\n")
	}
	of := func(i, n int) string { return p.c.T("pages.intake.of", "N", i, "Of", n) }
	switch p.mode {
	case modeAccept:
		if prog, ok := p.program(); ok {
			field("pages.intake.field.program", fmt.Sprintf("%s v%d  %s", prog.Title, prog.Version, st.Faint.Render(of(p.prog+1, len(d.Programs)))))
			b.WriteString(common.Truncate(pad+st.Subtle.Render(prog.Text), width) + "\n")
			for _, n := range prog.Notes {
				b.WriteString(common.Truncate(pad+st.Warn.Render(n), width) + "\n")
			}
		} else {
			field("pages.intake.field.program", st.Warn.Render(p.c.T("pages.intake.none_fits")))
		}
		if th, ok := p.therapist(); ok {
			field("pages.intake.field.therapist", th.Name+"  "+st.Faint.Render(of(p.ther+1, len(d.Therapists))))
			b.WriteString(common.Truncate(pad+st.Subtle.Render(th.Text), width) + "\n")
		} else {
			field("pages.intake.field.therapist", st.Warn.Render(p.c.T("pages.intake.team_has_none")))
		}
		date := p.date.Value()
		if p.edit == editDate {
			date = p.date.View()
		}
		promise := st.Faint.Render("  " + p.c.T("pages.intake.promise_by", "Date", d.PromiseDate))
		if p.beyondPromise() {
			promise = st.Warn.Render("  " + p.c.T("pages.intake.beyond_promise", "Date", d.PromiseDate))
		}
		field("pages.intake.field.start", date+promise)
		if p.beyondPromise() || p.reason.Value() != "" || p.edit == editReason {
			field("pages.intake.field.why_later", p.textView(editReason))
		}
		if p.needsDoctor() {
			v := p.doctor.Value()
			switch {
			case p.edit == editDoctor:
				v = p.doctor.View()
			case v == "":
				v = st.Warn.Render(p.c.T("pages.intake.doctor_needed"))
			}
			field("pages.intake.field.doctor", v)
		}
	case modeDecline:
		c := store.DeclineCodes[p.code]
		field("pages.intake.field.code", c[0]+"  "+st.Faint.Render(of(p.code+1, len(store.DeclineCodes))+" ")+st.Subtle.Render(p.c.T(declineCodeID(c[0]))))
		field("pages.intake.field.text", p.textView(editText))
		if s, ok := p.serviceChosen(); ok {
			field("pages.intake.field.service", s.Name+"  "+st.Faint.Render(of(p.service+1, len(d.Services))))
			b.WriteString(common.Truncate(pad+st.Subtle.Render(s.For+" · "+s.Contact), width) + "\n")
		} else {
			n := p.c.T("pages.intake.none_suggested")
			if len(d.Services) > 0 {
				n = p.c.T("pages.intake.services_in_region", "Count", len(d.Services))
			}
			field("pages.intake.field.service", st.Faint.Render(n))
		}
	case modeWait:
		b.WriteString(common.Wrap(p.c.T("pages.intake.wait_note"), width) + "\n")
		field("pages.intake.field.why", p.textView(editReason))
	}
	if p.problem != "" {
		b.WriteString("\n" + st.Warn.Render(common.Wrap(p.problem, width)) + "\n")
	}
	b.WriteString("\n" + st.Accent.Render(p.c.T("pages.intake.confirm")) + st.Faint.Render(" · "+p.c.T("pages.intake.cancel")))
	return b.String()
}

func (p *Page) textView(edit int) string {
	if p.edit == edit {
		return p.reason.View()
	}
	if v := p.reason.Value(); v != "" {
		return v
	}
	return p.c.Styles.Faint.Render(p.c.T("pages.intake.e_to_write"))
}

// formLabels are the catalog ids of the form's field labels.
var formLabels = []string{"pages.intake.field.program", "pages.intake.field.therapist", "pages.intake.field.start", "pages.intake.field.why_later",
	"pages.intake.field.doctor", "pages.intake.field.code", "pages.intake.field.text", "pages.intake.field.service", "pages.intake.field.why"}

// declineCodeID is the catalog id of a decline code's meaning ("other"
// is a word the catalogs reserve for plural forms).
func declineCodeID(code string) string {
	if code == "other" {
		code = "other_reason"
	}
	return "pages.intake.decline_code." + strings.ReplaceAll(code, "-", "_")
}
