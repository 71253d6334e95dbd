package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/intake"
)

// referrals adds open referrals to team south: Kalle, who arrived 6
// working days ago (past the promise); Liisa, whose text holds a risk
// phrase; Mikko, in today. It returns their referral ids by first name.
func referrals(t testing.TB, f *fixture.Fixture) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	add := func(first, pseudonym, reason string, age time.Duration) {
		var in store.ReferralIn
		in.SourceID = "S-" + pseudonym
		in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = pseudonym, first+" Referred", "1990-03-04", "fi"
		in.Region = "helsinki"
		in.Referrer.Name, in.Referrer.Organisation = "Dr. Lehto", "Kallio health centre"
		in.Reason = reason
		in.Codes = []string{"F41.1"}
		in.Team = "south"
		at := f.Clock.Now().Add(-age)
		in.ReceivedAt = &at
		r, err := f.DB.ReceiveReferral(ctx, store.System("test"), in, false)
		if err != nil {
			t.Fatal(err)
		}
		out[first] = r.Referral.ID
	}
	add("Kalle", "R-0001", "Worry for a year, sleep disturbed.", 9*24*time.Hour)
	add("Liisa", "R-0002", "Low mood; has thought of ending my life, she wrote.", 2*time.Hour)
	add("Mikko", "R-0003", "Panic and worry at work.", time.Hour)
	return out
}

// intakeWorker makes Anna an intake worker.
func intakeWorker(t testing.TB, f *fixture.Fixture) store.Therapist {
	t.Helper()
	ctx := context.Background()
	th, err := f.DB.Therapist(ctx, f.Anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if th.Intake {
		return th
	}
	if err := f.DB.SetTherapistIntake(ctx, store.System("test"), th.ID, th.Version, true); err != nil {
		t.Fatal(err)
	}
	th, err = f.DB.Therapist(ctx, f.Anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func (h *harness) intake() *intake.Page {
	h.t.Helper()
	p, ok := h.m.Top().(*intake.Page)
	if !ok {
		h.t.Fatalf("top page is %T, want the intake page", h.m.Top())
	}
	return p
}

func (h *harness) selectReferral(id string) {
	h.t.Helper()
	h.intake().Select(id)
	if it, ok := h.intake().Selected(); !ok || it.ReferralID != id {
		h.t.Fatalf("could not select referral %s", id)
	}
	h.keys("k", "j") // read its detail as moving there does
	h.intake().Select(id)
}

func referral(t testing.TB, f *fixture.Fixture, id string) store.Referral {
	t.Helper()
	r, err := f.DB.Referral(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestIntakeKeyOnlyForIntakeWorkers(t *testing.T) {
	f := newFixture(t)
	referrals(t, f)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.fx = f
	h.keys("i")
	if _, ok := h.m.Top().(*intake.Page); ok {
		t.Fatal("a therapist who is not an intake worker opened the intake queue")
	}
	h = newHarness(t, options(f, intakeWorker(t, f)), 80, 24)
	h.keys("i")
	h.intake()
	h.keys("esc")
	h.triage()
	s := newHarness(t, options(f, f.Sara), 80, 24)
	s.keys("i")
	s.intake()
}

func TestIntakeListsRiskFirstWithReasonsAndSuggestion(t *testing.T) {
	f := newFixture(t)
	ids := referrals(t, f)
	h := newHarness(t, options(f, f.Sara), 120, 40)
	h.fx = f
	h.keys("i")
	var order []string
	for _, it := range h.intake().Queue().Items {
		if strings.HasSuffix(it.DisplayName, " Referred") {
			order = append(order, strings.Fields(it.DisplayName)[0])
		}
	}
	if got := strings.Join(order, " "); got != "Liisa Kalle Mikko" {
		t.Errorf("order %q, want risk first, then the promise: Liisa Kalle Mikko", got)
	}
	v := h.view()
	mustContain(t, v, "Intake · south", "4 referrals open", "1 past the promise", "RISK text", "OVER", "Liisa Referred",
		"Suggested:", "Therapist:", "Checklist: not assessed")
	h.selectReferral(ids["Kalle"])
	v = h.view()
	mustContain(t, v, "working days ago", "Worry for a year")
}

func TestIntakeAcceptWithAnotherTherapistAndALaterStart(t *testing.T) {
	f := newFixture(t)
	ids := referrals(t, f)
	h := newHarness(t, options(f, intakeWorker(t, f)), 80, 24)
	h.fx = f
	h.keys("i")
	h.selectReferral(ids["Mikko"])
	h.keys("a")
	v := h.view()
	mustContain(t, v, "Accept: Mikko Referred", "Program", "Therapist", "Start", "the promise: by", "y confirms")
	// Choose the other therapist of the team.
	first := h.intake().FormTherapist()
	h.keys("t")
	chosen := h.intake().FormTherapist()
	if chosen == first {
		t.Fatalf("t kept the therapist %s", first)
	}
	// A start beyond the promise asks for the reason.
	late := f.Clock.Now().AddDate(0, 1, 0).In(fixture.Helsinki()).Format(time.DateOnly)
	h.keys("s", "ctrl+u")
	h.typeText(late)
	h.keys("enter", "y")
	mustContain(t, h.view(), "beyond the start promise", "say why")
	if r := referral(t, f, ids["Mikko"]); r.Status != store.ReferralReceived {
		t.Fatalf("accepted without the reason: %s", r.Status)
	}
	h.typeText("Patient travels until then.")
	h.keys("enter", "y")
	r := referral(t, f, ids["Mikko"])
	if r.Status != store.ReferralEnrolled {
		t.Fatalf("referral is %s, want enrolled; screen:\n%s", r.Status, h.view())
	}
	d, err := f.DB.ReferralDetail(context.Background(), store.System("test"), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e := d.Enrollment; e == nil || e.TherapistID != chosen || e.StartDate != late {
		t.Fatalf("enrollment %+v, want therapist %s from %s", e, chosen, late)
	}
	lateDay, _ := time.Parse(time.DateOnly, late) // the status says the date as a person reads it
	mustContain(t, h.view(), "Accepted: Mikko Referred starts "+lateDay.Format("2 Jan 2006"))
	mustNotContain(t, h.view(), "Mikko Referred  ")
}

func TestIntakeDeclineWithCodeTextAndService(t *testing.T) {
	f := newFixture(t)
	ids := referrals(t, f)
	h := newHarness(t, options(f, f.Sara), 80, 24)
	h.fx = f
	h.keys("i")
	h.selectReferral(ids["Kalle"])
	h.keys("d")
	mustContain(t, h.view(), "Decline and refer onward: Kalle Referred", "not-suitable")
	h.keys("y")
	mustContain(t, h.view(), "Say in words why")
	h.typeText("Needs a face-to-face assessment first.")
	h.keys("enter", "c", "c")
	h.keys("y")
	r := referral(t, f, ids["Kalle"])
	if r.Status != store.ReferralDeclined || r.DecisionCode != store.DeclineCodes[2][0] {
		t.Fatalf("referral %s %q, want declined %s; screen:\n%s", r.Status, r.DecisionCode, store.DeclineCodes[2][0], h.view())
	}
	mustContain(t, h.view(), "Declined: Kalle Referred")
}

func TestIntakeWaitingList(t *testing.T) {
	f := newFixture(t)
	ids := referrals(t, f)
	h := newHarness(t, options(f, f.Sara), 80, 24)
	h.fx = f
	h.keys("i")
	h.selectReferral(ids["Mikko"])
	h.keys("w", "e")
	h.typeText("Swedish-speaking therapist needed.")
	h.keys("enter", "y")
	r := referral(t, f, ids["Mikko"])
	if r.WaitingSince == nil {
		t.Fatalf("not on the waiting list; screen:\n%s", h.view())
	}
	mustContain(t, h.view(), "1 on the waiting list", "WAIT")
}

func TestIntakeConflictSaysWhatWasDecidedAndReloads(t *testing.T) {
	f := newFixture(t)
	ids := referrals(t, f)
	h := newHarness(t, options(f, intakeWorker(t, f)), 80, 24)
	h.fx = f
	h.keys("i")
	h.selectReferral(ids["Mikko"])
	h.keys("a")
	// Sara declines it meanwhile.
	if _, err := f.DB.DeclineReferral(context.Background(), fixture.Actor(f.Sara),
		store.DeclineRequest{ReferralID: ids["Mikko"], Code: "duplicate", Text: "Already in treatment elsewhere."}, false); err != nil {
		t.Fatal(err)
	}
	h.keys("y")
	v := h.view()
	mustContain(t, v, "declined by sara")
	if r := referral(t, f, ids["Mikko"]); r.Status != store.ReferralDeclined {
		t.Fatalf("referral is %s: the acceptance overwrote the decline", r.Status)
	}
	for _, it := range h.intake().Queue().Items {
		if it.ReferralID == ids["Mikko"] {
			t.Fatal("the decided referral is still listed: the queue did not reload")
		}
	}
	mustNotContain(t, v, "y confirms")
}

// Others writing while a form is open reload the list, not the form: the
// choices made so far stay, and the decision is checked against the
// version the form was filled from. A referral decided meanwhile closes
// its form.
func TestIntakeRefreshKeepsTheFormOrClosesADecidedOne(t *testing.T) {
	f := newFixture(t)
	ids := referrals(t, f)
	h := newHarness(t, options(f, f.Sara), 80, 24)
	h.fx = f
	h.keys("i")
	h.selectReferral(ids["Mikko"])
	h.keys("a", "t")
	chosen := h.intake().FormTherapist()
	h.send(changesMsg{seq: h.seq(), ch: common.Changes{All: true}})
	if got := h.intake().FormTherapist(); got != chosen {
		t.Fatalf("a refresh reset the therapist chosen: %s, was %s", got, chosen)
	}
	mustContain(t, h.view(), "Accept: Mikko Referred")
	if err := f.DB.WaitReferral(context.Background(), fixture.Actor(f.Sara), ids["Kalle"], 0, "", false); err != nil {
		t.Fatal(err)
	}
	h.send(changesMsg{seq: h.seq(), ch: common.Changes{All: true}})
	mustContain(t, h.view(), "Accept: Mikko Referred")
	if _, err := f.DB.DeclineReferral(context.Background(), fixture.Actor(f.Sara),
		store.DeclineRequest{ReferralID: ids["Mikko"], Code: "duplicate", Text: "Already in treatment."}, false); err != nil {
		t.Fatal(err)
	}
	h.send(changesMsg{seq: h.seq(), ch: common.Changes{All: true}})
	v := h.view()
	mustNotContain(t, v, "Accept: Mikko Referred")
	mustContain(t, v, "was decided by someone else")
}

// A 16-17-year-old in an adults' program needs the referring doctor's
// assessment: the accept form asks for it and sends it with the
// acceptance.
func TestIntakeAcceptRecordsTheDoctorsAssessment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var in store.ReferralIn
	in.SourceID = "S-young"
	in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = "R-0016", "Nuori Referred",
		f.Clock.Now().AddDate(-17, 0, 0).Format(time.DateOnly), "fi"
	in.Region, in.Team = "helsinki", "south"
	in.Referrer.Name, in.Referrer.Organisation = "Dr. Lehto", "Kallio health centre"
	in.Reason, in.Codes, in.WishedProgram = "Worry about school.", []string{"F41.1"}, "gad"
	r, err := f.DB.ReceiveReferral(ctx, store.System("test"), in, false)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, options(f, f.Sara), 80, 24)
	h.fx = f
	h.keys("i")
	h.selectReferral(r.Referral.ID)
	h.keys("a", "y")
	mustContain(t, h.view(), "doctor's assessment")
	if got := referral(t, f, r.Referral.ID); got.Status != store.ReferralReceived {
		t.Fatalf("accepted without the doctor's assessment: %s", got.Status)
	}
	h.typeText("Suitable for the adults' program (Dr. Lehto).")
	h.keys("enter", "y")
	got := referral(t, f, r.Referral.ID)
	if got.Status != store.ReferralEnrolled {
		t.Fatalf("referral is %s, want enrolled:\n%s", got.Status, h.view())
	}
}

// The workbench's own decisions are not news: after accepting, the next
// poll does not count them as new activity.
func TestIntakeOwnDecisionIsNotNewActivity(t *testing.T) {
	f := newFixture(t)
	ids := referrals(t, f)
	h := newHarness(t, options(f, f.Sara), 80, 24)
	h.fx = f
	h.fire() // the first poll learns where the change log is
	h.keys("i")
	h.selectReferral(ids["Mikko"])
	h.keys("a", "y")
	if got := referral(t, f, ids["Mikko"]); got.Status != store.ReferralEnrolled {
		t.Fatalf("referral is %s", got.Status)
	}
	h.selectReferral(ids["Kalle"])
	h.keys("d", "e")
	h.typeText("Needs another kind of care.")
	h.keys("enter", "y")
	h.selectReferral(ids["Liisa"])
	h.keys("w", "y")
	if got := referral(t, f, ids["Kalle"]); got.Status != store.ReferralDeclined {
		t.Fatalf("Kalle's referral is %s", got.Status)
	}
	if got := referral(t, f, ids["Liisa"]); got.WaitingSince == nil {
		t.Fatal("Liisa's referral is not on the waiting list")
	}
	for i := 0; i < 3; i++ {
		h.fire()
	}
	mustNotContain(t, h.view(), " new")
}
