package tui

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestE2EIntake: two workbenches in tmux. An intake worker (the
// supervisor of team 1) works on the server's store; the demo therapist
// works on a replica synced with 'polku serve'. The worker accepts a
// referral for the demo therapist in the workbench; the therapist's
// workbench shows the patient as starting, and the replica's CLI agrees.
func TestE2EIntake(t *testing.T) {
	if os.Getenv("POLKU_E2E") != "1" {
		t.Skip("the tmux test runs with POLKU_E2E=1")
	}
	for _, tool := range []string{"tmux", "sqlite3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the tmux test needs %s, which is not installed", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "polku")
	if out, err := exec.Command("go", "build", "-o", bin, "polku/cmd/polku").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	srvDB := filepath.Join(dir, "server.db")
	run := func(env []string, args ...string) string {
		t.Helper()
		c := exec.Command(bin, args...)
		c.Env = append(os.Environ(), append([]string{"LC_ALL=C"}, env...)...)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("polku %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run(nil, "demo", "--no-tui", "--db", srvDB)
	lines := strings.Split(strings.TrimSpace(run(nil, "--db", srvDB, "tokens", "create", "--therapist", "demo")), "\n")
	token := lines[len(lines)-1]

	// The server, on a free loopback port.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	serve := exec.Command(bin, "serve", "--db", srvDB, "--addr", addr)
	serve.Stdout, serve.Stderr = os.Stderr, os.Stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	url := "http://" + addr

	// The therapist's replica: its own home.
	home := filepath.Join(dir, "therapist")
	tenv := []string{"HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"POLKU_DB=", "POLKU_SERVER="}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := exec.Command(bin, "login", "--server", url, "--token", token)
		c.Env = append(os.Environ(), append([]string{"LC_ALL=C"}, tenv...)...)
		out, err := c.CombinedOutput()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("polku login: %v\n%s", err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Pick a referral of team 1 an adult without a risk flag, with a
	// program that fits: its row in the intake queue.
	var q struct {
		Items []struct {
			ReferralID  string `json:"referral_id"`
			Pseudonym   string `json:"pseudonym"`
			DisplayName string `json:"display_name"`
			Age         int    `json:"age"`
			Risk        bool   `json:"risk"`
		} `json:"items"`
	}
	sup := &e2e{t: t, bin: bin, db: srvDB, sock: fmt.Sprintf("polku-e2e-intake-%d", os.Getpid()), sess: "intake",
		args: fmt.Sprintf("--db %s --as super", srvDB)}
	t.Cleanup(func() { exec.Command("tmux", "-L", sup.sock, "kill-server").Run() })
	sup.cliJSONAs(&q, "super", "referrals", "list")
	row, pick := -1, -1
	for i, it := range q.Items {
		if it.Risk || it.Age < 18 {
			continue
		}
		var d struct {
			Programs []struct {
				Fits bool `json:"fits"`
			} `json:"programs"`
		}
		sup.cliJSONAs(&d, "super", "referrals", "show", it.ReferralID)
		if len(d.Programs) > 0 && d.Programs[0].Fits {
			row, pick = i, i
			break
		}
	}
	if pick < 0 {
		t.Fatalf("no adult referral without risk and with a fitting program in the demo: %+v", q.Items)
	}
	patient := q.Items[pick]

	// The therapist's workbench on the replica, filtered to the patient.
	ther := &e2e{t: t, bin: bin, sock: sup.sock, sess: "therapist", env: strings.Join(tenv, " "), args: " "}
	ther.start(120, 40, "")
	ther.waitFor("Needs you", "replica")
	ther.keys("/")
	ther.keys("-l", patient.Pseudonym)
	ther.keys("Enter")
	ther.waitFor("/" + patient.Pseudonym)
	starting := func(screen string) bool {
		for _, line := range strings.Split(screen, "\n") {
			if strings.Contains(line, patient.DisplayName) && strings.Contains(line, " start") {
				return true
			}
		}
		return false
	}
	if starting(ther.capture(false)) {
		t.Fatalf("%s is in the therapist's queue before the acceptance", patient.DisplayName)
	}

	// The intake worker's workbench on the server's store.
	sup.start(120, 40, "")
	sup.waitFor("Team")
	sup.keys("i")
	sup.waitFor("Intake · team-1", "open")
	sup.keys("g")
	for i := 0; i < row; i++ {
		sup.keys("j")
	}
	sup.waitFor(patient.Pseudonym)
	sup.keys("a")
	screen := sup.waitFor("Accept: ", patient.Pseudonym, "y confirms")
	// The demo therapist: t until the form names them.
	isDemo := regexp.MustCompile(`(?m)^\s+demo: `)
	for i := 0; i < 20 && !isDemo.MatchString(screen); i++ {
		sup.keys("t")
		time.Sleep(100 * time.Millisecond)
		screen = sup.capture(false)
	}
	if !isDemo.MatchString(screen) {
		t.Fatalf("the accept form never offered the demo therapist:\n%s", screen)
	}
	t.Logf("accept form:\n%s", screen)
	sup.keys("y")
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(sup.capture(false), "say why") {
		// The suggested start is beyond the promise: the reason.
		sup.keys("-l", "First free start after the holidays.")
		sup.keys("Enter")
		sup.keys("y")
	}
	screen = sup.waitFor("Accepted: ")
	accepted := time.Now()
	t.Logf("after accept:\n%s", screen)
	if got := sup.sql("SELECT status FROM referrals WHERE id = '" + patient.ReferralID + "'"); got != "enrolled" {
		t.Fatalf("the referral on the server is %q", got)
	}

	// The therapist's workbench shows the patient as starting.
	var seen string
	for time.Since(accepted) < 20*time.Second {
		seen = ther.capture(false)
		if starting(seen) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(accepted)
	if !starting(seen) {
		t.Fatalf("the therapist's workbench never showed %s starting:\n%s", patient.DisplayName, seen)
	}
	t.Logf("the therapist's workbench showed the patient %.1f s after the acceptance:\n%s", took.Seconds(), seen)
	if took > 5*time.Second {
		t.Errorf("the patient reached the therapist's workbench in %.1f s, not within 5 s", took.Seconds())
	}
	// The replica's CLI agrees.
	c := exec.Command(bin, "triage", "-o", "json")
	c.Env = append(os.Environ(), append([]string{"LC_ALL=C"}, tenv...)...)
	out, err := c.CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"pseudonym": "`+patient.Pseudonym+`"`) {
		t.Errorf("polku triage on the replica: %v\n%s", err, out)
	}
	ther.keys("Escape")
	ther.keys("q")
	sup.keys("Escape")
	sup.keys("q")
}

// cliJSONAs runs the CLI on the e2e store as someone and reads its JSON.
func (e *e2e) cliJSONAs(v any, as string, args ...string) {
	e.t.Helper()
	out, err := exec.Command(e.bin, append(args, "--db", e.db, "--as", as, "-o", "json")...).CombinedOutput()
	if err != nil {
		e.t.Fatalf("polku %v: %v\n%s", args, err, out)
	}
	if err := jsonUnmarshal(out, v); err != nil {
		e.t.Fatalf("polku %v: %v\n%s", args, err, out)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
