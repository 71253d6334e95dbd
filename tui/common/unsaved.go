package common

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Unsaved keeps text whose save failed after its editor was gone (a page
// closing saves its drafts in the background): the text is not dropped, and
// the program saves it again before it ends. Safe for concurrent use (the
// saves that fail run in commands).
type Unsaved struct {
	mu    sync.Mutex
	items []unsavedItem
}

type unsavedItem struct {
	what string
	save func(ctx context.Context) error
}

// NewUnsaved makes an empty list.
func NewUnsaved() *Unsaved { return &Unsaved{} }

// Add keeps one text with the function that saves it.
func (u *Unsaved) Add(what string, save func(ctx context.Context) error) {
	if u == nil {
		return
	}
	u.mu.Lock()
	u.items = append(u.items, unsavedItem{what: what, save: save})
	u.mu.Unlock()
}

// Len is the number of texts waiting to be saved.
func (u *Unsaved) Len() int {
	if u == nil {
		return 0
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.items)
}

// Retry saves every kept text; those that fail again stay in the list and
// their errors are returned.
func (u *Unsaved) Retry(ctx context.Context) error {
	if u == nil {
		return nil
	}
	u.mu.Lock()
	items := u.items
	u.items = nil
	u.mu.Unlock()
	var errs []error
	for _, it := range items {
		if err := it.save(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", it.what, err))
			u.Add(it.what, it.save)
		}
	}
	return errors.Join(errs...)
}
