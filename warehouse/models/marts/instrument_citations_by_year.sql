-- step: session
-- depends: core.bridge_paragraph_instrument, core.dim_instrument, core.fact_paragraph, marts._year_totals
-- finish_depends: marts._year_coverage

CREATE TABLE IF NOT EXISTS marts.instrument_citations_by_year (
    instrument_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    citations INTEGER NOT NULL,
    rank INTEGER NOT NULL,                   -- 1 = cited by the most resolutions that year and session
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by its finish section
    is_complete BOOLEAN
);

-- build
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

-- finish
UPDATE marts.instrument_citations_by_year m SET coverage = c.coverage, is_complete = c.is_complete
FROM year_coverage c WHERE c.year = m.year;

UPDATE marts.instrument_citations_by_year SET coverage = NULL, is_complete = false
WHERE year IS NULL OR year NOT IN (SELECT year FROM year_coverage);
