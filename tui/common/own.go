package common

import (
	"context"
	"sync"
	"time"

	"polku/store"
)

// OwnWrites remembers the change-log rows that this process's own writes
// made, so that the live refresh can leave exactly those out: a write by
// the same therapist in another window or on another device is somebody
// else's change like any other. Each write through the store returned by
// Track registers one expected change-log row per record it writes
// (entity and id; for the time meter, whose row id the caller never
// learns, the patient); Claim consumes one. Safe for concurrent use.
type OwnWrites struct {
	mu       sync.Mutex
	expect   map[string][]int // change key -> the poll rounds they were registered in
	inflight int              // writes through Track still running
	round    int
}

// NewOwnWrites makes an empty registry.
func NewOwnWrites() *OwnWrites { return &OwnWrites{expect: map[string][]int{}} }

// keepRounds is how many polls a registered row waits to be seen before it
// is forgotten (a write that wrote no row, e.g. marking read what another
// window had marked read just before).
const keepRounds = 120

func ownKey(entity, id string) string { return entity + "\x00" + id }

// changeKey is the key under which a change-log row is expected.
func changeKey(c store.Change) string {
	if c.Entity == "time_spent" {
		return ownKey(c.Entity, "patient:"+c.PatientID)
	}
	return ownKey(c.Entity, c.EntityID)
}

func (o *OwnWrites) begin() {
	o.mu.Lock()
	o.inflight++
	o.mu.Unlock()
}

// end registers the rows of a finished write (none if it failed) and
// counts it finished, in one step: a poll that finds no registration and
// no write running knows the row is not this process's.
func (o *OwnWrites) end(keys ...string) {
	o.mu.Lock()
	for _, k := range keys {
		o.expect[k] = append(o.expect[k], o.round)
	}
	o.inflight--
	o.mu.Unlock()
}

// NextRound starts a poll round and forgets registrations never seen.
func (o *OwnWrites) NextRound() {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.round++
	for k, rounds := range o.expect {
		i := 0
		for i < len(rounds) && o.round-rounds[i] > keepRounds {
			i++
		}
		if i == len(rounds) {
			delete(o.expect, k)
		} else {
			o.expect[k] = rounds[i:]
		}
	}
}

// Claim says whether a change-log row was written by this process (and
// consumes its registration). unsure is true when it cannot tell yet: a
// write of this process is still running and may not have registered its
// rows; the caller looks again at the next poll.
func (o *OwnWrites) Claim(c store.Change) (own, unsure bool) {
	if o == nil {
		return false, false
	}
	k := changeKey(c)
	o.mu.Lock()
	defer o.mu.Unlock()
	if rounds := o.expect[k]; len(rounds) > 0 {
		if len(rounds) == 1 {
			delete(o.expect, k)
		} else {
			o.expect[k] = rounds[1:]
		}
		return true, false
	}
	return false, o.inflight > 0
}

// Track wraps a store so that its therapist writes are registered in o.
func Track(st store.Store, o *OwnWrites) store.Store {
	if o == nil {
		return st
	}
	return &trackedStore{Store: st, own: o}
}

type trackedStore struct {
	store.Store
	own *OwnWrites
}

func draftKeys(draftID string) []string {
	if draftID == "" {
		return nil
	}
	return []string{ownKey("drafts", draftID)}
}

func (s *trackedStore) SaveDraft(ctx context.Context, a store.Actor, d store.Draft) (store.Draft, error) {
	s.own.begin()
	saved, err := s.Store.SaveDraft(ctx, a, d)
	if err != nil {
		s.own.end()
		return saved, err
	}
	s.own.end(ownKey("drafts", saved.ID))
	return saved, nil
}

func (s *trackedStore) DeleteDraft(ctx context.Context, a store.Actor, id string, version int64) error {
	s.own.begin()
	err := s.Store.DeleteDraft(ctx, a, id, version)
	if err != nil {
		s.own.end()
		return err
	}
	s.own.end(ownKey("drafts", id))
	return nil
}

func (s *trackedStore) SendFeedback(ctx context.Context, a store.Actor, f store.Feedback, draftID string) (store.Feedback, error) {
	s.own.begin()
	sent, err := s.Store.SendFeedback(ctx, a, f, draftID)
	if err != nil {
		s.own.end()
		return sent, err
	}
	s.own.end(append(draftKeys(draftID), ownKey("feedback", sent.ID))...)
	return sent, nil
}

func (s *trackedStore) SendMessage(ctx context.Context, a store.Actor, m store.Message, draftID string) (store.Message, error) {
	s.own.begin()
	sent, err := s.Store.SendMessage(ctx, a, m, draftID)
	if err != nil {
		s.own.end()
		return sent, err
	}
	s.own.end(append(draftKeys(draftID), ownKey("messages", sent.ID))...)
	return sent, nil
}

func (s *trackedStore) AddNote(ctx context.Context, a store.Actor, n store.Note, draftID string) (store.Note, error) {
	s.own.begin()
	saved, err := s.Store.AddNote(ctx, a, n, draftID)
	if err != nil {
		s.own.end()
		return saved, err
	}
	s.own.end(append(draftKeys(draftID), ownKey("notes", saved.ID))...)
	return saved, nil
}

func (s *trackedStore) MarkRead(ctx context.Context, a store.Actor, typ string, ids ...string) error {
	s.own.begin()
	err := s.Store.MarkRead(ctx, a, typ, ids...)
	if err != nil {
		s.own.end()
		return err
	}
	entity := map[string]string{"message": "messages", "feedback": "feedback"}[typ]
	keys := make([]string, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, ownKey(entity, id))
	}
	s.own.end(keys...)
	return nil
}

func (s *trackedStore) RecordGoAhead(ctx context.Context, a store.Actor, g store.GoAhead) (store.GoAhead, error) {
	s.own.begin()
	saved, err := s.Store.RecordGoAhead(ctx, a, g)
	if err != nil {
		s.own.end()
		return saved, err
	}
	s.own.end(ownKey("go_aheads", saved.ID))
	return saved, nil
}

func (s *trackedStore) AckRisk(ctx context.Context, a store.Actor, r store.RiskAck) (store.RiskAck, error) {
	s.own.begin()
	saved, err := s.Store.AckRisk(ctx, a, r)
	if err != nil {
		s.own.end()
		return saved, err
	}
	s.own.end(ownKey("risk_acks", saved.ID))
	return saved, nil
}

func (s *trackedStore) AddTime(ctx context.Context, a store.Actor, patientID string, d time.Duration) error {
	s.own.begin()
	err := s.Store.AddTime(ctx, a, patientID, d)
	if err != nil || d < time.Second {
		s.own.end()
		return err
	}
	s.own.end(ownKey("time_spent", "patient:"+patientID))
	return nil
}

// Apply is not used by the workbench; its rows are not registered (a
// refresh too many, never one too few).
func (s *trackedStore) Apply(ctx context.Context, a store.Actor, op store.Op) error {
	s.own.begin()
	defer s.own.end()
	return s.Store.Apply(ctx, a, op)
}

// IntakeStore is the part of the store the intake page works with
// (*store.DB has it).
type IntakeStore interface {
	Intake(ctx context.Context, actor store.Actor, team string) (*store.IntakeQueue, error)
	ReferralDetail(ctx context.Context, actor store.Actor, referralID string) (*store.ReferralDetail, error)
	AcceptReferral(ctx context.Context, actor store.Actor, req store.AcceptRequest, dryRun bool) (store.Accepted, error)
	DeclineReferral(ctx context.Context, actor store.Actor, req store.DeclineRequest, dryRun bool) (store.Notification, error)
	WaitReferral(ctx context.Context, actor store.Actor, referralID string, version int64, reason string, dryRun bool) error
}

// IntakeOf is the intake side of a store, if it has one; through Track,
// its decisions are registered like the other writes (the referral, the
// enrollment, the notification), so that they are not news to the poll.
func IntakeOf(st store.Store) (IntakeStore, bool) {
	if t, ok := st.(*trackedStore); ok {
		in, ok := t.Store.(IntakeStore)
		if !ok {
			return nil, false
		}
		return trackedIntake{in: in, own: t.own}, true
	}
	in, ok := st.(IntakeStore)
	return in, ok
}

type trackedIntake struct {
	in  IntakeStore
	own *OwnWrites
}

func (s trackedIntake) Intake(ctx context.Context, a store.Actor, team string) (*store.IntakeQueue, error) {
	return s.in.Intake(ctx, a, team)
}

func (s trackedIntake) ReferralDetail(ctx context.Context, a store.Actor, id string) (*store.ReferralDetail, error) {
	return s.in.ReferralDetail(ctx, a, id)
}

func (s trackedIntake) AcceptReferral(ctx context.Context, a store.Actor, req store.AcceptRequest, dryRun bool) (store.Accepted, error) {
	s.own.begin()
	out, err := s.in.AcceptReferral(ctx, a, req, dryRun)
	if err != nil || dryRun {
		s.own.end()
		return out, err
	}
	s.own.end(ownKey("referrals", req.ReferralID), ownKey("enrollments", out.Enrollment.ID), ownKey("notifications", out.Notification.ID))
	return out, nil
}

func (s trackedIntake) DeclineReferral(ctx context.Context, a store.Actor, req store.DeclineRequest, dryRun bool) (store.Notification, error) {
	s.own.begin()
	n, err := s.in.DeclineReferral(ctx, a, req, dryRun)
	if err != nil || dryRun {
		s.own.end()
		return n, err
	}
	s.own.end(ownKey("referrals", req.ReferralID), ownKey("notifications", n.ID))
	return n, nil
}

func (s trackedIntake) WaitReferral(ctx context.Context, a store.Actor, id string, version int64, reason string, dryRun bool) error {
	s.own.begin()
	err := s.in.WaitReferral(ctx, a, id, version, reason, dryRun)
	if err != nil || dryRun {
		s.own.end()
		return err
	}
	s.own.end(ownKey("referrals", id))
	return nil
}

func (s *trackedStore) StepCourse(ctx context.Context, a store.Actor, c store.CourseChange) (store.CourseResult, error) {
	s.own.begin()
	r, err := s.Store.StepCourse(ctx, a, c)
	if err != nil {
		s.own.end()
		return r, err
	}
	s.own.end(append(draftKeys(r.DraftID), ownKey("enrollments", c.EnrollmentID), ownKey("enrollment_events", r.Event.ID))...)
	return r, nil
}

// summaryDraftID is actor's summary draft of an enrollment ("" if none).
func (s *trackedStore) summaryDraftID(ctx context.Context, a store.Actor, enrollmentID string) string {
	ds, err := s.Store.Drafts(ctx, a.ID)
	if err != nil {
		return ""
	}
	for _, d := range ds {
		if d.TargetType == store.DraftSummary && d.TargetID == enrollmentID {
			return d.ID
		}
	}
	return ""
}

func (s *trackedStore) SummaryDraft(ctx context.Context, a store.Actor, enrollmentID string) (store.Draft, error) {
	return s.SummaryDraftIn(ctx, a, enrollmentID, "")
}

func (s *trackedStore) SummaryDraftIn(ctx context.Context, a store.Actor, enrollmentID, lang string) (store.Draft, error) {
	s.own.begin()
	had := s.summaryDraftID(ctx, a, enrollmentID)
	d, err := s.Store.SummaryDraftIn(ctx, a, enrollmentID, lang)
	if err != nil || had == d.ID {
		s.own.end() // none made: nothing written
		return d, err
	}
	s.own.end(draftKeys(d.ID)...)
	return d, nil
}

func (s *trackedStore) SignSummary(ctx context.Context, a store.Actor, enrollmentID, body string) (store.Summary, error) {
	s.own.begin()
	draftID := s.summaryDraftID(ctx, a, enrollmentID)
	sm, err := s.Store.SignSummary(ctx, a, enrollmentID, body)
	if err != nil {
		s.own.end()
		return sm, err
	}
	s.own.end(append(draftKeys(draftID), ownKey("summaries", sm.ID))...)
	return sm, nil
}
