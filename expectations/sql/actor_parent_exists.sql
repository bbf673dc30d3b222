-- An actor's parent body is an actor of core.dim_actor.
SELECT a.actor_id, a.parent
FROM core.dim_actor a
LEFT JOIN core.dim_actor p ON p.actor_id = a.parent
WHERE a.parent IS NOT NULL AND p.actor_id IS NULL
