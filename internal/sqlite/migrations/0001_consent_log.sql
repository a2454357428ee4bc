-- The consent log: the proof of consent. Append-only and hash-chained: each
-- record's hash covers its content, its seq and the previous record's hash.
-- Times are UTC text at microsecond precision (2006-01-02T15:04:05.000000Z),
-- fixed width so that text order is time order.
CREATE TABLE decisions (
	seq             INTEGER PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,
	site            TEXT NOT NULL,
	charter_version TEXT NOT NULL,
	choices         TEXT NOT NULL,
	method          TEXT NOT NULL,
	previous_id     TEXT,
	created_at      TEXT NOT NULL,
	expires_at      TEXT NOT NULL,
	prev_hash       TEXT NOT NULL,
	hash            TEXT NOT NULL
) STRICT;

CREATE INDEX decisions_site_seq ON decisions (site, seq);
CREATE INDEX decisions_created_at ON decisions (created_at);

-- The head of the chain, one row: appenders lock it to take the next seq, and
-- verification checks that the log still ends where the head says, so that
-- removing the last records is detected too.
CREATE TABLE log_head (
	one  INTEGER PRIMARY KEY CHECK (one = 1),
	seq  INTEGER NOT NULL,
	id   TEXT NOT NULL,
	hash TEXT NOT NULL
) STRICT;

INSERT INTO log_head (one, seq, id, hash) VALUES (1, 0, '', '');
