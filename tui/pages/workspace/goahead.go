package workspace

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/components/goaheaddialog"
)

// screenings are the go-aheads of the current enrollment whose screening
// the patient has submitted, with the newest answer and the decision that
// stands (docs/clinical.md, "Go-ahead").
func (p *Page) screenings() (string, []goaheaddialog.Screening) {
	if p.rec == nil {
		return "", nil
	}
	e, def := p.rec.Current()
	if e == nil || def == nil {
		return "", nil
	}
	var out []goaheaddialog.Screening
	for _, g := range def.GoAhead {
		_, ex, ok := def.Exercise(g.Screening)
		if !ok {
			continue
		}
		var sub *store.Submission
		for i, s := range p.rec.Submissions {
			if s.EnrollmentID == e.ID && s.ExerciseID == g.Screening && (sub == nil || !s.SubmittedAt.Before(sub.SubmittedAt)) {
				sub = &p.rec.Submissions[i]
			}
		}
		if sub == nil {
			continue
		}
		sc := goaheaddialog.Screening{GoAhead: g, Exercise: *ex, Submission: *sub}
		for i, d := range p.rec.GoAheads {
			if d.EnrollmentID == e.ID && d.GoAheadID == g.ID && (sc.Standing == nil || !d.DecidedAt.Before(sc.Standing.DecidedAt)) {
				sc.Standing = &p.rec.GoAheads[i]
			}
		}
		out = append(out, sc)
	}
	return e.ID, out
}

// goAheadPending says a screening waits for the therapist's decision: none
// is recorded since its newest answer.
func (p *Page) goAheadPending() bool {
	_, scs := p.screenings()
	for _, sc := range scs {
		if sc.Standing == nil || sc.Standing.DecidedAt.Before(sc.Submission.SubmittedAt) {
			return true
		}
	}
	return false
}

// openGoAhead opens the go-ahead dialog, or says why there is nothing to
// decide.
func (p *Page) openGoAhead() tea.Cmd {
	_, def := p.rec.Current()
	eid, scs := p.screenings()
	switch {
	case def == nil || len(def.GoAhead) == 0:
		return common.Status(p.c.T("pages.workspace.goahead.none"))
	case len(scs) == 0:
		g := def.GoAhead[0]
		title := g.Screening
		if _, ex, ok := def.Exercise(g.Screening); ok {
			title = ex.Title
		}
		return common.Status(p.c.T("pages.workspace.goahead.not_submitted", "Exercise", title))
	}
	// The pending one first.
	for i, sc := range scs {
		if sc.Standing == nil || sc.Standing.DecidedAt.Before(sc.Submission.SubmittedAt) {
			scs[0], scs[i] = scs[i], scs[0]
			break
		}
	}
	p.goAhead = goaheaddialog.New(p.c, p.id, p.patientID, eid, p.name, scs)
	p.layout()
	return nil
}

func (p *Page) onGoAheadDone(msg goaheaddialog.DoneMsg) tea.Cmd {
	p.goAhead = nil
	p.layout()
	if msg.Err != nil {
		return common.Error(fmt.Errorf("%s: %w", p.c.T("pages.workspace.goahead.error"), msg.Err))
	}
	if !msg.Recorded {
		return nil
	}
	text := p.c.T("pages.workspace.goahead.recorded")
	if msg.Decision == store.GoAheadNotSuitable {
		text = p.c.T("pages.workspace.goahead.not_suitable")
	}
	return tea.Batch(common.Status(text), p.load("workspace (after go-ahead)"),
		func() tea.Msg { return common.SentMsg{What: "go-ahead", PatientID: p.patientID} })
}
