-- 003_remote_sources: what fetching from the web needs to be recorded and to be incremental.
-- Only ADD COLUMN on existing tables (see 001_init.sql).

ALTER TABLE failures ADD COLUMN http_status INTEGER;
COMMENT ON COLUMN failures.http_status IS 'HTTP status of the last answer for a fetched URL (404, 500, 429, ...); NULL for local files and for failures before an answer (timeouts, resets, blocked addresses).';

ALTER TABLE articles ADD COLUMN fetched_at TIMESTAMPTZ;
COMMENT ON COLUMN articles.fetched_at IS 'When the page was downloaded (by presswash, or the WARC-Date of an archived response); NULL for local files.';

CREATE TABLE source_state (
    source VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL CHECK (kind IN ('feed', 'sitemap', 'sitemap_index', 'page')),
    etag VARCHAR,
    last_modified VARCHAR,
    checked_at TIMESTAMPTZ NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE source_state IS 'Per remote source (feed, sitemap, page URL): validators for conditional requests. Written in the same transaction as the batch holding the source''s last new item, so a crashed run never advances it.';
COMMENT ON COLUMN source_state.source IS 'The URL as named in config or on the command line (or a child sitemap URL).';
COMMENT ON COLUMN source_state.kind IS 'What the URL turned out to be: feed, sitemap, sitemap_index or page.';
COMMENT ON COLUMN source_state.etag IS 'ETag of the last answer, sent back as If-None-Match.';
COMMENT ON COLUMN source_state.last_modified IS 'Last-Modified of the last answer, sent back as If-Modified-Since.';
COMMENT ON COLUMN source_state.checked_at IS 'When the state was committed.';
COMMENT ON COLUMN source_state.run_id IS 'Run that committed this state.';
