package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"polku/store/client"
)

// busy answers status with Retry-After (as retryAfter gives it) to the
// first n requests, then 200.
func busy(t *testing.T, n int32, status int, retryAfter func() string) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= n {
			if v := retryAfter(); v != "" {
				w.Header().Set("Retry-After", v)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(`{"error":{"code":"rate_limited","message":"slow down"}}`))
			return
		}
		w.Write([]byte(`{"kind":"therapist","epoch":"e"}`))
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

type sleeper struct{ slept []time.Duration }

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.slept = append(s.slept, d)
	return ctx.Err()
}

var now = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

func opts(s *sleeper) client.Options {
	return client.Options{Clock: func() time.Time { return now }, Sleep: s.sleep,
		Backoff: client.Backoff{Base: 100 * time.Millisecond, Max: 10 * time.Second, Attempts: 4, Rand: func() float64 { return 0.5 }}}
}

func TestRetryAfterSeconds(t *testing.T) {
	s, hits := busy(t, 2, http.StatusTooManyRequests, func() string { return "3" })
	sl := &sleeper{}
	c, _ := client.New(s.URL, "polku_x", opts(sl))
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatalf("Me after two 429s: %v", err)
	}
	if hits.Load() != 3 || len(sl.slept) != 2 || sl.slept[0] != 3*time.Second || sl.slept[1] != 3*time.Second {
		t.Errorf("%d requests, slept %v; want 3 requests and two waits of 3s (Retry-After)", hits.Load(), sl.slept)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	s, hits := busy(t, 1, http.StatusServiceUnavailable, func() string { return now.Add(7 * time.Second).Format(http.TimeFormat) })
	sl := &sleeper{}
	c, _ := client.New(s.URL, "polku_x", opts(sl))
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatalf("Me after a 503: %v", err)
	}
	if hits.Load() != 2 || len(sl.slept) != 1 || sl.slept[0] != 7*time.Second {
		t.Errorf("%d requests, slept %v; want 2 requests and one wait of 7s (the date in Retry-After)", hits.Load(), sl.slept)
	}
}

func TestRetryWithoutRetryAfterBacksOffExponentially(t *testing.T) {
	s, hits := busy(t, 10, http.StatusTooManyRequests, func() string { return "" })
	sl := &sleeper{}
	c, _ := client.New(s.URL, "polku_x", opts(sl))
	_, err := c.Me(context.Background())
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Status != http.StatusTooManyRequests {
		t.Fatalf("Me after 4 attempts: %v, want the 429", err)
	}
	// Rand 0.5 puts each wait at 3/4 of its step: 100, 200, 400 ms.
	want := []time.Duration{75 * time.Millisecond, 150 * time.Millisecond, 300 * time.Millisecond}
	if hits.Load() != 4 || len(sl.slept) != 3 {
		t.Fatalf("%d requests, slept %v; want 4 requests, waits %v", hits.Load(), sl.slept, want)
	}
	for i := range want {
		if sl.slept[i] != want[i] {
			t.Errorf("wait %d = %v, want %v", i, sl.slept[i], want[i])
		}
	}
}

func TestRetryAfterTooLongIsLeftToTheCaller(t *testing.T) {
	s, hits := busy(t, 10, http.StatusTooManyRequests, func() string { return "3600" })
	sl := &sleeper{}
	c, _ := client.New(s.URL, "polku_x", opts(sl))
	_, err := c.Me(context.Background())
	if d, ok := client.RetryAfter(err); !ok || d != time.Hour {
		t.Errorf("RetryAfter(%v) = %v, %v; want 1h", err, d, ok)
	}
	if hits.Load() != 1 || len(sl.slept) != 0 {
		t.Errorf("%d requests, slept %v: a wait beyond the backoff's maximum is the caller's to schedule", hits.Load(), sl.slept)
	}
}

func TestBackoffDelay(t *testing.T) {
	b := client.Backoff{Base: time.Second, Max: 30 * time.Second}
	for _, tc := range []struct {
		attempt int
		rnd     float64
		want    time.Duration
	}{
		{0, 0, 500 * time.Millisecond}, {0, 0.999999, time.Second},
		{3, 0, 4 * time.Second}, {10, 0, 15 * time.Second}, {10, 1, 30 * time.Second}, {200, 0, 15 * time.Second},
	} {
		b.Rand = func() float64 { return tc.rnd }
		if got := b.Delay(tc.attempt); got < tc.want-time.Millisecond || got > tc.want+time.Millisecond {
			t.Errorf("Delay(%d) with rand %v = %v, want %v", tc.attempt, tc.rnd, got, tc.want)
		}
	}
}
