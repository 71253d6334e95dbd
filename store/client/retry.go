package client

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff is exponential backoff with jitter: the wait before retry n
// (from 0) is a random time between half and all of Base·2ⁿ, capped at
// Max. The random half keeps many clients that failed together from
// coming back together.
type Backoff struct {
	Base time.Duration // first step (default 500 ms)
	Max  time.Duration // longest wait (default 60 s)
	// Attempts is how many times one request is tried when the server
	// answers 429 or 503 (default 4).
	Attempts int
	// Rand returns a number in [0, 1) (default math/rand/v2).
	Rand func() float64
}

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = 500 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 60 * time.Second
	}
	if b.Max < b.Base {
		b.Max = b.Base
	}
	if b.Attempts <= 0 {
		b.Attempts = 4
	}
	if b.Rand == nil {
		b.Rand = rand.Float64
	}
	return b
}

// Delay is the wait before retry attempt (0 for the first retry).
func (b Backoff) Delay(attempt int) time.Duration {
	b = b.withDefaults()
	step := float64(b.Max)
	if attempt < 62 {
		step = math.Min(float64(b.Base)*math.Pow(2, float64(max(attempt, 0))), float64(b.Max))
	}
	return time.Duration(step/2 + step/2*b.Rand())
}

// Wait is how long to wait after err before trying again, when attempt
// tries have failed in a row: the server's Retry-After when it gave one
// and asks for longer, else the backoff.
func (b Backoff) Wait(err error, attempt int) time.Duration {
	d := b.Delay(attempt)
	if ra, ok := RetryAfter(err); ok && ra > d {
		return ra
	}
	return d
}

// RetryAfter is the wait the server asked for with a 429 or 503 answer.
func RetryAfter(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	return 0, false
}

// IsBusy says whether the server answered that it is overloaded or
// limiting this client (429 or 503): try again later.
func IsBusy(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable)
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, 24*time.Hour)
		}
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
