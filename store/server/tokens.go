package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"polku/store"
	"polku/store/api"
)

// Token kinds.
const (
	kindTherapist = "therapist" // any staff account: therapist, supervisor or admin
	kindPatient   = "patient"
)

// tokenPrefix starts every token, so that a leaked one is easy to spot.
const tokenPrefix = "polku_"

// principal is who a request comes from.
type principal struct {
	tokenID   string
	kind      string
	device    string
	therapist store.Therapist
	actor     store.Actor // staff
	patientID string      // patients
}

// patientActor is the actor of a patient's own writes.
func patientActor(patientID, device string) store.Actor {
	return store.Actor{ID: "patient:" + patientID, Handle: "patient", Role: "patient", Device: device}
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

var errUnauthorized = &httpError{http.StatusUnauthorized, api.CodeUnauthorized, "missing, unknown or revoked token: send 'Authorization: Bearer TOKEN'"}

func (s *Server) authenticate(r *http.Request) (*principal, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || !strings.HasPrefix(token, tokenPrefix) || len(token) > 200 {
		return nil, errUnauthorized
	}
	var p principal
	var subject string
	var revoked sql.NullString
	err := s.db.Reader().QueryRowContext(r.Context(), "SELECT id, kind, subject_id, device, revoked_at FROM tokens WHERE hash = ?",
		hashToken(token)).Scan(&p.tokenID, &p.kind, &subject, &p.device, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked.Valid) {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, err
	}
	switch p.kind {
	case kindTherapist:
		th, err := s.db.Therapist(r.Context(), subject)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errUnauthorized
		}
		if err != nil {
			return nil, err
		}
		p.therapist = th
		p.actor = store.ActorFor(th, p.device)
	case kindPatient:
		p.patientID = subject
	default:
		return nil, errUnauthorized
	}
	return &p, nil
}

// TokenInfo describes a stored token (never the token itself).
type TokenInfo struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	SubjectID string     `json:"subject_id"`
	Subject   string     `json:"subject"` // therapist handle or patient pseudonym
	Device    string     `json:"device,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// CreateTherapistToken makes a token for a staff account and stores its
// hash. The token is returned once and cannot be read back.
func CreateTherapistToken(ctx context.Context, db *store.DB, therapistID, device string) (token string, info TokenInfo, err error) {
	th, err := db.Therapist(ctx, therapistID)
	if err != nil {
		return "", info, err
	}
	return createToken(ctx, db, kindTherapist, th.ID, th.Handle, device)
}

// CreatePatientToken makes a token for the patient portal.
func CreatePatientToken(ctx context.Context, db *store.DB, patientID, device string) (token string, info TokenInfo, err error) {
	p, err := db.ResolvePatient(ctx, patientID)
	if err != nil {
		return "", info, err
	}
	return createToken(ctx, db, kindPatient, p.ID, p.Pseudonym, device)
}

// AuditPatientToken writes to a patient's audit log that actor made a
// portal token for them: whoever holds the token reads the patient's
// feedback and messages.
func AuditPatientToken(ctx context.Context, db *store.DB, actor store.Actor, info TokenInfo) error {
	detail := "portal token " + info.ID
	if info.Device != "" {
		detail += " for device " + info.Device
	}
	return db.RecordAccess(ctx, actor, info.SubjectID, "portal-token", detail)
}

func createToken(ctx context.Context, db *store.DB, kind, subjectID, subject, device string) (string, TokenInfo, error) {
	if err := store.CheckPlain("token", "device", device); err != nil {
		return "", TokenInfo{}, err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", TokenInfo{}, err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	now := db.Now()
	info := TokenInfo{ID: db.NewID(now), Kind: kind, SubjectID: subjectID, Subject: subject, Device: device, CreatedAt: now}
	_, err := db.Writer().ExecContext(ctx, "INSERT INTO tokens (id, hash, kind, subject_id, device, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		info.ID, hashToken(token), kind, subjectID, device, now.Format("2006-01-02T15:04:05.000Z"))
	if err != nil {
		return "", TokenInfo{}, fmt.Errorf("store the token: %w", err)
	}
	return token, info, nil
}

// RevokeTokens revokes a token by id, or every token of a subject (a
// therapist or patient id). It returns how many were revoked.
func RevokeTokens(ctx context.Context, db *store.DB, tokenID, subjectID string) (int, error) {
	now := db.Now().Format("2006-01-02T15:04:05.000Z")
	var res sql.Result
	var err error
	switch {
	case tokenID != "":
		res, err = db.Writer().ExecContext(ctx, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, tokenID)
	case subjectID != "":
		res, err = db.Writer().ExecContext(ctx, "UPDATE tokens SET revoked_at = ? WHERE subject_id = ? AND revoked_at IS NULL", now, subjectID)
	default:
		return 0, errors.New("say which token to revoke")
	}
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ListTokens lists stored tokens, newest first.
func ListTokens(ctx context.Context, db *store.DB) ([]TokenInfo, error) {
	rows, err := db.Reader().QueryContext(ctx, `SELECT t.id, t.kind, t.subject_id,
		COALESCE((SELECT handle FROM therapists WHERE id = t.subject_id), (SELECT pseudonym FROM patients WHERE id = t.subject_id), ''),
		t.device, t.created_at, t.revoked_at FROM tokens t ORDER BY t.created_at DESC, t.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TokenInfo{}
	for rows.Next() {
		var ti TokenInfo
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&ti.ID, &ti.Kind, &ti.SubjectID, &ti.Subject, &ti.Device, &created, &revoked); err != nil {
			return nil, err
		}
		ti.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
		if revoked.Valid {
			t, _ := time.Parse(time.RFC3339Nano, revoked.String)
			ti.RevokedAt = &t
		}
		out = append(out, ti)
	}
	return out, rows.Err()
}
