package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"polku/store"
	"polku/store/rqlite/rqlitetest"
)

// The server's tests run on the embedded store, or with
// POLKU_TEST_STORE=rqlite on an rqlite cluster: POLKU_RQLITE_ADDR names
// a running one (rqlite://h1:4001,...), else the tests start one on
// loopback from POLKU_RQLITED (POLKU_RQLITE_NODES nodes, default 1). The
// cluster is emptied before each store the tests open, so the tests that
// open a store run one at a time.

var testCluster struct {
	addr string
	mu   sync.Mutex
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv("POLKU_TEST_STORE") != "rqlite" {
		return m.Run()
	}
	if addr := os.Getenv("POLKU_RQLITE_ADDR"); addr != "" {
		testCluster.addr = addr
		return m.Run()
	}
	bin := rqlitetest.Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "FAIL: POLKU_TEST_STORE=rqlite:", rqlitetest.ErrNoBinary)
			return 1
		}
		fmt.Fprintln(os.Stderr, "SKIP: POLKU_TEST_STORE=rqlite:", rqlitetest.ErrNoBinary)
		return 0
	}
	nodes := 1
	if n, err := strconv.Atoi(os.Getenv("POLKU_RQLITE_NODES")); err == nil && n > 0 {
		nodes = n
	}
	dir, err := os.MkdirTemp("", "polku-rqlite-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	c, err := rqlitetest.Start(bin, dir, nodes)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Stop()
	testCluster.addr = c.Addr()
	return m.Run()
}

// onCluster says whether the tests run on an rqlite cluster.
func onCluster() bool { return testCluster.addr != "" }

// openStore opens a new, empty store for a test: a file named name in a
// temporary folder, or the test cluster emptied (held by the test until
// it ends).
func openStore(tb testing.TB, name string, opts store.Options) *store.DB {
	tb.Helper()
	ctx := context.Background()
	opts.Create = true
	if !onCluster() {
		db, err := store.Open(ctx, filepath.Join(tb.TempDir(), name), opts)
		if err != nil {
			tb.Fatal(err)
		}
		return db
	}
	testCluster.mu.Lock()
	tb.Cleanup(testCluster.mu.Unlock)
	if err := rqlitetest.Reset(ctx, testCluster.addr); err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(ctx, testCluster.addr, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// fileOnly skips a test of the embedded store's file on a cluster.
func fileOnly(tb testing.TB) {
	tb.Helper()
	if onCluster() {
		tb.Skip("a test of the embedded store's file")
	}
}
