-- A refused op's reason as the server sent it as data (a store message:
-- its id and arguments, JSON), beside its English text in error, so that
-- `polku sync status` and the workbench say it in the therapist's
-- language. '' when the server sent none (an older server) or the op was
-- not refused.
ALTER TABLE outbox ADD COLUMN error_msg TEXT NOT NULL DEFAULT '';
