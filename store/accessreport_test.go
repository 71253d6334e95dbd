package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
)

func TestAccessReportsFlagReadsOutsideTheAssignmentAtTheTime(t *testing.T) {
	ctx := context.Background()
	cur := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"), store.Options{Create: true, Clock: func() time.Time { return cur }, Random: rand.NewChaCha8([32]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(ctx, db, demo.Config{Seed: 1, Patients: 40, Now: cur}); err != nil {
		t.Fatal(err)
	}
	actor := func(h string) store.Actor {
		th, err := db.TherapistByHandle(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		return store.ActorFor(th, "laptop-"+h)
	}
	me := actor(demo.DemoHandle)
	ths, _ := db.Therapists(ctx)
	var other store.Actor
	for _, th := range ths {
		if th.Role == store.RoleTherapist && th.Handle != me.Handle && th.Team == me.Team {
			other = store.ActorFor(th, "laptop-"+th.Handle)
			break
		}
	}
	pats, err := db.Patients(ctx, me, store.PatientFilter{})
	if err != nil || len(pats) == 0 {
		t.Fatalf("the demo therapist has no patients: %v", err)
	}
	p := pats[0]
	rec, err := db.PatientRecord(ctx, me, p.ID, "test:before") // 12:00, assigned to me
	if err != nil {
		t.Fatal(err)
	}
	enr := rec.Enrollments[len(rec.Enrollments)-1]

	cur = cur.Add(time.Hour) // 13:00: the other therapist reads without being assigned
	if err := db.RecordAccess(ctx, other, p.ID, "read", "test:peek"); err != nil {
		t.Fatal(err)
	}
	cur = cur.Add(time.Hour) // 14:00: the patient moves to the other therapist
	if err := db.UpdateEnrollment(ctx, store.System("test"), store.UpdateEnrollmentOp{ID: enr.ID, Version: enr.Version, TherapistID: other.ID}); err != nil {
		t.Fatal(err)
	}
	cur = cur.Add(time.Hour) // 15:00: now it is the other therapist's patient, and no longer mine
	if err := db.RecordAccess(ctx, other, p.ID, "read", "test:care"); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordAccess(ctx, me, p.ID, "read", "test:after"); err != nil {
		t.Fatal(err)
	}
	sup := actor(demo.SupervisorHandle)
	if err := db.RecordAccess(ctx, sup, p.ID, "read", "test:supervise"); err != nil {
		t.Fatal(err)
	}
	cur = cur.Add(time.Hour)

	admin := actor(demo.AdminHandle)
	for _, a := range []store.Actor{me, sup} {
		if _, err := db.PatientAccess(ctx, a, p.ID, time.Time{}, time.Time{}, "test"); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s reads the patient's access report: %v", a.Handle, err)
		}
		if _, err := db.UserAccess(ctx, a, other.Handle, time.Time{}, time.Time{}, "test"); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s reads a user's access report: %v", a.Handle, err)
		}
	}
	r, err := db.PatientAccess(ctx, admin, p.ID, time.Date(2026, 11, 23, 12, 30, 0, 0, time.UTC), time.Time{}, "test:access-report")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.AccessRead{}
	for _, rd := range r.Reads {
		got[rd.Detail] = rd
	}
	if _, ok := got["test:before"]; ok {
		t.Error("a read before --from is in the report")
	}
	for detail, want := range map[string]string{"test:peek": store.PurposeNone, "test:care": store.PurposeCare, "test:after": store.PurposeNone, "test:supervise": store.PurposeSupervision} {
		rd, ok := got[detail]
		if !ok {
			t.Errorf("read %s missing", detail)
			continue
		}
		if rd.Purpose != want || rd.Assigned != (want != store.PurposeNone) {
			t.Errorf("read %s by %s: purpose %q assigned %v, want %q", detail, rd.Handle, rd.Purpose, rd.Assigned, want)
		}
		if rd.Name == "" || rd.Role == "" || rd.Device == "" {
			t.Errorf("read %s: who and where missing: %+v", detail, rd)
		}
	}

	u, err := db.UserAccess(ctx, admin, other.Handle, time.Time{}, time.Time{}, "test:by")
	if err != nil {
		t.Fatal(err)
	}
	if u.Unassigned != 1 || len(u.Reads) != 2 || u.Reads[0].Pseudonym != p.Pseudonym {
		t.Errorf("reads by %s: %d, unassigned %d; want 2 and 1", other.Handle, len(u.Reads), u.Unassigned)
	}
	// Both reports are reads themselves: in the patient's audit log.
	log, err := db.AuditLog(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var reports int
	for _, e := range log {
		if e.ActorID == admin.ID && (e.Detail == "test:access-report" || e.Detail == "test:by") {
			reports++
		}
	}
	if reports != 2 {
		t.Errorf("%d of the 2 access reports are in the audit log", reports)
	}
}
