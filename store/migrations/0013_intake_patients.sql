-- The intake queue's index also carries the referral's patient, so that
-- the patients of the open referrals of a team and of no team (a
-- supervisor's or an intake worker's, which every pull page of theirs
-- reads) are an index-only read, instead of a search of the index and then
-- each referral's row for its patient. It still serves the queue, oldest
-- first, as schema 7 made it.
DROP INDEX IF EXISTS referrals_intake;
CREATE INDEX referrals_intake ON referrals (status, team, received_at, patient_id);
