-- The BM25 index over marts.paragraph_search.body. For a schema-qualified table the
-- fts extension names its schema fts_<schema>_<table>: fts_marts_paragraph_search,
-- holding match_bm25, tokenize and the docs/terms/dict/stats/stopwords tables.
-- Words are lowered and stripped of accents, every run of characters other than a-z
-- and 0-9 separates words (the default keeps curly apostrophes and dashes inside
-- words: "People’s"), stopwords are dropped and the rest porter-stemmed.
-- Run on the snapshot file opened directly, never through an ATTACH alias: the
-- macros name the table by schema, so they resolve in whichever database holds them.
--
-- Stopwords: only function words. The extension's 'english' list (571 words) drops
-- words that matter in resolutions ("right", "new", "UN", "first", "serious",
-- "welcome", "appropriate"); BM25's inverse document frequency already gives common
-- words little weight. The index copies the list into its own stopwords table.
CREATE OR REPLACE TEMP TABLE search_stopwords AS
SELECT unnest([
    'a', 'about', 'after', 'against', 'all', 'also', 'an', 'and', 'any', 'are', 'as', 'at', 'be',
    'been', 'before', 'being', 'between', 'both', 'but', 'by', 'can', 'could', 'do', 'does', 'during',
    'each', 'either', 'for', 'from', 'had', 'has', 'have', 'having', 'he', 'her', 'his', 'how', 'i',
    'if', 'in', 'into', 'is', 'it', 'its', 'itself', 'may', 'might', 'more', 'most', 'must', 'no',
    'nor', 'not', 'of', 'on', 'or', 'other', 'our', 'over', 'shall', 'she', 'should', 'so', 'such',
    'than', 'that', 'the', 'their', 'them', 'themselves', 'then', 'there', 'these', 'they', 'this',
    'those', 'through', 'to', 'under', 'until', 'upon', 'very', 'was', 'we', 'were', 'what', 'when',
    'where', 'whether', 'which', 'while', 'who', 'whom', 'whose', 'why', 'will', 'with', 'within',
    'without', 'would'
]) AS sw;

PRAGMA create_fts_index(
    'marts.paragraph_search', 'paragraph_key', 'body',
    stemmer = 'porter', stopwords = 'search_stopwords', ignore = '[^a-z0-9]+',
    strip_accents = 1, lower = 1, overwrite = 1
);
