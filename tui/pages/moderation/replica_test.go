package moderation

import (
	"context"
	"strings"
	"testing"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/pages/internal/langtest"
)

// anotherTherapistsPatient is the queue of a moderator's replica: the post
// of another therapist's patient arrives without the patient (no
// pseudonym).
type anotherTherapistsPatient struct{}

func (anotherTherapistsPatient) ModerationQueue(context.Context, store.Actor, bool) ([]store.QueuedPost, error) {
	return []store.QueuedPost{{GroupPost: store.GroupPost{ID: "p1", Body: "Uni on parantunut.", PostedAt: now.Add(-time.Hour), Status: store.PostPending},
		GroupName: "Unikoulu", Alias: "Pöllö"}}, nil
}

func (anotherTherapistsPatient) NewID(time.Time) string { return "id" }

// A post without a patient shows its alias, group, time and status, and no
// empty brackets where the pseudonym would be.
func TestAPostWithoutItsPatient(t *testing.T) {
	for _, lang := range []string{i18n.EN, i18n.FI, i18n.SV} {
		c := langtest.NewCommon(lang)
		c.Therapist = store.Therapist{ID: "t1", Handle: "anna", Name: "Anna Virtanen", Role: store.RoleTherapist}
		c.Clock = func() time.Time { return now }
		p := New(c, anotherTherapistsPatient{})
		p.SetSize(100, 22)
		langtest.Drain(p, p.Init())
		v := p.View()
		if !strings.Contains(v, "Pöllö") || !strings.Contains(v, "Unikoulu") {
			t.Fatalf("%s: the post is not on screen:\n%s", lang, v)
		}
		if strings.Contains(v, "()") {
			t.Errorf("%s: empty brackets where the pseudonym would be:\n%s", lang, v)
		}
	}
}
