-- Dashboard, citations: the $top instruments cited by the most resolutions over the
-- whole span (of the types in $types; NULL means all), per GA session
-- (marts.instrument_citations_by_session) or calendar year
-- (marts.instrument_citations_by_year, both sessions of a year added up) as $period_type
-- ('session' or 'year') says, every period of marts.period_coverage shown (0 where
-- nothing is cited), each row with its period's coverage (is_partial is what the
-- heatmap marks "partial").
WITH per_period AS (
    SELECT instrument_id, session AS period,
           resolutions::INTEGER AS resolutions,
           paragraphs::INTEGER AS paragraphs,
           citations::INTEGER AS citations
    FROM marts.instrument_citations_by_session
    WHERE $period_type = 'session' AND session IS NOT NULL
      AND ($types IS NULL OR list_contains($types::VARCHAR[], instrument_type))
    UNION ALL
    SELECT instrument_id, year AS period,
           sum(resolutions)::INTEGER AS resolutions,
           sum(paragraphs)::INTEGER AS paragraphs,
           sum(citations)::INTEGER AS citations
    FROM marts.instrument_citations_by_year
    WHERE $period_type = 'year' AND year IS NOT NULL
      AND ($types IS NULL OR list_contains($types::VARCHAR[], instrument_type))
    GROUP BY instrument_id, year
),
top AS (
    SELECT instrument_id, sum(resolutions)::INTEGER AS total_resolutions
    FROM per_period
    GROUP BY instrument_id
    ORDER BY total_resolutions DESC, instrument_id
    LIMIT $top
),
periods AS (
    SELECT period_type, period, label, coverage, is_complete, is_partial, partial_reason
    FROM marts.period_coverage
    WHERE period_type = $period_type
)
SELECT c.period_type, c.period, c.label AS period_label, t.instrument_id, i.name, i.instrument_type,
       coalesce(p.resolutions, 0) AS resolutions,
       coalesce(p.paragraphs, 0) AS paragraphs,
       coalesce(p.citations, 0) AS citations,
       t.total_resolutions,
       c.coverage, c.is_complete, c.is_partial, c.partial_reason
FROM top AS t
CROSS JOIN periods AS c
JOIN core.dim_instrument AS i USING (instrument_id)
LEFT JOIN per_period AS p ON p.instrument_id = t.instrument_id AND p.period = c.period
ORDER BY t.total_resolutions DESC, t.instrument_id, c.period;
