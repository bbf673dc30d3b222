-- step: global
-- depends: marts._session_coverage, marts.theme_trend_by_year

-- The *_by_session twins of the per-session marts, rolled up over the session's years
-- (step global); shares are of everything adopted in the session.
CREATE TABLE IF NOT EXISTS marts.theme_trend_by_session (
    theme VARCHAR NOT NULL,
    parent_theme VARCHAR,
    theme_label VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    years INTEGER[] NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    annex_paragraphs INTEGER NOT NULL,
    preambular_mentions INTEGER NOT NULL,
    operative_mentions INTEGER NOT NULL,
    annex_mentions INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    all_preambular_paragraphs INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    preambular_share DOUBLE NOT NULL,
    operative_share DOUBLE NOT NULL,
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
-- Every theme per session, rolled up over the session's years: a complete grid like
-- theme_trend_by_year's, zeros kept.
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
