-- Every version of every site's charter, as the visitor saw it, so that a
-- receipt can show it again. JSON, not JSONB: the content is kept byte for byte.
CREATE TABLE charter_versions (
	site       TEXT NOT NULL,
	version    TEXT NOT NULL,
	content    JSON NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (site, version)
);

CREATE INDEX charter_versions_site_created_at ON charter_versions (site, created_at);
