-- Every member of a series is a resolution of core.dim_resolution, with its session, year
-- and title.
SELECT s.series_id, s.symbol, CASE WHEN r.symbol IS NULL THEN 'not a resolution' ELSE 'fields differ' END AS problem
FROM marts.series s
LEFT JOIN core.dim_resolution r USING (symbol)
WHERE r.symbol IS NULL OR r.session <> s.session OR r.year IS DISTINCT FROM s.year OR r.title <> s.title
