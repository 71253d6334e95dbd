package demo_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"polku/programs"
	"polku/store"
	"polku/store/demo"
)

// demoStore generates a small demo once per test.
func demoStore(t *testing.T, patients int) *store.DB {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), store.Options{Clock: func() time.Time { return now }, Create: true,
		Random: rand.NewChaCha8([32]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Generate(ctx, db, demo.Config{Seed: 1, Patients: patients, Now: now}); err != nil {
		t.Fatal(err)
	}
	return db
}

type row struct {
	program, exercise, answers, birth string
}

func hhmmMin(t *testing.T, v string) int {
	t.Helper()
	tm, err := time.Parse("15:04", v)
	if err != nil {
		t.Fatalf("%q is not a time", v)
	}
	return tm.Hour()*60 + tm.Minute()
}

// A clinician opening the demo finds answers that fit the program, the
// exercise and the patient's age, and numbers that follow the programs.
func TestDemoTextsFitProgramAndAge(t *testing.T) {
	db := demoStore(t, 240)
	q := func(query string) [][]string {
		rows, err := db.Reader().Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			vals := make([]string, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, vals)
		}
		return out
	}
	// Words of an adult's life and of the sleep program, in the language
	// a patient writes.
	adultWords := map[string][]string{
		"en": {"manager", "partner", "colleague", "work lunch", "at work", "my job", "extra shifts"},
		"fi": {"esimie", "esihenkilö", "kumppani", "puoliso", "työkaveri", "töissä", "työpaika", "lisävuoro"},
		"sv": {"chef", "partner", "kolleg", "arbetskamrat", "på jobbet", "sambo", "extraskift"},
	}
	sleepWords := map[string][]string{"en": {"sleep window", "sleep restriction"}, "fi": {"uni-ikkuna", "unen rajoit"}, "sv": {"sömnfönster", "sömnrestriktion"}}
	exposureWord := map[string]string{"en": "exposure", "fi": "altistu", "sv": "exponering"}
	langs := map[string]int{}
	moodUp, moodAll, over, exposures := 0, 0, 0, 0
	windows := 0
	for _, r := range q(`SELECT e.program_id, s.exercise_id, s.answers, p.birth_date, p.language FROM submissions s JOIN enrollments e ON e.id = s.enrollment_id JOIN patients p ON p.id = s.patient_id`) {
		prog, ex, raw, lang := r[0], r[1], r[2], r[4]
		langs[lang]++
		var a map[string]string
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(raw)
		if prog == "social-anxiety-youth" {
			for _, w := range adultWords[lang] {
				if strings.Contains(text, w) {
					t.Errorf("a young person's %s answer mentions %q: %s", ex, w, raw)
				}
			}
		}
		if prog != "insomnia" {
			for _, w := range sleepWords[lang] {
				if strings.Contains(text, w) {
					t.Errorf("a %s patient's %s answer mentions %q: %s", prog, ex, w, raw)
				}
			}
		}
		if prog == "insomnia" && strings.Contains(text, exposureWord[lang]) {
			t.Errorf("an insomnia patient writes about exposure: %s", raw)
		}
		for k, v := range a {
			if (k == "date" || k == "when") && (strings.Contains(v, "bank") || strings.Contains(v, "Thinking")) {
				t.Errorf("%s.%s = %q is not a date", ex, k, v)
			}
		}
		if b, err := strconv.Atoi(a["mood-before"]); err == nil {
			af, _ := strconv.Atoi(a["mood-after"])
			moodAll++
			if af >= b {
				moodUp++
			}
		}
		if e, err := strconv.Atoi(a["expected"]); err == nil {
			if act, err := strconv.Atoi(a["actual"]); err == nil {
				exposures++
				if act > e {
					over++
				}
			}
		}
		if ex == "my-sleep-window" {
			windows++
			avg, _ := strconv.Atoi(a["average-sleep"])
			win, _ := strconv.Atoi(a["window"])
			floor := 300
			if born, err := time.Parse(time.DateOnly, r[3]); err == nil {
				if age, _ := programs.AgeOn(born.Format(time.DateOnly), time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)); age < 18 {
					floor = 420
				}
			}
			want := max(floor, (avg+7)/15*15)
			if win != want {
				t.Errorf("sleep window %d min for an average sleep of %d min: want max(%d, rounded to 15 min) = %d", win, avg, floor, want)
			}
			bed, wake := hhmmMin(t, a["earliest-bedtime"]), hhmmMin(t, a["wake-time"])
			if (wake-bed+1440)%1440 != win {
				t.Errorf("bedtime %s and getting-up time %s do not make the window %d min", a["earliest-bedtime"], a["wake-time"], win)
			}
		}
	}
	if moodAll == 0 || moodUp*100/moodAll < 65 {
		t.Errorf("mood after an activity was at least mood before in %d of %d plans; behavioural activation shows a lift", moodUp, moodAll)
	}
	if exposures == 0 || over*100/exposures < 8 || over*100/exposures > 35 {
		t.Errorf("actual anxiety exceeded expected in %d of %d exposures; want about 20%%", over, exposures)
	}
	if windows == 0 {
		t.Error("no sleep-window worksheets in the demo")
	}
	for _, l := range demo.Languages {
		if langs[l] == 0 {
			t.Errorf("no submissions of %s-speaking patients in the demo: %v", l, langs)
		}
	}

	// Replies answer the message they reply to.
	msgs := q(`SELECT m.enrollment_id, m.direction, m.body, e.program_id, p.birth_date, p.language FROM messages m JOIN enrollments e ON e.id = m.enrollment_id JOIN patients p ON p.id = m.patient_id ORDER BY m.enrollment_id, m.sent_at, m.id`)
	replies := 0
	asked := map[string]map[string]bool{} // enrollment -> replies its patient's messages ask for
	for _, m := range msgs {
		if asked[m[0]] == nil {
			asked[m[0]] = map[string]bool{}
		}
		if m[1] == "in" {
			if r, ok := demo.ReplyTo(m[2]); ok {
				asked[m[0]][r] = true
			}
			continue
		}
		if demo.IsWelcome(m[2]) {
			continue // the welcome
		}
		replies++
		if !asked[m[0]][m[2]] {
			t.Errorf("the reply %q answers no earlier message of its patient", m[2])
		}
	}
	if replies == 0 {
		t.Error("no replies in the demo")
	}
	therapistOf := map[string]string{}
	for _, r := range q(`SELECT e.id, t.name FROM enrollments e JOIN therapists t ON t.id = e.therapist_id`) {
		therapistOf[r[0]] = r[1]
	}
	for _, m := range msgs {
		body := strings.ToLower(m[2])
		if m[3] != "insomnia" && m[1] == "in" && strings.Contains(body, sleepWords[m[5]][1]) {
			t.Errorf("a %s patient asks about sleep restriction: %s", m[3], m[2])
		}
		if m[3] == "social-anxiety-youth" && m[1] == "in" {
			for _, w := range adultWords[m[5]] {
				if strings.Contains(body, w) {
					t.Errorf("a young person's message mentions %q: %s", w, m[2])
				}
			}
		}
		if m[1] == "out" && demo.IsWelcome(m[2]) && !strings.Contains(m[2], therapistOf[m[0]]) {
			t.Errorf("the welcome does not name the therapist %q: %s", therapistOf[m[0]], m[2])
		}
	}
	for _, n := range q(`SELECT e.program_id, n.body FROM notes n JOIN enrollments e ON e.patient_id = n.patient_id`) {
		if n[0] != "insomnia" && strings.Contains(strings.ToLower(n[1]), "sleep window") {
			t.Errorf("a %s record has the note %q", n[0], n[1])
		}
		if !strings.Contains(n[1], "(synthetic)") && !strings.Contains(n[1], "(synteettinen)") && !strings.Contains(n[1], "(syntetisk)") {
			t.Errorf("note %q does not say it is synthetic", n[1])
		}
	}
	for _, f := range q(`SELECT e.program_id, f.body FROM feedback f JOIN enrollments e ON e.id = f.enrollment_id`) {
		if f[0] == "social-anxiety-youth" && strings.Contains(f[1], "until it eases") {
			t.Errorf("youth feedback uses habituation framing: %s", f[1])
		}
	}
}

// The English risk message says it the way people write it.
func TestDemoRiskMessageIsNatural(t *testing.T) {
	if !demo.HasRiskMessage("everyone would be better off without me") {
		t.Error("the English risk message is not the natural \"everyone would be better off without me\"")
	}
}

// The sleep diary of the demo looks like a patient following the program:
// time awake grows with the number of awakenings, none without any.
func TestDemoSleepDiaryIsConsistent(t *testing.T) {
	db := demoStore(t, 120)
	rows, err := db.Reader().Query(`SELECT fields FROM diary_entries`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var raw string
		rows.Scan(&raw)
		var f map[string]string
		json.Unmarshal([]byte(raw), &f)
		wakes, _ := strconv.Atoi(f[programs.SleepWakings])
		waso, _ := strconv.Atoi(f[programs.SleepWASO])
		n++
		if wakes == 0 && waso != 0 || wakes > 0 && (waso < 3*wakes || waso > 30*wakes) {
			t.Errorf("%d awakenings with %d minutes awake", wakes, waso)
		}
	}
	if n == 0 {
		t.Fatal("no diary nights")
	}
}

// The demo therapist's queue shows the course of treatments: a paused
// patient (no inactivity), one taken over from a colleague, follow-ups
// due and answered; their latest finished treatments have signed
// discharge summaries.
func TestDemoShowsTheCourse(t *testing.T) {
	db := demoStore(t, 240)
	ctx := context.Background()
	count := func(query string) int {
		var n int
		if err := db.Reader().QueryRow(query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const mine = "(SELECT id FROM therapists WHERE handle = 'demo')"
	if n := count("SELECT COUNT(*) FROM enrollments WHERE paused_since IS NOT NULL AND therapist_id = " + mine); n < 1 {
		t.Error("the demo therapist has no paused treatment")
	}
	if n := count("SELECT COUNT(*) FROM enrollment_events WHERE kind = 'transfer' AND to_therapist = " + mine); n < 2 {
		t.Errorf("%d treatments transferred to the demo therapist, want 2", n)
	}
	if n := count("SELECT COUNT(*) FROM summaries WHERE therapist_id = " + mine); n < 3 {
		t.Errorf("%d signed summaries, want several", n)
	}
	if n := count("SELECT COUNT(*) FROM enrollments WHERE status IN ('completed', 'discontinued') AND (ended_on = '' OR ended_on IS NULL)"); n != 0 {
		t.Errorf("%d finished treatments without an end date", n)
	}
	th, err := db.TherapistByHandle(ctx, demo.DemoHandle)
	if err != nil {
		t.Fatal(err)
	}
	q, err := db.Triage(ctx, store.ActorFor(th, "test"), th.ID)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{}
	for _, it := range q.Items {
		for _, r := range it.Reasons {
			codes[r.Code]++
			if it.Paused && r.Class == store.ClassInactive {
				t.Errorf("paused %s raised %q", it.Pseudonym, r.Text)
			}
		}
	}
	if codes[store.ReasonFollowUpDue] == 0 || codes[store.ReasonFollowUpAnswered] == 0 {
		t.Errorf("follow-up reasons in the demo queue: %v", codes)
	}
}
