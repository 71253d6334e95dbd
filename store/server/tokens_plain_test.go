package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"polku/store"
	"polku/store/server"
)

// A token's device names it in 'tokens list' and in every audit row its
// holder causes: control characters there are refused, and no token is
// made.
func TestTokenDeviceRefusesControlCharacters(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, "s.db", store.Options{})
	defer db.Close()
	th, err := db.AddTherapist(ctx, store.System("test"), store.Therapist{Handle: "anna", Name: "Anna", Role: store.RoleTherapist})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"\x1b]0;x\x07", "\u009b2J", "\u202e", "\u2069"} {
		_, _, err := server.CreateTherapistToken(ctx, db, th.ID, server.TokenOptions{Device: "phone" + bad})
		if !errors.Is(err, store.ErrInvalid) || !strings.HasPrefix(err.Error(), "token.device: contains a control character") {
			t.Errorf("device %q: got %v", bad, err)
		}
	}
	list, err := server.ListTokens(ctx, db)
	if err != nil || len(list) != 0 {
		t.Fatalf("tokens after refusals: %v, %v", list, err)
	}
}
