-- Dashboard, mandates: the mandates themselves (who is asked to do what), optionally
-- for one entity ($actor_id), one period ($period: a GA session or a calendar year, as
-- $period_type, 'session' or 'year', says) and only those asking for a report; NULL
-- means any. At most $limit rows, latest first.
SELECT m.session, m.year, m.symbol, m.number, m.paragraph_ordinal, m.actor_id, m.entity, m.verb, m.action,
       m.report_requested, m.report_session, m.report_to, r.title, r.adopted_on
FROM marts.mandates AS m
JOIN core.dim_resolution AS r USING (symbol)
WHERE ($actor_id IS NULL OR m.actor_id = $actor_id)
  AND ($period IS NULL OR (CASE WHEN $period_type = 'session' THEN m.session ELSE m.year END) = $period)
  AND (NOT $reports_only OR m.report_requested)
ORDER BY r.adopted_on DESC NULLS LAST, m.symbol, m.paragraph_ordinal, m.entity
LIMIT $limit;
