package tui

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"polku/tui/common"
)

// Deliverer may be implemented by a Syncer: where the newest local write
// of a record stands on the server. With it the workbench says "sent" for
// exactly the record that reached the server; without it, once the outbox
// holds nothing.
type Deliverer interface {
	// Delivered says whether the server has the newest local write of
	// the record; refused when the server refused it.
	Delivered(ctx context.Context, recordID string) (delivered, refused bool, err error)
}

// delivered is where one sent record stands.
type delivered struct{ done, refused bool }

// delivery follows what the therapist sent on a replica until the server
// has it: per record when the Syncer is a Deliverer, or else once the
// outbox holds nothing (ops are pushed in order) and the server refused
// nothing more.
type delivery struct {
	items     []sentItem
	conflicts int  // ops the server had refused before the send
	known     bool // conflicts was read after the send
	afterPoll int  // polls up to this one read the outbox before the send
}

type sentItem struct{ id, said string }

// awaitDelivery starts following a send on a replica: the sync state is
// read after the write, and polls made before it are not trusted.
func (m *Model) awaitDelivery(msg common.SentMsg) tea.Cmd {
	m.sending.items = append(m.sending.items, sentItem{id: msg.RecordID, said: msg.Said})
	m.sending.afterPoll = m.polls
	s, then, check := m.opts.Sync, msg.Then, m.deliveryCheck()
	return func() tea.Msg { return deliveryMsg{status: s.Status(), states: check(), then: then} }
}

// deliveryCheck returns a function (for a command) that asks the Syncer
// where each record sent and not yet delivered stands; it returns nil when
// the Syncer cannot say.
func (m *Model) deliveryCheck() func() map[string]delivered {
	d, ok := m.opts.Sync.(Deliverer)
	if !ok || len(m.sending.items) == 0 {
		return func() map[string]delivered { return nil }
	}
	var ids []string
	for _, it := range m.sending.items {
		ids = append(ids, it.id)
	}
	ctx := m.c.Ctx
	return func() map[string]delivered {
		out := map[string]delivered{}
		for _, id := range ids {
			done, refused, err := d.Delivered(ctx, id)
			if err == nil {
				out[id] = delivered{done: done, refused: refused}
			}
		}
		return out
	}
}

// followDelivery looks at the replica's sync state; first is the state
// read right after a send, states where each sent record stands (nil when
// the Syncer cannot say).
func (m *Model) followDelivery(st SyncStatus, states map[string]delivered, then string, first bool) {
	if len(m.sending.items) == 0 {
		return
	}
	if first && !m.sending.known {
		m.sending.conflicts, m.sending.known = st.Conflicts, true
	}
	if !m.sending.known {
		return
	}
	var said []string
	refused := false
	if states != nil {
		var left []sentItem
		for _, it := range m.sending.items {
			switch s, ok := states[it.id]; {
			case ok && s.refused:
				refused = true
			case ok && s.done:
				said = append(said, it.said)
			default:
				left = append(left, it)
			}
		}
		m.sending.items = left
	} else {
		switch {
		case st.Conflicts > m.sending.conflicts:
			refused = true
			m.sending.items = nil
		case st.Pending == 0:
			for _, it := range m.sending.items {
				said = append(said, it.said)
			}
			m.sending.items = nil
		}
	}
	if len(m.sending.items) == 0 {
		m.sending = delivery{}
	}
	switch {
	case refused:
		m.setStatus("", errors.New("not sent: the server refused it; your text is kept: see polku sync status"))
	case len(said) == 1:
		m.setStatus(said[0]+then, nil)
	case len(said) > 1:
		m.setStatus("Everything you sent has reached the server."+then, nil)
	case first && !st.Online:
		m.setStatus("Saved; it will be sent when polku reaches the server."+then, nil)
	case first:
		m.setStatus("Saved; sending it to the server…"+then, nil)
	}
}
