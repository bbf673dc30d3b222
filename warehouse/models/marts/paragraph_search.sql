-- step: session
-- partitioned: session
-- depends: core.bridge_paragraph_theme, core.dim_resolution, core.fact_footnote, core.fact_paragraph, marts._search_body, marts._search_term
-- code: warehouse/sql/ddl/030_search.sql

-- What `unga search` ranks and shows: one row per paragraph, with its resolution's
-- title, its themes and footnotes, `body` (the indexed text) and `terms` (how many
-- indexed words body holds: BM25's document length). Built per session like the core
-- tables it reads, so adding a session adds its rows and publication copies the table;
-- marts.paragraph_term holds the words themselves.
CREATE TABLE IF NOT EXISTS marts.paragraph_search (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    kind VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    number VARCHAR,
    lead_phrase VARCHAR,
    verb VARCHAR,
    title VARCHAR,
    themes VARCHAR[] NOT NULL,
    footnotes VARCHAR[] NOT NULL,
    body VARCHAR NOT NULL,
    terms INTEGER NOT NULL
);

-- build
-- `body` is the paragraph's indexed text (marts._search_body: its text, and any of its
-- sub-paragraphs' text it does not already hold). `themes` holds the paragraph's theme
-- codes as the bridge stores them, parents included; `footnotes` the footnote texts in
-- order, each after its marker. `terms` counts body's words as the index counts them
-- (marts._search_term: no stopwords, no empty splits; stemming does not change the
-- count).
INSERT INTO marts.paragraph_search BY NAME
WITH paragraphs AS (
    SELECT * FROM core.fact_paragraph WHERE session = $session
), paragraph_footnotes AS (
    SELECT paragraph_key,
           list(coalesce(marker || ' ', '') || text ORDER BY footnote_ordinal) AS footnotes
    FROM core.fact_footnote
    WHERE paragraph_key IN (SELECT paragraph_key FROM paragraphs)
    GROUP BY paragraph_key
), paragraph_themes AS (
    SELECT paragraph_key, list(DISTINCT theme ORDER BY theme) AS themes
    FROM core.bridge_paragraph_theme
    WHERE paragraph_key IN (SELECT paragraph_key FROM paragraphs)
    GROUP BY paragraph_key
), lengths AS (
    SELECT paragraph_key, sum(tf) AS terms FROM search_term GROUP BY paragraph_key
)
SELECT p.paragraph_key,
       p.symbol,
       p.session,
       p.year,
       p.kind,
       p.ordinal,
       p.number,
       p.lead_phrase,
       p.verb,
       r.title,
       coalesce(t.themes, []::VARCHAR[]) AS themes,
       coalesce(f.footnotes, []::VARCHAR[]) AS footnotes,
       b.body,
       coalesce(l.terms, 0) AS terms
FROM paragraphs AS p
JOIN search_body AS b USING (paragraph_key)
LEFT JOIN core.dim_resolution AS r USING (resolution_key)
LEFT JOIN paragraph_footnotes AS f USING (paragraph_key)
LEFT JOIN paragraph_themes AS t USING (paragraph_key)
LEFT JOIN lengths AS l USING (paragraph_key)
ORDER BY p.symbol, p.kind DESC, p.ordinal;
