-- Every resolution's session is in core.dim_session.
SELECT r.symbol, r.session
FROM core.dim_resolution r
LEFT JOIN core.dim_session s USING (session)
WHERE s.session IS NULL
