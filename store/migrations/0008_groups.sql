-- polku store, schema 10: group programs (cohorts) and moderated peer
-- groups (docs/groups.md).
-- (IF NOT EXISTS: a test rewinds user_version over these tables.)

-- A cohort: one program run for a named group with a shared start date,
-- a capacity and one or two therapists (JSON list of therapist ids).
CREATE TABLE IF NOT EXISTS cohorts (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL UNIQUE,
  program_version_id TEXT NOT NULL REFERENCES program_versions (id),
  program_id         TEXT NOT NULL,
  start_date         TEXT NOT NULL,
  capacity           INTEGER NOT NULL CHECK (capacity >= 1),
  therapist_ids      TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  version            INTEGER NOT NULL DEFAULT 1
);

-- A patient in a cohort, with the enrollment the cohort made for them.
-- left_at is set when they are removed (the row stays).
CREATE TABLE IF NOT EXISTS cohort_members (
  id            TEXT PRIMARY KEY,
  cohort_id     TEXT NOT NULL REFERENCES cohorts (id),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  joined_at     TEXT NOT NULL,
  left_at       TEXT,
  UNIQUE (cohort_id, patient_id)
);
CREATE INDEX IF NOT EXISTS cohort_members_patient ON cohort_members (patient_id);

-- One message to a whole cohort: one row, read by every member's portal.
CREATE TABLE IF NOT EXISTS group_messages (
  id           TEXT PRIMARY KEY,
  cohort_id    TEXT NOT NULL REFERENCES cohorts (id),
  therapist_id TEXT NOT NULL REFERENCES therapists (id),
  body         TEXT NOT NULL,
  sent_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS group_messages_cohort ON group_messages (cohort_id, sent_at);

-- A moderated peer group, of a cohort (cohort_id) or a topic.
-- therapist_ids: who moderates (the cohort's therapists, or the creator).
CREATE TABLE IF NOT EXISTS peer_groups (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  cohort_id     TEXT NOT NULL DEFAULT '',
  topic         TEXT NOT NULL DEFAULT '',
  therapist_ids TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- Single-use join codes. Only a hash of the code is stored.
CREATE TABLE IF NOT EXISTS group_codes (
  id         TEXT PRIMARY KEY,
  group_id   TEXT NOT NULL REFERENCES peer_groups (id),
  hash       TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  used_at    TEXT,
  used_by    TEXT NOT NULL DEFAULT ''
);

-- A patient in a peer group under an alias. left_at set: a former member.
CREATE TABLE IF NOT EXISTS group_members (
  id         TEXT PRIMARY KEY,
  group_id   TEXT NOT NULL REFERENCES peer_groups (id),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  alias      TEXT NOT NULL,
  joined_at  TEXT NOT NULL,
  left_at    TEXT,
  UNIQUE (group_id, alias)
);
CREATE INDEX IF NOT EXISTS group_members_patient ON group_members (patient_id, group_id);

-- Posts. status: pending (waiting for a moderator), approved (shown to the
-- group), rejected (reason shown to the poster), hidden (approved, then
-- taken down), held (a risk phrase: never shown, raised as a risk flag).
CREATE TABLE IF NOT EXISTS group_posts (
  id            TEXT PRIMARY KEY,
  group_id      TEXT NOT NULL REFERENCES peer_groups (id),
  member_id     TEXT NOT NULL REFERENCES group_members (id),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  enrollment_id TEXT NOT NULL DEFAULT '',
  body          TEXT NOT NULL,
  posted_at     TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'hidden', 'held')),
  reason        TEXT NOT NULL DEFAULT '',
  decided_by    TEXT NOT NULL DEFAULT '',
  decided_at    TEXT,
  version       INTEGER NOT NULL DEFAULT 1
);
-- The moderation queue: pending posts oldest first, in one index scan.
CREATE INDEX IF NOT EXISTS group_posts_status ON group_posts (status, posted_at);
CREATE INDEX IF NOT EXISTS group_posts_group ON group_posts (group_id, status, posted_at);
CREATE INDEX IF NOT EXISTS group_posts_enrollment ON group_posts (enrollment_id, status);
CREATE INDEX IF NOT EXISTS group_posts_patient ON group_posts (patient_id);

-- Every moderation decision, append-only: who decided what, when.
CREATE TABLE IF NOT EXISTS post_decisions (
  id           TEXT PRIMARY KEY,
  post_id      TEXT NOT NULL REFERENCES group_posts (id),
  therapist_id TEXT NOT NULL,
  action       TEXT NOT NULL,
  reason       TEXT NOT NULL DEFAULT '',
  decided_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS post_decisions_post ON post_decisions (post_id, decided_at);
