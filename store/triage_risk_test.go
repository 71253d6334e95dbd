package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"polku/store"
)

// riskReasons returns the risk reasons of a patient in a queue, or nil
// when the patient is not in it.
func riskReasons(q *store.Queue, patientID string) (items int, rs []store.Reason) {
	for _, it := range q.Items {
		if it.PatientID != patientID {
			continue
		}
		items++
		for _, r := range it.Reasons {
			if r.Class == store.ClassRisk {
				rs = append(rs, r)
			}
		}
	}
	return items, rs
}

func TestRiskFlagOutlivesEnrollment(t *testing.T) {
	for _, status := range []string{store.EnrollmentCompleted, store.EnrollmentDiscontinued} {
		t.Run(status, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			f.clock.advance(24 * time.Hour)
			// A red answer on the final questionnaire, then the enrollment ends.
			m, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 1,
				Answers: []int{1, 1, 1, 1, 1, 1, 1, 1, 2}})
			if err != nil {
				t.Fatal(err)
			}
			f.clock.advance(time.Hour)
			if err := f.db.UpdateEnrollment(ctx, sys, store.UpdateEnrollmentOp{ID: f.enroll.ID, Version: f.enroll.Version, Status: status, At: f.clock.now()}); err != nil {
				t.Fatal(err)
			}
			f.clock.advance(48 * time.Hour)
			q, err := f.db.Triage(ctx, f.actor, f.therapist.ID)
			if err != nil {
				t.Fatal(err)
			}
			n, rs := riskReasons(q, f.patient.ID)
			if n != 1 || len(rs) != 1 || rs[0].SourceID != m.ID || q.Items[0].Class != store.ClassRisk {
				t.Fatalf("after %s: %d items, risk reasons %+v", status, n, rs)
			}
			for _, want := range []string{"PHQ-9 item 9 answered 2 on 17 Nov", "from the " + status + " enrollment", "anna's as the last therapist assigned", "supervisor"} {
				if !strings.Contains(rs[0].Text, want) {
					t.Errorf("reason %q lacks %q", rs[0].Text, want)
				}
			}
			if len(q.Items[0].Reasons) != 1 {
				t.Errorf("a finished enrollment raises nothing but its risk flags: %+v", q.Items[0].Reasons)
			}
			// The supervisor's team view keeps it too.
			sup, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "sara", Name: "Sara S", Role: store.RoleSupervisor, Team: "south"})
			if err != nil {
				t.Fatal(err)
			}
			v, err := f.db.Team(ctx, store.ActorFor(sup, "test"), "south")
			if err != nil {
				t.Fatal(err)
			}
			if v.Members[0].Counts[store.ClassRisk] != 1 || v.Members[0].Patients != 0 {
				t.Fatalf("team view: risk %d (want the flag kept), caseload %d (want 0)", v.Members[0].Counts[store.ClassRisk], v.Members[0].Patients)
			}

			// Enrolled again with another therapist: the new therapist sees
			// the old flag with its date and source; anna no longer owns it.
			bert, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "bert", Name: "Bert B", Role: store.RoleTherapist, Team: "south", Capacity: 10})
			if err != nil {
				t.Fatal(err)
			}
			f.clock.advance(time.Hour)
			e2, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: f.patient.ID, ProgramVersionID: f.enroll.ProgramVersionID, TherapistID: bert.ID, UnlockedModules: 1}, 0)
			if err != nil {
				t.Fatal(err)
			}
			bq, err := f.db.Triage(ctx, store.ActorFor(bert, "test"), bert.ID)
			if err != nil {
				t.Fatal(err)
			}
			n, rs = riskReasons(bq, f.patient.ID)
			if n != 1 || len(rs) != 1 || rs[0].SourceID != m.ID || bq.Items[0].EnrollmentID != e2.ID || !strings.Contains(rs[0].Text, "17 Nov") ||
				!strings.Contains(rs[0].Text, "bert's as the last therapist assigned") {
				t.Fatalf("new therapist's queue: %d items, %+v", n, rs)
			}
			aq, _ := f.db.Triage(ctx, f.actor, f.therapist.ID)
			if n, _ := riskReasons(aq, f.patient.ID); n != 0 {
				t.Fatalf("the previous therapist still has the patient: %+v", aq.Items)
			}
			// Anna may not acknowledge it any more; bert may, on his own
			// enrollment, and then the flag is gone.
			ack := store.RiskAck{PatientID: f.patient.ID, EnrollmentID: e2.ID, SourceType: store.RiskSourceMeasure, SourceID: m.ID, Action: store.AckCalledPatient}
			var fe *store.FieldError
			if _, err := f.db.AckRisk(ctx, f.actor, ack); !errors.Is(err, store.ErrForbidden) && !(errors.As(err, &fe) && fe.Field == "therapist_id") {
				t.Fatalf("anna acknowledging on bert's enrollment: %v, want forbidden or not assigned", err)
			}
			if _, err := f.db.AckRisk(ctx, store.ActorFor(bert, "test"), ack); err != nil {
				t.Fatal(err)
			}
			bq, _ = f.db.Triage(ctx, store.ActorFor(bert, "test"), bert.ID)
			if _, rs := riskReasons(bq, f.patient.ID); len(rs) != 0 {
				t.Fatalf("acknowledged flag still shown: %+v", rs)
			}
		})
	}
}

func TestFinishedEnrollmentWithoutFlagsLeavesTheQueue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.clock.advance(time.Hour)
	if _, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 1,
		Answers: []int{1, 1, 1, 1, 1, 1, 1, 1, 0}}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.UpdateEnrollment(ctx, sys, store.UpdateEnrollmentOp{ID: f.enroll.ID, Version: f.enroll.Version, Status: store.EnrollmentCompleted, At: f.clock.now()}); err != nil {
		t.Fatal(err)
	}
	q, _ := f.db.Triage(ctx, f.actor, f.therapist.ID)
	if len(q.Items) != 0 {
		t.Fatalf("completed enrollment without flags in the queue: %+v", q.Items)
	}
}

func TestTriageRiskPhrasesMatchAsPeopleWrite(t *testing.T) {
	for _, c := range []struct {
		body, phrase string
	}{
		{"Minulla on ollut itsemurha-ajatuksia.", "itsemurh*"},
		{"Tapan\u00a0itseni.", "tapan itseni"},
		{"I'd like to upskill myself this spring.", ""},
		{"Jag vill dölja hur jag mår.", ""},
		{"They would be better off\nwithout me", "better off without me"},
	} {
		f := newFixture(t)
		ctx := context.Background()
		f.clock.advance(time.Hour)
		m, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: c.body}, "")
		if err != nil {
			t.Fatal(err)
		}
		q, _ := f.db.Triage(ctx, f.actor, f.therapist.ID)
		_, rs := riskReasons(q, f.patient.ID)
		if c.phrase == "" {
			if len(rs) != 0 {
				t.Errorf("%q flagged: %+v", c.body, rs)
			}
			continue
		}
		if len(rs) != 1 || rs[0].SourceID != m.ID || rs[0].Phrase != c.phrase || !rs[0].Heuristic || !strings.Contains(rs[0].Text, "heuristic") ||
			!strings.Contains(rs[0].Text, c.phrase[:len(c.phrase)-1]) {
			t.Errorf("%q: %+v, want one heuristic flag naming %q", c.body, rs, c.phrase)
		}
	}
}

func TestRiskAckAndMeasureChecks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.clock.advance(24 * time.Hour)
	m, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 1,
		Answers: []int{0, 0, 0, 0, 0, 0, 0, 0, 3}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.db.AddTherapist(ctx, sys, store.Therapist{Handle: "olli", Name: "Olli O", Role: store.RoleTherapist, Team: "north", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	now := f.clock.now()
	for _, c := range []struct {
		name  string
		ack   store.RiskAck
		field string
	}{
		{"before the answer", store.RiskAck{TherapistID: f.therapist.ID, AckedAt: m.AnsweredAt.Add(-time.Hour)}, "acked_at"},
		{"by a therapist not assigned", store.RiskAck{TherapistID: other.ID, AckedAt: now}, "therapist_id"},
		{"in the future", store.RiskAck{TherapistID: f.therapist.ID, AckedAt: now.Add(24 * time.Hour)}, "acked_at"},
	} {
		a := c.ack
		a.PatientID, a.EnrollmentID, a.SourceType, a.SourceID, a.Action = f.patient.ID, f.enroll.ID, store.RiskSourceMeasure, m.ID, store.AckNoAcuteRisk
		// The same check runs for a write by the system (sync, tools) ...
		_, err := f.db.AckRisk(ctx, sys, a)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
		// ... and for an import.
		a.ID = "ack-" + strings.ReplaceAll(c.name, " ", "-")
		line, _ := json.Marshal(struct {
			Type string `json:"type"`
			store.RiskAck
		}{"risk_ack", a})
		_, err = f.db.Import(ctx, sys, strings.NewReader(string(line)+"\n"), false)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("import %s: %v, want an error on %s", c.name, err, c.field)
		}
	}
	// A measure answered in the future is refused.
	_, err = f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 1,
		Answers: []int{0, 0, 0, 0, 0, 0, 0, 0, 0}, AnsweredAt: now.Add(48 * time.Hour)})
	var fe *store.FieldError
	if !errors.As(err, &fe) || fe.Field != "answered_at" || !strings.Contains(err.Error(), "future") {
		t.Errorf("future measure: %v", err)
	}
	// The flag is still there: nothing above cleared it.
	q, _ := f.db.Triage(ctx, f.actor, f.therapist.ID)
	if _, rs := riskReasons(q, f.patient.ID); len(rs) != 1 {
		t.Fatalf("flag after refused acknowledgements: %+v", rs)
	}
}

func TestNotValidatedScalesNeverSignalAndAreNotPrimary(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pv, err := f.db.ProgramVersion(ctx, "insomnia", 0)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0002", DisplayName: "Sleepy", BirthDate: "1980-01-01", Language: "fi"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p2.ID, ProgramVersionID: pv.ID, TherapistID: f.therapist.ID, UnlockedModules: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: e.ID, PatientID: p2.ID, Direction: store.DirectionOut, Body: "Welcome"}, "")
	// The not-validated sleep check rises steeply (a "deterioration" by its
	// placeholder threshold); the validated PHQ-9 stays flat.
	for week, total := range []int{4, 10, 20} {
		f.clock.advance(7 * 24 * time.Hour)
		answers := []int{0, 0, 0, 0, 0}
		for i := 0; i < total; i++ {
			answers[i%5]++
		}
		if _, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: e.ID, PatientID: p2.ID, InstrumentID: "sleep-check", Week: week, Answers: answers}); err != nil {
			t.Fatal(err)
		}
		if week == 0 || week == 2 {
			if _, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: e.ID, PatientID: p2.ID, InstrumentID: "phq9", Week: week, Answers: []int{1, 1, 1, 1, 1, 1, 1, 1, 0}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	q, err := f.db.Triage(ctx, f.actor, f.therapist.ID)
	if err != nil {
		t.Fatal(err)
	}
	var it *store.QueueItem
	for i := range q.Items {
		if q.Items[i].PatientID == p2.ID {
			it = &q.Items[i]
		}
	}
	for _, r := range it.Reasons {
		if r.Class == store.ClassDeterioration {
			t.Errorf("a not-validated scale raised %s: %q", r.Code, r.Text)
		}
	}
	if it.Instrument != "PHQ-9" || it.Validated == nil || !*it.Validated || len(it.Scores) != 2 {
		t.Errorf("primary series %q validated=%v %d scores, want the validated PHQ-9", it.Instrument, it.Validated, len(it.Scores))
	}
	b, _ := json.Marshal(q)
	if !strings.Contains(string(b), `"validated":true`) {
		t.Errorf("JSON lacks validated: %s", b)
	}

	// A patient who answered only the not-validated scale shows it, marked.
	p3, _ := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0003", DisplayName: "Only sleep", BirthDate: "1980-01-01", Language: "fi"})
	e3, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p3.ID, ProgramVersionID: pv.ID, TherapistID: f.therapist.ID, UnlockedModules: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: e3.ID, PatientID: p3.ID, InstrumentID: "sleep-check", Week: 0, Answers: []int{1, 1, 1, 1, 1}}); err != nil {
		t.Fatal(err)
	}
	q, _ = f.db.Triage(ctx, f.actor, f.therapist.ID)
	for _, it := range q.Items {
		if it.PatientID != p3.ID {
			continue
		}
		b, _ := json.Marshal(it)
		if it.Validated == nil || *it.Validated || !strings.Contains(string(b), `"validated":false`) || len(it.Scores) != 1 {
			t.Errorf("not-validated series: %s", b)
		}
	}
}

func TestQueueJSONKeepsFalseValues(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.clock.advance(time.Hour)
	f.db.AddMeasure(ctx, sys, store.MeasureResponse{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, InstrumentID: "phq9", Week: 0, Answers: []int{0, 0, 0, 0, 0, 0, 0, 0, 1}})
	q, _ := f.db.Triage(ctx, f.actor, f.therapist.ID)
	b, _ := json.Marshal(q)
	if !strings.Contains(string(b), `"heuristic":false`) {
		t.Errorf("a script cannot select heuristic == false: %s", b)
	}
	// Without a score series there is nothing to be validated or not: the
	// field is absent, so validated == false selects only real ones.
	p2, _ := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-0002", DisplayName: "No Scores", BirthDate: "1990-01-01", Language: "fi"})
	if _, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p2.ID, ProgramVersionID: f.enroll.ProgramVersionID, TherapistID: f.therapist.ID, UnlockedModules: 1}, 0); err != nil {
		t.Fatal(err)
	}
	q, _ = f.db.Triage(ctx, f.actor, f.therapist.ID)
	for _, it := range q.Items {
		b, _ := json.Marshal(it)
		if it.PatientID == p2.ID && strings.Contains(string(b), `"validated"`) {
			t.Errorf("an item without scores says validated: %s", b)
		}
		if it.PatientID == f.patient.ID && !strings.Contains(string(b), `"validated":true`) {
			t.Errorf("an item with PHQ-9 scores: %s", b)
		}
	}
}

func TestWorkingDaysSkipFinnishHolidays(t *testing.T) {
	hel, _ := time.LoadLocation("Europe/Helsinki")
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, hel) }
	for _, c := range []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		// Wed 23 Dec noon to Mon 28 Dec noon: Christmas Eve, Christmas Day
		// and the weekend are skipped.
		{"christmas", at(2026, 12, 23, 12), at(2026, 12, 28, 12), 24 * time.Hour},
		// Thu 18 Jun 9:00 to Mon 22 Jun 9:00: Midsummer Eve (Fri 19 Jun) skipped.
		{"midsummer", at(2026, 6, 18, 9), at(2026, 6, 22, 9), 24 * time.Hour},
		// Thu 2 Apr noon to Tue 7 Apr noon: Good Friday and Easter Monday skipped.
		{"easter", at(2026, 4, 2, 12), at(2026, 4, 7, 12), 24 * time.Hour},
		// Wed 13 May noon to Fri 15 May noon: Ascension Day skipped.
		{"ascension", at(2026, 5, 13, 12), at(2026, 5, 15, 12), 24 * time.Hour},
		// An ordinary week still counts five days.
		{"ordinary week", at(2026, 11, 16, 0), at(2026, 11, 23, 0), 5 * 24 * time.Hour},
	} {
		if got := store.WorkingTime(c.from, c.to, hel); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		if got := store.WorkingDays(c.from, c.to, hel); got != int(c.want/(24*time.Hour)) {
			t.Errorf("%s: %d working days", c.name, got)
		}
	}
	for day, want := range map[string]bool{
		"2026-12-06": false, // Independence Day (a Sunday)
		"2027-12-06": false, // Independence Day (a Monday)
		"2026-05-01": false, // May Day
		"2027-01-06": false, // Epiphany
		"2026-12-31": true,  // New Year's Eve is a working day
		"2026-11-23": true,
	} {
		d, _ := time.ParseInLocation(time.DateOnly, day, hel)
		if got := store.IsWorkingDay(d); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", day, got, want)
		}
	}
}

func TestOverdueReasonsSaySentencesWithUnits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionOut, Body: "Welcome"}, "")
	f.clock.advance(time.Hour) // Monday 16 Nov 10:00 UTC
	f.submit(t, "My notes.")
	f.clock.advance(3 * 24 * time.Hour) // Thursday: 3 working days, 1 over the promise
	q, _ := f.db.Triage(ctx, f.actor, f.therapist.ID)
	var text string
	for _, r := range q.Items[0].Reasons {
		if r.Code == store.ReasonFeedbackOverdue {
			text = r.Text
		}
	}
	if !strings.Contains(text, "3 working days ago: 1 working day over the 2-working-day promise") {
		t.Fatalf("overdue reason %q", text)
	}
}

func TestStoredPolicySettingsAreChecked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Written as a raw setting (as sync or an import does), a bad phrase
	// list is refused instead of stopping every queue.
	err := f.db.SetSetting(ctx, sys, "risk_words.fi", []string{"*murha"}, 0)
	var fe *store.FieldError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "must start with a letter") {
		t.Fatalf("bad list stored: %v", err)
	}
	if _, err := f.db.Triage(ctx, f.actor, f.therapist.ID); err != nil {
		t.Fatalf("queue after a refused setting: %v", err)
	}
}

func TestOldStoredSettingFallsBackToDefault(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// A value stored before the stricter check (written here past the op's
	// check, as an older version of polku could have).
	if _, err := f.db.Writer().ExecContext(ctx, `INSERT INTO settings (key, value, updated_at, version) VALUES ('risk_words', '{"en": ["ok"]}', '2026-01-01T00:00:00.000Z', 1)`); err != nil {
		t.Fatal(err)
	}
	p, err := f.db.Policy(ctx)
	if err != nil || len(p.Problems) != 1 || !strings.Contains(p.Problems[0], "risk_words") || len(p.RiskWords["en"]) != len(store.DefaultPolicy().RiskWords["en"]) {
		t.Fatalf("policy %v, problems %q, en %d phrases", err, p.Problems, len(p.RiskWords["en"]))
	}
	if _, err := f.db.Triage(ctx, f.actor, f.therapist.ID); err != nil {
		t.Fatalf("queue with an old setting: %v", err)
	}
	// Setting the map again clears the problem.
	if _, err := f.db.ChangeSetting(ctx, sys, "risk_words", `{"en": ["kill myself"]}`); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.db.Policy(ctx); len(p.Problems) != 0 || len(p.RiskWords["en"]) != 1 {
		t.Fatalf("after setting again: problems %q, en %v", p.Problems, p.RiskWords["en"])
	}
}
