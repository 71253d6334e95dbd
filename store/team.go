package store

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sort"
	"sync"
	"time"
)

// TeamMember is one therapist's line in the supervisor's team view.
type TeamMember struct {
	Therapist           Therapist     `json:"therapist"`
	Patients            int           `json:"patients"` // active and scheduled enrollments
	Capacity            int           `json:"capacity"`
	Counts              map[Class]int `json:"counts"` // patients by top class
	FeedbackSent        int           `json:"feedback_sent_4w"`
	MedianFeedbackHours *float64      `json:"median_feedback_hours_4w"` // submission to feedback, last 4 weeks
	Queue               *Queue        `json:"queue"`
}

// TeamView is a supervisor's read-only view of a team.
type TeamView struct {
	Team                 string       `json:"team"`
	GeneratedAt          time.Time    `json:"generated_at"`
	Members              []TeamMember `json:"members"`
	OpenReferrals        int          `json:"open_referrals"` // the team's (and no team's) received, not yet decided
	OldestOpenReferral   *time.Time   `json:"oldest_open_referral,omitempty"`
	ReferralsOverPromise int          `json:"referrals_over_promise"` // of them, past the start promise
	ReferralsWaiting     int          `json:"referrals_waiting"`      // of them, on the waiting list
	MedianFeedbackHours  *float64     `json:"median_feedback_hours_4w"`
}

// Team builds the team view: every therapist's queue, counts per class,
// patients per therapist and the median hours from submission to feedback
// over the last four weeks. Supervisors see their own team only.
func (db *DB) Team(ctx context.Context, actor Actor, team string) (*TeamView, error) {
	if actor.IsPerson() && !(actor.Role == RoleSupervisor && actor.Team == team) && !isLocalUser(actor) {
		return nil, forbidden("store.err.may_see_team", "Handle", actor.Handle, "Team", quote(team))
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	members, err := selectAll[Therapist](ctx, db.r, tables.therapist, "WHERE team = ? AND role = ? ORDER BY handle", team, RoleTherapist)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	since := fmtTime(now.AddDate(0, 0, -28))
	v := &TeamView{Team: team, GeneratedAt: now, Members: make([]TeamMember, len(members))}
	// Each therapist's queue is built on its own read connection, a few at
	// once.
	hours := make([][]float64, len(members))
	errs := make([]error, len(members))
	sem := make(chan struct{}, teamParallel())
	var wg sync.WaitGroup
	for i, th := range members {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			v.Members[i], hours[i], errs[i] = db.teamMember(ctx, th, pol, now, since)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var all []float64
	for _, h := range hours {
		all = append(all, h...)
	}
	v.MedianFeedbackHours = median(all)
	// The intake queue's counts, by the same clock as the queue.
	if err := db.intakeCounts(ctx, pol, now, team, v); err != nil {
		return nil, err
	}
	return v, nil
}

func (db *DB) teamMember(ctx context.Context, th Therapist, pol Policy, now time.Time, since string) (TeamMember, []float64, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return TeamMember{}, nil, err
	}
	defer tx.Rollback()
	q, err := db.triage(ctx, tx, th, pol, now)
	if err != nil {
		return TeamMember{}, nil, err
	}
	m := TeamMember{Therapist: th, Capacity: th.Capacity, Counts: q.Counts, Queue: q}
	for _, it := range q.Items {
		// A finished enrollment kept in the queue by an open risk flag is
		// in the counts (risk) but not the caseload.
		if it.Status == EnrollmentActive || it.Status == EnrollmentScheduled {
			m.Patients++
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.submitted_at, f.sent_at FROM feedback f JOIN submissions s ON s.id = f.submission_id
		WHERE f.therapist_id = ? AND f.sent_at >= ?`, th.ID, since)
	if err != nil {
		return m, nil, err
	}
	defer rows.Close()
	var hours []float64
	for rows.Next() {
		var sub, sent string
		if err := rows.Scan(&sub, &sent); err != nil {
			return m, nil, err
		}
		a, _ := parseTime(sub)
		b, _ := parseTime(sent)
		hours = append(hours, b.Sub(a).Hours())
	}
	m.FeedbackSent = len(hours)
	m.MedianFeedbackHours = median(hours)
	return m, hours, rows.Err()
}

// teamParallel is how many queues the team view builds at once: each needs
// a read connection and its page cache, and this machine kind has 2 cores.
func teamParallel() int { return max(2, min(readConns, runtime.NumCPU())) }

func isLocalUser(a Actor) bool { return len(a.ID) > 3 && a.ID[:3] == "os:" }

func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}
