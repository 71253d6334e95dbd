package tui

import (
	"context"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/tui/internal/fixture"
)

// addAdmin adds an admin account to the fixture store.
func addAdmin(t *testing.T, f *fixture.Fixture) store.Therapist {
	t.Helper()
	if a, err := f.DB.TherapistByHandle(context.Background(), "admin"); err == nil {
		return a
	}
	now := f.Clock.Now()
	a := store.Therapist{ID: f.DB.NewID(now), Handle: "admin", Name: "Service Admin", Role: store.RoleAdmin, Languages: []string{"fi"},
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := f.DB.Apply(context.Background(), store.System("test"), store.AddTherapistOp{Therapist: a}); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAdminGetsTheAdminScreen: an admin has no queue; the workbench says
// what admins do and the commands for it.
func TestAdminGetsTheAdminScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		f := newFixture(t)
		a := addAdmin(t, f)
		h := newHarness(t, options(f, a), size[0], size[1])
		s := h.view()
		mustContain(t, s, "admin", "polku therapists add", "polku therapists list", "polku programs import", "polku programs list",
			"polku tokens", "polku export", "polku settings", "polku serve", "polku --as")
		mustNotContain(t, s, "Needs you", "No patients here", "Loading the queue")
		h.keys("?")
		mustContain(t, h.view(), "quit")
		h.keys("esc", "q")
		if !h.m.quitting {
			t.Error("q quits from the admin screen")
		}
	}
}

// TestMessageSentOnlyWhenTheServerHasIt: on a replica whose outbox still
// holds the message, the workbench says it is saved and will be sent; it
// says "Message sent." once the outbox is empty. On a local store (the
// source of truth) it is sent at once.
func TestMessageSentOnlyWhenTheServerHasIt(t *testing.T) {
	write := func(h *harness, f *fixture.Fixture) {
		h.selectPatient(f, "P-0001")
		h.keys("enter", "2", "e")
		h.typeText("See you on Thursday.")
		h.keys("ctrl+s", "y")
	}
	t.Run("local", func(t *testing.T) {
		f := newFixture(t)
		h := newHarness(t, options(f, f.Anna), 80, 24)
		write(h, f)
		mustContain(t, h.view(), "Message sent.")
	})
	t.Run("replica offline", func(t *testing.T) {
		f := newFixture(t)
		opts := options(f, f.Anna)
		sy := &fakeSync{status: SyncStatus{Online: false, Pending: 1}}
		opts.Sync = sy
		h := newHarness(t, opts, 80, 24)
		write(h, f)
		mustContain(t, h.view(), "Saved; it will be sent when polku reaches the server.")
		mustNotContain(t, h.view(), "Message sent.")
		h.fire() // a poll: still offline
		mustNotContain(t, h.view(), "Message sent.")
		// Back online, the outbox pushed.
		sy.set(SyncStatus{Online: true, Pending: 0, LastSync: f.Clock.Now()})
		f.Clock.Advance(time.Second)
		h.fire()
		mustContain(t, h.view(), "Message sent.")
	})
	t.Run("replica refused", func(t *testing.T) {
		f := newFixture(t)
		opts := options(f, f.Anna)
		sy := &fakeSync{status: SyncStatus{Online: true, Pending: 1}}
		opts.Sync = sy
		h := newHarness(t, opts, 80, 24)
		write(h, f)
		mustNotContain(t, h.view(), "Message sent.")
		sy.set(SyncStatus{Online: true, Pending: 0, Conflicts: 1})
		h.fire()
		mustNotContain(t, h.view(), "Message sent.")
		mustContain(t, h.view(), "polku sync")
	})
}

// deliverSync is a Syncer that can say whether the server has a record.
type deliverSync struct {
	fakeSync
	mu    sync.Mutex
	done  map[string]bool
	asked []string
}

func (s *deliverSync) Deliver(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, id)
	return s.done[id], nil
}

func (s *deliverSync) deliverAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.asked {
		s.done[id] = true
	}
}

// TestMessageSentPerRecord: with a Syncer that can say whether the server
// has a record, "Message sent." waits for that record, whatever else the
// outbox holds; a refusal says so.
func TestMessageSentPerRecord(t *testing.T) {
	for _, outcome := range []string{"delivered", "refused"} {
		f := newFixture(t)
		opts := options(f, f.Anna)
		sy := &deliverSync{fakeSync: fakeSync{status: SyncStatus{Online: true, Pending: 5}}, done: map[string]bool{}}
		opts.Sync = sy
		h := newHarness(t, opts, 80, 24)
		h.selectPatient(f, "P-0001")
		h.keys("enter", "2", "e")
		h.typeText("See you on Thursday.")
		h.keys("ctrl+s", "y")
		mustContain(t, h.view(), "Saved; sending it to the server…")
		rec, _ := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0001"].ID, "test")
		last := rec.Messages[len(rec.Messages)-1]
		sy.mu.Lock()
		asked := append([]string(nil), sy.asked...)
		sy.mu.Unlock()
		if len(asked) == 0 || asked[0] != last.ID {
			t.Fatalf("asked about %v, want the message %s", asked, last.ID)
		}
		if outcome == "delivered" {
			sy.deliverAll()
		} else {
			sy.set(SyncStatus{Online: true, Pending: 4, Conflicts: 1})
		}
		h.fire() // the poll and the next check; other ops are still pending
		if outcome == "delivered" {
			mustContain(t, h.view(), "Message sent.")
		} else {
			mustNotContain(t, h.view(), "Message sent.")
			mustContain(t, h.view(), "not sent", "polku sync status")
		}
	}
}
