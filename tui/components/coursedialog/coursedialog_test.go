package coursedialog

import (
	"strings"
	"testing"
	"time"

	"polku/store"
)

func TestActions(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name       string
		e          store.Enrollment
		supervisor bool
		want       string
	}{
		{"active", store.Enrollment{Status: store.EnrollmentActive}, false, "extend pause complete discontinue"},
		{"paused", store.Enrollment{Status: store.EnrollmentActive, PausedSince: &now}, false, "extend resume complete discontinue"},
		{"supervisor", store.Enrollment{Status: store.EnrollmentActive}, true, "extend pause complete discontinue transfer"},
		{"completed", store.Enrollment{Status: store.EnrollmentCompleted}, true, ""},
		{"discontinued", store.Enrollment{Status: store.EnrollmentDiscontinued}, false, ""},
	} {
		if got := strings.Join(Actions(tc.e, tc.supervisor), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestChanges(t *testing.T) {
	now := time.Now()
	who := func(id string) string { return "Ben" }
	was := store.Enrollment{Status: store.EnrollmentActive, PlannedEnd: "2027-01-18", TherapistID: "a"}
	for _, tc := range []struct {
		now  store.Enrollment
		want string
	}{
		{store.Enrollment{Status: store.EnrollmentActive, PlannedEnd: "2027-01-18", TherapistID: "a", PausedSince: &now}, "paused"},
		{store.Enrollment{Status: store.EnrollmentActive, PlannedEnd: "2027-02-01", TherapistID: "a"}, "planned end 2027-02-01 (was 2027-01-18)"},
		{store.Enrollment{Status: store.EnrollmentCompleted, PlannedEnd: "2027-01-18", TherapistID: "a"}, "now completed (was active)"},
		{store.Enrollment{Status: store.EnrollmentActive, PlannedEnd: "2027-01-18", TherapistID: "b"}, "transferred to Ben"},
		{was, "the treatment was updated"},
	} {
		if got := Changes(was, tc.now, who); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}
