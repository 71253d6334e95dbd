package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// pushOne pushes one op with a token and returns its result.
func (f *fixture) pushOne(token, typ string, op any) api.PushResult {
	f.t.Helper()
	st, body := f.do("POST", "/v1/ops", token, pushBody(typ, op))
	var resp api.PushResponse
	if err := json.Unmarshal([]byte(body), &resp); err != nil || st != 200 || len(resp.Results) != 1 {
		f.t.Fatalf("push %s: %d %s", typ, st, body)
	}
	return resp.Results[0]
}

// A reassignment that lands while a push is being authorized cannot slip
// in between the check and the write: the check runs inside the op's
// write transaction, and the reassignment waits for it.
func TestAuthorizationInsideTheWriteTransaction(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	ea := f.fx.Enrollments[f.pa.ID]
	var once sync.Once
	reassigned := make(chan error, 1)
	server.SetAfterAuthorize(f.srv, func() {
		once.Do(func() {
			go func() {
				reassigned <- f.db.UpdateEnrollment(ctx, store.System("admin"), store.UpdateEnrollmentOp{ID: ea.ID, Version: ea.Version, TherapistID: f.b.ID})
			}()
			// Give the reassignment every chance to overtake the op.
			select {
			case err := <-reassigned:
				reassigned <- err
			case <-time.After(300 * time.Millisecond):
			}
		})
	})
	now := time.Now().UTC().Truncate(time.Millisecond)
	msg := store.Message{ID: f.db.NewID(now), EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: store.DirectionOut, TherapistID: f.a.ID, Body: "raced", SentAt: now}
	res := f.pushOne(f.tok["a"], "message.send", store.SendMessageOp{Message: msg})
	if err := <-reassigned; err != nil {
		t.Fatal(err)
	}
	if onCluster() && res.Status == api.StatusRejected {
		// On a cluster the reassignment is not held back by the op's
		// transaction: it commits first, the op's guard fails, and the op
		// is checked again on the new state and refused. Either way A
		// never writes on an enrollment that is not A's.
		if n := f.count("SELECT COUNT(*) FROM messages WHERE id = ?", msg.ID); n != 0 {
			t.Fatalf("a refused message was written (%d rows)", n)
		}
	} else if res.Status != api.StatusApplied {
		t.Fatalf("push: %+v", res)
	} else if err := assignedWhenWritten(f, ea.ID, msg.ID, f.a.ID); err != nil {
		t.Fatal(err)
	}
	// After the reassignment, A writes nothing more on it.
	server.SetAfterAuthorize(f.srv, nil)
	msg.ID, msg.Body = f.db.NewID(now), "too late"
	if res := f.pushOne(f.tok["a"], "message.send", store.SendMessageOp{Message: msg}); res.Status != api.StatusRejected {
		t.Fatalf("push after the reassignment: %+v", res)
	}
}

// assignedWhenWritten checks that the message was written while the
// enrollment was still A's: its change-log row comes before the
// reassignment's.
func assignedWhenWritten(f *fixture, enrollmentID, msgID, therapistID string) error {
	var assignedTo string
	err := f.db.Reader().QueryRow(`SELECT therapist_id FROM assignments WHERE enrollment_id = ?
		AND seq < (SELECT seq FROM changes WHERE entity = 'messages' AND entity_id = ?) ORDER BY seq DESC LIMIT 1`, enrollmentID, msgID).Scan(&assignedTo)
	if err != nil || assignedTo != therapistID {
		return fmt.Errorf("the message was written on an enrollment assigned to %q (%v), not A", assignedTo, err)
	}
	return nil
}

// References to records the caller may not see get the same answer as
// references to records that do not exist, and an id already used by such
// a record is refused without saying by what.
func TestRefusalsRevealNothing(t *testing.T) {
	f := newFixture(t, server.Config{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	ea, sa := f.fx.Enrollments[f.pa.ID], f.fx.Submissions[f.pa.ID][0]
	missing := f.db.NewID(now)
	answer := func(typ string, mk func(ref string) any, ref string) string {
		t.Helper()
		res := f.pushOne(f.tok["a"], typ, mk(ref))
		if res.Status != api.StatusRejected || len(res.Records) != 0 {
			t.Fatalf("%s with %s: %+v", typ, ref, res)
		}
		return strings.ReplaceAll(res.Error, ref, "ID")
	}
	refs := []struct {
		name   string
		typ    string
		hidden string // a record of B's patient
		mk     func(ref string) any
	}{
		{"risk ack about another patient's message", "risk.ack", f.bMessage.ID, func(ref string) any {
			return store.AckRiskOp{Ack: store.RiskAck{ID: f.db.NewID(now), PatientID: f.pa.ID, EnrollmentID: ea.ID, SourceType: store.RiskSourceMessage,
				SourceID: ref, TherapistID: f.a.ID, Action: store.AckNoAcuteRisk, AckedAt: now}}
		}},
		{"feedback superseding another patient's feedback", "feedback.send", f.bFb.ID, func(ref string) any {
			return store.SendFeedbackOp{Feedback: store.Feedback{ID: f.db.NewID(now), SubmissionID: sa.ID, EnrollmentID: ea.ID, PatientID: f.pa.ID,
				TherapistID: f.a.ID, Body: "x", SentAt: now, Supersedes: ref}}
		}},
		{"feedback on another patient's submission", "feedback.send", f.fx.Submissions[f.pb.ID][0].ID, func(ref string) any {
			return store.SendFeedbackOp{Feedback: store.Feedback{ID: f.db.NewID(now), SubmissionID: ref, EnrollmentID: ea.ID, PatientID: f.pa.ID,
				TherapistID: f.a.ID, Body: "x", SentAt: now}}
		}},
		{"message read on another patient's message", "read.mark", f.bMessage.ID, func(ref string) any {
			return store.MarkReadOp{Type: "message", IDs: []string{ref}, At: now}
		}},
		{"note superseding a note that is not there", "note.add", f.bFb.ID, func(ref string) any {
			return store.AddNoteOp{Note: store.Note{ID: f.db.NewID(now), PatientID: f.pa.ID, TherapistID: f.a.ID, Body: "x", CreatedAt: now, Supersedes: ref}}
		}},
	}
	for _, c := range refs {
		hidden, absent := answer(c.typ, c.mk, c.hidden), answer(c.typ, c.mk, missing)
		if hidden != absent {
			t.Errorf("%s: a hidden record answers %q, a missing one %q", c.name, hidden, absent)
		}
	}
	// B's feedback id used for A's new feedback: refused, without naming
	// the table or the record, and B's feedback does not come back.
	res := f.pushOne(f.tok["a"], "feedback.send", store.SendFeedbackOp{Feedback: store.Feedback{ID: f.bFb.ID, SubmissionID: sa.ID, EnrollmentID: ea.ID,
		PatientID: f.pa.ID, TherapistID: f.a.ID, Body: "x", SentAt: now}})
	if res.Status != api.StatusRejected || len(res.Records) != 0 || strings.Contains(res.Error, "exists") || strings.Contains(res.Error, "UNIQUE") ||
		strings.Contains(res.Error, f.pb.ID) {
		t.Fatalf("id collision: %+v", res)
	}
	if len(res.Absent) != 1 || res.Absent[0].ID != f.bFb.ID {
		t.Fatalf("id collision: B's feedback is not reported absent: %+v", res)
	}
}
