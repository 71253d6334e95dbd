package syncer_test

// The restore drill with Litestream, for real: 'polku serve' on a store
// that 'litestream replicate' copies to a file replica while therapists'
// replicas push feedback; the machine is lost (kill -9 of both, the store's
// files deleted); 'litestream restore' brings the store back, 'polku
// restore' installs it (a new epoch), serve starts, the replicas sync. It
// runs when POLKU_LITESTREAM=1, with litestream on PATH or at
// POLKU_LITESTREAM_BIN (the binary or its folder); .ci/run does that.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"polku/store"
	"polku/store/synctest"
)

func litestreamBin(t *testing.T) string {
	t.Helper()
	if os.Getenv("POLKU_LITESTREAM") != "1" {
		t.Skip("the Litestream drill runs with POLKU_LITESTREAM=1 (litestream on PATH or POLKU_LITESTREAM_BIN)")
	}
	if p := os.Getenv("POLKU_LITESTREAM_BIN"); p != "" {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "litestream")
		}
		return p
	}
	p, err := exec.LookPath("litestream")
	if err != nil {
		t.Fatalf("POLKU_LITESTREAM=1 but no litestream on PATH: install it (go install github.com/benbjohnson/litestream/cmd/litestream@v0.5.18) or set POLKU_LITESTREAM_BIN")
	}
	return p
}

// litestreamSyncInterval is the replica's sync interval in the drill (and
// the default of Litestream v0.5).
const litestreamSyncInterval = time.Second

// round is one 'polku sync' of a therapist's replica after writing bodies.
type round struct {
	start, end time.Time
	bodies     []string
	acked      bool // the sync finished (exit 0): the server acknowledged the push
}

func TestLitestreamDrill(t *testing.T) {
	ls := litestreamBin(t)
	dir := t.TempDir()
	path, fx, tokens := serverStore(t, synctest.Spec{Therapists: 2, PatientsPer: 3, Weeks: 2})
	replicaDir := filepath.Join(dir, "replica")
	cfg := filepath.Join(dir, "litestream.yml")
	conf := fmt.Sprintf("dbs:\n  - path: %s\n    replica:\n      type: file\n      path: %s\n      sync-interval: %s\n", path, replicaDir, litestreamSyncInterval)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}

	srv := startServe(t, path)
	lsLog := &synctest.Buffer{}
	lsCmd := exec.Command(ls, "replicate", "-config", cfg)
	lsCmd.Stdout, lsCmd.Stderr = lsLog, lsLog
	if err := lsCmd.Start(); err != nil {
		t.Fatal(err)
	}
	lsDone := make(chan struct{})
	go func() { lsCmd.Wait(); close(lsDone) }()
	t.Cleanup(func() { lsCmd.Process.Kill(); <-lsDone })
	waitFor(t, 20*time.Second, "litestream's first snapshot", func() bool {
		return strings.Contains(lsLog.String(), "snapshot complete")
	})
	if !store.LitestreamReplicates(path) {
		t.Fatalf("no Litestream folder beside the store")
	}

	// Therapists write and sync, without pause, until the machine is lost.
	clients := make([]*cli, len(fx.Therapists))
	for i, th := range fx.Therapists {
		clients[i] = newCLI(t)
		clients[i].login(t, srv, tokens[th.Handle])
		clients[i].must("sync")
	}
	var mu sync.Mutex
	var rounds []round
	written := map[string][]string{} // therapist id: every body written
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, th := range fx.Therapists {
		c := clients[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; ; r++ {
				select {
				case <-stop:
					return
				default:
				}
				var bodies []string
				c.withReplica(nil, func(db *store.DB) { bodies = writeFeedback(t, db, fx, th, fmt.Sprintf("%s-r%d", th.Handle, r), 3) })
				start := time.Now()
				cmd := c.command("", "sync")
				cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
				err := cmd.Run()
				mu.Lock()
				rounds = append(rounds, round{start: start, end: time.Now(), bodies: bodies, acked: err == nil})
				written[th.ID] = append(written[th.ID], bodies...)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(6 * time.Second)

	// The machine is lost: both processes die at once, the disk with them.
	close(stop)
	killedAt := time.Now()
	lsCmd.Process.Kill()
	<-lsDone
	srv.kill()
	wg.Wait()
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(path + s)
	}

	// litestream restore, then polku restore (checks it, marks a new epoch).
	restored := filepath.Join(dir, "from-litestream.db")
	t0 := time.Now()
	if out, err := exec.Command(ls, "restore", "-config", cfg, "-o", restored, path).CombinedOutput(); err != nil {
		t.Fatalf("litestream restore: %v\n%s", err, out)
	}
	restoreTook := time.Since(t0)
	rdb := openRO(t, restored)
	present := map[string]int{}
	for _, b := range ids(t, rdb, "SELECT body FROM feedback WHERE body LIKE 'feedback %-r%'") {
		present[b]++
	}
	restoredHead, _ := rdb.LastSeq(t.Context())
	rdb.Close()

	// Every op acknowledged before the last replicated op was even sent
	// is there: the replica is a prefix of the server's commits.
	var lastReplicatedSent, lastReplicatedAck time.Time
	for _, r := range rounds {
		for _, b := range r.bodies {
			if present[b] > 0 && r.start.After(lastReplicatedSent) {
				lastReplicatedSent = r.start
			}
			if present[b] > 0 && r.acked && r.end.After(lastReplicatedAck) {
				lastReplicatedAck = r.end
			}
		}
	}
	var acked, ackedThere, ackedLost, unacked, total int
	firstLostAck := killedAt
	for _, r := range rounds {
		for _, b := range r.bodies {
			total++
			if present[b] > 1 {
				t.Errorf("%q is in the restored store %d times", b, present[b])
			}
			if !r.acked {
				unacked++
				continue
			}
			acked++
			if present[b] > 0 {
				ackedThere++
				continue
			}
			ackedLost++
			if r.end.Before(firstLostAck) {
				firstLostAck = r.end
			}
			if r.end.Before(lastReplicatedSent) {
				t.Errorf("%q was acknowledged at %s, before a replicated op was sent (%s), and is not in the restored store",
					b, r.end.Format("15:04:05.000"), lastReplicatedSent.Format("15:04:05.000"))
			}
		}
	}
	if ackedThere == 0 {
		t.Fatalf("nothing written during the drill was replicated:\n%s", lsLog.String())
	}

	newPath := filepath.Join(t.TempDir(), "server.db")
	admin := newCLI(t)
	out := admin.must("restore", restored, "--db", newPath)
	if !strings.Contains(out, "new epoch") {
		t.Fatalf("polku restore: %s", out)
	}
	maddr := freeAddr(t)
	srv2 := &serveProc{t: t, db: newPath, addr: srv.addr, args: []string{"--metrics-addr", maddr}, log: &synctest.Buffer{}}
	srv2.start()
	t.Cleanup(srv2.kill)
	if !strings.Contains(srv2.log.String(), `"reason":"restored from from-litestream.db`) {
		t.Fatalf("serve did not announce a new epoch after the restore:\n%s", srv2.log.String())
	}

	// The replicas push again what the restore lost; everything written
	// (acknowledged or cut off by the kill) is on the server exactly once.
	for i, th := range fx.Therapists {
		out := clients[i].must("sync")
		if !strings.Contains(out, "new epoch") {
			t.Fatalf("sync after the restore: %s", out)
		}
		clients[i].must("sync")
		checkSame(t, newPath, clients[i].replicaPath(), th.ID, written[th.ID])
	}
	sdb := openRO(t, newPath)
	after := count(t, sdb, "SELECT COUNT(*) FROM feedback WHERE body LIKE 'feedback %-r%'")
	sdb.Close()
	if after != total {
		t.Fatalf("after the replicas synced the server has %d of the %d feedback written", after, total)
	}
	pushedAgain := after - len(present)

	// The restarted server's health and metrics.
	resp, err := http.Get("http://" + maddr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Status, Epoch string }
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Status != "ok" || h.Epoch == "" {
		t.Fatalf("healthz after the restore: %+v", h)
	}
	resp, err = http.Get("http://" + maddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	mtext, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	applied := metricValue(string(mtext), `polku_ops_total{source="push",status="applied"}`)
	dups := metricValue(string(mtext), `polku_ops_total{source="push",status="duplicate"}`)
	if int(applied) < pushedAgain {
		t.Fatalf("metrics count %v applied ops, the replicas pushed %d again", applied, pushedAgain)
	}

	t.Logf("drill: Litestream %s, file replica, sync-interval %s", lsVersion(ls), litestreamSyncInterval)
	t.Logf("drill: %d sync rounds in %.1f s; %d feedback written, %d acknowledged, %d cut off by the kill (not acknowledged)",
		len(rounds), killedAt.Sub(rounds[0].start).Seconds(), total, acked, unacked)
	t.Logf("drill: restored head %d; %d acknowledged ops in the replica, %d acknowledged and not replicated at the kill (acknowledged in its last %d ms); the last replicated op was acknowledged %d ms before the kill",
		restoredHead, ackedThere, ackedLost, killedAt.Sub(firstLostAck).Milliseconds(), killedAt.Sub(lastReplicatedAck).Milliseconds())
	t.Logf("drill: litestream restore took %d ms; after the restore the replicas pushed %d lost ops again (server: %v applied, %v duplicates); %d of %d feedback on the server, each once",
		restoreTook.Milliseconds(), pushedAgain, applied, dups, after, total)
}

func lsVersion(bin string) string {
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

func metricValue(text, sample string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("no %s after %s", what, d)
}
