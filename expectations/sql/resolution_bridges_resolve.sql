-- Every row of the resolution bridges (sponsors, votes, keywords, actors) points at a
-- resolution that exists (its resolution_key) and names it the same way (symbol, session).
WITH b AS (
    SELECT 'core.bridge_resolution_sponsor' AS bridge, resolution_key, symbol, session FROM core.bridge_resolution_sponsor
    UNION ALL SELECT 'core.bridge_resolution_vote', resolution_key, symbol, session FROM core.bridge_resolution_vote
    UNION ALL SELECT 'core.bridge_resolution_keyword', resolution_key, symbol, session FROM core.bridge_resolution_keyword
    UNION ALL SELECT 'core.bridge_resolution_actor', resolution_key, symbol, session FROM core.bridge_resolution_actor
)
SELECT b.bridge, b.symbol, b.resolution_key
FROM b LEFT JOIN core.dim_resolution r USING (resolution_key)
WHERE r.resolution_key IS NULL OR r.symbol <> b.symbol OR r.session <> b.session
