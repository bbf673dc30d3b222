-- What the warehouse knows of, symbol by symbol, for marts.period_coverage
-- (transforms/coverage.py): every resolution loaded (core.dim_resolution), and every one
-- core.manifest knows but that is not loaded: only in DGACM's metadata, or held back by a
-- rule (raw.held_back). Each with the regular session it is placed in and its adoption
-- date where one is known (the metadata's, or the held-back XML's).
SELECT symbol, session, adopted_on, 'loaded' AS state
FROM core.dim_resolution
UNION ALL
SELECT m.symbol, m.session,
       coalesce((SELECT min(x.adopted_on) FROM staging.metadata x WHERE x.session = m.session AND x.symbol = m.symbol),
                (SELECT min(r.adopted_on) FROM staging.resolution r WHERE r.session = m.session AND r.symbol = m.symbol))
           AS adopted_on,
       CASE WHEN m.status = 'held_back' THEN 'held_back'
            WHEN NOT m.in_xml THEN 'metadata_only'
            ELSE 'not_loaded' END AS state
FROM core.manifest m
WHERE m.symbol NOT IN (SELECT symbol FROM core.dim_resolution)
QUALIFY row_number() OVER (PARTITION BY m.symbol ORDER BY m.session) = 1
