package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"polku/programs/builtin"
	"polku/store"
	"polku/store/server"
	"polku/store/synctest"
)

// Every module of every built-in program reaches the patient with the
// program's crisis block, and the block gives the emergency number.
func TestEveryModuleCarriesTheCrisisBlock(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	if err := synctest.EnsurePrograms(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	sys := store.System("test")
	for _, prog := range b.Programs() {
		t.Run(prog.ID, func(t *testing.T) {
			pv, err := f.db.ProgramVersion(ctx, prog.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.db.AddPatient(ctx, sys, store.Patient{Pseudonym: "S-crisis-" + prog.ID, DisplayName: "Synthetic " + prog.ID,
				BirthDate: "2010-01-01", Language: "en", Synthetic: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.Enroll(ctx, sys, store.Enrollment{PatientID: p.ID, ProgramVersionID: pv.ID, TherapistID: f.a.ID}, 0); err != nil {
				t.Fatal(err)
			}
			tok, _, err := server.CreatePatientToken(ctx, f.db, p.ID, server.TokenOptions{Device: "portal"})
			if err != nil {
				t.Fatal(err)
			}
			st, body := f.do("GET", "/v1/patient/me", tok, "")
			if st != 200 {
				t.Fatalf("GET /v1/patient/me: %d %s", st, body)
			}
			var view struct {
				Modules []struct {
					ID     string `json:"id"`
					Body   string `json:"body"`
					Crisis *struct {
						Title    string `json:"title"`
						Contacts []struct {
							Number  string `json:"number"`
							Checked string `json:"checked"`
						} `json:"contacts"`
					} `json:"crisis"`
				} `json:"modules"`
			}
			if err := json.Unmarshal([]byte(body), &view); err != nil {
				t.Fatal(err)
			}
			if len(view.Modules) != len(prog.Modules) {
				t.Fatalf("%d modules reached the patient, the program has %d", len(view.Modules), len(prog.Modules))
			}
			for i, m := range view.Modules {
				if m.ID != prog.Modules[i].ID || m.Body == "" {
					t.Errorf("module %d: %q with %d bytes of body, want %q", i, m.ID, len(m.Body), prog.Modules[i].ID)
				}
				if m.Crisis == nil || m.Crisis.Title == "" {
					t.Errorf("module %s has no crisis block", m.ID)
					continue
				}
				var numbers []string
				for _, c := range m.Crisis.Contacts {
					numbers = append(numbers, c.Number)
					if c.Checked == "" {
						t.Errorf("module %s: contact %q has no checked date", m.ID, c.Number)
					}
				}
				want := []string{"112", "116 117", "09 2525 0111"}
				if prog.MaxAge != 0 && prog.MaxAge < 18 {
					want = []string{"112", "116 111", "116 117"}
				}
				for _, n := range want {
					if !strings.Contains(strings.Join(numbers, ","), n) {
						t.Errorf("module %s: the crisis block lacks %s (has %v)", m.ID, n, numbers)
					}
				}
			}
		})
	}
}
