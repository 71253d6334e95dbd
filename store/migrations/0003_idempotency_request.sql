-- polku store, schema 3: an idempotency key remembers which request it was
-- used for (op_type already says which operation; request_hash is the hex
-- SHA-256 of the request), so that a key used again for another request is
-- refused instead of being answered with the first request's result. Keys
-- stored before this migration have no hash and are not compared.
ALTER TABLE idempotency ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';
