-- Every paragraph's resolution exists (resolution_key and symbol name the same row of
-- core.dim_resolution), and the paragraph carries that resolution's session and year.
SELECT p.symbol, p.kind, p.ordinal, p.resolution_key, r.symbol AS resolution_symbol,
       p.session, r.session AS resolution_session, p.year, r.year AS resolution_year
FROM core.fact_paragraph p
LEFT JOIN core.dim_resolution r USING (resolution_key)
WHERE r.resolution_key IS NULL
   OR r.symbol <> p.symbol
   OR r.session <> p.session
   OR r.year IS DISTINCT FROM p.year
