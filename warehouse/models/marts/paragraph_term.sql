-- step: session
-- partitioned: session
-- depends: marts._search_word
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
-- Tokenized exactly as fts's create_fts_index does with the settings of
-- search/create_index.sql (ddl/030_search.sql): words split, stopwords and empty splits
-- dropped (marts._search_word, which counts each word per paragraph), then stemmed.
-- Stemming each distinct word of the session once, not each of its millions of
-- occurrences, is most of this model's saving; words with one stem in a paragraph add
-- up. Rows in term order: the publication copies the table sorted by term
-- (warehouse/publish.py), so a query reads only the row groups of its terms.
INSERT INTO marts.paragraph_term BY NAME
WITH stems AS (
    SELECT word, stem(word, 'porter') AS term FROM (SELECT DISTINCT word FROM search_word)
)
SELECT w.paragraph_key, $session AS session, s.term, sum(w.n) AS tf
FROM search_word AS w
JOIN stems AS s USING (word)
GROUP BY w.paragraph_key, s.term
ORDER BY s.term, w.paragraph_key;
