-- step: global
-- depends: core.dim_theme, marts._year_coverage, marts.theme_trend_by_year

CREATE TABLE IF NOT EXISTS marts.environmental_crime_trend (
    year INTEGER NOT NULL,
    theme VARCHAR NOT NULL,                  -- environmental_crime or one of its sub-themes
    theme_label VARCHAR NOT NULL,
    is_parent BOOLEAN NOT NULL,
    sessions INTEGER[] NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    mentions_change INTEGER,                 -- against the previous year in the data; null for the first
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,                         -- of the year (marts.period_coverage)
    is_complete BOOLEAN NOT NULL
);

-- build
-- Environmental crime and its sub-themes per calendar year: every year with adoptions
-- appears for every sub-theme, with zeros where nothing was said, so gaps in a series
-- show instead of vanishing.
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
