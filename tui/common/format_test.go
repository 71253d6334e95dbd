package common

import (
	"strings"
	"testing"
	"time"

	"polku/programs"
)

func TestAgoReadsAsAPhrase(t *testing.T) {
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{now, "just now"},
		{now.Add(30 * time.Second), "just now"}, // a device clock a little ahead
		{now.Add(-20 * time.Second), "just now"},
		{now.Add(-5 * time.Minute), "5m ago"},
		{now.Add(-14 * time.Hour), "14h ago"},
		{now.Add(-3 * 24 * time.Hour), "3d ago"},
		{now.Add(-30 * 24 * time.Hour), "4w ago"},
	} {
		got := Ago(now, tc.t)
		if got != tc.want {
			t.Errorf("Ago(%v before) = %q, want %q", now.Sub(tc.t), got, tc.want)
		}
		if strings.Contains(got, "now ago") || strings.Contains(got, "-") {
			t.Errorf("Ago says %q", got)
		}
	}
}

func TestStartsReadsNaturally(t *testing.T) {
	hel, _ := time.LoadLocation("Europe/Helsinki")
	now := time.Date(2026, 11, 18, 23, 30, 0, 0, hel) // late on a Wednesday
	for _, tc := range []struct {
		date, long, short string
	}{
		{"2026-11-18", "starts today", "START today"},
		{"2026-11-19", "starts tomorrow", "START in 1d"},
		{"2026-11-20", "starts in 2 days (Fri 20 Nov)", "START in 2d"},
		{"2026-11-17", "was due to start 1 day ago (Tue 17 Nov)", "START 1d late"},
		{"2026-11-08", "was due to start 10 days ago (Sun 8 Nov)", "START 10d late"},
	} {
		if got := Starts(tc.date, now, hel); got != tc.long {
			t.Errorf("Starts(%s) = %q, want %q", tc.date, got, tc.long)
		}
		if got := StartBadge(tc.date, now, hel); got != tc.short {
			t.Errorf("StartBadge(%s) = %q, want %q", tc.date, got, tc.short)
		}
	}
	if got := StartBadge("not a date", now, hel); got != "START" {
		t.Errorf("a start date that does not parse: %q", got)
	}
}

func TestScaleNamesItsValidation(t *testing.T) {
	yes, no := true, false
	phq := &programs.Instrument{ID: "phq9", Title: "Patient Health Questionnaire-9", ShortTitle: "PHQ-9", Validated: &yes}
	sleep := &programs.Instrument{ID: "sleep-check", Title: "Weekly sleep check", ShortTitle: "Sleep check", Validated: &no}
	unknown := &programs.Instrument{ID: "x", Title: "X scale"}
	for _, tc := range []struct {
		in          *programs.Instrument
		long, short string
	}{
		{phq, "PHQ-9", "PHQ-9"},
		{sleep, "Sleep check (not validated)", "Sleep check †n.v."},
		{unknown, "X scale (not validated)", "X scale †n.v."}, // nothing says it is validated
	} {
		s := ScaleOf(tc.in)
		if got := s.Long(); got != tc.long {
			t.Errorf("%s long: %q, want %q", tc.in.ID, got, tc.long)
		}
		if got := s.Short(); got != tc.short {
			t.Errorf("%s short: %q, want %q", tc.in.ID, got, tc.short)
		}
	}
}

func TestScoreChangeLeavesOutNotValidatedScales(t *testing.T) {
	yes, no := true, false
	phq := &programs.Instrument{ShortTitle: "PHQ-9", Validated: &yes}
	sleep := &programs.Instrument{ShortTitle: "Sleep check", Validated: &no}
	got := ScoreChange([]ScoreMove{{Scale: ScaleOf(sleep), From: 14, To: 10}, {Scale: ScaleOf(phq), From: 16, To: 12}})
	if got != "PHQ-9 from 16 to 12" {
		t.Errorf("score change: %q", got)
	}
	if got := ScoreChange([]ScoreMove{{Scale: ScaleOf(sleep), From: 14, To: 10}}); got != "" {
		t.Errorf("only a not-validated scale: %q, want nothing (the template says no scores yet)", got)
	}
}

func TestMarkNamesOnce(t *testing.T) {
	yes, no := true, false
	s := NewScales([]*programs.Instrument{{ShortTitle: "Sleep", Validated: &no}, {ShortTitle: "Sleep check", Validated: &no}, {ShortTitle: "PHQ-9", Validated: &yes}})
	for _, tc := range []struct{ in, short, long string }{
		{"Sleep check +6", "Sleep check †n.v. +6", "Sleep check (not validated) +6"},
		{"Sleep off", "Sleep †n.v. off", "Sleep (not validated) off"},
		{"PHQ-9 +6", "PHQ-9 +6", "PHQ-9 +6"},
		{"Sleep check (not validated) rose", "Sleep check (not validated) rose", "Sleep check (not validated) rose"},
		// The store's own words for it are kept.
		{"Sleep check (not a validated scale) item 3 answered 1", "Sleep check (not a validated scale) item 3 answered 1", "Sleep check (not a validated scale) item 3 answered 1"},
	} {
		if got := s.Mark(tc.in, true); got != tc.short {
			t.Errorf("Mark(%q, short) = %q, want %q", tc.in, got, tc.short)
		}
		if got := s.Mark(tc.in, false); got != tc.long {
			t.Errorf("Mark(%q, long) = %q, want %q", tc.in, got, tc.long)
		}
	}
}
