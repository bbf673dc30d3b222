-- table: core.text_reconciliation
-- severity: warn
-- Text versions that disagree with the official XML beyond the thresholds of
-- transforms/reconcile.py (structure exact, 95% of paragraphs the same text, every
-- footnote on the same paragraph). Not blocking: the XML is what is published.
SELECT symbol, text_source, agreement, footnote_agreement, array_to_string(reasons, '; ') AS reasons
FROM core.text_reconciliation
WHERE NOT passed
