-- Marts over all sessions, rolled up from the per-session marts (milliseconds), after
-- marts.period_coverage is written (warehouse/pipeline.py build_global_marts).

-- The coverage of each period, for the trend rows to carry.
CREATE OR REPLACE TEMP TABLE session_coverage AS
SELECT period AS session, coverage, is_complete FROM marts.period_coverage WHERE period_type = 'session';
CREATE OR REPLACE TEMP TABLE year_coverage AS
SELECT period AS year, coverage, is_complete FROM marts.period_coverage WHERE period_type = 'year';

-- The denominators of the by-session shares: everything adopted in the session.
CREATE OR REPLACE TEMP TABLE session_totals AS
SELECT r.session,
       count(DISTINCT r.symbol) AS all_resolutions,
       count(p.paragraph_key) AS all_paragraphs,
       count(p.paragraph_key) FILTER (WHERE p.kind = 'operative') AS all_operative_paragraphs
FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol
GROUP BY r.session;

-- The per-session marts by year carry their calendar year's coverage: they are rebuilt
-- session by session, but a year's coverage depends on both sessions it holds, so it is
-- set here, after every session. A row whose year has no coverage (no adoption date) is
-- marked incomplete.
UPDATE marts.theme_trend_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;
UPDATE marts.theme_trend_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
UPDATE marts.theme_verb_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;
UPDATE marts.theme_verb_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
UPDATE marts.operative_verb_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;
UPDATE marts.operative_verb_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
UPDATE marts.instrument_citations_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;
UPDATE marts.instrument_citations_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
UPDATE marts.mandates_by_entity_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;
UPDATE marts.mandates_by_entity_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);

-- Environmental crime and its sub-themes per calendar year: every year with adoptions
-- appears for every sub-theme, with zeros where nothing was said, so gaps in a series
-- show instead of vanishing.
DELETE FROM marts.environmental_crime_trend;
INSERT INTO marts.environmental_crime_trend BY NAME
WITH env AS (
    SELECT theme, label, parent IS NULL AS is_parent FROM core.dim_theme
    WHERE theme = 'environmental_crime' OR parent = 'environmental_crime'
),
years AS (
    -- the denominators: every resolution and paragraph adopted that year, whatever its session
    SELECT year, list(DISTINCT session ORDER BY session) AS sessions,
           sum(all_resolutions) AS all_resolutions, sum(all_paragraphs) AS all_paragraphs
    FROM (SELECT DISTINCT year, session, all_resolutions, all_paragraphs FROM marts.theme_trend_by_year)
    GROUP BY year
),
per_year AS (
    SELECT theme, year, sum(resolutions) AS resolutions, sum(paragraphs) AS paragraphs,
           sum(mentions) AS mentions, sum(preambular_paragraphs) AS preambular_paragraphs,
           sum(operative_paragraphs) AS operative_paragraphs,
           list_sort(flatten(list(symbols))) AS symbols
    FROM marts.theme_trend_by_year
    WHERE theme IN (SELECT theme FROM env)
    GROUP BY theme, year
)
SELECT y.year, e.theme, e.label AS theme_label, e.is_parent, y.sessions,
       coalesce(p.resolutions, 0) AS resolutions,
       coalesce(p.paragraphs, 0) AS paragraphs,
       coalesce(p.mentions, 0) AS mentions,
       coalesce(p.preambular_paragraphs, 0) AS preambular_paragraphs,
       coalesce(p.operative_paragraphs, 0) AS operative_paragraphs,
       y.all_resolutions, y.all_paragraphs,
       coalesce(p.resolutions, 0) / greatest(y.all_resolutions, 1) AS resolution_share,
       coalesce(p.paragraphs, 0) / greatest(y.all_paragraphs, 1) AS paragraph_share,
       coalesce(p.mentions, 0) - lag(coalesce(p.mentions, 0)) OVER (PARTITION BY e.theme ORDER BY y.year)
           AS mentions_change,
       coalesce(p.symbols, []::VARCHAR[]) AS symbols,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM env e CROSS JOIN years y
LEFT JOIN per_year p ON p.theme = e.theme AND p.year = y.year
LEFT JOIN year_coverage c ON c.year = y.year;

-- The same by GA session: every session loaded, for every theme of the family.
DELETE FROM marts.environmental_crime_trend_by_session;
INSERT INTO marts.environmental_crime_trend_by_session BY NAME
WITH env AS (
    SELECT theme, label, parent IS NULL AS is_parent FROM core.dim_theme
    WHERE theme = 'environmental_crime' OR parent = 'environmental_crime'
),
sessions AS (
    SELECT session, list(DISTINCT year ORDER BY year) AS years,
           sum(all_resolutions) AS all_resolutions, sum(all_paragraphs) AS all_paragraphs
    FROM (SELECT DISTINCT year, session, all_resolutions, all_paragraphs FROM marts.theme_trend_by_year)
    GROUP BY session
),
per_session AS (
    SELECT theme, session, sum(resolutions) AS resolutions, sum(paragraphs) AS paragraphs,
           sum(mentions) AS mentions, sum(preambular_paragraphs) AS preambular_paragraphs,
           sum(operative_paragraphs) AS operative_paragraphs,
           list_sort(flatten(list(symbols))) AS symbols
    FROM marts.theme_trend_by_year
    WHERE theme IN (SELECT theme FROM env)
    GROUP BY theme, session
)
SELECT s.session, e.theme, e.label AS theme_label, e.is_parent, s.years,
       coalesce(p.resolutions, 0) AS resolutions,
       coalesce(p.paragraphs, 0) AS paragraphs,
       coalesce(p.mentions, 0) AS mentions,
       coalesce(p.preambular_paragraphs, 0) AS preambular_paragraphs,
       coalesce(p.operative_paragraphs, 0) AS operative_paragraphs,
       s.all_resolutions, s.all_paragraphs,
       coalesce(p.resolutions, 0) / greatest(s.all_resolutions, 1) AS resolution_share,
       coalesce(p.paragraphs, 0) / greatest(s.all_paragraphs, 1) AS paragraph_share,
       coalesce(p.mentions, 0) - lag(coalesce(p.mentions, 0)) OVER (PARTITION BY e.theme ORDER BY s.session)
           AS mentions_change,
       coalesce(p.symbols, []::VARCHAR[]) AS symbols,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM env e CROSS JOIN sessions s
LEFT JOIN per_session p ON p.theme = e.theme AND p.session = s.session
LEFT JOIN session_coverage c ON c.session = s.session;

-- Every theme per session, rolled up over the session's years: a complete grid like
-- theme_trend_by_year's, zeros kept.
DELETE FROM marts.theme_trend_by_session;
INSERT INTO marts.theme_trend_by_session BY NAME
WITH totals AS (
    SELECT session, list(year ORDER BY year) AS years,
           sum(all_resolutions) AS all_resolutions, sum(all_paragraphs) AS all_paragraphs,
           sum(all_preambular_paragraphs) AS all_preambular_paragraphs,
           sum(all_operative_paragraphs) AS all_operative_paragraphs
    FROM (SELECT DISTINCT year, session, all_resolutions, all_paragraphs, all_preambular_paragraphs,
                          all_operative_paragraphs FROM marts.theme_trend_by_year)
    GROUP BY session
),
counts AS (
    SELECT theme, any_value(parent_theme) AS parent_theme, any_value(theme_label) AS theme_label, session,
           sum(resolutions) AS resolutions, sum(paragraphs) AS paragraphs, sum(mentions) AS mentions,
           sum(preambular_paragraphs) AS preambular_paragraphs, sum(operative_paragraphs) AS operative_paragraphs,
           sum(annex_paragraphs) AS annex_paragraphs, sum(preambular_mentions) AS preambular_mentions,
           sum(operative_mentions) AS operative_mentions, sum(annex_mentions) AS annex_mentions,
           list_sort(flatten(list(symbols))) AS symbols
    FROM marts.theme_trend_by_year
    GROUP BY theme, session
)
SELECT c.*, t.years, t.all_resolutions, t.all_paragraphs, t.all_preambular_paragraphs, t.all_operative_paragraphs,
       c.resolutions / greatest(t.all_resolutions, 1) AS resolution_share,
       c.paragraphs / greatest(t.all_paragraphs, 1) AS paragraph_share,
       c.preambular_paragraphs / greatest(t.all_preambular_paragraphs, 1) AS preambular_share,
       c.operative_paragraphs / greatest(t.all_operative_paragraphs, 1) AS operative_share,
       v.coverage, coalesce(v.is_complete, false) AS is_complete
FROM counts c JOIN totals t USING (session)
LEFT JOIN session_coverage v USING (session);

-- Operative verbs per theme and session, straight from core (as the per-year mart).
DELETE FROM marts.theme_verb_by_session;
INSERT INTO marts.theme_verb_by_session BY NAME
SELECT v.*, s.all_operative_paragraphs, v.paragraphs / greatest(s.all_operative_paragraphs, 1) AS operative_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT t.theme, p.session, coalesce(p.verb, '(none)') AS verb,
           count(*) AS paragraphs, sum(t.mentions) AS mentions, count(DISTINCT p.symbol) AS resolutions,
           count(*) / sum(count(*)) OVER (PARTITION BY t.theme, p.session) AS share
    FROM core.bridge_paragraph_theme t
    JOIN core.fact_paragraph p USING (paragraph_key)
    WHERE p.kind = 'operative'
    GROUP BY t.theme, p.session, coalesce(p.verb, '(none)')
) v JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);

-- The mix of operative verbs per session.
DELETE FROM marts.operative_verb_by_session;
INSERT INTO marts.operative_verb_by_session BY NAME
SELECT v.*, s.all_resolutions, v.resolutions / greatest(s.all_resolutions, 1) AS resolution_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT session, coalesce(verb, '(none)') AS verb,
           count(*) AS paragraphs, count(DISTINCT symbol) AS resolutions,
           count(*) / sum(count(*)) OVER (PARTITION BY session) AS share,
           rank() OVER (PARTITION BY session ORDER BY count(*) DESC, coalesce(verb, '(none)')) AS rank
    FROM core.fact_paragraph
    WHERE kind = 'operative'
    GROUP BY session, coalesce(verb, '(none)')
) v JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);

-- Instruments and documents cited per session.
DELETE FROM marts.instrument_citations_by_session;
INSERT INTO marts.instrument_citations_by_session BY NAME
SELECT x.*, s.all_resolutions, s.all_paragraphs,
       x.resolutions / greatest(s.all_resolutions, 1) AS resolution_share,
       x.paragraphs / greatest(s.all_paragraphs, 1) AS paragraph_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT b.instrument_id, any_value(i.name) AS name,
           any_value(coalesce(i.instrument_type, b.instrument_type, 'document')) AS instrument_type,
           p.session,
           count(DISTINCT b.symbol) AS resolutions,
           count(DISTINCT b.paragraph_key) AS paragraphs,
           count(*) AS citations,
           rank() OVER (PARTITION BY p.session ORDER BY count(DISTINCT b.symbol) DESC) AS rank
    FROM core.bridge_paragraph_instrument b
    JOIN core.fact_paragraph p USING (paragraph_key)
    LEFT JOIN core.dim_instrument i USING (instrument_id)
    GROUP BY b.instrument_id, p.session
) x JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);

-- Mandates per UN entity and session (marts.mandates).
DELETE FROM marts.mandates_by_entity_session;
INSERT INTO marts.mandates_by_entity_session BY NAME
SELECT m.*, s.all_resolutions, s.all_operative_paragraphs,
       m.resolutions / greatest(s.all_resolutions, 1) AS resolution_share,
       m.mandates / greatest(s.all_operative_paragraphs, 1) AS mandate_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT actor_id, any_value(entity) AS entity, session,
           count(DISTINCT (symbol, paragraph_ordinal)) AS mandates,
           count(DISTINCT symbol) AS resolutions,
           count(DISTINCT (symbol, paragraph_ordinal)) FILTER (WHERE report_requested) AS reports_requested,
           list(DISTINCT verb ORDER BY verb) FILTER (WHERE verb IS NOT NULL) AS verbs,
           list(DISTINCT symbol ORDER BY symbol) AS symbols
    FROM marts.mandates
    GROUP BY actor_id, session
) m JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);

-- When each instrument is cited: first and last year, in how many years and resolutions.
DELETE FROM marts.instrument_citation_span;
INSERT INTO marts.instrument_citation_span BY NAME
SELECT b.instrument_id, any_value(i.name) AS name,
       any_value(coalesce(i.instrument_type, b.instrument_type, 'document')) AS instrument_type,
       min(p.year) AS first_year, max(p.year) AS last_year,
       count(DISTINCT p.year) AS years_cited,
       count(DISTINCT b.symbol) AS resolutions,
       count(DISTINCT b.paragraph_key) AS paragraphs,
       arg_min(b.symbol, (p.year, b.symbol)) AS first_symbol,
       arg_max(b.symbol, (p.year, b.symbol)) AS last_symbol
FROM core.bridge_paragraph_instrument b
JOIN core.fact_paragraph p USING (paragraph_key)
LEFT JOIN core.dim_instrument i USING (instrument_id)
WHERE p.year IS NOT NULL
GROUP BY b.instrument_id;
