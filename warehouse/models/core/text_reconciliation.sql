-- step: core
-- depends: raw.held_back, staging.text_reconciliation

-- Where a resolution arrived both as XML and as text from a PDF: how far the text
-- agrees with the canonical XML, per resolution, paragraph and footnote.
CREATE TABLE IF NOT EXISTS core.text_reconciliation AS
SELECT * FROM staging.text_reconciliation WITH NO DATA;

-- build
INSERT INTO core.text_reconciliation BY NAME
SELECT * FROM staging.text_reconciliation WHERE session = $session
  AND symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);
