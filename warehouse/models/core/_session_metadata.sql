-- step: core
-- depends: core._current_resolution, staging.metadata

-- build
-- DGACM's metadata row for each current resolution: the same symbol, or, where the
-- metadata names a collection without its parts (74.json: "A/RES/74/250" for 250 A and B),
-- the row of the base symbol.
CREATE OR REPLACE TEMP TABLE session_metadata AS
SELECT r.symbol AS xml_symbol, m.*
FROM current_resolution r
JOIN staging.metadata m
  ON m.session = $session
 AND (m.symbol = r.symbol
      OR (r.part IS NOT NULL AND m.symbol = r.base_symbol
          AND NOT EXISTS (SELECT 1 FROM staging.metadata e WHERE e.session = $session AND e.symbol = r.symbol)
          AND NOT EXISTS (SELECT 1 FROM current_resolution x WHERE x.symbol = m.symbol)))
QUALIFY row_number() OVER (PARTITION BY r.symbol ORDER BY m.symbol = r.symbol DESC, m.line_number) = 1;
