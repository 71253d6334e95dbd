package tui

// The real-terminal test of the languages: `LANG=fi_FI.UTF-8 polku demo`
// shows the queue, the patient workspace, the editor and the help in
// Finnish, and `--lang sv` in Swedish, at 80x24 and 120x40. It asserts on
// the words this package draws (status bar, key line, editor, help); the
// pages' own words are localized separately.
//
// Run it with:
//
//	POLKU_E2E=1 go test ./tui -run TestE2ELanguages -v -count=1

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"polku/internal/i18n"
)

func TestE2ELanguages(t *testing.T) {
	if os.Getenv("POLKU_E2E") != "1" {
		t.Skip("the tmux test runs with POLKU_E2E=1")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("the tmux test needs tmux, which is not installed")
	}
	dir := t.TempDir()
	bin, db := filepath.Join(dir, "polku"), filepath.Join(dir, "demo.db")
	if out, err := exec.Command("go", "build", "-o", bin, "polku/cmd/polku").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "demo", "--no-tui", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("polku demo: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		lang, env, args string
	}{
		{i18n.FI, "LC_ALL= LC_MESSAGES= LANG=fi_FI.UTF-8", "demo"},
		{i18n.SV, "LC_ALL= LC_MESSAGES= LANG=fi_FI.UTF-8", "demo --lang sv"},
	} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s-%dx%d", tc.lang, size[0], size[1]), func(t *testing.T) {
				// Each run on its own copy of the demo store.
				own := filepath.Join(t.TempDir(), "demo.db")
				buf, err := os.ReadFile(db)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(own, buf, 0o600); err != nil {
					t.Fatal(err)
				}
				e := &e2e{t: t, bin: bin, db: own, sock: fmt.Sprintf("polku-e2e-%s-%d-%d", tc.lang, size[0], os.Getpid()), env: tc.env, args: tc.args + " --db " + own}
				t.Cleanup(func() { exec.Command("tmux", "-L", e.sock, "kill-server").Run() })
				p := i18n.New(tc.lang)
				// The queue: the status bar and the key line.
				e.start(size[0], size[1], "TERM=xterm-256color POLKU_THEME=dark")
				screen := e.waitFor(p.T("tui.status.demo"), "? "+p.T("tui.keys.help"))
				t.Logf("queue:\n%s", screen)
				// The workspace: a patient's submission and its editor.
				pt := e.feedbackPatient("")
				e.waitFor(common1(pt.name)) // the queue has loaded
				e.down(pt.row)
				e.keys("Enter")
				screen = e.waitFor(p.T("tui.editor.press_e_start"))
				t.Logf("workspace:\n%s", screen)
				// The editor.
				e.keys("e")
				screen = e.waitFor("ctrl+s "+p.T("tui.editor.send_key.send"), p.T("tui.editor.keys.done"))
				typed := "Kiitos " + time.Now().Format("150405")
				e.typeSlowly(typed)
				screen = e.waitFor(typed, "ctrl+s "+p.T("tui.editor.send_key.send"))
				t.Logf("editor:\n%s", screen)
				// The help, over the editor (f1), with its legend.
				e.keys("F1")
				screen = e.waitFor(p.T("tui.help.title"), p.T("tui.help.close", "Key", "f1"))
				t.Logf("help:\n%s", screen)
				e.keys("End")
				screen = e.waitFor(p.T("tui.legend.draft.example"))
				t.Logf("help, its end:\n%s", screen)
				// Out again: q says how to quit from a page, then quits
				// from the queue.
				e.keys("Escape")
				time.Sleep(150 * time.Millisecond)
				e.keys("Escape")
				time.Sleep(150 * time.Millisecond)
				e.keys("q")
				e.waitFor(p.T("tui.status.quit_from_queue"))
				e.keys("Escape")
				time.Sleep(150 * time.Millisecond)
				e.keys("Escape")
				e.waitFor(p.T("tui.status.demo"))
				e.keys("q")
				e.waitExit()
			})
		}
	}
}
