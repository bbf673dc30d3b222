-- A sub-theme's parent is a theme of core.dim_theme, itself top-level (themes nest one level).
SELECT t.theme, t.parent, p.parent AS grandparent
FROM core.dim_theme t
LEFT JOIN core.dim_theme p ON p.theme = t.parent
WHERE t.parent IS NOT NULL AND (p.theme IS NULL OR p.parent IS NOT NULL)
