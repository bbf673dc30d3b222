-- States are identified by their ISO 3166 alpha-3 code (actor_id = iso3) and carry an M49
-- code; other actors have neither.
SELECT actor_id, actor_type, iso3, m49
FROM core.dim_actor
WHERE (actor_type IN ('member_state', 'observer_state')
       AND (iso3 IS NULL OR m49 IS NULL OR actor_id <> iso3))
   OR (actor_type NOT IN ('member_state', 'observer_state') AND (iso3 IS NOT NULL OR m49 IS NOT NULL))
