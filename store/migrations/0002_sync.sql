-- polku store, schema 2: sync between a server (polku serve) and replicas.
-- Both sides carry every table; a server uses tokens, idempotency and
-- assignments, a replica uses outbox and sync_state.

-- Access tokens. Only a hash of the token is stored; the token itself is
-- shown once when it is made.
CREATE TABLE tokens (
  id         TEXT PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE,           -- hex SHA-256 of the token
  kind       TEXT NOT NULL CHECK (kind IN ('therapist', 'patient')),
  subject_id TEXT NOT NULL,                  -- therapist id or patient id
  device     TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX tokens_subject ON tokens (subject_id);

-- Server: every pushed operation's idempotency key with its result, written
-- in the same transaction as the operation's rows.
CREATE TABLE idempotency (
  actor_id TEXT NOT NULL,
  key      TEXT NOT NULL,
  op_type  TEXT NOT NULL,
  status   TEXT NOT NULL,
  result   TEXT NOT NULL,
  at       TEXT NOT NULL,
  PRIMARY KEY (actor_id, key)
) WITHOUT ROWID;

-- Replica: local operations waiting to be pushed (pending), pushed and kept
-- for a while in case the server is restored from a backup (pushed), or
-- refused by the server and waiting for the therapist (conflict, rejected).
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  key        TEXT NOT NULL UNIQUE,
  op_type    TEXT NOT NULL,
  body       TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  patient_id TEXT NOT NULL DEFAULT '',
  record_ids TEXT NOT NULL DEFAULT '',     -- ids of the records the op writes, space-separated
  created_at TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'pushed', 'conflict', 'rejected')),
  error      TEXT NOT NULL DEFAULT '',
  pushed_at  TEXT
);
CREATE INDEX outbox_state ON outbox (state, seq);

-- Replica: server address, epoch and pull cursor.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Who each enrollment was assigned to after each of its change-log rows,
-- so that the server can tell which patients became visible to a therapist
-- after a pull cursor (and send their whole history).
CREATE TABLE assignments (
  enrollment_id TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  patient_id    TEXT NOT NULL,
  therapist_id  TEXT NOT NULL,
  PRIMARY KEY (enrollment_id, seq)
) WITHOUT ROWID;
CREATE INDEX assignments_patient ON assignments (patient_id, seq);

INSERT INTO assignments (enrollment_id, seq, patient_id, therapist_id)
  SELECT e.id, COALESCE((SELECT MAX(c.seq) FROM changes c WHERE c.entity = 'enrollments' AND c.entity_id = e.id), 0),
         e.patient_id, e.therapist_id
  FROM enrollments e;

CREATE TRIGGER changes_assignments AFTER INSERT ON changes WHEN NEW.entity = 'enrollments'
BEGIN
  INSERT OR REPLACE INTO assignments (enrollment_id, seq, patient_id, therapist_id)
    SELECT e.id, NEW.seq, e.patient_id, e.therapist_id FROM enrollments e WHERE e.id = NEW.entity_id;
END;
