package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"polku/store"
	"polku/store/server"
)

// A supervisor's walk goes through the team's patients and the intake
// queue's (open referrals of the team and of no team) in one order, a
// chunk of patients at a time, the chunks sized to the room left on the
// page: with pages of any size it brings every record of the team's
// patients, of the queue's patients only the patient, the referrals and
// the assessments, and nothing of anyone else (another team's referral).
func TestSupervisorWalkInterleavesTheIntakeQueue(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	var queue []string
	for i, team := range []string{"", "north", "", "south", ""} {
		var in store.ReferralIn
		in.SourceID, in.Team, in.Reason = fmt.Sprintf("EHR-%d", i), team, "Worry"
		in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = fmt.Sprintf("Q%d", i), fmt.Sprintf("Queue %d", i), "1990-01-01", "fi"
		in.Referrer.Name, in.Referrer.Organisation = "Dr. L", "HC"
		got, err := f.db.ReceiveReferral(ctx, store.System("t"), in, false)
		if err != nil {
			t.Fatal(err)
		}
		if team != "south" {
			queue = append(queue, got.Patient.ID)
		}
	}
	// A referral of the team for a patient in treatment (pa): that one is
	// the team's already, every record of theirs comes.
	var in store.ReferralIn
	in.SourceID, in.Team, in.Reason = "EHR-pa", "north", "Worry"
	in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = f.pa.Pseudonym, f.pa.DisplayName, f.pa.BirthDate, f.pa.Language
	in.Referrer.Name, in.Referrer.Organisation = "Dr. L", "HC"
	if _, err := f.db.ReceiveReferral(ctx, store.System("t"), in, false); err != nil {
		t.Fatal(err)
	}
	var team []string
	for _, th := range []store.Therapist{f.a, f.b} {
		for _, p := range f.fx.Patients[th.ID] {
			team = append(team, p.ID)
		}
	}
	want := f.expected(f.fx.Supervisor.ID, team)
	for k, v := range f.expected(f.fx.Supervisor.ID, queue) {
		if k[0] == "patient" || k[0] == "referral" || k[0] == "assessment" || v == "" {
			want[k] = v
		}
	}
	for _, limit := range []int{1, 3, 11, 0} {
		got := replicaView{}
		cursor, check := "0", ""
		for pages := 0; ; pages++ {
			resp := f.pullPage(f.tok["sup"], cursor, check, limit)
			got.apply(resp)
			cursor, check = resp.Cursor, resp.Check
			if !resp.More {
				break
			}
			if pages > 10_000 {
				t.Fatal("too many pages")
			}
		}
		f.sameView(fmt.Sprintf("sup, limit %d", limit), got, want)
	}
}

// TestVisibilityQueryPlans: what an actor sees is read on every page of a
// pull, in one query: the intake queue's patients come from the index
// referrals_intake alone (schema 13), never from a scan of the referrals
// or a look-up of each referral's row, and the actor's patients through
// enrollments_therapist.
func TestVisibilityQueryPlans(t *testing.T) {
	f := newFixture(t, server.Config{})
	for _, role := range []string{store.RoleTherapist, store.RoleSupervisor} {
		plan, err := f.db.QueryPlan(context.Background(), server.VisibilityQuery(role), "th-1", "team-1")
		if err != nil {
			t.Fatal(err)
		}
		joined := strings.Join(plan, "; ")
		t.Logf("%s: %s", role, joined)
		if !strings.Contains(joined, "USING COVERING INDEX referrals_intake") || strings.Contains(joined, "SCAN referrals") {
			t.Errorf("%s: the intake patients are not an index-only read of referrals_intake: %s", role, joined)
		}
		if strings.Contains(joined, "SCAN enrollments") || strings.Contains(joined, "SCAN e ") {
			t.Errorf("%s: the actor's patients are read by a scan of the enrollments: %s", role, joined)
		}
	}
	if server.VisibilityQuery(store.RoleAdmin) != "" {
		t.Error("an admin reads patients")
	}
}
