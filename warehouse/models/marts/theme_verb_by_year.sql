-- step: session
-- depends: core.bridge_paragraph_theme, core.fact_paragraph, marts._year_totals
-- finish_depends: marts._year_coverage

CREATE TABLE IF NOT EXISTS marts.theme_verb_by_year (
    theme VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,                   -- the operative verb, "(none)" when the paragraph has no lead phrase
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of the theme's operative paragraphs that year and session
    all_operative_paragraphs INTEGER NOT NULL,
    operative_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by its finish section
    is_complete BOOLEAN
);

-- build
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

-- finish
UPDATE marts.theme_verb_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;

UPDATE marts.theme_verb_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
