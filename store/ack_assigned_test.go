package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"polku/programs/builtin"
	"polku/store"
)

// Who may acknowledge a flag (docs/clinical.md): the therapist assigned
// to the patient at the time of the acknowledgement, by the enrollment's
// history, and the team's supervisor only when no therapist is assigned.
// The same rule holds for the workbench and for an import.
func TestAckOnlyByTheTherapistAssignedAtThatTime(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sup, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sanna", Name: "Sanna S", Role: store.RoleSupervisor, Team: "south", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	olli, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "olli", Name: "Olli O", Role: store.RoleTherapist, Team: "south", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	// anna writes to the patient, then the patient answers item 9 above 0.
	if _, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, TherapistID: f.therapist.ID,
		Direction: store.DirectionOut, Body: "Hello"}, ""); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	m, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 1,
		Answers: []int{0, 0, 0, 0, 0, 0, 0, 0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	beforeTransfer := f.clock.now()
	f.clock.advance(time.Hour)
	// The patient is transferred to olli.
	if err := f.db.UpdateEnrollment(ctx, sys, store.UpdateEnrollmentOp{ID: f.enroll.ID, Version: f.enroll.Version, TherapistID: olli.ID, At: f.clock.now()}); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	now := f.clock.now()

	ack := func(th string, at time.Time, id string) store.RiskAck {
		return store.RiskAck{ID: id, PatientID: f.patient.ID, EnrollmentID: f.enroll.ID, SourceType: store.RiskSourceMeasure, SourceID: m.ID,
			Action: store.AckNoAcuteRisk, TherapistID: th, AckedAt: at}
	}
	importAck := func(a store.RiskAck) error {
		line, _ := json.Marshal(struct {
			Type string `json:"type"`
			store.RiskAck
		}{"risk_ack", a})
		_, err := f.db.Import(ctx, sys, strings.NewReader(string(line)+"\n"), true)
		return err
	}
	for _, c := range []struct {
		name string
		ack  store.RiskAck
		ok   bool
	}{
		{"the supervisor while a therapist is assigned", ack(sup.ID, now, "a1"), false},
		{"the former therapist after the transfer, though she once wrote", ack(f.therapist.ID, now, "a2"), false},
		{"the former therapist before the transfer", ack(f.therapist.ID, beforeTransfer, "a3"), true},
		{"the new therapist before the transfer", ack(olli.ID, beforeTransfer, "a4"), false},
		{"the new therapist after the transfer", ack(olli.ID, now, "a5"), true},
	} {
		for _, via := range []string{"import", "workbench"} {
			var err error
			if via == "import" {
				err = importAck(c.ack) // a dry run: nothing is stored
			} else if !c.ok {
				_, err = f.db.AckRisk(ctx, sys, c.ack)
			} else {
				continue // stored by the import's dry run check only
			}
			var fe *store.FieldError
			switch {
			case c.ok && err != nil:
				t.Errorf("%s (%s): refused: %v", c.name, via, err)
			case !c.ok && err == nil:
				t.Errorf("%s (%s): accepted", c.name, via)
			case !c.ok && via == "workbench" && (!errors.As(err, &fe) || fe.Field != "therapist_id"):
				t.Errorf("%s (%s): %v, want an error on therapist_id", c.name, via, err)
			case !c.ok && !strings.Contains(err.Error(), "assigned to patient"):
				t.Errorf("%s (%s): %v does not say who may acknowledge", c.name, via, err)
			}
		}
	}
}

// A transfer made as a course step is in the enrollment's history (its
// events), which an export carries: after a restore the former
// therapist's acknowledgement from before the transfer is still hers to
// have made, and one dated after it is not.
func TestAckRuleFollowsCourseTransfersThroughARestore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sup, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sanna", Name: "Sanna S", Role: store.RoleSupervisor, Team: "south", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	olli, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "olli", Name: "Olli O", Role: store.RoleTherapist, Team: "south", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	m, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 1,
		Answers: []int{0, 0, 0, 0, 0, 0, 0, 0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	// anna acknowledges (no message of hers: only the history says she was assigned).
	if _, err := f.db.AckRisk(ctx, f.actor, store.RiskAck{PatientID: f.patient.ID, EnrollmentID: f.enroll.ID, SourceType: store.RiskSourceMeasure,
		SourceID: m.ID, Action: store.AckNoAcuteRisk}); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	if _, err := f.db.TransferEnrollment(ctx, store.ActorFor(sup, "test"), f.enroll.ID, f.enroll.Version, olli.ID, "caseload"); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(time.Hour)
	var exp bytes.Buffer
	if _, err := f.db.Export(ctx, sys, &exp, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	restored := openStore(t, f.clock)
	b, _ := builtin.Load()
	if _, err := restored.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	if _, err := restored.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false); err != nil {
		t.Fatalf("restore with anna's acknowledgement from before the transfer: %v", err)
	}
	// After the transfer anna may not acknowledge any more, olli may.
	late := func(th string) error {
		_, err := restored.AckRisk(ctx, sys, store.RiskAck{PatientID: f.patient.ID, EnrollmentID: f.enroll.ID, SourceType: store.RiskSourceMeasure,
			SourceID: m.ID, Action: store.AckNoAcuteRisk, TherapistID: th})
		return err
	}
	if err := late(f.therapist.ID); err == nil || !strings.Contains(err.Error(), "assigned to patient") {
		t.Errorf("anna after the transfer: %v", err)
	}
	if err := late(olli.ID); err != nil {
		t.Errorf("olli after the transfer: %v", err)
	}
}
