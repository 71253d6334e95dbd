package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Actor is who performs an operation or a read: a signed-in person (a
// therapist, supervisor or admin) or the system itself (imports, the demo
// generator, the sync engine applying pulled records).
type Actor struct {
	ID     string // therapist id, or "system" / "os:<user>"
	Handle string
	Role   string
	Team   string
	Device string
}

// System is the actor for work no person does (demo generation, migrations,
// applying pulled records). Its reads are not audited.
func System(device string) Actor {
	return Actor{ID: "system", Handle: "system", Role: RoleAdmin, Device: device}
}

// LocalUser is the actor for an admin at the CLI on the store file itself,
// without --as: named by the operating-system user so that reads are still
// attributable in the audit log.
func LocalUser(user, device string) Actor {
	return Actor{ID: "os:" + user, Handle: user, Role: RoleAdmin, Device: device}
}

// IsPerson says whether reads by this actor are audited.
func (a Actor) IsPerson() bool { return a.ID != "system" && a.ID != "" }

// ActorFor makes the actor of a stored therapist account.
func ActorFor(t Therapist, device string) Actor {
	return Actor{ID: t.ID, Handle: t.Handle, Role: t.Role, Team: t.Team, Device: device}
}

// CanRead says whether actor may read patientID's record: the assigned
// therapist of any of the patient's enrollments, a supervisor of that
// therapist's team, an admin or the system.
func (db *DB) CanRead(ctx context.Context, actor Actor, patientID string) error {
	return canRead(ctx, db.r, actor, patientID)
}

// isAdminAccount says whether actor is a signed-in admin account: it
// manages accounts and programs, not patients. (The system and the store's
// owner at the CLI, also admins, read every record.)
func (a Actor) isAdminAccount() bool {
	return a.Role == RoleAdmin && a.IsPerson() && !strings.HasPrefix(a.ID, "os:")
}

func canRead(ctx context.Context, q querier, actor Actor, patientID string) error {
	switch actor.Role {
	case RoleAdmin:
		if !actor.isAdminAccount() {
			return nil
		}
		return forbidden("store.err.admin_reads_no_records", "Handle", actor.Handle)
	case RoleTherapist:
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM enrollments WHERE patient_id = ? AND therapist_id = ? LIMIT 1`,
			patientID, actor.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return forbidden("store.err.patient_assigned", "PatientID", patientID, "Handle", actor.Handle)
		}
		return err
	case RoleSupervisor:
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM enrollments e JOIN therapists t ON t.id = e.therapist_id
			WHERE e.patient_id = ? AND t.team = ? AND t.team <> '' LIMIT 1`, patientID, actor.Team).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return forbidden("store.err.patient_team", "PatientID", patientID, "Team", quote(actor.Team))
		}
		return err
	}
	return forbidden("store.err.unknown_role", "Role", quote(actor.Role))
}

// ReadablePatient finds a patient by id or pseudonym among those actor may
// read. A patient that does not exist and one the actor may not read get
// the same answer, naming only what the actor typed: an answer must not
// confirm that someone is a patient, nor whose. An admin account is told
// that admin accounts read no records, whatever it asked for.
func (db *DB) ReadablePatient(ctx context.Context, actor Actor, ref string) (Patient, error) {
	if actor.isAdminAccount() {
		return Patient{}, forbidden("store.err.admin_reads_no_records", "Handle", actor.Handle)
	}
	unreadable := func() error {
		if actor.Role == RoleAdmin { // reads every record: not there is all it can be
			return notFound("patient", ref)
		}
		return newErr(ErrNotFound, "store.err.patient_not_yours", "ID", quote(ref))
	}
	p, err := db.ResolvePatient(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		return Patient{}, unreadable()
	}
	if err != nil {
		return Patient{}, err
	}
	if err := db.CanRead(ctx, actor, p.ID); errors.Is(err, ErrForbidden) {
		return Patient{}, unreadable()
	} else if err != nil {
		return Patient{}, err
	}
	return p, nil
}
