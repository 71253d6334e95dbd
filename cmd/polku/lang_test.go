package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
)

// runIn runs one command line in-process with the environment env and
// returns its exit code, standard output and standard error.
func runIn(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	code := run(context.Background(), &env{args: args, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] }, now: func() time.Time { return at }})
	return code, out.String(), errb.String()
}

// JSON output is the same in every language: the same keys, codes and
// numbers, whatever --lang, the therapist's setting or the environment
// say; the tables of the same commands are in the language. A coded
// reason's sentence (its "text" and "badge" beside its "code") is in the
// language asked.
func TestJSONIsTheSameInEveryLanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	vars := map[string]string{"HOME": t.TempDir(), "USER": "admin-user", "TZ": "Europe/Helsinki"}
	if code, _, stderr := runIn(t, vars, "--db", db, "demo", "--patients", "20", "--no-tui", "--seed", "1"); code != 0 {
		t.Fatalf("demo: %d %s", code, stderr)
	}
	// One therapist reads in Swedish by their own setting.
	if code, _, stderr := runIn(t, vars, "--db", db, "therapists", "set", "super", "--ui-lang", "sv"); code != 0 {
		t.Fatalf("set: %d %s", code, stderr)
	}
	commands := [][]string{
		{"therapists", "list"},
		{"therapists", "show", "demo"},
		{"programs", "list"},
		{"settings", "list"},
		{"patients", "list", "--as", "demo"},
		{"triage", "--as", "demo"},
		{"team", "--as", "super"},
		{"referrals", "list", "--as", "super"},
		{"cohorts", "list", "--as", "demo"},
		{"groups", "list", "--as", "demo"},
	}
	for _, c := range commands {
		var first any
		for i, lang := range []string{"en", "fi", "sv"} {
			args := append(append([]string{"--db", db, "--lang", lang}, c...), "--output", "json")
			code, stdout, stderr := runIn(t, vars, args...)
			if code != 0 {
				t.Fatalf("%s %v: exit %d: %s", lang, c, code, stderr)
			}
			var got any
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%s %v: %v", lang, c, err)
			}
			dropSentences(got)
			if i == 0 {
				first = got
				continue
			}
			if !reflect.DeepEqual(first, got) {
				t.Errorf("%v: the JSON in %s differs from the English", c, lang)
			}
		}
	}
	// The report's JSON (supervisor, Swedish by setting) equals the one asked in Finnish.
	_, sv, _ := runIn(t, vars, "--db", db, "report", "--as", "super", "-o", "json")
	_, fi, _ := runIn(t, vars, "--db", db, "--lang", "fi", "report", "--as", "super", "-o", "json")
	if sv == "" || sv != fi {
		t.Errorf("report JSON differs between sv (setting) and fi (--lang)")
	}
	// The tables are not: the language reaches them.
	for lang, want := range map[string]string{"en": "HANDLE", "fi": "TUNNUS", "sv": "ANVÄNDARNAMN"} {
		_, stdout, _ := runIn(t, vars, "--db", db, "--lang", lang, "therapists", "list")
		if !strings.HasPrefix(stdout, want) {
			t.Errorf("%s: therapists list starts %q, want %s", lang, stdout[:min(len(stdout), 30)], want)
		}
	}
	for lang, want := range map[string]string{"en": "NAME\tPROGRAM", "fi": "NIMI\tOHJELMA", "sv": "NAMN\tPROGRAM"} {
		_, stdout, _ := runIn(t, vars, "--db", db, "--lang", lang, "cohorts", "list", "--as", "demo")
		if first := strings.Join(strings.Fields(stdout), " "); !strings.HasPrefix(first, strings.ReplaceAll(want, "\t", " ")) {
			t.Errorf("%s: cohorts list starts %q, want %q", lang, first[:min(len(first), 30)], want)
		}
	}
	_, table, _ := runIn(t, vars, "--db", db, "report", "--as", "super")
	if !strings.HasPrefix(table, "Rapport ") || !strings.Contains(table, "AVSNITT") {
		t.Errorf("the supervisor's report is not in their Swedish:\n%s", table)
	}
	// The environment decides when nothing else does.
	vars["LANG"] = "fi_FI.UTF-8"
	if _, stdout, _ := runIn(t, vars, "--db", db, "therapists", "list"); !strings.HasPrefix(stdout, "TUNNUS") {
		t.Errorf("LANG=fi_FI.UTF-8: therapists list starts %q", stdout[:min(len(stdout), 30)])
	}
	// ... and --lang beats the therapist's own setting.
	if _, stdout, _ := runIn(t, vars, "--db", db, "--lang", "en", "--as", "super", "therapists", "list"); !strings.HasPrefix(stdout, "HANDLE") {
		t.Errorf("--lang en --as super: therapists list starts %q", stdout[:min(len(stdout), 30)])
	}
}

// dropSentences removes the sentence of every coded object (an object
// with a "code": its "text" and "badge"), the one part of the JSON that is
// in the language asked.
func dropSentences(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["code"]; ok {
			delete(v, "text")
			delete(v, "badge")
		}
		for _, e := range v {
			dropSentences(e)
		}
	case []any:
		for _, e := range v {
			dropSentences(e)
		}
	}
}

// The catalog's English meaning of every setting is the store's own, so a
// change in the store shows up here rather than as a stale translation.
func TestSettingMeaningsFollowTheStore(t *testing.T) {
	en := i18n.New(i18n.EN)
	for _, kv := range store.SettingKeys() {
		id := "cli.settings.meaning." + strings.ReplaceAll(kv[0], ".", "_")
		if !en.Has(id) {
			t.Errorf("%s: no catalog sentence for setting %s", id, kv[0])
			continue
		}
		if got := en.T(id); got != kv[1] {
			t.Errorf("%s is %q, the store says %q", id, got, kv[1])
		}
	}
}
