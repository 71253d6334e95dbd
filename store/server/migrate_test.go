package server_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
)

// Tokens made before tokens expired (schema 3) get their kind's default
// lifetime from the upgrade on: nobody is locked out, nothing lasts for
// ever. A revoked one stays revoked, with no expiry added.
func TestMigrationGivesOldTokensALifetime(t *testing.T) {
	fileOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := db.AddTherapist(ctx, store.System("test"), store.Therapist{Handle: "root", Name: "Root", Role: store.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	anna, err := db.AddTherapist(ctx, store.System("test"), store.Therapist{Handle: "anna", Name: "Anna", Role: store.RoleTherapist})
	if err != nil {
		t.Fatal(err)
	}
	// Back to schema 3, with tokens as an older polku made them (the later schemas
	// undone first).
	for _, q := range []string{
		// Undo the later schemas first, so that they run again after 4.
		"ALTER TABLE outbox DROP COLUMN error_msg",
		"DROP TRIGGER risk_scans_messages", "DROP TRIGGER risk_scans_submissions", "DROP TRIGGER risk_scans_diary_entries",
		"DROP TRIGGER risk_scans_group_posts",
		"ALTER TABLE therapists DROP COLUMN ui_lang",
		"DROP TABLE risk_scans",
		"DROP INDEX referrals_source", "DROP INDEX referrals_intake", "DROP TABLE referral_assessments", "DROP TABLE notifications", "DROP TABLE services",
		"ALTER TABLE therapists DROP COLUMN intake",
		"ALTER TABLE referrals DROP COLUMN source_id", "ALTER TABLE referrals DROP COLUMN team", "ALTER TABLE referrals DROP COLUMN region",
		"ALTER TABLE referrals DROP COLUMN referrer_name", "ALTER TABLE referrals DROP COLUMN reason", "ALTER TABLE referrals DROP COLUMN codes",
		"ALTER TABLE referrals DROP COLUMN screening", "ALTER TABLE referrals DROP COLUMN notes", "ALTER TABLE referrals DROP COLUMN doctor_assessment",
		"ALTER TABLE referrals DROP COLUMN waiting_since", "ALTER TABLE referrals DROP COLUMN decided_by", "ALTER TABLE referrals DROP COLUMN decided_at",
		"ALTER TABLE referrals DROP COLUMN decision_code",
		"DROP TABLE go_aheads",
		"DROP TABLE enrollment_events", "DROP TABLE summaries", "ALTER TABLE enrollments DROP COLUMN paused_since",
		"ALTER TABLE enrollments DROP COLUMN ended_on", "ALTER TABLE enrollments DROP COLUMN follow_up_due",
		"ALTER TABLE tokens DROP COLUMN expires_at", "ALTER TABLE tokens DROP COLUMN revoked_by", "PRAGMA user_version = 3",
		"INSERT INTO tokens (id, hash, kind, subject_id, created_at) VALUES ('t1', 'h1', 'therapist', '" + anna.ID + "', '2025-01-01T00:00:00.000Z')",
		"INSERT INTO tokens (id, hash, kind, subject_id, created_at) VALUES ('t2', 'h2', 'therapist', '" + admin.ID + "', '2025-01-01T00:00:00.000Z')",
		"INSERT INTO tokens (id, hash, kind, subject_id, created_at) VALUES ('t3', 'h3', 'patient', 'p1', '2025-01-01T00:00:00.000Z')",
		"INSERT INTO tokens (id, hash, kind, subject_id, created_at, revoked_at) VALUES ('t4', 'h4', 'therapist', '" + anna.ID + "', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z')",
	} {
		if _, err := db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	migrated := time.Now().UTC()
	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := server.ListTokens(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"t1": 90 * 24 * time.Hour, "t2": 30 * 24 * time.Hour, "t3": 180 * 24 * time.Hour}
	for _, ti := range list {
		d, ok := want[ti.ID]
		switch {
		case ti.ID == "t4" && ti.ExpiresAt != nil:
			t.Errorf("the revoked token got an expiry")
		case !ok:
		case ti.ExpiresAt == nil:
			t.Errorf("%s has no expiry", ti.ID)
		case ti.ExpiresAt.Sub(migrated) < d-time.Minute || ti.ExpiresAt.Sub(migrated) > d+time.Minute:
			t.Errorf("%s expires %v, want %v after the migration", ti.ID, ti.ExpiresAt, d)
		}
	}
}
