package common

import (
	"polku/internal/i18n"
	"polku/store"
)

// LegendEntry explains one badge or mark of the workbench. The ? help
// shows every entry, docs/workbench.md explains every example, and the
// help test checks that every badge the store can produce has one.
type LegendEntry struct {
	Key     string // the entry's messages: tui.legend.<key>.example and .meaning
	Code    string // the store's reason code; "" for the workbench's own marks
	Example string // as the screen shows it
	Pattern string // a regexp for every form the workbench itself makes in English ("" for the store's)
	Meaning string
}

// legendEntries are the entries without their words.
func legendEntries() []LegendEntry {
	return []LegendEntry{
		{Key: "risk_item", Code: store.ReasonCriticalItem},
		{Key: "risk_msg", Code: store.ReasonRiskPhrase},
		{Key: "risk_ex", Code: store.ReasonRiskPhrase},
		{Key: "risk_diary", Code: store.ReasonRiskPhrase},
		{Key: "risk_post", Code: store.ReasonRiskPhrase},
		{Key: "fb_overdue", Code: store.ReasonFeedbackOverdue},
		{Key: "fb_due", Code: store.ReasonFeedbackDue},
		{Key: "msg_overdue", Code: store.ReasonMessageOverdue},
		{Key: "msg_due", Code: store.ReasonMessageDue},
		{Key: "deterioration", Code: store.ReasonDeterioration},
		{Key: "not_on_track", Code: store.ReasonNotOnTrack},
		{Key: "inactive", Code: store.ReasonInactive},
		{Key: "ending_soon", Code: store.ReasonEndingSoon},
		{Key: "ended", Code: store.ReasonEnded},
		{Key: "follow_up_due", Code: store.ReasonFollowUpDue},
		{Key: "follow_up_answered", Code: store.ReasonFollowUpAnswered, Pattern: `FU( .+ [+-]\d+)?`},
		{Key: "intake_risk", Code: store.ReasonRiskPhrase},
		{Key: "intake_promise", Code: store.ReasonIntakePromise, Pattern: `(\d+/\d+wd|OVER \d+wd)`},
		{Key: "intake_waiting", Code: store.ReasonIntakeWaiting},
		{Key: "youth_only", Code: store.ReasonYouthOnly},
		{Key: "doctor_needed", Code: store.ReasonDoctorNeeded},
		{Key: "go_ahead", Code: store.ReasonGoAheadWaiting},
		{Key: "no_welcome", Code: store.ReasonNoWelcome},
		{Key: "start_due", Code: store.ReasonStartDue, Pattern: `START (today|in \d+d|\d+d late)`},
		{Key: "not_validated", Pattern: `†n\.v\.`},
		{Key: "waiting_on_patient"},
		{Key: "waiting_feedback"},
		{Key: "new_message"},
		{Key: "draft"},
	}
}

// Legend lists the badges of the queue and the marks of the workspace, in
// English. "Working days" are counted by the store's working-day
// calendar, the same in the queue and on the patient's screen.
func Legend() []LegendEntry { return LegendIn(i18n.New(i18n.EN)) }

// LegendIn is the legend in p's language.
func LegendIn(p *i18n.Printer) []LegendEntry {
	out := legendEntries()
	for i := range out {
		e := &out[i]
		if e.Key == "not_validated" {
			e.Example = NotValidatedMark
		} else {
			e.Example = p.T("tui.legend." + e.Key + ".example")
		}
		e.Meaning = p.T("tui.legend." + e.Key + ".meaning")
	}
	return out
}

// Legend is the legend in the therapist's language.
func (c *Common) Legend() []LegendEntry { return LegendIn(c.Printer()) }
