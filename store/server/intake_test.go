package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
)

func TestIntegrationAddsReferralsAndReadsNotifications(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	tok, info, err := server.CreateIntegrationToken(ctx, f.db, "ehr", server.TokenOptions{})
	if err != nil || info.Kind != "integration" {
		t.Fatal(info, err)
	}
	body := `{"source_id": "EHR-1", "patient": {"pseudonym": "R-1", "display_name": "Aino", "birth_date": "1990-01-01", "language": "fi"},
		"region": "pirkanmaa", "referrer": {"name": "Dr. L", "organisation": "Health centre"}, "reason": "Worry", "codes": ["F41.1"]}`
	code, out := f.do("POST", "/v1/referrals", tok, body)
	if code != 201 || !strings.Contains(out, `"created":true`) {
		t.Fatalf("first: %d %s", code, out)
	}
	code, out = f.do("POST", "/v1/referrals", tok, body)
	if code != 200 || !strings.Contains(out, `"created":false`) {
		t.Fatalf("again: %d %s", code, out)
	}
	bad := strings.Replace(body, `"F41.1"`, `"F4"`, 1)
	bad = strings.Replace(bad, "EHR-1", "EHR-2", 1)
	if code, out = f.do("POST", "/v1/referrals", tok, bad); code != 400 || !strings.Contains(out, "codes[0]") {
		t.Errorf("malformed code: %d %s", code, out)
	}
	// Staff and patient tokens may not add referrals; the integration may
	// do nothing else.
	for _, who := range []string{"a", "sup", "admin", "pa"} {
		if code, _ := f.do("POST", "/v1/referrals", f.tok[who], body); code != 403 {
			t.Errorf("%s adds a referral: %d", who, code)
		}
	}
	for _, path := range []string{"/v1/changes", "/v1/patient/me"} {
		if code, _ := f.do("GET", path, tok, ""); code != 403 {
			t.Errorf("integration reads %s: %d", path, code)
		}
	}
	if code, _ := f.do("POST", "/v1/ops", tok, `{"ops": []}`); code != 403 {
		t.Errorf("integration pushes: %d", code)
	}
	// An accepted referral queues a notification the integration reads.
	r, err := f.db.ResolveReferral(ctx, "EHR-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.AcceptReferral(ctx, store.System("t"), store.AcceptRequest{ReferralID: r.ID, ProgramID: "gad", Therapist: f.a.Handle}, false); err != nil {
		t.Fatal(err)
	}
	code, out = f.do("GET", "/v1/notifications", tok, "")
	if code != 200 || !strings.Contains(out, `"kind":"referral-accepted"`) || !strings.Contains(out, `"source_id":"EHR-1"`) {
		t.Fatalf("notifications: %d %s", code, out)
	}
	if code, _ := f.do("GET", "/v1/notifications", f.tok["sup"], ""); code != 403 {
		t.Errorf("a supervisor reads notifications: %d", code)
	}
}

// An intake worker's replica receives the open referrals of their team:
// the patient, the referral and its assessments, and nothing else of an
// existing patient's record.
func TestPullGivesIntakeWorkersTheirOpenReferrals(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	head := f.pullPage(f.tok["othersup"], "0", "", 0)
	for head.More {
		head = f.pullPage(f.tok["othersup"], head.Cursor, "", 0)
	}
	// A referral of team south for patient pa, who is in treatment in
	// another team: othersup (south) gets pa's row and the referral only.
	var in store.ReferralIn
	in.SourceID, in.Team, in.Reason = "EHR-7", "south", "Worry"
	in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = f.pa.Pseudonym, f.pa.DisplayName, f.pa.BirthDate, f.pa.Language
	in.Referrer.Name, in.Referrer.Organisation = "Dr. L", "HC"
	if _, err := f.db.ReceiveReferral(ctx, store.System("t"), in, false); err != nil {
		t.Fatal(err)
	}
	page := f.pullPage(f.tok["othersup"], head.Cursor, "", 0)
	types := map[string]int{}
	for _, it := range page.Items {
		types[it.Type]++
	}
	if types["referral"] != 1 || types["patient"] != 1 || len(page.Items) != 2 {
		t.Errorf("othersup pulled %v", types)
	}
	all := f.pullAll(f.tok["othersup"])
	for _, it := range all {
		if it.PatientID == f.pa.ID && it.Type != "patient" && it.Type != "referral" {
			t.Errorf("othersup received %s %s of a patient known only by a referral", it.Type, it.ID)
		}
	}
	// A therapist who is not an intake worker receives no referral.
	for _, it := range f.pullAll(f.tok["b"]) {
		if it.Type == "referral" && it.PatientID == f.pa.ID {
			t.Errorf("b received the referral")
		}
	}
}

// The notification cursor is the server's order of arrival, not the
// notification's id: a notification made on a replica whose clock is
// behind (an older id) still comes after the cursor.
func TestNotificationCursorIsTheServersOrder(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	tok, _, err := server.CreateIntegrationToken(ctx, f.db, "mail", server.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	accept := func(source string, at time.Time) {
		var in store.ReferralIn
		in.SourceID, in.Reason = source, "Worry"
		in.Patient.Pseudonym, in.Patient.DisplayName, in.Patient.BirthDate, in.Patient.Language = "N-"+source, "N", "1990-01-01", "fi"
		in.Referrer.Name, in.Referrer.Organisation = "Dr. L", "HC"
		rec, err := f.db.ReceiveReferral(ctx, store.System("t"), in, false)
		if err != nil {
			t.Fatal(err)
		}
		th, _ := f.db.Therapist(ctx, f.a.ID)
		pv, _ := f.db.ProgramVersion(ctx, "gad", 0)
		e := store.Enrollment{ID: f.db.NewID(at), PatientID: rec.Patient.ID, ReferralID: rec.Referral.ID, ProgramVersionID: pv.ID, ProgramID: "gad",
			TherapistID: th.ID, Status: store.EnrollmentScheduled, StartDate: time.Now().AddDate(0, 0, 1).Format(time.DateOnly),
			PlannedEnd: time.Now().AddDate(0, 0, 90).Format(time.DateOnly), CreatedAt: at, UpdatedAt: at, Version: 1}
		n := store.Notification{ID: f.db.NewID(at), Kind: store.NotifyAccepted, Recipient: store.ToPatient, ReferralID: rec.Referral.ID,
			PatientID: rec.Patient.ID, SourceID: source, Language: "fi", StartDate: e.StartDate, Text: "Accepted", CreatedAt: at}
		if err := f.db.Apply(ctx, store.System("t"), store.AcceptReferralOp{ReferralVersion: 1, Enrollment: e, Notification: n, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	accept("N1", time.Now())
	_, out := f.do("GET", "/v1/notifications", tok, "")
	var page struct {
		Notifications []store.Notification `json:"notifications"`
		Next          string               `json:"next"`
	}
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Notifications) != 1 {
		t.Fatalf("%s %v", out, err)
	}
	accept("N2", time.Now().Add(-time.Hour)) // a replica an hour behind
	_, out = f.do("GET", "/v1/notifications?after="+page.Next, tok, "")
	if !strings.Contains(out, `"source_id":"N2"`) {
		t.Errorf("the late-clocked notification was skipped: %s", out)
	}
}
