-- Back-office users. Only the password's hash is kept (argon2id, PHC string).
-- AUTOINCREMENT: an id is never given again, as in PostgreSQL.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 64),
	password_hash TEXT NOT NULL CHECK (password_hash <> ''),
	created_at    TEXT NOT NULL
) STRICT;

-- Signed-in sessions, on the server so that logout really ends them and they
-- work across instances. Only the SHA-256 of the cookie's token is kept, so
-- that a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	last_seen  TEXT NOT NULL,
	expires_at TEXT NOT NULL
) STRICT;

-- The sweep of expired sessions: past expires_at, or idle since last_seen.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen);
-- Ending a user's sessions (new password, cascade).
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Statistics: one site's decisions over a period, counted by method without
-- reading the rows.
CREATE INDEX decisions_site_created_at ON decisions (site, created_at, method);
