-- step: session
-- partitioned: session
-- depends: marts._search_term
-- code: warehouse/sql/ddl/030_search.sql

-- The full-text index of `unga search`: every indexed word (porter stem) of each
-- paragraph's body and how often it occurs there, tokenized once, when the paragraph's
-- session is built. search/search.sql scores BM25 from the rows of the query's terms
-- only (the postings), where DuckDB's fts index was rebuilt over every paragraph at each
-- publication; the number of paragraphs holding a term (BM25's df) is the number of its
-- rows, and a paragraph's length is marts.paragraph_search.terms.
CREATE TABLE IF NOT EXISTS marts.paragraph_term (
    paragraph_key BIGINT NOT NULL,
    session INTEGER NOT NULL,
    term VARCHAR NOT NULL,
    tf INTEGER NOT NULL
);

-- build
-- The rows of marts._search_term: tokenized exactly as fts's create_fts_index does with
-- the settings of search/create_index.sql (ddl/030_search.sql): words split, stopwords
-- and empty splits dropped, then stemmed. Rows in term order: the publication copies the
-- table sorted by term (warehouse/publish.py), so a query reads only the row groups of
-- its terms.
INSERT INTO marts.paragraph_term BY NAME
SELECT paragraph_key, $session AS session, term, tf
FROM search_term
ORDER BY term, paragraph_key;
