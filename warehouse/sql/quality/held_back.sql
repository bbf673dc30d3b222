-- Resolutions held back: left out of every public table for breaking a rule that names them.
SELECT session, symbol, rule, failing_rows, sample, reason
FROM raw.held_back
ORDER BY session, symbol, rule
