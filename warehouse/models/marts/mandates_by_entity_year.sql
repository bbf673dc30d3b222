-- step: session
-- depends: marts._year_totals, marts.mandates
-- finish_depends: marts._year_coverage

CREATE TABLE IF NOT EXISTS marts.mandates_by_entity_year (
    actor_id VARCHAR NOT NULL,
    entity VARCHAR,
    year INTEGER,
    session INTEGER NOT NULL,
    mandates INTEGER NOT NULL,               -- operative paragraphs that ask the entity to act
    resolutions INTEGER NOT NULL,
    reports_requested INTEGER NOT NULL,
    verbs VARCHAR[] NOT NULL,
    symbols VARCHAR[] NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    mandate_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by its finish section
    is_complete BOOLEAN
);

-- build
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

-- finish
UPDATE marts.mandates_by_entity_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;

UPDATE marts.mandates_by_entity_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
