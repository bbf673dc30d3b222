-- Remove one session's rows from the per-session marts before they are rebuilt.
DELETE FROM marts.theme_trend_by_year WHERE session = $session;
DELETE FROM marts.theme_verb_by_year WHERE session = $session;
DELETE FROM marts.operative_verb_by_year WHERE session = $session;
DELETE FROM marts.instrument_citations_by_year WHERE session = $session;
DELETE FROM marts.citation_edges WHERE session = $session;
DELETE FROM marts.mandates_by_entity_year WHERE session = $session;
