package demo_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
)

// BenchmarkGenerate builds a demo store of POLKU_DEMO_PATIENTS patients
// (default 2,000) as 'polku demo' does (a new file, Scratch); run with
// -benchtime 1x (and -cpuprofile to profile).
func BenchmarkGenerate(b *testing.B) {
	n := 2000
	if v := os.Getenv("POLKU_DEMO_PATIENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	for i := 0; i < b.N; i++ {
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "demo.db"), store.Options{Clock: func() time.Time { return now }, Create: true,
			Random: rand.NewChaCha8([32]byte{1}), Scratch: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := demo.Generate(ctx, db, demo.Config{Seed: 1, Patients: n, Now: now}); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
