-- The BM25 index over marts.paragraph_search.body. For a schema-qualified table the
-- fts extension names its schema fts_<schema>_<table>: fts_marts_paragraph_search,
-- holding match_bm25, tokenize and the docs/terms/dict/stats/stopwords tables.
-- Words are lowered and stripped of accents, every run of characters other than a-z
-- and 0-9 separates words (the default keeps curly apostrophes and dashes inside
-- words: "People’s"), stopwords are dropped and the rest porter-stemmed.
-- Run on the snapshot file opened directly, never through an ATTACH alias: the
-- macros name the table by schema, so they resolve in whichever database holds them.
-- Stopwords: search_stopwords, made by search/stopwords.sql, run first.
PRAGMA create_fts_index(
    'marts.paragraph_search', 'paragraph_key', 'body',
    stemmer = 'porter', stopwords = 'search_stopwords', ignore = '[^a-z0-9]+',
    strip_accents = 1, lower = 1, overwrite = 1
);
