package demo

import (
	"context"
	"time"

	"polku/store"
)

// The course of the demo's treatments: completed ones with their end date,
// follow-up date and (some) follow-up answers, discontinued ones with a
// reason, some paused and some transferred between therapists of a team;
// and the demo therapist's latest finished treatments with signed
// discharge summaries (docs/clinical.md, "The course of a treatment").

// course adds the patient's course events; it draws from the patient's
// own random source after everything else, so the rest of the store is as
// it was without it.
func (g *gen) course(pp *patientPlan) {
	rng, e, def := pp.rng, pp.enroll, pp.prog.def
	day := func(t time.Time) string { return t.In(g.loc).Format(time.DateOnly) }
	event := func(kind string, at time.Time, actor string) *store.EnrollmentEvent {
		ev := &store.EnrollmentEvent{ID: g.id(at), EnrollmentID: e.ID, PatientID: e.PatientID, Kind: kind, At: at, Date: day(at), ActorID: actor}
		e.Version++
		if at.After(e.UpdatedAt) {
			e.UpdatedAt = at
		}
		return ev
	}
	switch e.Status {
	case store.EnrollmentCompleted:
		at := minTime(pp.horizon.Add(10*time.Hour), g.now.Add(-time.Hour))
		ev := event(store.CourseComplete, at, pp.therapist.ID)
		e.EndedOn = ev.Date
		if def.FollowUpWeeks > 0 {
			ended, _ := time.ParseInLocation(time.DateOnly, e.EndedOn, g.loc)
			due := ended.AddDate(0, 0, 7*def.FollowUpWeeks)
			e.FollowUpDue = due.Format(time.DateOnly)
			pp.records = append(pp.records, ev)
			// A third of the follow-ups that are due have been answered
			// (two of the demo therapist's, one of them a relapse).
			demo := pp.therapist.Handle == DemoHandle && g.demoFollowUps < 2
			if answered := due.AddDate(0, 0, rng.IntN(6)).Add(18 * time.Hour); answered.Before(g.now) && (rng.IntN(3) == 0 || demo) {
				if demo {
					g.demoFollowUps++
				}
				g.followUp(pp, answered, demo && g.demoFollowUps == 1)
			}
			return
		}
		pp.records = append(pp.records, ev)
	case store.EnrollmentDiscontinued:
		at := minTime(pp.horizon.AddDate(0, 0, 3+rng.IntN(5)).Add(11*time.Hour), g.now.Add(-time.Hour))
		ev := event(store.CourseDiscontinue, at, pp.therapist.ID)
		ev.ReasonCode = store.DiscontinueReasons[rng.IntN(len(store.DiscontinueReasons)-1)]
		if pp.horizon.Before(pp.start.AddDate(0, 0, 10)) && rng.IntN(2) == 0 {
			ev.ReasonCode = store.EndDidNotStart
		}
		ev.Reason = texts(pp.therapistLang()).discontinue[ev.ReasonCode]
		e.EndedOn = ev.Date
		pp.records = append(pp.records, ev)
	case store.EnrollmentActive:
		demo := pp.therapist.Handle == DemoHandle
		safe := !pp.riskNow && !pp.riskMsg
		switch {
		case pp.kind == inactive && safe && (rng.IntN(3) == 0 || (demo && g.demoPaused == 0)) && pp.horizon.AddDate(0, 0, 2).Before(g.now):
			// Paused two days after the last activity: the queue shows no
			// inactivity for it.
			if demo {
				g.demoPaused++
			}
			at := pp.horizon.AddDate(0, 0, 2)
			ev := event(store.CoursePause, at, pp.therapist.ID)
			pause := texts(pp.therapistLang()).pause
			ev.Reason = pause[rng.IntN(len(pause))]
			e.PausedSince = &at
			pp.records = append(pp.records, ev)
		case safe && (rng.IntN(40) == 0 || (demo && g.demoMoved < 2)) && g.today.Sub(pp.start) > 14*24*time.Hour:
			// Taken over from a colleague of the team.
			from := g.colleague(pp.therapist, rng.IntN(7))
			if from.ID == "" {
				return
			}
			if demo {
				g.demoMoved++
			}
			at := pp.start.AddDate(0, 0, 7+rng.IntN(5)).Add(13 * time.Hour)
			ev := event(store.CourseTransfer, at, g.supervisorOf(pp.therapist))
			ev.FromTherapist, ev.ToTherapist, ev.Reason = from.ID, pp.therapist.ID, texts(pp.therapistLang()).transfer
			beforeTransfer(pp.records, at, from.ID)
			// Written right after the enrollment: the checks of what
			// follows read who was assigned when from it.
			pp.records = afterEnrollment(pp.records, e, ev)
		}
	}
}

// colleague is another therapist of th's team (the n-th, round).
func (g *gen) colleague(th store.Therapist, n int) store.Therapist {
	var team []store.Therapist
	for _, t := range g.therapists {
		if t.Team == th.Team && t.ID != th.ID {
			team = append(team, t)
		}
	}
	if len(team) == 0 {
		return store.Therapist{}
	}
	return team[n%len(team)]
}

// supervisorOf is the id of the supervisor of th's team.
func (g *gen) supervisorOf(th store.Therapist) string {
	if id, ok := g.supervisors[th.Team]; ok {
		return id
	}
	return "system"
}

// followUp adds the follow-up answers of a completed treatment: each
// scheduled instrument once more, near the last score (a few relapse).
func (g *gen) followUp(pp *patientPlan, at time.Time, relapse bool) {
	rng, e, def := pp.rng, pp.enroll, pp.prog.def
	last := map[string]int{}
	for _, r := range pp.records {
		if m, ok := r.(*store.MeasureResponse); ok {
			last[m.InstrumentID] = m.Total
		}
	}
	relapse = relapse || rng.IntN(4) == 0
	for i, s := range def.Schedule {
		in := g.instruments[s.Instrument]
		end, ok := last[s.Instrument]
		if !ok {
			continue
		}
		_, hi, _ := in.Range()
		total := end + rng.IntN(5) - 2
		if relapse {
			total = end + hi/4 + rng.IntN(3)
		}
		answers := spread(rng, in, clampInt(total, 0, hi), 0)
		sum := 0
		for _, a := range answers {
			sum += a
		}
		t := at.Add(time.Duration(i) * 4 * time.Minute)
		pp.records = append(pp.records, &store.MeasureResponse{ID: g.id(t), EnrollmentID: e.ID, PatientID: e.PatientID, InstrumentID: in.ID,
			InstrumentVersion: in.Version, Week: def.Weeks + def.FollowUpWeeks, Answers: answers, Total: sum, AnsweredAt: t})
	}
}

// signSummaries signs the discharge summaries of the demo therapist's
// latest finished treatments, as the therapist would after editing the
// draft.
func (g *gen) signSummaries(ctx context.Context) error {
	th, err := g.db.TherapistByHandle(ctx, DemoHandle)
	if err != nil {
		return err
	}
	actor := store.ActorFor(th, "demo")
	rows, err := g.db.Reader().QueryContext(ctx, `SELECT id FROM enrollments WHERE therapist_id = ? AND status IN ('completed', 'discontinued')
		ORDER BY ended_on DESC, id LIMIT 6`, th.ID)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		d, err := g.db.SummaryDraft(ctx, actor, id)
		if err != nil {
			return err
		}
		body := d.Body + texts(therapistLanguage(th)).summaryComment
		if _, err := g.db.SignSummary(ctx, actor, id, body); err != nil {
			return err
		}
		g.sum.SignedSummaries++
	}
	return nil
}

// beforeTransfer gives what the therapist did before a transfer to the
// colleague who had the patient then: a go-ahead or an acknowledgement is
// only the assigned therapist's to give (docs/clinical.md), and feedback
// and messages read the same way.
func beforeTransfer(records []any, at time.Time, from string) {
	for _, rec := range records {
		switch r := rec.(type) {
		case *store.Feedback:
			if r.SentAt.Before(at) {
				r.TherapistID = from
			}
		case *store.Message:
			if r.Direction == store.DirectionOut && r.SentAt.Before(at) {
				r.TherapistID = from
			}
		case *store.GoAhead:
			if r.DecidedAt.Before(at) {
				r.TherapistID = from
			}
		case *store.RiskAck:
			if r.AckedAt.Before(at) {
				r.TherapistID = from
			}
		}
	}
}

// afterEnrollment puts rec right after the enrollment e in records (at the
// end when e is not there).
func afterEnrollment(records []any, e *store.Enrollment, rec any) []any {
	for i, r := range records {
		if r == any(e) {
			return append(records[:i+1], append([]any{rec}, records[i+1:]...)...)
		}
	}
	return append(records, rec)
}
