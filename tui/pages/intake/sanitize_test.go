package intake

import (
	"encoding/json"
	"strings"
	"testing"

	"polku/programs"
	"polku/store"
)

// The store refuses control characters in what arrives, but a replica
// holds what the server sent and older records: the page strips them
// from every text it shows.
func TestSanitizeStripsEscapesFromEveryText(t *testing.T) {
	const esc = "\x1b]0;owned\x07\x1b[2J"
	it := store.IntakeItem{Pseudonym: "P" + esc, DisplayName: "N" + esc, ReferringUnit: "U" + esc, WishedProgram: "W" + esc, Region: "R" + esc,
		Reasons: []store.Reason{{Text: "T" + esc, Badge: "B" + esc}}}
	q := &store.IntakeQueue{Team: "south" + esc, Items: []store.IntakeItem{it}}
	sanitizeQueue(q)
	d := &store.ReferralDetail{Item: it, Referral: store.Referral{Reason: "why" + esc, Notes: "n" + esc, ReferrerName: "dr" + esc, Codes: []string{"F41" + esc}},
		Patient:     store.Patient{DisplayName: "N" + esc},
		Checklist:   []programs.Criterion{{ID: "x", Text: "c" + esc}},
		Programs:    []store.ProgramSuggestion{{Title: "t" + esc, Text: "s" + esc, Notes: []string{"n" + esc}}},
		Therapists:  []store.TherapistSuggestion{{Handle: "h" + esc, Name: "n" + esc, Text: "t" + esc}},
		Services:    []store.ServiceSuggestion{{Name: "s" + esc, For: "f" + esc, Contact: "c" + esc}},
		Assessments: []store.Assessment{{Note: "a" + esc}}, Decision: "d" + esc}
	d.Item.Reasons = []store.Reason{{Text: "T" + esc, Badge: "B" + esc}}
	sanitizeDetail(d)
	for _, v := range []any{q, d} {
		b, _ := json.Marshal(v)
		if strings.Contains(string(b), `\u001b`) || strings.Contains(string(b), `\u0007`) {
			t.Errorf("escape left in %s", b)
		}
	}
}
