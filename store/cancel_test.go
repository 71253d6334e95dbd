package store_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/demo"
)

// Building a demo reports its progress, and cancelling it half-way writes
// nothing: the records go in one transaction that is rolled back.
func TestDemoProgressAndCancel(t *testing.T) {
	db := openStore(t, newClock())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last, total int
	_, err := demo.Generate(ctx, db, demo.Config{Seed: 1, Patients: 200, Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
		Progress: func(done, n int) {
			last, total = done, n
			if done == 100 {
				cancel()
			}
		}})
	if err == nil {
		t.Fatal("a cancelled demo build succeeded")
	}
	if last != 100 || total != 200 {
		t.Fatalf("progress stopped at %d of %d, want 100 of 200", last, total)
	}
	if ths, _ := db.Therapists(context.Background()); len(ths) != 0 {
		t.Fatalf("a cancelled demo left %d therapists", len(ths))
	}
	if v, _ := db.Meta(context.Background(), "demo"); v != "" {
		t.Fatalf("a cancelled demo is marked demo=%q", v)
	}
}

// cancelReader cancels its context once n bytes have been read.
type cancelReader struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if len(p) > 512 {
		p = p[:512]
	}
	k, err := c.r.Read(p)
	c.n -= k
	if c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// Cancelling an import half-way writes nothing.
func TestImportCancelWritesNothing(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 30; i++ {
		f.submit(t, strings.Repeat("text ", 40))
	}
	var exp bytes.Buffer
	f.db.Export(context.Background(), sys, &exp, store.ExportFilter{})
	other := openStore(t, newClock())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := other.Import(ctx, sys, &cancelReader{r: &exp, n: exp.Len() / 2, cancel: cancel}, false)
	if err == nil {
		t.Fatal("a cancelled import succeeded")
	}
	if seq, _ := other.LastSeq(context.Background()); seq != 0 {
		t.Fatalf("a cancelled import wrote %d change rows", seq)
	}
	if ths, _ := other.Therapists(context.Background()); len(ths) != 0 {
		t.Fatalf("a cancelled import left %d therapists", len(ths))
	}
}

// Export reports its progress against the number of records it will
// write, and a cancelled export logs no reads.
func TestExportProgressAndCancel(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	var calls, last, total int
	n, err := f.db.Export(context.Background(), sys, &buf, store.ExportFilter{Progress: func(done, t int) { calls++; last, total = done, t }})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != n || total != n {
		t.Fatalf("progress %d calls, last %d of %d; export wrote %d", calls, last, total, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before, _ := f.db.AuditLog(context.Background(), f.patient.ID)
	_, err = f.db.Export(ctx, f.actor, io.Discard, store.ExportFilter{Progress: func(done, _ int) {
		if done == 3 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("a cancelled export succeeded")
	}
	if after, _ := f.db.AuditLog(context.Background(), f.patient.ID); len(after) != len(before) {
		t.Fatalf("a cancelled export logged %d reads", len(after)-len(before))
	}
}
