package demo_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
)

// A demo store has the languages of a Finnish service: about 80 % of the
// patients Finnish-speaking, 15 % Swedish-speaking, 5 % English-speaking;
// every patient's therapist speaks the patient's language and writes to
// them in it; the demo therapist's queue has a possible-risk message in
// Finnish and one in Swedish, each caught by its own language's list.
func TestDemoLanguages(t *testing.T) {
	db := demoStore(t, 400)
	ctx := context.Background()
	rows, err := db.Reader().Query(`SELECT p.language, COALESCE(t.languages, '[]'), COALESCE(t.handle, '') FROM patients p
		LEFT JOIN enrollments e ON e.patient_id = p.id LEFT JOIN therapists t ON t.id = e.therapist_id
		WHERE p.pseudonym LIKE 'SYN-0%'`)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	demoLangs := map[string]int{}
	n := 0
	for rows.Next() {
		var lang, raw, handle string
		if err := rows.Scan(&lang, &raw, &handle); err != nil {
			t.Fatal(err)
		}
		n++
		count[lang]++
		var speaks []string
		json.Unmarshal([]byte(raw), &speaks)
		if handle != "" && !strings.Contains(strings.Join(speaks, " "), lang) {
			t.Errorf("a %s-speaking patient is treated by %s, who speaks %v", lang, handle, speaks)
		}
		if handle == demo.DemoHandle {
			demoLangs[lang]++
		}
	}
	rows.Close()
	if n < 380 { // the cohort's members are SYN-G...
		t.Fatalf("%d patients, want nearly 400", n)
	}
	share := func(l string) int { return count[l] * 100 / n }
	if share("fi") < 72 || share("fi") > 88 || share("sv") < 10 || share("sv") > 21 || share("en") < 2 || share("en") > 9 {
		t.Errorf("patients' languages %v of %d: want about 80 %% fi, 15 %% sv, 5 %% en", count, n)
	}
	for _, l := range demo.Languages {
		if demoLangs[l] == 0 {
			t.Errorf("the demo therapist has no %s-speaking patient: %v", l, demoLangs)
		}
	}

	// The therapists: mostly Finnish-speaking, their own language first.
	ths := map[string]int{}
	trows, err := db.Reader().Query(`SELECT languages FROM therapists WHERE role = 'therapist'`)
	if err != nil {
		t.Fatal(err)
	}
	for trows.Next() {
		var raw string
		trows.Scan(&raw)
		var l []string
		json.Unmarshal([]byte(raw), &l)
		if len(l) > 0 {
			ths[l[0]]++
		}
	}
	trows.Close()
	if ths["fi"] == 0 || ths["fi"] < ths["sv"] || ths["sv"] < ths["en"] {
		t.Errorf("therapists by their own language %v: want most Finnish, some Swedish", ths)
	}

	// Risk cases in each language raise flags from their own list.
	th, err := db.TherapistByHandle(ctx, demo.DemoHandle)
	if err != nil {
		t.Fatal(err)
	}
	q, err := db.Triage(ctx, store.ActorFor(th, "test"), th.ID)
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]int{}
	for _, it := range q.Items {
		for _, r := range it.Reasons {
			if r.Code == store.ReasonRiskPhrase && r.SourceType == store.RiskSourceMessage {
				flagged[r.Lang]++
			}
		}
	}
	if flagged["fi"] == 0 || flagged["sv"] == 0 {
		t.Errorf("possible-risk flags in the demo therapist's queue by list: %v; want a Finnish and a Swedish one", flagged)
	}

	// What a Swedish-speaking patient gets is in Swedish, and a Finnish-
	// speaking one's in Finnish.
	for lang, word := range map[string]string{"fi": "Tervetuloa ohjelmaan", "sv": "Välkommen till programmet"} {
		var got int
		db.Reader().QueryRow(`SELECT COUNT(*) FROM messages m JOIN patients p ON p.id = m.patient_id WHERE p.language = ? AND m.body LIKE ?`, lang, "%"+word+"%").Scan(&got)
		var wrong int
		db.Reader().QueryRow(`SELECT COUNT(*) FROM messages m JOIN patients p ON p.id = m.patient_id WHERE p.language <> ? AND m.body LIKE ?`, lang, "%"+word+"%").Scan(&wrong)
		if got == 0 || wrong != 0 {
			t.Errorf("the %s welcome: %d to %s-speaking patients, %d to others", lang, got, lang, wrong)
		}
	}
}

// A big demo's therapists, named by their language, all have their own
// handle, and its records all validate.
func TestDemoTherapistsOfEveryLanguageHaveTheirOwnHandles(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), store.Options{Clock: func() time.Time { return now }, Create: true,
		Random: rand.NewChaCha8([32]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(ctx, db, demo.Config{Seed: 1, Patients: 150, Therapists: 60, Now: now}); err != nil {
		t.Fatal(err)
	}
	var n, handles int
	db.Reader().QueryRow(`SELECT COUNT(*), COUNT(DISTINCT handle) FROM therapists WHERE role = 'therapist'`).Scan(&n, &handles)
	if n != 60 || handles != n {
		t.Errorf("%d therapists with %d handles, want 60 with their own", n, handles)
	}
	byLang := map[string]int{}
	rows, _ := db.Reader().Query(`SELECT languages FROM therapists WHERE role = 'therapist'`)
	for rows.Next() {
		var raw string
		rows.Scan(&raw)
		var l []string
		json.Unmarshal([]byte(raw), &l)
		byLang[l[0]]++
	}
	rows.Close()
	if byLang["fi"] != 48 || byLang["sv"] != 9 || byLang["en"] != 3 {
		t.Errorf("therapists by their own language %v, want fi 48 (the demo therapist and 47), sv 9, en 3", byLang)
	}
}
