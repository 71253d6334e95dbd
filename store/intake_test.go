package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"polku/programs/builtin"
	"polku/store"
)

type intakeWorld struct {
	db          *store.DB
	clock       *clock
	sup, worker store.Actor
	anna, ben   store.Therapist
}

func newIntakeWorld(t testing.TB) *intakeWorld {
	t.Helper()
	ctx := context.Background()
	c := newClock() // Mon 16 Nov 2026 09:00 UTC
	db := openStore(t, c)
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	add := func(th store.Therapist) store.Therapist {
		th, err := db.AddTherapist(ctx, sys, th)
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	w := &intakeWorld{db: db, clock: c}
	sup := add(store.Therapist{Handle: "sara", Name: "Sara", Role: store.RoleSupervisor, Team: "south"})
	worker := add(store.Therapist{Handle: "ilse", Name: "Ilse", Role: store.RoleTherapist, Team: "south", Intake: true, Capacity: 0})
	w.anna = add(store.Therapist{Handle: "anna", Name: "Anna", Role: store.RoleTherapist, Team: "south", Languages: []string{"fi", "en"}, Capacity: 2})
	w.ben = add(store.Therapist{Handle: "ben", Name: "Ben", Role: store.RoleTherapist, Team: "south", Languages: []string{"sv"}, Capacity: 5})
	w.sup, w.worker = store.ActorFor(sup, "t"), store.ActorFor(worker, "t")
	return w
}

func referralIn(source, pseudonym, birth string) store.ReferralIn {
	var in store.ReferralIn
	in.SourceID = source
	in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = pseudonym, "Name "+pseudonym, birth, "fi"
	in.Region = "pirkanmaa"
	in.Referrer.Name, in.Referrer.Organisation = "Dr. Lehto", "Tampere health centre"
	in.Reason = "Persistent worry for a year, sleep disturbed."
	in.Codes = []string{"f41.1"}
	in.Team = "south"
	return in
}

func TestReceiveReferralChecksEveryField(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	seven := 7
	cases := []struct {
		name string
		edit func(*store.ReferralIn)
		want string
	}{
		{"no birth date", func(in *store.ReferralIn) { in.Patient.BirthDate = "" }, "patient.birth_date"},
		{"birth date in the future", func(in *store.ReferralIn) { in.Patient.BirthDate = "2030-01-01" }, "patient.birth_date: 2030-01-01 is in the future"},
		{"malformed code", func(in *store.ReferralIn) { in.Codes = []string{"F41.1", "F4"} }, `codes[1]: "F4" is not an ICD-10 code`},
		{"unknown program", func(in *store.ReferralIn) { in.WishedProgram = "yoga" }, `wished_program: unknown program "yoga"`},
		{"screening in the future", func(in *store.ReferralIn) {
			in.Screening = []store.Screening{{Instrument: "gad7", Date: "2026-12-01", Total: &seven}}
		}, "screening[0].date: 2026-12-01 is in the future"},
		{"unknown region", func(in *store.ReferralIn) { in.Region = "narnia" }, `region: "narnia" is not a wellbeing services county`},
		{"no source id", func(in *store.ReferralIn) { in.SourceID = "" }, "source_id"},
		{"bad language", func(in *store.ReferralIn) { in.Patient.Language = "de" }, "patient.language"},
	}
	for _, c := range cases {
		in := referralIn("S-1", "P-1", "1990-01-01")
		c.edit(&in)
		_, err := w.db.ReceiveReferral(ctx, sys, in, false)
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestReceiveReferralOnceBySourceID(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	in := referralIn("EHR-42", "P-42", "1990-01-01")
	in.Screening = []store.Screening{{Instrument: "phq9", Date: "2026-11-10", Answers: []int{1, 1, 1, 1, 1, 1, 1, 1, 0}}}
	dry, err := w.db.ReceiveReferral(ctx, sys, in, true)
	if err != nil || !dry.DryRun {
		t.Fatal(dry, err)
	}
	if _, err := w.db.Referral(ctx, dry.Referral.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a dry run stored the referral: %v", err)
	}
	first, err := w.db.ReceiveReferral(ctx, sys, in, false)
	if err != nil || !first.Created {
		t.Fatal(first, err)
	}
	if got := first.Referral.Screening[0].Total; got == nil || *got != 8 || first.Referral.Codes[0] != "F41.1" {
		t.Errorf("screening total %v, codes %v", got, first.Referral.Codes)
	}
	again, err := w.db.ReceiveReferral(ctx, sys, in, false)
	if err != nil || again.Created || again.Referral.ID != first.Referral.ID {
		t.Errorf("second send: %+v %v", again, err)
	}
	var n int
	w.db.Reader().QueryRow("SELECT COUNT(*) FROM referrals").Scan(&n)
	if n != 1 {
		t.Errorf("%d referrals", n)
	}
}

func TestIntakeQueueOrderAndWho(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	old := referralIn("S-old", "P-old", "1980-01-01")
	w.clock.advance(-7 * 24 * time.Hour) // Mon 9 Nov
	if _, err := w.db.ReceiveReferral(ctx, sys, old, false); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(7 * 24 * time.Hour)
	if _, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-new", "P-new", "1985-01-01"), false); err != nil {
		t.Fatal(err)
	}
	risky := referralIn("S-risk", "P-risk", "1990-01-01")
	risky.Screening = []store.Screening{{Instrument: "phq9", Date: "2026-11-12", Answers: []int{2, 2, 2, 2, 1, 1, 1, 1, 1}}}
	if _, err := w.db.ReceiveReferral(ctx, sys, risky, false); err != nil {
		t.Fatal(err)
	}
	other := referralIn("S-north", "P-north", "1990-01-01")
	other.Team = "north"
	if _, err := w.db.ReceiveReferral(ctx, sys, other, false); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(2 * time.Hour)
	q, err := w.db.Intake(ctx, w.worker, "")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range q.Items {
		order = append(order, it.Pseudonym)
	}
	if strings.Join(order, " ") != "P-risk P-old P-new" || q.OverPromise != 0 || q.Open != 3 {
		t.Fatalf("order %v, open %d, over %d", order, q.Open, q.OverPromise)
	}
	if txt := q.Items[1].Reasons[len(q.Items[1].Reasons)-1].Text; txt != "Arrived 5 working days ago: the promise of 5 ends today" {
		t.Errorf("old: %q", txt)
	}
	// A therapist who is not an intake worker does not see it; made one, they do.
	annaActor := store.ActorFor(w.anna, "t")
	if _, err := w.db.Intake(ctx, annaActor, ""); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("anna: %v", err)
	}
	if err := w.db.SetTherapistIntake(ctx, sys, w.anna.ID, w.anna.Version, true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Intake(ctx, annaActor, ""); err != nil {
		t.Errorf("anna as intake worker: %v", err)
	}
	if _, err := w.db.Intake(ctx, w.sup, "north"); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("another team's queue: %v", err)
	}
}

func TestAcceptReferralInOneOperation(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	rec, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-1", "P-1", "1990-01-01"), false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.db.ReferralDetail(ctx, w.worker, rec.Referral.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Programs) == 0 || d.Programs[0].ProgramID != "gad" || d.Therapists[0].Handle != "anna" || d.StartDate != "2026-11-17" {
		t.Fatalf("suggestions: %+v %+v %s", d.Programs, d.Therapists, d.StartDate)
	}
	// Beyond the promise without a reason: refused, naming the field.
	_, err = w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: rec.Referral.ID, ProgramID: "gad", StartDate: "2026-12-15"}, false)
	if err == nil || !strings.Contains(err.Error(), "start_date: 2026-12-15 is beyond the start promise") {
		t.Fatalf("beyond the promise: %v", err)
	}
	dry, err := w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: rec.Referral.ID, ProgramID: "gad"}, true)
	if err != nil || !dry.DryRun || dry.Therapist != "anna" {
		t.Fatal(dry, err)
	}
	acc, err := w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: rec.Referral.ID, Version: rec.Referral.Version, ProgramID: "gad"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Enrollment.Status != store.EnrollmentScheduled || acc.Enrollment.TherapistID != w.anna.ID || acc.Enrollment.StartDate != "2026-11-17" {
		t.Errorf("enrollment %+v", acc.Enrollment)
	}
	r, _ := w.db.Referral(ctx, rec.Referral.ID)
	if r.Status != store.ReferralEnrolled || r.DecidedBy != w.worker.ID {
		t.Errorf("referral %+v", r)
	}
	ns, err := w.db.Notifications(ctx, 0, 0)
	if err != nil || len(ns) != 1 || ns[0].Kind != store.NotifyAccepted || !strings.Contains(ns[0].Text, "17.11.2026") || strings.Contains(ns[0].Text, "Worry") {
		t.Errorf("notifications %+v %v", ns, err)
	}
	// The patient is in anna's queue as starting.
	q, err := w.db.Triage(ctx, store.ActorFor(w.anna, "t"), w.anna.ID)
	if err != nil || len(q.Items) != 1 || q.Items[0].Reasons[0].Code != store.ReasonStartDue {
		t.Errorf("anna's queue: %+v %v", q, err)
	}
	// A second worker deciding the version they saw gets what was decided.
	_, err = w.db.DeclineReferral(ctx, w.sup, store.DeclineRequest{ReferralID: rec.Referral.ID, Version: rec.Referral.Version, Code: "not-suitable", Text: "x"}, false)
	var de *store.DecidedError
	if !errors.As(err, &de) || !store.IsConflict(err) || !strings.Contains(err.Error(), "accepted by ilse") || !strings.Contains(err.Error(), "therapist anna, start 2026-11-17") {
		t.Errorf("second decision: %v", err)
	}
	// Intake left no trace outside the change log: every write is in it.
	var n int
	w.db.Reader().QueryRow("SELECT COUNT(*) FROM changes WHERE entity IN ('referrals', 'enrollments', 'notifications') AND entity_id IN (?, ?, ?)",
		rec.Referral.ID, acc.Enrollment.ID, acc.Notification.ID).Scan(&n)
	if n < 4 {
		t.Errorf("%d change-log rows", n)
	}
}

func TestDeclineAndWait(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	a, _ := w.db.ReceiveReferral(ctx, sys, referralIn("S-a", "P-a", "1990-01-01"), false)
	b, _ := w.db.ReceiveReferral(ctx, sys, referralIn("S-b", "P-b", "1990-01-01"), false)
	_, err := w.db.DeclineReferral(ctx, w.sup, store.DeclineRequest{ReferralID: a.Referral.ID, Code: "maybe", Text: "x"}, false)
	if err == nil || !strings.Contains(err.Error(), `code: "maybe" is not a decline reason`) {
		t.Errorf("bad code: %v", err)
	}
	_, err = w.db.DeclineReferral(ctx, w.sup, store.DeclineRequest{ReferralID: a.Referral.ID, Code: "urgent-care", Text: "x", Service: "nowhere"}, false)
	if err == nil || !strings.Contains(err.Error(), `unknown service "nowhere"`) {
		t.Errorf("bad service: %v", err)
	}
	d, err := w.db.ReferralDetail(ctx, w.sup, a.Referral.ID)
	if err != nil || len(d.Services) == 0 {
		t.Fatal(d, err)
	}
	n, err := w.db.DeclineReferral(ctx, w.sup, store.DeclineRequest{ReferralID: a.Referral.ID, Code: "urgent-care", Text: "Acute symptoms: to emergency care", Service: "emergency"}, false)
	if err != nil || n.Recipient != store.ToReferrer || !strings.Contains(n.Text, "Emergency department") {
		t.Fatalf("decline: %+v %v", n, err)
	}
	if err := w.db.WaitReferral(ctx, w.worker, b.Referral.ID, 0, "nobody has capacity", false); err != nil {
		t.Fatal(err)
	}
	if err := w.db.WaitReferral(ctx, w.worker, b.Referral.ID, 0, "", false); !store.IsConflict(err) {
		t.Errorf("twice on the waiting list: %v", err)
	}
	w.clock.advance(3 * 24 * time.Hour)
	q, err := w.db.Intake(ctx, w.sup, "")
	if err != nil || q.Open != 1 || q.Waiting != 1 || q.Items[0].Reasons[0].Code != store.ReasonIntakeWaiting ||
		!strings.Contains(q.Items[0].Reasons[0].Text, "On the waiting list for 3 days") {
		t.Errorf("queue %+v %v", q, err)
	}
}

func TestAssessReferral(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	a, _ := w.db.ReceiveReferral(ctx, sys, referralIn("S-a", "P-a", "1990-01-01"), false)
	_, err := w.db.AssessReferral(ctx, w.worker, store.Assessment{ReferralID: a.Referral.ID, Answers: map[string]string{"motivaton": "yes"}})
	if err == nil || !strings.Contains(err.Error(), `"motivaton" is not on the checklist`) {
		t.Errorf("typo: %v", err)
	}
	_, err = w.db.AssessReferral(ctx, w.worker, store.Assessment{ReferralID: a.Referral.ID, Answers: map[string]string{"motivation": "maybe"}})
	if err == nil || !strings.Contains(err.Error(), "answers.motivation") {
		t.Errorf("bad answer: %v", err)
	}
	if _, err := w.db.AssessReferral(ctx, w.worker, store.Assessment{ReferralID: a.Referral.ID, ProgramID: "social-anxiety-youth", Method: "phone",
		Answers: map[string]string{"guardian": "yes", "psychosis": "no"}}); err != nil {
		t.Fatal(err)
	}
	d, _ := w.db.ReferralDetail(ctx, w.worker, a.Referral.ID)
	if len(d.Assessments) != 1 || d.Assessments[0].Method != "phone" {
		t.Errorf("assessments %+v", d.Assessments)
	}
}

func TestIntakeQueryUsesItsIndex(t *testing.T) {
	w := newIntakeWorld(t)
	plan, err := w.db.QueryPlan(context.Background(), `SELECT r.id FROM referrals r JOIN patients p ON p.id = r.patient_id
		WHERE r.status IN ('received', 'accepted') AND r.team IN (?, '')`, "south")
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "USING INDEX referrals_intake") || strings.Contains(joined, "SCAN r") {
		t.Errorf("plan:\n%s", joined)
	}
}

func TestTeamViewCountsOpenReferralsPastThePromise(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	w.clock.advance(-10 * 24 * time.Hour)
	if _, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-old", "P-old", "1980-01-01"), false); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(10 * 24 * time.Hour)
	if _, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-new", "P-new", "1980-01-01"), false); err != nil {
		t.Fatal(err)
	}
	north := referralIn("S-north", "P-north", "1980-01-01")
	north.Team = "north"
	if _, err := w.db.ReceiveReferral(ctx, sys, north, false); err != nil {
		t.Fatal(err)
	}
	v, err := w.db.Team(ctx, w.sup, "south")
	if err != nil {
		t.Fatal(err)
	}
	if v.OpenReferrals != 2 || v.ReferralsOverPromise != 1 || v.OldestOpenReferral == nil {
		t.Errorf("open %d, over the promise %d", v.OpenReferrals, v.ReferralsOverPromise)
	}
}

func TestImportCarriesReferralContent(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	patient := `{"type":"patient","id":"p1","pseudonym":"I-1","display_name":"Imp","birth_date":"1990-01-01","language":"fi","created_at":"2026-11-01T00:00:00Z","updated_at":"2026-11-01T00:00:00Z","version":1}`
	ref := `{"type":"referral","id":"r1","patient_id":"p1","received_at":"2026-11-10T08:00:00Z","referring_unit":"HC","requested_program":"gad","status":"received","updated_at":"2026-11-10T08:00:00Z","version":1,"source_id":"X-1","team":"south","region":"lappi","reason":"Worry","codes":["F41.1"],"screening":[{"instrument":"gad7","date":"2026-11-09","total":12}]}`
	sum, err := w.db.Import(ctx, sys, strings.NewReader(patient+"\n"+ref+"\n"), false)
	if err != nil || sum.Added["referral"] != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	r, err := w.db.ResolveReferral(ctx, "X-1")
	if err != nil || r.Region != "lappi" || *r.Screening[0].Total != 12 {
		t.Fatalf("%+v %v", r, err)
	}
	// The same source id under another id is the same referral: skipped.
	again := strings.Replace(ref, `"id":"r1"`, `"id":"r2"`, 1)
	sum, err = w.db.Import(ctx, sys, strings.NewReader(again+"\n"), false)
	if err != nil || sum.Added["referral"] != 0 {
		t.Errorf("again: %+v %v", sum, err)
	}
	bad := strings.Replace(strings.Replace(ref, `"id":"r1"`, `"id":"r3"`, 1), `"X-1"`, `"X-3"`, 1)
	bad = strings.Replace(bad, `"F41.1"`, `"41"`, 1)
	if _, err := w.db.Import(ctx, sys, strings.NewReader(bad+"\n"), false); err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "codes[0]") {
		t.Errorf("bad code: %v", err)
	}
	// An export carries the content, the assessment and the notification.
	if _, err := w.db.AssessReferral(ctx, w.worker, store.Assessment{ReferralID: r.ID, Answers: map[string]string{"motivation": "yes"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: r.ID, StartDate: "2026-11-17", Reason: "patient's wish"}, false); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if _, err := w.db.Export(ctx, sys, &out, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"type":"assessment"`, `"type":"notification"`, `"type":"service"`, `"source_id":"X-1"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("export lacks %s", want)
		}
	}
	fresh := openStore(t, newClock())
	if _, err := fresh.Import(ctx, sys, strings.NewReader(out.String()), false); err != nil {
		t.Errorf("round trip: %v", err)
	}
}

func TestAcceptRefusesWhatTheRulesRuleOut(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	// 16 years old, an adults' program, no doctor's assessment.
	teen, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-16", "P-16", "2010-06-01"), false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: teen.Referral.ID, ProgramID: "gad"}, false)
	if err == nil || !strings.Contains(err.Error(), "accept.doctor_assessment: the patient is 16") {
		t.Errorf("16 without the doctor's assessment: %v", err)
	}
	if _, err := w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: teen.Referral.ID, ProgramID: "gad",
		DoctorAssessment: "Dr. L by phone: suitable"}, false); err != nil {
		t.Errorf("with the doctor's assessment: %v", err)
	}
	if r, _ := w.db.Referral(ctx, teen.Referral.ID); r.DoctorAssessment != "Dr. L by phone: suitable" {
		t.Errorf("not recorded: %+v", r)
	}
	// 14 years old into an adults' program: below its min_age.
	young, _ := w.db.ReceiveReferral(ctx, sys, referralIn("S-14", "P-14", "2012-06-01"), false)
	_, err = w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: young.Referral.ID, ProgramID: "gad"}, false)
	if err == nil || !strings.Contains(err.Error(), "14 years old at the start") {
		t.Errorf("14 in an adults' program: %v", err)
	}
	if _, err := w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: young.Referral.ID, ProgramID: "social-anxiety-youth"}, false); err != nil {
		t.Errorf("14 in the youth program: %v", err)
	}
	// An exclusion answered yes in the newest assessment.
	adult, _ := w.db.ReceiveReferral(ctx, sys, referralIn("S-ex", "P-ex", "1980-06-01"), false)
	if _, err := w.db.AssessReferral(ctx, w.worker, store.Assessment{ReferralID: adult.Referral.ID, Answers: map[string]string{"psychosis": "yes"}}); err != nil {
		t.Fatal(err)
	}
	_, err = w.db.AcceptReferral(ctx, w.worker, store.AcceptRequest{ReferralID: adult.Referral.ID, ProgramID: "gad"}, false)
	if err == nil || !strings.Contains(err.Error(), "psychosis=yes") {
		t.Errorf("an exclusion: %v", err)
	}
}

func TestIntakeQueueOfAPersonWithoutATeam(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	loner, err := w.db.AddTherapist(ctx, sys, store.Therapist{Handle: "lone", Name: "Lone", Role: store.RoleSupervisor})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-south", "P-s", "1980-01-01"), false); err != nil {
		t.Fatal(err)
	}
	none := referralIn("S-none", "P-n", "1980-01-01")
	none.Team = ""
	if _, err := w.db.ReceiveReferral(ctx, sys, none, false); err != nil {
		t.Fatal(err)
	}
	q, err := w.db.Intake(ctx, store.ActorFor(loner, "t"), "")
	if err != nil || q.Open != 1 || q.Items[0].Pseudonym != "P-n" {
		t.Errorf("a supervisor of no team sees %+v %v", q, err)
	}
	// The store's owner at the CLI sees every team's, or one team's.
	owner := store.LocalUser("admin", "t")
	if q, err := w.db.Intake(ctx, owner, ""); err != nil || q.Open != 2 {
		t.Errorf("owner: %+v %v", q, err)
	}
	if q, err := w.db.Intake(ctx, owner, "south"); err != nil || q.Open != 2 {
		t.Errorf("owner, team south (and no team's): %+v %v", q, err)
	}
}

func TestReceiveReferralForAKnownPseudonym(t *testing.T) {
	w := newIntakeWorld(t)
	ctx := context.Background()
	first, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-1", "P-1", "1990-01-01"), false)
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.db.ReceiveReferral(ctx, sys, referralIn("S-2", "P-1", "1990-01-01"), false)
	if err != nil || !again.Created || again.Patient.ID != first.Patient.ID {
		t.Errorf("a second referral of the same patient: %+v %v", again, err)
	}
	_, err = w.db.ReceiveReferral(ctx, sys, referralIn("S-3", "P-1", "1991-02-02"), false)
	if err == nil || !strings.Contains(err.Error(), "patient.birth_date: does not match") || strings.Contains(err.Error(), "1990") {
		t.Errorf("another birth date: %v", err)
	}
}
