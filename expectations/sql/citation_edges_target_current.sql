-- target_in_warehouse of marts.citation_edges says whether the cited document is a
-- resolution of core.dim_resolution now, not when the citing session's marts were built.
SELECT e.source_symbol, e.target_symbol, e.target_in_warehouse, r.symbol IS NOT NULL AS in_dim_resolution
FROM marts.citation_edges e
LEFT JOIN core.dim_resolution r ON r.symbol = e.target_symbol
WHERE e.target_in_warehouse <> (r.symbol IS NOT NULL)
