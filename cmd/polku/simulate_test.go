package main

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"polku/programs"
	"polku/store"
	"polku/store/api"
	"polku/store/client"
)

// downPortal fails every view with err.
type downPortal struct{ err error }

func (p downPortal) view(context.Context) (*store.Enrollment, *programs.Program, error) {
	return nil, nil, p.err
}
func (downPortal) submit(context.Context, api.SubmitRequest) error   { return nil }
func (downPortal) diary(context.Context, api.DiaryRequest) error     { return nil }
func (downPortal) measure(context.Context, api.MeasureRequest) error { return nil }
func (downPortal) message(context.Context, api.MessageRequest) error { return nil }
func (downPortal) readFeedback(context.Context) (int, error)         { return 0, nil }

func loopWaits(t *testing.T, err error, n int) []time.Duration {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []time.Duration
	simulateLoop(ctx, simLoop{cast: []simMember{{"p1", "S-1"}}, portals: []portal{downPortal{err}}, rnd: rand.New(rand.NewPCG(1, 2)),
		every: time.Second, now: time.Now, out: io.Discard,
		backoff: client.Backoff{Base: time.Second, Max: 16 * time.Second, Rand: func() float64 { return 0.5 }},
		after: func(d time.Duration) <-chan time.Time {
			got = append(got, d)
			if len(got) >= n {
				cancel()
			}
			ch := make(chan time.Time, 1)
			ch <- time.Time{}
			return ch
		}})
	return got
}

func TestSimulateBacksOffWhenOffline(t *testing.T) {
	refused := &client.UnreachableError{URL: "http://127.0.0.1:1", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	got := loopWaits(t, refused, 6)
	want := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 12 * time.Second, 12 * time.Second}
	if len(got) != len(want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("waits %v, want %v", got, want)
		}
	}
}

func TestSimulateHonoursRetryAfter(t *testing.T) {
	busy := &client.Error{Status: 429, Code: "rate_limited", Message: "slow down", RetryAfter: 40 * time.Second}
	for _, d := range loopWaits(t, busy, 3) {
		if d != 40*time.Second {
			t.Fatalf("wait %v, want 40s (Retry-After)", d)
		}
	}
	// Another failure (a refusal) is not retried faster or slower: the
	// next action comes after the usual pause.
	for _, d := range loopWaits(t, errors.New("not enrolled"), 3) {
		if d != time.Second {
			t.Fatalf("wait %v after a refusal, want the 1s pause", d)
		}
	}
}
