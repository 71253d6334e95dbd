package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"time"

	"polku/internal/i18n"
)

// AccessRead is one read of a patient's record, as the access reports show
// it: who (name, role, team), when, what, from which device, for what
// purpose, and whether the reader was assigned to the patient then.
type AccessRead struct {
	AuditEntry
	Pseudonym string `json:"pseudonym,omitempty"` // in the report by user
	Handle    string `json:"handle"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Team      string `json:"team,omitempty"`
	// Purpose, from the reader's relation to the patient at the time of
	// the read: PurposeCare, PurposeSupervision, PurposeAdministration or
	// PurposeNone (no relation: flagged).
	Purpose  string `json:"purpose"`
	Assigned bool   `json:"assigned"` // the reader's own patient (or team's, for a supervisor) at that moment
}

// Purposes of a read.
const (
	PurposeCare           = "care"           // the patient's assigned therapist
	PurposeSupervision    = "supervision"    // a supervisor of the assigned therapist's team
	PurposeAdministration = "administration" // an admin or the store's owner (exports, access reports)
	PurposeNone           = "none"           // none of these at the time of the read
)

// PatientAccessReport is a patient's access report for a period.
type PatientAccessReport struct {
	Patient  Patient      `json:"patient"`
	Language string       `json:"language"`       // the language the report is written in
	From     *time.Time   `json:"from,omitempty"` // inclusive
	To       *time.Time   `json:"to,omitempty"`   // exclusive
	Reads    []AccessRead `json:"reads"`
}

// UserAccessReport is everything one user read in a period.
type UserAccessReport struct {
	User  Therapist    `json:"user"`
	From  *time.Time   `json:"from,omitempty"`
	To    *time.Time   `json:"to,omitempty"`
	Reads []AccessRead `json:"reads"`
	// Reads of patients the user was not assigned to at the time (and not
	// as an admin): the reads to look into.
	Unassigned int `json:"unassigned"`
}

// accessAdmin refuses anyone but an admin: the two access reports list who
// read what across the service, which is for the service's admins (its
// privacy officer), not for the people in the care team.
func accessAdmin(actor Actor, what i18n.Message) error {
	if actor.Role != RoleAdmin {
		return forbidden("store.err.admins_only", "Handle", actor.Handle, "Role", roleArg(actor.Role), "What", what)
	}
	return nil
}

// PatientAccess is the access report of one patient for a period (zero
// times: without that bound), oldest first, for an admin. Reading it is
// written to the audit log (view says where from), after the rows it lists.
func (db *DB) PatientAccess(ctx context.Context, actor Actor, patientID string, from, to time.Time, view string) (*PatientAccessReport, error) {
	if err := accessAdmin(actor, i18n.Msg("store.err.what.access_report")); err != nil {
		return nil, err
	}
	p, err := selectOne[Patient](ctx, db.r, tables.patient, "patient", patientID, "WHERE id = ?", patientID)
	if err != nil {
		return nil, err
	}
	where, args := "WHERE patient_id = ?", []any{patientID}
	where, args = periodWhere(where, args, from, to)
	entries, err := selectAll[AuditEntry](ctx, db.r, tables.audit, where+" ORDER BY at, id", args...)
	if err != nil {
		return nil, err
	}
	reads, err := db.accessReads(ctx, entries)
	if err != nil {
		return nil, err
	}
	r := &PatientAccessReport{Patient: p, Language: "en", Reads: reads}
	r.From, r.To = optTime(from), optTime(to)
	if err := db.RecordAccess(ctx, actor, patientID, "read", view); err != nil {
		return nil, err
	}
	return r, nil
}

// UserAccess lists everything the user with handle read in a period,
// oldest first, flagging reads of patients the user was not assigned to at
// that moment; for an admin. Each patient in it counts as read (audit log).
func (db *DB) UserAccess(ctx context.Context, actor Actor, handle string, from, to time.Time, view string) (*UserAccessReport, error) {
	if err := accessAdmin(actor, i18n.Msg("store.err.what.reads_report")); err != nil {
		return nil, err
	}
	u, err := db.TherapistByHandle(ctx, handle)
	if err != nil {
		return nil, err
	}
	where, args := "WHERE actor_id = ?", []any{u.ID}
	where, args = periodWhere(where, args, from, to)
	entries, err := selectAll[AuditEntry](ctx, db.r, tables.audit, where+" ORDER BY at, id", args...)
	if err != nil {
		return nil, err
	}
	reads, err := db.accessReads(ctx, entries)
	if err != nil {
		return nil, err
	}
	r := &UserAccessReport{User: u, Reads: reads}
	r.From, r.To = optTime(from), optTime(to)
	var patients []string
	seen := map[string]bool{}
	for _, rd := range reads {
		if rd.Purpose == PurposeNone {
			r.Unassigned++
		}
		if !seen[rd.PatientID] {
			seen[rd.PatientID] = true
			patients = append(patients, rd.PatientID)
		}
	}
	if err := db.RecordAccessMany(ctx, actor, patients, "read", view); err != nil {
		return nil, err
	}
	return r, nil
}

func periodWhere(where string, args []any, from, to time.Time) (string, []any) {
	if !from.IsZero() {
		where += " AND at >= ?"
		args = append(args, fmtTime(from))
	}
	if !to.IsZero() {
		where += " AND at < ?"
		args = append(args, fmtTime(to))
	}
	return where, args
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// assignment is who an enrollment was assigned to from a moment on.
type assignment struct {
	since     time.Time
	therapist string
}

// accessReads adds to audit entries the reader, the patient's pseudonym
// and whether the reader was assigned to the patient at the moment of the
// read: the therapist of one of the patient's enrollments then (from the
// assignment history; an enrollment's first assignment holds from its
// creation), or for a supervisor a therapist of their team then.
func (db *DB) accessReads(ctx context.Context, entries []AuditEntry) ([]AccessRead, error) {
	reads := make([]AccessRead, len(entries))
	if len(entries) == 0 {
		return reads, nil
	}
	ths, err := db.Therapists(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]Therapist{}
	for _, t := range ths {
		byID[t.ID] = t
	}
	var pids []string
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.PatientID] {
			seen[e.PatientID] = true
			pids = append(pids, e.PatientID)
		}
	}
	pj, _ := json.Marshal(pids)
	pseudo := map[string]string{}
	err = scanRows(ctx, db.r, `SELECT id, pseudonym FROM patients WHERE id IN (SELECT value FROM json_each(?))`, []any{string(pj)}, func(r *sql.Rows) error {
		var id, ps string
		if err := r.Scan(&id, &ps); err != nil {
			return err
		}
		pseudo[id] = ps
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The assignment history of the patients' enrollments, oldest first.
	hist := map[string]map[string][]assignment{} // patient -> enrollment -> history
	err = scanRows(ctx, db.r, `SELECT a.patient_id, a.enrollment_id, a.therapist_id, COALESCE(c.at, ''), e.created_at
		FROM assignments a JOIN enrollments e ON e.id = a.enrollment_id LEFT JOIN changes c ON c.seq = a.seq
		WHERE a.patient_id IN (SELECT value FROM json_each(?)) ORDER BY a.enrollment_id, a.seq`, []any{string(pj)}, func(r *sql.Rows) error {
		var pid, eid, tid, at, created string
		if err := r.Scan(&pid, &eid, &tid, &at, &created); err != nil {
			return err
		}
		if hist[pid] == nil {
			hist[pid] = map[string][]assignment{}
		}
		h := hist[pid][eid]
		since, _ := parseTime(at)
		if len(h) == 0 || at == "" { // the first holds from the enrollment's creation
			since, _ = parseTime(created)
		}
		hist[pid][eid] = append(h, assignment{since: since, therapist: tid})
		return nil
	})
	if err != nil {
		return nil, err
	}
	assignedAt := func(pid string, t time.Time) []string {
		var out []string
		for _, h := range hist[pid] {
			i := sort.Search(len(h), func(i int) bool { return h[i].since.After(t) })
			if i > 0 {
				out = append(out, h[i-1].therapist)
			}
		}
		return out
	}
	for i, e := range entries {
		rd := AccessRead{AuditEntry: e, Pseudonym: pseudo[e.PatientID]}
		if th, ok := byID[e.ActorID]; ok {
			rd.Handle, rd.Name, rd.Role, rd.Team = th.Handle, th.Name, th.Role, th.Team
		} else if isLocalUser(Actor{ID: e.ActorID}) {
			rd.Handle, rd.Name, rd.Role = e.ActorID[3:], "operating-system user "+e.ActorID[3:]+" at the store file", RoleAdmin
		} else {
			rd.Handle, rd.Name, rd.Role = e.ActorID, e.ActorID, "unknown"
		}
		rd.Purpose = PurposeNone
		switch rd.Role {
		case RoleTherapist:
			for _, tid := range assignedAt(e.PatientID, e.At) {
				if tid == e.ActorID {
					rd.Assigned, rd.Purpose = true, PurposeCare
				}
			}
		case RoleSupervisor:
			for _, tid := range assignedAt(e.PatientID, e.At) {
				if t, ok := byID[tid]; ok && rd.Team != "" && t.Team == rd.Team {
					rd.Assigned, rd.Purpose = true, PurposeSupervision
				}
			}
		case RoleAdmin:
			rd.Purpose = PurposeAdministration
		}
		reads[i] = rd
	}
	return reads, nil
}
