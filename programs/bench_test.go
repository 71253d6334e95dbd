package programs_test

import (
	"testing"

	"polku/programs"
	"polku/programs/builtin"
)

// BenchmarkValidateBuiltin parses and validates the built-in programs and
// instruments, as 'polku init' and every import with --builtin do.
func BenchmarkValidateBuiltin(b *testing.B) {
	for i := 0; i < b.N; i++ {
		bundle, probs, err := programs.LoadFS(builtin.FS(), "builtin/")
		if err != nil || len(probs) > 0 {
			b.Fatal(err, probs)
		}
		if probs := programs.Validate(bundle, nil); len(probs) > 0 {
			b.Fatal(probs)
		}
	}
}
