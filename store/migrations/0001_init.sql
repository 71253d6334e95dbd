-- polku store, schema 1.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.mmmZ' (sorts as text); dates 'YYYY-MM-DD'.
-- Ids are UUIDv7 text made by the writer.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE therapists (
  id         TEXT PRIMARY KEY,
  handle     TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('therapist', 'supervisor', 'admin')),
  team       TEXT NOT NULL DEFAULT '',
  languages  TEXT NOT NULL DEFAULT '[]',
  capacity   INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX therapists_team ON therapists (team);

CREATE TABLE instruments (
  id            TEXT PRIMARY KEY,
  instrument_id TEXT NOT NULL,
  version       INTEGER NOT NULL,
  title         TEXT NOT NULL,
  hash          TEXT NOT NULL,
  definition    TEXT NOT NULL,
  imported_at   TEXT NOT NULL,
  UNIQUE (instrument_id, version)
);

CREATE TABLE program_versions (
  id          TEXT PRIMARY KEY,
  program_id  TEXT NOT NULL,
  version     INTEGER NOT NULL,
  title       TEXT NOT NULL,
  language    TEXT NOT NULL,
  hash        TEXT NOT NULL,
  definition  TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (program_id, version)
);

CREATE TABLE patients (
  id           TEXT PRIMARY KEY,
  pseudonym    TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  birth_date   TEXT NOT NULL,
  language     TEXT NOT NULL,
  synthetic    INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE referrals (
  id                TEXT PRIMARY KEY,
  patient_id        TEXT NOT NULL REFERENCES patients (id),
  received_at       TEXT NOT NULL,
  referring_unit    TEXT NOT NULL,
  requested_program TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'declined', 'enrolled')),
  note              TEXT NOT NULL DEFAULT '',
  updated_at        TEXT NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_patient ON referrals (patient_id);
CREATE INDEX referrals_status ON referrals (status, received_at);

CREATE TABLE enrollments (
  id                 TEXT PRIMARY KEY,
  patient_id         TEXT NOT NULL REFERENCES patients (id),
  referral_id        TEXT NOT NULL DEFAULT '',
  program_version_id TEXT NOT NULL REFERENCES program_versions (id),
  program_id         TEXT NOT NULL,
  therapist_id       TEXT NOT NULL REFERENCES therapists (id),
  status             TEXT NOT NULL CHECK (status IN ('scheduled', 'active', 'completed', 'discontinued')),
  start_date         TEXT NOT NULL,
  planned_end        TEXT NOT NULL,
  unlocked_modules   INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX enrollments_therapist ON enrollments (therapist_id, status);
CREATE INDEX enrollments_patient ON enrollments (patient_id);

CREATE TABLE submissions (
  id            TEXT PRIMARY KEY,
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  module_id     TEXT NOT NULL,
  exercise_id   TEXT NOT NULL,
  submitted_at  TEXT NOT NULL,
  answers       TEXT NOT NULL,
  supersedes    TEXT NOT NULL DEFAULT ''
);
-- Covers the triage scan, which never reads the (large) answers.
CREATE INDEX submissions_enrollment ON submissions (enrollment_id, submitted_at, id, exercise_id, supersedes);
CREATE INDEX submissions_patient ON submissions (patient_id);

CREATE TABLE feedback (
  id            TEXT PRIMARY KEY,
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  therapist_id  TEXT NOT NULL REFERENCES therapists (id),
  body          TEXT NOT NULL,
  sent_at       TEXT NOT NULL,
  supersedes    TEXT NOT NULL DEFAULT '',
  read_at       TEXT
);
CREATE INDEX feedback_submission ON feedback (submission_id);
CREATE INDEX feedback_enrollment ON feedback (enrollment_id, submission_id); -- covers the triage lookup
CREATE INDEX feedback_patient ON feedback (patient_id);
CREATE INDEX feedback_therapist ON feedback (therapist_id, sent_at);

CREATE TABLE messages (
  id            TEXT PRIMARY KEY,
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  direction     TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  therapist_id  TEXT NOT NULL DEFAULT '',
  body          TEXT NOT NULL,
  sent_at       TEXT NOT NULL,
  read_at       TEXT
);
-- Covers the triage scan, which never reads bodies it has already scanned.
CREATE INDEX messages_enrollment ON messages (enrollment_id, sent_at, id, direction, read_at);
CREATE INDEX messages_patient ON messages (patient_id);

CREATE TABLE measure_responses (
  id                 TEXT PRIMARY KEY,
  enrollment_id      TEXT NOT NULL REFERENCES enrollments (id),
  patient_id         TEXT NOT NULL REFERENCES patients (id),
  instrument_id      TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  week               INTEGER NOT NULL,
  answers            TEXT NOT NULL,
  total              INTEGER NOT NULL,
  answered_at        TEXT NOT NULL
);
CREATE INDEX measures_enrollment ON measure_responses (enrollment_id, answered_at);
CREATE INDEX measures_patient ON measure_responses (patient_id);

CREATE TABLE diary_entries (
  id            TEXT PRIMARY KEY,
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  exercise_id   TEXT NOT NULL,
  date          TEXT NOT NULL,
  fields        TEXT NOT NULL,
  recorded_at   TEXT NOT NULL
);
CREATE INDEX diary_enrollment ON diary_entries (enrollment_id, recorded_at); -- MAX(recorded_at) per enrollment in one seek
CREATE INDEX diary_patient ON diary_entries (patient_id);

CREATE TABLE notes (
  id           TEXT PRIMARY KEY,
  patient_id   TEXT NOT NULL REFERENCES patients (id),
  therapist_id TEXT NOT NULL REFERENCES therapists (id),
  body         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  supersedes   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notes_patient ON notes (patient_id, created_at);

CREATE TABLE risk_acks (
  id            TEXT PRIMARY KEY,
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  source_type   TEXT NOT NULL,
  source_id     TEXT NOT NULL,
  therapist_id  TEXT NOT NULL REFERENCES therapists (id),
  action        TEXT NOT NULL,
  comment       TEXT NOT NULL DEFAULT '',
  acked_at      TEXT NOT NULL
);
CREATE INDEX risk_acks_enrollment ON risk_acks (enrollment_id, source_id);
CREATE INDEX risk_acks_patient ON risk_acks (patient_id);

CREATE TABLE drafts (
  id           TEXT PRIMARY KEY,
  therapist_id TEXT NOT NULL REFERENCES therapists (id),
  patient_id   TEXT NOT NULL REFERENCES patients (id),
  target_type  TEXT NOT NULL,
  target_id    TEXT NOT NULL,
  body         TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  UNIQUE (therapist_id, target_type, target_id)
);
CREATE INDEX drafts_patient ON drafts (patient_id);

CREATE TABLE time_spent (
  id           TEXT PRIMARY KEY,
  therapist_id TEXT NOT NULL REFERENCES therapists (id),
  patient_id   TEXT NOT NULL REFERENCES patients (id),
  week         TEXT NOT NULL,
  seconds      INTEGER NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (therapist_id, patient_id, week)
);
CREATE INDEX time_spent_patient ON time_spent (patient_id);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

CREATE TABLE changes (
  seq        INTEGER PRIMARY KEY, -- never deleted, so max+1 is monotonic without AUTOINCREMENT
  at         TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  patient_id TEXT NOT NULL DEFAULT '',
  op         TEXT NOT NULL
);
CREATE INDEX changes_patient ON changes (patient_id, seq);

CREATE TABLE audit (
  id         TEXT PRIMARY KEY,
  at         TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  device     TEXT NOT NULL DEFAULT '',
  patient_id TEXT NOT NULL,
  action     TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_patient ON audit (patient_id, at);
CREATE INDEX audit_actor ON audit (actor_id, at);
