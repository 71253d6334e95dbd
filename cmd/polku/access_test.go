package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A refused read and a read of nobody end the same way: same exit code,
// same message but for what was typed, nothing on standard output.
func TestRefusedAndUnknownPatientSameExit(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	records := filepath.Join(dir, "r.jsonl")
	if err := os.WriteFile(records, []byte(strings.Join([]string{
		`{"type":"therapist","id":"t-anna","handle":"anna","name":"Anna","role":"therapist","team":"south","languages":["fi"],"capacity":100,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","version":1}`,
		`{"type":"therapist","id":"t-bert","handle":"bert","name":"Bert","role":"therapist","team":"south","languages":["fi"],"capacity":100,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","version":1}`,
		`{"type":"patient","id":"p1","pseudonym":"P-1","display_name":"Aino A.","birth_date":"1990-01-01","language":"fi","created_at":"2026-10-01T00:00:00Z","updated_at":"2026-10-01T00:00:00Z","version":1}`,
		`{"type":"enrollment","id":"e1","patient_id":"p1","program_version_id":"gad@2","program_id":"gad","therapist_id":"t-anna","status":"active","start_date":"2026-11-02","planned_end":"2027-01-25","unlocked_modules":3,"created_at":"2026-11-01T10:00:00Z","updated_at":"2026-11-01T10:00:00Z","version":1}`,
	}, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	polku := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), &env{args: append([]string{"--db", db}, args...), stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" }, now: time.Now})
		return code, out.String(), errb.String()
	}
	if code, _, stderr := polku("init"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := polku("import", records); code != 0 {
		t.Fatal(stderr)
	}
	for _, verb := range [][]string{{"patients", "show"}, {"audit"}} {
		for _, ref := range [][2]string{{"P-1", "P-2"}, {"p1", "p2"}} {
			c1, out1, err1 := polku(append(append([]string{}, verb...), ref[0], "--as", "bert")...)
			c2, out2, err2 := polku(append(append([]string{}, verb...), ref[1], "--as", "bert")...)
			if c1 == 0 || c1 != c2 || out1 != "" || out2 != "" || err1 != strings.Replace(err2, ref[1], ref[0], 1) {
				t.Errorf("%s: refused %s: exit %d %q; unknown %s: exit %d %q", strings.Join(verb, " "), ref[0], c1, err1, ref[1], c2, err2)
			}
		}
	}
}
