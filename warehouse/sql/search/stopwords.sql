-- The stopwords of the reference fts index (search/create_index.sql), as a table: the
-- fts extension copies its stopwords from a table. The list itself is the project's one,
-- search_stopwords() of ddl/030_search.sql. A file of its own: DuckDB expands PRAGMA
-- create_fts_index when it parses a script, reading the stopwords table then, so the
-- table must exist before that script is parsed.
CREATE OR REPLACE TEMP TABLE fts_stopwords AS SELECT sw FROM search_stopwords();
