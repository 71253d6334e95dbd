package store

import (
	"testing"
	"time"
)

// reportTime reads what parseTime reads, the same way, and refuses what
// it refuses.
func TestReportTimeReadsAsParseTime(t *testing.T) {
	for _, s := range []string{
		"2026-11-23T12:00:00.000Z", "2024-02-29T23:59:59.999Z", "1999-01-01T00:00:00.001Z",
		"2026-02-30T10:00:00.000Z", "2026-13-01T10:00:00.000Z", "2026-11-23T24:00:00.000Z",
		"2026-11-23T12:00:00Z", "2026-11-23T12:00:00.5+02:00", "2026-1x-23T12:00:00.000Z", "", "garbage",
	} {
		want, werr := parseTime(s)
		got, err := reportTime(s)
		if (err != nil) != (werr != nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("reportTime(%q) = %v, %v; parseTime: %v, %v", s, got, err, want, werr)
		}
	}
	if got, _ := reportTime("2026-11-23T12:34:56.789Z"); got != time.Date(2026, 11, 23, 12, 34, 56, 789e6, time.UTC) {
		t.Errorf("reportTime read %v", got)
	}
}
