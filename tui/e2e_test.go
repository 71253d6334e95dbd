package tui

// The real-terminal test: tmux runs the built binary on a demo store,
// send-keys types the core loop, capture-pane reads the screen, sqlite3 and
// the CLI read the store afterwards; a kill -9 while a draft is being
// typed loses nothing that was on screen long enough to be saved, and a
// SIGHUP (the terminal closed) loses nothing on screen at all.
//
// Run it with:
//
//	POLKU_E2E=1 go test ./tui -run TestE2E -v -count=1

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

type e2e struct {
	t    *testing.T
	bin  string
	db   string
	sock string
	sess string // the tmux session ("e2e" when empty)
	env  string // environment of the workbench's command line
	args string // arguments after the binary ("--db DB --as demo" when empty)
}

func (e *e2e) session() string {
	if e.sess == "" {
		return "e2e"
	}
	return e.sess
}

func TestE2E(t *testing.T) {
	if os.Getenv("POLKU_E2E") != "1" {
		t.Skip("the tmux test runs with POLKU_E2E=1")
	}
	for _, tool := range []string{"tmux", "sqlite3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the tmux test needs %s, which is not installed", tool)
		}
	}
	dir := t.TempDir()
	e := &e2e{t: t, bin: filepath.Join(dir, "polku"), db: filepath.Join(dir, "demo.db"), sock: fmt.Sprintf("polku-e2e-%d", os.Getpid())}
	build := exec.Command("go", "build", "-o", e.bin, "polku/cmd/polku")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if out, err := exec.Command(e.bin, "demo", "--no-tui", "--db", e.db).CombinedOutput(); err != nil {
		t.Fatalf("polku demo: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-L", e.sock, "kill-server").Run() })

	// 1. Open the workbench at 80x24 and see the queue.
	e.start(80, 24, "")
	screen := e.waitFor("Needs you", "demo · local", "synthetic demo data")
	t.Logf("queue:\n%s", screen)

	// 2. The core loop: open a patient whose most urgent reason is one
	// submission waiting for feedback, write, send, land on the next.
	first := e.feedbackPatient("")
	e.down(first.row)
	e.keys("Enter")
	screen = e.waitFor(common1(first.name)+" wrote", "Submissions ›")
	t.Logf("reader:\n%s", screen)
	e.keys("e")
	body := "Thank you for the exercise. Keep going: e2e " + time.Now().Format("150405")
	e.typeSlowly(body)
	e.waitFor("draft saved")
	e.keys("C-s")
	e.waitFor("y sends")
	e.keys("y")
	screen = e.waitFor("Feedback sent.")
	if strings.Contains(strings.SplitN(screen, "\n", 2)[0], first.pseudonym) {
		t.Errorf("after sending, the workbench should move to the next patient:\n%s", screen)
	}
	t.Logf("after send:\n%s", screen)
	// The store has it: sqlite3 and the CLI.
	if n := e.sql("SELECT COUNT(*) FROM feedback WHERE body = '" + body + "'"); n != "1" {
		t.Errorf("feedback rows with the text: %s", n)
	}
	var show struct {
		Counts map[string]int `json:"counts"`
	}
	e.cliJSON(&show, "patients", "show", first.pseudonym)
	if show.Counts["feedback"] < 1 {
		t.Errorf("polku patients show %s: %+v", first.pseudonym, show.Counts)
	}
	if n := e.sql("SELECT COUNT(*) FROM drafts"); n != "0" {
		t.Errorf("drafts left after sending: %s", n)
	}
	audit := e.cli("audit", first.pseudonym)
	if !strings.Contains(audit, "workspace") || !strings.Contains(audit, "submission") {
		t.Errorf("the audit log lacks the workbench reads:\n%s", audit)
	}
	e.keys("Escape")
	time.Sleep(150 * time.Millisecond)
	e.keys("Escape")
	e.waitFor("Needs you")

	// 3. kill -9 while typing a draft; after a restart it is there.
	second := e.feedbackPatient(first.pseudonym)
	e.down(second.row)
	e.keys("Enter")
	e.waitFor(common1(second.name) + " wrote")
	e.keys("e")
	draft := "Draft typed before the crash " + time.Now().Format("150405")
	e.typeSlowly(draft)
	e.waitFor("draft saved")
	e.keys("-l", " and a few more words")
	e.kill9()
	if got := e.sql("SELECT body FROM drafts"); !strings.HasPrefix(got, draft) {
		t.Fatalf("the draft in the store after kill -9: %q", got)
	}
	e.restart(80, 24, "")
	e.waitFor("Needs you")
	e.down(second.row)
	e.keys("Enter")
	screen = e.waitFor(draft)
	t.Logf("restored draft:\n%s", screen)

	// 4. q quits from the queue only, and the process ends.
	e.keys("q")
	e.waitFor("q quits from the queue")
	e.keys("Escape")
	time.Sleep(150 * time.Millisecond)
	e.keys("Escape")
	time.Sleep(150 * time.Millisecond)
	e.keys("Escape")
	e.waitFor("Needs you")
	e.keys("q")
	e.waitExit()
	if got := e.sql("SELECT body FROM drafts"); !strings.HasPrefix(got, draft) {
		t.Errorf("quitting lost the draft: %q", got)
	}

	// 5. The terminal goes away (SIGHUP, as when its window is closed):
	// words on screen that the debounced save has not written yet are
	// written by the final flush before polku ends.
	e.restart(80, 24, "")
	e.waitFor("Needs you")
	e.down(second.row)
	e.keys("Enter")
	e.waitFor(draft)
	e.keys("e")
	e.keys("-l", " then the window closed")
	e.waitFor("then the window closed")
	e.signal("HUP") // well within the draft delay after the last key
	if got := e.sql("SELECT body FROM drafts"); !strings.HasSuffix(got, " then the window closed") {
		t.Errorf("after SIGHUP the draft in the store is %q", got)
	}

	// 6. NO_COLOR: no colour sequences at all; 120x40 works too.
	e.restart(120, 40, "NO_COLOR=1")
	e.waitFor("Needs you")
	raw := e.capture(true)
	if c := colourSGR(raw); c != "" {
		t.Errorf("NO_COLOR screen has the colour sequence %q:\n%q", c, raw)
	}
	e.keys("q")
	e.waitExit()
	e.restart(80, 24, "POLKU_THEME=light")
	e.waitFor("Needs you")
	e.keys("q")
	e.waitExit()

	// 7. The course of a treatment from the workspace: pause, then
	// resume, each seen in 'polku enrollments show -o json'.
	e.restart(80, 24, "")
	e.waitFor("Needs you")
	e.down(second.row)
	e.keys("Enter")
	e.waitFor(draft)
	e.keys("Escape") // close the reader
	time.Sleep(150 * time.Millisecond)
	e.keys("C")
	e.waitFor("Course of treatment")
	e.keys("2", "Tab")
	e.typeSlowly("e2e pause")
	e.keys("Enter")
	screen = e.waitFor("PAUSED")
	t.Logf("paused:\n%s", screen)
	var enr struct {
		Enrollment struct {
			PausedSince *time.Time `json:"paused_since"`
			Version     int64      `json:"version"`
		} `json:"enrollment"`
		Course []struct {
			Kind   string `json:"kind"`
			Reason string `json:"reason"`
		} `json:"course"`
	}
	e.cliJSON(&enr, "enrollments", "show", second.pseudonym)
	if n := len(enr.Course); enr.Enrollment.PausedSince == nil || n == 0 || enr.Course[n-1].Kind != "pause" || enr.Course[n-1].Reason != "e2e pause" {
		t.Fatalf("after pausing in the workbench, enrollments show says %+v", enr)
	}
	e.keys("C")
	e.waitFor("Resume")
	e.keys("2", "Enter")
	e.waitFor("the treatment is resumed")
	enr.Course, enr.Enrollment.PausedSince = nil, nil
	e.cliJSON(&enr, "enrollments", "show", second.pseudonym)
	if n := len(enr.Course); enr.Enrollment.PausedSince != nil || n == 0 || enr.Course[n-1].Kind != "resume" {
		t.Errorf("after resuming in the workbench, enrollments show says %+v", enr)
	}
	e.keys("Escape")
	e.waitFor("Needs you")
	e.keys("q")
	e.waitExit()
}

func common1(name string) string { return strings.Fields(name)[0] }

type qpatient struct {
	row       int
	pseudonym string
	name      string
}

// feedbackPatient finds, in the queue as the CLI prints it, a patient
// whose most urgent reason is exactly one submission waiting for feedback,
// and their row in the "needs you" section.
func (e *e2e) feedbackPatient(skip string) qpatient {
	e.t.Helper()
	var q struct {
		Items []struct {
			Pseudonym   string `json:"pseudonym"`
			DisplayName string `json:"display_name"`
			Class       string `json:"class"`
			Reasons     []struct {
				Code string `json:"code"`
			} `json:"reasons"`
		} `json:"items"`
	}
	e.cliJSON(&q, "triage")
	row := 0
	for _, it := range q.Items {
		if it.Class == "waiting" {
			continue
		}
		n := 0
		for _, r := range it.Reasons {
			if strings.HasPrefix(r.Code, "feedback-") {
				n++
			}
		}
		if it.Pseudonym != skip && n == 1 && strings.HasPrefix(it.Reasons[0].Code, "feedback-") {
			return qpatient{row: row, pseudonym: it.Pseudonym, name: it.DisplayName}
		}
		row++
	}
	e.t.Fatal("no patient in the demo queue waits for exactly one feedback")
	return qpatient{}
}

func (e *e2e) cmdline(env string) string {
	args := e.args
	if args == "" {
		args = fmt.Sprintf("--db %s --as demo", e.db)
	}
	// English unless the test says otherwise, whatever the locale of the
	// machine running it.
	return fmt.Sprintf("exec env LC_ALL= LC_MESSAGES= LANG=C.UTF-8 %s %s %s %s", e.env, env, e.bin, args)
}

func (e *e2e) start(w, h int, env string) {
	e.t.Helper()
	e.tmux("new-session", "-d", "-s", e.session(), "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), e.cmdline(env))
	e.tmux("set-option", "-t", e.session(), "remain-on-exit", "on")
}

func (e *e2e) restart(w, h int, env string) {
	e.t.Helper()
	e.tmux("resize-window", "-t", e.session(), "-x", fmt.Sprint(w), "-y", fmt.Sprint(h))
	e.tmux("respawn-pane", "-k", "-t", e.session(), e.cmdline(env))
}

func (e *e2e) tmux(args ...string) string {
	e.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", e.sock}, args...)...).CombinedOutput()
	if err != nil {
		e.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (e *e2e) keys(k ...string) {
	e.t.Helper()
	e.tmux(append([]string{"send-keys", "-t", e.session()}, k...)...)
}

// down moves the queue cursor to row n from the top.
func (e *e2e) down(n int) {
	e.keys("g")
	for i := 0; i < n; i++ {
		e.keys("j")
	}
}

// typeSlowly types like a person: a word at a time.
func (e *e2e) typeSlowly(s string) {
	for _, w := range strings.SplitAfter(s, " ") {
		e.keys("-l", w)
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *e2e) capture(escapes bool) string {
	e.t.Helper()
	args := []string{"capture-pane", "-p", "-t", e.session()}
	if escapes {
		args = append(args, "-e")
	}
	return e.tmux(args...)
}

func (e *e2e) waitFor(subs ...string) string {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var s string
	for time.Now().Before(deadline) {
		s = e.capture(false)
		ok := true
		for _, sub := range subs {
			ok = ok && strings.Contains(s, sub)
		}
		if ok {
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatalf("the screen never showed %q:\n%s", subs, s)
	return ""
}

func (e *e2e) panePID() string {
	return strings.TrimSpace(e.tmux("display-message", "-p", "-t", e.session(), "#{pane_pid}"))
}

func (e *e2e) kill9() {
	e.t.Helper()
	pid := e.panePID()
	if out, err := exec.Command("kill", "-9", pid).CombinedOutput(); err != nil {
		e.t.Fatalf("kill -9 %s: %v %s", pid, err, out)
	}
	e.waitExit()
}

// signal sends a signal (by name, as kill takes it) to polku and waits for
// it to end.
func (e *e2e) signal(name string) {
	e.t.Helper()
	pid := e.panePID()
	if out, err := exec.Command("kill", "-"+name, pid).CombinedOutput(); err != nil {
		e.t.Fatalf("kill -%s %s: %v %s", name, pid, err, out)
	}
	e.waitExit()
}

func (e *e2e) waitExit() {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.TrimSpace(e.tmux("display-message", "-p", "-t", e.session(), "#{pane_dead}")) == "1" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatalf("polku did not exit:\n%s", e.capture(false))
}

func (e *e2e) sql(q string) string {
	e.t.Helper()
	out, err := exec.Command("sqlite3", e.db, q).CombinedOutput()
	if err != nil {
		e.t.Fatalf("sqlite3 %q: %v\n%s", q, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (e *e2e) cli(args ...string) string {
	e.t.Helper()
	out, err := exec.Command(e.bin, append(args, "--db", e.db, "--as", "demo")...).CombinedOutput()
	if err != nil {
		e.t.Fatalf("polku %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (e *e2e) cliJSON(v any, args ...string) {
	e.t.Helper()
	out := e.cli(append(args, "-o", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		e.t.Fatalf("polku %v: %v\n%s", args, err, out)
	}
}

// colourSGR returns the first SGR sequence that sets a colour (not the
// default-colour resets 39 and 49 that tmux adds).
func colourSGR(s string) string {
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;]*)m`).FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			var n int
			fmt.Sscan(p, &n)
			if (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				return m[0]
			}
		}
	}
	return ""
}
