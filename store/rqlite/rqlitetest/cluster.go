// Package rqlitetest starts rqlite clusters on loopback for tests and
// benchmarks, from an rqlited binary (POLKU_RQLITED).
package rqlitetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"polku/store/rqlite"
)

// Binary finds rqlited: $POLKU_RQLITED (the binary or its folder), else
// rqlited on PATH. "" when there is none.
func Binary() string {
	if p := os.Getenv("POLKU_RQLITED"); p != "" {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "rqlited")
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	p, _ := exec.LookPath("rqlited")
	return p
}

// Cluster is a set of rqlited nodes on loopback.
type Cluster struct {
	bin   string
	dir   string
	mu    sync.Mutex
	Nodes []*Node
	log   io.Writer
}

// Node is one rqlited process.
type Node struct {
	ID         string
	HTTP, Raft string
	Dir        string
	args       []string
	cmd        *exec.Cmd
	done       chan struct{}
}

// Start starts n nodes with their data under dir and waits until the
// cluster has a leader and every node is ready. Logs go to dir/ID.log.
func Start(bin, dir string, n int) (*Cluster, error) {
	c := &Cluster{bin: bin, dir: dir}
	var raft []string
	for i := 0; i < n; i++ {
		h, err := freeAddr()
		if err != nil {
			return nil, err
		}
		r, err := freeAddr()
		if err != nil {
			return nil, err
		}
		id := fmt.Sprintf("n%d", i+1)
		c.Nodes = append(c.Nodes, &Node{ID: id, HTTP: h, Raft: r, Dir: filepath.Join(dir, id)})
		raft = append(raft, r)
	}
	for _, nd := range c.Nodes {
		nd.args = []string{"-fk", "-node-id", nd.ID, "-http-addr", nd.HTTP, "-raft-addr", nd.Raft}
		if n > 1 {
			nd.args = append(nd.args, "-bootstrap-expect", fmt.Sprint(n), "-join", strings.Join(raft, ","))
		}
		nd.args = append(nd.args, nd.Dir)
		if err := c.start(nd); err != nil {
			c.Stop()
			return nil, err
		}
	}
	if err := c.WaitReady(60 * time.Second); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (c *Cluster) start(nd *Node) error {
	logf, err := os.OpenFile(filepath.Join(c.dir, nd.ID+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(c.bin, nd.args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start rqlited %s: %w", nd.ID, err)
	}
	nd.cmd = cmd
	nd.done = make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(nd.done)
	}()
	return nil
}

// Addr is the cluster as a store address: rqlite://h1,h2,h3.
func (c *Cluster) Addr() string {
	var hs []string
	for _, nd := range c.Nodes {
		hs = append(hs, nd.HTTP)
	}
	return "rqlite://" + strings.Join(hs, ",")
}

// WaitReady waits until every running node answers /readyz (which needs
// a leader).
func (c *Cluster) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for _, nd := range c.Nodes {
		if !nd.Running() {
			continue
		}
		for {
			resp, err := http.Get("http://" + nd.HTTP + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("rqlited %s is not ready after %s (see %s)", nd.ID, timeout, filepath.Join(c.dir, nd.ID+".log"))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

// Running says whether the node's process is alive.
func (nd *Node) Running() bool {
	if nd.done == nil {
		return false
	}
	select {
	case <-nd.done:
		return false
	default:
		return true
	}
}

// Kill kills node i with SIGKILL and waits for it to end.
func (c *Cluster) Kill(i int) {
	nd := c.Nodes[i]
	if nd.Running() {
		nd.cmd.Process.Kill()
		<-nd.done
	}
}

// Restart starts a killed node again on its data.
func (c *Cluster) Restart(i int) error {
	return c.start(c.Nodes[i])
}

// Leader is the index of the node that leads now (-1: none known).
func (c *Cluster) Leader() int {
	for _, nd := range c.Nodes {
		if !nd.Running() {
			continue
		}
		resp, err := http.Get("http://" + nd.HTTP + "/status")
		if err != nil {
			continue
		}
		var st struct {
			Store struct {
				Leader struct {
					NodeID string `json:"node_id"`
				} `json:"leader"`
			} `json:"store"`
		}
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil || st.Store.Leader.NodeID == "" {
			continue
		}
		for i, x := range c.Nodes {
			if x.ID == st.Store.Leader.NodeID {
				return i
			}
		}
	}
	return -1
}

// Stop kills every node.
func (c *Cluster) Stop() {
	for i := range c.Nodes {
		c.Kill(i)
	}
}

// Reset empties the cluster's database: every table, view and trigger
// dropped, the schema version 0, as a new cluster.
func Reset(ctx context.Context, addr string) error {
	cfg, err := rqlite.ParseURL(addr)
	if err != nil {
		return err
	}
	cl := rqlite.NewClient(cfg)
	res, err := cl.Request(ctx, "/db/query", "level=strong", []rqlite.Statement{{SQL: "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view') ORDER BY type = 'table', rowid DESC"}})
	if err != nil {
		return err
	}
	if len(res) != 1 || res[0].Error != "" {
		return fmt.Errorf("reset: list the schema: %v", res)
	}
	stmts := []rqlite.Statement{{SQL: "PRAGMA foreign_keys = OFF"}}
	for _, row := range res[0].Values {
		typ, _ := row[0].(string)
		name, _ := row[1].(string)
		stmts = append(stmts, rqlite.Statement{SQL: fmt.Sprintf("DROP %s IF EXISTS \"%s\"", strings.ToUpper(typ), strings.ReplaceAll(name, `"`, `""`))})
	}
	stmts = append(stmts, rqlite.Statement{SQL: "PRAGMA user_version = 0"}, rqlite.Statement{SQL: "PRAGMA foreign_keys = ON"})
	out, err := cl.Request(ctx, "/db/execute", "", stmts)
	if err != nil {
		return err
	}
	for i, r := range out {
		if r.Error != "" {
			return fmt.Errorf("reset: %s: %s", stmts[i].SQL, r.Error)
		}
	}
	return nil
}

// ErrNoBinary is returned by tests that need rqlited when there is none.
var ErrNoBinary = errors.New("no rqlited: set POLKU_RQLITED to an rqlited v8 binary (.ci/rqlited.sh builds one)")
