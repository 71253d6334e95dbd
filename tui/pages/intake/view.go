package intake

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

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
		return common.Fit(st.Subtle.Render("This store has no intake queue."), p.width, p.high)
	}
	if p.queue == nil {
		return common.Fit(st.Subtle.Render("Loading the intake queue…"), p.width, p.high)
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
		team = "every team"
	}
	line := st.Header.Render("Intake · "+team) + st.Faint.Render(" · ") + fmt.Sprintf("%s open", common.Plural(q.Open, "referral", "referrals"))
	if q.OverPromise > 0 {
		line += st.Faint.Render(" · ") + st.Risk.Render(fmt.Sprintf("%d past the promise", q.OverPromise))
	}
	if q.Waiting > 0 {
		line += st.Faint.Render(" · ") + fmt.Sprintf("%d on the waiting list", q.Waiting)
	}
	line += st.Faint.Render(fmt.Sprintf(" · promise %d working days", q.PromiseDays))
	return common.Truncate(" "+line, p.width)
}

func (p *Page) listView(width, height int) string {
	st := p.c.Styles
	if len(p.queue.Items) == 0 {
		return st.OK.Render("  No open referrals.")
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
	age := "age ?"
	if it.Age >= 0 {
		age = fmt.Sprintf("age %d", it.Age)
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
	facts := []string{"arrived " + p.c.Day(it.ReceivedAt), "from " + it.ReferringUnit}
	if it.WishedProgram != "" {
		facts = append(facts, "wishes "+it.WishedProgram)
	}
	b.WriteString(common.Truncate(st.Subtle.Render(strings.Join(facts, " · ")), width) + "\n")
	for _, r := range it.Reasons {
		bullet := st.ClassStyle(r.Class.String()).Render("• ")
		b.WriteString(bullet + strings.ReplaceAll(common.Wrap(r.Text, width-2), "\n", "\n  ") + "\n")
	}
	d := p.details[it.ReferralID]
	if d == nil {
		b.WriteString(st.Faint.Render("Reading the referral…"))
		return b.String()
	}
	if len(d.Programs) > 0 {
		b.WriteString(common.Truncate(st.Label.Render("Suggested: ")+d.Programs[0].Text, width) + "\n")
	} else {
		b.WriteString(st.Warn.Render("No program fits.") + "\n")
	}
	if len(d.Therapists) > 0 {
		b.WriteString(common.Truncate(st.Label.Render("Therapist: ")+d.Therapists[0].Text, width) + "\n")
	}
	if d.WaitingList {
		b.WriteString(st.Warn.Render("Nobody has free capacity: the waiting list (w).") + "\n")
	}
	b.WriteString(common.Truncate(st.Label.Render("Checklist: ")+checklistText(d), width) + "\n")
	if d.Referral.Reason != "" {
		b.WriteString(st.Faint.Render(common.Wrap(d.Referral.Reason, width)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// checklistText is the state of the checklist: the last assessment's
// answers counted, or that none is recorded.
func checklistText(d *store.ReferralDetail) string {
	if len(d.Assessments) == 0 {
		return fmt.Sprintf("not assessed (%d criteria)", len(d.Checklist))
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
	s := fmt.Sprintf("assessed %s by %s: %d yes, %d no, %d unknown", a.AssessedAt.Format(time.DateOnly), orDash(a.Method), yes, no, unknown)
	if len(excluded) > 0 {
		s += "; EXCLUDED: " + strings.Join(excluded, ", ")
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
	title := map[int]string{modeAccept: "Accept", modeDecline: "Decline and refer onward", modeWait: "Waiting list"}[p.mode]
	b.WriteString(st.Title.Render(title+": "+it.DisplayName) + "  " + st.Faint.Render(it.Pseudonym) + "\n\n")
	if d == nil {
		b.WriteString(st.Subtle.Render("Reading the referral…"))
		return b.String()
	}
	label := func(s string) string { return st.Label.Render(common.Pad(s, 11)) }
	field := func(name, value string) {
		b.WriteString(common.Truncate(label(name)+value, width) + "\n")
	}
	switch p.mode {
	case modeAccept:
		if prog, ok := p.program(); ok {
			field("Program", fmt.Sprintf("%s v%d  %s", prog.Title, prog.Version, st.Faint.Render(fmt.Sprintf("(%d of %d)", p.prog+1, len(d.Programs)))))
			b.WriteString(common.Truncate("           "+st.Subtle.Render(prog.Text), width) + "\n")
			for _, n := range prog.Notes {
				b.WriteString(common.Truncate("           "+st.Warn.Render(n), width) + "\n")
			}
		} else {
			field("Program", st.Warn.Render("none fits"))
		}
		if th, ok := p.therapist(); ok {
			field("Therapist", th.Name+"  "+st.Faint.Render(fmt.Sprintf("(%d of %d)", p.ther+1, len(d.Therapists))))
			b.WriteString(common.Truncate("           "+st.Subtle.Render(th.Text), width) + "\n")
		} else {
			field("Therapist", st.Warn.Render("the team has none"))
		}
		date := p.date.Value()
		if p.edit == editDate {
			date = p.date.View()
		}
		promise := st.Faint.Render("  the promise: by " + d.PromiseDate)
		if p.beyondPromise() {
			promise = st.Warn.Render("  beyond the promise (by " + d.PromiseDate + ")")
		}
		field("Start", date+promise)
		if p.beyondPromise() || p.reason.Value() != "" || p.edit == editReason {
			field("Why later", p.textView(editReason))
		}
		if p.needsDoctor() {
			v := p.doctor.Value()
			switch {
			case p.edit == editDoctor:
				v = p.doctor.View()
			case v == "":
				v = st.Warn.Render("needed for a 16-17-year-old (o to write)")
			}
			field("Doctor", v)
		}
	case modeDecline:
		c := store.DeclineCodes[p.code]
		field("Code", c[0]+"  "+st.Faint.Render(fmt.Sprintf("(%d of %d) ", p.code+1, len(store.DeclineCodes)))+st.Subtle.Render(c[1]))
		field("Text", p.textView(editText))
		if s, ok := p.serviceChosen(); ok {
			field("Service", s.Name+"  "+st.Faint.Render(fmt.Sprintf("(%d of %d)", p.service+1, len(d.Services))))
			b.WriteString(common.Truncate("           "+st.Subtle.Render(s.For+" · "+s.Contact), width) + "\n")
		} else {
			n := "none suggested"
			if len(d.Services) > 0 {
				n = fmt.Sprintf("none (%d in the patient's region: v)", len(d.Services))
			}
			field("Service", st.Faint.Render(n))
		}
	case modeWait:
		b.WriteString(common.Wrap("The referral waits for a therapist with room; the intake queue shows how long.", width) + "\n")
		field("Why", p.textView(editReason))
	}
	if p.problem != "" {
		b.WriteString("\n" + st.Warn.Render(common.Wrap(p.problem, width)) + "\n")
	}
	b.WriteString("\n" + st.Accent.Render("y confirms") + st.Faint.Render(" · esc cancels"))
	return b.String()
}

func (p *Page) textView(edit int) string {
	if p.edit == edit {
		return p.reason.View()
	}
	if v := p.reason.Value(); v != "" {
		return v
	}
	return p.c.Styles.Faint.Render("(e to write)")
}
