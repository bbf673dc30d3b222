-- The tokenizer of full-text search, in one place for the build and the reader.
-- The build tokenizes each session's paragraphs once (marts.paragraph_term and the
-- `terms` length of marts.paragraph_search) and `unga search` tokenizes the query with
-- the same macros (warehouse/search.py runs this file as TEMP macros on the read-only
-- snapshot), so a query word matches exactly the words the tables hold.
--
-- search_tokenize is the tokenizer DuckDB's fts extension generates for the settings it
-- replaces (lower = 1, strip_accents = 1, ignore = '[^a-z0-9]+'; kept in
-- search/create_index.sql, which the tests build to check the scores against): lowered,
-- accents stripped, every run of characters other than a-z and 0-9 a separator (the
-- default would keep curly apostrophes and dashes inside words: "People’s"). Splitting
-- leaves '' at the ends; search_is_word drops those and the stopwords, as the fts
-- indexer does, before the porter stem (stem(word, 'porter'), the fts extension's).
-- search_words is search_tokenize without the empty splits, for the build
-- (marts._search_term): the runs of a-z and 0-9 of the lowered, accent-stripped text are
-- exactly the non-empty pieces between the separator runs, and one regex pass finding
-- them is cheaper than replacing the separators and splitting again
-- (tests/test_search.py checks the two agree on every paragraph).
--
-- Stopwords: only function words. The extension's 'english' list (571 words) drops
-- words that matter in resolutions ("right", "new", "UN", "first", "serious",
-- "welcome", "appropriate"); BM25's inverse document frequency already gives common
-- words little weight.
CREATE OR REPLACE MACRO search_tokenize(s) AS
    string_split_regex(regexp_replace(lower(strip_accents(CAST(s AS VARCHAR))), '[^a-z0-9]+', ' ', 'g'), '\s+');
CREATE OR REPLACE MACRO search_words(s) AS
    regexp_extract_all(lower(strip_accents(CAST(s AS VARCHAR))), '[a-z0-9]+');
CREATE OR REPLACE MACRO search_stopwords() AS TABLE
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
CREATE OR REPLACE MACRO search_is_word(w) AS w <> '' AND w NOT IN (SELECT sw FROM search_stopwords());
