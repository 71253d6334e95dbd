-- polku store, schema 6: intake. A referral carries its content (referrer,
-- reason, ICD-10 codes, screening scores, region), arrives once per source
-- id, waits in the intake queue of a team, and is decided: accepted (an
-- enrollment), declined with a reason and a service to go to, or put on the
-- waiting list. Every new column is defaulted, so referrals stored before
-- this migration stay readable (no content, no team: every team's queue).

ALTER TABLE referrals ADD COLUMN source_id TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN referrer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN codes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE referrals ADD COLUMN screening TEXT NOT NULL DEFAULT '[]';
ALTER TABLE referrals ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN doctor_assessment TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN waiting_since TEXT;
ALTER TABLE referrals ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN decided_at TEXT;
ALTER TABLE referrals ADD COLUMN decision_code TEXT NOT NULL DEFAULT '';

-- The same source id twice is one referral.
CREATE UNIQUE INDEX referrals_source ON referrals (source_id) WHERE source_id <> '';
-- The intake queue: a team's open referrals, oldest first, in one range scan.
CREATE INDEX referrals_intake ON referrals (status, team, received_at);

-- Intake workers work the intake queue of their team with the supervisors.
ALTER TABLE therapists ADD COLUMN intake INTEGER NOT NULL DEFAULT 0;

-- Suitability assessments. Append-only.
CREATE TABLE referral_assessments (
  id           TEXT PRIMARY KEY,
  referral_id  TEXT NOT NULL REFERENCES referrals (id),
  patient_id   TEXT NOT NULL REFERENCES patients (id),
  therapist_id TEXT NOT NULL REFERENCES therapists (id),
  program_id   TEXT NOT NULL DEFAULT '',
  answers      TEXT NOT NULL,           -- {"motivation": "yes", ...}
  method       TEXT NOT NULL DEFAULT '', -- records, phone, video
  note         TEXT NOT NULL DEFAULT '',
  assessed_at  TEXT NOT NULL
);
CREATE INDEX referral_assessments_referral ON referral_assessments (referral_id, assessed_at);
CREATE INDEX referral_assessments_patient ON referral_assessments (patient_id);

-- Notifications an integration (mail, portal) reads and delivers. No
-- clinical content: the patient's notice says that the referral was
-- accepted and when the treatment starts; the referrer's names the decline
-- reason code and the service suggested.
CREATE TABLE notifications (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('referral-accepted', 'referral-declined')),
  recipient   TEXT NOT NULL CHECK (recipient IN ('patient', 'referrer')),
  referral_id TEXT NOT NULL REFERENCES referrals (id),
  patient_id  TEXT NOT NULL REFERENCES patients (id),
  source_id   TEXT NOT NULL DEFAULT '',
  language    TEXT NOT NULL,
  start_date  TEXT NOT NULL DEFAULT '',
  text        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX notifications_patient ON notifications (patient_id);

-- The service directory (kind: service documents), versioned like programs.
CREATE TABLE services (
  id          TEXT PRIMARY KEY,
  service_id  TEXT NOT NULL,
  version     INTEGER NOT NULL,
  name        TEXT NOT NULL,
  hash        TEXT NOT NULL,
  definition  TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (service_id, version)
);

-- Tokens gain a kind: integration (may only add referrals and read
-- notifications). SQLite cannot change a CHECK, so the table is rebuilt.
CREATE TABLE tokens_new (
  id         TEXT PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE,
  kind       TEXT NOT NULL CHECK (kind IN ('therapist', 'patient', 'integration')),
  subject_id TEXT NOT NULL,
  device     TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  expires_at TEXT,
  revoked_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO tokens_new (id, hash, kind, subject_id, device, created_at, revoked_at, expires_at, revoked_by)
  SELECT id, hash, kind, subject_id, device, created_at, revoked_at, expires_at, revoked_by FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;
CREATE INDEX tokens_subject ON tokens (subject_id);
