-- charte's own secrets, such as the key that signs the back office's CSRF
-- tokens: created once, by whichever instance needs one first, and shared by
-- every instance on this database.
CREATE TABLE server_secrets (
	name       TEXT PRIMARY KEY CHECK (name <> '' AND length(name) <= 64),
	value      BYTEA NOT NULL CHECK (octet_length(value) >= 32),
	created_at TIMESTAMPTZ NOT NULL
);
