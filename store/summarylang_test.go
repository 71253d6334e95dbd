package store_test

import (
	"context"
	"strings"
	"testing"

	"polku/internal/i18n"
	"polku/store"
)

// A discontinued treatment's summary draft in Finnish or Swedish says
// the course (the pause, the end) and the reason of the end in that
// language, not in the English words the signed facts keep.
func TestSummaryDraftSaysTheCourseInTheLanguage(t *testing.T) {
	w := newCourseWorld(t)
	ctx := context.Background()
	f := w.fixture
	e := f.enroll
	r, err := f.db.ChangeCourse(ctx, f.actor, store.CourseChange{EnrollmentID: e.ID, Version: e.Version, Kind: store.CoursePause, Reason: "loma"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.db.ChangeCourse(ctx, f.actor, store.CourseChange{EnrollmentID: e.ID, Version: r.Version, Kind: store.CourseDiscontinue,
		ReasonCode: store.EndOtherCare, Lang: i18n.FI})
	if err != nil {
		t.Fatal(err)
	}
	facts, err := store.SummaryFactsNow(ctx, f.db, f.actor, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(facts.Course, " "), "paused") || facts.EndReason != "moved to other care" {
		t.Fatalf("the facts keep their English words: %q %q", facts.Course, facts.EndReason)
	}
	for lang, want := range map[string][]string{
		i18n.FI: {"keskeytetty", "siirtyi muuhun hoitoon"},
		i18n.SV: {"avbruten", "flyttad till annan vård"},
	} {
		body := store.RenderSummaryIn(i18n.New(lang), facts)
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s draft lacks %q:\n%s", lang, w, body)
			}
		}
		for _, english := range []string{"paused", "moved to other care", "discontinued", " by "} {
			if strings.Contains(body, english) {
				t.Errorf("%s draft has %q:\n%s", lang, english, body)
			}
		}
	}
	// The draft the end wrote is in the language the change asked for.
	d, err := f.db.SummaryDraft(ctx, f.actor, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Body, "moved to other care") || !strings.Contains(d.Body, "siirtyi muuhun hoitoon") {
		t.Errorf("the Finnish end's draft:\n%s", d.Body)
	}
}

// The queue's program, module and exercise titles are in the reader's
// language where the program has a translation; the JSON keeps the
// program's own (LocalizeTitles is for a person's view).
func TestQueueTitlesInTheLanguage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.submit(t, "a text")
	q, err := f.db.Triage(ctx, f.actor, f.therapist.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) != 1 || len(q.Items[0].Reasons) == 0 {
		t.Fatalf("queue %+v", q.Items)
	}
	fiDef, fallback := f.program.In(i18n.FI)
	if fallback || fiDef.Title == f.program.Title {
		t.Fatalf("the gad program has no Finnish translation to test with")
	}
	en := q.Items[0]
	q.Localize(i18n.New(i18n.FI))
	q.LocalizeTitles(i18n.New(i18n.FI))
	it := q.Items[0]
	if it.ProgramTitle != fiDef.Title || it.ModuleTitle != fiDef.Modules[0].Title {
		t.Errorf("fi titles %q / %q, want %q / %q", it.ProgramTitle, it.ModuleTitle, fiDef.Title, fiDef.Modules[0].Title)
	}
	exFi, exEn := fiDef.Modules[0].Exercises[0].Title, f.program.Modules[0].Exercises[0].Title
	var text string
	for _, r := range it.Reasons {
		text += r.Text + "\n"
	}
	if !strings.Contains(text, exFi) || (exFi != exEn && strings.Contains(text, "'"+exEn+"'")) {
		t.Errorf("fi reasons do not name the exercise %q (English %q):\n%s", exFi, exEn, text)
	}
	if en.ProgramTitle != f.program.Title {
		t.Errorf("before LocalizeTitles the title is %q, want the program's own %q", en.ProgramTitle, f.program.Title)
	}
}
