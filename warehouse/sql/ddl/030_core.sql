-- The star schema. Paragraphs are the fact; resolutions, sessions, sponsors and cited
-- Keys are enforced by the blocking asset checks, not by constraints: DuckDB checks
-- unique indexes eagerly, which breaks delete-then-insert of a partition in one transaction.
-- documents are its dimensions and bridges. Every table carries the GA session it was
-- loaded under, the partition that a rebuild replaces.
CREATE TABLE IF NOT EXISTS core.dim_session (
    session INTEGER,
    label VARCHAR NOT NULL,                   -- "Seventy-eighth session" is printed; we keep "78th session"
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    opening_year INTEGER NOT NULL
);

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

CREATE TABLE IF NOT EXISTS core.fact_paragraph (
    paragraph_key BIGINT,
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    kind VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    number VARCHAR,
    numbering_block INTEGER NOT NULL,
    lead_phrase VARCHAR,
    verb VARCHAR,                             -- the lead phrase's verb, without adverbs: "also requests" -> "requests"
    heading VARCHAR,
    text VARCHAR NOT NULL,
    subparagraphs INTEGER NOT NULL,
    footnotes INTEGER NOT NULL,
    words INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS core.fact_subparagraph (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    sub_ordinal INTEGER NOT NULL,
    label VARCHAR,
    depth INTEGER NOT NULL,
    text VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.fact_footnote (
    footnote_key BIGINT,
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    footnote_ordinal INTEGER NOT NULL,
    marker VARCHAR,
    text VARCHAR,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    location VARCHAR NOT NULL               -- paragraph | heading | title
);

CREATE TABLE IF NOT EXISTS core.bridge_paragraph_citation (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    target_symbol VARCHAR NOT NULL,
    target_resolution_key BIGINT,            -- set when the target is a resolution in the warehouse
    anchor_text VARCHAR,
    href VARCHAR,
    in_footnote BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS core.bridge_resolution_sponsor (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    role VARCHAR NOT NULL,                   -- sponsor | additional_sponsor
    position INTEGER NOT NULL,
    sponsor VARCHAR NOT NULL,
    source VARCHAR NOT NULL                  -- xml | metadata
);

CREATE TABLE IF NOT EXISTS core.bridge_resolution_vote (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    state VARCHAR NOT NULL,
    vote VARCHAR NOT NULL,                   -- yes | no | abstain
    source VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.bridge_resolution_keyword (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    dictionary VARCHAR,
    term VARCHAR NOT NULL
);

-- Where the official XML and DGACM's metadata disagree: both values kept.
CREATE TABLE IF NOT EXISTS core.metadata_discrepancy (
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    field VARCHAR NOT NULL,
    xml_value VARCHAR,
    metadata_value VARCHAR
);

-- Reconciliation of the XML against DGACM's metadata, symbol by symbol.
CREATE TABLE IF NOT EXISTS core.manifest (
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    in_xml BOOLEAN NOT NULL,
    in_metadata BOOLEAN NOT NULL,
    status VARCHAR NOT NULL,                 -- both | xml_only | metadata_only
    documents INTEGER NOT NULL,              -- XML documents seen for the symbol (reissues, duplicates)
    superseded_documents INTEGER NOT NULL
);

-- Where a resolution arrived both as XML and as text from a PDF: how far the text
-- agrees with the canonical XML, per resolution, paragraph and footnote.
CREATE TABLE IF NOT EXISTS core.text_reconciliation AS
SELECT * FROM staging.text_reconciliation WITH NO DATA;
CREATE TABLE IF NOT EXISTS core.text_reconciliation_paragraph AS
SELECT * FROM staging.text_reconciliation_paragraph WITH NO DATA;
CREATE TABLE IF NOT EXISTS core.text_reconciliation_footnote AS
SELECT * FROM staging.text_reconciliation_footnote WITH NO DATA;
