-- step: global
-- depends: marts.period_coverage

-- build
-- The coverage of each period, for the trend rows to carry.
CREATE OR REPLACE TEMP TABLE session_coverage AS
SELECT period AS session, coverage, is_complete FROM marts.period_coverage WHERE period_type = 'session';
