-- Replace a partition: everything core holds for one session goes, then is rebuilt.
DELETE FROM core.dim_session WHERE session = $session;
DELETE FROM core.dim_resolution WHERE session = $session;
DELETE FROM core.fact_paragraph WHERE session = $session;
DELETE FROM core.fact_subparagraph WHERE session = $session;
DELETE FROM core.fact_footnote WHERE session = $session;
DELETE FROM core.bridge_paragraph_citation WHERE session = $session;
DELETE FROM core.bridge_resolution_sponsor WHERE session = $session;
DELETE FROM core.bridge_resolution_vote WHERE session = $session;
DELETE FROM core.bridge_resolution_keyword WHERE session = $session;
DELETE FROM core.metadata_discrepancy WHERE session = $session;
DELETE FROM core.manifest WHERE session = $session;
DELETE FROM core.text_reconciliation WHERE session = $session;
DELETE FROM core.text_reconciliation_paragraph WHERE session = $session;
DELETE FROM core.text_reconciliation_footnote WHERE session = $session;
