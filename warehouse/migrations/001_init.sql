-- 001_init: the lineage tables. Applied by pipeline.warehouse in one transaction.
-- Later migrations may only ADD COLUMN: DuckDB cannot add constraints to existing tables,
-- and tables with a primary key accept no other ALTER.

CREATE TABLE _migrations (
    name VARCHAR PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE _migrations IS 'Schema migrations applied to this file, one row each, so every open knows what is left to apply.';
COMMENT ON COLUMN _migrations.name IS 'File name of the migration in warehouse/migrations, e.g. 001_init.sql.';
COMMENT ON COLUMN _migrations.applied_at IS 'When the migration was committed.';

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    flow_run_id VARCHAR,
    status VARCHAR NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    config_sha256 VARCHAR NOT NULL CHECK (regexp_full_match(config_sha256, '[0-9a-f]{64}')),
    config_json JSON NOT NULL,
    sources JSON NOT NULL,
    documents_seen INTEGER NOT NULL DEFAULT 0 CHECK (documents_seen >= 0),
    articles_inserted INTEGER NOT NULL DEFAULT 0 CHECK (articles_inserted >= 0),
    articles_updated INTEGER NOT NULL DEFAULT 0 CHECK (articles_updated >= 0),
    articles_unchanged INTEGER NOT NULL DEFAULT 0 CHECK (articles_unchanged >= 0),
    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    lines_removed INTEGER NOT NULL DEFAULT 0 CHECK (lines_removed >= 0)
);
COMMENT ON TABLE runs IS 'One row per ingestion run. status = ''completed'' is written last, after every batch committed: trust only completed runs.';
COMMENT ON COLUMN runs.run_id IS 'Time-sortable run id, e.g. 20261128T021500Z-3f9a1c07b2e4 (UTC start second + random suffix).';
COMMENT ON COLUMN runs.flow_run_id IS 'Prefect flow run id when run under Prefect, else NULL.';
COMMENT ON COLUMN runs.status IS 'running while batches load; completed or failed once finished. A crashed run stays running.';
COMMENT ON COLUMN runs.started_at IS 'When the run was registered.';
COMMENT ON COLUMN runs.finished_at IS 'When the run was marked completed or failed; NULL while running.';
COMMENT ON COLUMN runs.config_sha256 IS 'sha256 of config_json, to group runs made with the same settings.';
COMMENT ON COLUMN runs.config_json IS 'The resolved configuration (defaults plus config.yaml) the run used.';
COMMENT ON COLUMN runs.sources IS 'JSON array of the files, directories or URLs the run was asked to ingest.';
COMMENT ON COLUMN runs.documents_seen IS 'Documents the run read; written when the run finishes (0 while running).';
COMMENT ON COLUMN runs.articles_inserted IS 'Articles new to the warehouse; written when the run finishes (0 while running).';
COMMENT ON COLUMN runs.articles_updated IS 'Stored articles whose content changed; written when the run finishes (0 while running).';
COMMENT ON COLUMN runs.articles_unchanged IS 'Articles already stored with the same content, left alone; written when the run finishes.';
COMMENT ON COLUMN runs.failures IS 'Failure rows the run recorded; written when the run finishes (0 while running).';
COMMENT ON COLUMN runs.lines_removed IS 'removed_lines rows the run wrote; written when the run finishes (0 while running).';

CREATE TABLE articles (
    article_id VARCHAR PRIMARY KEY,
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
    updated_at TIMESTAMPTZ
);
COMMENT ON TABLE articles IS 'Clean articles, one row per article_id, merged across runs: unchanged content is left alone, changed content replaces the row.';
COMMENT ON COLUMN articles.article_id IS 'Stable id: sha256 prefix of the canonical URL, else of the source.';
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

CREATE TABLE removed_lines (
    run_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    text VARCHAR NOT NULL,
    reason VARCHAR NOT NULL CHECK (regexp_full_match(reason, '[a-z][a-z0-9_]*\.[a-z0-9_]+')),
    evidence VARCHAR NOT NULL
);
COMMENT ON TABLE removed_lines IS 'Lines the stripper took out of each stored article, with the rule and why. Replaced whenever the article content is updated, so they always describe the stored text.';
COMMENT ON COLUMN removed_lines.run_id IS 'Run that wrote the article version these lines belong to.';
COMMENT ON COLUMN removed_lines.article_id IS 'The article (articles.article_id) the line was removed from.';
COMMENT ON COLUMN removed_lines.position IS '0-based index of the line in the body before stripping.';
COMMENT ON COLUMN removed_lines.text IS 'The removed line.';
COMMENT ON COLUMN removed_lines.reason IS 'Reason code <step>.<rule> from pipeline/reasons.py, e.g. strip.read_more.';
COMMENT ON COLUMN removed_lines.evidence IS 'What the rule matched, e.g. the cue phrase.';

CREATE TABLE failures (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    reason VARCHAR NOT NULL CHECK (regexp_full_match(reason, '[a-z][a-z0-9_]*\.[a-z0-9_]+')),
    error_class VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE failures IS 'Append-only: why a source item or document did not become an article. At most one row per (run_id, source, reason).';
COMMENT ON COLUMN failures.run_id IS 'Run in which the failure happened.';
COMMENT ON COLUMN failures.source IS 'File path (path#N for a JSONL record) or URL that failed.';
COMMENT ON COLUMN failures.stage IS 'Pipeline stage that failed: read, extract, strip, lang, quality, ...';
COMMENT ON COLUMN failures.reason IS 'Reason code <step>.<rule> from pipeline/reasons.py, e.g. extract.empty.';
COMMENT ON COLUMN failures.error_class IS 'Python exception class behind the failure, or the rule name for a deliberate drop.';
COMMENT ON COLUMN failures.message IS 'Human-readable detail: the error message or the measured value and threshold.';
COMMENT ON COLUMN failures.failed_at IS 'When the failure was recorded (commit time of its batch).';
