-- step: session
-- depends: marts._search_body
-- code: warehouse/sql/ddl/030_search.sql

-- build
-- The index terms (porter stems) of each paragraph's body and how often each occurs
-- there: the session's bodies tokenized once, for both search models (marts.paragraph_term
-- holds these rows in term order, marts.paragraph_search sums `tf` for its `terms`).
-- Tokenized exactly as fts's create_fts_index does with the settings of
-- search/create_index.sql (ddl/030_search.sql: search_words is search_tokenize less its
-- empty splits), stopwords dropped (search_is_word), then stemmed. Each distinct word of
-- the session is judged and stemmed once, not each of its occurrences (stemming every
-- token was most of the search tables' cost); different words with one stem in a
-- paragraph add up.
CREATE OR REPLACE TEMP TABLE search_term AS
WITH tokens AS (
    SELECT paragraph_key, unnest(search_words(body)) AS word FROM search_body
), stems AS (
    SELECT word, stem(word, 'porter') AS term
    FROM (SELECT DISTINCT word FROM tokens)
    WHERE search_is_word(word)
)
SELECT t.paragraph_key, s.term, count(*) AS tf
FROM tokens AS t
JOIN stems AS s USING (word)
GROUP BY t.paragraph_key, s.term;
