package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/client"
	"polku/store/server"
)

// The portal pages by the server's change log, not by the times inside
// records (which a therapist's clock wrote): a message written offline on
// a laptop whose clock is an hour behind still reaches a patient who polled
// after it was "sent". Audit rows get the server's time.
func TestPortalAndAuditIgnoreClientClocks(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	ea := f.fx.Enrollments[f.pa.ID]
	pc, err := client.New(f.http.URL, f.tok["pa"], client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, cursor, err := pc.MessagesSince(ctx, "")
	if err != nil || len(all) == 0 || cursor == "" {
		t.Fatalf("first poll: %d messages, cursor %q, %v", len(all), cursor, err)
	}
	sa := f.unanswered(f.pa.ID)
	unread, err := f.db.SendFeedback(ctx, store.ActorFor(f.a, "a"), store.Feedback{SubmissionID: sa.ID, EnrollmentID: ea.ID, PatientID: f.pa.ID, Body: "unread"}, "")
	if err != nil {
		t.Fatal(err)
	}
	fbs, fbCursor, err := pc.FeedbackSince(ctx, "")
	if err != nil || len(fbs) == 0 || fbs[len(fbs)-1].ID != unread.ID {
		t.Fatalf("first feedback poll: %d, %v", len(fbs), err)
	}
	// Nothing new: nothing comes.
	again, cursor, err := pc.MessagesSince(ctx, cursor)
	if err != nil || len(again) != 0 {
		t.Fatalf("poll with no new message: %d messages, %v", len(again), err)
	}

	behind := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	msg := store.Message{ID: f.db.NewID(behind), EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: store.DirectionOut, TherapistID: f.a.ID,
		Body: "written offline", SentAt: behind}
	if res := f.pushOne(f.tok["a"], "message.send", store.SendMessageOp{Message: msg}); res.Status != api.StatusApplied {
		t.Fatalf("push: %+v", res)
	}
	got, next, err := pc.MessagesSince(ctx, cursor)
	if err != nil || len(got) != 1 || got[0].ID != msg.ID || next == cursor {
		t.Fatalf("poll after the offline message: %+v, cursor %q, %v", got, next, err)
	}
	// The patient reads feedback: the change comes back with the read time.
	if err := pc.MarkFeedbackRead(ctx, "", unread.ID); err != nil {
		t.Fatal(err)
	}
	read, _, err := pc.FeedbackSince(ctx, fbCursor)
	if err != nil || len(read) != 1 || read[0].ID != unread.ID || read[0].ReadAt == nil {
		t.Fatalf("poll after reading feedback: %+v, %v", read, err)
	}
	// A time is not a cursor.
	st, body := f.do("GET", "/v1/patient/messages?since="+behind.Format(time.RFC3339), f.tok["pa"], "")
	if st != 400 || !strings.Contains(body, "is not a cursor") {
		t.Fatalf("since=TIME: %d %s", st, body)
	}

	// An audit row pushed with a clock far off is stamped with the
	// server's time and the token's device.
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	entry := store.AuditEntry{ID: f.db.NewID(past), At: past, ActorID: f.a.ID, Device: "forged", PatientID: f.pa.ID, Action: "read"}
	if res := f.pushOne(f.tok["a"], "audit.read", store.RecordAccessOp{Entry: entry}); res.Status != api.StatusApplied {
		t.Fatalf("audit push: %+v", res)
	}
	var at, device string
	if err := f.db.Reader().QueryRow("SELECT at, device FROM audit WHERE id = ?", entry.ID).Scan(&at, &device); err != nil {
		t.Fatal(err)
	}
	stamped, _ := time.Parse(time.RFC3339Nano, at)
	if d := time.Since(stamped); d < 0 || d > time.Minute || device != "dev-a" {
		t.Fatalf("audit row at %s on %q, want the server's time and the token's device", at, device)
	}
}
