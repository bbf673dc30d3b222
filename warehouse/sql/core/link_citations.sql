-- Point citations at the cited resolution where the warehouse holds it. Run over all
-- sessions after any session is rebuilt: 78 may cite 79, loaded later or earlier.
UPDATE core.bridge_paragraph_citation AS c
SET target_resolution_key = r.resolution_key
FROM core.dim_resolution AS r
WHERE r.symbol = c.target_symbol
  AND c.target_resolution_key IS DISTINCT FROM r.resolution_key;

UPDATE core.bridge_paragraph_citation
SET target_resolution_key = NULL
WHERE target_resolution_key IS NOT NULL
  AND target_symbol NOT IN (SELECT symbol FROM core.dim_resolution);
