-- step: session
-- depends: marts._search_body
-- code: warehouse/sql/ddl/030_search.sql

-- build
-- The indexed words of each paragraph's body and how often each occurs there, unstemmed:
-- the session's bodies tokenized once, for both search models (marts.paragraph_search
-- sums `n` for its `terms`, marts.paragraph_term stems each distinct word once). Words
-- as fts's create_fts_index splits them (ddl/030_search.sql: search_words is
-- search_tokenize less its empty splits), stopwords dropped (search_is_word).
CREATE OR REPLACE TEMP TABLE search_word AS
WITH tokens AS (
    SELECT paragraph_key, unnest(search_words(body)) AS word FROM search_body
)
SELECT paragraph_key, word, count(*) AS n
FROM tokens
GROUP BY paragraph_key, word
HAVING search_is_word(word);
