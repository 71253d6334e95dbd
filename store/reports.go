package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"polku/store/riskphrase"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"polku/programs"
	"polku/store/report"
)

// ReportQuery is the period and scope of a service report. From and To are
// days in the service's time zone, both inclusive (only the date counts).
type ReportQuery struct {
	From, To time.Time
	Team     string // "" for the whole service
	Program  string // "" for every program
}

// Report computes the service report for q (docs/reports.md). Supervisors
// get their own team's report only; admins (accounts, the store's owner at
// the CLI, the system) any team's or the whole service's. Therapists are
// refused: the figures are about a team's work, and a therapist's own
// caseload is in the workbench. The report holds counts and figures only,
// never a patient's name or pseudonym, so it is not a read of any
// patient's record and is not written to the audit log.
func (db *DB) Report(ctx context.Context, actor Actor, q ReportQuery) (*report.Report, error) {
	switch actor.Role {
	case RoleAdmin:
	case RoleSupervisor:
		if q.Team == "" {
			q.Team = actor.Team
		}
		if q.Team != actor.Team || actor.Team == "" {
			return nil, forbidden("store.err.supervises_team_may_see", "Handle", actor.Handle, "Team", quote(actor.Team), "Team2", quote(q.Team))
		}
	case RoleTherapist:
		return nil, forbidden("store.err.therapist_service_team_reports", "Handle", actor.Handle)
	default:
		return nil, forbidden("store.err.unknown_role", "Role", quote(actor.Role))
	}
	f, err := db.ReportFacts(ctx, q)
	if err != nil {
		return nil, err
	}
	return report.Compute(f), nil
}

// ReportFacts loads the facts of a report in a few batched queries, in one
// read transaction.
func (db *DB) ReportFacts(ctx context.Context, q ReportQuery) (*report.Facts, error) {
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	loc := pol.Location()
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc) }
	from, to := day(q.From), day(q.To).AddDate(0, 0, 1)
	if !to.After(from) {
		return nil, invalid("report", "to", "store.err.period_ends_before_starts", "Time", q.To.Format(time.DateOnly), "Time2", q.From.Format(time.DateOnly))
	}
	memo := dayMemo{}
	f := &report.Facts{
		From: from, To: to, Loc: loc, Now: db.Now(), Team: q.Team, Program: q.Program,
		StartDays: pol.StartDays, FeedbackWorkingDays: pol.FeedbackWorkingDays, InactiveDays: pol.InactiveDays,
		// The figures run on one goroutine: one memo of working days serves
		// every span they measure (asking the holiday calendar is slow).
		WorkingTime: func(a, b time.Time) time.Duration { return workingTimeMemo(a, b, loc, memo) },
		Instruments: map[string]*programs.Instrument{},
		Scores:      map[string][]report.Score{},
	}
	for _, code := range DiscontinueReasons {
		f.Reasons = append(f.Reasons, report.Reason{Code: code, Words: DiscontinueWords(code)})
	}
	wordsKey := riskWordsKey(pol)
	scanKey := riskScanKey(wordsKey)
	matcher, err := db.riskCache.compiled(wordsKey, pol.RiskWords)
	if err != nil {
		return nil, err
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// The head of the change log pins this transaction's snapshot (its
	// first read) and names it for the searches run beside it.
	var head int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&head); err != nil {
		return nil, err
	}
	fromS, toS := fmtTime(from), fmtTime(to)
	toD := to.Format(time.DateOnly)

	// Therapists in scope; the scope of enrollments is theirs.
	var ths []Therapist
	if q.Team != "" {
		ths, err = selectAll[Therapist](ctx, tx, tables.therapist, "WHERE role = ? AND team = ? ORDER BY handle", RoleTherapist, q.Team)
	} else {
		ths, err = selectAll[Therapist](ctx, tx, tables.therapist, "WHERE role = ? ORDER BY handle", RoleTherapist)
	}
	if err != nil {
		return nil, err
	}
	if q.Team != "" && len(ths) == 0 {
		return nil, invalid("report", "team", "store.err.no_therapist_team_see", "Team", quote(q.Team))
	}
	var thIDs []string
	for _, t := range ths {
		f.Therapists = append(f.Therapists, report.Therapist{ID: t.ID, Handle: t.Handle, Capacity: t.Capacity})
		thIDs = append(thIDs, t.ID)
	}
	thJSON, _ := json.Marshal(thIDs)
	scope := ""
	args := []any{}
	if q.Team != "" {
		scope += " AND e.therapist_id IN (SELECT value FROM json_each(?))"
		args = append(args, string(thJSON))
	}
	if q.Program != "" {
		scope += " AND e.program_id = ?"
		args = append(args, q.Program)
	}

	// Program definitions, for module counts and exercise-to-module maps.
	pvs, err := selectAll[ProgramVersion](ctx, tx, tables.program, "")
	if err != nil {
		return nil, err
	}
	moduleOf := map[string]map[string]string{} // version id -> exercise id -> module id
	modules := map[string]int{}
	for _, pv := range pvs {
		p, err := db.programDef(ctx, tx, pv.ID, nil)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, mod := range p.Modules {
			for _, ex := range mod.Exercises {
				m[ex.ID] = mod.ID
			}
		}
		moduleOf[pv.ID], modules[pv.ID] = m, len(p.Modules)
	}

	// Enrollments that overlap the period: started before its end, and
	// still going or ended (status changed) after its start.
	type enr struct {
		i  int
		pv string
	}
	byID := map[string]enr{}
	var ended, overlapping, wasActive []string
	err = scanRows(ctx, tx, `SELECT e.id, e.patient_id, e.program_id, e.program_version_id, e.therapist_id, e.status, e.start_date, e.updated_at, r.received_at
		FROM enrollments e LEFT JOIN referrals r ON r.id = e.referral_id AND e.referral_id <> ''
		WHERE e.start_date < ? AND (e.status IN ('active', 'scheduled') OR e.updated_at >= ?)`+scope,
		append([]any{toD, fromS}, args...), func(r *sql.Rows) error {
			var e report.Enrollment
			var pv, start, updated string
			var recv sql.NullString
			if err := r.Scan(&e.ID, &e.PatientID, &e.ProgramID, &pv, &e.TherapistID, &e.Status, &start, &updated, &recv); err != nil {
				return err
			}
			d, err := time.ParseInLocation(time.DateOnly, start, loc)
			if err != nil {
				return fmt.Errorf("enrollment %s: start_date %q: %w", e.ID, start, err)
			}
			e.Start = d
			if e.Status == EnrollmentCompleted || e.Status == EnrollmentDiscontinued {
				t, _ := parseTime(updated)
				e.EndedAt = &t
				if !t.Before(from) && t.Before(to) {
					ended = append(ended, e.ID)
				}
			}
			if recv.Valid {
				t, _ := parseTime(recv.String)
				e.ReferralReceived = &t
			}
			e.Modules = modules[pv]
			byID[e.ID] = enr{len(f.Enrollments), pv}
			overlapping = append(overlapping, e.ID)
			if e.Status != EnrollmentScheduled {
				wasActive = append(wasActive, e.ID)
			}
			f.Enrollments = append(f.Enrollments, e)
			return nil
		})
	if err != nil {
		return nil, err
	}
	endedJSON, _ := json.Marshal(ended)
	overJSON, _ := json.Marshal(overlapping)
	activeJSON, _ := json.Marshal(wasActive)

	// Acknowledgements of risk flags, for the critical answers and the phrases.
	acks := map[string]time.Time{} // by source type and id
	err = scanRows(ctx, tx, `SELECT source_type, source_id, MIN(acked_at) FROM risk_acks WHERE source_type IN (?, ?, ?, ?, ?) AND acked_at >= ? GROUP BY source_type, source_id`,
		[]any{RiskSourceMeasure, RiskSourceMessage, RiskSourceSubmit, RiskSourceDiary, RiskSourcePost, fromS}, func(r *sql.Rows) error {
			var typ, id, at string
			if err := r.Scan(&typ, &id, &at); err != nil {
				return err
			}
			acks[typ+"\x00"+id], _ = parseTime(at)
			return nil
		})
	if err != nil {
		return nil, err
	}
	// The rest are independent searches over the same snapshot: they run
	// side by side on the read pool (the SQLite step is most of a report's
	// time, and a machine has more than one core), each in its own read
	// transaction that checks it sees the change log this one sees;
	// one that does not (a write landed in between) is read again here.
	var sections []reportSection
	var criticalFlags, phraseFlags []report.Flag
	// The activity is the longest: it runs on this goroutine, in tx.
	sections = append(sections, reportSection{"activity", func(rq querier) error {
		var err error
		// Patient activity (submissions, messages in, measures, diary entries)
		// before the end of the period, for the inactivity episodes. Per
		// enrollment, four covering-index searches, handed over as one list
		// ("enrollment time,time,..." lines in one row: the rows are what
		// costs, not the text), sorted here and walked once by the figure.
		// An enrollment without activity has no line.
		var packed sql.NullString
		err = rq.QueryRowContext(ctx, `SELECT group_concat(e.value || ' ' || (SELECT group_concat(at, ',') FROM (
				SELECT submitted_at AS at FROM submissions WHERE enrollment_id = e.value AND submitted_at < ?2
				UNION ALL SELECT sent_at FROM messages WHERE enrollment_id = e.value AND sent_at < ?2 AND direction = 'in'
				UNION ALL SELECT answered_at FROM measure_responses WHERE enrollment_id = e.value AND answered_at < ?2
				UNION ALL SELECT recorded_at FROM diary_entries WHERE enrollment_id = e.value AND recorded_at < ?2)), char(10))
			FROM json_each(?1) e`, string(activeJSON), toS).Scan(&packed)
		if err != nil || packed.String == "" {
			return err
		}
		for line := range strings.SplitSeq(packed.String, "\n") {
			eid, list, ok := strings.Cut(line, " ")
			en, known := byID[eid]
			if !ok || !known {
				return fmt.Errorf("activity: %q is not an enrollment of the report and its times", line)
			}
			e := &f.Enrollments[en.i]
			e.Activity = make([]time.Time, 0, strings.Count(list, ",")+1)
			for at := range strings.SplitSeq(list, ",") {
				t, err := reportTime(at)
				if err != nil {
					return fmt.Errorf("activity of enrollment %s: %q: %w", eid, at, err)
				}
				e.Activity = append(e.Activity, t)
			}
			// Four lists each in time order: sorted here, not in SQLite.
			slices.SortFunc(e.Activity, time.Time.Compare)
		}
		return nil
	}})
	sections = append(sections, reportSection{"course", func(rq querier) error {
		var err error
		// The course: discontinuation reasons and pauses.
		err = scanRows(ctx, rq, `SELECT enrollment_id, kind, at, reason_code FROM enrollment_events
			WHERE enrollment_id IN (SELECT value FROM json_each(?)) AND kind IN ('discontinue', 'pause', 'resume') ORDER BY enrollment_id, at, rowid`,
			[]any{string(overJSON)}, func(r *sql.Rows) error {
				var eid, kind, at, code string
				if err := r.Scan(&eid, &kind, &at, &code); err != nil {
					return err
				}
				e := &f.Enrollments[byID[eid].i]
				t, _ := parseTime(at)
				switch kind {
				case CourseDiscontinue:
					e.DiscontinueReason = code
				case CoursePause:
					e.Pauses = append(e.Pauses, report.Pause{From: t})
				case CourseResume:
					if n := len(e.Pauses); n > 0 && e.Pauses[n-1].To.IsZero() {
						e.Pauses[n-1].To = t
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
		return err
	}})
	sections = append(sections, reportSection{"referrals", func(rq querier) error {
		var err error
		scanReferral := func(r *sql.Rows) error {
			var at string
			if err := r.Scan(&at); err != nil {
				return err
			}
			t, _ := parseTime(at)
			f.Referrals = append(f.Referrals, report.Referral{ReceivedAt: t})
			return nil
		}
		// Referrals received in the period. A team's are those that became
		// enrollments with its therapists; the service's are all of them.
		if q.Team != "" {
			err = scanRows(ctx, rq, `SELECT r.received_at FROM enrollments e JOIN referrals r ON r.id = e.referral_id
				WHERE r.received_at >= ? AND r.received_at < ?`+scope, append([]any{fromS, toS}, args...), scanReferral)
		} else if q.Program != "" {
			err = scanRows(ctx, rq, `SELECT received_at FROM referrals WHERE received_at >= ? AND received_at < ? AND requested_program = ?`,
				[]any{fromS, toS, q.Program}, scanReferral)
		} else {
			err = scanRows(ctx, rq, `SELECT received_at FROM referrals WHERE received_at >= ? AND received_at < ?`, []any{fromS, toS}, scanReferral)
		}
		if err != nil {
			return err
		}
		return err
	}})
	sections = append(sections, reportSection{"modules", func(rq querier) error {
		// Modules with a submission, for the treatments that ended: the
		// enrollments' exercises, packed in one row ("enrollment exercise"
		// lines: ids and slugs hold no space or new line).
		var packed sql.NullString
		err := rq.QueryRowContext(ctx, `SELECT group_concat(enrollment_id || ' ' || exercise_id, char(10)) FROM (
			SELECT DISTINCT enrollment_id, exercise_id FROM submissions WHERE enrollment_id IN (SELECT value FROM json_each(?)))`,
			string(endedJSON)).Scan(&packed)
		if err != nil || packed.String == "" {
			return err
		}
		seen := map[[2]string]bool{}
		for line := range strings.SplitSeq(packed.String, "\n") {
			eid, ex, ok := strings.Cut(line, " ")
			if !ok {
				return fmt.Errorf("modules: %q is not an enrollment and an exercise", line)
			}
			e, known := byID[eid]
			if !known {
				return fmt.Errorf("modules: enrollment %s is not one of the report's", eid)
			}
			mod := moduleOf[e.pv][ex]
			if mod == "" || seen[[2]string{eid, mod}] {
				continue
			}
			seen[[2]string{eid, mod}] = true
			f.Enrollments[e.i].ModulesDone++
		}
		return nil
	}})
	sections = append(sections, reportSection{"scores", func(rq querier) error {
		// Scores of the treatments that ended, in time order, packed in
		// one row ("enrollment instrument version total time" lines).
		var packed sql.NullString
		err := rq.QueryRowContext(ctx, `SELECT group_concat(enrollment_id || ' ' || instrument_id || ' ' || instrument_version || ' ' || total || ' ' || answered_at,
				char(10) ORDER BY enrollment_id, answered_at, id)
			FROM measure_responses WHERE enrollment_id IN (SELECT value FROM json_each(?))`, string(endedJSON)).Scan(&packed)
		if err != nil || packed.String == "" {
			return err
		}
		for line := range strings.SplitSeq(packed.String, "\n") {
			fields := strings.Split(line, " ")
			if len(fields) != 5 {
				return fmt.Errorf("scores: %q is not an enrollment, an instrument, a version, a total and a time", line)
			}
			var s report.Score
			var err1, err2 error
			s.Instrument = fields[1]
			s.Version, err1 = strconv.Atoi(fields[2])
			s.Total, err2 = strconv.Atoi(fields[3])
			if err1 != nil || err2 != nil {
				return fmt.Errorf("scores: %q: the version and the total are whole numbers", line)
			}
			s.At, _ = reportTime(fields[4])
			f.Scores[fields[0]] = append(f.Scores[fields[0]], s)
		}
		return nil
	}})
	sections = append(sections, reportSection{"critical", func(rq querier) error {
		var err error
		// Instruments (newest version of each) and the risk flags of those with
		// critical items: answers in the period at or above amber.
		ins, err := selectAll[InstrumentVersion](ctx, rq, tables.instrument, "ORDER BY instrument_id, version")
		if err != nil {
			return err
		}
		for _, iv := range ins {
			in, err := db.instrumentDef(ctx, rq, iv.InstrumentID, iv.Version, nil)
			if err != nil {
				return err
			}
			f.Instruments[iv.InstrumentID] = in
		}
		for id, in := range f.Instruments {
			for _, c := range in.Critical {
				idx := -1
				for i, it := range in.Items {
					if it.ID == c.Item {
						idx = i
					}
				}
				if idx < 0 {
					continue
				}
				path := fmt.Sprintf("$[%d]", idx)
				err = scanRows(ctx, rq, `SELECT m.id, m.answered_at, json_extract(m.answers, ?) FROM measure_responses m
					WHERE m.enrollment_id IN (SELECT value FROM json_each(?)) AND m.instrument_id = ?
					AND m.answered_at >= ? AND m.answered_at < ? AND json_extract(m.answers, ?) >= ?`,
					[]any{path, string(overJSON), id, fromS, toS, path, c.Amber}, func(r *sql.Rows) error {
						var mid, at string
						var a int
						if err := r.Scan(&mid, &at, &a); err != nil {
							return err
						}
						fl := report.Flag{Source: report.SourceCritical, Level: programs.LevelAmber}
						if c.Red != 0 && a >= c.Red {
							fl.Level = programs.LevelRed
						}
						fl.RaisedAt, _ = parseTime(at)
						if t, ok := acks[RiskSourceMeasure+"\x00"+mid]; ok {
							fl.AckedAt = &t
						}
						criticalFlags = append(criticalFlags, fl)
						return nil
					})
				if err != nil {
					return err
				}
			}
		}
		return err
	}})
	var scanned []riskScan // texts scanned now, kept for the next report
	sections = append(sections, reportSection{"phrases", func(rq querier) error {
		// Risk phrases in the patients' texts of the period (inbound
		// messages, exercise answers, diary entries, peer-group posts), found
		// as the queue finds them: the queue's matcher, each text read as the
		// queue reads it (textHit). A text scanned before with these word
		// lists, by this process (the queue's cache), when it was written or
		// by an earlier report (the risk_scans table), is not read again; the
		// others are read in batches, scanned on a worker per core, and their
		// results kept. A year of the 20,000-patient store is some 280,000
		// texts, a few hundred of them with a phrase: the kept hits come
		// from the risk_scans rows that found one (an index of their own),
		// and whether any text of the period lacks a kept scan from two
		// counts (the period's texts, the period's scans with these word
		// lists); only when they differ does a search per text find which.
		txScope, txArgs := "", []any{fromS, toS}
		if q.Team != "" || q.Program != "" {
			txScope = " AND t.enrollment_id IN (SELECT value FROM json_each(?))"
			txArgs = append(txArgs, string(overJSON))
		}
		for _, job := range []struct {
			source, typ, table, at, where, text string
			submission                          bool
		}{
			{report.SourceMessage, RiskSourceMessage, "messages", "sent_at", " AND t.direction = 'in'",
				"SELECT id, body FROM messages WHERE id IN ", false},
			{report.SourceExercise, RiskSourceSubmit, "submissions", "submitted_at", "",
				"SELECT id, answers FROM submissions WHERE id IN ", true},
			{report.SourceDiary, RiskSourceDiary, "diary_entries", "recorded_at", "",
				"SELECT id, fields FROM diary_entries WHERE id IN ", true},
			{report.SourcePost, RiskSourcePost, "group_posts", "posted_at", "",
				"SELECT id, body FROM group_posts WHERE id IN ", false},
		} {
			var ids []string // not in the risk_scans table
			at := map[string]string{}
			hits := map[string]riskphrase.Hit{}
			period := " AND t." + job.at + " >= ? AND t." + job.at + " < ?" + job.where
			// The kept hits, from the scans that found a phrase (CROSS JOIN
			// keeps that order).
			err := scanRows(ctx, rq, `SELECT t.id, t.`+job.at+`, s.hit FROM risk_scans s INDEXED BY risk_scans_hits CROSS JOIN `+job.table+` t
				WHERE s.source_type = ? AND s.words = ? AND s.hit <> '' AND s.at >= ? AND s.at < ? AND t.id = s.source_id`+period+txScope,
				append([]any{job.typ, scanKey, fromS, toS}, txArgs...), func(r *sql.Rows) error {
					var id, t, stored string
					if err := r.Scan(&id, &t, &stored); err != nil {
						return err
					}
					at[id] = t
					var h riskphrase.Hit
					if err := json.Unmarshal([]byte(stored), &h); err != nil {
						ids = append(ids, id) // unreadable: scan again
						return nil
					}
					hits[id] = h
					return nil
				})
			if err != nil {
				return err
			}
			// Every text of the period (of the whole service: a team's are
			// among them) has a scan made with these word lists when there
			// are as many such scans in the period as texts: each scan
			// names a text that is there (a text removed takes its scan
			// with it), with the text's time.
			var texts, kept int
			if err := rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+job.table+` t WHERE 1`+period, fromS, toS).Scan(&texts); err != nil {
				return err
			}
			if err := rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM risk_scans INDEXED BY risk_scans_period
				WHERE source_type = ? AND words = ? AND at >= ? AND at < ?`, job.typ, scanKey, fromS, toS).Scan(&kept); err != nil {
				return err
			}
			if kept != texts {
				// The texts without a scan made with these word lists.
				err = scanRows(ctx, rq, `SELECT t.id, t.`+job.at+` FROM `+job.table+` t WHERE NOT EXISTS (SELECT 1 FROM risk_scans s
					WHERE s.source_type = ? AND s.source_id = t.id AND s.words = ?)`+period+txScope,
					append([]any{job.typ, scanKey}, txArgs...), func(r *sql.Rows) error {
						var id, t string
						if err := r.Scan(&id, &t); err != nil {
							return err
						}
						at[id] = t
						ids = append(ids, id)
						return nil
					})
				if err != nil {
					return err
				}
			}
			var mu sync.Mutex
			if err := scanPhrases(ctx, rq, job.text, db.riskCache.missing(wordsKey, ids), matcher, job.submission, func(id string, hit riskphrase.Hit) {
				db.riskCache.put(wordsKey, id, hit)
				mu.Lock()
				scanned = append(scanned, riskScan{job.typ, id, at[id], hit})
				mu.Unlock()
			}); err != nil {
				return fmt.Errorf("%s: %w", job.typ, err)
			}
			db.riskCache.collect(wordsKey, hits, ids)
			for id := range hits {
				fl := report.Flag{Source: job.source, Level: programs.LevelAmber}
				fl.RaisedAt, _ = parseTime(at[id])
				if t, ok := acks[job.typ+"\x00"+id]; ok {
					fl.AckedAt = &t
				}
				phraseFlags = append(phraseFlags, fl)
			}
		}
		return nil
	}})
	sections = append(sections, reportSection{"feedback", func(rq querier) error {
		var err error
		// First feedback on each submission, sent in the period, from a
		// covering index in submission order; the submissions' times
		// from the covering index of submissions (not from the table rows
		// that carry the large answers), in one pass over those of the
		// period and the months before it, joined here: a search per
		// feedback cost more than both passes. A submission older than that
		// is searched for by its id.
		fbScope, fbArgs := "", []any{fromS, toS}
		subScope, subArgs := "", []any{fmtTime(from.AddDate(0, 0, -feedbackLookback)), toS}
		if q.Team != "" || q.Program != "" {
			fbScope = " AND enrollment_id IN (SELECT value FROM json_each(?))"
			fbArgs = append(fbArgs, string(overJSON))
			subScope, subArgs = fbScope, append(subArgs, string(overJSON))
		}
		// Both come back packed in one row each ("id time" lines: an id
		// holds no space or new line, a stored time neither), for a row is
		// what costs, not the text.
		type first struct{ submission, sent string }
		var firsts []first
		var packed sql.NullString
		err = rq.QueryRowContext(ctx, `SELECT group_concat(submission_id || ' ' || first, char(10)) FROM (
			SELECT submission_id, MIN(sent_at) AS first FROM feedback INDEXED BY feedback_first
			WHERE sent_at >= ? AND sent_at < ? AND supersedes = ''`+fbScope+` GROUP BY submission_id)`, fbArgs...).Scan(&packed)
		if err != nil || packed.String == "" {
			return err
		}
		firsts = make([]first, 0, strings.Count(packed.String, "\n")+1)
		for line := range strings.SplitSeq(packed.String, "\n") {
			id, at, ok := strings.Cut(line, " ")
			if !ok {
				return fmt.Errorf("first feedback: %q is not an id and a time", line)
			}
			firsts = append(firsts, first{id, at})
		}
		submitted := make(map[string]string, len(firsts))
		err = rq.QueryRowContext(ctx, `SELECT group_concat(id || ' ' || submitted_at, char(10)) FROM submissions INDEXED BY submissions_enrollment
			WHERE submitted_at >= ? AND submitted_at < ?`+subScope, subArgs...).Scan(&packed)
		if err != nil {
			return err
		}
		if err := addIDTimes(submitted, packed.String); err != nil {
			return err
		}
		// Feedback in the period on a submission older than the
		// lookback: those submissions by id, in one search.
		var older []string
		for _, fb := range firsts {
			if _, ok := submitted[fb.submission]; !ok {
				older = append(older, fb.submission)
			}
		}
		if len(older) > 0 {
			ids, err := json.Marshal(older)
			if err != nil {
				return err
			}
			packed = sql.NullString{}
			if err := rq.QueryRowContext(ctx, `SELECT group_concat(id || ' ' || submitted_at, char(10)) FROM submissions
				WHERE id IN (SELECT value FROM json_each(?))`, string(ids)).Scan(&packed); err != nil {
				return err
			}
			if err := addIDTimes(submitted, packed.String); err != nil {
				return err
			}
		}
		f.Feedback = make([]report.Feedback, 0, len(firsts))
		for _, fb := range firsts {
			sub, ok := submitted[fb.submission]
			if !ok {
				continue // no such submission
			}
			var out report.Feedback
			out.SubmittedAt, _ = reportTime(sub)
			out.SentAt, _ = reportTime(fb.sent)
			f.Feedback = append(f.Feedback, out)
		}
		return nil
	}})
	sections = append(sections, reportSection{"time", func(rq querier) error {
		var err error
		// The time meter over the ISO weeks that start in the period.
		var weeks []string
		for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Monday {
				weeks = append(weeks, ISOWeek(d))
			}
		}
		wJSON, _ := json.Marshal(weeks)
		tScope, tArgs := "", []any{string(wJSON)}
		if q.Team != "" {
			tScope = " AND therapist_id IN (SELECT value FROM json_each(?))"
			tArgs = append(tArgs, string(thJSON))
		}
		err = scanRows(ctx, rq, `SELECT patient_id, week, seconds FROM time_spent WHERE week IN (SELECT value FROM json_each(?))`+tScope, tArgs, func(r *sql.Rows) error {
			var t report.TimeSpent
			if err := r.Scan(&t.PatientID, &t.Week, &t.Seconds); err != nil {
				return err
			}
			f.Time = append(f.Time, t)
			return nil
		})
		if err != nil {
			return err
		}
		return err
	}})
	if err := runSections(ctx, db.r, tx, head, sections); err != nil {
		return nil, err
	}
	f.Flags = append(criticalFlags, phraseFlags...)
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	// Kept for the next report; a store this process may not write (a
	// read-only file) only makes the next report scan them again.
	_ = db.keepRiskScans(ctx, scanKey, scanned)
	return f, nil
}

// reportTime reads a time as the store writes it (timeLayout), a few
// times faster than time.Parse; any other form goes to parseTime.
func reportTime(s string) (time.Time, error) {
	// 2006-01-02T15:04:05.000Z
	if len(s) != len(timeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z' {
		return parseTime(s)
	}
	n := func(i, j int) int {
		v := 0
		for _, c := range s[i:j] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec, ms := n(0, 4), n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19), n(20, 23)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0 {
		return parseTime(s)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), time.UTC)
	if t.Day() != d {
		return parseTime(s) // no such day (February 30th): as time.Parse says
	}
	return t, nil
}

// feedbackLookback is how many days before a report's period the
// feedback section reads the submissions' times in one pass; feedback in
// the period on an older submission finds it by its id.
const feedbackLookback = 92

// reportSection is one search of a report's facts; run reads with q and
// writes only its own part of the facts.
type reportSection struct {
	name string
	run  func(q querier) error
}

// runSections runs the sections side by side, each in a read transaction
// of pool, while tx (a read transaction whose snapshot has change-log head
// head) stays open. A section whose transaction sees another head (a
// write landed between the two snapshots) is run again in tx, so that
// every fact comes from tx's snapshot. The first section runs in tx
// itself, on the calling goroutine.
func runSections(ctx context.Context, pool *sql.DB, tx *sql.Tx, head int64, sections []reportSection) error {
	if len(sections) == 0 {
		return nil
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The first section to fail is the cause; it cancels the others, whose
	// errors (a cancelled context, or a transaction rolled back under
	// them) are its consequences and are not reported.
	var mu sync.Mutex
	var cause error
	fail := func(err error) {
		mu.Lock()
		if cause == nil {
			cause = err
		}
		mu.Unlock()
		cancel()
	}
	again := make([]bool, len(sections))
	var wg sync.WaitGroup
	for i := 1; i < len(sections); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rtx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
			if err != nil {
				fail(err)
				return
			}
			defer rtx.Rollback()
			var h int64
			if err := rtx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&h); err != nil {
				fail(err)
				return
			}
			if h != head {
				again[i] = true
				return
			}
			if err := sections[i].run(rtx); err != nil {
				fail(fmt.Errorf("%s: %w", sections[i].name, err))
			}
		}()
	}
	if err := sections[0].run(tx); err != nil {
		fail(fmt.Errorf("%s: %w", sections[0].name, err))
	}
	wg.Wait()
	if err := parent.Err(); err != nil {
		return err
	}
	if cause != nil {
		return cause
	}
	for i := range sections {
		if again[i] {
			if err := sections[i].run(tx); err != nil {
				return fmt.Errorf("%s: %w", sections[i].name, err)
			}
		}
	}
	return nil
}

func scanRows(ctx context.Context, q querier, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanPhrases reads the texts of ids (query: "SELECT id, text FROM ...
// WHERE id IN ") in batches and scans them on a worker per core while the
// next batch is read; put gets each text's hit (none: a zero Hit).
func scanPhrases(ctx context.Context, tx querier, query string, ids []string, m *riskphrase.Matcher, submission bool, put func(string, riskphrase.Hit)) error {
	type text struct{ id, text string }
	in := make(chan []text, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var scanErr error
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range in {
				for _, t := range batch {
					hit, err := textHit(m, submission, t.text)
					if err != nil {
						mu.Lock()
						scanErr = fmt.Errorf("%s: %w", t.id, err)
						mu.Unlock()
						continue
					}
					put(t.id, hit)
				}
			}
		}()
	}
	var err error
	for len(ids) > 0 && err == nil {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		texts := make([]text, 0, len(batch))
		err = scanRows(ctx, tx, query+"(?"+strings.Repeat(", ?", len(batch)-1)+")", args, func(r *sql.Rows) error {
			var t text
			if err := r.Scan(&t.id, &t.text); err != nil {
				return err
			}
			texts = append(texts, t)
			return nil
		})
		in <- texts
	}
	close(in)
	wg.Wait()
	if err != nil {
		return err
	}
	return scanErr
}

// addIDTimes adds to m the submissions of packed, lines of an id and a
// time (group_concat of "id submitted_at").
func addIDTimes(m map[string]string, packed string) error {
	if packed == "" {
		return nil
	}
	for line := range strings.SplitSeq(packed, "\n") {
		id, at, ok := strings.Cut(line, " ")
		if !ok {
			return fmt.Errorf("submissions: %q is not an id and a time", line)
		}
		m[id] = at
	}
	return nil
}
