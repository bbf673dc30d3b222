-- Every actor a bridge names is in core.dim_actor (an unresolved sponsor or voter of
-- core.bridge_resolution_actor has a null actor_id, which is allowed).
SELECT 'core.bridge_paragraph_actor' AS bridge, b.symbol, b.actor_id
FROM core.bridge_paragraph_actor b LEFT JOIN core.dim_actor a USING (actor_id)
WHERE a.actor_id IS NULL
UNION ALL
SELECT 'core.bridge_resolution_actor', b.symbol, b.actor_id
FROM core.bridge_resolution_actor b LEFT JOIN core.dim_actor a USING (actor_id)
WHERE b.actor_id IS NOT NULL AND a.actor_id IS NULL
