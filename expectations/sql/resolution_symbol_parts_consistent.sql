-- The symbol is base_symbol plus the part letter; session_label is the symbol's session
-- segment ("78", "ES-11", "S-32"), and for a regular session it is the session loaded.
SELECT symbol, base_symbol, part, session_label, session
FROM core.dim_resolution
WHERE symbol <> base_symbol || coalesce(' ' || part, '')
   OR session_label <> split_part(base_symbol, '/', 3)
   OR (regexp_full_match(session_label, '\d+') AND session_label::INTEGER <> session)
