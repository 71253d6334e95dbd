package tui

// Benchmarks for the workbench's speed targets:
//
//	go test ./tui -run '^$' -bench . -benchtime 2000x     # key presses
//	go test ./tui -run '^$' -bench Startup -benchtime 20x # exec to first frame, RSS
//
// The startup benchmark builds the binary and a 20,000-patient demo store
// (about 30 s the first time; it is kept in $TMPDIR/polku-bench, or give
// one with POLKU_BENCH_DB).

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"polku/internal/i18n"
	"polku/store"
	"polku/tui/pages/triage"
)

// bigQueue is a queue of n patients for therapist th, sorted as the store
// sorts.
func bigQueue(th store.Therapist, n int) *store.Queue {
	rng := rand.New(rand.NewPCG(5, 5))
	first := []string{"Maria", "Juha", "Aino", "Elias", "Sofia", "Leo", "Onni", "Kalle", "Liisa", "Risto", "Ilona", "Veikko", "Aada", "Eino"}
	progs := []string{"gad", "depression", "insomnia", "social-anxiety-youth"}
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	q := &store.Queue{TherapistID: th.ID, Handle: th.Handle, GeneratedAt: now, Counts: map[store.Class]int{}}
	for i := 0; i < n; i++ {
		c := store.Classes[rng.IntN(len(store.Classes))]
		last := now.Add(-time.Duration(rng.IntN(400)) * time.Hour)
		it := store.QueueItem{PatientID: fmt.Sprintf("p%06d", i), Pseudonym: fmt.Sprintf("SYN-%05d", i),
			DisplayName: first[rng.IntN(len(first))] + " " + string(rune('A'+rng.IntN(26))) + ".", TherapistID: th.ID,
			Status: store.EnrollmentActive, ProgramID: progs[rng.IntN(len(progs))], ProgramTitle: "Worry less — guided CBT for generalized anxiety",
			Week: 1 + rng.IntN(12), Weeks: 12, ModuleTitle: "Worry time", LastActive: &last, Class: c, Instrument: "GAD-7",
			Scores: []store.ScorePoint{{Week: 0, Total: 15}, {Week: 1, Total: 13}, {Week: 2, Total: 12}}}
		if c != store.ClassWaiting {
			it.Reasons = []store.Reason{
				{Class: c, Code: c.String(), Text: "Exercise 'Worry log' waiting 4 working days, 2 over the promise", Badge: "FB 4d!", Since: last},
				{Class: store.ClassDue, Code: "message-due", Text: "1 message unanswered since 16 Nov", Badge: "MSG 1", Since: last},
			}
		} else {
			it.Reasons = []store.Reason{}
		}
		q.Items = append(q.Items, it)
	}
	store.SortQueue(q.Items)
	for _, it := range q.Items {
		q.Counts[it.Class]++
	}
	return q
}

// withReal is the fixture therapist's real queue with n synthetic rows
// added.
func withReal(b *testing.B, h *harness, n int) *store.Queue {
	q := bigQueue(h.m.c.Therapist, n)
	real, err := h.m.c.Store.Triage(h.m.c.Ctx, h.m.c.Actor, h.m.c.Therapist.ID)
	if err != nil {
		b.Fatal(err)
	}
	q.Items = append(real.Items, q.Items...)
	store.SortQueue(q.Items)
	return q
}

// BenchmarkKeyQueueMove: one key press (cursor down) in a queue of 5,000,
// Update and View.
func BenchmarkKeyQueueMove(b *testing.B) { inLanguages(b, benchKeyQueueMove) }

func benchKeyQueueMove(b *testing.B, lang string) {
	f := newFixture(b)
	o := options(f, f.Anna)
	o.Lang = lang
	h := newHarness(b, o, 120, 40)
	h.send(queueMsg{therapistID: f.Anna.ID, q: bigQueue(f.Anna, 5000)})
	h.triage().SetSection(triage.SectionAll)
	down, up := keyMsg("down"), keyMsg("up")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := down
		if (i/2000)%2 == 1 {
			k = up
		}
		h.m.Update(k)
		_ = h.m.View()
	}
}

// BenchmarkKeyQueueSection: switching section re-filters 5,000 rows.
func BenchmarkKeyQueueSection(b *testing.B) { inLanguages(b, benchKeyQueueSection) }

func benchKeyQueueSection(b *testing.B, lang string) {
	f := newFixture(b)
	o := options(f, f.Anna)
	o.Lang = lang
	h := newHarness(b, o, 120, 40)
	h.send(queueMsg{therapistID: f.Anna.ID, q: bigQueue(f.Anna, 5000)})
	tab := keyMsg("tab")
	b.ResetTimer()
	for b.Loop() {
		h.m.Update(tab)
		_ = h.m.View()
	}
}

// BenchmarkKeyQueueFilter: one typed filter character over 5,000 rows.
func BenchmarkKeyQueueFilter(b *testing.B) { inLanguages(b, benchKeyQueueFilter) }

func benchKeyQueueFilter(b *testing.B, lang string) {
	f := newFixture(b)
	o := options(f, f.Anna)
	o.Lang = lang
	h := newHarness(b, o, 120, 40)
	h.send(queueMsg{therapistID: f.Anna.ID, q: bigQueue(f.Anna, 5000)})
	h.keys("/")
	keys := []tea.KeyMsg{keyMsg("m"), keyMsg("backspace")}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		h.m.Update(keys[i%2])
		_ = h.m.View()
	}
}

// BenchmarkKeyWorkspaceTab: switching tabs in a patient's workspace with
// 5,000 rows in the queue behind it.
func BenchmarkKeyWorkspaceTab(b *testing.B) { inLanguages(b, benchKeyWorkspaceTab) }

func benchKeyWorkspaceTab(b *testing.B, lang string) {
	f := newFixture(b)
	o := options(f, f.Anna)
	o.Lang = lang
	h := newHarness(b, o, 120, 40)
	h.send(queueMsg{therapistID: f.Anna.ID, q: withReal(b, h, 5000)})
	h.selectPatient(f, "P-0003")
	h.keys("enter", "esc")
	tab := keyMsg("tab")
	b.ResetTimer()
	for b.Loop() {
		h.m.Update(tab)
		_ = h.m.View()
	}
}

// BenchmarkKeyReaderScroll: scrolling the submission reader.
func BenchmarkKeyReaderScroll(b *testing.B) { inLanguages(b, benchKeyReaderScroll) }

func benchKeyReaderScroll(b *testing.B, lang string) {
	f := newFixture(b)
	o := options(f, f.Anna)
	o.Lang = lang
	h := newHarness(b, o, 120, 40)
	h.send(queueMsg{therapistID: f.Anna.ID, q: withReal(b, h, 5000)})
	h.selectPatient(f, "P-0002")
	h.keys("enter")
	keys := []tea.KeyMsg{keyMsg("down"), keyMsg("up")}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		h.m.Update(keys[i%2])
		_ = h.m.View()
	}
}

// inLanguages runs a benchmark in English, Finnish and Swedish (the
// languages must cost the same: within 10% of English).
func inLanguages(b *testing.B, bench func(b *testing.B, lang string)) {
	for _, lang := range i18n.Languages() {
		b.Run(lang, func(b *testing.B) { bench(b, lang) })
	}
}

// benchStore returns a 20,000-patient demo store and the binary.
func benchStore(b *testing.B) (bin, db string) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "polku-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	bin = filepath.Join(dir, "polku")
	if out, err := exec.Command("go", "build", "-o", bin, "polku/cmd/polku").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	db = os.Getenv("POLKU_BENCH_DB")
	if db != "" {
		return bin, db
	}
	db = filepath.Join(dir, "demo20k.db")
	if _, err := os.Stat(db); err != nil {
		b.Logf("generating a 20,000-patient demo store in %s (once)", db)
		if out, err := exec.Command(bin, "demo", "--no-tui", "--db", db, "--patients", "20000").CombinedOutput(); err != nil {
			b.Fatalf("polku demo: %v\n%s", err, out)
		}
	}
	return bin, db
}

// BenchmarkStartup: from exec of the binary to the first full frame (the
// queue with its rows, its preview and the status bar) on a
// 20,000-patient store, as the demo therapist in each language and as the
// supervisor; then the resident memory.
func BenchmarkStartup(b *testing.B) {
	bin, db := benchStore(b)
	for _, run := range []struct{ name, as, lang, want string }{
		{"demo", "demo", i18n.EN, "SYN-"}, {"demo-fi", "demo", i18n.FI, "SYN-"}, {"demo-sv", "demo", i18n.SV, "SYN-"},
		{"super", "super", i18n.EN, "fb 4w"},
	} {
		b.Run(run.name, func(b *testing.B) {
			var rss float64
			for b.Loop() {
				rss = startOnce(b, bin, db, run.as, run.lang, run.want)
			}
			b.ReportMetric(rss, "MB-rss")
		})
	}
}

// startOnce runs the workbench with pipes for input and output (80x24 by
// default), waits for the first frame that shows want and the status bar,
// reads the resident memory, and quits.
func startOnce(b *testing.B, bin, db, as, lang, want string) float64 {
	cmd := exec.Command(bin, "--db", db, "--as", as, "--lang", lang)
	live := []byte("● " + i18n.New(lang).T("tui.status.live"))
	cmd.Env = append(os.Environ(), "POLKU_THEME=dark")
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var seen bytes.Buffer
	buf := make([]byte, 64<<10)
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	for !bytes.Contains(seen.Bytes(), []byte(want)) || !bytes.Contains(seen.Bytes(), live) {
		n, err := out.Read(buf)
		seen.Write(buf[:n])
		if err != nil {
			b.Fatalf("the workbench ended before its first frame: %v\n%s", err, seen.String())
		}
	}
	b.StopTimer()
	timer.Stop()
	rss := residentMB(cmd.Process.Pid)
	in.Write([]byte("q"))
	go io.Copy(io.Discard, out)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	b.StartTimer()
	return rss
}

func residentMB(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
