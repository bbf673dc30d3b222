-- step: session
-- depends: core.bridge_paragraph_theme, core.dim_theme, core.fact_paragraph, marts._year_totals
-- finish_depends: marts._year_coverage

CREATE TABLE IF NOT EXISTS marts.theme_trend_by_year (
    theme VARCHAR NOT NULL,
    parent_theme VARCHAR,
    theme_label VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,            -- resolutions with at least one paragraph on the theme
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    annex_paragraphs INTEGER NOT NULL,
    preambular_mentions INTEGER NOT NULL,
    operative_mentions INTEGER NOT NULL,
    annex_mentions INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,        -- every resolution adopted that year in that session
    all_paragraphs INTEGER NOT NULL,
    all_preambular_paragraphs INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    preambular_share DOUBLE NOT NULL,
    operative_share DOUBLE NOT NULL,
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by its finish section
    is_complete BOOLEAN
);

-- build
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

-- finish
-- The per-session marts by year carry their calendar year's coverage: they are rebuilt
-- session by session, but a year's coverage depends on both sessions it holds, so it is
-- set here, after every session. A row whose year has no coverage (no adoption date) is
-- marked incomplete.
UPDATE marts.theme_trend_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;

UPDATE marts.theme_trend_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
