package syncer_test

import (
	"context"
	"strings"
	"testing"

	"polku/store"
	"polku/store/synctest"
)

// A supervisor accepts a referral on their replica; the server applies it
// as one operation and the assigned therapist's replica receives the
// patient as starting. A second decision on the old version is refused
// with what was decided.
func TestIntakeDecisionOnAReplicaReachesTheTherapist(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, synctest.Spec{Therapists: 2, PatientsPer: 1, Weeks: 1, Supervisor: true})
	a := e.fx.Therapists[0]
	sup := e.fx.Supervisor
	var in store.ReferralIn
	in.SourceID, in.Team, in.Reason, in.Codes = "EHR-9", sup.Team, "Worry for a year", []string{"F41.1"}
	in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = "R-9", "Aino", "1990-01-01", "fi"
	in.Referrer.Name, in.Referrer.Organisation = "Dr. L", "HC"
	rec, err := e.srvDB.ReceiveReferral(ctx, store.System("ehr"), in, false)
	if err != nil {
		t.Fatal(err)
	}
	rs, ra := e.replica(sup, nil), e.replica(a, nil)
	rs.round(t)
	ra.round(t)
	supActor := store.ActorFor(sup, "sup-laptop")
	q, err := rs.db.Intake(ctx, supActor, "")
	if err != nil || q.Open != 1 || q.Items[0].Pseudonym != "R-9" {
		t.Fatalf("the supervisor's replica queue: %+v %v", q, err)
	}
	if _, err := rs.db.AcceptReferral(ctx, supActor, store.AcceptRequest{ReferralID: rec.Referral.ID, ProgramID: "gad", Therapist: a.Handle}, false); err != nil {
		t.Fatal(err)
	}
	if rep := rs.round(t); rep.Pushed != 1 || len(rep.Refused) != 0 {
		t.Fatalf("push: %+v", rep)
	}
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM enrollments WHERE referral_id = ? AND therapist_id = ?", rec.Referral.ID, a.ID); n != 1 {
		t.Fatalf("%d enrollments on the server", n)
	}
	if n := count(t, e.srvDB, "SELECT COUNT(*) FROM notifications WHERE referral_id = ?", rec.Referral.ID); n != 1 {
		t.Fatalf("%d notifications on the server", n)
	}
	ra.round(t)
	tq, err := ra.db.Triage(ctx, store.ActorFor(a, "a-laptop"), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range tq.Items {
		if it.Pseudonym == "R-9" && it.Reasons[0].Code == store.ReasonStartDue {
			found = true
		}
	}
	if !found {
		t.Errorf("the therapist's replica does not show R-9 as starting: %+v", tq.Items)
	}
	// A decline pushed on the version the supervisor had is refused with
	// what was decided.
	_, err = e.srvDB.DeclineReferral(ctx, supActor, store.DeclineRequest{ReferralID: rec.Referral.ID, Version: rec.Referral.Version, Code: "other", Text: "x"}, false)
	if !store.IsConflict(err) || !strings.Contains(err.Error(), "accepted by "+sup.Handle) {
		t.Errorf("second decision: %v", err)
	}
}
