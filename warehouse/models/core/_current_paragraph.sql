-- step: core
-- depends: core._current_resolution, staging.paragraph

-- build
CREATE OR REPLACE TEMP TABLE current_paragraph AS
SELECT p.*, paragraph_key_of(p.symbol, p.kind, p.ordinal) AS paragraph_key
FROM staging.paragraph p
JOIN current_resolution r ON r.document_id = p.document_id AND r.symbol = p.symbol;
