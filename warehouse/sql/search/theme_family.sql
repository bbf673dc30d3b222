-- A theme code and the codes of its sub-themes, for the search theme filter.
SELECT list(theme ORDER BY theme) AS themes
FROM core.dim_theme
WHERE theme = $theme OR parent = $theme;
