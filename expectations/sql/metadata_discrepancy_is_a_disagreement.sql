-- A discrepancy is about a loaded resolution and the two witnesses really disagree.
SELECT d.symbol, d.field, d.xml_value, d.metadata_value
FROM core.metadata_discrepancy d
LEFT JOIN core.dim_resolution r USING (symbol)
WHERE r.symbol IS NULL OR d.xml_value IS NOT DISTINCT FROM d.metadata_value
