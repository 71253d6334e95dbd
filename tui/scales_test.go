package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"polku/store"
)

// allMarked checks that every "Sleep check" on a screen carries its
// marker.
func allMarked(t *testing.T, screen string) {
	t.Helper()
	for rest := screen; ; {
		i := strings.Index(rest, "Sleep check")
		if i < 0 {
			return
		}
		rest = rest[i+len("Sleep check"):]
		if !strings.HasPrefix(rest, " (not validated)") && !strings.HasPrefix(rest, " †n.v.") {
			t.Errorf("a Sleep check score without its marker:\n%s", screen)
			return
		}
	}
}

// TestNotValidatedScoresSaySo: a score from a not-validated instrument
// (Aino's weekly sleep check) says so wherever it is shown (the queue's
// preview, the patient header, the measures tab, the timeline); a
// validated one (PHQ-9) carries no marker.
func TestNotValidatedScoresSaySo(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		f := newFixture(t)
		h := newHarness(t, options(f, f.Anna), size[0], size[1])
		h.selectPatient(f, "P-0003")
		allMarked(t, h.view())
		h.keys("enter", "esc") // the workspace, out of the reader
		head := strings.Join(strings.Split(h.view(), "\n")[:2], "\n")
		mustContain(t, head, "Sleep check †n.v.")
		allMarked(t, h.view())
		h.keys("3")
		mustContain(t, h.view(), "Sleep check (not validated)")
		allMarked(t, h.view())
		h.keys("6")
		mustContain(t, h.view(), "Sleep check (not validated) 10")
		allMarked(t, h.view())
		mustNotContain(t, h.view(), "PHQ-9 (not validated)", "PHQ-9 †n.v.")
	}
}

// TestScoreChangeTemplateLeavesOutNotValidated: the patient-facing
// {score_change} names only validated instruments.
func TestScoreChangeTemplateLeavesOutNotValidated(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 80, 24)
	h.selectPatient(f, "P-0003")
	h.keys("enter", "e", "alt+2")
	got := h.workspace().Editor().Value()
	if strings.Contains(got, "Sleep check") || strings.Contains(got, "from 14 to 10") {
		t.Errorf("a not-validated scale reached the patient-facing text: %q", got)
	}
}

// TestNoNowAgo: activity a moment ago reads "just now", never "now ago".
func TestNoNowAgo(t *testing.T) {
	f := newFixture(t)
	e := f.Enrolled["P-0001"]
	if _, err := f.DB.SendMessage(context.Background(), store.System("import"), store.Message{EnrollmentID: e.ID, PatientID: e.PatientID,
		Direction: store.DirectionIn, Body: "Are you there?"}, ""); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, options(f, f.Anna), 120, 40)
	h.selectPatient(f, "P-0001")
	mustContain(t, h.view(), "last active just now")
	h.keys("enter")
	mustContain(t, h.view(), "active just now")
	mustNotContain(t, h.view(), "now ago")
}

// TestStartDatesReadNaturally: a scheduled start reads "starts in 2
// days", "starts today", and once past, how late it is; never a negative
// count of days.
func TestStartDatesReadNaturally(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 120, 40)
	h.selectPatient(f, "P-0007") // Onni starts on Friday 20 November
	mustContain(t, h.view(), "START in 2d", "starts in 2 days (Fri 20 Nov)")
	h.keys("enter") // his workspace says the same, not "week 0"
	mustContain(t, h.view(), "starts in 2 days (Fri 20 Nov)")
	mustNotContain(t, h.view(), "week 0")
	h.keys("esc")
	for _, step := range []struct {
		after      time.Duration
		row, words string
	}{
		{24 * time.Hour, "START in 1d", "starts tomorrow"},
		{24 * time.Hour, "START today", "starts today"},
		{24 * time.Hour, "START 1d late", "was due to start 1 day ago (Fri 20 Nov)"},
	} {
		f.Clock.Advance(step.after)
		h.keys("r")
		h.selectPatient(f, "P-0007")
		s := h.view()
		mustContain(t, s, step.row, step.words)
		mustNotContain(t, s, "START -", "-1d", "starts 2026")
	}
}

// TestPatientScreenCountsWorkingDays: the patient's screen counts a
// submission's wait in working days, as the queue does, and says so.
func TestPatientScreenCountsWorkingDays(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, options(f, f.Anna), 120, 40)
	h.selectPatient(f, "P-0002") // Juha's worry log, sent a week ago on Wednesday
	it, _ := h.triage().Selected()
	days := ""
	for _, r := range it.Reasons {
		if r.Code == store.ReasonFeedbackOverdue {
			days = strings.TrimSuffix(strings.TrimPrefix(r.Badge, "FB "), "d!")
		}
	}
	if days != "4" {
		t.Fatalf("the queue counts %q working days, want 4 (a week less the weekend)", days)
	}
	h.keys("enter")
	mustContain(t, h.view(), "waiting for feedback, 4 working days")
	h.keys("esc")
	mustContain(t, h.view(), "● waiting 4 working days")
	mustNotContain(t, h.view(), "waiting 7d", "waiting 6d")
}

// TestChartAtNoColor: with NO_COLOR the measures chart still shows the
// band edges at the labelled cut-offs and the reliable-change lines as RC.
func TestChartAtNoColor(t *testing.T) {
	f := newFixture(t)
	opts := options(f, f.Anna)
	opts.ASCII, opts.NoColor = false, true
	h := newHarness(t, opts, 120, 40)
	h.keys("enter", "3") // Maria's measures
	s := ansi.Strip(h.view())
	for _, want := range []string{"  5 ┼ · · ·", " 10 ┼", " 15 ┼", " 20 ┼ · · ·", "RC better ≤10", "RC worse ≥22", "band edge at a cut-off"} {
		if !strings.Contains(s, want) {
			t.Errorf("NO_COLOR chart lacks %q:\n%s", want, s)
		}
	}
}
