-- A series is a chain of two or more adoptions, at most one per session: positions run 1,
-- 2, 3 ...; the first adoption names the series (series_id) and has no predecessor, link
-- or gap; every later one's predecessor is the adoption before it in the same series, an
-- earlier session, sessions_skipped sessions before it.
WITH shape AS (
    SELECT series_id, count(*) AS members, max(position) AS last_position,
           count(DISTINCT session) AS sessions, count(DISTINCT position) AS positions
    FROM marts.series GROUP BY series_id
)
SELECT series_id, NULL AS symbol, 'shape: ' || members || ' members, last position ' || last_position
       || ', ' || sessions || ' sessions' AS problem
FROM shape
WHERE members < 2 OR last_position <> members OR positions <> members OR sessions <> members
UNION ALL
SELECT s.series_id, s.symbol, 'first adoption not as documented'
FROM marts.series s
WHERE (s.position = 1) <> (s.predecessor_symbol IS NULL)
   OR (s.position = 1) <> (s.link IS NULL)
   OR (s.position = 1) <> (s.sessions_skipped IS NULL)
   OR (s.position = 1 AND s.series_id <> s.symbol)
UNION ALL
SELECT s.series_id, s.symbol, 'predecessor ' || s.predecessor_symbol || ' is not the adoption before it'
FROM marts.series s
LEFT JOIN marts.series p ON p.symbol = s.predecessor_symbol
WHERE s.predecessor_symbol IS NOT NULL
  AND (p.symbol IS NULL OR p.series_id <> s.series_id OR p.position <> s.position - 1
       OR s.session - p.session - 1 IS DISTINCT FROM s.sessions_skipped OR p.session >= s.session)
