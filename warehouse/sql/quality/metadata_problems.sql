-- Problems in DGACM's metadata extracts by kind: the problem sentence with its symbols,
-- line numbers and quoted values taken out, so that lines with the same problem count together.
WITH p AS (
    SELECT session, symbol, line_number, problem,
           trim(regexp_extract(
               regexp_replace(regexp_replace(regexp_replace(problem, 'A/RES/\S+', '<symbol>', 'g'),
                                             '''[^'']*''', '…', 'g'),
                              '\d+', 'N', 'g'),
               '^[^(,;:]*')) AS kind
    FROM staging.metadata_problem
)
SELECT session, kind AS problem, count(*) AS lines,
       list(symbol ORDER BY line_number) FILTER (symbol IS NOT NULL) AS symbols,
       min(line_number) AS first_line,
       arg_min(problem, line_number) AS example
FROM p
GROUP BY session, kind
ORDER BY session, lines DESC, problem
