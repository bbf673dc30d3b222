-- step: core
-- depends: raw.held_back, staging.text_reconciliation_footnote

CREATE TABLE IF NOT EXISTS core.text_reconciliation_footnote AS
SELECT * FROM staging.text_reconciliation_footnote WITH NO DATA;

-- build
INSERT INTO core.text_reconciliation_footnote BY NAME
SELECT * FROM staging.text_reconciliation_footnote WHERE session = $session
  AND symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);
