-- Dashboard, series lineage: the paragraphs of one resolution against its predecessor,
-- in the order marts.paragraph_lineage documents (kinds preambular, operative, annex;
-- the current resolution's order; a dropped paragraph after the current paragraph
-- matched to the nearest kept predecessor paragraph before it), with both texts so the
-- page can show a word-level diff.
WITH l AS (
    SELECT * FROM marts.paragraph_lineage WHERE symbol = $symbol
),
kept AS (
    SELECT kind, ordinal, predecessor_ordinal
    FROM l
    WHERE ordinal IS NOT NULL AND predecessor_ordinal IS NOT NULL
),
placed AS (
    SELECT l.*,
           coalesce(l.ordinal, k.ordinal, 0) AS _anchor
    FROM l
    ASOF LEFT JOIN kept AS k
        ON l.ordinal IS NULL AND k.kind = l.kind AND l.predecessor_ordinal > k.predecessor_ordinal
)
SELECT p.kind, p.ordinal, p.number, p.predecessor_ordinal, p.predecessor_number, p.status,
       p.similarity, p.diff, cur.lead_phrase, p.text,
       prev.text AS predecessor_text, p.predecessor_symbol
FROM placed AS p
LEFT JOIN core.fact_paragraph AS cur
    ON cur.symbol = p.symbol AND cur.kind = p.kind AND cur.ordinal = p.ordinal
LEFT JOIN core.fact_paragraph AS prev
    ON prev.symbol = p.predecessor_symbol AND prev.kind = p.kind AND prev.ordinal = p.predecessor_ordinal
ORDER BY CASE p.kind WHEN 'preambular' THEN 1 WHEN 'operative' THEN 2 WHEN 'annex' THEN 3 ELSE 4 END,
         p.kind, p._anchor, p.ordinal IS NULL, p.predecessor_ordinal;
