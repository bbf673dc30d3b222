-- Dashboard: the periods of $period_type ('session' or 'year') with how much of each the
-- warehouse holds (marts.period_coverage): is_partial marks a period partial in time (what
-- the charts mark "partial"), partial_reason says in words why a period is partial or not
-- complete.
SELECT period_type, period, label AS period_label, resolutions_loaded, resolutions_expected,
       coverage, is_complete, is_partial, partial_reason
FROM marts.period_coverage
WHERE period_type = $period_type
ORDER BY period;
