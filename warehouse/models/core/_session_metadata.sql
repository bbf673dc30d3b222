-- step: core
-- depends: core._current_resolution, staging.metadata

-- build
-- DGACM's metadata row for each current resolution: the same symbol, or, where the
-- metadata names a collection without its parts (74.json: "A/RES/74/250" for 250 A and B),
-- the row of the base symbol. Two joins, one per way of matching, instead of one join on
-- "same symbol OR base symbol": DuckDB runs an OR of equalities (with the NOT EXISTS
-- inside it) as a nested loop over resolutions x metadata rows, 0.3-1.4 s a session;
-- as two hash joins and two anti-joins it takes 30-65 ms, with the same rows. The two ways
-- never match the same pair: the base-symbol way requires that no metadata row has the
-- resolution's own symbol.
CREATE OR REPLACE TEMP TABLE session_metadata AS
WITH meta AS (
    SELECT * FROM staging.metadata WHERE session = $session
), candidates AS (
    SELECT r.symbol AS xml_symbol, true AS exact, m.*
    FROM current_resolution r
    JOIN meta m ON m.symbol = r.symbol
    UNION ALL BY NAME
    SELECT r.symbol AS xml_symbol, false AS exact, m.*
    FROM current_resolution r
    JOIN meta m ON m.symbol = r.base_symbol
    WHERE r.part IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM meta e WHERE e.symbol = r.symbol)
      AND NOT EXISTS (SELECT 1 FROM current_resolution x WHERE x.symbol = m.symbol)
)
SELECT * EXCLUDE (exact)
FROM candidates
QUALIFY row_number() OVER (PARTITION BY xml_symbol ORDER BY exact DESC, line_number) = 1;
