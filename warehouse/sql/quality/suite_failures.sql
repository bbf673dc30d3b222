-- The expectation suites of a snapshot: how many ran and passed, blocking or not, and each
-- failed expectation with its unexpected rows (`unga status`).
SELECT suite, expectation, "column", success, coalesce(unexpected_count, 0) AS unexpected_count, blocking,
       count(*) OVER () AS expectations,
       count(*) FILTER (WHERE success) OVER () AS passed
FROM ops.suite_result
QUALIFY NOT success OR row_number() OVER (ORDER BY suite, expectation) = 1
ORDER BY success, blocking DESC, suite, expectation;
