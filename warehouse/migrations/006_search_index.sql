-- 006_search_index: presswash's own full-text index, kept current by the writer batch by
-- batch, replacing the fts extension's index (fts_main_articles). That one can only be built
-- whole: after each run it re-tokenised every article in the warehouse, so a run's cost and
-- memory peak grew with the warehouse (100k articles: 150 s, +350 MB). Indexing each batch's
-- new and changed articles costs the same per article however large the warehouse is.
-- How text becomes terms is defined here, with the data, because changing it means
-- re-indexing (`presswash index`): a later change comes as a new migration.

DROP SCHEMA IF EXISTS fts_main_articles CASCADE;

-- Words are runs of letters and digits in any script, lower-cased; a word's term has its
-- accents stripped (Köln = koln) and is stemmed with Snowball's English (porter) stemmer from
-- the fts extension, as its index did. No stopwords: BM25's idf already gives common words
-- almost no weight. Stripping and stemming apply per word, so the writer can count an
-- article's words first and treat each distinct word once (2.6x faster than per occurrence).
CREATE MACRO search_words(s) AS list_filter(
    string_split_regex(lower(coalesce(s, '')), '[^\p{L}\p{N}]+'), w -> w <> ''
);
CREATE MACRO search_term(w) AS stem(strip_accents(w), 'porter');
CREATE MACRO search_terms_of(s) AS list_transform(search_words(s), w -> search_term(w));

CREATE TABLE search_terms (
    article_id VARCHAR NOT NULL,
    term VARCHAR NOT NULL,
    tf INTEGER NOT NULL CHECK (tf > 0)
);
COMMENT ON TABLE search_terms IS 'Full-text index: one row per term of an article''s title and text (search_terms_of). Query it with search_articles(...).';
COMMENT ON COLUMN search_terms.article_id IS 'Article (articles.article_id) as last written.';
COMMENT ON COLUMN search_terms.term IS 'A stemmed, lower-cased word without accents.';
COMMENT ON COLUMN search_terms.tf IS 'How often the term occurs in the article''s title and text.';

CREATE TABLE search_docs (
    article_id VARCHAR NOT NULL,
    terms INTEGER NOT NULL CHECK (terms > 0)
);
COMMENT ON TABLE search_docs IS 'Full-text index: one row per indexed article, with its length for BM25.';
COMMENT ON COLUMN search_docs.article_id IS 'Article (articles.article_id) as last written.';
COMMENT ON COLUMN search_docs.terms IS 'Number of words in the article''s title and text.';

-- The articles already stored, indexed as the writer indexes each batch (pipeline/search.py).
INSERT INTO search_terms
SELECT article_id, search_term(word), sum(n)
FROM (
    SELECT article_id, word, count(*) AS n
    FROM (SELECT article_id, unnest(search_words(concat_ws(' ', title, text))) AS word FROM articles)
    GROUP BY ALL
)
GROUP BY ALL;
INSERT INTO search_docs SELECT article_id, sum(tf) FROM search_terms GROUP BY article_id;
