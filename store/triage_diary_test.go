package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/store"
)

// A risk phrase a patient writes in a diary (any text field of an entry)
// raises a flag like one in a message, in the therapist's queue and in the
// team view, and an acknowledgement of the diary entry clears it. Notes are
// the therapist's and never raise one.
func TestDiaryTextRaisesRiskFlag(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0002", DisplayName: "Sleep Patient", BirthDate: "1980-01-01", Language: "fi"})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := f.db.ProgramVersion(ctx, "insomnia", 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: f.therapist.ID, UnlockedModules: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	if _, err := f.db.AddNote(ctx, f.actor, store.Note{PatientID: p.ID, TherapistID: f.therapist.ID, Body: "asked whether she wants to kill herself: haluan kuolla was not said"}, ""); err != nil {
		t.Fatal(err)
	}
	d, err := f.db.AddDiary(ctx, sys, store.DiaryEntry{EnrollmentID: e.ID, PatientID: p.ID, ExerciseID: "sleep-diary", Date: "2026-11-16",
		Fields: map[string]string{"bed_time": "23:00", "lights_out": "23:30", "onset_min": "60", "awakenings": "3", "waso_min": "90",
			"final_wake": "05:00", "out_of_bed": "07:00", "quality": "1", "naps_min": "0", "sleep_aid": "unilääke, haluan kuolla"}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := f.db.Triage(ctx, f.actor, f.therapist.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, rs := riskReasons(q, p.ID)
	if len(rs) != 1 || rs[0].SourceType != store.RiskSourceDiary || rs[0].SourceID != d.ID || !strings.Contains(rs[0].Text, `"haluan kuolla" (fi list)`) ||
		!strings.Contains(rs[0].Text, "diary") || !rs[0].Heuristic {
		t.Fatalf("queue: risk reasons %+v, want one heuristic flag on diary entry %s", rs, d.ID)
	}

	// The team view shows the same flag to the supervisor.
	sup, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sanna", Name: "Sanna S", Role: store.RoleSupervisor, Team: "south", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	tv, err := f.db.Team(ctx, store.ActorFor(sup, "test"), "south")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range tv.Members {
		if m.Therapist.ID != f.therapist.ID {
			continue
		}
		if _, rs := riskReasons(m.Queue, p.ID); len(rs) == 1 && rs[0].SourceID == d.ID {
			found = true
		}
	}
	if !found {
		t.Fatal("team view: no risk flag for the diary entry")
	}

	// Acknowledging the entry clears it.
	f.clock.advance(time.Hour)
	if _, err := f.db.AckRisk(ctx, f.actor, store.RiskAck{PatientID: p.ID, EnrollmentID: e.ID, SourceType: store.RiskSourceDiary, SourceID: d.ID,
		Action: store.AckNoAcuteRisk}); err != nil {
		t.Fatal(err)
	}
	q, _ = f.db.Triage(ctx, f.actor, f.therapist.ID)
	if _, rs := riskReasons(q, p.ID); len(rs) != 0 {
		t.Fatalf("after acknowledgement: %+v", rs)
	}
}
