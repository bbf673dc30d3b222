-- Each *_by_session mart is its *_by_year mart added up over the session's calendar years
-- (a resolution is adopted in one year, so its counts add up), with denominators that are
-- everything adopted in the session (core.dim_resolution, core.fact_paragraph) and shares
-- that are counts over denominators; ranks are within the session.
WITH totals AS (
    SELECT r.session, count(DISTINCT r.symbol) AS all_resolutions, count(p.paragraph_key) AS all_paragraphs,
           count(p.paragraph_key) FILTER (WHERE p.kind = 'operative') AS all_operative_paragraphs
    FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol
    GROUP BY r.session
), theme AS (
    SELECT theme, session, sum(resolutions) AS resolutions, sum(paragraphs) AS paragraphs, sum(mentions) AS mentions,
           sum(operative_paragraphs) AS operative_paragraphs, list_sort(flatten(list(symbols))) AS symbols
    FROM marts.theme_trend_by_year GROUP BY ALL
), theme_verb AS (
    SELECT theme, session, verb, sum(paragraphs) AS paragraphs, sum(mentions) AS mentions,
           sum(resolutions) AS resolutions
    FROM marts.theme_verb_by_year GROUP BY ALL
), verb AS (
    SELECT session, verb, sum(paragraphs) AS paragraphs, sum(resolutions) AS resolutions
    FROM marts.operative_verb_by_year GROUP BY ALL
), instrument AS (
    SELECT instrument_id, session, sum(resolutions) AS resolutions, sum(paragraphs) AS paragraphs,
           sum(citations) AS citations
    FROM marts.instrument_citations_by_year GROUP BY ALL
), mandate AS (
    SELECT actor_id, session, sum(mandates) AS mandates, sum(resolutions) AS resolutions,
           sum(reports_requested) AS reports_requested, list_sort(flatten(list(symbols))) AS symbols
    FROM marts.mandates_by_entity_year GROUP BY ALL
), language AS (
    SELECT theme, session, sum(new_paragraphs) AS new_paragraphs, sum(changed_paragraphs) AS changed_paragraphs,
           sum(resolutions) AS resolutions
    FROM marts.new_language_by_year GROUP BY ALL
)
SELECT 'marts.theme_trend_by_session' AS mart, session, theme AS item, NULL AS verb
FROM marts.theme_trend_by_session m FULL JOIN theme y USING (theme, session)
WHERE m.resolutions IS DISTINCT FROM y.resolutions OR m.paragraphs IS DISTINCT FROM y.paragraphs
   OR m.mentions IS DISTINCT FROM y.mentions OR m.operative_paragraphs IS DISTINCT FROM y.operative_paragraphs
   OR m.symbols IS DISTINCT FROM y.symbols
   OR abs(m.resolution_share - m.resolutions / greatest(m.all_resolutions, 1)) > 1e-9
   OR abs(m.paragraph_share - m.paragraphs / greatest(m.all_paragraphs, 1)) > 1e-9
UNION ALL
SELECT 'marts.environmental_crime_trend_by_session', session, theme, NULL
FROM marts.environmental_crime_trend_by_session e LEFT JOIN marts.theme_trend_by_session t USING (theme, session)
WHERE t.theme IS NULL OR e.resolutions <> t.resolutions OR e.paragraphs <> t.paragraphs OR e.mentions <> t.mentions
   OR e.all_resolutions <> t.all_resolutions OR e.all_paragraphs <> t.all_paragraphs OR e.symbols <> t.symbols
   OR abs(e.resolution_share - t.resolution_share) > 1e-9 OR abs(e.paragraph_share - t.paragraph_share) > 1e-9
   OR e.mentions_change IS DISTINCT FROM
      e.mentions - (SELECT p.mentions FROM marts.environmental_crime_trend_by_session p
                    WHERE p.theme = e.theme AND p.session < e.session ORDER BY p.session DESC LIMIT 1)
UNION ALL
SELECT 'marts.theme_verb_by_session', session, theme, verb
FROM marts.theme_verb_by_session m FULL JOIN theme_verb y USING (theme, session, verb)
LEFT JOIN totals t USING (session)
WHERE m.paragraphs IS DISTINCT FROM y.paragraphs OR m.mentions IS DISTINCT FROM y.mentions
   OR m.resolutions IS DISTINCT FROM y.resolutions
   OR m.all_operative_paragraphs IS DISTINCT FROM t.all_operative_paragraphs
   OR abs(m.operative_share - m.paragraphs / greatest(m.all_operative_paragraphs, 1)) > 1e-9
UNION ALL
SELECT 'marts.operative_verb_by_session', session, NULL, verb
FROM marts.operative_verb_by_session m FULL JOIN verb y USING (session, verb)
LEFT JOIN totals t USING (session)
WHERE m.paragraphs IS DISTINCT FROM y.paragraphs OR m.resolutions IS DISTINCT FROM y.resolutions
   OR m.all_resolutions IS DISTINCT FROM t.all_resolutions
   OR abs(m.share - m.paragraphs / t.all_operative_paragraphs) > 1e-9
   OR abs(m.resolution_share - m.resolutions / greatest(m.all_resolutions, 1)) > 1e-9
   OR m.rank <> (SELECT count(*) + 1 FROM marts.operative_verb_by_session o
                 WHERE o.session = m.session AND (o.paragraphs > m.paragraphs
                                                  OR (o.paragraphs = m.paragraphs AND o.verb < m.verb)))
UNION ALL
SELECT 'marts.instrument_citations_by_session', session, instrument_id, NULL
FROM marts.instrument_citations_by_session m FULL JOIN instrument y USING (instrument_id, session)
LEFT JOIN totals t USING (session)
WHERE m.resolutions IS DISTINCT FROM y.resolutions OR m.paragraphs IS DISTINCT FROM y.paragraphs
   OR m.citations IS DISTINCT FROM y.citations
   OR m.all_resolutions IS DISTINCT FROM t.all_resolutions OR m.all_paragraphs IS DISTINCT FROM t.all_paragraphs
   OR abs(m.resolution_share - m.resolutions / greatest(m.all_resolutions, 1)) > 1e-9
   OR abs(m.paragraph_share - m.paragraphs / greatest(m.all_paragraphs, 1)) > 1e-9
   OR m.rank <> (SELECT count(*) + 1 FROM marts.instrument_citations_by_session o
                 WHERE o.session = m.session AND o.resolutions > m.resolutions)
UNION ALL
SELECT 'marts.mandates_by_entity_session', session, actor_id, NULL
FROM marts.mandates_by_entity_session m FULL JOIN mandate y USING (actor_id, session)
LEFT JOIN totals t USING (session)
WHERE m.mandates IS DISTINCT FROM y.mandates OR m.resolutions IS DISTINCT FROM y.resolutions
   OR m.reports_requested IS DISTINCT FROM y.reports_requested OR m.symbols IS DISTINCT FROM y.symbols
   OR m.all_operative_paragraphs IS DISTINCT FROM t.all_operative_paragraphs
   OR abs(m.mandate_share - m.mandates / greatest(m.all_operative_paragraphs, 1)) > 1e-9
UNION ALL
SELECT 'marts.new_language_by_session', session, theme, NULL
FROM marts.new_language_by_session m FULL JOIN language y USING (theme, session)
LEFT JOIN totals t USING (session)
WHERE m.new_paragraphs IS DISTINCT FROM y.new_paragraphs OR m.changed_paragraphs IS DISTINCT FROM y.changed_paragraphs
   OR m.resolutions IS DISTINCT FROM y.resolutions OR m.all_paragraphs IS DISTINCT FROM t.all_paragraphs
   OR abs(m.new_share - m.new_paragraphs / greatest(m.all_paragraphs, 1)) > 1e-9
