package store_test

import (
	"context"
	"testing"

	"polku/store"
)

// The cost of writing a patient's message, which keeps its risk scan with
// the write: ns/op is one durable commit each, cpu-µs/op the process's CPU
// time per message.
//
//	go test ./store -run '^$' -bench 'BenchmarkSendMessageIn' -benchtime 2000x -count 3
func BenchmarkSendMessageIn(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	body := "Tällä viikolla nukuin paremmin, mutta maanantaina oli raskasta eikä mikään tuntunut miltään. Yritän silti jatkaa harjoituksia."
	send := func() {
		if _, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: body}, ""); err != nil {
			b.Fatal(err)
		}
	}
	send() // statements, caches
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		send()
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}
