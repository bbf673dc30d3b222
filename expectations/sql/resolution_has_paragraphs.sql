-- Every resolution has at least one paragraph: a resolution without any is a document the
-- parser could not read, which belongs in raw.rejected, not in the star schema.
SELECT r.symbol
FROM core.dim_resolution r
WHERE NOT EXISTS (SELECT 1 FROM core.fact_paragraph p WHERE p.resolution_key = r.resolution_key)
