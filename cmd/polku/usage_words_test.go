package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Usage errors say what is missing or mistyped in words, with the
// command's usage line: no "accepts 1 arg(s), received 0", and "did you
// mean" for a mistyped flag as for a mistyped command.
func TestUsageErrorsSayWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	vars := testVars(dir)
	db := filepath.Join(dir, "p.db")
	if code, _, errs := cli(t, vars, "", "--db", db, "init"); code != 0 {
		t.Fatal(errs)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"patients", "show"}, "say which patient: polku patients show PATIENT"},
		{[]string{"audit"}, "say which patient: polku audit PATIENT"},
		{[]string{"import"}, "say which file: polku import FILE"},
		{[]string{"programs", "show"}, "say which program or instrument: polku programs show ID[@VERSION]"},
		{[]string{"programs", "validate"}, "say which file or folder: polku programs validate PATH..."},
		{[]string{"therapists", "add"}, "say which therapist (by handle): polku therapists add HANDLE"},
		{[]string{"settings", "set", "timezone"}, "say which value: polku settings set KEY VALUE"},
		{[]string{"patients", "show", "a", "b"}, `too many arguments ("a b"): polku patients show PATIENT`},
		{[]string{"patients", "list", "--ass", "anna"}, "unknown flag: --ass\n\nDid you mean this?\n\t--as"},
		{[]string{"patients", "list", "--statsu", "active"}, "Did you mean this?\n\t--status"},
	} {
		code, _, errs := cli(t, vars, "", append([]string{"--db", db}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("polku %s: exit %d, %q; want exit 2 and %q", strings.Join(c.args, " "), code, errs, c.want)
		}
		if strings.Contains(errs, "arg(s)") {
			t.Errorf("polku %s: %q shows cobra's wording", strings.Join(c.args, " "), errs)
		}
	}
	// A missing store says how to make one, without "not found" tacked on.
	missing := filepath.Join(dir, "missing.db")
	code, _, errs := cli(t, vars, "", "--db", missing, "programs", "list")
	want := "polku: no store at " + missing + ": run `polku init --db " + missing + "` first, or `polku demo`\n"
	if code != 1 || errs != want {
		t.Errorf("a missing store: exit %d, %q; want %q", code, errs, want)
	}
}
