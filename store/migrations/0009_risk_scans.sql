-- Results of scanning patient texts for risk phrases (docs/reports.md):
-- kept so that a report does not read and scan again every text of its
-- period. Derived data, like an index, not a record: not in the change log,
-- not synced, not exported; a row made with other word lists (words: a key
-- of the policy's risk_words and of the matching) is scanned again.
CREATE TABLE risk_scans (
  source_type TEXT NOT NULL, -- message, submission, diary_entry, group_post
  source_id   TEXT NOT NULL,
  words       TEXT NOT NULL,
  hit         TEXT NOT NULL DEFAULT '', -- the phrase found, as JSON; '' none
  PRIMARY KEY (source_type, source_id)
) WITHOUT ROWID;
