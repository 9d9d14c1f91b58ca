-- 007_search_keys: the full-text index holds integers only. The writer's file keeps row
-- groups of 2,048 rows (see ROW_GROUP_ROWS in pipeline/warehouse.py), and under groups that
-- small DuckDB 1.5.5 appends string columns ~9x slower than integer ones: inserting the 266k
-- term rows of 779 real articles took 0.62 s as (article_id, term) strings and 0.07 s as
-- (doc, term_key) integers, most of the index's cost at load. An article now gets a doc
-- number (search_docs maps it to article_id) and a term its 64-bit key, the last 16 hex
-- digits of the MD5 of the stemmed word: fixed by MD5 itself, so unlike DuckDB's hash() no
-- DuckDB upgrade can change it under a stored index, and Python computes the same key
-- (pipeline/search.py, where the extraction workers count each article's terms). Among a million distinct terms the odds that
-- any two share a key are ~3e-8.

CREATE MACRO search_key(term) AS ('0x' || right(md5(term), 16))::UBIGINT;
CREATE MACRO search_keys_of(s) AS list_transform(search_terms_of(s), t -> search_key(t));

CREATE SEQUENCE search_doc_ids;

CREATE TABLE _search_docs_keyed (
    doc BIGINT NOT NULL,
    article_id VARCHAR NOT NULL,
    terms INTEGER NOT NULL CHECK (terms > 0)
);
INSERT INTO _search_docs_keyed
SELECT nextval('search_doc_ids'), article_id, terms FROM search_docs;

CREATE TABLE _search_terms_keyed (
    doc BIGINT NOT NULL,
    term_key UBIGINT NOT NULL,
    tf INTEGER NOT NULL CHECK (tf > 0)
);
INSERT INTO _search_terms_keyed
SELECT d.doc, search_key(t.term), t.tf
FROM search_terms AS t JOIN _search_docs_keyed AS d USING (article_id);

DROP TABLE search_terms;
DROP TABLE search_docs;
ALTER TABLE _search_docs_keyed RENAME TO search_docs;
ALTER TABLE _search_terms_keyed RENAME TO search_terms;

COMMENT ON TABLE search_docs IS 'Full-text index: one row per indexed article, with its length for BM25.';
COMMENT ON COLUMN search_docs.doc IS 'The article''s number in the index (search_terms.doc); a changed article gets a new one.';
COMMENT ON COLUMN search_docs.article_id IS 'Article (articles.article_id) as last written.';
COMMENT ON COLUMN search_docs.terms IS 'Number of words in the article''s title and text.';
COMMENT ON TABLE search_terms IS 'Full-text index: one row per term of an article''s title and text. Query it with search_articles(...), or match term_key against search_keys_of(''words'').';
COMMENT ON COLUMN search_terms.doc IS 'The article (search_docs.doc).';
COMMENT ON COLUMN search_terms.term_key IS 'search_key of a stemmed, lower-cased word without accents (search_terms_of).';
COMMENT ON COLUMN search_terms.tf IS 'How often the term occurs in the article''s title and text.';
