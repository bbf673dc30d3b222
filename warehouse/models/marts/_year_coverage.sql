-- step: global
-- depends: marts.period_coverage

-- build
CREATE OR REPLACE TEMP TABLE year_coverage AS
SELECT period AS year, coverage, is_complete FROM marts.period_coverage WHERE period_type = 'year';
