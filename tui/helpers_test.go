package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"polku/store"
	"polku/tui/common"
	"polku/tui/internal/fixture"
	"polku/tui/pages/triage"
	"polku/tui/pages/workspace"
)

// testConfig: no polling or meter ticks during pure Update tests (they
// would never settle); drafts are saved at once.
func testConfig() *common.Config {
	return &common.Config{PollEvery: time.Hour, DraftDelay: time.Millisecond, TimeFlushEvery: time.Hour, IdleAfter: 5 * time.Minute, StatusFor: time.Hour}
}

func newFixture(t testing.TB) *fixture.Fixture {
	t.Helper()
	f, err := fixture.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.DB.Close() })
	return f
}

func options(f *fixture.Fixture, th store.Therapist) Options {
	return Options{Store: f.DB, Actor: fixture.Actor(th), Therapist: th, StoreLabel: "local polku.db", Clock: f.Clock.Now,
		ASCII: true, Location: fixture.Helsinki(), Config: testConfig()}
}

// harness drives a Model without a terminal: it runs commands the way
// bubbletea does (concurrently) and feeds their messages back until every
// command has finished. Ticks longer than the draft debounce are parked
// until the test fires them.
type harness struct {
	t      testing.TB
	fx     *fixture.Fixture
	m      *Model
	mu     sync.Mutex
	parked []parkedTick
}

type parkedTick struct {
	d  time.Duration
	fn func(time.Time) tea.Msg
}

type tickNow struct{ msg tea.Msg }

// tick replaces tea.Tick: short delays (the draft debounce) fire at once,
// longer ones (the poll, the time meter) are parked until fire.
func (h *harness) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		if d <= 10*time.Millisecond {
			return fn(time.Now())
		}
		h.mu.Lock()
		h.parked = append(h.parked, parkedTick{d, fn})
		h.mu.Unlock()
		return nil
	}
}

// fire runs the parked ticks (one poll round, one meter flush).
func (h *harness) fire() {
	h.t.Helper()
	h.mu.Lock()
	ticks := h.parked
	h.parked = nil
	h.mu.Unlock()
	for _, tk := range ticks {
		h.send(tk.fn(time.Now()))
	}
}

func newHarness(t testing.TB, opts Options, w, h int) *harness {
	t.Helper()
	m, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := &harness{t: t, m: m}
	m.c.Tick = hs.tick
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(m.Init())
	return hs
}

// run executes cmd and everything that follows from it.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	results := make(chan tea.Msg, 64)
	pending := 0
	var launch func(c tea.Cmd)
	launch = func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending++
		go func() {
			defer func() {
				if r := recover(); r != nil {
					results <- panicMsg{r}
				}
			}()
			results <- c()
		}()
	}
	launch(cmd)
	for pending > 0 {
		select {
		case msg := <-results:
			pending--
			switch msg := msg.(type) {
			case nil:
			case panicMsg:
				h.t.Fatalf("command panicked: %v", msg.v)
			case tea.BatchMsg:
				for _, c := range msg {
					launch(c)
				}
			default:
				if _, ok := msg.(tea.QuitMsg); ok {
					continue
				}
				_, next := h.m.Update(msg)
				launch(next)
			}
		case <-time.After(10 * time.Second):
			h.t.Fatalf("%d commands did not finish", pending)
		}
	}
}

type panicMsg struct{ v any }

// send delivers one message and runs what follows.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// keys types keys: names like "enter", "esc", "ctrl+s", "alt+1", or
// plain text (each rune a key).
func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	alt := false
	if strings.HasPrefix(k, "alt+") && len(k) == 5 {
		alt, k = true, k[4:]
	}
	names := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace, "ctrl+s": tea.KeyCtrlS, "ctrl+c": tea.KeyCtrlC, "space": tea.KeySpace, "f1": tea.KeyF1,
	}
	if t, ok := names[k]; ok {
		return tea.KeyMsg{Type: t, Alt: alt}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k), Alt: alt}
}

func (h *harness) view() string { return h.m.View() }

func (h *harness) triage() *triage.Page {
	h.t.Helper()
	p, ok := h.m.Top().(*triage.Page)
	if !ok {
		h.t.Fatalf("top page is %T, want the queue", h.m.Top())
	}
	return p
}

func (h *harness) workspace() *workspace.Page {
	h.t.Helper()
	p, ok := h.m.Top().(*workspace.Page)
	if !ok {
		h.t.Fatalf("top page is %T, want a workspace", h.m.Top())
	}
	return p
}

// selectPatient moves the queue cursor to a patient by pseudonym.
func (h *harness) selectPatient(f *fixture.Fixture, pseudonym string) {
	h.t.Helper()
	h.triage().SetSection(triage.SectionAll)
	h.triage().Select(f.Patients[pseudonym].ID)
	if it, ok := h.triage().Selected(); !ok || it.Pseudonym != pseudonym {
		h.t.Fatalf("could not select %s", pseudonym)
	}
}

func mustContain(t testing.TB, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("screen lacks %q:\n%s", sub, s)
		}
	}
}

func mustNotContain(t testing.TB, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("screen shows %q:\n%s", sub, s)
		}
	}
}
