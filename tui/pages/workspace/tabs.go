package workspace

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"polku/programs"
	"polku/store"
	"polku/tui/common"
	"polku/tui/components/ackdialog"
	"polku/tui/components/chart"
	"polku/tui/sanitize"
)

func (p *Page) messagesContent() string {
	st := p.c.Styles
	w := p.content.Width
	if len(p.rec.Messages) == 0 {
		return st.Subtle.Render(p.c.T("pages.workspace.messages.none"))
	}
	var b strings.Builder
	first := common.FirstName(p.name)
	for _, m := range p.rec.Messages {
		var who string
		if m.Direction == store.DirectionIn {
			who = st.Bold.Render(first)
		} else {
			name := p.rec.Therapists[m.TherapistID].Name
			if m.TherapistID == p.c.Actor.ID {
				name = p.c.T("pages.workspace.messages.you")
			}
			if name == "" {
				name = p.c.T("pages.workspace.messages.therapist")
			}
			who = st.Accent.Render(name)
		}
		meta := who + st.Faint.Render(" · "+p.c.When(m.SentAt))
		if m.Direction == store.DirectionIn && m.ReadAt == nil {
			meta += " " + st.Unread.Render("● "+p.c.T("pages.workspace.messages.new"))
		}
		if m.Direction == store.DirectionOut {
			if m.ReadAt != nil {
				meta += st.Faint.Render(" · " + p.c.T("pages.workspace.messages.read", "When", p.c.When(*m.ReadAt)))
			} else {
				meta += st.Faint.Render(" · " + p.c.T("pages.workspace.messages.not_read"))
			}
		}
		b.WriteString(meta + "\n")
		indent := "  "
		if m.Direction == store.DirectionOut {
			indent = "    "
		}
		for _, l := range strings.Split(common.Wrap(m.Body, w-len(indent)-1), "\n") {
			b.WriteString(indent + l + "\n")
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (p *Page) measuresContent() string {
	st := p.c.Styles
	w := p.content.Width
	all := p.measureSeries()
	if len(all) == 0 {
		return st.Subtle.Render(p.c.T("pages.workspace.measures.none"))
	}
	_, prog := p.current()
	weeks := 0
	if prog != nil {
		weeks = prog.Weeks
	}
	acked := map[string]bool{}
	for _, a := range p.rec.RiskAcks {
		acked[a.SourceID] = true
	}
	var b strings.Builder
	for i, s := range all {
		in := s.in
		if i > 0 {
			b.WriteString("\n")
		}
		sc := common.ScaleOf(in)
		title := st.Title.Render(sc.Name)
		if !sc.Validated {
			title += " " + st.Warn.Render("("+p.c.T("tui.scale.not_validated")+")")
		}
		if in.Name() != in.Title {
			title += st.Subtle.Render(" — " + in.Title)
		}
		b.WriteString(common.Truncate(title, w) + "\n")
		base, cur := s.points[0], s.points[len(s.points)-1]
		line := p.c.T("pages.workspace.measures.baseline", "Total", base.Total, "Band", in.Band(base.Total), "Week", base.Week)
		if len(s.points) > 1 {
			ch := in.Change(base.Total, cur.Total)
			line += " → " + p.c.T("pages.workspace.measures.now", "Total", cur.Total, "Band", in.Band(cur.Total), "Week", cur.Week) + ": "
			status := p.c.T("store.change." + strings.ReplaceAll(ch.Status, " ", "_"))
			if ch.Threshold > 0 {
				status += " " + p.c.T("pages.workspace.measures.change", "Delta", fmt.Sprintf("%+d", ch.Delta), "Threshold", ch.Threshold)
			} else {
				status += " " + p.c.T("pages.workspace.measures.change_no_threshold", "Delta", fmt.Sprintf("%+d", ch.Delta))
			}
			switch {
			case ch.ReliableDeterioration:
				line += st.Risk.Render(status)
			case ch.ReliableImprovement || ch.Recovery:
				line += st.OK.Render(status)
			default:
				line += status
			}
		} else {
			line += " · " + p.c.T("pages.workspace.measures.one_score")
		}
		b.WriteString(common.Wrap(line, w) + "\n")
		lo, hi, ok := in.Range()
		if !ok {
			lo, hi = 0, 0
			for _, m := range s.points {
				hi = max(hi, m.Total)
			}
		}
		rcp, _ := in.ReliableChangePoints()
		pts := make([]chart.Point, len(s.points))
		for j, m := range s.points {
			pts[j] = chart.Point{Week: m.Week, Total: m.Total}
		}
		h := min(14, max(6, p.content.Height-7))
		spec := chart.Spec{Points: pts, Lo: lo, Hi: hi, Bands: in.Bands, Reliable: rcp, Weeks: weeks, Width: w, Height: h, Tr: p.c.Printer()}
		b.WriteString(chart.Render(spec, chart.Styles{Axis: st.Faint, Point: st.ChartPoint, Line: st.ChartLine, Label: st.Subtle, Edge: st.Faint, Shade: st.BandShade}) + "\n")
		b.WriteString(st.Faint.Render(common.Wrap(chart.Legend(spec), w)) + "\n")
		// Scores by week, and critical items.
		var cells []string
		for _, m := range s.points {
			cells = append(cells, p.c.T("pages.workspace.measures.cell", "Week", m.Week, "Total", m.Total))
		}
		b.WriteString(common.Wrap(st.Subtle.Render(p.c.T("pages.workspace.measures.scores")+" ")+strings.Join(cells, " · "), w) + "\n")
		for _, m := range s.points {
			for _, hit := range in.CriticalHits(m.Answers) {
				state := st.Risk.Render(p.c.T("pages.workspace.measures.not_acked"))
				if acked[m.ID] {
					state = st.OK.Render(p.c.T("pages.workspace.measures.acked"))
				}
				lvl := st.Amber
				if hit.Level == programs.LevelRed {
					lvl = st.Risk
				}
				b.WriteString(common.Wrap(p.c.T("pages.workspace.measures.critical", "Level", lvl.Render(strings.ToUpper(p.c.T("pages.workspace.measures.level."+hit.Level))), "Week", m.Week, "Item", hit.Item, "Answer", hit.Answer, "Label", hit.Label, "State", state), w) + "\n")
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func (p *Page) diaryContent() string {
	st := p.c.Styles
	w := p.content.Width
	if len(p.rec.Diary) == 0 {
		return st.Subtle.Render(p.c.T("pages.workspace.diary.none"))
	}
	e, prog := p.current()
	var b strings.Builder
	byExercise := map[string][]store.DiaryEntry{}
	var order []string
	for _, d := range p.rec.Diary {
		if e != nil && d.EnrollmentID != e.ID {
			continue
		}
		if _, ok := byExercise[d.ExerciseID]; !ok {
			order = append(order, d.ExerciseID)
		}
		byExercise[d.ExerciseID] = append(byExercise[d.ExerciseID], d)
	}
	for i, exID := range order {
		entries := byExercise[exID]
		var ex *programs.Exercise
		if prog != nil {
			_, ex, _ = prog.Exercise(exID)
		}
		if i > 0 {
			b.WriteString("\n")
		}
		if ex != nil && programs.IsSleepDiary(ex) {
			b.WriteString(p.sleepDiary(ex, e, entries, w))
			continue
		}
		title := sanitize.Line(exID)
		if ex != nil {
			title = ex.Title
		}
		b.WriteString(st.Title.Render(title) + st.Subtle.Render(" · "+p.c.T("pages.workspace.diary.days", "Count", len(entries))) + "\n")
		for j := len(entries) - 1; j >= 0 && j >= len(entries)-14; j-- {
			d := entries[j]
			b.WriteString(st.Bold.Render(p.isoDate(d.Date)) + "\n")
			b.WriteString(common.Wrap(fieldsLine(ex, d.Fields), w-2) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func fieldsLine(ex *programs.Exercise, f map[string]string) string {
	var parts []string
	seen := map[string]bool{}
	if ex != nil {
		for _, fl := range ex.Fields {
			seen[fl.ID] = true
			if v := f[fl.ID]; v != "" {
				parts = append(parts, fl.Label+" "+v)
			}
		}
	}
	var rest []string
	for k := range f {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		parts = append(parts, sanitize.Line(k)+": "+f[k])
	}
	return "  " + strings.Join(parts, " · ")
}

// floorNote states the floor of time in bed that applies to the patient:
// the program's age rule for their age, else the adult floor.
func floorNote(c *common.Common, prog *programs.Program, age int) string {
	floor, rule := prog.TimeInBedFloor(age)
	m := int(floor.Round(time.Minute).Minutes())
	text := c.T("pages.workspace.diary.hours", "Count", m/60)
	if m%60 != 0 {
		text = c.T("pages.workspace.diary.hours_minutes", "Hours", m/60, "Minutes", m%60)
	}
	if rule != nil {
		return c.T("pages.workspace.diary.floor_rule", "Floor", text, "Min", rule.MinAge, "Max", rule.MaxAge)
	}
	return c.T("pages.workspace.diary.floor", "Floor", text)
}

func hm(d time.Duration) string {
	m := int(d.Round(time.Minute).Minutes())
	return fmt.Sprintf("%dh%02d", m/60, m%60)
}

// sleepDiary draws the sleep diary as a weekly table with sleep
// efficiency and the restriction guidance, then the latest nights.
func (p *Page) sleepDiary(ex *programs.Exercise, e *store.Enrollment, entries []store.DiaryEntry, w int) string {
	st := p.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(ex.Title) + st.Subtle.Render(" · "+p.c.T("pages.workspace.diary.sleep_title")) + "\n")
	var nights []programs.Night
	var bad []string
	for _, d := range entries {
		n, err := programs.SleepNight(d.Date, d.Fields)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", d.Date, err))
			continue
		}
		nights = append(nights, n)
	}
	start := p.c.Now()
	if e != nil {
		if t, err := time.ParseInLocation(time.DateOnly, e.StartDate, p.c.Loc); err == nil {
			start = t
		}
	}
	now := p.c.Now().In(p.c.Loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, p.c.Loc)
	var prog *programs.Program
	age := 0
	if e != nil && p.rec != nil {
		prog = p.programOf[e.ID]
		age, _ = programs.AgeOn(p.rec.Patient.BirthDate, today)
	}
	weeks := programs.SleepWeeksFor(prog, age, start, today, nights)
	b.WriteString(st.Label.Render(fmt.Sprintf("%-5s %-22s %7s %7s %5s", p.c.T("pages.workspace.diary.col.week"), p.c.T("pages.workspace.diary.col.based_on"), p.c.T("pages.workspace.diary.col.in_bed"), p.c.T("pages.workspace.diary.col.asleep"), p.c.T("pages.workspace.diary.col.se"))) + "\n")
	if len(weeks) == 0 {
		b.WriteString(st.Subtle.Render(p.c.T("pages.workspace.diary.no_nights")) + "\n")
	}
	for _, sw := range weeks {
		se := p.c.Number(sw.Efficiency, 0) + "%"
		seS := st.OK
		if sw.Efficiency < 85 {
			seS = st.Warn
		}
		b.WriteString(fmt.Sprintf("%-5d %-22s %7s %7s %s\n", sw.Week, p.basedOn(sw), hm(sw.TimeInBed), hm(sw.TotalSleep), seS.Render(fmt.Sprintf("%5s", se))))
		b.WriteString(st.Faint.Render(indent(common.Wrap(sw.Advice, w-6), "      ")) + "\n")
	}
	if len(weeks) > 0 {
		last := weeks[len(weeks)-1]
		b.WriteString(st.Subtle.Render(common.Wrap(p.c.T("pages.workspace.diary.guidance", "Week", last.Week, "BasedOn", p.basedOn(last), "Floor", floorNote(p.c, prog, age)), w)) + "\n")
	}
	b.WriteString("\n" + st.Label.Render(fmt.Sprintf("%-11s %6s %7s %7s %5s %6s %7s", p.c.T("pages.workspace.diary.col.night"), p.c.T("pages.workspace.diary.col.bed"), p.c.T("pages.workspace.diary.col.up"), p.c.T("pages.workspace.diary.col.in_bed"), p.c.T("pages.workspace.diary.col.se"), p.c.T("pages.workspace.diary.col.wakes"), p.c.T("pages.workspace.diary.col.quality"))) + "\n")
	for i := len(nights) - 1; i >= 0 && i >= len(nights)-7; i-- {
		n := nights[i]
		var f map[string]string
		for _, d := range entries {
			if d.Date == n.Date {
				f = d.Fields
			}
		}
		q := "-"
		if n.Quality > 0 {
			q = fmt.Sprintf("%d/5", n.Quality)
		}
		b.WriteString(fmt.Sprintf("%-11s %6s %7s %7s %4s%% %6d %7s\n", p.isoDate(n.Date), f[programs.SleepBedTime], f[programs.SleepOutOfBed], hm(n.TimeInBed), p.c.Number(n.Efficiency, 0), n.Awakenings, q))
	}
	for _, s := range bad {
		b.WriteString(st.Warn.Render(common.Truncate(p.c.T("pages.workspace.diary.could_not", "What", s), w)) + "\n")
	}
	return b.String()
}

func (p *Page) notesContent() string {
	st := p.c.Styles
	w := p.content.Width
	if len(p.rec.Notes) == 0 {
		return st.Subtle.Render(p.c.T("pages.workspace.notes.none"))
	}
	var b strings.Builder
	for _, n := range p.rec.Notes {
		who := p.rec.Therapists[n.TherapistID].Name
		b.WriteString(st.Accent.Render(who) + st.Faint.Render(" · "+p.c.When(n.CreatedAt)) + "\n")
		b.WriteString(st.Quote.Render(common.Wrap(n.Body, w-4)) + "\n\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

type event struct {
	at   time.Time
	kind string
	text string
}

func (p *Page) timelineContent() string {
	st := p.c.Styles
	w := p.content.Width
	rec := p.rec
	var evs []event
	add := func(at time.Time, kind, text string) { evs = append(evs, event{at, kind, text}) }
	for _, r := range rec.Referrals {
		add(r.ReceivedAt, "referral", p.c.T("pages.workspace.timeline.referral", "Unit", r.ReferringUnit, "Program", r.RequestedProgram, "Status", p.c.T("pages.workspace.referral_status."+r.Status)))
	}
	for _, e := range rec.Enrollments {
		title := sanitize.Line(e.ProgramID)
		if pr := rec.Programs[e.ProgramVersionID]; pr != nil {
			title = pr.Title
		}
		add(e.CreatedAt, "enrolled", p.c.T("pages.workspace.timeline.enrolled", "Program", title, "Start", p.isoDate(e.StartDate), "End", p.isoDate(e.PlannedEnd), "Therapist", rec.Therapists[e.TherapistID].Name, "Status", p.c.T("pages.workspace.status."+e.Status)))
	}
	for _, r := range p.subs {
		add(r.sub.SubmittedAt, "submitted", r.title())
	}
	for _, f := range rec.Feedback {
		title := f.SubmissionID
		if r, ok := p.subByID(f.SubmissionID); ok {
			title = r.title()
		}
		add(f.SentAt, "feedback", p.c.T("pages.workspace.timeline.feedback", "Exercise", title, "Therapist", rec.Therapists[f.TherapistID].Name))
	}
	for _, m := range rec.Messages {
		kind := "message_in"
		if m.Direction == store.DirectionOut {
			kind = "message_out"
		}
		add(m.SentAt, kind, firstLine(m.Body))
	}
	for _, m := range rec.Measures {
		name := sanitize.Line(m.InstrumentID)
		band := ""
		if in := p.inst[instKey(m.InstrumentID, m.InstrumentVersion)]; in != nil {
			name, band = p.c.Scales.Named(common.ScaleOf(in).Name).Long(), " "+in.Band(m.Total)
		}
		add(m.AnsweredAt, "score", p.c.T("pages.workspace.timeline.score", "Scale", name, "Total", m.Total, "Band", band, "Week", m.Week))
	}
	if n := len(rec.Diary); n > 0 {
		add(rec.Diary[n-1].RecordedAt, "diary", p.c.T("pages.workspace.timeline.diary", "Count", n, "Date", p.isoDate(rec.Diary[n-1].Date)))
	}
	for _, n := range rec.Notes {
		add(n.CreatedAt, "note", firstLine(n.Body))
	}
	for _, m := range rec.GroupMessages {
		add(m.SentAt, "group_msg", p.c.T("pages.workspace.timeline.group_msg", "Text", firstLine(m.Body)))
	}
	for _, gp := range rec.GroupPosts {
		add(gp.PostedAt, "group_post", "("+p.c.T("pages.moderation.status."+gp.Status)+") "+firstLine(gp.Body))
	}
	for _, a := range rec.RiskAcks {
		text := ackdialog.ActionLabelIn(p.c.Printer(), a.Action) + " (" + rec.Therapists[a.TherapistID].Name + ")"
		if a.Comment != "" {
			text += ": " + firstLine(a.Comment)
		}
		add(a.AckedAt, "risk_ack", text)
	}
	name := func(id string) string {
		if t, ok := rec.Therapists[id]; ok && t.Name != "" {
			return t.Name
		}
		return id
	}
	for _, ev := range rec.Events {
		add(ev.At, "course", sanitize.Line(store.RenderMessage(p.c.Printer(), store.DescribeEventMsg(ev, name))))
	}
	for _, sm := range rec.Summaries {
		text := p.c.T("pages.workspace.timeline.summary", "Therapist", name(sm.TherapistID))
		if sm.Supersedes != "" {
			text += " " + p.c.T("pages.workspace.timeline.summary_corrects")
		}
		add(sm.SignedAt, "summary", text+": "+sanitize.Line(firstLine(sm.Body)))
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.After(evs[j].at) })
	// The columns are as wide as their longest entry in this language.
	kindW, whenW := 12, 13
	for _, e := range evs {
		kindW = max(kindW, ansi.StringWidth(p.c.T("pages.workspace.timeline.kind."+e.kind))+1)
		whenW = max(whenW, ansi.StringWidth(p.c.When(e.at))+1)
	}
	var b strings.Builder
	for _, e := range evs {
		label := p.c.T("pages.workspace.timeline.kind." + e.kind)
		kind := st.Subtle.Render(common.Pad(label, kindW))
		if e.kind == "risk_ack" {
			kind = st.OK.Render(common.Pad(label, kindW))
		}
		line := st.Faint.Render(common.Pad(p.c.When(e.at), whenW)) + " " + kind + " " + e.text
		b.WriteString(common.Truncate(line, w) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// basedOn says how many of the week's nights (so far) the figures rest on.
func (p *Page) basedOn(w programs.SleepWeek) string {
	return p.c.T("pages.workspace.diary.based_on", "Nights", w.Nights, "Count", w.Nights+w.Missing)
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}
