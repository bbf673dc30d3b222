-- Dashboard, status: the expectation suites' results (only in snapshots that have them).
SELECT * FROM ops.suite_result;
