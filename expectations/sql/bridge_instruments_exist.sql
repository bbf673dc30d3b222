-- Every instrument a paragraph cites is in core.dim_instrument, with the same type.
SELECT b.symbol, b.paragraph_kind, b.paragraph_ordinal, b.instrument_id, b.instrument_type,
       i.instrument_type AS dim_instrument_type
FROM core.bridge_paragraph_instrument b
LEFT JOIN core.dim_instrument i USING (instrument_id)
WHERE i.instrument_id IS NULL OR i.instrument_type <> b.instrument_type
