package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows long work (a big demo, an import, an export) on standard
// error when it is a terminal and --quiet is not given: a bar with the
// count, the rate and the time left. report is the work's callback; done
// clears the bar (call it however the work ends, before printing more).
func (a *app) progress(desc, unit string, bytes bool) (report func(done, total int), done func()) {
	if a.quiet || !a.env.stderrTTY {
		return func(int, int) {}, func() {}
	}
	var bar *progressbar.ProgressBar
	report = func(n, total int) {
		if bar == nil {
			if total <= 0 {
				total = -1 // unknown: a spinner with the count and the rate
			}
			opts := []progressbar.Option{
				progressbar.OptionSetWriter(rawWriter(a.env.stderr)), // draws with carriage returns of its own
				progressbar.OptionSetDescription(desc),
				progressbar.OptionSetWidth(24),
				progressbar.OptionShowCount(),
				progressbar.OptionShowBytes(bytes),
				// Time left only when there is a total to count down to.
				progressbar.OptionSetPredictTime(total > 0),
				progressbar.OptionThrottle(100 * time.Millisecond),
				progressbar.OptionSpinnerType(14),
				// The spinner turns when the count moves, not on a timer of
				// its own: the library's timer goroutine draws without the
				// lock Clear takes (a data race) and outlives the bar.
				progressbar.OptionSetSpinnerChangeInterval(0),
				progressbar.OptionSetRenderBlankState(true),
			}
			if !bytes {
				// Bytes come with their own rate (MB/s); a second rate in
				// items would be a number with no unit.
				opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit))
			}
			bar = progressbar.NewOptions(total, opts...)
		}
		bar.Set(n)
	}
	return report, func() {
		if bar != nil {
			bar.Clear()
		}
	}
}

// countingReader reports how many bytes were read of how many.
type countingReader struct {
	r      io.Reader
	n      int
	total  int
	report func(done, total int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += k
	c.report(c.n, c.total)
	return k, err
}
