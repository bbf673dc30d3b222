-- step: core
-- depends: core._current_resolution, staging.vote

CREATE TABLE IF NOT EXISTS core.bridge_resolution_vote (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    state VARCHAR NOT NULL,
    vote VARCHAR NOT NULL,                   -- yes | no | abstain
    source VARCHAR NOT NULL
);

-- build
INSERT INTO core.bridge_resolution_vote BY NAME
SELECT resolution_key_of(v.symbol) AS resolution_key, v.symbol, $session AS session,
       v.state, v.vote, 'xml' AS source
FROM staging.vote v
JOIN current_resolution r ON r.document_id = v.document_id AND r.symbol = v.symbol;
