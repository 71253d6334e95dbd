package store

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store/riskphrase"
)

func TestIntakePromiseReason(t *testing.T) {
	// Thursday 3 Dec 2026, 10:00; the promise is 5 working days.
	w := newRuleWorld(t, helsinki("2026-12-03 10:00"))
	cases := []struct {
		received string
		want     string
		badge    string
	}{
		{"2026-12-03 09:00", "Arrived 0 working days ago; the promise is 5", "0/5wd"},
		// Fri 27 Nov 10:00 to Thu 3 Dec 10:00: Fri, Mon, Tue, Wed = 4 (the weekend skipped).
		{"2026-11-27 10:00", "Arrived 4 working days ago; the promise is 5", "4/5wd"},
		{"2026-11-26 10:00", "Arrived 5 working days ago: the promise of 5 ends today", "5/5wd"},
		{"2026-11-23 10:00", "Arrived 8 working days ago: 3 working days over the promise of 5", "OVER 3wd"},
	}
	for _, c := range cases {
		f := &intakeFacts{received: helsinki(c.received), age: 30}
		f.workingDays = WorkingDays(f.received, w.env.now, w.env.loc)
		r := intakePromiseReason(f, &w.env)
		if r.Text != c.want || r.Badge != c.badge || r.Code != ReasonIntakePromise {
			t.Errorf("received %s: %q %q, want %q %q", c.received, r.Text, r.Badge, c.want, c.badge)
		}
	}
}

func TestIntakePromiseSkipsFinnishHolidays(t *testing.T) {
	// From Wed 23 Dec 2026, five working days skip Christmas Eve,
	// Christmas, Boxing Day and the weekend: the promise ends in January.
	loc := DefaultPolicy().Location()
	got := AddWorkingDays(helsinki("2026-12-23 10:00"), 5, loc)
	var want time.Time
	d := truncDay(helsinki("2026-12-23 10:00"), loc)
	for n := 0; n < 5; {
		d = d.AddDate(0, 0, 1)
		if IsWorkingDay(d) {
			n++
		}
	}
	want = d
	if !got.Equal(want) || got.Weekday() == time.Saturday || got.Weekday() == time.Sunday || IsWorkingDay(helsinki("2026-12-25 12:00")) {
		t.Errorf("AddWorkingDays = %s, want %s", got, want)
	}
	if got.Format(time.DateOnly) < "2027-01-01" {
		t.Errorf("5 working days from 23 Dec end on %s: the holidays were not skipped", got.Format(time.DateOnly))
	}
	if n := NextWorkingDay(helsinki("2026-12-04 10:00"), loc); n.Format(time.DateOnly) != "2026-12-07" {
		t.Errorf("next working day after Fri 4 Dec is %s, want Mon 7 Dec", n.Format(time.DateOnly))
	}
}

func TestIntakeRiskReasons(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-12-03 10:00"))
	phq := w.instr[instrumentRef{"phq9", 1}]
	hits := phq.CriticalHits([]int{1, 1, 1, 1, 1, 1, 1, 1, 2})
	cases := []struct {
		name  string
		f     intakeFacts
		codes []string
		level string
	}{
		{"nothing", intakeFacts{}, nil, ""},
		{"critical item", intakeFacts{critical: []screeningHit{{"PHQ-9", "2026-11-30", hits[0]}}}, []string{ReasonCriticalItem}, programs.LevelRed},
		{"phrase", intakeFacts{phrase: &riskphrase.Hit{Phrase: "itsemurh*", Found: "itsemurhaa", Lang: "fi"}}, []string{ReasonRiskPhrase}, programs.LevelAmber},
	}
	for _, c := range cases {
		rs := intakeRiskReasons(&c.f, &w.env)
		var codes []string
		for _, r := range rs {
			codes = append(codes, r.Code)
			if r.Level != c.level {
				t.Errorf("%s: level %q, want %q", c.name, r.Level, c.level)
			}
		}
		if strings.Join(codes, ",") != strings.Join(c.codes, ",") {
			t.Errorf("%s: %v, want %v", c.name, codes, c.codes)
		}
	}
	rs := intakeRiskReasons(&cases[1].f, &w.env)
	if !strings.Contains(rs[0].Text, "PHQ-9 item 9 answered 2 in the referral's screening of 2026-11-30") {
		t.Errorf("%q", rs[0].Text)
	}
}

func TestIntakeAgeReasons(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-12-03 10:00"))
	youth, gad := w.progs["social-anxiety-youth"], w.progs["gad"]
	cases := []struct {
		name string
		f    intakeFacts
		want string
	}{
		{"adult", intakeFacts{age: 30, wished: gad}, ""},
		{"unknown age", intakeFacts{age: -1}, ""},
		{"16 without the doctor", intakeFacts{age: 16, wished: gad}, ReasonDoctorNeeded},
		{"16 with the doctor", intakeFacts{age: 16, wished: gad, doctor: true}, ""},
		{"16 for the youth program", intakeFacts{age: 16, wished: youth}, ""},
		{"14", intakeFacts{age: 14, wished: youth}, ReasonYouthOnly},
	}
	for _, c := range cases {
		rs := intakeAgeReasons(&c.f, &w.env)
		got := ""
		if len(rs) > 0 {
			got = rs[0].Code
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestIntakeOrder(t *testing.T) {
	day := func(d int) time.Time { return helsinki("2026-11-20 10:00").AddDate(0, 0, d) }
	waiting := day(-5)
	items := []IntakeItem{
		{ReferralID: "waiting", ReceivedAt: day(-10), Due: day(-3), WaitingSince: &waiting},
		{ReferralID: "new", ReceivedAt: day(0), Due: day(7)},
		{ReferralID: "old", ReceivedAt: day(-8), Due: day(-1)},
		{ReferralID: "amber", ReceivedAt: day(1), Due: day(8), Reasons: []Reason{{Class: ClassRisk, Level: programs.LevelAmber}}},
		{ReferralID: "red", ReceivedAt: day(2), Due: day(9), Reasons: []Reason{{Class: ClassRisk, Level: programs.LevelRed}}},
	}
	sorted := append([]IntakeItem(nil), items...)
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && intakeLess(&sorted[j], &sorted[j-1]); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	var got []string
	for _, it := range sorted {
		got = append(got, it.ReferralID)
	}
	if strings.Join(got, " ") != "red amber old new waiting" {
		t.Errorf("order %v", got)
	}
}

func TestSuggestPrograms(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-12-03 10:00"))
	var progs []*programs.Program
	for _, id := range []string{"depression", "gad", "insomnia", "social-anxiety-youth"} {
		progs = append(progs, w.progs[id])
	}
	cases := []struct {
		name  string
		f     suggestFacts
		first string
		text  string
		n     int
	}{
		{"gad", suggestFacts{age: 30, language: "en", codes: []string{"F41.1"}, scores: []scoreFact{{"gad7", "GAD-7", 14, "moderate", langText{"": "moderate", "fi": "kohtalainen"}}}},
			"gad", "GAD-7 14, moderate, and F41.1: Worry less", 1},
		{"depression by code only", suggestFacts{age: 40, codes: []string{"F32.1"}}, "depression", "F32.1: Step by step", 1},
		{"youth by age", suggestFacts{age: 14, codes: []string{"F40.1"}}, "social-anxiety-youth", "F40.1: Braver together", 1},
		{"adult code at 14 is left out", suggestFacts{age: 14, codes: []string{"F41.1"}}, "", "", 0},
		{"wished but too young", suggestFacts{age: 14, wished: "gad"}, "gad", "the referrer's wish: Worry less", 1},
		{"nothing known", suggestFacts{age: 30}, "", "", 0},
	}
	for _, c := range cases {
		got := suggestPrograms(progs, c.f)
		if len(got) != c.n {
			t.Errorf("%s: %d suggestions %+v, want %d", c.name, len(got), got, c.n)
			continue
		}
		if c.n > 0 && (got[0].ProgramID != c.first || got[0].Text != c.text) {
			t.Errorf("%s: %s %q, want %s %q", c.name, got[0].ProgramID, got[0].Text, c.first, c.text)
		}
	}
	if got := suggestPrograms(progs, suggestFacts{age: 14, wished: "gad"}); got[0].Fits || len(got[0].Notes) == 0 {
		t.Errorf("a wished program the age does not fit: %+v", got[0])
	}
	// The built-in programs are offered in Finnish, Swedish and English; a
	// program offered in English only says so to a Finnish speaker.
	if got := suggestPrograms(progs, suggestFacts{age: 30, language: "fi", codes: []string{"F41.1"}}); len(got[0].Notes) != 0 {
		t.Errorf("a Finnish speaker is told the Finnish program is not in Finnish: %+v", got)
	}
	enOnly := *w.progs["gad"]
	enOnly.Indications = &programs.Indications{ICD10: enOnly.Indications.ICD10, Languages: []string{"en"}}
	if got := suggestPrograms([]*programs.Program{&enOnly}, suggestFacts{age: 30, language: "fi", codes: []string{"F41.1"}}); len(got[0].Notes) == 0 ||
		!strings.Contains(got[0].Notes[0], "offered in English only") {
		t.Errorf("language note: %+v", got)
	}
}

func TestRankTherapists(t *testing.T) {
	list := []TherapistSuggestion{
		{Handle: "full", Languages: []string{"fi"}, Capacity: 2, Caseload: 2},
		{Handle: "sv", Languages: []string{"sv"}, Capacity: 10, Caseload: 0},
		{Handle: "fi-busy", Languages: []string{"fi"}, Capacity: 10, Caseload: 8},
		{Handle: "fi-free", Languages: []string{"fi", "en"}, Capacity: 10, Caseload: 3, Starting: 2},
		{Handle: "fi-free2", Languages: []string{"fi"}, Capacity: 10, Caseload: 3, Starting: 0},
	}
	got := rankTherapists(list, "fi")
	var order []string
	for _, t := range got {
		order = append(order, t.Handle)
	}
	if strings.Join(order, " ") != "fi-free2 fi-free fi-busy sv full" {
		t.Errorf("order %v", order)
	}
	if got[0].Text != "fi-free2: speaks Finnish; 3 of 10 places taken, 7 free; 0 starting" || !strings.Contains(got[4].Text, "full") {
		t.Errorf("%q / %q", got[0].Text, got[4].Text)
	}
}

func TestFindServices(t *testing.T) {
	all := []*programs.Service{
		{ID: "health-centre", Name: "Health centre", Regions: []string{"all"}, Reasons: []string{"not-suitable"}, Languages: []string{"fi", "sv"}},
		{ID: "ahs", Name: "ÅHS", Regions: []string{"aland"}, Languages: []string{"sv"}},
		{ID: "emergency", Name: "Emergency", Regions: []string{"all"}, Reasons: []string{"urgent-care"}, Languages: []string{"fi"}},
	}
	ids := func(list []ServiceSuggestion) string {
		var s []string
		for _, x := range list {
			s = append(s, x.ServiceID)
		}
		return strings.Join(s, " ")
	}
	if got := ids(findServices(all, "pirkanmaa", "fi", "urgent-care")); got != "emergency health-centre" {
		t.Errorf("pirkanmaa: %s", got)
	}
	if got := ids(findServices(all, "aland", "sv", "")); got != "ahs health-centre emergency" {
		t.Errorf("aland: %s", got)
	}
}

// The suggestion lines are sentences in the reader's language: English
// as the text, Finnish and Swedish from the messages, with the band and
// the program's title in the reader's language where a translation has
// one.
func TestSuggestionsLocalize(t *testing.T) {
	w := newRuleWorld(t, helsinki("2026-12-03 10:00"))
	gad := *w.progs["gad"]
	fi := gad
	fi.Title = "Vähemmän huolta"
	gad.Translations = map[string]*programs.Program{"fi": &fi}
	f := suggestFacts{age: 17, language: "sv", codes: []string{"F41.1"}, wished: "gad",
		scores: []scoreFact{{"gad7", "GAD-7", 14, "moderate", langText{"": "moderate", "fi": "kohtalainen"}}}}
	d := &ReferralDetail{Programs: suggestPrograms([]*programs.Program{&gad}, f),
		Therapists: rankTherapists([]TherapistSuggestion{{Handle: "ben", Languages: []string{"fi"}, Capacity: 80, Caseload: 2}}, "sv")}
	if got := d.Programs[0].Text; got != "GAD-7 14, moderate, F41.1, and the referrer's wish: Worry less" {
		t.Errorf("en program %q", got)
	}
	en := *d
	en.Programs = slices.Clone(d.Programs)
	en.Therapists = slices.Clone(d.Therapists)
	en.Localize(i18n.New(i18n.EN))
	if en.Programs[0].Text != d.Programs[0].Text || en.Therapists[0].Text != d.Therapists[0].Text {
		t.Errorf("English messages differ from the text: %q %q", en.Programs[0].Text, en.Therapists[0].Text)
	}
	// A remote store sends the detail as JSON; the messages come along.
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var remote ReferralDetail
	if err := json.Unmarshal(b, &remote); err != nil {
		t.Fatal(err)
	}
	remote.Localize(i18n.New(i18n.FI))
	d.Localize(i18n.New(i18n.FI))
	if remote.Programs[0].Text != d.Programs[0].Text || remote.Therapists[0].Text != d.Therapists[0].Text || !slices.Equal(remote.Programs[0].Notes, d.Programs[0].Notes) {
		t.Errorf("over JSON %q %q %q, local %q %q %q", remote.Programs[0].Text, remote.Therapists[0].Text, remote.Programs[0].Notes,
			d.Programs[0].Text, d.Therapists[0].Text, d.Programs[0].Notes)
	}
	if got, want := d.Programs[0].Text, "GAD-7 14, kohtalainen, F41.1 ja lähettäjän toive: Vähemmän huolta"; got != want {
		t.Errorf("fi program %q, want %q", got, want)
	}
	if d.Programs[0].Title != "Vähemmän huolta" {
		t.Errorf("fi title %q", d.Programs[0].Title)
	}
	if got, want := d.Therapists[0].Text, "ben: ei puhu potilaan kieltä (ruotsi); 2/80 paikkaa käytössä, 78 vapaana; 0 alkamassa"; got != want {
		t.Errorf("fi therapist %q, want %q", got, want)
	}
	d.Localize(i18n.New(i18n.SV))
	if got, want := d.Programs[0].Text, "GAD-7 14, moderate, F41.1 och remittentens önskemål: Worry less"; got != want {
		t.Errorf("sv program %q, want %q", got, want)
	}
	for _, n := range d.Programs[0].Notes {
		if strings.Contains(n, "record") || strings.Contains(n, "offered") {
			t.Errorf("sv note in English: %q", n)
		}
	}
}
