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
	b := texts(therapistLanguage(th)) // the demo therapist's group: members who speak the therapist's language
	start := g.today.AddDate(0, 0, -15)
	pi := g.progs["depression"]
	c := store.Cohort{Name: b.cohort, ProgramVersionID: pi.pv.ID, ProgramID: pi.pv.ProgramID, StartDate: start.Format(time.DateOnly),
		Capacity: 10, TherapistIDs: []string{th.ID}, CreatedAt: start.Add(-7 * 24 * time.Hour)}
	c, err := db.CreateCohort(ctx, sys, c)
	if err != nil {
		return err
	}
	gr, err := db.CreatePeerGroup(ctx, sys, store.PeerGroup{Name: b.peerGroup, CohortID: c.ID, CreatedAt: start})
	if err != nil {
		return err
	}
	aliases, posts := b.aliases, b.posts
	for i := 0; i < n; i++ {
		at := start.Add(-time.Duration(8-i) * time.Hour)
		p, err := db.AddPatient(ctx, sys, store.Patient{Pseudonym: fmt.Sprintf("SYN-G%04d", i+1), DisplayName: firstNames[therapistLanguage(th)][(i*7)%len(firstNames[therapistLanguage(th)])] + " " + lastInitials[i%len(lastInitials)] + ".",
			BirthDate: g.today.AddDate(-25-i*4, 0, 0).Format(time.DateOnly), Language: therapistLanguage(th), Synthetic: true, CreatedAt: at})
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
		Body: b.groupMessage}); err != nil {
		return err
	}
	if g.cfg.Progress != nil {
		g.cfg.Progress(g.cfg.Patients, g.cfg.Patients)
	}
	return nil
}
