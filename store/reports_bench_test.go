package store_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"polku/store"
)

// Target: a report of the 20,000-patient store over a whole year under 2 s.
func BenchmarkReport20000Year(b *testing.B) {
	db := freshBigStore(b)
	ctx := context.Background()
	q := store.ReportQuery{From: benchNow.AddDate(-1, 0, 1), To: benchNow}
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op") }()
	for i := 0; i < b.N; i++ {
		r, err := db.Report(ctx, store.System("bench"), q)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(float64(r.Access.ReferralsReceived), "referrals")
			b.ReportMetric(float64(r.Engagement.Completed+r.Engagement.Discontinued), "ended")
		}
	}
}

// The same once the texts of the year are in the risk-phrase cache (a
// second report, or one after the queues were read, in one process).
func BenchmarkReport20000YearWarm(b *testing.B) {
	db := bigStore(b)
	ctx := context.Background()
	q := store.ReportQuery{From: benchNow.AddDate(-1, 0, 1), To: benchNow}
	if _, err := db.Report(ctx, store.System("bench"), q); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Report(ctx, store.System("bench"), q); err != nil {
			b.Fatal(err)
		}
	}
}

// One month of the same store (the default period), texts not cached.
func BenchmarkReport20000Month(b *testing.B) {
	db := bigStore(b)
	ctx := context.Background()
	q := store.ReportQuery{From: benchNow.AddDate(0, -1, 1), To: benchNow}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Report(ctx, store.System("bench"), q); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's CPU time (user and system) so far: on a
// machine shared with other work, the figure that does not depend on the
// others.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
