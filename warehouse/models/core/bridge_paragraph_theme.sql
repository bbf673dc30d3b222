-- step: enrich
-- depends: core.dim_theme, core.fact_paragraph
-- code: transforms.themes, transforms/reference/themes.yaml, transforms/data
-- builder: enrich

CREATE TABLE IF NOT EXISTS core.bridge_paragraph_theme (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    mentions INTEGER NOT NULL,
    matched VARCHAR[],
    positions INTEGER[],
    via_child BOOLEAN NOT NULL
);
