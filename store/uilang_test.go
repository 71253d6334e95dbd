package store_test

import (
	"context"
	"errors"
	"testing"

	"polku/store"
)

// A therapist's interface language is set and cleared by version, lands in
// the change log, and refuses a language polku does not speak.
func TestSetTherapistUILang(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, newClock())
	anna, err := db.AddTherapist(ctx, sys, store.Therapist{Handle: "anna", Name: "Anna", Role: store.RoleTherapist, UILang: "sv"})
	if err != nil {
		t.Fatal(err)
	}
	if anna.UILang != "sv" {
		t.Fatalf("added with ui_lang %q, want sv", anna.UILang)
	}
	if _, err := db.AddTherapist(ctx, sys, store.Therapist{Handle: "bo", Name: "Bo", Role: store.RoleTherapist, UILang: "de"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("adding with ui_lang de: %v, want ErrInvalid", err)
	}
	before, err := db.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTherapistUILang(ctx, sys, anna.ID, anna.Version, "fi"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Therapist(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.UILang != "fi" || got.Version != anna.Version+1 {
		t.Errorf("after set: ui_lang %q version %d, want fi and %d", got.UILang, got.Version, anna.Version+1)
	}
	after, err := db.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[len(after)-1].EntityID != anna.ID || after[len(after)-1].Op != "update" {
		t.Errorf("change log after set: %d rows (was %d), want one more, an update of %s", len(after), len(before), anna.ID)
	}
	// An old version is a conflict; a bad language is refused before that.
	var conflict *store.ConflictError
	if err := db.SetTherapistUILang(ctx, sys, anna.ID, anna.Version, "en"); !errors.As(err, &conflict) {
		t.Errorf("set with an old version: %v, want a conflict", err)
	}
	if err := db.SetTherapistUILang(ctx, sys, anna.ID, got.Version, "fi_FI"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("set fi_FI: %v, want ErrInvalid", err)
	}
	if err := db.SetTherapistUILang(ctx, sys, anna.ID, got.Version, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ = db.Therapist(ctx, anna.ID); got.UILang != "" {
		t.Errorf("after clearing: ui_lang %q", got.UILang)
	}
}
