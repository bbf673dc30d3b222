-- A paragraph with a lead phrase has a verb (taken from the lead phrase).
SELECT symbol, kind, ordinal, lead_phrase
FROM core.fact_paragraph
WHERE lead_phrase IS NOT NULL AND verb IS NULL
