package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's "complete small example" of a program is one that
// 'polku programs validate' accepts, so that it cannot rot.
func TestReadmeExampleProgramValidates(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "A complete small example:")
	if !ok {
		t.Fatal(`README.md has no "A complete small example:"`)
	}
	_, block, ok := strings.Cut(after, "```yaml\n")
	if !ok {
		t.Fatal("README.md: no ```yaml block after the example's heading")
	}
	block, _, ok = strings.Cut(block, "```")
	if !ok {
		t.Fatal("README.md: the example's yaml block does not end")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "example.yaml")
	if err := os.WriteFile(file, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, testVars(dir), "", "--db", filepath.Join(dir, "none.db"), "programs", "validate", file)
	if code != 0 || !strings.Contains(out, "ok: 1 program, 1 instrument") {
		t.Fatalf("the README's example does not validate (exit %d):\n%s%s", code, out, errs)
	}
}
