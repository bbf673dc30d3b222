-- Every resolution is in core.manifest as carried by a document, and both tables agree on
-- whether DGACM's metadata has it.
SELECT r.symbol, r.in_metadata, m.in_xml AS manifest_in_xml, m.in_metadata AS manifest_in_metadata
FROM core.dim_resolution r
LEFT JOIN core.manifest m USING (symbol)
WHERE m.symbol IS NULL OR NOT m.in_xml OR m.in_metadata IS DISTINCT FROM r.in_metadata
