-- Marts over all sessions, rolled up from the per-session marts (milliseconds).

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
       coalesce(p.symbols, []::VARCHAR[]) AS symbols
FROM env e CROSS JOIN years y
LEFT JOIN per_year p ON p.theme = e.theme AND p.year = y.year;

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
