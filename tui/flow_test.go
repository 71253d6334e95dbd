package tui

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"polku/store"
	"polku/tui/common"
)

// TestCoreLoop runs the real program (teatest) through the therapist's
// core loop: open the queue, open the overdue submission, write feedback,
// send it after the confirmation and land on the next item.
func TestCoreLoop(t *testing.T) {
	f := newFixture(t)
	opts := options(f, f.Anna)
	opts.Config = &common.Config{PollEvery: 100 * time.Millisecond, DraftDelay: 50 * time.Millisecond, TimeFlushEvery: time.Second,
		IdleAfter: 5 * time.Minute, StatusFor: time.Minute}
	m, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	out := tm.Output()
	waitFor := func(what ...string) {
		t.Helper()
		teatest.WaitFor(t, out, func(b []byte) bool {
			for _, w := range what {
				if !bytes.Contains(b, []byte(w)) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	waitFor("Needs you 6", "Juha Nieminen")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("Submissions › Worry log", "Juha wrote")
	tm.Type("e")
	tm.Type("Thank you, Juha. Let us try worry time next.")
	waitFor("draft saved")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitFor("Send this feedback to Juha? y sends")
	tm.Type("y")
	waitFor("Feedback sent.", "Aino wrote")

	fb, err := f.DB.PatientRecord(context.Background(), store.System("test"), f.Patients["P-0002"].ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	got := fb.FeedbackFor(f.Subs["juha-log"].ID)
	if len(got) != 1 || got[0].Body != "Thank you, Juha. Let us try worry time next." {
		t.Fatalf("feedback in the store: %+v", got)
	}
	// Back to the queue and quit.
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor("Needs you")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Model)
	if _, ok := final.Top().(interface{ Queue() *store.Queue }); !ok {
		t.Errorf("quit from %T, want the queue", final.Top())
	}
}
