package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"polku/store"
)

// BenchmarkImportFile imports the export named by POLKU_IMPORT_FILE into an
// empty store ('polku init --no-builtin' equivalent), then re-imports it
// unchanged and dry-runs it. Make the file with 'polku demo --patients N'
// and 'polku export'; run with -benchtime 1x (and -cpuprofile to profile).
func BenchmarkImportFile(b *testing.B) {
	path := os.Getenv("POLKU_IMPORT_FILE")
	if path == "" {
		b.Skip("POLKU_IMPORT_FILE not set")
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "i.db"), store.Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, step := range []struct {
			name   string
			dryRun bool
		}{{"import", false}, {"reimport", false}, {"dryrun", true}} {
			if os.Getenv("POLKU_IMPORT_ONLY") != "" && step.name != "import" {
				continue
			}
			start, cpu0 := time.Now(), importCPU()
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			sum, err := db.Import(ctx, store.System("bench"), f, step.dryRun)
			f.Close()
			if err != nil {
				b.Fatal(step.name, err)
			}
			b.Logf("%s: %d lines, %d unchanged: %.1f s wall, %.1f s CPU", step.name, sum.Lines, sum.Unchanged, time.Since(start).Seconds(), (importCPU() - cpu0).Seconds())
		}
		db.Close()
	}
}

// importCPU is the CPU time (user and system) the process has used.
func importCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
