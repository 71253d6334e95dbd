package editor

import (
	"context"
	"errors"
	"strings"
	"sync"

	"polku/store"
)

// slot is the stored side of one editor's draft. Every write of the draft
// (the debounced saves, the send, the flush when its page closes and the
// final flush at exit) goes through it one at a time, each starting from the
// version the previous one left, so that the editor's own writes never
// conflict with each other: a version conflict is always another window
// or device.
type slot struct {
	mu    sync.Mutex
	draft store.Draft // as stored; ID "" until the first save
	sent  bool        // the text went out: nothing more is written
	// note separates the two texts when both are kept, in the
	// therapist's language ("" is conflictNote).
	note string
}

// saveResult is the end of a write through the slot.
type saveResult struct {
	draft store.Draft // the draft as stored now
	// conflict is another window's version, when its text differs from
	// the text being saved: nothing was written, the therapist chooses.
	conflict *store.Draft
	err      error
}

type writeOpts struct {
	over  *store.Draft // save over this version (the therapist chose their text)
	merge bool         // on a conflict, keep both texts (no one to ask: a page closing, the program ending)
	force bool         // write even if the slot holds the same text
}

// conflictNote separates the two texts when both are kept.
const conflictNote = "\n\n--- text saved for this in another window ---\n"

// write saves body. A version conflict (another window saved this draft)
// or a draft that already exists for the same target (never saved here,
// saved elsewhere) is resolved by looking the draft up by its target:
// the same text is simply taken over; other text is returned as a conflict,
// or kept together with this text when opts.merge is set.
func (s *slot) write(ctx context.Context, st store.Store, actor store.Actor, body string, opts writeOpts) saveResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sent || (!opts.force && opts.over == nil && body == s.draft.Body) {
		return saveResult{draft: s.draft}
	}
	d := s.draft
	if opts.over != nil {
		d.ID, d.Version = opts.over.ID, opts.over.Version
	}
	for attempt := 0; ; attempt++ {
		d.Body = body
		saved, err := st.SaveDraft(ctx, actor, d)
		if err == nil {
			s.draft = saved
			return saveResult{draft: saved}
		}
		deleted := errors.Is(err, store.ErrNotFound) && d.Version > 0
		if attempt >= 3 || !deleted && !errors.Is(err, store.ErrConflict) {
			return saveResult{draft: s.draft, err: err}
		}
		cur, found, lerr := CurrentDraft(ctx, st, actor.ID, d.TargetType, d.TargetID)
		if lerr != nil {
			return saveResult{draft: s.draft, err: errors.Join(err, lerr)}
		}
		switch {
		case !found:
			// Deleted elsewhere (sent from another window): a new draft.
			d.ID, d.Version = "", 0
		case cur.Body == body:
			s.draft = cur
			return saveResult{draft: cur}
		case opts.merge:
			if !strings.Contains(body, cur.Body) {
				note := s.note
				if note == "" {
					note = conflictNote
				}
				body += note + cur.Body
			}
			d.ID, d.Version = cur.ID, cur.Version
		default:
			return saveResult{draft: s.draft, conflict: &cur}
		}
	}
}

// adopt takes another window's version as the stored draft.
func (s *slot) adopt(d store.Draft) {
	s.mu.Lock()
	s.draft = d
	s.mu.Unlock()
}

// send sends body with fn, after any write still on its way, naming the
// draft it replaces. The send removes that draft; if another window has
// saved other text in it meanwhile, nothing is sent and that version is
// returned, for the therapist to choose.
func (s *slot) send(ctx context.Context, st store.Store, actor store.Actor, fn SendFunc, body string) (draftID, recordID string, conflict *store.Draft, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	draftID = s.draft.ID
	if draftID != "" {
		cur, found, err := CurrentDraft(ctx, st, actor.ID, s.draft.TargetType, s.draft.TargetID)
		if err != nil {
			return draftID, "", nil, err
		}
		if found && cur.ID == draftID && cur.Version != s.draft.Version && cur.Body != body && cur.Body != s.draft.Body {
			return draftID, "", &cur, nil
		}
	}
	if recordID, err = fn(ctx, body, draftID); err == nil {
		s.sent = true
	}
	return draftID, recordID, nil, err
}

// CurrentDraft finds a therapist's stored draft for a target (there is at
// most one per target).
func CurrentDraft(ctx context.Context, st store.Store, therapistID, kind, targetID string) (store.Draft, bool, error) {
	drafts, err := st.Drafts(ctx, therapistID)
	if err != nil {
		return store.Draft{}, false, err
	}
	for _, d := range drafts {
		if d.TargetType == kind && d.TargetID == targetID {
			return d, true, nil
		}
	}
	return store.Draft{}, false, nil
}
