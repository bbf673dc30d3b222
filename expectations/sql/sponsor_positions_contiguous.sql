-- Positions in a sponsor list run 1, 2, 3 ... per resolution and role.
SELECT symbol, role, count(*) AS names, max(position) AS last_position
FROM core.bridge_resolution_sponsor
GROUP BY symbol, role
HAVING min(position) <> 1 OR max(position) <> count(*) OR count(DISTINCT position) <> count(*)
