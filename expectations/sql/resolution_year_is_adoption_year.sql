-- year is the calendar year of adopted_on (both null, or equal).
SELECT symbol, year, adopted_on
FROM core.dim_resolution
WHERE year IS DISTINCT FROM year(adopted_on)
