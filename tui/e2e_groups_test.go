package tui

// The tmux test of groups (docs/groups.md): on the demo store, the demo
// therapist approves a post in the moderation queue and sends a group
// message; both reach every member through the portal API, and the
// members' timelines in the workbench show them.
//
//	POLKU_E2E=1 go test ./tui -run TestE2EGroups -v -count=1

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

func TestE2EGroups(t *testing.T) {
	if os.Getenv("POLKU_E2E") != "1" {
		t.Skip("the tmux test runs with POLKU_E2E=1")
	}
	for _, tool := range []string{"tmux", "sqlite3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the tmux test needs %s, which is not installed", tool)
		}
	}
	dir := t.TempDir()
	e := &e2e{t: t, bin: filepath.Join(dir, "polku"), db: filepath.Join(dir, "demo.db"), sock: fmt.Sprintf("polku-e2eg-%d", os.Getpid())}
	if out, err := exec.Command("go", "build", "-o", e.bin, "polku/cmd/polku").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if out, err := exec.Command(e.bin, "demo", "--no-tui", "--db", e.db).CombinedOutput(); err != nil {
		t.Fatalf("polku demo: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-L", e.sock, "kill-server").Run() })
	pending := e.sql("SELECT id FROM group_posts WHERE status = 'pending' ORDER BY posted_at, id LIMIT 1")
	pendingBody := e.sql("SELECT body FROM group_posts WHERE id = '" + pending + "'")

	// 1. The moderation queue: approve the oldest waiting post.
	e.start(110, 34, "")
	e.waitFor("Needs you")
	e.keys("m")
	screen := e.waitFor("Posts waiting for moderation · 3", pendingBody[:30])
	t.Logf("moderation queue:\n%s", screen)
	e.keys("a")
	e.waitFor("Approved: the group sees the post.", "Posts waiting for moderation · 2")
	if st := e.sql("SELECT status || ' ' || (SELECT handle FROM therapists WHERE id = decided_by) FROM group_posts WHERE id = '" + pending + "'"); st != "approved demo" {
		t.Fatalf("the post in the store: %q", st)
	}
	if n := e.sql("SELECT COUNT(*) FROM post_decisions WHERE post_id = '" + pending + "' AND action = 'approve'"); n != "1" {
		t.Fatalf("decisions recorded: %s", n)
	}

	// 2. The cohort view: send a group message.
	e.keys("Escape")
	e.waitFor("Needs you")
	e.keys("c")
	e.waitFor("Cohorts", "Kevätryhmä")
	e.keys("Enter")
	screen = e.waitFor("This week's module", "SYN-G0001")
	t.Logf("cohort:\n%s", screen)
	e.keys("w")
	msg := "Group e2e message " + time.Now().Format("150405")
	e.typeSlowly(msg)
	e.keys("C-s")
	e.waitFor("Sent to the 8 members of Kevätryhmä.")
	if n := e.sql("SELECT COUNT(*) FROM group_messages WHERE body = '" + msg + "'"); n != "1" {
		t.Fatalf("group message rows: %s", n)
	}

	// 3. A member's timeline in the workbench shows both.
	poster := e.sql("SELECT p.pseudonym FROM group_posts g JOIN patients p ON p.id = g.patient_id WHERE g.id = '" + pending + "'")
	e.keys("Escape")
	time.Sleep(150 * time.Millisecond)
	e.keys("Escape")
	e.waitFor("Needs you")
	for _, ps := range []string{poster, "SYN-G0008"} {
		e.keys("3")
		time.Sleep(150 * time.Millisecond)
		e.keys("/")
		e.typeSlowly(ps)
		e.keys("Enter")
		e.waitFor("/" + ps)
		e.keys("G") // risk patients stay pinned above the filtered one
		time.Sleep(300 * time.Millisecond)
		e.keys("Enter")
		e.waitFor(ps + " · week")
		e.keys("6")
		want := []string{"group msg", msg}
		if ps == poster {
			want = append(want, "group post", "(approved) "+pendingBody[:20])
		}
		screen = e.waitFor(want...)
		t.Logf("timeline of %s:\n%s", ps, screen)
		e.keys("Escape")
		time.Sleep(150 * time.Millisecond)
		e.keys("Escape")
		e.waitFor("Needs you")
		e.keys("Escape") // clear the filter
	}
	e.keys("q")
	e.waitExit()

	// 4. The portal API: every member reads the group message; every
	// member of the peer group reads the approved post.
	ctx := context.Background()
	db, err := store.Open(ctx, e.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := server.New(ctx, server.Config{DB: db, Rate: -1})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	get := func(tok, path string, v any) {
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	members := strings.Fields(e.sql("SELECT patient_id FROM cohort_members WHERE left_at IS NULL"))
	inGroup := map[string]bool{}
	for _, id := range strings.Fields(e.sql("SELECT patient_id FROM group_members WHERE left_at IS NULL")) {
		inGroup[id] = true
	}
	if len(members) != 8 || len(inGroup) != 5 {
		t.Fatalf("%d members, %d in the peer group", len(members), len(inGroup))
	}
	for _, id := range members {
		tok, _, err := server.CreatePatientToken(ctx, db, id, server.TokenOptions{Device: "e2e"})
		if err != nil {
			t.Fatal(err)
		}
		var ms api.GroupMessageList
		get(tok, "/v1/patient/group-messages", &ms)
		found := false
		for _, m := range ms.Messages {
			found = found || m.Body == msg
		}
		if !found {
			t.Errorf("member %s does not read the group message: %+v", id, ms)
		}
		var gl api.GroupList
		get(tok, "/v1/patient/groups", &gl)
		if !inGroup[id] {
			if len(gl.Groups) != 0 {
				t.Errorf("member %s outside the peer group sees %+v", id, gl)
			}
			continue
		}
		seen := false
		for _, p := range gl.Groups[0].Posts {
			seen = seen || p.ID == pending && p.Body == pendingBody
		}
		if !seen {
			t.Errorf("member %s does not see the approved post: %+v", id, gl.Groups[0].Posts)
		}
		rec, err := db.PatientRecord(ctx, store.System("e2e"), id, "")
		if err != nil || len(rec.GroupMessages) == 0 || rec.GroupMessages[len(rec.GroupMessages)-1].Body != msg {
			t.Errorf("member %s's record lacks the group message: %v", id, err)
		}
	}
}
