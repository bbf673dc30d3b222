-- step: core
-- depends: core._current_resolution, staging.keyword

CREATE TABLE IF NOT EXISTS core.bridge_resolution_keyword (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    dictionary VARCHAR,
    term VARCHAR NOT NULL
);

-- build
INSERT INTO core.bridge_resolution_keyword BY NAME
SELECT DISTINCT resolution_key_of(k.symbol) AS resolution_key, k.symbol, $session AS session,
       k.dictionary, k.term
FROM staging.keyword k
JOIN current_resolution r ON r.document_id = k.document_id AND r.symbol = k.symbol;
