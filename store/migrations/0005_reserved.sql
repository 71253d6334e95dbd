-- polku store, schema 5: reserved for the enrollment-course migration of
-- another branch; this placeholder keeps the sequence without a gap until
-- that branch lands (the merger replaces it with the real 0005).
SELECT 1;
