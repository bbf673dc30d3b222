-- Each of the words $words (runs of letters and digits as they appear in a text, and
-- the query itself) as the search tokenizer (ddl/030_search.sql) sees it: its tokens
-- and their porter stems, in the same order. warehouse/search.py (_matched_words)
-- decides which words search.sql matched: a word whose token is a word of the index
-- (not '' and not a stopword, search_is_word) and has the stem of a query token.
--
-- The stopword test is left to the caller (search_stopwords(), read once): with it
-- here, as search_is_word's subquery over the stopword table macro, binding this query
-- cost about 2 ms, four fifths of it, on every search (issue 18).
SELECT word, search_tokenize(word) AS tokens, [stem(t, 'porter') FOR t IN search_tokenize(word)] AS stems
FROM (SELECT DISTINCT unnest($words::VARCHAR[]) AS word);
