package common

import (
	"polku/store"
	"polku/tui/sanitize"
)

// SanitizeQueue strips control sequences from the texts of a queue, in
// place (names and reasons can carry what patients or importers wrote).
func SanitizeQueue(q *store.Queue) {
	for i := range q.Items {
		it := &q.Items[i]
		it.DisplayName = sanitize.Line(it.DisplayName)
		it.Pseudonym = sanitize.Line(it.Pseudonym)
		it.ProgramTitle = sanitize.Line(it.ProgramTitle)
		it.ModuleTitle = sanitize.Line(it.ModuleTitle)
		it.Instrument = sanitize.Line(it.Instrument)
		for j := range it.Reasons {
			it.Reasons[j].Text = sanitize.Line(it.Reasons[j].Text)
			it.Reasons[j].Badge = sanitize.Line(it.Reasons[j].Badge)
		}
	}
}
