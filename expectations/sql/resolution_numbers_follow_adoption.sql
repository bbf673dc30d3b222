-- Within a numbering (a regular session's, or a special or emergency special session's own),
-- resolution numbers follow the order of adoption: no number is issued before a lower one.
-- marts.period_coverage rests on it: it dates a skipped number between its neighbours
-- (transforms/coverage.py). A number is issued when its first part is adopted: the later parts
-- of a resolution adopted in parts share it (75/245 B was adopted in April 2021, four months
-- after 75/245 and 75/246), so each number is dated by its earliest adoption. Offending rows
-- are the numbers first adopted before a lower number was.
WITH numbered AS (
    SELECT session_label, base_symbol, min(adopted_on) AS adopted_on,
           CAST(split_part(base_symbol, '/', 4) AS INTEGER) AS number
    FROM core.dim_resolution WHERE adopted_on IS NOT NULL
    GROUP BY session_label, base_symbol
), ordered AS (
    SELECT *, max(adopted_on) OVER (PARTITION BY session_label ORDER BY number
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_before
    FROM numbered
)
SELECT base_symbol AS symbol, adopted_on, latest_before
FROM ordered
WHERE adopted_on < latest_before
