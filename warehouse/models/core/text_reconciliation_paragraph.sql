-- step: core
-- depends: raw.held_back, staging.text_reconciliation_paragraph

CREATE TABLE IF NOT EXISTS core.text_reconciliation_paragraph AS
SELECT * FROM staging.text_reconciliation_paragraph WITH NO DATA;

-- build
INSERT INTO core.text_reconciliation_paragraph BY NAME
SELECT * FROM staging.text_reconciliation_paragraph WHERE session = $session
  AND symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);
