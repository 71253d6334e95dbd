package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"polku/store"
)

// A patient the actor may not read and a patient that does not exist get
// the same answer, which names neither the patient's internal id nor
// whose patient it is.
func TestReadablePatientSameAnswer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bert, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "bert", Name: "Bert", Role: store.RoleTherapist, Team: "north"})
	sara, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara", Role: store.RoleSupervisor, Team: "south"})
	nils, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "nils", Name: "Nils", Role: store.RoleSupervisor, Team: "north"})
	root, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "root", Name: "Root", Role: store.RoleAdmin})

	for _, who := range []store.Actor{f.actor, store.ActorFor(sara, "t"), store.LocalUser("admin", "t")} {
		for _, ref := range []string{f.patient.Pseudonym, strings.ToLower(f.patient.Pseudonym), f.patient.ID} {
			p, err := f.db.ReadablePatient(ctx, who, ref)
			if err != nil || p.ID != f.patient.ID {
				t.Errorf("%s resolving %s: %v", who.Handle, ref, err)
			}
		}
	}
	for _, who := range []store.Actor{store.ActorFor(bert, "t"), store.ActorFor(nils, "t"), store.ActorFor(root, "t")} {
		_, refused := f.db.ReadablePatient(ctx, who, f.patient.Pseudonym)
		_, unknown := f.db.ReadablePatient(ctx, who, "P-9999")
		if refused == nil || unknown == nil {
			t.Fatalf("%s: refused %v, unknown %v", who.Handle, refused, unknown)
		}
		same := strings.Replace(unknown.Error(), "P-9999", f.patient.Pseudonym, 1)
		if refused.Error() != same {
			t.Errorf("%s: refused %q but unknown %q", who.Handle, refused, unknown)
		}
		if errors.Is(refused, store.ErrNotFound) != errors.Is(unknown, store.ErrNotFound) || errors.Is(refused, store.ErrForbidden) != errors.Is(unknown, store.ErrForbidden) {
			t.Errorf("%s: refused and unknown are different kinds of error: %v / %v", who.Handle, refused, unknown)
		}
		for _, leak := range []string{f.patient.ID, f.therapist.Handle, "team", "assigned"} {
			if strings.Contains(refused.Error(), leak) {
				t.Errorf("%s: the refusal %q tells %q", who.Handle, refused, leak)
			}
		}
	}
	// A therapist's and a supervisor's refusal is "not found" (a server
	// maps it to 404); an admin account is told what admin accounts do.
	if _, err := f.db.ReadablePatient(ctx, store.ActorFor(bert, "t"), f.patient.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bert: %v, want ErrNotFound", err)
	}
	if _, err := f.db.ReadablePatient(ctx, store.ActorFor(root, "t"), f.patient.ID); !errors.Is(err, store.ErrForbidden) || !strings.Contains(err.Error(), "admin account") {
		t.Errorf("root: %v", err)
	}
}

// The audit log of a patient is read like the record itself: by the
// assigned therapist, a supervisor of their team, or the store's owner at
// the CLI; and reading it is itself audited.
func TestPatientAuditLogAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bert, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "bert", Name: "Bert", Role: store.RoleTherapist, Team: "north"})
	sara, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara", Role: store.RoleSupervisor, Team: "south"})
	nils, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "nils", Name: "Nils", Role: store.RoleSupervisor, Team: "north"})
	root, _ := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "root", Name: "Root", Role: store.RoleAdmin})
	if _, err := f.db.PatientRecord(ctx, f.actor, f.patient.ID, "overview"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		all, err := f.db.AuditLog(ctx, f.patient.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	for _, c := range []struct {
		who store.Actor
		ok  bool
	}{
		{f.actor, true},
		{store.ActorFor(sara, "t"), true},
		{store.LocalUser("admin", "t"), true},
		{store.ActorFor(bert, "t"), false},
		{store.ActorFor(nils, "t"), false},
		{store.ActorFor(root, "t"), false},
	} {
		f.clock.advance(time.Minute)
		n := count()
		log, err := f.db.PatientAuditLog(ctx, c.who, f.patient.ID, "cli:audit")
		if !c.ok {
			if !errors.Is(err, store.ErrForbidden) || log != nil {
				t.Errorf("%s read the audit log: %v, %d rows", c.who.Handle, err, len(log))
			}
			if count() != n {
				t.Errorf("%s: a refused read wrote to the audit log", c.who.Handle)
			}
			continue
		}
		if err != nil || len(log) != n {
			t.Errorf("%s: %v, %d rows, want %d", c.who.Handle, err, len(log), n)
			continue
		}
		all, _ := f.db.AuditLog(ctx, f.patient.ID)
		if len(all) != n+1 {
			t.Fatalf("%s: reading the audit log was not audited", c.who.Handle)
		}
		if e := all[len(all)-1]; e.ActorID != c.who.ID || e.Action != "read" || e.Detail != "cli:audit" {
			t.Errorf("%s: the audit row of the read is %+v", c.who.Handle, e)
		}
	}
}
