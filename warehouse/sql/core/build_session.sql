-- Build the star schema for one session from staging. Only the current text of each
-- symbol (staging.document_status) reaches core; superseded reissues stay in staging.
INSERT INTO core.dim_session BY NAME
SELECT
    $session AS session,
    $session || CASE WHEN $session % 100 IN (11, 12, 13) THEN 'th'
                     WHEN $session % 10 = 1 THEN 'st'
                     WHEN $session % 10 = 2 THEN 'nd'
                     WHEN $session % 10 = 3 THEN 'rd'
                     ELSE 'th' END || ' session' AS label,
    make_date(1945 + $session, 9, 1) AS first_day,
    make_date(1946 + $session, 9, 30) AS last_day,
    1945 + $session AS opening_year;

CREATE OR REPLACE TEMP TABLE current_resolution AS
SELECT r.*
FROM staging.resolution r
JOIN staging.document_status s
  ON s.document_id = r.document_id AND s.symbol = r.symbol AND s.status = 'current'
WHERE r.session = $session
  -- A held-back resolution (raw.held_back) reaches no core table, so nothing after core
  -- (bridges, marts, search) holds half of it.
  AND r.symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);

CREATE OR REPLACE TEMP TABLE current_paragraph AS
SELECT p.*, (md5_number(p.symbol || '|' || p.kind || '|' || p.ordinal) >> 65)::BIGINT AS paragraph_key
FROM staging.paragraph p
JOIN current_resolution r ON r.document_id = p.document_id AND r.symbol = p.symbol;

-- DGACM's metadata row for each current resolution: the same symbol, or, where the
-- metadata names a collection without its parts (74.json: "A/RES/74/250" for 250 A and B),
-- the row of the base symbol.
CREATE OR REPLACE TEMP TABLE session_metadata AS
SELECT r.symbol AS xml_symbol, m.*
FROM current_resolution r
JOIN staging.metadata m
  ON m.session = $session
 AND (m.symbol = r.symbol
      OR (r.part IS NOT NULL AND m.symbol = r.base_symbol
          AND NOT EXISTS (SELECT 1 FROM staging.metadata e WHERE e.session = $session AND e.symbol = r.symbol)
          AND NOT EXISTS (SELECT 1 FROM current_resolution x WHERE x.symbol = m.symbol)))
QUALIFY row_number() OVER (PARTITION BY r.symbol ORDER BY m.symbol = r.symbol DESC, m.line_number) = 1;

INSERT INTO core.dim_resolution BY NAME
SELECT
    (md5_number(r.symbol) >> 65)::BIGINT AS resolution_key,
    r.symbol,
    r.base_symbol,
    r.part,
    $session AS session,
    r.session_label,
    year(r.adopted_on) AS year,
    r.adopted_on,
    r.title,
    r.committee,
    array_to_string(r.agenda_items, ', ') AS agenda_item,
    r.agenda_items,
    array_to_string(r.agenda_item_names, '; ') AS agenda_item_name,
    r.originating_document,
    r.report_symbol,
    r.report_paragraph,
    r.plenary_meeting,
    r.vote_outcome,
    r.votes_in_favour,
    r.votes_against,
    r.votes_abstaining,
    vl.listed_in_favour,
    vl.listed_against,
    vl.listed_abstaining,
    -- Null when there is nothing to compare: no recorded vote, or a recorded vote whose XML
    -- lists no State.
    CASE WHEN r.vote_outcome = 'recorded_vote' AND vl.symbol IS NOT NULL
         THEN r.votes_in_favour IS NOT DISTINCT FROM vl.listed_in_favour
          AND r.votes_against IS NOT DISTINCT FROM vl.listed_against
          AND r.votes_abstaining IS NOT DISTINCT FROM vl.listed_abstaining END AS tally_matches_vote_list,
    r.draft_symbol,
    r.sdgs,
    r.source_format,
    r.document_id,
    r.frbr_uri,
    r.published_on,
    m.xml_symbol IS NOT NULL AS in_metadata,
    m.metadata_symbol,
    coalesce(pc.preambular, 0) AS preambular_paragraphs,
    coalesce(pc.operative, 0) AS operative_paragraphs,
    coalesce(pc.annex, 0) AS annex_paragraphs,
    coalesce(fc.footnotes, 0) AS footnotes,
    r.parse_notes
FROM current_resolution r
LEFT JOIN session_metadata m ON m.xml_symbol = r.symbol
LEFT JOIN (
    SELECT symbol,
           count(*) FILTER (kind = 'preambular') AS preambular,
           count(*) FILTER (kind = 'operative') AS operative,
           count(*) FILTER (kind = 'annex') AS annex
    FROM current_paragraph GROUP BY symbol
) pc ON pc.symbol = r.symbol
LEFT JOIN (
    SELECT f.symbol, count(*) AS footnotes
    FROM staging.footnote f JOIN current_resolution r USING (document_id, symbol)
    GROUP BY f.symbol
) fc ON fc.symbol = r.symbol
-- The vote list, counted as core.bridge_resolution_vote will hold it (below), for recorded votes only.
LEFT JOIN (
    SELECT v.symbol,
           count(*) FILTER (v.vote = 'yes')::INTEGER AS listed_in_favour,
           count(*) FILTER (v.vote = 'no')::INTEGER AS listed_against,
           count(*) FILTER (v.vote = 'abstain')::INTEGER AS listed_abstaining
    FROM staging.vote v JOIN current_resolution r USING (document_id, symbol)
    WHERE r.vote_outcome = 'recorded_vote'
    GROUP BY v.symbol
) vl ON vl.symbol = r.symbol;

INSERT INTO core.fact_paragraph BY NAME
SELECT
    p.paragraph_key,
    (md5_number(p.symbol) >> 65)::BIGINT AS resolution_key,
    p.symbol,
    $session AS session,
    year(r.adopted_on) AS year,
    p.kind,
    p.ordinal,
    p.number,
    p.numbering_block,
    p.lead_phrase,
    -- The verb of the lead phrase: adverbs dropped ("Also requests", "Further requests" ->
    -- "requests"), phrasal verbs kept whole ("calls upon", "takes note", "bearing in mind"),
    -- objects dropped ("Notes with concern" -> "notes", "Expresses its appreciation" -> "expresses").
    nullif(regexp_extract(
        trim(regexp_replace(
            regexp_replace(lower(p.lead_phrase),
                '\b(also|further|again|once|strongly|deeply|gravely|seriously|firmly|urgently|furthermore|moreover|likewise|in this regard|in that regard|in this context|in this connection|in particular)\b',
                ' ', 'g'),
            '\s+', ' ', 'g')),
        '^(calls (upon|for|on)|calling (upon|for|on)|takes? (note|into account|into consideration)|taking (note|into account|into consideration)|bearing in mind|looks? forward|looking forward|having [a-z]+|pays tribute|paying tribute|draws attention|drawing attention|[a-z-]+)',
        1), '') AS verb,
    p.heading,
    p.text,
    coalesce(sc.subparagraphs, 0) AS subparagraphs,
    coalesce(len(p.footnote_markers), 0) AS footnotes,
    len(string_split_regex(trim(p.text), '\s+')) AS words
FROM current_paragraph p
JOIN current_resolution r ON r.document_id = p.document_id AND r.symbol = p.symbol
LEFT JOIN (
    SELECT document_id, symbol, paragraph_kind, paragraph_ordinal, count(*) AS subparagraphs
    FROM staging.subparagraph WHERE session = $session GROUP BY ALL
) sc ON sc.document_id = p.document_id AND sc.symbol = p.symbol
    AND sc.paragraph_kind = p.kind AND sc.paragraph_ordinal = p.ordinal;

INSERT INTO core.fact_subparagraph BY NAME
SELECT
    (md5_number(s.symbol || '|' || s.paragraph_kind || '|' || s.paragraph_ordinal) >> 65)::BIGINT AS paragraph_key,
    s.symbol, $session AS session, s.paragraph_kind, s.paragraph_ordinal, s.sub_ordinal, s.label, s.depth, s.text
FROM staging.subparagraph s
JOIN current_resolution r ON r.document_id = s.document_id AND r.symbol = s.symbol;

INSERT INTO core.fact_footnote BY NAME
SELECT
    (md5_number(f.symbol || '|fn|' || f.footnote_ordinal) >> 65)::BIGINT AS footnote_key,
    (md5_number(f.symbol || '|' || f.paragraph_kind || '|' || f.paragraph_ordinal) >> 65)::BIGINT AS paragraph_key,
    f.symbol, $session AS session, f.footnote_ordinal, f.marker, f.text,
    f.paragraph_kind, f.paragraph_ordinal, f.location
FROM staging.footnote f
JOIN current_resolution r ON r.document_id = f.document_id AND r.symbol = f.symbol;

INSERT INTO core.bridge_paragraph_citation BY NAME
SELECT
    (md5_number(c.symbol || '|' || c.paragraph_kind || '|' || c.paragraph_ordinal) >> 65)::BIGINT AS paragraph_key,
    c.symbol, $session AS session, c.paragraph_kind, c.paragraph_ordinal, c.target_symbol,
    NULL::BIGINT AS target_resolution_key,  -- set by core/link_citations.sql
    c.anchor_text, c.href, c.in_footnote
FROM staging.citation c
JOIN current_resolution r ON r.document_id = c.document_id AND r.symbol = c.symbol;

-- Sponsors: the XML's workflow where it names them, DGACM's metadata otherwise.
INSERT INTO core.bridge_resolution_sponsor BY NAME
SELECT (md5_number(s.symbol) >> 65)::BIGINT AS resolution_key, s.symbol, $session AS session,
       s.role, s.position, s.sponsor, 'xml' AS source
FROM staging.sponsor s
JOIN current_resolution r ON r.document_id = s.document_id AND r.symbol = s.symbol;

INSERT INTO core.bridge_resolution_sponsor BY NAME
WITH meta AS (
    SELECT m.xml_symbol AS symbol, 'sponsor' AS role, unnest(m.sponsors) AS sponsor,
           generate_subscripts(m.sponsors, 1) AS position
    FROM session_metadata m
    UNION ALL
    SELECT m.xml_symbol, 'additional_sponsor', unnest(m.additional_sponsors),
           generate_subscripts(m.additional_sponsors, 1)
    FROM session_metadata m
)
SELECT (md5_number(meta.symbol) >> 65)::BIGINT AS resolution_key, meta.symbol, $session AS session,
       meta.role, meta.position, meta.sponsor, 'metadata' AS source
FROM meta
JOIN current_resolution r ON r.symbol = meta.symbol
WHERE NOT EXISTS (
    SELECT 1 FROM staging.sponsor s
    WHERE s.document_id = r.document_id AND s.symbol = r.symbol AND s.role = meta.role
);

INSERT INTO core.bridge_resolution_vote BY NAME
SELECT (md5_number(v.symbol) >> 65)::BIGINT AS resolution_key, v.symbol, $session AS session,
       v.state, v.vote, 'xml' AS source
FROM staging.vote v
JOIN current_resolution r ON r.document_id = v.document_id AND r.symbol = v.symbol;

INSERT INTO core.bridge_resolution_keyword BY NAME
SELECT DISTINCT (md5_number(k.symbol) >> 65)::BIGINT AS resolution_key, k.symbol, $session AS session,
       k.dictionary, k.term
FROM staging.keyword k
JOIN current_resolution r ON r.document_id = k.document_id AND r.symbol = k.symbol;

-- Disagreements between the XML and DGACM's metadata, field by field.
INSERT INTO core.metadata_discrepancy BY NAME
WITH pairs AS (
    SELECT r.symbol, unnest([
        -- Titles compare letters and digits only; DGACM runs the titles of all parts of a
        -- collection together, so a part's title need only stand inside the metadata's.
        {'field': 'title', 'x': r.title, 'm': m.title,
         'same': CASE WHEN r.part IS NULL
                      THEN lower(regexp_replace(r.title, '[^A-Za-z0-9]+', '', 'g'))
                           = lower(regexp_replace(coalesce(m.title, ''), '[^A-Za-z0-9]+', '', 'g'))
                      ELSE contains(lower(regexp_replace(coalesce(m.title, ''), '[^A-Za-z0-9]+', '', 'g')),
                                    lower(regexp_replace(regexp_replace(r.title, '^[^:]*:', ''), '[^A-Za-z0-9]+', '', 'g')))
                 END},
        {'field': 'adopted_on', 'x': r.adopted_on::VARCHAR, 'm': m.adopted_on::VARCHAR,
         'same': r.adopted_on IS NOT DISTINCT FROM m.adopted_on},
        -- DGACM's metadata says "Fourth Committee" for the XML's "Special Political and
        -- Decolonization Committee (Fourth Committee)".
        {'field': 'committee', 'x': r.committee, 'm': m.committee,
         'same': lower(r.committee) IS NOT DISTINCT FROM lower(m.committee)
                 OR contains(lower(r.committee), '(' || lower(m.committee) || ')')},
        {'field': 'agenda_items', 'x': array_to_string(list_sort(r.agenda_items), ', '),
         'm': array_to_string(list_sort(m.agenda_items), ', '),
         'same': list_sort(r.agenda_items) IS NOT DISTINCT FROM list_sort(m.agenda_items)},
        {'field': 'meeting_number',
         'x': regexp_extract(r.plenary_meeting, '^(\d+)', 1), 'm': m.meeting_number::VARCHAR,
         'same': regexp_extract(r.plenary_meeting, '^(\d+)', 1) IS NOT DISTINCT FROM m.meeting_number::VARCHAR},
        {'field': 'vote_outcome', 'x': r.vote_outcome, 'm': m.vote_outcome,
         'same': r.vote_outcome IS NOT DISTINCT FROM m.vote_outcome},
        {'field': 'votes', 'x': concat_ws('-', coalesce(r.votes_in_favour::VARCHAR, '?'), coalesce(r.votes_against::VARCHAR, '?'), coalesce(r.votes_abstaining::VARCHAR, '?')),
         'm': concat_ws('-', coalesce(m.votes_in_favour::VARCHAR, '?'), coalesce(m.votes_against::VARCHAR, '?'), coalesce(m.votes_abstaining::VARCHAR, '?')),
         'same': r.vote_outcome IS DISTINCT FROM 'recorded_vote'
                 OR (r.votes_in_favour, r.votes_against, r.votes_abstaining)
                    IS NOT DISTINCT FROM (m.votes_in_favour, m.votes_against, m.votes_abstaining)}
    ]) AS p
    FROM current_resolution r
    JOIN session_metadata m ON m.xml_symbol = r.symbol
)
SELECT symbol, $session AS session, p.field AS field, p.x AS xml_value, p.m AS metadata_value
FROM pairs
WHERE NOT coalesce(p.same, false);

INSERT INTO core.manifest BY NAME
WITH xml AS (
    SELECT s.symbol,
           count(*) AS documents,
           count(*) FILTER (s.status <> 'current') AS superseded_documents
    FROM staging.document_status s
    WHERE s.session = $session
    GROUP BY s.symbol
),
-- Metadata rows matched to a current resolution count under its symbol; the rest are
-- metadata-only.
meta AS (
    SELECT DISTINCT xml_symbol AS symbol FROM session_metadata
    UNION
    SELECT m.symbol FROM staging.metadata m
    WHERE m.session = $session
      AND m.symbol NOT IN (SELECT symbol FROM session_metadata)
      AND m.symbol NOT IN (SELECT xml_symbol FROM session_metadata)
)
SELECT
    coalesce(xml.symbol, meta.symbol) AS symbol,
    $session AS session,
    xml.symbol IS NOT NULL AS in_xml,
    meta.symbol IS NOT NULL AS in_metadata,
    CASE WHEN xml.symbol IN (SELECT symbol FROM raw.held_back WHERE session = $session) THEN 'held_back'
         WHEN xml.symbol IS NOT NULL AND meta.symbol IS NOT NULL THEN 'both'
         WHEN xml.symbol IS NOT NULL THEN 'xml_only' ELSE 'metadata_only' END AS status,
    coalesce(xml.documents, 0) AS documents,
    coalesce(xml.superseded_documents, 0) AS superseded_documents
FROM xml FULL OUTER JOIN meta ON meta.symbol = xml.symbol;

INSERT INTO core.text_reconciliation BY NAME
SELECT * FROM staging.text_reconciliation WHERE session = $session
  AND symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);
INSERT INTO core.text_reconciliation_paragraph BY NAME
SELECT * FROM staging.text_reconciliation_paragraph WHERE session = $session
  AND symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);
INSERT INTO core.text_reconciliation_footnote BY NAME
SELECT * FROM staging.text_reconciliation_footnote WHERE session = $session
  AND symbol NOT IN (SELECT symbol FROM raw.held_back WHERE session = $session);
