package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"polku/store"
)

// Integration tokens: a referral system or a mail or portal integration.
// They may add referrals (POST /v1/referrals) and read the notification
// queue (GET /v1/notifications), and nothing else.

const kindIntegration = "integration"

// integrationActor is who an integration's writes are by.
func integrationActor(name, device string) store.Actor {
	return store.Actor{ID: "integration:" + name, Handle: name, Role: kindIntegration, Device: device}
}

// CreateIntegrationToken makes a token for an integration by name.
func CreateIntegrationToken(ctx context.Context, db *store.DB, name string, o TokenOptions) (string, TokenInfo, error) {
	if err := store.CheckPlain("token", "integration", name); err != nil {
		return "", TokenInfo{}, err
	}
	if strings.TrimSpace(name) == "" {
		return "", TokenInfo{}, store.CheckPlain("token", "integration", "\x00")
	}
	return createToken(ctx, db, kindIntegration, "integration:"+name, name, "", o)
}

func needIntegration(p *principal) error {
	if p.kind != kindIntegration {
		return forbiddenm("store.err.api.integration_only")
	}
	return nil
}

// handleAddReferral receives a referral (store.ReferralIn). A new one
// answers 201, one whose source id is already stored 200 with the stored
// referral.
func (s *Server) handleAddReferral(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needIntegration(p); err != nil {
		return err
	}
	var in store.ReferralIn
	if _, err := s.readBody(w, r, &in); err != nil {
		return err
	}
	got, err := s.db.ReceiveReferral(r.Context(), p.actor, in, false)
	if err != nil {
		return storeError(err)
	}
	status := http.StatusCreated
	if !got.Created {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"referral_id": got.Referral.ID, "source_id": got.Referral.SourceID,
		"patient_id": got.Patient.ID, "created": got.Created, "received_at": got.Referral.ReceivedAt})
	return nil
}

// handleNotifications lists queued notifications after a cursor
// (?after=N, the "next" of the previous answer), in the server's order of
// arrival.
func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := needIntegration(p); err != nil {
		return err
	}
	q := r.URL.Query()
	limit := 500
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return badRequestm("store.err.api.limit_notifications", "Max", 1000)
		}
		limit = n
	}
	var after int64
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badRequestm("store.err.api.after")
		}
		after = n
	}
	list, err := s.db.Notifications(r.Context(), after, limit)
	if err != nil {
		return storeError(err)
	}
	next := strconv.FormatInt(after, 10)
	if len(list) > 0 {
		next = strconv.FormatInt(list[len(list)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": list, "next": next})
	return nil
}
