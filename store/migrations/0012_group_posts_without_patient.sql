-- Peer-group members and posts without a foreign key to patients
-- (docs/groups.md, "On a replica"): a moderator's replica holds the posts
-- of every member of the groups they moderate, but of another therapist's
-- patient without the patient (patient_id and enrollment_id empty), so the
-- row cannot name a patients row. The server still checks, in the
-- operations, that a member or a post names a patient it holds.
--
-- SQLite cannot drop a constraint: both tables are made again, with the
-- same columns, checks, indexes and trigger. Foreign keys are checked at
-- commit, so the rows that name them (posts, decisions) find them again.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE group_members_copy AS SELECT * FROM group_members;
DROP TABLE group_members;
CREATE TABLE group_members (
  id         TEXT PRIMARY KEY,
  group_id   TEXT NOT NULL REFERENCES peer_groups (id),
  patient_id TEXT NOT NULL, -- '' on a moderator's replica: another therapist's patient
  alias      TEXT NOT NULL,
  joined_at  TEXT NOT NULL,
  left_at    TEXT,
  UNIQUE (group_id, alias)
);
INSERT INTO group_members (id, group_id, patient_id, alias, joined_at, left_at)
  SELECT id, group_id, patient_id, alias, joined_at, left_at FROM group_members_copy;
DROP TABLE group_members_copy;
CREATE INDEX group_members_patient ON group_members (patient_id, group_id);

CREATE TABLE group_posts_copy AS SELECT * FROM group_posts;
DROP TABLE group_posts;
CREATE TABLE group_posts (
  id            TEXT PRIMARY KEY,
  group_id      TEXT NOT NULL REFERENCES peer_groups (id),
  member_id     TEXT NOT NULL REFERENCES group_members (id),
  patient_id    TEXT NOT NULL, -- '' on a moderator's replica: another therapist's patient
  enrollment_id TEXT NOT NULL DEFAULT '',
  body          TEXT NOT NULL,
  posted_at     TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'hidden', 'held')),
  reason        TEXT NOT NULL DEFAULT '',
  decided_by    TEXT NOT NULL DEFAULT '',
  decided_at    TEXT,
  version       INTEGER NOT NULL DEFAULT 1
);
INSERT INTO group_posts (id, group_id, member_id, patient_id, enrollment_id, body, posted_at, status, reason, decided_by, decided_at, version)
  SELECT id, group_id, member_id, patient_id, enrollment_id, body, posted_at, status, reason, decided_by, decided_at, version FROM group_posts_copy;
DROP TABLE group_posts_copy;
CREATE INDEX group_posts_status ON group_posts (status, posted_at);
CREATE INDEX group_posts_group ON group_posts (group_id, status, posted_at);
CREATE INDEX group_posts_enrollment ON group_posts (enrollment_id, status);
CREATE INDEX group_posts_patient ON group_posts (patient_id);
-- As schema 11 made it (dropped with the table).
CREATE TRIGGER risk_scans_group_posts AFTER DELETE ON group_posts
BEGIN
  DELETE FROM risk_scans WHERE source_type = 'group_post' AND source_id = OLD.id;
END;
