-- core.dim_actor holds the 193 Member States and the 2 observer States of the United
-- Nations, each M49 code once.
SELECT actor_type, count(*) AS actors, count(DISTINCT m49) AS m49_codes
FROM core.dim_actor
WHERE actor_type IN ('member_state', 'observer_state')
GROUP BY actor_type
HAVING count(*) <> CASE actor_type WHEN 'member_state' THEN 193 ELSE 2 END OR count(DISTINCT m49) <> count(*)
