package store_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"polku/store"
)

// waitFor polls until cond holds (for at most ten seconds).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Operations that wait while a group commits go together in the next
// group: each in its own savepoint, so that the refused ones are rolled
// back alone and their callers get their own errors; the others commit,
// in the change log in the order they were queued. An operation whose
// caller gave up before its turn is not applied.
func TestGroupCommitIsolatesRefusals(t *testing.T) {
	f := newFixture(t)
	f.db.EnableGroupCommit(0)
	ctx := context.Background()
	now := f.db.Now()
	msg := func(body string) store.SendMessageOp {
		return store.SendMessageOp{Message: store.Message{ID: f.db.NewID(now), EnrollmentID: f.enroll.ID, PatientID: f.patient.ID,
			Direction: store.DirectionOut, TherapistID: f.therapist.ID, Body: body, SentAt: now}}
	}
	// The first operation holds the writer until the others wait.
	started, release := make(chan struct{}), make(chan struct{})
	first := msg("first")
	firstErr := make(chan error, 1)
	go func() {
		firstErr <- f.db.ApplyChecked(ctx, f.actor, first, func(*sql.Tx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	before := f.db.GroupCommitStats()

	ok1, ok2, ok3 := msg("second"), msg("third"), msg("fourth")
	badRef := msg("to an enrollment that is not there")
	badRef.Message.EnrollmentID = f.db.NewID(now)
	dupID := msg("the second one's id again")
	dupID.Message.ID = ok1.Message.ID
	cancelled := msg("given up")
	checkRefused := msg("refused by its check")
	cctx, cancel := context.WithCancel(ctx)
	type sub struct {
		ctx   context.Context
		op    store.SendMessageOp
		check func(*sql.Tx) error
	}
	subs := []sub{{ctx, ok1, nil}, {ctx, badRef, nil}, {cctx, cancelled, nil}, {ctx, ok2, nil}, {ctx, dupID, nil},
		{ctx, checkRefused, func(*sql.Tx) error { return store.ErrForbidden }}, {ctx, ok3, nil}}
	errs := make([]chan error, len(subs))
	for i, s := range subs {
		errs[i] = make(chan error, 1)
		go func() { errs[i] <- f.db.ApplyChecked(s.ctx, f.actor, s.op, s.check) }()
		waitFor(t, "the operation to queue", func() bool { return f.db.GroupCommitStats().Waiting == i+1 })
	}
	cancel()
	close(release)
	if err := <-firstErr; err != nil {
		t.Fatalf("first: %v", err)
	}
	got := make([]error, len(subs))
	for i := range subs {
		got[i] = <-errs[i]
	}
	for i, want := range []error{nil, store.ErrNotFound, context.Canceled, nil, store.ErrConflict, store.ErrForbidden, nil} {
		if want == nil && got[i] != nil || want != nil && !errors.Is(got[i], want) {
			// A bad reference may be told as invalid or not found.
			if !(want == store.ErrNotFound && errors.Is(got[i], store.ErrInvalid)) {
				t.Errorf("operation %d: got %v, want %v", i, got[i], want)
			}
		}
	}
	after := f.db.GroupCommitStats()
	if g, n := after.Groups-before.Groups, after.Ops-before.Ops; g != 2 || n != int64(1+len(subs)) {
		t.Errorf("%d operations in %d groups, want %d in 2", n, g, 1+len(subs))
	}
	rows, err := f.db.Reader().QueryContext(ctx, "SELECT entity_id FROM changes WHERE entity = 'messages' ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var order []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		order = append(order, id)
	}
	want := []string{first.Message.ID, ok1.Message.ID, ok2.Message.ID, ok3.Message.ID}
	if !slices.Equal(order, want) {
		t.Errorf("change log of messages %v, want %v", order, want)
	}
	var n int
	f.db.Reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM messages").Scan(&n)
	if n != len(want) {
		t.Errorf("%d messages stored, want %d", n, len(want))
	}
}

// Alone, an operation commits at once, in a group of its own; a refusal
// alone commits nothing.
func TestGroupCommitAlone(t *testing.T) {
	f := newFixture(t)
	f.db.EnableGroupCommit(0)
	ctx := context.Background()
	now := f.db.Now()
	m := store.Message{ID: f.db.NewID(now), EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionOut,
		TherapistID: f.therapist.ID, Body: "hello", SentAt: now}
	if err := f.db.Apply(ctx, f.actor, store.SendMessageOp{Message: m}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Apply(ctx, f.actor, store.SendMessageOp{Message: m}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("the same message again: %v, want a conflict", err)
	}
	if st := f.db.GroupCommitStats(); st.Groups != 2 || st.Ops != 2 || st.Waiting != 0 {
		t.Fatalf("stats %+v, want 2 operations in 2 groups", st)
	}
	var n int
	f.db.Reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM changes WHERE entity = 'messages'").Scan(&n)
	if n != 1 {
		t.Fatalf("%d change-log rows for messages, want 1", n)
	}
}

// A panic inside a group fails that group's callers with an error and
// leaves the writer working.
func TestGroupCommitSurvivesAPanic(t *testing.T) {
	f := newFixture(t)
	f.db.EnableGroupCommit(0)
	ctx := context.Background()
	now := f.db.Now()
	err := f.db.ApplyChecked(ctx, f.actor, store.SendMessageOp{}, func(*sql.Tx) error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("a panicking check: %v", err)
	}
	m := store.Message{ID: f.db.NewID(now), EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionOut,
		TherapistID: f.therapist.ID, Body: "after", SentAt: now}
	done := make(chan error, 1)
	go func() { done <- f.db.Apply(ctx, f.actor, store.SendMessageOp{Message: m}) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the writer is stuck after a panic")
	}
}
