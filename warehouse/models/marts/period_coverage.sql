-- step: global
-- depends: calendar, core.dim_resolution, core.dim_session, core.manifest, raw.held_back, staging.metadata, staging.resolution
-- code: transforms.coverage, warehouse/sql/marts/coverage_inputs.sql
-- builder: period_coverage

-- How much of each period is loaded (transforms/coverage.py says by which rules).
CREATE TABLE IF NOT EXISTS marts.period_coverage (
    period_type VARCHAR NOT NULL,            -- session | year
    period INTEGER NOT NULL,                 -- the session number or the calendar year
    label VARCHAR NOT NULL,
    sessions INTEGER[] NOT NULL,             -- the sessions whose resolutions the period can hold
    sessions_loaded INTEGER[] NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    first_adopted DATE,
    last_adopted DATE,
    resolutions_loaded INTEGER NOT NULL,
    resolutions_missing INTEGER NOT NULL,    -- known to be adopted in the period, not loaded
    resolutions_uncertain INTEGER NOT NULL,  -- not loaded, adopted in this period or a neighbouring one
    resolutions_expected INTEGER,            -- loaded + missing; null when a part of the period is not loaded
    coverage DOUBLE,                         -- loaded / expected
    is_closed BOOLEAN NOT NULL,
    is_complete BOOLEAN NOT NULL,
    is_partial BOOLEAN NOT NULL,             -- partial in time: not over, or a part not loaded
    missing_symbols VARCHAR[] NOT NULL,
    uncertain_symbols VARCHAR[] NOT NULL,
    partial_reason VARCHAR                   -- in words; null when complete
);
