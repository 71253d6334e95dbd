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

var now = time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)

type fakeSource struct{}

func (fakeSource) ModerationQueue(_ context.Context, _ store.Actor, all bool) ([]store.QueuedPost, error) {
	out := []store.QueuedPost{{GroupPost: store.GroupPost{ID: "p1", Body: "Kiitos kaikille, tämä viikko oli raskas.", PostedAt: now.Add(-time.Hour), Status: store.PostPending},
		GroupName: "Syksyn ryhmä", Alias: "Kettu", Pseudonym: "P-0001"}}
	if all {
		out = append(out, store.QueuedPost{GroupPost: store.GroupPost{ID: "p2", Body: "Hej alla!", PostedAt: now.Add(-48 * time.Hour), Status: store.PostRejected, Reason: "Liian henkilökohtainen."},
			GroupName: "Syksyn ryhmä", Alias: "Ilves", Pseudonym: "P-0002"})
	}
	return out, nil
}

func (fakeSource) NewID(time.Time) string { return "id" }

// TestNoEnglishLeftOnTheModerationPage renders the moderation queue
// (waiting posts, every post, the reject field) in Finnish and Swedish at
// 80x24 and 120x40, and fails on English left or a row wider than the
// terminal.
func TestNoEnglishLeftOnTheModerationPage(t *testing.T) {
	data := []string{"Kiitos kaikille, tämä viikko oli raskas.", "Hej alla!", "Liian henkilökohtainen.", "Syksyn ryhmä", "Kettu", "Ilves"}
	for _, lang := range []string{i18n.FI, i18n.SV} {
		c := langtest.NewCommon(lang)
		c.Therapist = store.Therapist{ID: "t1", Handle: "anna", Name: "Anna Virtanen", Role: store.RoleTherapist}
		c.Clock = func() time.Time { return now }
		p := New(c, fakeSource{})
		p.SetSize(80, 22)
		langtest.Drain(p, p.Init())
		var screens langtest.Screens
		for _, k := range []string{"", "v", "x"} { // the waiting posts, every post, the reject field
			if k != "" {
				langtest.Key(p, k)
			}
			for _, size := range [][2]int{{80, 24}, {120, 40}} {
				p.SetSize(size[0], size[1]-2)
				screens.Shot(p, size[0])
			}
		}
		if all := screens.All(); !strings.Contains(all, "Kettu") || !strings.Contains(all, "Ilves") {
			t.Fatalf("%s: the posts are not on screen:\n%s", lang, all)
		}
		screens.Check(t, "moderation", lang, data...)
	}
}
