-- step: session
-- depends: core.fact_paragraph, marts._year_totals
-- finish_depends: marts._year_coverage

CREATE TABLE IF NOT EXISTS marts.operative_verb_by_year (
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,
    paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of all operative paragraphs that year and session
    rank INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by its finish section
    is_complete BOOLEAN
);

-- build
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

-- finish
UPDATE marts.operative_verb_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;

UPDATE marts.operative_verb_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
