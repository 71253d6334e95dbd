package fhir_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
	"polku/store/fhir"
)

// bigStore opens the 20,000-patient demo store of the store benchmarks
// (POLKU_BENCH_DIR/demo-20000.db), building it there if it is missing.
func bigStore(b *testing.B) *store.DB {
	dir := os.Getenv("POLKU_BENCH_DIR")
	if dir == "" {
		b.Skip("set POLKU_BENCH_DIR to a folder for the 20,000-patient store")
	}
	path := filepath.Join(dir, "demo-20000.db")
	if _, err := os.Stat(path); err != nil {
		db, err := store.Open(context.Background(), path, store.Options{Create: true, Clock: func() time.Time { return now }, Random: rand.NewChaCha8([32]byte{1})})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := demo.Generate(context.Background(), db, demo.Config{Seed: 1, Patients: 20000, Now: now}); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	db, err := store.Open(context.Background(), path, store.Options{Clock: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// Target: one patient's Bundle under 50 ms.
func BenchmarkPatientBundle(b *testing.B) {
	db := demoStore(b, 300)
	ctx := context.Background()
	pats, err := db.Patients(ctx, store.System("bench"), store.PatientFilter{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := fhir.PatientBundle(ctx, db, store.System("bench"), pats[i%len(pats)].ID, fhir.Options{IncludeText: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: the 20,000-patient store as NDJSON under 30 s. Run with
// -benchtime 1x and POLKU_BENCH_DIR set.
func BenchmarkNDJSON20000(b *testing.B) {
	db := bigStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		counts, err := fhir.WriteNDJSON(context.Background(), db, store.System("bench"), b.TempDir(), fhir.Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, c := range counts {
			n += c
		}
		b.ReportMetric(float64(n), "resources")
	}
}
