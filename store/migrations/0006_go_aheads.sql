-- polku store, schema 8: the therapist's go-ahead for a treatment step
-- that waits for it (a program's go_ahead, e.g. sleep restriction after
-- the health check). Append-only like risk acknowledgements: a later
-- decision is a new row; the newest one for (enrollment, go_ahead_id)
-- stands.
CREATE TABLE go_aheads (
  id            TEXT PRIMARY KEY,
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  go_ahead_id   TEXT NOT NULL,
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  therapist_id  TEXT NOT NULL REFERENCES therapists (id),
  decision      TEXT NOT NULL,
  comment       TEXT NOT NULL DEFAULT '',
  decided_at    TEXT NOT NULL
);
CREATE INDEX go_aheads_enrollment ON go_aheads (enrollment_id, go_ahead_id, decided_at);
CREATE INDEX go_aheads_patient ON go_aheads (patient_id);
