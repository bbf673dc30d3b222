-- Dashboard, search: the years paragraphs can be filtered by.
SELECT DISTINCT year FROM marts.paragraph_search WHERE year IS NOT NULL ORDER BY year;
