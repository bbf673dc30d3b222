-- The reference: DuckDB fts's BM25 index over marts.paragraph_search.body, with the
-- settings search/search.sql reproduces from marts.paragraph_term (the tests build it on
-- a copy of a snapshot and check that both give the same scores; publication no longer
-- builds it). For a schema-qualified table the fts extension names its schema
-- fts_<schema>_<table>: fts_marts_paragraph_search, holding match_bm25, tokenize and the
-- docs/terms/dict/stats/stopwords tables. Words are lowered and stripped of accents,
-- every run of characters other than a-z and 0-9 separates words, stopwords are dropped
-- and the rest porter-stemmed (ddl/030_search.sql).
-- Stopwords: fts_stopwords, made by search/stopwords.sql, run first.
PRAGMA create_fts_index(
    'marts.paragraph_search', 'paragraph_key', 'body',
    stemmer = 'porter', stopwords = 'fts_stopwords', ignore = '[^a-z0-9]+',
    strip_accents = 1, lower = 1, overwrite = 1
);
