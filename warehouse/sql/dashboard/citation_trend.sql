-- Dashboard, citations: the $top instruments cited by the most resolutions over the
-- whole period (of the types in $types; NULL means all), per calendar year with both
-- sessions added up, years without a citation shown as 0.
WITH per_year AS (
    SELECT instrument_id, year,
           sum(resolutions)::INTEGER AS resolutions,
           sum(paragraphs)::INTEGER AS paragraphs,
           sum(citations)::INTEGER AS citations
    FROM marts.instrument_citations_by_year
    WHERE year IS NOT NULL
      AND ($types IS NULL OR list_contains($types::VARCHAR[], instrument_type))
    GROUP BY instrument_id, year
),
top AS (
    SELECT instrument_id, sum(resolutions)::INTEGER AS total_resolutions
    FROM per_year
    GROUP BY instrument_id
    ORDER BY total_resolutions DESC, instrument_id
    LIMIT $top
),
years AS (
    SELECT DISTINCT year FROM core.dim_resolution WHERE year IS NOT NULL
)
SELECT t.instrument_id, i.name, i.instrument_type, y.year,
       coalesce(p.resolutions, 0) AS resolutions,
       coalesce(p.paragraphs, 0) AS paragraphs,
       coalesce(p.citations, 0) AS citations,
       t.total_resolutions
FROM top AS t
CROSS JOIN years AS y
JOIN core.dim_instrument AS i USING (instrument_id)
LEFT JOIN per_year AS p ON p.instrument_id = t.instrument_id AND p.year = y.year
ORDER BY t.total_resolutions DESC, t.instrument_id, y.year;
