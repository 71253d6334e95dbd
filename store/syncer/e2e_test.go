package syncer_test

// End-to-end tests against real 'polku serve' processes on loopback, with
// the real CLI as the client, and the faults the sync must survive: kill
// -9 of the client mid-push and mid-pull, kill -9 of the server mid-push, a
// duplicated push, a client clock an hour off and a server restored from an
// older copy. After each: every feedback and message exists exactly once
// on both sides.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
	"polku/store/syncer"
	"polku/store/synctest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// polkuBin builds the polku command once per test binary.
func polkuBin(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "polku-e2e-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "polku")
		out, err := exec.Command("go", "build", "-o", binPath, "polku/cmd/polku").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// serveProc is a running 'polku serve'.
type serveProc struct {
	t    testing.TB
	db   string
	addr string
	args []string
	cmd  *exec.Cmd
	log  *synctest.Buffer // all runs' logs
	done chan struct{}
}

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServe(t testing.TB, dbPath string, args ...string) *serveProc {
	s := &serveProc{t: t, db: dbPath, addr: freeAddr(t), args: args, log: &synctest.Buffer{}}
	s.start()
	t.Cleanup(func() { s.kill() })
	return s
}

func (s *serveProc) url() string { return "http://" + s.addr }

func (s *serveProc) start(extra ...string) {
	s.t.Helper()
	args := append([]string{"--lang", "en", "serve", "--db", s.db, "--addr", s.addr, "--rate", "-1"}, s.args...) // the test reads the English start-up line
	args = append(args, extra...)
	cmd := exec.Command(polkuBin(s.t), args...)
	cmd.Stderr = s.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ok := false
		for sc.Scan() {
			if !ok && strings.Contains(sc.Text(), "polku serving") {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
		cmd.Wait()
		close(s.done)
	}()
	select {
	case ok := <-ready:
		if !ok {
			s.t.Fatalf("polku serve did not start:\n%s", s.log.String())
		}
	case <-time.After(20 * time.Second):
		s.t.Fatalf("polku serve did not start in time:\n%s", s.log.String())
	}
}

// stop ends the server with SIGTERM (a graceful shutdown).
func (s *serveProc) stop() {
	s.t.Helper()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.t.Fatalf("polku serve did not stop on SIGTERM")
	}
	s.cmd = nil
}

// kill ends the server with SIGKILL.
func (s *serveProc) kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// cli is one person's polku with their own config and data folders.
type cli struct {
	t    testing.TB
	home string
}

func newCLI(t testing.TB) *cli { return &cli{t: t, home: t.TempDir()} }

func (c *cli) command(stdin string, args ...string) *exec.Cmd {
	cmd := exec.Command(polkuBin(c.t), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "HOME="+c.home, "XDG_CONFIG_HOME="+filepath.Join(c.home, "config"),
		"XDG_DATA_HOME="+filepath.Join(c.home, "data"), "POLKU_DB=", "POLKU_SERVER=", "POLKU_AS=")
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}

// run runs polku and returns its output and exit code.
func (c *cli) run(stdin string, args ...string) (string, string, int) {
	c.t.Helper()
	cmd := c.command(stdin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func (c *cli) must(args ...string) string {
	c.t.Helper()
	out, errs, code := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("polku %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func (c *cli) login(t testing.TB, srv *serveProc, token string) {
	t.Helper()
	if out, errs, code := c.run(token+"\n", "login", "--server", srv.url()); code != 0 {
		t.Fatalf("login: %d %s %s", code, out, errs)
	}
}

func (c *cli) replicaPath() string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.home, "config", "polku", "login.json"))
	if err != nil {
		c.t.Fatal(err)
	}
	var l struct{ Replica string }
	json.Unmarshal(b, &l)
	return l.Replica
}

// withReplica opens the CLI's replica in this process (with the outbox
// hook) for local work, as the workbench would do it.
func (c *cli) withReplica(clock func() time.Time, fn func(db *store.DB)) {
	c.t.Helper()
	db, err := syncer.OpenReplica(context.Background(), c.replicaPath(), store.Options{Clock: clock})
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

// serverStore makes a server store file with synthetic therapists and
// patients, and a token for each account.
func serverStore(t testing.TB, spec synctest.Spec) (string, *synctest.Fixture, map[string]string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "server.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fx, err := synctest.Populate(ctx, db, spec)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, th := range append(append([]store.Therapist{}, fx.Therapists...), fx.Supervisor) {
		if th.ID == "" {
			continue
		}
		tok, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "device-" + th.Handle})
		if err != nil {
			t.Fatal(err)
		}
		tokens[th.Handle] = tok
	}
	return path, fx, tokens
}

func openRO(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func ids(t testing.TB, db *store.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Reader().Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// checkSame asserts that a therapist's replica and the server hold the
// same feedback and messages for the therapist's patients, and that every
// body in bodies exists exactly once on each side.
func checkSame(t testing.TB, serverPath, replicaPath, therapistID string, bodies []string) {
	t.Helper()
	srv := openRO(t, serverPath)
	defer srv.Close()
	rep := openRO(t, replicaPath)
	defer rep.Close()
	for _, table := range []string{"feedback", "messages"} {
		want := ids(t, srv, "SELECT id FROM "+table+" WHERE patient_id IN (SELECT patient_id FROM enrollments WHERE therapist_id = ?)", therapistID)
		got := ids(t, rep, "SELECT id FROM "+table)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			t.Fatalf("%s differ: server has %d for the therapist, replica %d", table, len(want), len(got))
		}
	}
	for _, b := range bodies {
		for side, db := range map[string]*store.DB{"server": srv, "replica": rep} {
			var n int
			db.Reader().QueryRow("SELECT (SELECT COUNT(*) FROM feedback WHERE body = ?1) + (SELECT COUNT(*) FROM messages WHERE body = ?1)", b).Scan(&n)
			if n != 1 {
				t.Fatalf("%q exists %d times on the %s", b, n, side)
			}
		}
	}
}

// feedbackHead is the newest feedback on a submission ("" for none): new
// feedback on it is a correction that supersedes it.
func feedbackHead(t testing.TB, db *store.DB, submissionID string) string {
	t.Helper()
	var head string
	err := db.Reader().QueryRow(`SELECT id FROM feedback WHERE submission_id = ?1
		AND id NOT IN (SELECT supersedes FROM feedback WHERE submission_id = ?1) ORDER BY sent_at DESC, id DESC LIMIT 1`, submissionID).Scan(&head)
	if err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	return head
}

// writeFeedback sends n feedback on the therapist's patients' submissions
// in the replica and returns their bodies.
func writeFeedback(t testing.TB, db *store.DB, fx *synctest.Fixture, th store.Therapist, tag string, n int) []string {
	t.Helper()
	ctx := context.Background()
	actor := store.ActorFor(th, "test")
	var bodies []string
	pats := fx.Patients[th.ID]
	for i := range n {
		p := pats[i%len(pats)]
		subs := fx.Submissions[p.ID]
		s := subs[i%len(subs)]
		body := fmt.Sprintf("feedback %s #%d", tag, i)
		if _, err := db.SendFeedback(ctx, actor, store.Feedback{SubmissionID: s.ID, EnrollmentID: s.EnrollmentID, PatientID: p.ID, Body: body,
			Supersedes: feedbackHead(t, db, s.ID)}, ""); err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	return bodies
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts polku serve")
	}
	ctx := context.Background()
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 2, PatientsPer: 3, Weeks: 3, Supervisor: true})
	srv := startServe(t, path)
	anna, ben := fx.Therapists[0], fx.Therapists[1]
	a, b, sup := newCLI(t), newCLI(t), newCLI(t)
	a.login(t, srv, tokens[anna.Handle])
	b.login(t, srv, tokens[ben.Handle])
	sup.login(t, srv, tokens[fx.Supervisor.Handle])
	for _, c := range []*cli{a, b, sup} {
		c.must("sync")
	}
	// The login (with its token) is private to the user.
	if fi, err := os.Stat(filepath.Join(a.home, "config", "polku", "login.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("login.json: %v %v", fi.Mode(), err)
	}
	if !strings.HasPrefix(a.replicaPath(), filepath.Join(a.home, "data", "polku")) {
		t.Fatalf("replica outside the data dir: %s", a.replicaPath())
	}

	// Offline: the server is down while anna writes feedback.
	srv.stop()
	var bodies []string
	a.withReplica(nil, func(db *store.DB) { bodies = writeFeedback(t, db, fx, anna, "offline", 2) })
	if _, errs, code := a.run("", "sync"); code != 1 || !strings.Contains(errs, "cannot reach") || !strings.Contains(errs, "is `polku serve` running there?") {
		t.Fatalf("sync while the server is down: exit %d, %s", code, errs)
	}
	out := a.must("sync", "status")
	if !strings.Contains(out, "2 pending") {
		t.Fatalf("status offline: %s", out)
	}
	srv.start()
	out = a.must("sync")
	if !strings.Contains(out, "pushed 2 ops") {
		t.Fatalf("sync after coming back: %s", out)
	}
	checkSame(t, path, a.replicaPath(), anna.ID, bodies)

	// The patient sees the feedback, reads it and answers.
	p := fx.Patients[anna.ID][0]
	ptoken := strings.TrimSpace(lastLine(a.mustDB(path, "tokens", "create", "--patient", p.Pseudonym)))
	pc := patientClient(t, srv.url(), ptoken)
	// Making a portal token on the store is in the patient's audit log.
	sdb := openRO(t, path)
	if n := count(t, sdb, "SELECT COUNT(*) FROM audit WHERE patient_id = ? AND action = 'portal-token' AND actor_id LIKE 'os:%'", p.ID); n != 1 {
		t.Fatalf("audit rows of the portal token made on the store: %d", n)
	}
	sdb.Close()
	list, err := pc.Feedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var fbID string
	for _, f := range list {
		if f.Body == bodies[0] {
			fbID = f.ID
		}
	}
	if fbID == "" {
		t.Fatalf("the patient does not see the offline feedback")
	}
	if err := pc.MarkFeedbackRead(ctx, "read-1", fbID); err != nil {
		t.Fatal(err)
	}
	reply := "patient reply " + fmt.Sprint(time.Now().UnixNano())
	if _, err := pc.Message(ctx, "msg-1", apiMessage(reply)); err != nil {
		t.Fatal(err)
	}
	// The same request again (a retry) changes nothing.
	if c, err := pc.Message(ctx, "msg-1", apiMessage(reply)); err != nil || c.Status != "duplicate" {
		t.Fatalf("repeated message: %+v %v", c, err)
	}
	a.must("sync")
	b.must("sync")
	sup.must("sync")
	checkSame(t, path, a.replicaPath(), anna.ID, append(bodies, reply))
	// The read time came along; ben has none of anna's patients; the
	// supervisor reads the whole team.
	rep := openRO(t, a.replicaPath())
	var readAt *string
	rep.Reader().QueryRow("SELECT read_at FROM feedback WHERE id = ?", fbID).Scan(&readAt)
	rep.Close()
	if readAt == nil {
		t.Fatalf("read time not pulled")
	}
	brep := openRO(t, b.replicaPath())
	if n := count(t, brep, "SELECT COUNT(*) FROM patients WHERE id = ?", p.ID); n != 0 {
		t.Fatalf("ben has anna's patient")
	}
	brep.Close()
	srep := openRO(t, sup.replicaPath())
	if n := count(t, srep, "SELECT COUNT(*) FROM messages WHERE body = ?", reply); n != 1 {
		t.Fatalf("supervisor has the reply %d times", n)
	}
	if n := count(t, srep, "SELECT COUNT(*) FROM patients"); n != 6 {
		t.Fatalf("supervisor sees %d patients, want 6", n)
	}
	srep.Close()

	// Simulated patients work through the server; their work arrives in
	// the replicas at the next sync, and no patient text is printed.
	out = a.must("--server", srv.url(), "--db", path, "simulate", "--every", "1ms", "--count", "12", "--seed", "3")
	if !strings.Contains(out, "12 actions done, 0 failed") {
		t.Fatalf("simulate: %s", out)
	}
	sdb = openRO(t, path)
	mine := count(t, sdb, "SELECT COUNT(*) FROM changes WHERE actor_id LIKE 'patient:%' AND patient_id IN (SELECT patient_id FROM enrollments WHERE therapist_id = ?)", anna.ID)
	sdb.Close()
	out = a.must("sync")
	if mine > 0 && !strings.Contains(out, "pulled") {
		t.Fatalf("sync after simulate: %s", out)
	}
	checkSame(t, path, a.replicaPath(), anna.ID, nil)
	if strings.Contains(a.must("--db", path, "simulate", "--every", "1ms", "--count", "3"), "3 actions done") == false {
		t.Fatalf("simulate into a local store failed")
	}
	// Through the server alone, with an admin token: the server lists the
	// synthetic patients and makes (and at the end revokes) portal tokens.
	a.mustDB(path, "therapists", "add", "admin", "--name", "Admin", "--role", "admin")
	admin := strings.TrimSpace(lastLine(a.mustDB(path, "tokens", "create", "--therapist", "admin")))
	sim := newCLI(t)
	if out := sim.must("--server", srv.url(), "simulate", "--token", admin, "--every", "1ms", "--count", "4"); !strings.Contains(out, "4 actions done, 0 failed") {
		t.Fatalf("simulate through the server: %s", out)
	}
	// A therapist's token plays the therapist's own synthetic patients.
	if out := sim.must("--server", srv.url(), "simulate", "--token", tokens[anna.Handle], "--every", "1ms", "--count", "1"); !strings.Contains(out, "1 action done, 0 failed") {
		t.Fatalf("simulate with a therapist token: %s", out)
	}
	var toks []server.TokenInfo
	if err := json.Unmarshal([]byte(a.mustDB(path, "tokens", "list", "-o", "json")), &toks); err != nil {
		t.Fatal(err)
	}
	for _, ti := range toks {
		if ti.Device == "simulate" && ti.RevokedAt == nil {
			t.Fatalf("simulate left a portal token behind: %+v", ti)
		}
	}

	// Revoked tokens stop working at once.
	a.mustDB(path, "tokens", "revoke", "--therapist", anna.Handle)
	if _, errs, code := a.run("", "sync"); code != 1 || !strings.Contains(errs, "401") {
		t.Fatalf("sync with a revoked token: %d %s", code, errs)
	}
	// The server's log has requests but no patient text.
	srv.stop()
	log := srv.log.String()
	if !strings.Contains(log, `"route":"POST /v1/ops"`) {
		t.Fatalf("no request log:\n%s", log)
	}
	for _, s := range append(bodies, reply, p.DisplayName) {
		if strings.Contains(log, s) {
			t.Fatalf("patient text %q in the server log", s)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func (c *cli) mustDB(db string, args ...string) string {
	c.t.Helper()
	return c.must(append([]string{"--db", db}, args...)...)
}

func TestServeRefusesPlainHTTPOffLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("runs polku serve")
	}
	path, _, _ := serverStore(t, synctest.Spec{Therapists: 1, PatientsPer: 1, Weeks: 1})
	c := newCLI(t)
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":0", "192.0.2.1:7420"} {
		out, errs, code := c.run("", "serve", "--db", path, "--addr", addr)
		if code != 2 || !strings.Contains(errs, "loopback") {
			t.Fatalf("serve --addr %s: exit %d, %s%s", addr, code, out, errs)
		}
	}
}

// killAfter starts polku sync and kills it with SIGKILL after d (if it is
// still running).
func (c *cli) killAfter(d time.Duration) {
	c.t.Helper()
	cmd := c.command("", "sync")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	time.Sleep(d)
	cmd.Process.Kill()
	cmd.Wait()
}

// killUntilDone kills 'polku sync' at growing delays until progress()
// reports done, and returns how many kills left the work half done (the
// point of the test: some kills must land mid-way).
func killUntilDone(t *testing.T, kill func(d time.Duration), progress func() (done, partial bool)) int {
	t.Helper()
	hits := 0
	// Small steps: a whole sync can take less than the gap between two
	// delays growing by half, and no kill would land mid-way.
	for d := 10 * time.Millisecond; d < 5*time.Second; d = d * 6 / 5 {
		kill(d)
		done, partial := progress()
		if partial {
			hits++
		}
		if done {
			break
		}
	}
	return hits
}

func TestFaultClientKilledMidPushAndMidPull(t *testing.T) {
	if testing.Short() {
		t.Skip("starts polku serve")
	}
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 2, PatientsPer: 10, Weeks: 6})
	srv := startServe(t, path, "--page-size", "40")
	th := fx.Therapists[0]
	c := newCLI(t)
	c.login(t, srv, tokens[th.Handle])
	sdb := openRO(t, path)
	total := count(t, sdb, "SELECT COUNT(*) FROM feedback WHERE therapist_id = ?", th.ID)
	sdb.Close()

	// Mid-pull: the first sync is ~20 pages of 40 records.
	hits := killUntilDone(t, c.killAfter, func() (bool, bool) {
		rep, err := store.Open(context.Background(), c.replicaPath(), store.Options{ReadOnly: true})
		if err != nil {
			return false, false // not even migrated yet
		}
		defer rep.Close()
		n := count(t, rep, "SELECT COUNT(*) FROM feedback")
		return n == total, n > 0 && n < total
	})
	t.Logf("mid-pull kills: %d", hits)
	if hits == 0 {
		t.Fatalf("no kill landed mid-pull")
	}
	c.must("sync")
	checkSame(t, path, c.replicaPath(), th.ID, nil)

	// Mid-push: 400 ops in batches of 100.
	const n = 400
	var bodies []string
	c.withReplica(nil, func(db *store.DB) { bodies = writeFeedback(t, db, fx, th, "kill", n) })
	hits = killUntilDone(t, c.killAfter, func() (bool, bool) {
		rep := openRO(t, c.replicaPath())
		defer rep.Close()
		pending := count(t, rep, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
		return pending == 0, pending > 0 && pending < n
	})
	t.Logf("mid-push kills: %d", hits)
	if hits == 0 {
		t.Fatalf("no kill landed mid-push")
	}
	c.must("sync")
	out := c.must("sync", "status")
	if !strings.Contains(out, "0 pending, 0 refused") {
		t.Fatalf("after the kills: %s", out)
	}
	checkSame(t, path, c.replicaPath(), th.ID, bodies)
}

func TestFaultServerKilledMidPush(t *testing.T) {
	if testing.Short() {
		t.Skip("starts polku serve")
	}
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 1, PatientsPer: 6, Weeks: 3})
	srv := startServe(t, path)
	th := fx.Therapists[0]
	c := newCLI(t)
	c.login(t, srv, tokens[th.Handle])
	c.must("sync")
	const n = 600
	var bodies []string
	c.withReplica(nil, func(db *store.DB) { bodies = writeFeedback(t, db, fx, th, "server-kill", n) })
	hits := killUntilDone(t, func(d time.Duration) {
		cmd := c.command("", "sync")
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(d)
		srv.kill()
		cmd.Wait()
		srv.start()
	}, func() (bool, bool) {
		sdb := openRO(t, path)
		defer sdb.Close()
		m := count(t, sdb, "SELECT COUNT(*) FROM feedback WHERE body LIKE 'feedback server-kill #%'")
		return m == n, m > 0 && m < n
	})
	t.Logf("server kills mid-push: %d", hits)
	if hits == 0 {
		t.Fatalf("no kill landed mid-push")
	}
	c.must("sync")
	checkSame(t, path, c.replicaPath(), th.ID, bodies)
}

func TestFaultClockAnHourOff(t *testing.T) {
	if testing.Short() {
		t.Skip("starts polku serve")
	}
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 2, PatientsPer: 3, Weeks: 2})
	srv := startServe(t, path)
	ahead, behind := newCLI(t), newCLI(t)
	ahead.login(t, srv, tokens[fx.Therapists[0].Handle])
	behind.login(t, srv, tokens[fx.Therapists[1].Handle])
	ahead.must("sync")
	behind.must("sync")
	var b1, b2 []string
	ahead.withReplica(func() time.Time { return time.Now().Add(time.Hour) }, func(db *store.DB) {
		b1 = writeFeedback(t, db, fx, fx.Therapists[0], "ahead", 3)
	})
	behind.withReplica(func() time.Time { return time.Now().Add(-time.Hour) }, func(db *store.DB) {
		b2 = writeFeedback(t, db, fx, fx.Therapists[1], "behind", 3)
	})
	behind.must("sync")
	ahead.must("sync")
	// The patient writes after both; the server orders by its own
	// sequence, so both replicas get it whatever their clocks say.
	p := fx.Patients[fx.Therapists[0].ID][0]
	pc := patientClient(t, srv.url(), strings.TrimSpace(lastLine(ahead.mustDB(path, "tokens", "create", "--patient", p.ID))))
	if _, err := pc.Message(context.Background(), "", apiMessage("after the clocks")); err != nil {
		t.Fatal(err)
	}
	ahead.must("sync")
	behind.must("sync")
	checkSame(t, path, ahead.replicaPath(), fx.Therapists[0].ID, append(b1, "after the clocks"))
	checkSame(t, path, behind.replicaPath(), fx.Therapists[1].ID, b2)
}

func TestFaultServerRestoredFromOlderCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("starts polku serve")
	}
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 1, PatientsPer: 4, Weeks: 3})
	srv := startServe(t, path)
	th := fx.Therapists[0]
	c := newCLI(t)
	c.login(t, srv, tokens[th.Handle])
	c.must("sync")
	var before []string
	c.withReplica(nil, func(db *store.DB) { before = writeFeedback(t, db, fx, th, "before-backup", 3) })
	c.must("sync")

	// A backup, taken with the server stopped.
	srv.stop()
	backup := filepath.Join(t.TempDir(), "backup.db")
	copyStore(t, path, backup)
	srv.start()

	// Work after the backup: the therapist's feedback (pushed and
	// acknowledged) and a patient's message (pulled to the replica).
	var after []string
	c.withReplica(nil, func(db *store.DB) { after = writeFeedback(t, db, fx, th, "after-backup", 4) })
	p := fx.Patients[th.ID][0]
	pc := patientClient(t, srv.url(), strings.TrimSpace(lastLine(c.mustDB(path, "tokens", "create", "--patient", p.ID))))
	if _, err := pc.Message(context.Background(), "", apiMessage("lost in the restore")); err != nil {
		t.Fatal(err)
	}
	c.must("sync")

	// The server is restored from the backup and announces a new epoch.
	srv.stop()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	copyStore(t, backup, path)
	srv.start("--new-epoch")
	out := c.must("sync")
	if !strings.Contains(out, "new epoch") {
		t.Fatalf("resync not reported: %s", out)
	}
	// The therapist's work is back on the server exactly once. The
	// patient's message the server lost is not among the replica's records
	// (they mirror the server) but is not dropped either: it is kept aside
	// with the refused ops, with its text, where the therapist sees it.
	if !strings.Contains(out, "no longer has 1 record you had: kept aside") {
		t.Fatalf("the kept-aside message is not reported: %s", out)
	}
	checkSame(t, path, c.replicaPath(), th.ID, append(before, after...))
	rep := openRO(t, c.replicaPath())
	if n := count(t, rep, "SELECT COUNT(*) FROM messages WHERE body = 'lost in the restore'"); n != 0 {
		t.Fatalf("the replica shows a message the restored server does not have")
	}
	rep.Close()
	status := c.must("sync", "status")
	if !strings.Contains(status, "1 refused") || !strings.Contains(status, "| lost in the restore") || !strings.Contains(status, "restored from a backup") {
		t.Fatalf("sync status does not show the kept-aside message:\n%s", status)
	}
	// Another round moves nothing.
	if out := c.must("sync"); !strings.Contains(out, "pushed 0 ops, pulled 0 records") {
		t.Fatalf("round after the resync: %s", out)
	}
}

// copyStore copies a store file (and its WAL) while nothing writes to it.
func copyStore(t testing.TB, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
