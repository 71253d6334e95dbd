package workspace

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/components/coursedialog"
	"polku/tui/components/editor"
)

// mayChangeCourse: the assigned therapist in their own workspace, a
// supervisor in the team's read-only view.
func (p *Page) mayChangeCourse() bool {
	return !p.readOnly || p.c.Actor.Role == store.RoleSupervisor
}

// teamMsg carries the team's therapists for a supervisor's transfer.
type teamMsg struct {
	list []store.Therapist
	err  error
}

// openCourse opens the course dialog on the current enrollment (for a
// supervisor after loading the team to transfer to).
func (p *Page) openCourse() tea.Cmd {
	e, _ := p.current()
	switch {
	case e == nil:
		return common.Status(p.c.T("pages.workspace.course.none"))
	case e.Finished():
		return common.Status(p.c.T("pages.workspace.course.finished", "Status", p.c.T("pages.workspace.status."+e.Status), "Date", p.isoDate(e.EndedOn)))
	}
	if p.c.Actor.Role != store.RoleSupervisor {
		p.course = coursedialog.New(p.c, p.id, p.name, *e, nil)
		p.layout()
		return nil
	}
	st, ctx := p.c.Store, p.c.Ctx
	return common.ToPage(p.id, func() tea.Msg {
		all, err := st.Therapists(ctx)
		return teamMsg{list: all, err: err}
	})
}

func (p *Page) onTeam(msg teamMsg) tea.Cmd {
	if msg.err != nil {
		return common.Error(fmt.Errorf("%s: %w", p.c.T("pages.workspace.course.error_team"), msg.err))
	}
	e, _ := p.current()
	if e == nil || e.Finished() {
		return nil
	}
	to := []store.Therapist{}
	for _, t := range msg.list {
		if t.Team == p.c.Actor.Team && t.ID != e.TherapistID && t.Role == store.RoleTherapist {
			to = append(to, t)
		}
	}
	p.course = coursedialog.New(p.c, p.id, p.name, *e, to)
	p.layout()
	return nil
}

func (p *Page) onCourseDone(msg coursedialog.DoneMsg) tea.Cmd {
	if p.course == nil {
		return nil
	}
	switch {
	case msg.Err != nil && coursedialog.Conflict(msg.Err):
		// Keep the dialog and what was typed; reload and say what changed.
		p.courseConflict = true
		return p.load("workspace (after a course conflict)")
	case msg.Err != nil:
		p.course.Refused(msg.Err)
		return nil
	case !msg.Changed:
		p.course = nil
		p.layout()
		return nil
	}
	p.course = nil
	p.layout()
	pid := p.patientID
	cmds := []tea.Cmd{p.load("workspace (after a course step)"),
		func() tea.Msg { return common.SentMsg{What: "course", PatientID: pid} },
		func() tea.Msg { return common.ReloadQueueMsg{} }}
	text := p.c.T("pages.workspace.course.done." + describeKind(msg.Kind))
	if msg.Kind == store.CourseComplete || msg.Kind == store.CourseDiscontinue {
		if p.readOnly {
			// A supervisor's view: the draft is the assigned therapist's.
			text += " " + p.c.T("pages.workspace.course.summary_by_therapist")
		} else {
			text += " " + p.c.T("pages.workspace.course.summary_open")
			cmds = append(cmds, p.openSummary(msg.Result.Enrollment.ID))
		}
	}
	return tea.Batch(append(cmds, common.Status(text))...)
}

func describeKind(kind string) string {
	switch kind {
	case store.CourseExtend:
		return "extended"
	case store.CoursePause:
		return "paused"
	case store.CourseResume:
		return "resumed"
	case store.CourseComplete:
		return "completed"
	case store.CourseDiscontinue:
		return "discontinued"
	case store.CourseTransfer:
		return "transferred"
	}
	return kind
}

// courseReloaded tells the dialog what changed once the record is
// reloaded after a conflict.
func (p *Page) courseReloaded() {
	if p.course == nil || !p.courseConflict {
		return
	}
	p.courseConflict = false
	for _, e := range p.rec.Enrollments {
		if e.ID == p.course.Enrollment().ID {
			p.course.Reloaded(e, func(id string) string { return p.rec.Therapists[id].Name })
			return
		}
	}
}

// summaryMsg carries the discharge summary draft opened or made.
type summaryMsg struct {
	draft store.Draft
	err   error
}

// summaryTarget is the enrollment whose summary S opens: the newest
// finished one.
func (p *Page) summaryTarget() *store.Enrollment {
	if p.rec == nil {
		return nil
	}
	for i := len(p.rec.Enrollments) - 1; i >= 0; i-- {
		if e := &p.rec.Enrollments[i]; e.Finished() {
			return e
		}
	}
	return nil
}

// openSummary opens (making it when there is none) the actor's discharge
// summary draft of an enrollment.
func (p *Page) openSummary(enrollmentID string) tea.Cmd {
	st, actor, ctx, lang := p.c.Store, p.c.Actor, p.c.Ctx, p.c.Printer().Lang()
	return common.ToPage(p.id, p.c.Write(func() tea.Msg {
		d, err := st.SummaryDraftIn(ctx, actor, enrollmentID, lang)
		return summaryMsg{draft: d, err: err}
	}))
}

func (p *Page) onSummary(msg summaryMsg) tea.Cmd {
	if msg.err != nil {
		return common.Error(fmt.Errorf("%s: %w", p.c.T("pages.workspace.course.error_summary"), msg.err))
	}
	if p.rec == nil {
		return nil
	}
	if p.draftFor(store.DraftSummary, msg.draft.TargetID) == nil {
		p.rec.Drafts = append(p.rec.Drafts, msg.draft)
	}
	p.summaryOf = msg.draft.TargetID
	e := p.ensureEditor(store.DraftSummary, msg.draft.TargetID)
	if e == nil {
		return nil
	}
	cmd := p.switchTab(TabTimeline)
	e.Focus()
	p.layout()
	return cmd
}

// summarySend signs the discharge summary of an enrollment.
func (p *Page) summarySend(enrollmentID string) editor.SendFunc {
	st, actor := p.c.Store, p.c.Actor
	return func(ctx context.Context, body, _ string) (string, error) {
		s, err := st.SignSummary(ctx, actor, enrollmentID, body)
		return s.ID, err
	}
}
