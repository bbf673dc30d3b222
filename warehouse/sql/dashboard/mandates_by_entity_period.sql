-- Dashboard, mandates: mandates per entity and GA session (marts.mandates_by_entity_session)
-- or calendar year (marts.mandates_by_entity_year, both sessions of a year added up), as
-- $period_type ('session' or 'year') says, with each entity's total over the whole span and
-- each row's period coverage (marts.period_coverage: is_partial is what the heatmap marks
-- "partial").
WITH per_year AS (
    SELECT actor_id, any_value(entity) AS entity, year AS period,
           sum(mandates)::INTEGER AS mandates,
           sum(resolutions)::INTEGER AS resolutions,
           sum(reports_requested)::INTEGER AS reports_requested,
           list_sort(list_distinct(flatten(list(verbs)))) AS verbs,
           list_sort(list_distinct(flatten(list(symbols)))) AS symbols
    FROM marts.mandates_by_entity_year
    WHERE $period_type = 'year' AND year IS NOT NULL
    GROUP BY actor_id, year
),
per_period AS (
    SELECT 'year' AS period_type, * FROM per_year
    UNION ALL BY NAME
    SELECT 'session' AS period_type, actor_id, entity, session AS period,
           mandates::INTEGER AS mandates, resolutions::INTEGER AS resolutions,
           reports_requested::INTEGER AS reports_requested, verbs, symbols
    FROM marts.mandates_by_entity_session
    WHERE $period_type = 'session' AND session IS NOT NULL
)
SELECT p.period_type, p.period, c.label AS period_label, p.actor_id, p.entity, p.mandates, p.resolutions,
       p.reports_requested, p.verbs, p.symbols,
       sum(p.mandates) OVER (PARTITION BY p.actor_id)::INTEGER AS total_mandates,
       c.coverage, c.is_complete, c.is_partial, c.partial_reason
FROM per_period AS p
JOIN marts.period_coverage AS c USING (period_type, period)
ORDER BY total_mandates DESC, p.actor_id, p.period;
