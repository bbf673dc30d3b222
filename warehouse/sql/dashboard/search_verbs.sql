-- Dashboard, search: the lead-phrase verbs paragraphs can be filtered by, most used first.
SELECT verb, count(*)::INTEGER AS paragraphs
FROM marts.paragraph_search
WHERE verb IS NOT NULL
GROUP BY verb
ORDER BY paragraphs DESC, verb;
