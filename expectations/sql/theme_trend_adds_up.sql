-- Each row of marts.theme_trend_by_year adds up: preambular + operative + annex paragraphs
-- (and mentions) are the totals; the symbols are the resolutions counted; no count exceeds
-- its denominator; each share is its count over its denominator; parent and label are
-- core.dim_theme's.
SELECT m.theme, m.year, m.session
FROM marts.theme_trend_by_year m
LEFT JOIN core.dim_theme t USING (theme)
WHERE m.preambular_paragraphs + m.operative_paragraphs + m.annex_paragraphs <> m.paragraphs
   OR m.preambular_mentions + m.operative_mentions + m.annex_mentions <> m.mentions
   OR len(m.symbols) <> m.resolutions
   OR m.resolutions > m.all_resolutions OR m.paragraphs > m.all_paragraphs
   OR m.preambular_paragraphs > m.all_preambular_paragraphs
   OR m.operative_paragraphs > m.all_operative_paragraphs
   OR abs(m.resolution_share - m.resolutions / nullif(m.all_resolutions, 0)) > 1e-9
   OR abs(m.paragraph_share - m.paragraphs / nullif(m.all_paragraphs, 0)) > 1e-9
   OR abs(m.preambular_share - coalesce(m.preambular_paragraphs / nullif(m.all_preambular_paragraphs, 0), 0)) > 1e-9
   OR abs(m.operative_share - coalesce(m.operative_paragraphs / nullif(m.all_operative_paragraphs, 0), 0)) > 1e-9
   OR t.theme IS NULL OR m.parent_theme IS DISTINCT FROM t.parent OR m.theme_label <> t.label
