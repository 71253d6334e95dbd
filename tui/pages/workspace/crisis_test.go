package workspace

import (
	"strings"
	"testing"

	"polku/programs"
	"polku/store"
	"polku/tui/internal/fixture"
)

// The reader shows, below the module's exercise text, the crisis block the
// patient read with it: every contact's number and hours, compact.
func TestReaderShowsTheCrisisBlock(t *testing.T) {
	_, p := finnish(t)
	// The module text is the patient's (Finnish); L shows the therapist's.
	body := p.readerContent(96)
	if !strings.Contains(body, "Jos tarvitset apua nyt (with every module the patient reads)") || !strings.Contains(body, "112 · Hätänumero") {
		t.Fatalf("the reader does not show the Finnish-speaking patient's crisis block:\n%s", body)
	}
	p.Update(press("L"))
	body = p.readerContent(96)
	asked := strings.Index(body, "The exercise asked")
	crisis := strings.Index(body, "If you need help now (with every module the patient reads)")
	if asked < 0 || crisis < asked {
		t.Fatalf("no crisis block below the exercise text:\n%s", body)
	}
	for _, want := range []string{"112 · Emergency number · Every day, 24 hours.", "09 2525 0111 · MIELI Crisis Helpline"} {
		if !strings.Contains(body, want) {
			t.Errorf("the crisis block lacks %q:\n%s", want, body[crisis:])
		}
	}
}

// Program text reaches the screen sanitized, the crisis block too.
func TestCrisisBlockIsSanitized(t *testing.T) {
	_, c := setup(t, func(f *fixture.Fixture) store.Therapist { return f.Anna })
	p := New(c, store.QueueItem{}, false, nil)
	got := p.crisisBlock(&programs.Crisis{Title: "Help\x1b[2J now", Contacts: []programs.CrisisContact{
		{Name: "Chat\x1b]0;pwned\x07", Service: "Sekasin\u009b31m", Hours: "evenings"}}}, 60)
	if strings.ContainsAny(got, "\x1b\x07\u009b") || !strings.Contains(got, "Sekasin") || !strings.Contains(got, "evenings") {
		t.Fatalf("%q", got)
	}
}
