-- marts.mandates_by_entity_year rolls marts.mandates up: per entity, year and session the
-- paragraphs (mandates), resolutions and paragraphs asking for a report, the sorted
-- distinct clauses and symbols.
WITH m AS (
    SELECT actor_id, year, session, any_value(entity) AS entity,
           count(DISTINCT (symbol, paragraph_ordinal)) AS mandates, count(DISTINCT symbol) AS resolutions,
           count(DISTINCT (symbol, paragraph_ordinal)) FILTER (WHERE report_requested) AS reports_requested,
           list_sort(list(DISTINCT verb)) AS verbs, list_sort(list(DISTINCT symbol)) AS symbols
    FROM marts.mandates GROUP BY actor_id, year, session
)
SELECT coalesce(b.actor_id, m.actor_id) AS actor_id, coalesce(b.year, m.year) AS year,
       coalesce(b.session, m.session) AS session
FROM marts.mandates_by_entity_year b
FULL JOIN m ON m.actor_id = b.actor_id AND m.year IS NOT DISTINCT FROM b.year AND m.session = b.session
WHERE b.mandates IS DISTINCT FROM m.mandates OR b.resolutions IS DISTINCT FROM m.resolutions
   OR b.reports_requested IS DISTINCT FROM m.reports_requested OR b.verbs IS DISTINCT FROM m.verbs
   OR b.symbols IS DISTINCT FROM m.symbols OR b.entity IS DISTINCT FROM m.entity
