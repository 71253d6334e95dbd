package store_test

import (
	"bytes"
	"context"
	"testing"

	"polku/programs/builtin"
	"polku/store"
)

// An import keeps the risk scans of the texts it stores (made while the
// lines are read) exactly as the writes that made them in the source
// store kept theirs.
func TestImportKeepsTheSameRiskScans(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, body := range []string{"Joskus haluan kuolla.", "Kiitos, nukuin paremmin."} {
		if _, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionIn, Body: body}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.db.SendMessage(ctx, sys, store.Message{EnrollmentID: f.enroll.ID, PatientID: f.patient.ID, Direction: store.DirectionOut, TherapistID: f.therapist.ID, Body: "Haluan kuolla? Soita."}, ""); err != nil {
		t.Fatal(err)
	}
	f.submit(t, "haluan kuolla")
	scans := func(db *store.DB) string {
		t.Helper()
		rows, err := db.Writer().Query("SELECT source_type, source_id, words, hit, at FROM risk_scans ORDER BY source_type, source_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b bytes.Buffer
		for rows.Next() {
			var typ, id, words, hit, at string
			if err := rows.Scan(&typ, &id, &words, &hit, &at); err != nil {
				t.Fatal(err)
			}
			b.WriteString(typ + " " + id + " " + words + " " + hit + " " + at + "\n")
		}
		return b.String()
	}
	want := scans(f.db)
	if bytes.Count([]byte(want), []byte("\n")) != 3 || !bytes.Contains([]byte(want), []byte("kuolla")) {
		t.Fatalf("the source store keeps\n%s\nwant 3 scans (two messages in, one submission), with hits", want)
	}
	var exp bytes.Buffer
	if _, err := f.db.Export(ctx, sys, &exp, store.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	fresh := openStore(t, newClock())
	b, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.ImportPrograms(ctx, sys, b, false); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Import(ctx, sys, bytes.NewReader(exp.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	if got := scans(fresh); got != want {
		t.Fatalf("the import keeps\n%s\nwant\n%s", got, want)
	}
}
