package common

import (
	"time"

	"polku/store"
)

// Badge is a reason's badge as a queue row shows it. The store's badge,
// except that the start of a scheduled enrollment is counted from its
// start date ("START in 2d", "START today", "START 1d late": never a
// negative count), and a not-validated instrument's name carries its
// marker.
func Badge(it *store.QueueItem, r store.Reason, now time.Time, loc *time.Location, scales *Scales) string {
	if r.Code == store.ReasonStartDue && it.Status == store.EnrollmentScheduled {
		return StartBadge(it.StartDate, now, loc)
	}
	if r.SourceType == store.RiskSourceMeasure {
		return scales.Mark(r.Badge, true)
	}
	return r.Badge
}

// ReasonText is a reason's sentence as the screen shows it, with a
// not-validated instrument's name marked in words.
func ReasonText(r store.Reason, scales *Scales) string {
	if r.SourceType == store.RiskSourceMeasure {
		return scales.Mark(r.Text, false)
	}
	return r.Text
}
