-- target_resolution_key is set exactly when the cited symbol is a resolution of the
-- warehouse, and is that resolution's key.
SELECT c.symbol, c.paragraph_kind, c.paragraph_ordinal, c.target_symbol, c.target_resolution_key
FROM core.bridge_paragraph_citation c
LEFT JOIN core.dim_resolution r ON r.symbol = c.target_symbol
WHERE c.target_resolution_key IS DISTINCT FROM r.resolution_key
