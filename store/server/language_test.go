package server_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"polku/programs"
	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// The patient's language picks the program's and the scales' words, and
// the API says which language it sent and whether that was a fallback. A
// site's licensed Finnish PHQ-9 (here a fixture that is NOT the official
// text) reaches a Finnish-speaking patient once imported; a
// Swedish-speaking patient still gets the English one, marked fallback.
func TestPatientReadsTheirLanguage(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	sys := store.System("test")
	pv, err := f.db.ProgramVersion(ctx, "gad", 0)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, lang := range []string{"fi", "sv", "en"} {
		p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "P-LANG-" + lang, DisplayName: "Lang " + lang, BirthDate: "1985-03-01", Language: lang})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: f.a.ID, UnlockedModules: 1}, 0); err != nil {
			t.Fatal(err)
		}
		if tokens[lang], _, err = server.CreatePatientToken(ctx, f.db, p.ID, server.TokenOptions{Device: "portal"}); err != nil {
			t.Fatal(err)
		}
	}
	me := func(lang string) api.PatientView {
		t.Helper()
		st, body := f.do("GET", "/v1/patient/me", tokens[lang], "")
		var v api.PatientView
		if err := json.Unmarshal([]byte(body), &v); err != nil || st != 200 {
			t.Fatalf("GET /v1/patient/me (%s): %d %s", lang, st, body)
		}
		if strings.Contains(body, `"translations"`) {
			t.Errorf("%s: the view carries every translation", lang)
		}
		return v
	}
	phq9 := func(v api.PatientView) api.InstrumentView {
		for _, in := range v.Instruments {
			if in.ID == "phq9" {
				return in
			}
		}
		t.Fatalf("no PHQ-9 in %+v", v.Instruments)
		return api.InstrumentView{}
	}
	wantTitle := map[string]string{"fi": "Vähemmän huolta", "sv": "Oroa dig mindre", "en": "Worry less"}
	for lang, title := range wantTitle {
		v := me(lang)
		var prog programs.Program
		json.Unmarshal(v.Program, &prog)
		if v.Language != lang || v.Fallback || prog.Language != lang || !strings.HasPrefix(prog.Title, title) || v.Modules[0].Crisis == nil {
			t.Errorf("%s: language %q fallback %v title %q", lang, v.Language, v.Fallback, prog.Title)
		}
		if in := phq9(v); in.Language != "en" || in.Fallback != (lang != "en") {
			t.Errorf("%s: PHQ-9 before the import: %s fallback %v", lang, in.Language, in.Fallback)
		}
	}

	b, probs, err := programs.Load(filepath.Join("..", "testdata", "phq9-fi-NOT-OFFICIAL.yaml"))
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	res, err := f.db.ImportPrograms(ctx, sys, b, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != store.ImportNewVersion || res[0].Language != "fi" || res[0].Version != 2 {
		t.Fatalf("import of the Finnish PHQ-9: %+v", res)
	}
	fi := phq9(me("fi"))
	if fi.Language != "fi" || fi.Fallback || fi.Version != 2 || !strings.Contains(fi.Instrument.Title, "EI VIRALLINEN") || fi.Instrument.Items[8].Text == "" {
		t.Errorf("a Finnish-speaking patient gets %+v", fi)
	}
	if len(fi.Instrument.Options) != 4 || fi.Instrument.Options[3].Score != 3 || fi.Instrument.Critical[0].Item != "9" {
		t.Errorf("the Finnish PHQ-9 scores differently: %+v", fi.Instrument)
	}
	if sv := phq9(me("sv")); sv.Language != "en" || !sv.Fallback || sv.Version != 2 {
		t.Errorf("a Swedish-speaking patient gets %+v", sv)
	}
	// Importing it again changes nothing.
	if res, err := f.db.ImportPrograms(ctx, sys, b, false); err != nil || res[0].Status != store.ImportUnchanged {
		t.Fatalf("re-import: %+v %v", res, err)
	}
}
