package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/demo"
)

// TestDemoReasonsAllHaveMessages: every reason in the demo's queues (the
// therapists' and the intake queue) carries its sentence as a message; in
// English the message reads as the text, and in Finnish and Swedish it
// renders without a missing id.
func TestDemoReasonsAllHaveMessages(t *testing.T) {
	db := demoStore(t, 120)
	ctx := context.Background()
	sup, err := db.TherapistByHandle(ctx, demo.SupervisorHandle)
	if err != nil {
		t.Fatal(err)
	}
	actor := store.ActorFor(sup, "test")
	view, err := db.Team(ctx, actor, sup.Team)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []store.Reason
	for _, m := range view.Members {
		if m.Queue == nil {
			continue
		}
		for _, it := range m.Queue.Items {
			reasons = append(reasons, it.Reasons...)
		}
	}
	if iq, err := db.Intake(ctx, actor, sup.Team); err == nil {
		for _, it := range iq.Items {
			reasons = append(reasons, it.Reasons...)
		}
	}
	if len(reasons) < 20 {
		t.Fatalf("only %d reasons in the demo", len(reasons))
	}
	en := i18n.New(i18n.EN)
	codes := map[string]bool{}
	for _, r := range reasons {
		codes[r.Code] = true
		if r.Msg.ID == "" || r.BadgeMsg.ID == "" {
			t.Errorf("%s: no message: %q", r.Code, r.Text)
			continue
		}
		// The intake's screening dates are written as dates, not as
		// the ISO text the English sentence keeps.
		if got := store.RenderMessage(en, r.Msg); got != r.Text && !strings.Contains(r.Text, "referral's screening") {
			t.Errorf("%s: English from the message\n %q\nthe text\n %q", r.Code, got, r.Text)
		}
		for _, l := range []string{i18n.FI, i18n.SV} {
			got := r
			got.Localize(i18n.New(l))
			if strings.Contains(got.Text, "store.") || strings.Contains(got.Badge, "store.") || strings.Contains(got.Text, "<no value>") {
				t.Errorf("%s (%s): %q / %q", r.Code, l, got.Text, got.Badge)
			}
			// Over the network (a remote store, --json) the reason
			// keeps its message and renders the same.
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var remote store.Reason
			if err := json.Unmarshal(b, &remote); err != nil {
				t.Fatal(err)
			}
			remote.Localize(i18n.New(l))
			if remote.Text != got.Text || remote.Badge != got.Badge {
				t.Errorf("%s (%s) over JSON:\n %q / %q\nlocal\n %q / %q\n%s", r.Code, l, remote.Text, remote.Badge, got.Text, got.Badge, b)
			}
		}
	}
	t.Logf("%d reasons, codes %v", len(reasons), codes)
}
