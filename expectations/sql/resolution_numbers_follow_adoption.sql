-- Within a numbering (a regular session's, or a special or emergency special session's own),
-- resolution numbers follow the order of adoption: no resolution is adopted before one with a
-- lower number. marts.period_coverage rests on it: it dates a skipped number between its
-- neighbours (transforms/coverage.py).
WITH numbered AS (
    SELECT symbol, session_label, adopted_on,
           CAST(split_part(base_symbol, '/', 4) AS INTEGER) AS number
    FROM core.dim_resolution WHERE adopted_on IS NOT NULL
), ordered AS (
    SELECT *, max(adopted_on) OVER (PARTITION BY session_label ORDER BY number
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_before
    FROM numbered
)
SELECT symbol, adopted_on, latest_before
FROM ordered
WHERE adopted_on < latest_before
