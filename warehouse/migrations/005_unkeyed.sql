-- 005_unkeyed: articles, raw_documents and source_state lose their PRIMARY KEY; the writer
-- keeps their keys unique (its batch statements insert only keys it did not find stored).
-- DuckDB 1.5.5 rewrites every ART index whole at each checkpoint (duckdb/duckdb#24848):
-- with 100k articles that cost ~4 s and ~400 MB per checkpoint, growing with the warehouse.
-- DuckDB cannot drop a primary key in place, so each table is rebuilt with the same columns
-- (same order), checks and comments, and its rows copied over.

CREATE TABLE _articles_unkeyed (
    article_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    url VARCHAR,
    title VARCHAR,
    author VARCHAR,
    published_at VARCHAR,
    site VARCHAR,
    language VARCHAR NOT NULL CHECK (regexp_full_match(language, '[a-z]{2,3}(-[a-z]{2,4})?')),
    language_prob DOUBLE NOT NULL CHECK (language_prob BETWEEN 0 AND 1),
    text VARCHAR NOT NULL,
    words_before INTEGER NOT NULL CHECK (words_before >= 0),
    words_after INTEGER NOT NULL CHECK (words_after >= 0),
    content_sha256 VARCHAR NOT NULL CHECK (regexp_full_match(content_sha256, '[0-9a-f]{64}')),
    run_id VARCHAR NOT NULL,
    ingested_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ,
    fetched_at TIMESTAMPTZ,
    raw_sha256 VARCHAR,
    cleaner_version VARCHAR
);
INSERT INTO _articles_unkeyed BY NAME SELECT * FROM articles;
DROP TABLE articles;
ALTER TABLE _articles_unkeyed RENAME TO articles;

CREATE TABLE _raw_documents_unkeyed (
    raw_sha256 VARCHAR NOT NULL CHECK (regexp_full_match(raw_sha256, '[0-9a-f]{64}')),
    kind VARCHAR NOT NULL CHECK (kind IN ('html', 'text')),
    title VARCHAR,
    url VARCHAR,
    codec VARCHAR NOT NULL CHECK (codec IN ('zlib')),
    content BLOB NOT NULL,
    content_bytes INTEGER NOT NULL CHECK (content_bytes >= 0),
    run_id VARCHAR NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL
);
INSERT INTO _raw_documents_unkeyed BY NAME SELECT * FROM raw_documents;
DROP TABLE raw_documents;
ALTER TABLE _raw_documents_unkeyed RENAME TO raw_documents;

CREATE TABLE _source_state_unkeyed (
    source VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('feed', 'sitemap', 'sitemap_index', 'page')),
    etag VARCHAR,
    last_modified VARCHAR,
    checked_at TIMESTAMPTZ NOT NULL,
    run_id VARCHAR NOT NULL
);
INSERT INTO _source_state_unkeyed BY NAME SELECT * FROM source_state;
DROP TABLE source_state;
ALTER TABLE _source_state_unkeyed RENAME TO source_state;

COMMENT ON TABLE articles IS 'Clean articles, one row per article_id (kept unique by the writer), merged across runs: unchanged content is left alone, changed content replaces the row.';
COMMENT ON COLUMN articles.article_id IS 'Stable id: sha256 prefix of the canonical URL, else of the source. Unique.';
COMMENT ON COLUMN articles.source IS 'File path (path#N for the N-th JSONL record) or URL the article was last read from.';
COMMENT ON COLUMN articles.url IS 'Canonical URL when known.';
COMMENT ON COLUMN articles.title IS 'Title from the page metadata or the source record.';
COMMENT ON COLUMN articles.author IS 'Author from the page metadata, when found.';
COMMENT ON COLUMN articles.published_at IS 'Publication date as extracted (ISO 8601 text, usually YYYY-MM-DD); kept as text because sources disagree on precision: TRY_CAST to query.';
COMMENT ON COLUMN articles.site IS 'Site name from the page metadata.';
COMMENT ON COLUMN articles.language IS 'Detected language code (langdetect, e.g. en, zh-cn); und when undetermined.';
COMMENT ON COLUMN articles.language_prob IS 'Detector probability of the language, 0 to 1.';
COMMENT ON COLUMN articles.text IS 'Article body after boilerplate stripping.';
COMMENT ON COLUMN articles.words_before IS 'Words in the extracted body before stripping.';
COMMENT ON COLUMN articles.words_after IS 'Words in text, after stripping.';
COMMENT ON COLUMN articles.content_sha256 IS 'sha256 of the content; a re-load with the same value leaves the row untouched.';
COMMENT ON COLUMN articles.run_id IS 'Run that last wrote this row (inserted it, or updated its content).';
COMMENT ON COLUMN articles.ingested_at IS 'When the article was first inserted; kept on updates.';
COMMENT ON COLUMN articles.updated_at IS 'When the content was last replaced; NULL if never.';
COMMENT ON COLUMN articles.fetched_at IS 'When the page was downloaded (by presswash, or the WARC-Date of an archived response); NULL for local files.';
COMMENT ON COLUMN articles.raw_sha256 IS 'Raw input (raw_documents.raw_sha256) the stored text was cleaned from; NULL if loaded before raw input was kept.';
COMMENT ON COLUMN articles.cleaner_version IS 'Cleaner that produced the stored text: presswash version + hash of its code, cue lexicon and cleaning config.';

COMMENT ON TABLE raw_documents IS 'Raw input as the source delivered it (HTML or text), compressed, stored once per raw_sha256 (kept unique by the writer). presswash reclean re-runs extraction and stripping on it.';
COMMENT ON COLUMN raw_documents.raw_sha256 IS 'sha256 of the raw document: kind, source-given title and URL, and the decoded content. Unique.';
COMMENT ON COLUMN raw_documents.kind IS 'html (extracted with trafilatura) or text (stripped as is).';
COMMENT ON COLUMN raw_documents.title IS 'Title given by the source itself (a headline first line, a JSONL title), not the extracted one; NULL if none.';
COMMENT ON COLUMN raw_documents.url IS 'URL given by the source itself (a JSONL url, a fetched URL); NULL for plain files.';
COMMENT ON COLUMN raw_documents.codec IS 'Compression of content: zlib (Python zlib.decompress gives UTF-8 bytes).';
COMMENT ON COLUMN raw_documents.content IS 'The decoded input text, UTF-8, compressed with codec.';
COMMENT ON COLUMN raw_documents.content_bytes IS 'Size of the content in UTF-8 bytes before compression.';
COMMENT ON COLUMN raw_documents.run_id IS 'Run that first stored this raw document.';
COMMENT ON COLUMN raw_documents.stored_at IS 'When it was first stored.';

COMMENT ON TABLE source_state IS 'Per remote source (feed, sitemap, page URL), one row each (kept unique by the writer): validators for conditional requests. Written in the same transaction as the batch holding the source''s last new item, so a crashed run never advances it.';
COMMENT ON COLUMN source_state.source IS 'The URL as named in config or on the command line (or a child sitemap URL). Unique.';
COMMENT ON COLUMN source_state.kind IS 'What the URL turned out to be: feed, sitemap, sitemap_index or page.';
COMMENT ON COLUMN source_state.etag IS 'ETag of the last answer, sent back as If-None-Match.';
COMMENT ON COLUMN source_state.last_modified IS 'Last-Modified of the last answer, sent back as If-Modified-Since.';
COMMENT ON COLUMN source_state.checked_at IS 'When the state was committed.';
COMMENT ON COLUMN source_state.run_id IS 'Run that committed this state.';
