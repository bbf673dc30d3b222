-- step: global
-- depends: core.bridge_paragraph_citation, core.dim_resolution

-- Over all sessions, not per session: target_in_warehouse depends on every session's
-- resolutions. core/link_citations.sql relinks every session's citations when any session
-- is built (78 may cite 79, loaded later or earlier), so a per-session table built before
-- the cited session arrived kept a stale flag (an in-process build, session after
-- session, differed from a Dagster build, layer by layer, in A/RES/78/147 -> A/RES/79/8;
-- a session added before an older one left the newer sessions' edges to it stale). The
-- global step is rebuilt whenever any session's staging changes; the table is a small
-- aggregate of the citation bridge.

CREATE TABLE IF NOT EXISTS marts.citation_edges (
    source_symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    target_symbol VARCHAR NOT NULL,
    target_type VARCHAR NOT NULL,            -- ga_resolution | sc_resolution | ecosoc_resolution | hrc_resolution | document
    target_in_warehouse BOOLEAN NOT NULL,
    citations INTEGER NOT NULL,              -- links from source to target
    paragraphs INTEGER NOT NULL,
    in_footnotes INTEGER NOT NULL
);

-- build
-- The citation network: resolution -> cited document, one edge per pair.
INSERT INTO marts.citation_edges BY NAME
SELECT c.symbol AS source_symbol, any_value(c.session) AS session, any_value(r.year) AS year, c.target_symbol,
       CASE WHEN c.target_symbol LIKE 'A/RES/%' OR c.target_symbol LIKE 'A/ES-%/%' THEN 'ga_resolution'
            WHEN c.target_symbol LIKE 'S/RES/%' THEN 'sc_resolution'
            WHEN c.target_symbol LIKE 'E/RES/%' THEN 'ecosoc_resolution'
            WHEN c.target_symbol LIKE 'A/HRC/RES/%' THEN 'hrc_resolution'
            ELSE 'document' END AS target_type,
       bool_or(c.target_resolution_key IS NOT NULL) AS target_in_warehouse,
       count(*) AS citations,
       count(DISTINCT (c.paragraph_kind, c.paragraph_ordinal)) AS paragraphs,
       count(*) FILTER (WHERE c.in_footnote) AS in_footnotes
FROM core.bridge_paragraph_citation c
JOIN core.dim_resolution r ON r.symbol = c.symbol
GROUP BY c.symbol, c.target_symbol;
