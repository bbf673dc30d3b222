-- Dashboard, mandates: mandates per entity and calendar year, both sessions of a year
-- added up, with each entity's total over the period.
WITH per_year AS (
    SELECT actor_id, any_value(entity) AS entity, year,
           sum(mandates)::INTEGER AS mandates,
           sum(resolutions)::INTEGER AS resolutions,
           sum(reports_requested)::INTEGER AS reports_requested,
           list_sort(list_distinct(flatten(list(verbs)))) AS verbs,
           list_sort(list_distinct(flatten(list(symbols)))) AS symbols
    FROM marts.mandates_by_entity_year
    WHERE year IS NOT NULL
    GROUP BY actor_id, year
)
SELECT *, sum(mandates) OVER (PARTITION BY actor_id)::INTEGER AS total_mandates
FROM per_year
ORDER BY total_mandates DESC, actor_id, year;
