package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/server"
)

func TestDefaultTokenLifetimes(t *testing.T) {
	f := newFixture(t, server.Config{})
	list, err := server.ListTokens(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"a": 90 * 24 * time.Hour, "admin": 30 * 24 * time.Hour, "pa": 180 * 24 * time.Hour}
	seen := 0
	for _, ti := range list {
		var who string
		switch {
		case ti.SubjectID == f.a.ID:
			who = "a"
		case ti.Subject == "admin":
			who = "admin"
		case ti.SubjectID == f.pa.ID:
			who = "pa"
		default:
			continue
		}
		seen++
		if ti.ExpiresAt == nil || ti.ExpiresAt.Sub(ti.CreatedAt) != want[who] {
			t.Errorf("%s token: created %v, expires %v; want a lifetime of %v", who, ti.CreatedAt, ti.ExpiresAt, want[who])
		}
	}
	if seen != 3 {
		t.Fatalf("found %d of the 3 tokens", seen)
	}
}

func TestExpiredTokenIsRefusedSayingSo(t *testing.T) {
	now := time.Now().UTC()
	clock := now
	f := newFixture(t, server.Config{Clock: func() time.Time { return clock }})
	ctx := context.Background()
	tok, info, err := server.CreateTherapistToken(ctx, f.db, f.a.ID, server.TokenOptions{Device: "laptop", Expires: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if info.ExpiresAt == nil || !info.ExpiresAt.Equal(now.Add(time.Hour).Truncate(time.Millisecond)) {
		t.Errorf("ExpiresAt = %v, want %v", info.ExpiresAt, now.Add(time.Hour))
	}
	if st, body := f.do("GET", "/v1/me", tok, ""); st != http.StatusOK {
		t.Fatalf("a fresh token: %d %s", st, body)
	}
	clock = now.Add(2 * time.Hour)
	st, body := f.do("GET", "/v1/me", tok, "")
	if st != http.StatusUnauthorized || !strings.Contains(body, "token_expired") || !strings.Contains(body, "expired") || !strings.Contains(body, "polku login") {
		t.Fatalf("an expired token: %d %s; want 401 token_expired saying to log in again", st, body)
	}
	// A portal token's message says whom to ask.
	ptok, _, err := server.CreatePatientToken(ctx, f.db, f.pa.ID, server.TokenOptions{Expires: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if st, body := f.do("GET", "/v1/patient/me", ptok, ""); st != http.StatusUnauthorized || !strings.Contains(body, "ask") {
		t.Fatalf("an expired portal token: %d %s", st, body)
	}
	if _, _, err := server.CreateTherapistToken(ctx, f.db, f.a.ID, server.TokenOptions{Expires: now.Add(-time.Minute)}); err == nil {
		t.Errorf("a token that expired before it was made was made")
	}
}

// The server's lifetimes cap every token of a kind, whatever it was made
// with: restarting the server with a shorter lifetime ends old tokens.
func TestServerLifetimeCapsTokens(t *testing.T) {
	now := time.Now().UTC()
	clock := now
	f := newFixture(t, server.Config{Clock: func() time.Time { return clock }, Lifetimes: server.Lifetimes{Therapist: 24 * time.Hour}})
	if st, _ := f.do("GET", "/v1/me", f.tok["a"], ""); st != http.StatusOK {
		t.Fatalf("fresh: %d", st)
	}
	clock = now.Add(25 * time.Hour)
	if st, body := f.do("GET", "/v1/me", f.tok["a"], ""); st != http.StatusUnauthorized || !strings.Contains(body, "token_expired") {
		t.Fatalf("a staff token older than the server's lifetime: %d %s", st, body)
	}
	// Admin and portal tokens keep their own (default) lifetimes.
	if st, body := f.do("GET", "/v1/me", f.tok["admin"], ""); st != http.StatusOK {
		t.Fatalf("admin token after 25h: %d %s", st, body)
	}
	if st, body := f.do("GET", "/v1/patient/me", f.tok["pa"], ""); st != http.StatusOK {
		t.Fatalf("portal token after 25h: %d %s", st, body)
	}
}

func TestRevokingIsAudited(t *testing.T) {
	f := newFixture(t, server.Config{})
	ctx := context.Background()
	admin := store.LocalUser("root", "console")
	if n, err := server.RevokeTokens(ctx, f.db, admin, "", f.a.ID); err != nil || n != 1 {
		t.Fatalf("revoke a's token: %d %v", n, err)
	}
	if n, err := server.RevokeTokens(ctx, f.db, admin, "", f.pa.ID); err != nil || n != 1 {
		t.Fatalf("revoke pa's token: %d %v", n, err)
	}
	list, _ := server.ListTokens(ctx, f.db)
	for _, ti := range list {
		if ti.SubjectID != f.a.ID && ti.SubjectID != f.pa.ID {
			continue
		}
		if ti.RevokedAt == nil || ti.RevokedBy != "os:root" {
			t.Errorf("%s token: revoked %v by %q, want by os:root", ti.Kind, ti.RevokedAt, ti.RevokedBy)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM audit WHERE patient_id = ? AND actor_id = 'os:root' AND action = 'portal-token-revoke'", f.pa.ID); n != 1 {
		t.Errorf("%d audit rows for the revoked portal token, want 1", n)
	}
	// Through the admin endpoint, the admin is the one who revoked.
	pt, err := f.adminPortalToken()
	if err != nil {
		t.Fatal(err)
	}
	if st, body := f.do("DELETE", "/v1/admin/tokens/"+pt, f.tok["admin"], ""); st != http.StatusNoContent {
		t.Fatalf("revoke through the admin endpoint: %d %s", st, body)
	}
	if n := f.count("SELECT COUNT(*) FROM tokens WHERE id = ? AND revoked_by = (SELECT id FROM therapists WHERE handle = 'admin')", pt); n != 1 {
		t.Errorf("the admin endpoint's revocation does not name the admin")
	}
}

// adminPortalToken makes a portal token for a synthetic patient through
// the admin endpoint and returns its id.
func (f *fixture) adminPortalToken() (string, error) {
	for _, ps := range f.fx.Patients {
		for _, p := range ps {
			st, body := f.do("POST", "/v1/admin/patient-tokens", f.tok["admin"], `{"patient_id":"`+p.ID+`","device":"sim"}`)
			if st == http.StatusCreated {
				_, rest, _ := strings.Cut(body, `"id":"`)
				id, _, _ := strings.Cut(rest, `"`)
				return id, nil
			}
		}
	}
	return "", context.DeadlineExceeded
}

// 'polku simulate --server' with a therapist's login plays the synthetic
// patients assigned to that therapist, and no one else.
func TestTherapistPlaysOwnSyntheticPatients(t *testing.T) {
	f := newFixture(t, server.Config{})
	st, body := f.do("GET", "/v1/admin/synthetic-patients", f.tok["a"], "")
	if st != http.StatusOK || !strings.Contains(body, f.pa.ID) || strings.Contains(body, f.pb.ID) {
		t.Fatalf("a's synthetic patients: %d %s", st, body)
	}
	st, body = f.do("POST", "/v1/admin/patient-tokens", f.tok["a"], `{"patient_id":"`+f.pb.ID+`"}`)
	if st != http.StatusNotFound {
		t.Fatalf("a makes a portal token for b's patient: %d %s", st, body)
	}
	st, body = f.do("POST", "/v1/admin/patient-tokens", f.tok["a"], `{"patient_id":"`+f.pa.ID+`","device":"simulate"}`)
	if st != http.StatusCreated {
		t.Fatalf("a makes a portal token for a's patient: %d %s", st, body)
	}
	_, rest, _ := strings.Cut(body, `"id":"`)
	id, _, _ := strings.Cut(rest, `"`)
	// The token lives a day at most, and b cannot revoke it; a can.
	if n := f.count("SELECT COUNT(*) FROM tokens WHERE id = ? AND expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 day')", id); n != 1 {
		t.Errorf("the simulate token lives longer than a day")
	}
	if st, _ := f.do("DELETE", "/v1/admin/tokens/"+id, f.tok["b"], ""); st != http.StatusNotFound {
		t.Errorf("b revokes a's simulate token: %d", st)
	}
	if st, body := f.do("DELETE", "/v1/admin/tokens/"+id, f.tok["a"], ""); st != http.StatusNoContent {
		t.Errorf("a revokes its simulate token: %d %s", st, body)
	}
	// A therapist revokes no staff token, not even their own.
	list, _ := server.ListTokens(context.Background(), f.db)
	for _, ti := range list {
		if ti.SubjectID == f.a.ID {
			if st, _ := f.do("DELETE", "/v1/admin/tokens/"+ti.ID, f.tok["a"], ""); st != http.StatusNotFound {
				t.Errorf("a revokes a staff token: %d", st)
			}
		}
	}
}
