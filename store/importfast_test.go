package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openInternal(t *testing.T) *DB {
	t.Helper()
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "polku.db"), Options{Clock: func() time.Time { return now }, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// storedRecords recognises every line of an export as stored, in the
// export's order and out of it, and nothing else: not a changed line, not
// a record the store does not have.
func TestStoredRecordsMatchesExactlyTheStoredLines(t *testing.T) {
	ctx := context.Background()
	db := openInternal(t)
	sys := System("test")
	if _, err := db.AddTherapist(ctx, sys, Therapist{Handle: "anna", Name: "Anna Virtanen", Role: RoleTherapist, Team: "south", Languages: []string{"fi"}, Capacity: 10}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := db.AddPatient(ctx, sys, Patient{Pseudonym: fmt.Sprintf("P-%04d", i), DisplayName: "Patient " + strings.Repeat("x", i), BirthDate: "1990-05-01", Language: "fi"}); err != nil {
			t.Fatal(err)
		}
	}
	var exp bytes.Buffer
	if _, err := db.Export(ctx, sys, &exp, ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(exp.String()), "\n")
	check := func(name string, lines []string, want func(i int, line string) bool) {
		t.Helper()
		s, err := db.storedRecords(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer s.close()
		for i, l := range lines {
			got, err := s.same([]byte(l))
			if err != nil {
				t.Fatal(err)
			}
			if got != want(i, l) {
				t.Fatalf("%s: line %d %.80s: same %v", name, i, l, got)
			}
		}
	}
	stored := func(_ int, l string) bool { return !strings.HasPrefix(l, `{"type":"setting"`) }
	check("in order", lines, stored)
	reversed := make([]string, len(lines))
	for i, l := range lines {
		reversed[len(lines)-1-i] = l
	}
	check("reversed", reversed, stored)
	changed := make([]string, len(lines))
	for i, l := range lines {
		changed[i] = l
		if strings.HasPrefix(l, `{"type":"patient"`) && i%2 == 0 {
			changed[i] = strings.Replace(l, `"language":"fi"`, `"language":"sv"`, 1)
		}
		if strings.HasPrefix(l, `{"type":"therapist"`) {
			changed[i] = strings.Replace(l, `"id":"`, `"id":"0`, 1) // not stored
		}
	}
	check("changed", changed, func(i int, l string) bool { return stored(i, l) && l == lines[i] })
	if changed[len(changed)-1] == lines[len(lines)-1] && strings.Count(strings.Join(changed, "\n"), `"sv"`) == 0 {
		t.Fatal("nothing was changed")
	}
}

// A re-import of an export finds every line stored; one changed record in
// it is still refused, and nothing is written.
func TestReimportOfAnExport(t *testing.T) {
	ctx := context.Background()
	db := openInternal(t)
	sys := System("test")
	for i := 0; i < 3; i++ {
		if _, err := db.AddPatient(ctx, sys, Patient{Pseudonym: fmt.Sprintf("P-%04d", i), DisplayName: "Patient", BirthDate: "1990-05-01", Language: "fi"}); err != nil {
			t.Fatal(err)
		}
	}
	var exp bytes.Buffer
	if _, err := db.Export(ctx, sys, &exp, ExportFilter{Types: map[string]bool{"patient": true}}); err != nil {
		t.Fatal(err)
	}
	sum, err := db.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false)
	if err != nil || sum.Lines != 3 || sum.Unchanged != 3 || len(sum.Added) != 0 {
		t.Fatalf("re-import: %+v, %v", sum, err)
	}
	bad := strings.Replace(exp.String(), `"display_name":"Patient"`, `"display_name":"Someone else"`, 1)
	if _, err := db.Import(ctx, sys, strings.NewReader(bad), false); err == nil || !strings.Contains(err.Error(), "different content") {
		t.Fatalf("a changed record: %v", err)
	}
}

// A therapist's and a supervisor's listings start from their enrollments
// (an index), not from every patient of the store.
func TestPatientListingReadsTheCaseloadOnly(t *testing.T) {
	db := openInternal(t)
	for _, actor := range []Actor{
		{ID: "t1", Handle: "anna", Role: RoleTherapist, Team: "south"},
		{ID: "s1", Handle: "sam", Role: RoleSupervisor, Team: "south"},
	} {
		for _, f := range []PatientFilter{{}, {Status: "active"}, {TherapistID: "t2"}} {
			query, args, err := patientsQuery(actor, f)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := db.r.Query("EXPLAIN QUERY PLAN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN p") || strings.HasPrefix(step, "SCAN patients") {
					t.Fatalf("%s %+v scans every patient:\n%s", actor.Role, f, strings.Join(plan, "\n"))
				}
			}
		}
	}
}

// An import into an empty store builds the indexes no check reads at the
// end: afterwards the schema is the migrations' again, whether the import
// was written, refused or a dry run, and the indexes hold every row.
func TestImportDefersIndexesAndRestoresThem(t *testing.T) {
	ctx := context.Background()
	src := openInternal(t)
	sys := System("test")
	for i := 0; i < 4; i++ {
		if _, err := src.AddPatient(ctx, sys, Patient{Pseudonym: fmt.Sprintf("P-%04d", i), DisplayName: "Patient", BirthDate: "1990-05-01", Language: "fi"}); err != nil {
			t.Fatal(err)
		}
	}
	var exp bytes.Buffer
	if _, err := src.Export(ctx, sys, &exp, ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	schema := func(db *DB) string {
		t.Helper()
		rows, err := db.w.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var name, sql string
			if err := rows.Scan(&name, &sql); err != nil {
				t.Fatal(err)
			}
			b.WriteString(sql + "\n")
		}
		return b.String()
	}
	db := openInternal(t)
	want := schema(db)
	for _, name := range deferredIndexes {
		if !strings.Contains(want, name) {
			t.Fatalf("no index %s in the schema: the list of deferred indexes is out of date", name)
		}
	}
	if _, err := db.Import(ctx, sys, bytes.NewReader(exp.Bytes()), true); err != nil {
		t.Fatal(err)
	}
	if got := schema(db); got != want {
		t.Fatalf("after a dry run the indexes are\n%s\nwant\n%s", got, want)
	}
	bad := exp.String() + `{"type":"patient","id":"x"}` + "\n"
	if _, err := db.Import(ctx, sys, strings.NewReader(bad), false); err == nil {
		t.Fatal("a bad line was accepted")
	}
	if got := schema(db); got != want {
		t.Fatalf("after a refused import the indexes are\n%s\nwant\n%s", got, want)
	}
	if _, err := db.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	if got := schema(db); got != want {
		t.Fatalf("after an import the indexes are\n%s\nwant\n%s", got, want)
	}
	var n int
	if err := db.w.QueryRowContext(ctx, "SELECT COUNT(*) FROM changes INDEXED BY changes_patient WHERE patient_id <> ''").Scan(&n); err != nil || n != 4 {
		t.Fatalf("changes_patient holds %d rows of patients (%v), want 4", n, err)
	}
	var ok string
	if err := db.w.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity: %s %v", ok, err)
	}
}

// A re-import of the same file is recognised by its chunks; a record
// changed since (through the change log) makes its chunk go the ordinary
// way, where the file's old content is refused; a new line among known
// ones is added; a change the log does not name record by record (a
// sync's reset) makes no chunk trusted.
func TestReimportByChunks(t *testing.T) {
	ctx := context.Background()
	src := openInternal(t)
	sys := System("test")
	anna, err := src.AddTherapist(ctx, sys, Therapist{Handle: "anna", Name: "Anna Virtanen", Role: RoleTherapist, Team: "south", Languages: []string{"fi"}, Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000; i++ {
		if _, err := src.AddPatient(ctx, sys, Patient{Pseudonym: fmt.Sprintf("P-%04d", i), DisplayName: "Patient", BirthDate: "1990-05-01", Language: "fi"}); err != nil {
			t.Fatal(err)
		}
	}
	var exp bytes.Buffer
	if _, err := src.Export(ctx, sys, &exp, ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	file := exp.String()
	db := openInternal(t)
	if sum, err := db.Import(ctx, sys, strings.NewReader(file), false); err != nil || sum.Added["patient"] != 2000 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	known := func() *knownChunks {
		t.Helper()
		var k *knownChunks
		if err := db.write(ctx, sys, RecordAccessOp{}, func(tx *tx) error {
			var err error
			k, err = tx.loadChunks()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return k
	}
	k := known()
	if k.all || len(k.chunks) < 2 {
		t.Fatalf("after the import %d chunks are known (all stale: %v); want the file's", len(k.chunks), k.all)
	}
	lines := 0
	for _, c := range k.chunks {
		lines += c.lines
	}
	if lines != 2001 {
		t.Fatalf("the chunks hold %d lines, want 2001 (a therapist, 2000 patients)", lines)
	}
	for _, dry := range []bool{true, false} {
		sum, err := db.Import(ctx, sys, strings.NewReader(file), dry)
		if err != nil || sum.Unchanged != sum.Lines || len(sum.Added) != 0 {
			t.Fatalf("re-import (dry run %v): %+v, %v", dry, sum, err)
		}
	}
	// A new patient among the known ones: added, the rest unchanged.
	extra, err := src.AddPatient(ctx, sys, Patient{Pseudonym: "P-extra", DisplayName: "Patient", BirthDate: "1990-05-01", Language: "fi"})
	if err != nil {
		t.Fatal(err)
	}
	var exp2 bytes.Buffer
	if _, err := src.Export(ctx, sys, &exp2, ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	sum, err := db.Import(ctx, sys, bytes.NewReader(exp2.Bytes()), false)
	if err != nil || sum.Added["patient"] != 1 || sum.Unchanged != sum.Lines-1 {
		t.Fatalf("import with %s added: %+v, %v", extra.ID, sum, err)
	}
	// One patient in the middle of a kept chunk changes in the store
	// (with its change-log row): that chunk goes the ordinary way, where
	// the file's old line is refused, and every other chunk is trusted.
	lines2 := strings.Split(strings.TrimSpace(exp2.String()), "\n")
	var mid importChunk
	for _, c := range known().chunks {
		if c.typ == "patient" && c.lines >= 3 && (mid.typ == "" || c.first < mid.first) {
			mid = c
		}
	}
	if mid.typ == "" {
		t.Fatal("no kept chunk of patients of three lines or more")
	}
	var inChunk []string
	for _, l := range lines2 {
		if typ, id, _ := lineHead([]byte(l)); typ == "patient" && id >= mid.first && id <= mid.last {
			inChunk = append(inChunk, id)
		}
	}
	if len(inChunk) != mid.lines {
		t.Fatalf("the file has %d lines of the chunk %s-%s, it was kept with %d", len(inChunk), mid.first, mid.last, mid.lines)
	}
	changedID := inChunk[len(inChunk)/2]
	if err := db.write(ctx, sys, RecordAccessOp{}, func(tx *tx) error {
		if _, err := tx.exec("UPDATE patients SET display_name = 'Changed' WHERE id = ?", changedID); err != nil {
			return err
		}
		return tx.changed("patients", changedID, changedID, "update")
	}); err != nil {
		t.Fatal(err)
	}
	trusted, ordinary := 0, map[string]bool{}
	ch := &chunker{known: known(),
		emit: func(_ int, b []byte, unchanged bool) bool {
			typ, id, _ := lineHead(b)
			switch {
			case unchanged:
				trusted++
			case chunkType(typ):
				ordinary[id] = true
			}
			return true
		},
		mark: func(importChunk) bool { return true },
	}
	for i, l := range lines2 {
		typ, id, _ := lineHead([]byte(l))
		ch.add(i+1, []byte(l), typ, id)
	}
	ch.flush()
	if len(ordinary) != len(inChunk) || trusted != 2002-len(inChunk) {
		t.Fatalf("%d lines went the ordinary way, %d were trusted; want the %d of the changed chunk, and the other %d", len(ordinary), trusted, len(inChunk), 2002-len(inChunk))
	}
	for _, id := range inChunk {
		if !ordinary[id] {
			t.Fatalf("patient %s of the changed chunk was trusted", id)
		}
	}
	_, err = db.Import(ctx, sys, bytes.NewReader(exp2.Bytes()), false)
	var ie ImportErrors
	if !errors.As(err, &ie) || ie.Total != 1 || !strings.Contains(err.Error(), changedID) || !strings.Contains(err.Error(), "different content") {
		t.Fatalf("re-import after patient %s changed: %v", changedID, err)
	}
	// The therapist changes in the store: the file's old line is refused.
	if err := db.SetTherapistIntake(ctx, sys, anna.ID, anna.Version, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, sys, strings.NewReader(file), false); err == nil || !strings.Contains(err.Error(), "different content") {
		t.Fatalf("re-import after the therapist changed: %v", err)
	}
	// A change the log names only as a whole: no chunk is trusted.
	if err := db.write(ctx, sys, RecordAccessOp{}, func(tx *tx) error { return tx.changed("sync", "reset", "", "reset") }); err != nil {
		t.Fatal(err)
	}
	if k := known(); !k.all {
		t.Fatal("after a reset the chunks are still trusted")
	}
}
