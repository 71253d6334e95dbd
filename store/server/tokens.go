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

	"polku/internal/i18n"
	"polku/internal/textsafe"
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

// errUnauthorized is the answer to a missing, unknown or revoked token.
// Its text is its message in English, written out so that the catalogs
// are not read when the package loads (a test checks the two agree).
var errUnauthorized error = &msgHTTPError{&httpError{http.StatusUnauthorized, api.CodeUnauthorized,
	"missing, unknown or revoked token: send 'Authorization: Bearer TOKEN'"}, i18n.Msg("store.err.api.unauthorized")}

// CodeTokenExpired answers a token past its expiry (401).
const CodeTokenExpired = "token_expired"

// Lifetimes are how long tokens of each kind live. A zero field takes
// the default (DefaultLifetimes).
type Lifetimes struct {
	Therapist time.Duration // staff accounts: therapists and supervisors
	Admin     time.Duration // admin accounts
	Patient   time.Duration // patient portal
}

// DefaultLifetimes: staff tokens live about a quarter, admin tokens
// (which make and revoke tokens) a month, portal tokens the length of the
// longest program and its follow-up.
var DefaultLifetimes = Lifetimes{Therapist: 90 * 24 * time.Hour, Admin: 30 * 24 * time.Hour, Patient: 180 * 24 * time.Hour}

// SimulateLifetime is the lifetime of the portal tokens the admin endpoint
// makes for synthetic patients ('polku simulate --server'): should
// simulate be killed before it revokes them, they end on their own.
const SimulateLifetime = 24 * time.Hour

func (l Lifetimes) withDefaults() Lifetimes {
	if l.Therapist <= 0 {
		l.Therapist = DefaultLifetimes.Therapist
	}
	if l.Admin <= 0 {
		l.Admin = DefaultLifetimes.Admin
	}
	if l.Patient <= 0 {
		l.Patient = DefaultLifetimes.Patient
	}
	return l
}

// of is the lifetime of a token of kind (and, for staff, role).
func (l Lifetimes) of(kind, role string) time.Duration {
	l = l.withDefaults()
	switch {
	case kind == kindPatient, kind == kindIntegration:
		return l.Patient
	case role == store.RoleAdmin:
		return l.Admin
	}
	return l.Therapist
}

const stampLayout = "2006-01-02T15:04:05.000Z"

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// expired is the answer to a token that ended at at, told in the
// service's time zone (loc) as a person there reads the time.
func expired(kind string, at time.Time, loc *time.Location) error {
	when := at.In(loc).Format("2006-01-02 15:04 MST")
	if kind == kindPatient {
		return errm(http.StatusUnauthorized, CodeTokenExpired, "store.err.api.token_expired_patient", "At", when)
	}
	return errm(http.StatusUnauthorized, CodeTokenExpired, "store.err.api.token_expired", "At", when)
}

// tokenQuery reads a token by its hash with the staff account it belongs
// to (NULLs for a patient's or an integration's token).
var tokenQuery = "SELECT t.id, t.kind, t.subject_id, t.device, t.created_at, t.revoked_at, t.expires_at, " +
	store.TherapistColumns("h") + " FROM tokens t LEFT JOIN therapists h ON t.kind = '" + kindTherapist + "' AND h.id = t.subject_id WHERE t.hash = ?"

func (s *Server) authenticate(r *http.Request) (*principal, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || !strings.HasPrefix(token, tokenPrefix) || len(token) > 200 {
		return nil, errUnauthorized
	}
	var p principal
	var subject, created string
	var revoked, expires sql.NullString
	// The token and, for a staff token, its account in one read: every
	// request makes it, and on a cluster each read is a round trip.
	st, err := s.db.ReadStmt(r.Context(), tokenQuery)
	if err != nil {
		return nil, err
	}
	var th store.Therapist
	found, err := store.ScanWithTherapist(st.QueryRowContext(r.Context(), hashToken(token)), &th,
		&p.tokenID, &p.kind, &subject, &p.device, &created, &revoked, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked.Valid) {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, err
	}
	switch p.kind {
	case kindTherapist:
		if !found {
			return nil, errUnauthorized
		}
		p.therapist = th
		p.actor = store.ActorFor(th, p.device)
	case kindPatient:
		p.patientID = subject
	case kindIntegration:
		p.actor = integrationActor(strings.TrimPrefix(subject, "integration:"), p.device)
	default:
		return nil, errUnauthorized
	}
	// A token ends at its own expiry or when it is older than the
	// server's lifetime for its kind, whichever comes first.
	end := parseStamp(created).Add(s.cfg.Lifetimes.of(p.kind, p.therapist.Role))
	if expires.Valid {
		if e := parseStamp(expires.String); e.Before(end) {
			end = e
		}
	}
	if !s.now().Before(end) {
		err := expired(p.kind, end, s.zone(r.Context()))
		if p.kind == kindPatient {
			err = &patientError{err, subject} // told in the patient's language too
		}
		return nil, err
	}
	return &p, nil
}

// zone is the service's time zone (the timezone setting), UTC if the
// policy cannot be read.
func (s *Server) zone(ctx context.Context) *time.Location {
	if pol, err := s.db.Policy(ctx); err == nil {
		return pol.Location()
	}
	return time.UTC
}

// TokenInfo describes a stored token (never the token itself).
type TokenInfo struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	SubjectID string     `json:"subject_id"`
	Subject   string     `json:"subject"` // therapist handle or patient pseudonym
	Device    string     `json:"device,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"` // null: never
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty"` // actor id
	// RevokedByHandle is the handle of the account that revoked the token,
	// or the actor id as it is (os:USER for 'polku tokens revoke' on the
	// store without --as).
	RevokedByHandle string `json:"revoked_by_handle,omitempty"`
}

// Expired says whether the token's own expiry has passed at now.
func (t TokenInfo) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// TokenOptions say how a token is made.
type TokenOptions struct {
	Device string
	// Expires is when the token stops working; zero takes the lifetime
	// of its kind from Lifetimes.
	Expires   time.Time
	Lifetimes Lifetimes
}

// CreateTherapistToken makes a token for a staff account and stores its
// hash. The token is returned once and cannot be read back.
func CreateTherapistToken(ctx context.Context, db *store.DB, therapistID string, o TokenOptions) (token string, info TokenInfo, err error) {
	th, err := db.Therapist(ctx, therapistID)
	if err != nil {
		return "", info, err
	}
	return createToken(ctx, db, kindTherapist, th.ID, th.Handle, th.Role, o)
}

// CreatePatientToken makes a token for the patient portal.
func CreatePatientToken(ctx context.Context, db *store.DB, patientID string, o TokenOptions) (token string, info TokenInfo, err error) {
	p, err := db.ResolvePatient(ctx, patientID)
	if err != nil {
		return "", info, err
	}
	return createToken(ctx, db, kindPatient, p.ID, p.Pseudonym, "", o)
}

// AuditPatientToken writes to a patient's audit log that actor made a
// portal token for them: whoever holds the token reads the patient's
// feedback and messages.
func AuditPatientToken(ctx context.Context, db *store.DB, actor store.Actor, info TokenInfo) error {
	detail := "portal token " + info.ID
	if info.Device != "" {
		detail += " for device " + info.Device
	}
	if info.ExpiresAt != nil {
		detail += ", expires " + info.ExpiresAt.UTC().Format(stampLayout)
	}
	return db.RecordAccess(ctx, actor, info.SubjectID, "portal-token", detail)
}

func createToken(ctx context.Context, db *store.DB, kind, subjectID, subject, role string, o TokenOptions) (string, TokenInfo, error) {
	if err := store.CheckPlain("token", "device", o.Device); err != nil {
		return "", TokenInfo{}, err
	}
	now := db.Now().UTC().Truncate(time.Millisecond)
	expires := o.Expires.UTC().Truncate(time.Millisecond)
	if o.Expires.IsZero() {
		expires = now.Add(o.Lifetimes.of(kind, role))
	}
	if !expires.After(now) {
		return "", TokenInfo{}, store.NewError(store.ErrInvalid, i18n.Msg("store.err.token_expired_before", "At", expires.Format(stampLayout)))
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", TokenInfo{}, err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	info := TokenInfo{ID: db.NewID(now), Kind: kind, SubjectID: subjectID, Subject: subject, Device: o.Device, CreatedAt: now, ExpiresAt: &expires}
	_, err := db.Writer().ExecContext(ctx, "INSERT INTO tokens (id, hash, kind, subject_id, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		info.ID, hashToken(token), kind, subjectID, o.Device, now.Format(stampLayout), expires.Format(stampLayout))
	if err != nil {
		return "", TokenInfo{}, fmt.Errorf("store the token: %w", err)
	}
	return token, info, nil
}

// RevokeTokens revokes a token by id, or every token of a subject (a
// therapist or patient id), as actor. It returns how many were revoked.
// The token rows keep who revoked them and when, and every revocation is
// written to the audit log in the same transaction: a portal token to its
// patient's log (where its making was), a staff token as an admin row with
// no patient (store.ActionTokenRevoke).
func RevokeTokens(ctx context.Context, db *store.DB, actor store.Actor, tokenID, subjectID string) (int, error) {
	now := db.Now().UTC().Format(stampLayout)
	var where, arg string
	switch {
	case tokenID != "":
		where, arg = "id = ?", tokenID
	case subjectID != "":
		where, arg = "subject_id = ?", subjectID
	default:
		return 0, invalidErr("store.err.api.revoke_which")
	}
	n := 0
	err := db.AuditedWrite(ctx, actor, func(tx *sql.Tx) ([]store.AuditEntry, error) {
		rows, err := tx.QueryContext(ctx, "UPDATE tokens SET revoked_at = ?, revoked_by = ? WHERE "+where+" AND revoked_at IS NULL RETURNING id, kind, subject_id, device",
			now, actor.ID, arg)
		if err != nil {
			return nil, err
		}
		type revoked struct{ id, kind, subject, device string }
		var list []revoked
		for rows.Next() {
			var r revoked
			if err := rows.Scan(&r.id, &r.kind, &r.subject, &r.device); err != nil {
				rows.Close()
				return nil, err
			}
			list = append(list, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		var audit []store.AuditEntry
		for _, r := range list {
			if r.kind == kindPatient {
				audit = append(audit, store.AuditEntry{PatientID: r.subject, Action: "portal-token-revoke", Detail: "portal token " + r.id + " revoked"})
				continue
			}
			who := r.subject
			var handle, role string
			if err := tx.QueryRowContext(ctx, "SELECT handle, role FROM therapists WHERE id = ?", r.subject).Scan(&handle, &role); err == nil {
				who = handle + " (" + role + ")"
			}
			detail := "token " + r.id + " of " + who
			if r.device != "" {
				detail += " on device " + textsafe.Line(r.device) // one line, whatever an old row holds
			}
			audit = append(audit, store.AuditEntry{Action: store.ActionTokenRevoke, Detail: detail + " revoked"})
		}
		n = len(list)
		return audit, nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ListTokens lists stored tokens, newest first.
func ListTokens(ctx context.Context, db *store.DB) ([]TokenInfo, error) {
	rows, err := db.Reader().QueryContext(ctx, `SELECT t.id, t.kind, t.subject_id,
		COALESCE((SELECT handle FROM therapists WHERE id = t.subject_id), (SELECT pseudonym FROM patients WHERE id = t.subject_id),
			CASE WHEN t.kind = 'integration' THEN substr(t.subject_id, length('integration:') + 1) END, ''),
		t.device, t.created_at, t.expires_at, t.revoked_at, t.revoked_by,
		COALESCE((SELECT handle FROM therapists WHERE id = t.revoked_by), t.revoked_by) FROM tokens t ORDER BY t.created_at DESC, t.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TokenInfo{}
	for rows.Next() {
		var ti TokenInfo
		var created string
		var expires, revoked sql.NullString
		if err := rows.Scan(&ti.ID, &ti.Kind, &ti.SubjectID, &ti.Subject, &ti.Device, &created, &expires, &revoked, &ti.RevokedBy, &ti.RevokedByHandle); err != nil {
			return nil, err
		}
		ti.CreatedAt = parseStamp(created)
		if expires.Valid {
			t := parseStamp(expires.String)
			ti.ExpiresAt = &t
		}
		if revoked.Valid {
			t := parseStamp(revoked.String)
			ti.RevokedAt = &t
		}
		out = append(out, ti)
	}
	return out, rows.Err()
}
