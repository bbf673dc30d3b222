-- step: enrich
-- partitioned: none
-- depends: core.bridge_paragraph_instrument
-- code: transforms.instruments, transforms/reference/instruments.yaml
-- builder: enrich

CREATE TABLE IF NOT EXISTS core.dim_instrument (
    instrument_id VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    year INTEGER,
    source VARCHAR NOT NULL                  -- registry | extracted
);

-- build
-- The instrument dimension: the registry's named instruments, plus every document
-- identifier the bridges cite (resolutions, reports), over all sessions.
DELETE FROM core.dim_instrument WHERE source = 'extracted';

INSERT INTO core.dim_instrument BY NAME
SELECT instrument_id,
       any_value(coalesce(instrument_type, 'document')) AS instrument_type,
       instrument_id AS name,
       NULL::INTEGER AS year,
       'extracted' AS source
FROM core.bridge_paragraph_instrument b
WHERE instrument_id NOT IN (SELECT instrument_id FROM core.dim_instrument)
GROUP BY instrument_id;
