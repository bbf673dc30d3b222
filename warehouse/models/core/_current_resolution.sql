-- step: core
-- depends: raw.held_back, staging.document_status, staging.resolution

-- build
CREATE OR REPLACE TEMP TABLE current_resolution AS
SELECT r.*
FROM staging.resolution r
JOIN staging.document_status s
  ON s.document_id = r.document_id AND s.symbol = r.symbol AND s.status = 'current'
WHERE r.session = $session
  -- A held-back resolution (raw.held_back) reaches no core table, so nothing after core
  -- (bridges, marts, search) holds half of it.
  AND r.symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);
