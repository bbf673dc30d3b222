-- Every mandate is an operative paragraph that exists (same number, session and year) and
-- asks a UN organ or entity (or the UN system) of core.dim_actor to act, named as there:
-- a State is never a mandate's addressee.
SELECT m.symbol, m.paragraph_ordinal, m.actor_id, a.actor_type,
       CASE WHEN p.symbol IS NULL THEN 'no such operative paragraph'
            WHEN a.actor_id IS NULL THEN 'actor not in core.dim_actor'
            ELSE 'fields differ' END AS problem
FROM marts.mandates m
LEFT JOIN core.fact_paragraph p ON p.symbol = m.symbol AND p.kind = 'operative' AND p.ordinal = m.paragraph_ordinal
LEFT JOIN core.dim_actor a ON a.actor_id = m.actor_id
WHERE p.symbol IS NULL OR a.actor_id IS NULL
   OR p.number IS DISTINCT FROM m.number OR p.session <> m.session OR p.year IS DISTINCT FROM m.year
   OR m.entity <> a.name
   OR NOT (a.actor_type IN ('un_organ', 'un_entity') OR a.actor_id = 'un_system')
