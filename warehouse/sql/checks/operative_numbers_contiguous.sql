-- table: core.fact_paragraph
-- severity: error
-- Printed operative numbers run 1, 2, 3 ... without gap or repeat within each
-- resolution (or part), and within each numbering block of a sectioned resolution.
WITH numbered AS (
    SELECT symbol, numbering_block, ordinal, number::INTEGER AS n,
           row_number() OVER (PARTITION BY symbol, numbering_block ORDER BY ordinal) AS expected
    FROM core.fact_paragraph
    WHERE kind = 'operative' AND regexp_full_match(number, '\d+')
)
SELECT symbol, numbering_block, ordinal, n AS printed, expected
FROM numbered
WHERE n <> expected
