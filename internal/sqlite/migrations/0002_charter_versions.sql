-- Every version of every site's charter, as the visitor saw it, so that a
-- receipt can show it again.
CREATE TABLE charter_versions (
	site       TEXT NOT NULL,
	version    TEXT NOT NULL,
	content    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (site, version)
) STRICT;

CREATE INDEX charter_versions_site_created_at ON charter_versions (site, created_at);
