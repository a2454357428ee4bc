-- The consent log: the proof of consent. Append-only and hash-chained: each
-- record's hash covers its content, its seq and the previous record's hash.
-- Choices are JSONB so that statistics per category can be queried.
CREATE TABLE decisions (
	seq             BIGINT PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,
	site            TEXT NOT NULL,
	charter_version TEXT NOT NULL,
	choices         JSONB NOT NULL,
	method          TEXT NOT NULL,
	previous_id     TEXT,
	created_at      TIMESTAMPTZ NOT NULL,
	expires_at      TIMESTAMPTZ NOT NULL,
	prev_hash       TEXT NOT NULL,
	hash            TEXT NOT NULL
);

CREATE INDEX decisions_site_seq ON decisions (site, seq);
CREATE INDEX decisions_created_at ON decisions (created_at);

-- The head of the chain, one row: appenders lock it (SELECT … FOR UPDATE) to
-- take the next seq, which serialises appends across every instance, and
-- verification checks that the log still ends where the head says, so that
-- removing the last records is detected too.
CREATE TABLE log_head (
	one  INTEGER PRIMARY KEY CHECK (one = 1),
	seq  BIGINT NOT NULL,
	id   TEXT NOT NULL,
	hash TEXT NOT NULL
);

INSERT INTO log_head (one, seq, id, hash) VALUES (1, 0, '', '');
