package demo

import (
	"fmt"
	"time"

	"polku/store"
)

// cohortSize is how many of the demo's patients are in its cohort: eight
// of a demo of 100 or more, none in a smaller one (the patients counted
// by --patients include them).
func cohortSize(patients int) int {
	if patients < 100 {
		return 0
	}
	return 8
}

// groups adds the demo's group program: one cohort of the demo therapist
// in its third week, with eight synthetic members, a peer group five of
// them joined under aliases, a group message and a few posts (one
// approved, the rest waiting for moderation), so that the workbench's
// cohort view and moderation queue have something to show.
func (g *gen) groups() error {
	n := cohortSize(g.cfg.Patients)
	if len(g.therapists) == 0 || n == 0 {
		return nil
	}
	ctx, db, sys := g.ctx, g.db, store.System("demo")
	th := g.therapists[0]
	start := g.today.AddDate(0, 0, -15)
	pi := g.progs["depression"]
	c := store.Cohort{Name: "Spring group", ProgramVersionID: pi.pv.ID, ProgramID: pi.pv.ProgramID, StartDate: start.Format(time.DateOnly),
		Capacity: 10, TherapistIDs: []string{th.ID}, CreatedAt: start.Add(-7 * 24 * time.Hour)}
	c, err := db.CreateCohort(ctx, sys, c)
	if err != nil {
		return err
	}
	gr, err := db.CreatePeerGroup(ctx, sys, store.PeerGroup{Name: "Spring group peers", CohortID: c.ID, CreatedAt: start})
	if err != nil {
		return err
	}
	aliases := []string{"Sunflower", "Northwind", "Pinecone", "Harbour", "Quietfox"}
	posts := []string{
		"Hi all. The activity diary felt silly at first but I did go for two walks this week.",
		"Does anyone else find mornings the hardest? I set small goals the night before and it helps a bit.",
		"I skipped the exercise this week, work was too much. Trying again now.",
		"Thank you for the tips about sleep, I tried the wind-down hour.",
	}
	for i := 0; i < n; i++ {
		at := start.Add(-time.Duration(8-i) * time.Hour)
		p, err := db.AddPatient(ctx, sys, store.Patient{Pseudonym: fmt.Sprintf("SYN-G%04d", i+1), DisplayName: firstNamesFI[(i*7)%len(firstNamesFI)] + " " + lastInitials[i%len(lastInitials)] + ".",
			BirthDate: g.today.AddDate(-25-i*4, 0, 0).Format(time.DateOnly), Language: "fi", Synthetic: true, CreatedAt: at})
		if err != nil {
			return err
		}
		op, err := db.CohortEnrollment(ctx, c, p.ID, "")
		if err != nil {
			return err
		}
		op.Enrollment.UnlockedModules = min(3, len(pi.def.Modules))
		if err := db.Apply(ctx, sys, op); err != nil {
			return err
		}
		g.sum.Patients++
		if i >= len(aliases) {
			continue
		}
		code, _, err := db.IssueGroupCode(ctx, sys, gr.ID)
		if err != nil {
			return err
		}
		pa := store.Actor{ID: "patient:" + p.ID, Handle: "patient", Role: "patient", Device: "demo"}
		now := db.Now()
		if err := db.Apply(ctx, pa, store.JoinGroupOp{Member: store.GroupMember{ID: db.NewID(now), PatientID: p.ID, Alias: aliases[i], JoinedAt: now},
			CodeHash: store.HashGroupCode(code)}); err != nil {
			return err
		}
		if i >= len(posts) {
			continue
		}
		post := store.GroupPost{ID: db.NewID(now), GroupID: gr.ID, PatientID: p.ID, Body: posts[i], PostedAt: now.Add(-time.Duration(len(posts)-i) * time.Hour)}
		if err := db.Apply(ctx, pa, store.AddGroupPostOp{Post: post}); err != nil {
			return err
		}
		if i == 0 {
			d := store.PostDecision{ID: db.NewID(now), PostID: post.ID, TherapistID: th.ID, Action: store.ModApprove, DecidedAt: now}
			if err := db.Apply(ctx, sys, store.ModeratePostOp{Decision: d, Version: 1}); err != nil {
				return err
			}
		}
	}
	if _, err = db.SendGroupMessage(ctx, sys, store.GroupMessage{CohortID: c.ID, TherapistID: th.ID,
		Body: "Welcome to week 3. This week's module is about noticing thoughts: take your time with the worksheet."}); err != nil {
		return err
	}
	if g.cfg.Progress != nil {
		g.cfg.Progress(g.cfg.Patients, g.cfg.Patients)
	}
	return nil
}
