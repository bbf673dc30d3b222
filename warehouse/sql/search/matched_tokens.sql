-- Which of the words $tokens (runs of letters and digits as they appear in a text)
-- the index would match against $query: the word, through the index's tokenizer,
-- is not a stopword and has the stem of a query word. Stopwords are dropped from
-- the text as the index drops them, not from the query, as match_bm25 does not.
WITH terms AS (
    SELECT DISTINCT stem(unnest(fts_marts_paragraph_search.tokenize($query)), 'porter') AS term
), words AS (
    SELECT DISTINCT unnest($tokens::VARCHAR[]) AS word
), parts AS (
    SELECT word, unnest(fts_marts_paragraph_search.tokenize(word)) AS token FROM words
)
SELECT DISTINCT word
FROM parts
WHERE token <> ''
  AND token NOT IN (SELECT sw FROM fts_marts_paragraph_search.stopwords)
  AND stem(token, 'porter') IN (SELECT term FROM terms WHERE term <> '');
