package common

import "polku/store"

// LegendEntry explains one badge or mark of the workbench. The ? help
// shows every entry, docs/workbench.md explains every example, and the
// help test checks that every badge the store can produce has one.
type LegendEntry struct {
	Code    string // the store's reason code; "" for the workbench's own marks
	Example string // as the screen shows it
	Pattern string // a regexp for every form the workbench itself makes ("" for the store's)
	Meaning string
}

// Legend lists the badges of the queue and the marks of the workspace.
// "Working days" are counted by the store's working-day calendar, the
// same in the queue and on the patient's screen.
func Legend() []LegendEntry {
	return []LegendEntry{
		{Code: store.ReasonCriticalItem, Example: "RISK PHQ-9#9=2",
			Meaning: "risk: a critical item answered above 0 (here PHQ-9 item 9 answered 2), not yet acknowledged"},
		{Code: store.ReasonRiskPhrase, Example: "RISK? msg",
			Meaning: "possible risk: a message holds a phrase of the risk word list (a heuristic), not yet acknowledged"},
		{Code: store.ReasonRiskPhrase, Example: "RISK? ex",
			Meaning: "possible risk: an exercise answer holds a phrase of the risk word list (a heuristic), not yet acknowledged"},
		{Code: store.ReasonRiskPhrase, Example: "RISK? diary",
			Meaning: "possible risk: a diary entry holds a phrase of the risk word list (a heuristic), not yet acknowledged"},
		{Code: store.ReasonRiskPhrase, Example: "RISK? post",
			Meaning: "possible risk: a peer-group post holds a phrase of the risk word list; it is held from the group (a heuristic), not yet acknowledged"},
		{Code: store.ReasonFeedbackOverdue, Example: "FB 4d!",
			Meaning: "feedback overdue: a submission has waited 4 working days, past the feedback promise"},
		{Code: store.ReasonFeedbackDue, Example: "FB 3h",
			Meaning: "feedback due: a submission sent 3 hours ago (m minutes, h hours, d days), still within the promise"},
		{Code: store.ReasonMessageOverdue, Example: "MSG 2 9d!",
			Meaning: "messages overdue: 2 patient messages since your last one, the oldest 9 working days old, past the promise"},
		{Code: store.ReasonMessageDue, Example: "MSG 2",
			Meaning: "messages due: 2 patient messages since your last one, within the promise"},
		{Code: store.ReasonDeterioration, Example: "PHQ-9 +6",
			Meaning: "reliable deterioration: the score rose 6 points from baseline, at least the instrument's reliable change"},
		{Code: store.ReasonNotOnTrack, Example: "PHQ-9 off",
			Meaning: "not on track: the latest score is not below the expected curve for the week (local rule)"},
		{Code: store.ReasonInactive, Example: "IDLE 10d",
			Meaning: "inactive: no patient activity for 10 days (calendar days)"},
		{Code: store.ReasonEndingSoon, Example: "ENDS 5d",
			Meaning: "ending: the program's planned end is in 5 days"},
		{Code: store.ReasonEnded, Example: "ENDED",
			Meaning: "ended: the planned end has passed; complete or extend the enrollment"},
		{Code: store.ReasonFollowUpDue, Example: "FOLLOW-UP",
			Meaning: "follow-up due: a completed treatment's follow-up measurement is due and not yet answered"},
		{Code: store.ReasonFollowUpAnswered, Example: "FU PHQ-9 +7", Pattern: `FU( .+ [+-]\d+)?`,
			Meaning: "follow-up answered: the score changed by +7 from the end of treatment to the follow-up (FU alone: no instrument answered at both); sign an updated discharge summary"},
		{Code: store.ReasonRiskPhrase, Example: "RISK text",
			Meaning: "intake: the referral's text holds a phrase of the risk word list (a heuristic); decide it first"},
		{Code: store.ReasonIntakePromise, Example: "3/5wd", Pattern: `(\d+/\d+wd|OVER \d+wd)`,
			Meaning: "intake: the referral arrived 3 working days ago and the start promise is 5 (OVER 2wd: 2 working days past it)"},
		{Code: store.ReasonIntakeWaiting, Example: "WAIT 12d",
			Meaning: "intake: on the waiting list for 12 days (no therapist had room)"},
		{Code: store.ReasonYouthOnly, Example: "AGE 14",
			Meaning: "intake: under 16, so only a youth program fits"},
		{Code: store.ReasonDoctorNeeded, Example: "AGE 16",
			Meaning: "intake: 16-17 in an adults' program: the referring doctor's assessment is needed before accepting"},
		{Code: store.ReasonGoAheadWaiting, Example: "GO-AHEAD?",
			Meaning: "go-ahead: the patient has submitted a screening (the insomnia health check) and the step it guards (sleep restriction) waits for your decision; o in the workspace"},
		{Code: store.ReasonNoWelcome, Example: "WELCOME",
			Meaning: "starting: the program has started and no message has gone to the patient; write a welcome"},
		{Code: store.ReasonStartDue, Example: "START in 2d", Pattern: `START (today|in \d+d|\d+d late)`,
			Meaning: "starting: the program starts in 2 days (START today: today; START 3d late: the start date passed 3 days ago)"},
		{Example: NotValidatedMark, Pattern: `†n\.v\.`,
			Meaning: "the score is from an instrument that is not validated (a demo scale): not for clinical decisions"},
		{Example: "waiting on patient",
			Meaning: "nothing for you to do: the patient has the next step"},
		{Example: "● waiting 2 working days",
			Meaning: "a submission waiting for feedback, counted in working days as the queue counts them"},
		{Example: "● new",
			Meaning: "a patient message you have not seen yet (marked read once shown)"},
		{Example: "[draft]",
			Meaning: "you have a saved draft of feedback on this submission"},
	}
}
