-- Which of the words $tokens (runs of letters and digits as they appear in a text)
-- search.sql would match against $query: the word, through the search tokenizer
-- (ddl/030_search.sql), is not a stopword and has the stem of a query word. Stopwords
-- are dropped from the text as the build drops them, not from the query, where they
-- have no postings anyway.
WITH terms AS (
    SELECT DISTINCT stem(unnest(search_tokenize($query)), 'porter') AS term
), words AS (
    SELECT DISTINCT unnest($tokens::VARCHAR[]) AS word
), parts AS (
    SELECT word, unnest(search_tokenize(word)) AS token FROM words
)
SELECT DISTINCT word
FROM parts
WHERE search_is_word(token)
  AND stem(token, 'porter') IN (SELECT term FROM terms WHERE term <> '');
