-- step: core
-- depends: core._current_paragraph, core._current_resolution, core._session_metadata, staging.footnote, staging.vote

CREATE TABLE IF NOT EXISTS core.dim_resolution (
    resolution_key BIGINT,
    symbol VARCHAR NOT NULL,
    base_symbol VARCHAR NOT NULL,
    part VARCHAR,
    session INTEGER NOT NULL,
    session_label VARCHAR NOT NULL,
    year INTEGER,
    adopted_on DATE,
    title VARCHAR NOT NULL,
    committee VARCHAR,
    agenda_item VARCHAR,
    agenda_items VARCHAR[],
    agenda_item_name VARCHAR,
    originating_document VARCHAR,
    report_symbol VARCHAR,
    report_paragraph VARCHAR,
    plenary_meeting VARCHAR,
    vote_outcome VARCHAR,
    votes_in_favour INTEGER,
    votes_against INTEGER,
    votes_abstaining INTEGER,
    -- The States listed under each vote in the XML (core.bridge_resolution_vote), beside the
    -- printed tallies above: a source can disagree with itself (77/293: 59 abstaining, 58 listed).
    listed_in_favour INTEGER,
    listed_against INTEGER,
    listed_abstaining INTEGER,
    tally_matches_vote_list BOOLEAN,          -- null when there is no recorded vote or no list
    draft_symbol VARCHAR,
    sdgs VARCHAR[],
    source_format VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL,
    frbr_uri VARCHAR,
    published_on DATE,
    in_metadata BOOLEAN NOT NULL,
    metadata_symbol VARCHAR,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    annex_paragraphs INTEGER NOT NULL,
    footnotes INTEGER NOT NULL,
    parse_notes VARCHAR[]
);

-- build
INSERT INTO core.dim_resolution BY NAME
SELECT
    resolution_key_of(r.symbol) AS resolution_key,
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
