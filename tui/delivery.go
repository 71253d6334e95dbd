package tui

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"polku/tui/common"
)

// Deliverer may be implemented by a Syncer: it syncs now and says whether
// the server has the newest local write of a record (err says why not
// yet, e.g. offline). With it the workbench says "sent" for exactly the
// record that reached the server; without it, once the outbox holds
// nothing.
type Deliverer interface {
	Deliver(ctx context.Context, recordID string) (bool, error)
}

// delivery follows what the therapist sent on a replica until the server
// has it: per record when the Syncer is a Deliverer, and in any case once
// the outbox holds nothing (ops are pushed in order). A rise in the ops
// the server refused is a refusal.
type delivery struct {
	items     []sentItem
	conflicts int  // ops the server had refused before the send
	known     bool // conflicts was read after the send
	afterPoll int  // polls up to this one read the outbox before the send
	checking  bool // a Deliver check is under way or scheduled
}

type sentItem struct{ id, said string }

type (
	// deliveryMsg is where the records sent stand, read after a send or a
	// later check.
	deliveryMsg struct {
		status SyncStatus
		done   map[string]bool // by record id; nil: the Syncer cannot say per record
		err    error           // why not yet (from Deliver)
		then   string
		first  bool
	}
	deliverTickMsg struct{}
)

// awaitDelivery starts following a send on a replica: the sync state is
// read after the write, and polls made before it are not trusted.
func (m *Model) awaitDelivery(msg common.SentMsg) tea.Cmd {
	m.sending.items = append(m.sending.items, sentItem{id: msg.RecordID, said: msg.Said})
	m.sending.afterPoll = m.polls
	m.sending.checking = true
	return m.checkDelivery(msg.Then, true)
}

// checkDelivery asks the Syncer, in a command, where the records sent
// stand (a Deliverer syncs first).
func (m *Model) checkDelivery(then string, first bool) tea.Cmd {
	s, ctx := m.opts.Sync, m.c.Ctx
	d, per := s.(Deliverer)
	var ids []string
	for _, it := range m.sending.items {
		ids = append(ids, it.id)
	}
	return func() tea.Msg {
		msg := deliveryMsg{then: then, first: first}
		if per {
			msg.done = map[string]bool{}
			for _, id := range ids {
				ok, err := d.Deliver(ctx, id)
				msg.done[id] = ok
				if err != nil {
					msg.err = err
				}
			}
		}
		msg.status = s.Status()
		return msg
	}
}

func (m *Model) onDelivery(msg deliveryMsg) tea.Cmd {
	m.sending.checking = false
	m.followDelivery(msg.status, msg.done, msg.err, msg.then, msg.first)
	if _, per := m.opts.Sync.(Deliverer); !per || len(m.sending.items) == 0 || m.sending.checking {
		return nil
	}
	// Not there yet: ask again a little later (the engine also syncs on
	// its own; the polls watch the outbox meanwhile).
	m.sending.checking = true
	return m.c.After(5*m.c.Config.PollEvery, func(time.Time) tea.Msg { return deliverTickMsg{} })
}

func (m *Model) onDeliverTick() tea.Cmd {
	if len(m.sending.items) == 0 {
		m.sending.checking = false
		return nil
	}
	return m.checkDelivery("", false)
}

// followDelivery looks at the replica's sync state and, when the Syncer
// can say, at each record sent; first is the state read right after a
// send.
func (m *Model) followDelivery(st SyncStatus, done map[string]bool, why error, then string, first bool) {
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
	switch {
	case st.Conflicts > m.sending.conflicts:
		refused = true
		m.sending.items = nil
	case st.Pending == 0:
		for _, it := range m.sending.items {
			said = append(said, it.said)
		}
		m.sending.items = nil
	default:
		var left []sentItem
		for _, it := range m.sending.items {
			if done[it.id] {
				said = append(said, it.said)
			} else {
				left = append(left, it)
			}
		}
		m.sending.items = left
	}
	if len(m.sending.items) == 0 {
		checking := m.sending.checking
		m.sending = delivery{checking: checking}
	}
	switch {
	case refused:
		m.setStatus("", errors.New(m.c.T("tui.delivery.refused")))
	case len(said) == 1:
		m.setStatus(said[0]+then, nil)
	case len(said) > 1:
		m.setStatus(m.c.T("tui.delivery.all_sent")+then, nil)
	case first && (!st.Online || why != nil):
		m.setStatus(m.c.T("tui.delivery.saved_offline")+then, nil)
	case first:
		m.setStatus(m.c.T("tui.delivery.sending")+then, nil)
	}
}
