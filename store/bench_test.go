package store_test

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"polku/programs/builtin"
	"polku/store"
	"polku/store/demo"
)

// Benchmarks run against generated demo stores. The 20,000-patient store
// takes a while to build, so it is built once per test binary run, in a
// temporary folder (POLKU_BENCH_DIR keeps it between runs).
var (
	bigOnce sync.Once
	bigPath string
	bigErr  error
)

// bigStoreVersion names what the demo writes (2: the risk scans of its
// texts are kept with them).
const bigStoreVersion = "2"

var benchNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func bigStore(b *testing.B) *store.DB {
	b.Helper()
	buildBigStore(b)
	db, err := store.Open(context.Background(), bigPath, store.Options{Clock: func() time.Time { return benchNow }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// buildBigStore makes the 20,000-patient store's file (bigPath) once.
func buildBigStore(b *testing.B) {
	b.Helper()
	bigOnce.Do(func() {
		dir := os.Getenv("POLKU_BENCH_DIR")
		if dir == "" {
			dir, bigErr = os.MkdirTemp("", "polku-bench-")
			if bigErr != nil {
				return
			}
		}
		// The name says which build of the demo made it: bump it when
		// what a demo store holds changes, so that a kept one is remade.
		bigPath = filepath.Join(dir, "demo-20000-"+bigStoreVersion+".db")
		if _, err := os.Stat(bigPath); err == nil {
			return
		}
		var db *store.DB
		db, bigErr = store.Open(context.Background(), bigPath, store.Options{Create: true, Clock: func() time.Time { return benchNow }, Random: rand.NewChaCha8([32]byte{1})})
		if bigErr != nil {
			return
		}
		defer db.Close()
		_, bigErr = demo.Generate(context.Background(), db, demo.Config{Seed: 1, Patients: 20000, Now: benchNow})
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
}

// freshBigStore opens a copy of the 20,000-patient store as the demo left
// it: the other benchmarks' reports and reads (which keep scans and write
// the audit log) have not touched it.
func freshBigStore(b *testing.B) *store.DB {
	b.Helper()
	buildBigStore(b)
	src, err := os.Open(bigPath)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(b.TempDir(), "fresh.db")
	dst, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, store.Options{Clock: func() time.Time { return benchNow }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func genDemo(b *testing.B, patients int) {
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "d.db"), store.Options{Create: true, Clock: func() time.Time { return benchNow }, Random: rand.NewChaCha8([32]byte{1})})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(context.Background(), db, demo.Config{Seed: 1, Patients: patients, Now: benchNow}); err != nil {
		b.Fatal(err)
	}
}

// Target: the default demo (300 patients) under 2 s.
func BenchmarkDemo300(b *testing.B) {
	for i := 0; i < b.N; i++ {
		genDemo(b, 300)
	}
}

// Target: a 20,000-patient demo under 60 s. Run with -benchtime 1x.
func BenchmarkDemo20000(b *testing.B) {
	for i := 0; i < b.N; i++ {
		genDemo(b, 20000)
	}
}

// Target: importing the built-in programs under 100 ms.
func BenchmarkImportBuiltinPrograms(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), strconv.Itoa(i)+".db"), store.Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		bundle, err := builtin.Load()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.ImportPrograms(ctx, store.System("bench"), bundle, false); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// Target: exporting a 20,000-patient store under 10 s.
func BenchmarkExport20000(b *testing.B) {
	db := bigStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := db.Export(context.Background(), store.System("bench"), io.Discard, store.ExportFilter{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "records")
	}
}

// Target: one therapist's queue (about 120 patients: the fullest queue of
// the demo) in a 20,000-patient store under 20 ms.
func BenchmarkTriage20000(b *testing.B) {
	db := bigStore(b)
	ctx := context.Background()
	// The therapist with the fullest queue.
	all, err := db.Therapists(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var th store.Therapist
	most := -1
	for _, t := range all {
		if t.Role != store.RoleTherapist {
			continue
		}
		q, err := db.Triage(ctx, store.System("bench"), t.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(q.Items) > most {
			th, most = t, len(q.Items)
		}
	}
	actor := store.ActorFor(th, "bench")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Triage(ctx, actor, th.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(most), "patients")
}

// Target: the supervisor's team view (8 therapists' queues) under 150 ms.
func BenchmarkTeam20000(b *testing.B) {
	db := bigStore(b)
	ctx := context.Background()
	sup, err := db.TherapistByHandle(ctx, demo.SupervisorHandle)
	if err != nil {
		b.Fatal(err)
	}
	actor := store.ActorFor(sup, "bench")
	v, err := db.Team(ctx, actor, sup.Team)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, m := range v.Members {
		n += m.Patients
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Team(ctx, actor, sup.Team); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(v.Members)), "therapists")
	b.ReportMetric(float64(n), "patients")
}

// Opening a patient's record (audited) in the big store.
func BenchmarkPatientRecord20000(b *testing.B) {
	db := bigStore(b)
	ctx := context.Background()
	th, _ := db.TherapistByHandle(ctx, demo.DemoHandle)
	actor := store.ActorFor(th, "bench")
	q, err := db.Triage(ctx, actor, th.ID)
	if err != nil || len(q.Items) == 0 {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.PatientRecord(ctx, actor, q.Items[i%len(q.Items)].PatientID, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// The supervisor's first team view after opening the store: cold caches.
func BenchmarkTeamCold20000(b *testing.B) {
	bigStore(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		db, err := store.Open(ctx, bigPath, store.Options{Clock: func() time.Time { return benchNow }})
		if err != nil {
			b.Fatal(err)
		}
		sup, err := db.TherapistByHandle(ctx, demo.SupervisorHandle)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Team(ctx, store.ActorFor(sup, "bench"), sup.Team); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
