-- polku store, schema 7: the treatment's course and end.
--
-- A paused enrollment keeps its status (active or scheduled) and has
-- paused_since set: every reader of the status stays right, and the queue's
-- rules skip paused time (docs/clinical.md, "Paused"). ended_on is the date
-- an enrollment was completed or discontinued; follow_up_due the date its
-- follow-up measurement is due (a completed enrollment of a program with
-- follow_up_weeks), '' when none.
ALTER TABLE enrollments ADD COLUMN paused_since TEXT;
ALTER TABLE enrollments ADD COLUMN ended_on TEXT NOT NULL DEFAULT '';
ALTER TABLE enrollments ADD COLUMN follow_up_due TEXT NOT NULL DEFAULT '';

-- The course of a treatment: every extension, pause, resumption, end and
-- transfer, with who did it and why. Append-only.
CREATE TABLE enrollment_events (
  id             TEXT PRIMARY KEY,
  enrollment_id  TEXT NOT NULL REFERENCES enrollments (id),
  patient_id     TEXT NOT NULL REFERENCES patients (id),
  kind           TEXT NOT NULL CHECK (kind IN ('extend', 'pause', 'resume', 'complete', 'discontinue', 'transfer')),
  at             TEXT NOT NULL,
  date           TEXT NOT NULL, -- the day it takes effect, in the service's time zone
  actor_id       TEXT NOT NULL,
  weeks          INTEGER NOT NULL DEFAULT 0,
  reason_code    TEXT NOT NULL DEFAULT '',
  reason         TEXT NOT NULL DEFAULT '',
  from_therapist TEXT NOT NULL DEFAULT '',
  to_therapist   TEXT NOT NULL DEFAULT '',
  planned_end    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enrollment_events_enrollment ON enrollment_events (enrollment_id, at);
CREATE INDEX enrollment_events_patient ON enrollment_events (patient_id);

-- Signed discharge summaries. Append-only: a correction is a new summary
-- that supersedes the old one. facts is the summary's figures as JSON.
CREATE TABLE summaries (
  id            TEXT PRIMARY KEY,
  enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  therapist_id  TEXT NOT NULL REFERENCES therapists (id),
  body          TEXT NOT NULL,
  facts         TEXT NOT NULL DEFAULT '{}',
  signed_at     TEXT NOT NULL,
  supersedes    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX summaries_enrollment ON summaries (enrollment_id, signed_at);
CREATE INDEX summaries_patient ON summaries (patient_id);
