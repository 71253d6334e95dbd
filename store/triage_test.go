package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/store"
)

func TestWorkingTimeSkipsWeekends(t *testing.T) {
	hel, _ := time.LoadLocation("Europe/Helsinki")
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, hel) } // 20 Nov 2026 is a Friday
	for _, c := range []struct {
		from, to time.Time
		want     time.Duration
	}{
		{at(20, 12), at(20, 18), 6 * time.Hour},                // within Friday
		{at(20, 12), at(23, 12), 24 * time.Hour},               // Friday noon to Monday noon: 12 h + 12 h
		{at(21, 9), at(22, 20), 0},                             // all weekend
		{at(21, 9), at(24, 9), 24*time.Hour + 9*time.Hour},     // Saturday to Tuesday 9:00: Monday + 9 h
		{at(19, 12), at(23, 14), 2*24*time.Hour + 2*time.Hour}, // Thursday noon to Monday 14:00
		{at(16, 0), at(23, 0), 5 * 24 * time.Hour},             // a whole week
		{at(23, 12), at(20, 12), 0},                            // backwards
		{at(27, 23), at(30, 1), time.Hour + time.Hour},         // Fri 23:00 to Mon 01:00
	} {
		if got := store.WorkingTime(c.from, c.to, hel); got != c.want {
			t.Errorf("%s -> %s: %s, want %s", c.from.Format("Mon 2 15:04"), c.to.Format("Mon 2 15:04"), got, c.want)
		}
	}
}

func TestPolicySettings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := f.db.Policy(ctx)
	if err != nil || p.FeedbackWorkingDays != 2 || p.InactiveDays != 7 || p.Timezone != "Europe/Helsinki" {
		t.Fatalf("default policy %+v, %v", p, err)
	}
	if err := f.db.SetPolicyValue(ctx, sys, "inactive_days", "10"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetPolicyValue(ctx, sys, "inactive_days", "12"); err != nil {
		t.Fatal(err) // a second change goes through the version check
	}
	if err := f.db.SetPolicyValue(ctx, sys, "risk_words", `{"fi": ["Kuolla"], "en": ["die"]}`); err != nil {
		t.Fatal(err)
	}
	p, _ = f.db.Policy(ctx)
	// Setting Finnish and English leaves the Swedish defaults on.
	if p.InactiveDays != 12 || len(p.RiskWords["fi"]) != 1 || p.RiskWords["fi"][0] != "kuolla" || len(p.RiskWords["sv"]) != len(store.DefaultPolicy().RiskWords["sv"]) {
		t.Fatalf("policy after set: %+v", p)
	}
	for _, c := range []struct{ key, value, want string }{
		{"inactive_days", "0", "0 is outside 1-90"},
		{"inactive_days", `"7"`, "want a whole number"},
		{"timezone", `"Mars/Olympus"`, `unknown time zone "Mars/Olympus"`},
		{"not_on_track", `{"expected_improvement_pct": 50}`, "min_scores at least 2"},
		{"not_on_track", `{"pct": 50}`, `unknown field "pct"`},
		{"colour", `1`, `unknown setting "colour"`},
		{"risk_words.de", `["tot"]`, `unknown setting "risk_words.de"`},
		{"risk_words", `{"de": ["tot"]}`, `no risk list for language "de"`},
		{"risk_words.fi", `["*murha"]`, `fi[0] "*murha" must start with a letter`},
		{"inactive_days", `seven`, `want a whole number`},
	} {
		err := f.db.SetPolicyValue(ctx, sys, c.key, c.value)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("set %s=%s: %v, want %q", c.key, c.value, err, c.want)
		}
	}
}

func TestTriageRiskFromWordListsAndAcknowledgement(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.db.SendMessage(ctx, f.actor, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionOut, Body: "Welcome"}, "")
	f.clock.advance(time.Hour)
	m, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn,
		Body: "Ibland vill jag inte leva längre."}, "")
	if err != nil {
		t.Fatal(err)
	}
	q, err := f.db.Triage(ctx, f.actor, f.therapist.ID)
	if err != nil {
		t.Fatal(err)
	}
	it := q.Items[0]
	if it.Class != store.ClassRisk || it.Reasons[0].Code != store.ReasonRiskPhrase || !it.Reasons[0].Heuristic || it.Reasons[0].SourceID != m.ID {
		t.Fatalf("Swedish phrase not flagged: %+v", it.Reasons)
	}
	if !strings.Contains(it.Reasons[0].Text, "heuristic") {
		t.Errorf("the reason must say it is a heuristic: %q", it.Reasons[0].Text)
	}
	// The same text is not rescanned (cache) and the flag leaves with an acknowledgement.
	if _, err := f.db.AckRisk(ctx, f.actor, store.RiskAck{PatientID: f.patient.ID, EnrollmentID: f.enroll.ID, SourceType: store.RiskSourceMessage,
		SourceID: m.ID, Action: store.AckCalledPatient, Comment: "Talked; no plan."}); err != nil {
		t.Fatal(err)
	}
	q, _ = f.db.Triage(ctx, f.actor, f.therapist.ID)
	if q.Items[0].Class == store.ClassRisk {
		t.Fatalf("acknowledged flag still risk: %+v", q.Items[0].Reasons)
	}
	// A changed word list is applied to texts already seen.
	f.clock.advance(time.Hour)
	f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: "Everything feels grey."}, "")
	if err := f.db.SetPolicyValue(ctx, sys, "risk_words", `{"en": ["grey"]}`); err != nil {
		t.Fatal(err)
	}
	q, _ = f.db.Triage(ctx, f.actor, f.therapist.ID)
	if q.Items[0].Class != store.ClassRisk || !strings.Contains(q.Items[0].Reasons[0].Text, `"grey"`) {
		t.Fatalf("new word list not applied: %+v", q.Items[0].Reasons)
	}
}

func TestTriageEndingAndStarting(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Nine weeks on: the 12-week program (started on the fixture's day) is
	// not ending yet; at 12 weeks + 2 days it has ended without final scores.
	f.clock.advance(12*7*24*time.Hour + 48*time.Hour)
	q, _ := f.db.Triage(ctx, f.actor, f.therapist.ID)
	var codes []string
	for _, r := range q.Items[0].Reasons {
		codes = append(codes, r.Code)
	}
	got := strings.Join(codes, " ")
	if !strings.Contains(got, store.ReasonEnded) || !strings.Contains(got, store.ReasonInactive) || !strings.Contains(got, store.ReasonNoWelcome) {
		t.Fatalf("reasons %s", got)
	}
	for _, r := range q.Items[0].Reasons {
		if r.Code == store.ReasonEnded && !strings.Contains(r.Text, "without final scores (week 12)") {
			t.Errorf("ended reason %q", r.Text)
		}
	}
	if q.Items[0].Week != 12 {
		t.Errorf("week %d past the end, want it capped at 12", q.Items[0].Week)
	}
}

func TestSettingsPerLanguageAndPlainValues(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	def := store.DefaultPolicy()
	// A time zone needs no JSON quotes; JSON is still accepted.
	for _, v := range []string{"Europe/Stockholm", `"Europe/Stockholm"`} {
		ch, err := f.db.ChangeSetting(ctx, sys, "timezone", v)
		if err != nil {
			t.Fatalf("timezone %s: %v", v, err)
		}
		if len(ch) != 1 || ch[0].Key != "timezone" || ch[0].After != "Europe/Stockholm" {
			t.Fatalf("changes %+v", ch)
		}
	}
	// One language's list, as JSON or comma-separated, leaves the others.
	ch, err := f.db.ChangeSetting(ctx, sys, "risk_words.fi", "haluan kuolla, itsemurh*")
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 1 || ch[0].Key != "risk_words.fi" || ch[0].After != "2 phrases" {
		t.Fatalf("changes %+v", ch)
	}
	p, _ := f.db.Policy(ctx)
	if len(p.RiskWords["fi"]) != 2 || len(p.RiskWords["sv"]) != len(def.RiskWords["sv"]) || len(p.RiskWords["en"]) != len(def.RiskWords["en"]) {
		t.Fatalf("lists after setting fi: %v", p.RiskWords)
	}
	// A whole map sets only the languages it names, and says so.
	ch, err = f.db.ChangeSetting(ctx, sys, "risk_words", `{"sv": ["vill dö"]}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 1 || ch[0].Key != "risk_words.sv" {
		t.Fatalf("changes %+v", ch)
	}
	p, _ = f.db.Policy(ctx)
	if len(p.RiskWords["fi"]) != 2 || len(p.RiskWords["sv"]) != 1 || len(p.RiskWords["en"]) != len(def.RiskWords["en"]) {
		t.Fatalf("lists after setting sv: %v", p.RiskWords)
	}
}
