-- step: global
-- depends: core.dim_theme, marts._session_coverage, marts.theme_trend_by_year

-- The same by GA session: every loaded session for every theme of the family.
CREATE TABLE IF NOT EXISTS marts.environmental_crime_trend_by_session (
    session INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    theme_label VARCHAR NOT NULL,
    is_parent BOOLEAN NOT NULL,
    years INTEGER[] NOT NULL,                -- the calendar years its resolutions were adopted in
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    mentions_change INTEGER,                 -- against the previous session in the data; null for the first
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
-- The same by GA session: every session loaded, for every theme of the family.
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
