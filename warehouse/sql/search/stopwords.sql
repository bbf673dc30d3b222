-- The stopwords of the BM25 index (search/create_index.sql), in a file of their own:
-- DuckDB expands PRAGMA create_fts_index when it parses a script, reading the
-- stopwords table then, so the table must exist before that script is parsed.
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
