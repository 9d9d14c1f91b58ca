-- Views for the common questions. Re-created by pipeline.warehouse on every open (after the
-- migrations), so they always match the code. Only runs whose status is 'completed' feed them:
-- a running or failed run is invisible here until it completes.

CREATE OR REPLACE VIEW completed_runs AS
SELECT * FROM runs WHERE status = 'completed';
COMMENT ON VIEW completed_runs IS 'Runs whose status is completed: the only runs the other views trust.';

-- Who published an article, one rule for the views and the run report: the site name
-- trafilatura found, else the URL host, else the folder the file came from.
CREATE OR REPLACE MACRO source_name(site, url, source) AS coalesce(
    site,
    nullif(regexp_extract(url, '^[a-z]+://(?:www\.)?([^/:?#]+)', 1), ''),
    nullif(regexp_extract(source, '([^/]+)/[^/]+$', 1), ''),
    source
);

CREATE OR REPLACE VIEW current_articles AS
SELECT
    v.article_id, v.source, v.url, v.title, v.author, v.published_at,
    TRY_CAST(left(v.published_at, 10) AS DATE) AS published_date,
    v.site,
    source_name(v.site, v.url, v.source) AS source_name,
    v.language, v.language_prob, v.text, v.words_before, v.words_after, v.content_sha256,
    v.raw_sha256, v.cleaner_version, v.run_id, v.written_at,
    first.written_at AS first_seen_at
FROM article_versions AS v
JOIN completed_runs AS r USING (run_id)
JOIN (
    SELECT article_id, min(written_at) AS written_at
    FROM article_versions JOIN completed_runs USING (run_id)
    GROUP BY article_id
) AS first USING (article_id)
QUALIFY row_number() OVER (PARTITION BY v.article_id ORDER BY v.written_at DESC, v.run_id DESC) = 1;
COMMENT ON VIEW current_articles IS 'One row per article: its latest version written by a completed run. Start here.';
COMMENT ON COLUMN current_articles.published_date IS 'published_at as a DATE when it starts with YYYY-MM-DD, else NULL.';
COMMENT ON COLUMN current_articles.source_name IS 'Who published it: the site name, else the URL host, else the folder the file came from.';
COMMENT ON COLUMN current_articles.run_id IS 'Completed run that wrote this version.';
COMMENT ON COLUMN current_articles.written_at IS 'When this version was committed.';
COMMENT ON COLUMN current_articles.first_seen_at IS 'When the first version from a completed run was committed.';

CREATE OR REPLACE VIEW current_removed_lines AS
SELECT l.article_id, a.source_name, a.site, a.language, l.position, l.text, l.reason,
       l.evidence, l.run_id
FROM removed_lines AS l
JOIN current_articles AS a USING (article_id, run_id);
COMMENT ON VIEW current_removed_lines IS 'Lines removed from the current version of each article (current_articles), with its site and language.';
COMMENT ON COLUMN current_removed_lines.run_id IS 'Completed run that wrote the article version the line was removed from.';

CREATE OR REPLACE VIEW daily_articles AS
SELECT
    coalesce(published_date, first_seen_at::DATE) AS day,
    published_date IS NOT NULL AS is_published_date,
    source_name,
    language,
    count(*) AS articles,
    sum(words_after) AS words
FROM current_articles
GROUP BY ALL;
COMMENT ON VIEW daily_articles IS 'Current articles per day, source and language. day is the publication date, or the first-seen date when the article has none (is_published_date false).';
COMMENT ON COLUMN daily_articles.day IS 'Publication date, or the date the article was first seen when it has none.';
COMMENT ON COLUMN daily_articles.is_published_date IS 'true when day is the publication date, false when it is the first-seen date.';
COMMENT ON COLUMN daily_articles.articles IS 'Current articles of that day, source and language.';
COMMENT ON COLUMN daily_articles.words IS 'Their clean words (words_after) summed.';

CREATE OR REPLACE VIEW removed_by_reason AS
SELECT reason, count(*) AS lines, count(DISTINCT article_id) AS articles,
       round(100.0 * count(DISTINCT article_id) / (SELECT count(*) FROM current_articles), 1)
           AS pct_of_articles
FROM current_removed_lines
GROUP BY reason;
COMMENT ON VIEW removed_by_reason IS 'Boilerplate removed from current articles, per reason code: lines, articles affected and their share of all current articles.';
COMMENT ON COLUMN removed_by_reason.lines IS 'Lines removed for this reason.';
COMMENT ON COLUMN removed_by_reason.articles IS 'Articles that lost at least one line for this reason.';
COMMENT ON COLUMN removed_by_reason.pct_of_articles IS 'Those articles as a percentage of all current articles.';

CREATE OR REPLACE VIEW removed_by_site AS
SELECT source_name, reason, count(*) AS lines, count(DISTINCT article_id) AS articles
FROM current_removed_lines
GROUP BY source_name, reason;
COMMENT ON VIEW removed_by_site IS 'Boilerplate removed from current articles, per source (site) and reason code.';
COMMENT ON COLUMN removed_by_site.lines IS 'Lines removed for this reason from this source.';
COMMENT ON COLUMN removed_by_site.articles IS 'Articles of this source that lost at least one line for this reason.';

CREATE OR REPLACE VIEW failures_by_kind AS
SELECT f.run_id, f.stage, f.reason, count(*) AS failures, min(f.message) AS example
FROM failures AS f
JOIN completed_runs USING (run_id)
GROUP BY f.run_id, f.stage, f.reason;
COMMENT ON VIEW failures_by_kind IS 'Failures per completed run, stage and reason code, with one example message.';
COMMENT ON COLUMN failures_by_kind.run_id IS 'Completed run in which the failures happened.';
COMMENT ON COLUMN failures_by_kind.failures IS 'Failure rows of this run, stage and reason.';
COMMENT ON COLUMN failures_by_kind.example IS 'One of their messages (the first in sort order).';

CREATE OR REPLACE VIEW run_overview AS
SELECT
    run_id, kind, started_at, finished_at,
    round(epoch(finished_at - started_at), 1) AS seconds,
    documents_seen, articles_inserted, articles_updated, articles_unchanged, failures,
    lines_removed, cleaner_version, config_sha256, flow_run_id
FROM completed_runs;
COMMENT ON VIEW run_overview IS 'Completed runs with their duration in seconds and their counts (run_id sorts by start time).';
COMMENT ON COLUMN run_overview.run_id IS 'Time-sortable run id (UTC start second + random suffix).';
COMMENT ON COLUMN run_overview.seconds IS 'Duration from start to completion, in seconds.';

-- BM25 (k1, b) over the full-text index; needs `LOAD fts` for its stemmer. Articles are
-- indexed as last written: join current_articles to keep only completed runs' versions.
CREATE OR REPLACE MACRO search_articles(query, k1 := 1.2, b := 0.75) AS TABLE
WITH query_terms AS (
    SELECT DISTINCT unnest(search_keys_of(query)) AS term_key
),
hits AS (
    SELECT doc, term_key, tf FROM search_terms
    WHERE term_key IN (SELECT term_key FROM query_terms)
),
frequency AS (
    SELECT term_key, count(*) AS df FROM hits GROUP BY term_key
),
corpus AS (
    SELECT count(*) AS docs, avg(terms) AS avg_terms FROM search_docs
)
SELECT
    d.article_id,
    sum(
        ln((corpus.docs - f.df + 0.5) / (f.df + 0.5) + 1)
        * h.tf * (k1 + 1) / (h.tf + k1 * (1 - b + b * d.terms / corpus.avg_terms))
    ) AS score
FROM hits AS h
JOIN frequency AS f USING (term_key)
JOIN search_docs AS d USING (doc)
CROSS JOIN corpus
GROUP BY d.article_id;
