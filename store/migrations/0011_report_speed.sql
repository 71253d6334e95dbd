-- Speed of a report (docs/reports.md, "Speed").
--
-- (IF NOT EXISTS, IF EXISTS: a test rewinds user_version over these.)
--
-- A kept risk scan carries the time of its text (the message's sent_at, the
-- submission's submitted_at, the diary entry's recorded_at, the post's
-- posted_at), so that a report finds whether every text of its period has
-- a scan made with its word lists by counting both in the period, instead
-- of a primary-key search per text.
ALTER TABLE risk_scans ADD COLUMN at TEXT NOT NULL DEFAULT '';
UPDATE risk_scans SET at = COALESCE((SELECT t.sent_at FROM messages t WHERE t.id = risk_scans.source_id), '')
  WHERE source_type = 'message';
UPDATE risk_scans SET at = COALESCE((SELECT t.submitted_at FROM submissions t WHERE t.id = risk_scans.source_id), '')
  WHERE source_type = 'submission';
UPDATE risk_scans SET at = COALESCE((SELECT t.recorded_at FROM diary_entries t WHERE t.id = risk_scans.source_id), '')
  WHERE source_type = 'diary_entry';
UPDATE risk_scans SET at = COALESCE((SELECT t.posted_at FROM group_posts t WHERE t.id = risk_scans.source_id), '')
  WHERE source_type = 'group_post';
-- A scan whose text is gone (a replica that no longer holds the patient)
-- would count for a text that is not there.
DELETE FROM risk_scans WHERE at = '';
CREATE INDEX IF NOT EXISTS risk_scans_period ON risk_scans (source_type, words, at);
-- The few scans that found a phrase.
CREATE INDEX IF NOT EXISTS risk_scans_hits ON risk_scans (source_type, words, at) WHERE hit <> '';
-- A text removed (a replica forgetting a patient) takes its scan with it,
-- so that every scan names a text that is there.
CREATE TRIGGER IF NOT EXISTS risk_scans_messages AFTER DELETE ON messages
BEGIN
  DELETE FROM risk_scans WHERE source_type = 'message' AND source_id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS risk_scans_submissions AFTER DELETE ON submissions
BEGIN
  DELETE FROM risk_scans WHERE source_type = 'submission' AND source_id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS risk_scans_diary_entries AFTER DELETE ON diary_entries
BEGIN
  DELETE FROM risk_scans WHERE source_type = 'diary_entry' AND source_id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS risk_scans_group_posts AFTER DELETE ON group_posts
BEGIN
  DELETE FROM risk_scans WHERE source_type = 'group_post' AND source_id = OLD.id;
END;

-- The first feedback on each submission: a covering index in submission
-- order (sent_at and supersedes without reading the feedback's body). It
-- leads with submission_id, so it serves every search feedback_submission
-- served.
CREATE INDEX IF NOT EXISTS feedback_first ON feedback (submission_id, supersedes, sent_at, enrollment_id);
DROP INDEX IF EXISTS feedback_submission;
