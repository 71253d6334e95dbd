package server_test

import (
	"context"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// courseOp is one step of a treatment's course as a client pushes it.
func (f *fixture) courseOp(actorID, enrollmentID string, version int64, kind string, mod func(*store.CourseOp)) store.CourseOp {
	now := time.Now().UTC().Truncate(time.Millisecond)
	e := f.fx.Enrollments[f.patientOf(enrollmentID)]
	op := store.CourseOp{Version: version, Event: store.EnrollmentEvent{ID: f.db.NewID(now), EnrollmentID: enrollmentID, PatientID: e.PatientID,
		Kind: kind, At: now, Date: now.Format(time.DateOnly), ActorID: actorID}}
	if mod != nil {
		mod(&op)
	}
	return op
}

func (f *fixture) patientOf(enrollmentID string) string {
	for pid, e := range f.fx.Enrollments {
		if e.ID == enrollmentID {
			return pid
		}
	}
	f.t.Fatalf("no enrollment %s", enrollmentID)
	return ""
}

func (f *fixture) version(enrollmentID string) int64 {
	return int64(f.count("SELECT version FROM enrollments WHERE id = ?", enrollmentID))
}

func TestCourseOpsArePushedAndAuthorized(t *testing.T) {
	f := newFixture(t, server.Config{})
	ea := f.fx.Enrollments[f.pa.ID]
	sup := f.fx.Supervisor
	refused := []struct {
		name, token string
		op          store.CourseOp
		status      string
	}{
		{"a colleague", "b", f.courseOp(f.b.ID, ea.ID, ea.Version, store.CoursePause, nil), api.StatusRejected},
		{"someone else's name", "a", f.courseOp(f.b.ID, ea.ID, ea.Version, store.CoursePause, nil), api.StatusRejected},
		{"a therapist transferring", "a", f.courseOp(f.a.ID, ea.ID, ea.Version, store.CourseTransfer, func(o *store.CourseOp) { o.Event.ToTherapist = f.b.ID }), api.StatusRejected},
		{"an admin account", "admin", f.courseOp("", ea.ID, ea.Version, store.CoursePause, nil), api.StatusRejected},
		{"another team's supervisor", "othersup", f.courseOp("", ea.ID, ea.Version, store.CoursePause, nil), api.StatusRejected},
		{"a stale version", "a", f.courseOp(f.a.ID, ea.ID, ea.Version-1, store.CoursePause, nil), api.StatusConflict},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			if res := f.pushOne(f.tok[c.token], "enrollment.course", c.op); res.Status != c.status {
				t.Fatalf("%+v, want %s", res, c.status)
			}
		})
	}
	if n := f.count("SELECT COUNT(*) FROM enrollment_events"); n != 0 {
		t.Fatalf("%d events written by refused pushes", n)
	}
	// The therapist pauses; the team's supervisor transfers to B.
	if res := f.pushOne(f.tok["a"], "enrollment.course", f.courseOp(f.a.ID, ea.ID, ea.Version, store.CoursePause, nil)); res.Status != api.StatusApplied {
		t.Fatalf("pause: %+v", res)
	}
	tr := f.courseOp(sup.ID, ea.ID, f.version(ea.ID), store.CourseTransfer, func(o *store.CourseOp) { o.Event.ToTherapist = f.b.ID; o.Event.Reason = "A on leave" })
	if res := f.pushOne(f.tok["sup"], "enrollment.course", tr); res.Status != api.StatusApplied {
		t.Fatalf("transfer: %+v", res)
	}
	// B now pulls the patient's whole record, the course included; A
	// writes nothing more on it.
	items := f.pullAll(f.tok["b"])
	events, subs := 0, 0
	for _, it := range items {
		if it.PatientID != f.pa.ID {
			continue
		}
		switch it.Type {
		case "enrollment_event":
			events++
		case "submission":
			subs++
		}
	}
	if events != 2 || subs != len(f.fx.Submissions[f.pa.ID]) {
		t.Fatalf("B pulled %d events and %d of %d submissions of the transferred patient", events, subs, len(f.fx.Submissions[f.pa.ID]))
	}
	if res := f.pushOne(f.tok["a"], "enrollment.course", f.courseOp(f.a.ID, ea.ID, f.version(ea.ID), store.CourseResume, nil)); res.Status != api.StatusRejected {
		t.Fatalf("A after the transfer: %+v", res)
	}
	// B resumes and completes, with the summary draft; then signs.
	if res := f.pushOne(f.tok["b"], "enrollment.course", f.courseOp(f.b.ID, ea.ID, f.version(ea.ID), store.CourseResume, nil)); res.Status != api.StatusApplied {
		t.Fatalf("resume: %+v", res)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	draft := store.Draft{ID: f.db.NewID(now), TherapistID: f.b.ID, PatientID: f.pa.ID, TargetType: store.DraftSummary, TargetID: ea.ID, Body: "# Summary", UpdatedAt: now}
	done := f.courseOp(f.b.ID, ea.ID, f.version(ea.ID), store.CourseComplete, func(o *store.CourseOp) { o.Draft = &draft })
	if res := f.pushOne(f.tok["b"], "enrollment.course", done); res.Status != api.StatusApplied {
		t.Fatalf("complete: %+v", res)
	}
	again := f.courseOp(f.b.ID, ea.ID, f.version(ea.ID), store.CourseComplete, nil)
	if res := f.pushOne(f.tok["b"], "enrollment.course", again); res.Status != api.StatusRejected || res.Code != api.CodeBadRequest {
		t.Fatalf("complete twice: %+v", res)
	}
	sum := store.Summary{ID: f.db.NewID(now), EnrollmentID: ea.ID, PatientID: f.pa.ID, TherapistID: f.b.ID, Body: "# Summary\nSigned.", Facts: []byte(`{}`), SignedAt: now}
	if res := f.pushOne(f.tok["a"], "summary.sign", store.SignSummaryOp{Summary: store.Summary{ID: f.db.NewID(now), EnrollmentID: ea.ID, PatientID: f.pa.ID,
		TherapistID: f.a.ID, Body: "x", Facts: []byte(`{}`), SignedAt: now}}); res.Status != api.StatusRejected {
		t.Fatalf("A signing B's summary: %+v", res)
	}
	if res := f.pushOne(f.tok["b"], "summary.sign", store.SignSummaryOp{Summary: sum, DraftID: draft.ID}); res.Status != api.StatusApplied {
		t.Fatalf("sign: %+v", res)
	}
	if n := f.count("SELECT COUNT(*) FROM drafts WHERE id = ?", draft.ID); n != 0 {
		t.Fatal("the draft outlived the signing")
	}
	// A second signing without superseding is a conflict.
	sum.ID = f.db.NewID(now)
	if res := f.pushOne(f.tok["b"], "summary.sign", store.SignSummaryOp{Summary: sum}); res.Status != api.StatusConflict {
		t.Fatalf("second summary without supersedes: %+v", res)
	}
	ctx := context.Background()
	v, err := f.db.PatientSummary(ctx, store.ActorFor(f.b, "t"), f.pa.ID, "")
	if err != nil || !v.Signed || v.Body != "# Summary\nSigned." {
		t.Fatalf("summary: %+v, %v", v, err)
	}
}
