package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"polku/internal/i18n"
)

// Every kind of store error (a record not found, a refused act, an
// invalid field, a conflict, and each of them wrapped by a command) is
// said whole in Finnish and Swedish: the English sentence the same command
// prints with --lang en is nowhere in the Finnish or Swedish output, nor
// are the English words of the error kinds.
func TestStoreErrorsSayNoEnglishInFinnishAndSwedish(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	db := filepath.Join(dir, "demo.db")
	if code, _, errs := cli(t, vars, "", "--db", db, "demo", "--patients", "40", "--no-tui", "--seed", "1"); code != 0 {
		t.Fatal(errs)
	}
	// A patient of demo's, one of another therapist's, and an open
	// referral.
	_, list, _ := cli(t, vars, "", "--db", db, "patients", "list", "--as", "super", "-o", "json")
	var patients []struct {
		Pseudonym string `json:"pseudonym"`
		Status    string `json:"status"`
		Therapist string `json:"therapist"`
	}
	if err := json.Unmarshal([]byte(list), &patients); err != nil {
		t.Fatalf("patients list: %v %s", err, list)
	}
	var own, other, finished string
	for _, p := range patients {
		switch {
		case p.Therapist == "demo" && p.Status == "active" && own == "":
			own = p.Pseudonym
		case p.Therapist == "demo" && p.Status == "completed" && finished == "":
			finished = p.Pseudonym
		case p.Therapist != "demo" && p.Therapist != "" && other == "":
			other = p.Pseudonym
		}
	}
	_, refs, _ := cli(t, vars, "", "--db", db, "referrals", "list", "--as", "super", "-o", "json")
	var rl struct {
		Items []struct {
			ID string `json:"referral_id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(refs), &rl); err != nil || len(rl.Items) == 0 || own == "" || other == "" || finished == "" {
		t.Fatalf("no referral or patients (%q %q %q): %v %s", own, other, finished, err, refs)
	}
	ref := rl.Items[0].ID
	commands := map[string][][]string{
		"not found": {
			{"patients", "show", "nope", "--as", "demo"},
			{"referrals", "show", "nope", "--as", "super"},
			{"therapists", "show", "nobody"},
			{"cohorts", "show", "nope", "--as", "demo"},
			{"patients", "show", other, "--as", "demo"}, // another therapist's patient
			{"restore", filepath.Join(dir, "none.db"), "--db", filepath.Join(dir, "x.db")},
		},
		"forbidden": {
			{"report", "--as", "demo"},
			{"audit", "--by", "demo", "--as", "demo"},
			{"enrollments", "transfer", own, "--to", "laura", "--as", "demo"},
			{"enrollments", "show", own, "--as", "admin"},
			{"referrals", "accept", ref, "--as", "demo"},
			{"triage", "--therapist", "laura", "--as", "demo"},
		},
		"invalid": {
			{"enrollments", "extend", own, "--weeks", "99", "--reason", "x", "--as", "demo"},
			{"enrollments", "discontinue", own, "--code", "nope", "--as", "demo"},
			{"enrollments", "resume", own, "--as", "demo"},
			{"enrollments", "extend", finished, "--weeks", "2", "--reason", "x", "--as", "demo"},
			{"enrollments", "transfer", own, "--to", "admin", "--as", "super"},
			{"therapists", "add", "Bad Handle", "--name", "X"},
			{"referrals", "accept", ref, "--start", "2020-01-01", "--as", "super"},
			{"settings", "set", "inactive_days", "0"},
			{"settings", "set", "timezone", "Mars/Base"},
			{"settings", "set", "nope", "1"},
			{"backup", "--out", db},
		},
		"conflict": {
			{"therapists", "add", "demo", "--name", "X"},
			{"referrals", "accept", ref, "--expect-version", "99", "--as", "super"},
			{"enrollments", "pause", own, "--if-version", "1", "--as", "demo"},
		},
		"wrapped": {
			{"triage", "--therapist", "nobody", "--as", "demo"},
		},
	}
	kindWords := []string{"not found", "forbidden", "invalid", "conflict", "is required", "not yours", "does not", "is not", "may not"}
	for kind, cmds := range commands {
		for _, c := range cmds {
			code, _, en := cli(t, vars, "", append([]string{"--db", db, "--lang", "en"}, c...)...)
			if code == 0 || en == "" {
				t.Errorf("%s: polku %s: no error (exit %d)", kind, strings.Join(c, " "), code)
				continue
			}
			sentence := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(en, "\n", 2)[0], "polku: "))
			for _, lang := range []string{i18n.FI, i18n.SV} {
				_, _, out := cli(t, vars, "", append([]string{"--db", db, "--lang", lang}, c...)...)
				line := strings.SplitN(out, "\n", 2)[0]
				if line == "" || line == strings.SplitN(en, "\n", 2)[0] {
					t.Errorf("%s %s: polku %s says %q, as in English", kind, lang, strings.Join(c, " "), line)
					continue
				}
				if strings.Contains(out, sentence) {
					t.Errorf("%s %s: polku %s: the English sentence %q is in %q", kind, lang, strings.Join(c, " "), sentence, out)
				}
				for _, w := range kindWords {
					if strings.Contains(line, w) {
						t.Errorf("%s %s: polku %s: English %q in %q", kind, lang, strings.Join(c, " "), w, line)
					}
				}
				for _, w := range notEnglishIn(t, lang, out) {
					t.Errorf("%s %s: polku %s: English %s", kind, lang, strings.Join(c, " "), w)
				}
			}
		}
	}
}
