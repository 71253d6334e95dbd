package server_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// A flag outlives its enrollment: when B's patient finishes with B and is
// enrolled again with A, A acknowledges the old flag on A's own enrollment
// (docs/clinical.md, "A flag belongs to the patient").
func TestNewTherapistAcknowledgesFlagOfFinishedEnrollment(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	sys := store.System("test")
	eb := f.fx.Enrollments[f.pb.ID]
	sb := f.fx.Submissions[f.pb.ID][0]
	var version int64
	f.db.Reader().QueryRow("SELECT version FROM enrollments WHERE id = ?", eb.ID).Scan(&version)
	now := time.Now().UTC().Truncate(time.Millisecond)
	var ackAt time.Time
	ack := func(enrollmentID string) (int, api.PushResponse) {
		op := store.AckRiskOp{Ack: store.RiskAck{ID: f.db.NewID(now), PatientID: f.pb.ID, EnrollmentID: enrollmentID, SourceType: store.RiskSourceSubmit,
			SourceID: sb.ID, TherapistID: f.a.ID, Action: store.AckNoAcuteRisk, AckedAt: ackAt}}
		st, body := f.do("POST", "/v1/ops", f.tok["a"], pushBody("risk.ack", op))
		var resp api.PushResponse
		json.Unmarshal([]byte(body), &resp)
		return st, resp
	}
	if err := f.db.UpdateEnrollment(ctx, sys, store.UpdateEnrollmentOp{ID: eb.ID, Version: version, Status: store.EnrollmentCompleted, At: now}); err != nil {
		t.Fatal(err)
	}
	ea2, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: f.pb.ID, ProgramVersionID: eb.ProgramVersionID, TherapistID: f.a.ID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ackAt = time.Now().UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	// Not on B's finished enrollment (not A's) ...
	if st, resp := ack(eb.ID); st != 200 || resp.Results[0].Status != api.StatusRejected {
		t.Fatalf("ack on B's enrollment: %d %+v", st, resp)
	}
	// ... but on A's current one.
	if st, resp := ack(ea2.ID); st != 200 || resp.Results[0].Status != api.StatusApplied {
		t.Fatalf("ack of the old flag on A's enrollment: %d %+v", st, resp)
	}
}
