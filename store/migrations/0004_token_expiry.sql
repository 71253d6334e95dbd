-- polku store, schema 4: access tokens expire, and a revocation says who
-- revoked the token.
--
-- expires_at is when the token stops working (NULL: never; only tokens
-- made by hand in SQL have none). Tokens made before this migration get the
-- default lifetime of their kind counted from the migration: staff 90 days,
-- admin accounts 30 days, patient portal 180 days. Nobody is locked out by
-- the upgrade, and no old token stays valid for ever.
--
-- revoked_by is the actor id of whoever revoked the token ('' before this
-- migration, or not revoked).
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN revoked_by TEXT NOT NULL DEFAULT '';

UPDATE tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
  CASE
    WHEN kind = 'patient' THEN '+180 days'
    WHEN (SELECT role FROM therapists WHERE therapists.id = tokens.subject_id) = 'admin' THEN '+30 days'
    ELSE '+90 days'
  END)
WHERE revoked_at IS NULL;
