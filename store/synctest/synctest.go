// Package synctest makes synthetic server stores for the sync tests,
// benchmarks and 'polku simulate': therapists with patients on the
// built-in programs and weeks of history (submissions, feedback, messages,
// measures, notes), written in one import.
package synctest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"polku/programs"
	"polku/programs/builtin"
	"polku/store"
	"polku/store/demo"
)

// Spec says what to make.
type Spec struct {
	Team        string // default "north"
	Prefix      string // therapist handles are Prefix + number (default "t")
	Therapists  int
	PatientsPer int
	Weeks       int  // weeks of history per patient (default 12)
	Supervisor  bool // add a supervisor "sup-<team>" of the team
	Seed        uint64
}

// Fixture is what Populate made.
type Fixture struct {
	Therapists  []store.Therapist
	Supervisor  store.Therapist
	Patients    map[string][]store.Patient    // by therapist id
	Enrollments map[string]store.Enrollment   // by patient id
	Submissions map[string][]store.Submission // by patient id
	Program     *programs.Program
	Records     int
}

var sys = store.System("synctest")

// EnsurePrograms imports the built-in programs if the store has none.
func EnsurePrograms(ctx context.Context, db *store.DB) error {
	if pvs, err := db.ProgramVersions(ctx); err == nil && len(pvs) > 0 {
		return nil
	}
	b, err := builtin.Load()
	if err != nil {
		return err
	}
	_, err = db.ImportPrograms(ctx, sys, b, false)
	return err
}

// Populate writes the spec's accounts and patients into db.
func Populate(ctx context.Context, db *store.DB, spec Spec) (*Fixture, error) {
	if spec.Team == "" {
		spec.Team = "north"
	}
	if spec.Prefix == "" {
		spec.Prefix = "t"
	}
	if spec.Weeks == 0 {
		spec.Weeks = 12
	}
	if err := EnsurePrograms(ctx, db); err != nil {
		return nil, err
	}
	pv, err := db.ProgramVersion(ctx, "gad", 0)
	if err != nil {
		return nil, err
	}
	prog, err := db.ProgramDef(ctx, pv.ID)
	if err != nil {
		return nil, err
	}
	instruments := map[string]int{}
	for _, id := range []string{"phq9", "gad7"} {
		in, err := db.InstrumentDef(ctx, id, 0)
		if err != nil {
			return nil, err
		}
		instruments[id] = len(in.Items)
	}
	rnd := rand.New(rand.NewPCG(spec.Seed, spec.Seed^0x9e3779b97f4a7c15))
	f := &Fixture{Patients: map[string][]store.Patient{}, Enrollments: map[string]store.Enrollment{},
		Submissions: map[string][]store.Submission{}, Program: prog}
	now := db.Now()
	var recs []any
	addRec := func(r any) { recs = append(recs, r) }
	mkTherapist := func(handle, role string) store.Therapist {
		t := store.Therapist{ID: db.NewID(now), Handle: handle, Name: "Synthetic " + handle, Role: role, Team: spec.Team,
			Languages: []string{"fi", "en"}, Capacity: 120, CreatedAt: now, UpdatedAt: now, Version: 1}
		addRec(&t)
		return t
	}
	for i := range spec.Therapists {
		f.Therapists = append(f.Therapists, mkTherapist(fmt.Sprintf("%s%03d", spec.Prefix, i+1), store.RoleTherapist))
	}
	if spec.Supervisor {
		f.Supervisor = mkTherapist("sup-"+spec.Team, store.RoleSupervisor)
	}
	var exercises []struct {
		module string
		ex     *programs.Exercise
	}
	for mi := range prog.Modules {
		m := &prog.Modules[mi]
		for ei := range m.Exercises {
			ex := &m.Exercises[ei]
			if ex.Kind == programs.KindReflection || ex.Kind == programs.KindWorksheet {
				exercises = append(exercises, struct {
					module string
					ex     *programs.Exercise
				}{m.ID, ex})
			}
		}
	}
	n := 0
	for _, th := range f.Therapists {
		for range spec.PatientsPer {
			n++
			start := now.AddDate(0, 0, -7*spec.Weeks).Add(-time.Duration(rnd.IntN(48)) * time.Hour)
			p := store.Patient{ID: db.NewID(start), Pseudonym: fmt.Sprintf("S-%s-%05d", spec.Prefix, n), DisplayName: fmt.Sprintf("Synthetic %s %d", spec.Prefix, n),
				BirthDate: fmt.Sprintf("%d-0%d-1%d", 1960+rnd.IntN(45), 1+rnd.IntN(9), rnd.IntN(9)), Language: "fi", Synthetic: true,
				CreatedAt: start, UpdatedAt: start, Version: 1}
			ref := store.Referral{ID: db.NewID(start), PatientID: p.ID, ReceivedAt: start, ReferringUnit: "Synthetic health centre",
				RequestedProgram: "gad", Status: store.ReferralEnrolled, UpdatedAt: start, Version: 1}
			e := store.Enrollment{ID: db.NewID(start), PatientID: p.ID, ReferralID: ref.ID, ProgramVersionID: pv.ID, ProgramID: prog.ID,
				TherapistID: th.ID, Status: store.EnrollmentActive, StartDate: start.Format(time.DateOnly),
				PlannedEnd: start.AddDate(0, 0, 7*prog.Weeks).Format(time.DateOnly), UnlockedModules: min(len(prog.Modules), spec.Weeks/2+1),
				CreatedAt: start, UpdatedAt: start, Version: 1}
			addRec(&p)
			addRec(&ref)
			addRec(&e)
			f.Patients[th.ID] = append(f.Patients[th.ID], p)
			f.Enrollments[p.ID] = e
			for w := range spec.Weeks {
				day := start.AddDate(0, 0, 7*w)
				for id, items := range instruments {
					answers := make([]int, items)
					for k := range answers {
						if id == "phq9" && k == 8 {
							continue
						}
						answers[k] = rnd.IntN(3)
					}
					at := day.Add(time.Duration(rnd.IntN(24*60)) * time.Minute)
					addRec(&store.MeasureResponse{ID: db.NewID(at), EnrollmentID: e.ID, PatientID: p.ID, InstrumentID: id, InstrumentVersion: 1,
						Week: w, Answers: answers, AnsweredAt: at})
				}
				for k := range 3 {
					x := exercises[(3*w+k)%len(exercises)]
					at := day.Add(time.Duration(24+rnd.IntN(72)) * time.Hour)
					s := store.Submission{ID: db.NewID(at), EnrollmentID: e.ID, PatientID: p.ID, ModuleID: x.module, ExerciseID: x.ex.ID,
						SubmittedAt: at, Answers: Answers(x.ex, rnd)}
					addRec(&s)
					f.Submissions[p.ID] = append(f.Submissions[p.ID], s)
					if w < spec.Weeks-1 || k == 0 {
						fat := at.Add(time.Duration(2+rnd.IntN(30)) * time.Hour)
						addRec(&store.Feedback{ID: db.NewID(fat), SubmissionID: s.ID, EnrollmentID: e.ID, PatientID: p.ID, TherapistID: th.ID,
							Body: Text(rnd, 3), SentAt: fat, ReadAt: &fat})
					}
				}
				for k := range 2 {
					at := day.Add(time.Duration(rnd.IntN(7*24)) * time.Hour)
					m := store.Message{ID: db.NewID(at), EnrollmentID: e.ID, PatientID: p.ID, Direction: store.DirectionIn, Body: Text(rnd, 2), SentAt: at}
					if k == 1 {
						m.Direction, m.TherapistID = store.DirectionOut, th.ID
					}
					if w < spec.Weeks-1 {
						m.ReadAt = &at
					}
					addRec(&m)
				}
				if w%4 == 3 {
					at := day.Add(100 * time.Hour)
					addRec(&store.Note{ID: db.NewID(at), PatientID: p.ID, TherapistID: th.ID, Body: Text(rnd, 2), CreatedAt: at})
				}
			}
		}
	}
	sum, err := db.ImportRecords(ctx, sys, func(yield func(any) bool) {
		for _, r := range recs {
			if !yield(r) {
				return
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for _, c := range sum.Added {
		f.Records += c
	}
	return f, nil
}

// Answers fills an exercise with synthetic answers: the demo's generator.
func Answers(ex *programs.Exercise, rnd *rand.Rand) map[string]string { return demo.Answers(rnd, ex) }

var sentences = []string{
	"This week I noticed the worry started mostly in the evenings.",
	"I tried postponing the worry to a fixed time and it helped a little.",
	"Work has been busy and I slept badly on two nights.",
	"I went for a walk every morning, as we planned.",
	"Writing things down made the thoughts feel smaller.",
	"I was not sure how to fill in the second column of the worksheet.",
	"Thank you for the feedback last week, it was encouraging.",
	"Good work on keeping the worry log every day.",
	"Notice how the predicted outcome compared with what really happened.",
	"Try the postponement again this week and note what changes.",
	"It sounds like the evenings are the hardest time for you.",
	"Remember that in an emergency you should call 112.",
}

// Text makes n synthetic sentences.
func Text(rnd *rand.Rand, n int) string {
	s := ""
	for i := range n {
		if i > 0 {
			s += " "
		}
		s += sentences[rnd.IntN(len(sentences))]
	}
	return s
}
