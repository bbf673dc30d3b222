-- A held-back resolution is in no public table: not in the resolutions, the paragraphs or
-- the marts built from them (the grain of every other table follows from these).
SELECT h.symbol AS held_symbol, 'core.dim_resolution' AS found_in FROM ops.held_back h
JOIN core.dim_resolution r USING (symbol)
UNION ALL
SELECT DISTINCT h.symbol, 'core.fact_paragraph' FROM ops.held_back h
JOIN core.fact_paragraph p USING (symbol)
UNION ALL
SELECT DISTINCT h.symbol, 'marts.mandates' FROM ops.held_back h
JOIN marts.mandates m USING (symbol)
UNION ALL
SELECT DISTINCT h.symbol, 'marts.paragraph_search' FROM ops.held_back h
JOIN marts.paragraph_search s USING (symbol)
