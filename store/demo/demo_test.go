package demo_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func generate(t testing.TB, dir string, seed uint64, patients int) (*store.DB, demo.Summary) {
	t.Helper()
	var key [32]byte
	key[0] = byte(seed)
	db, err := store.Open(context.Background(), filepath.Join(dir, "demo.db"), store.Options{Create: true, Clock: func() time.Time { return now }, Random: rand.NewChaCha8(key)})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Generate(context.Background(), db, demo.Config{Seed: seed, Patients: patients, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return db, sum
}

func BenchmarkGenerate5000(b *testing.B) {
	for i := 0; i < b.N; i++ {
		db, _ := generate(b, b.TempDir(), 1, 5000)
		db.Close()
	}
}
