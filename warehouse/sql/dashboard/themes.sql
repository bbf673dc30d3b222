-- Dashboard: every theme with its parent and how many paragraphs speak of it over the
-- whole period (to order pickers: parents first, then their sub-themes).
SELECT th.theme, th.parent, th.label,
       coalesce(count(pt.paragraph_key), 0)::INTEGER AS paragraphs
FROM core.dim_theme AS th
LEFT JOIN core.bridge_paragraph_theme AS pt USING (theme)
GROUP BY th.theme, th.parent, th.label
ORDER BY coalesce(th.parent, th.theme), th.parent IS NOT NULL, paragraphs DESC, th.theme;
