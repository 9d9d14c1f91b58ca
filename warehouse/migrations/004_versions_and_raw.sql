-- 004_versions_and_raw: keep the raw input once per hash, keep every article version, and
-- record which cleaner produced each text, so a better stripper can reach old articles
-- (presswash reclean) without fetching anything again.

CREATE TABLE raw_documents (
    raw_sha256 VARCHAR PRIMARY KEY CHECK (regexp_full_match(raw_sha256, '[0-9a-f]{64}')),
    kind VARCHAR NOT NULL CHECK (kind IN ('html', 'text')),
    title VARCHAR,
    url VARCHAR,
    codec VARCHAR NOT NULL CHECK (codec IN ('zlib')),
    content BLOB NOT NULL,
    content_bytes INTEGER NOT NULL CHECK (content_bytes >= 0),
    run_id VARCHAR NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE raw_documents IS 'Raw input as the source delivered it (HTML or text), compressed, stored once per raw_sha256. presswash reclean re-runs extraction and stripping on it.';
COMMENT ON COLUMN raw_documents.raw_sha256 IS 'sha256 of the raw document: kind, source-given title and URL, and the decoded content.';
COMMENT ON COLUMN raw_documents.kind IS 'html (extracted with trafilatura) or text (stripped as is).';
COMMENT ON COLUMN raw_documents.title IS 'Title given by the source itself (a headline first line, a JSONL title), not the extracted one; NULL if none.';
COMMENT ON COLUMN raw_documents.url IS 'URL given by the source itself (a JSONL url, a fetched URL); NULL for plain files.';
COMMENT ON COLUMN raw_documents.codec IS 'Compression of content: zlib (Python zlib.decompress gives UTF-8 bytes).';
COMMENT ON COLUMN raw_documents.content IS 'The decoded input text, UTF-8, compressed with codec.';
COMMENT ON COLUMN raw_documents.content_bytes IS 'Size of the content in UTF-8 bytes before compression.';
COMMENT ON COLUMN raw_documents.run_id IS 'Run that first stored this raw document.';
COMMENT ON COLUMN raw_documents.stored_at IS 'When it was first stored.';

CREATE TABLE article_versions (
    article_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    url VARCHAR,
    title VARCHAR,
    author VARCHAR,
    published_at VARCHAR,
    site VARCHAR,
    language VARCHAR NOT NULL,
    language_prob DOUBLE NOT NULL,
    text VARCHAR NOT NULL,
    words_before INTEGER NOT NULL,
    words_after INTEGER NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    raw_sha256 VARCHAR,
    cleaner_version VARCHAR,
    written_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE article_versions IS 'Append-only history: one row per article per run that inserted or changed it, (article_id, run_id) being the version. The view current_articles picks the latest version from a completed run.';
COMMENT ON COLUMN article_versions.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN article_versions.run_id IS 'Run that wrote this version (an ingest or a reclean run).';
COMMENT ON COLUMN article_versions.source IS 'File path or URL the version was read from.';
COMMENT ON COLUMN article_versions.url IS 'Canonical URL when known.';
COMMENT ON COLUMN article_versions.title IS 'Title of this version.';
COMMENT ON COLUMN article_versions.author IS 'Author from the page metadata, when found.';
COMMENT ON COLUMN article_versions.published_at IS 'Publication date as extracted (ISO 8601 text).';
COMMENT ON COLUMN article_versions.site IS 'Site name from the page metadata.';
COMMENT ON COLUMN article_versions.language IS 'Detected language code; und when undetermined.';
COMMENT ON COLUMN article_versions.language_prob IS 'Detector probability of the language, 0 to 1.';
COMMENT ON COLUMN article_versions.text IS 'Article body of this version after boilerplate stripping.';
COMMENT ON COLUMN article_versions.words_before IS 'Words in the extracted body before stripping.';
COMMENT ON COLUMN article_versions.words_after IS 'Words in text, after stripping.';
COMMENT ON COLUMN article_versions.content_sha256 IS 'sha256 of title and text of this version.';
COMMENT ON COLUMN article_versions.raw_sha256 IS 'Raw input (raw_documents.raw_sha256) this version was cleaned from; NULL for versions loaded before raw input was kept.';
COMMENT ON COLUMN article_versions.cleaner_version IS 'Cleaner that produced the text: presswash version + hash of its code, cue lexicon and cleaning config; NULL for versions loaded before it was recorded.';
COMMENT ON COLUMN article_versions.written_at IS 'When the version was committed.';

INSERT INTO article_versions
SELECT article_id, run_id, source, url, title, author, published_at, site, language,
       language_prob, text, words_before, words_after, content_sha256, NULL, NULL,
       coalesce(updated_at, ingested_at)
FROM articles;

ALTER TABLE articles ADD COLUMN raw_sha256 VARCHAR;
ALTER TABLE articles ADD COLUMN cleaner_version VARCHAR;
COMMENT ON COLUMN articles.raw_sha256 IS 'Raw input (raw_documents.raw_sha256) the stored text was cleaned from; NULL if loaded before raw input was kept.';
COMMENT ON COLUMN articles.cleaner_version IS 'Cleaner that produced the stored text: presswash version + hash of its code, cue lexicon and cleaning config.';

ALTER TABLE runs ADD COLUMN kind VARCHAR DEFAULT 'ingest';
ALTER TABLE runs ADD COLUMN cleaner_version VARCHAR;
COMMENT ON COLUMN runs.kind IS 'ingest (documents read from sources) or reclean (stored raw input cleaned again).';
COMMENT ON COLUMN runs.cleaner_version IS 'Cleaner version the run used for every article it wrote.';

COMMENT ON TABLE removed_lines IS 'Append-only: lines the stripper took out of each article version (article_id, run_id), with the rule and why. The view current_removed_lines keeps those of current_articles.';
COMMENT ON COLUMN removed_lines.run_id IS 'Run that wrote the article version these lines belong to (with article_id, the version).';
