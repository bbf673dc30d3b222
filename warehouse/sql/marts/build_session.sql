-- The per-session marts of one GA session, from its core rows.

-- The denominators of the shares: everything adopted in each year of the session (a null
-- year, a resolution without an adoption date, has its own row, as the mandates keep it).
CREATE OR REPLACE TEMP TABLE year_totals AS
SELECT r.year,
       count(DISTINCT r.symbol) AS all_resolutions,
       count(p.paragraph_key) AS all_paragraphs,
       count(p.paragraph_key) FILTER (WHERE p.kind = 'preambular') AS all_preambular_paragraphs,
       count(p.paragraph_key) FILTER (WHERE p.kind = 'operative') AS all_operative_paragraphs
FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol AND p.session = $session
WHERE r.session = $session
GROUP BY r.year;

-- Every theme x (year, session) with adoptions, zeros included, so a year in which
-- no resolution speaks of a theme shows as 0 and not as a missing row.
INSERT INTO marts.theme_trend_by_year BY NAME
WITH para AS (
    SELECT paragraph_key, symbol, year, kind FROM core.fact_paragraph WHERE session = $session
),
totals AS (
    SELECT * FROM year_totals WHERE year IS NOT NULL
),
tagged AS (
    SELECT t.theme, p.year, p.symbol, p.kind, t.mentions
    FROM core.bridge_paragraph_theme t JOIN para p USING (paragraph_key)
    WHERE t.session = $session
),
counts AS (
    SELECT theme, year,
           count(DISTINCT symbol) AS resolutions,
           count(*) AS paragraphs,
           sum(mentions) AS mentions,
           count(*) FILTER (WHERE kind = 'preambular') AS preambular_paragraphs,
           count(*) FILTER (WHERE kind = 'operative') AS operative_paragraphs,
           count(*) FILTER (WHERE kind = 'annex') AS annex_paragraphs,
           coalesce(sum(mentions) FILTER (WHERE kind = 'preambular'), 0) AS preambular_mentions,
           coalesce(sum(mentions) FILTER (WHERE kind = 'operative'), 0) AS operative_mentions,
           coalesce(sum(mentions) FILTER (WHERE kind = 'annex'), 0) AS annex_mentions,
           list(DISTINCT symbol ORDER BY symbol) AS symbols
    FROM tagged GROUP BY theme, year
)
SELECT th.theme, th.parent AS parent_theme, th.label AS theme_label, y.year, $session AS session,
       coalesce(c.resolutions, 0) AS resolutions,
       coalesce(c.paragraphs, 0) AS paragraphs,
       coalesce(c.mentions, 0) AS mentions,
       coalesce(c.preambular_paragraphs, 0) AS preambular_paragraphs,
       coalesce(c.operative_paragraphs, 0) AS operative_paragraphs,
       coalesce(c.annex_paragraphs, 0) AS annex_paragraphs,
       coalesce(c.preambular_mentions, 0) AS preambular_mentions,
       coalesce(c.operative_mentions, 0) AS operative_mentions,
       coalesce(c.annex_mentions, 0) AS annex_mentions,
       y.all_resolutions, y.all_paragraphs, y.all_preambular_paragraphs, y.all_operative_paragraphs,
       coalesce(c.resolutions, 0) / greatest(y.all_resolutions, 1) AS resolution_share,
       coalesce(c.paragraphs, 0) / greatest(y.all_paragraphs, 1) AS paragraph_share,
       coalesce(c.preambular_paragraphs, 0) / greatest(y.all_preambular_paragraphs, 1) AS preambular_share,
       coalesce(c.operative_paragraphs, 0) / greatest(y.all_operative_paragraphs, 1) AS operative_share,
       coalesce(c.symbols, []::VARCHAR[]) AS symbols
FROM core.dim_theme th CROSS JOIN totals y
LEFT JOIN counts c ON c.theme = th.theme AND c.year = y.year;

-- Which operative verbs carry each theme ("requests", "urges", "calls upon" ...): share
-- within the theme, and operative_share of every operative paragraph adopted (comparable
-- from one period to the next).
INSERT INTO marts.theme_verb_by_year BY NAME
SELECT v.*, y.all_operative_paragraphs, v.paragraphs / greatest(y.all_operative_paragraphs, 1) AS operative_share
FROM (
    SELECT t.theme, p.year, $session AS session, coalesce(p.verb, '(none)') AS verb,
           count(*) AS paragraphs, sum(t.mentions) AS mentions, count(DISTINCT p.symbol) AS resolutions,
           count(*) / sum(count(*)) OVER (PARTITION BY t.theme, p.year) AS share
    FROM core.bridge_paragraph_theme t
    JOIN core.fact_paragraph p USING (paragraph_key)
    WHERE t.session = $session AND p.session = $session AND p.kind = 'operative' AND p.year IS NOT NULL
    GROUP BY t.theme, p.year, coalesce(p.verb, '(none)')
) v JOIN year_totals y USING (year);

-- The mix of operative verbs: share of the operative paragraphs, resolution_share of the
-- resolutions adopted.
INSERT INTO marts.operative_verb_by_year BY NAME
SELECT v.*, y.all_resolutions, v.resolutions / greatest(y.all_resolutions, 1) AS resolution_share
FROM (
    SELECT year, $session AS session, coalesce(verb, '(none)') AS verb,
           count(*) AS paragraphs, count(DISTINCT symbol) AS resolutions,
           count(*) / sum(count(*)) OVER (PARTITION BY year) AS share,
           rank() OVER (PARTITION BY year ORDER BY count(*) DESC, coalesce(verb, '(none)')) AS rank
    FROM core.fact_paragraph
    WHERE session = $session AND kind = 'operative' AND year IS NOT NULL
    GROUP BY year, coalesce(verb, '(none)')
) v JOIN year_totals y USING (year);

-- Instruments and documents cited, per year: by text, by link and by footnote.
INSERT INTO marts.instrument_citations_by_year BY NAME
SELECT c.*, y.all_resolutions, y.all_paragraphs,
       c.resolutions / greatest(y.all_resolutions, 1) AS resolution_share,
       c.paragraphs / greatest(y.all_paragraphs, 1) AS paragraph_share
FROM (
    SELECT b.instrument_id, any_value(i.name) AS name,
           any_value(coalesce(i.instrument_type, b.instrument_type, 'document')) AS instrument_type,
           p.year, $session AS session,
           count(DISTINCT b.symbol) AS resolutions,
           count(DISTINCT b.paragraph_key) AS paragraphs,
           count(*) AS citations,
           rank() OVER (PARTITION BY p.year ORDER BY count(DISTINCT b.symbol) DESC) AS rank
    FROM core.bridge_paragraph_instrument b
    JOIN core.fact_paragraph p USING (paragraph_key)
    LEFT JOIN core.dim_instrument i USING (instrument_id)
    WHERE b.session = $session AND p.session = $session AND p.year IS NOT NULL
    GROUP BY b.instrument_id, p.year
) c JOIN year_totals y USING (year);

-- The citation network: resolution -> cited document, one edge per pair.
INSERT INTO marts.citation_edges BY NAME
SELECT c.symbol AS source_symbol, $session AS session, any_value(r.year) AS year, c.target_symbol,
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
WHERE c.session = $session
GROUP BY c.symbol, c.target_symbol;

-- Who is asked to do what, per year (marts.mandates, one row per entity and paragraph):
-- mandate_share of the operative paragraphs adopted, resolution_share of the resolutions.
INSERT INTO marts.mandates_by_entity_year BY NAME
SELECT m.*, y.all_resolutions, y.all_operative_paragraphs,
       m.resolutions / greatest(y.all_resolutions, 1) AS resolution_share,
       m.mandates / greatest(y.all_operative_paragraphs, 1) AS mandate_share
FROM (
    SELECT actor_id, any_value(entity) AS entity, year, $session AS session,
           count(DISTINCT (symbol, paragraph_ordinal)) AS mandates,
           count(DISTINCT symbol) AS resolutions,
           count(DISTINCT (symbol, paragraph_ordinal)) FILTER (WHERE report_requested) AS reports_requested,
           list(DISTINCT verb ORDER BY verb) FILTER (WHERE verb IS NOT NULL) AS verbs,
           list(DISTINCT symbol ORDER BY symbol) AS symbols
    FROM marts.mandates
    WHERE session = $session
    GROUP BY actor_id, year
) m JOIN year_totals y ON y.year IS NOT DISTINCT FROM m.year;
