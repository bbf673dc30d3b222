"""The instrument dimension and the paragraph bridge (:func:`paragraph_instruments`): what the
finders of the package found, with undocs.org links and each paragraph's relation."""

from __future__ import annotations

import polars as pl

from transforms.instruments.documents import _document_type, cited_documents
from transforms.instruments.named import named_instruments
from transforms.instruments.registry import load_registry
from transforms.instruments.relations import _relation_expr


DIM_SCHEMA = {
    "instrument_id": pl.Utf8,
    "instrument_type": pl.Utf8,
    "name": pl.Utf8,
    "year": pl.Int32,
    "source": pl.Utf8,
}
BRIDGE_SCHEMA = {
    "symbol": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "instrument_id": pl.Utf8,
    "instrument_type": pl.Utf8,  # as in dim_instrument, so the bridge reads without a join
    "relation": pl.Utf8,
    "via": pl.Utf8,
    "matched_text": pl.Utf8,
    "cited_date": pl.Date,
}


def _normalise_link(target: pl.Expr) -> pl.Expr:
    """undocs.org targets as written in the XML to the identifiers cited_documents gives."""
    t = (target.str.strip_chars().str.strip_chars_end(".").str.replace(r"^(?:en|fr|es|ar|ru|zh)/", "")
         .str.replace(r"(?i)\(supp\)$", "").str.replace_all(r"\s+\(", "(")
         .str.replace(r"^A/hrc/", "A/HRC/"))
    t = t.str.replace(r"/CORR\.", "/Corr.").str.replace(r"/ADD\.", "/Add.").str.replace(r"/REV\.", "/Rev.")
    # "A/RES/66/253b" -> "A/RES/66/253 B"; "A/RES/1874(s-iv)" -> "A/RES/1874(S-IV)"
    return (pl.when(t.str.contains(r"^A/RES/\d+/\d+\s?[A-Za-z](?:-[A-Za-z])?$"))
            .then(t.str.replace(r"\s?([A-Za-z](?:-[A-Za-z])?)$", " $1").str.to_uppercase())
            .when(t.str.contains(r"^A/RES/\d+\([a-z-]+\)$")).then(t.str.to_uppercase())
            .otherwise(t))


def _paragraph_keys(paragraphs: pl.DataFrame) -> pl.DataFrame:
    renames = {"kind": "paragraph_kind", "ordinal": "paragraph_ordinal"}
    p = paragraphs.rename({k: v for k, v in renames.items() if k in paragraphs.columns and v not in paragraphs.columns})
    for c in ("symbol", "paragraph_kind", "paragraph_ordinal", "text"):
        if c not in p.columns:
            raise ValueError(f"paragraphs needs a {c!r} column (or kind/ordinal for the paragraph keys)")
    lead = pl.col("lead_phrase") if "lead_phrase" in p.columns else pl.lit(None, pl.Utf8)
    return p.select(pl.col("symbol").cast(pl.Utf8), pl.col("paragraph_kind").cast(pl.Utf8),
                    pl.col("paragraph_ordinal").cast(pl.Int32), pl.col("text").cast(pl.Utf8),
                    lead.cast(pl.Utf8).alias("lead_phrase"))


def paragraph_instruments(
    paragraphs: pl.DataFrame,
    footnotes: pl.DataFrame,
    citations: pl.DataFrame | None = None,
    registry: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(dim_instrument, bridge_paragraph_instrument) for the given paragraphs and footnotes.

    ``paragraphs``: symbol, kind/paragraph_kind, ordinal/paragraph_ordinal, text, lead_phrase.
    ``footnotes``: symbol, paragraph_kind, paragraph_ordinal, text, and footnote_ordinal or
    marker (to put them in document order, which "Ibid." needs; without either, input order);
    a footnote's finds count toward the paragraph it annotates (via='footnote').
    ``citations``: undocs links (symbol, paragraph_kind, paragraph_ordinal, target_symbol,
    anchor_text optional): a linked document the text did not yield is added with via='link'.

    dim_instrument (DIM_SCHEMA): every registry instrument (source 'registry') and every
    cited document (source 'extracted', name = identifier, year from the identifier or the
    earliest cited date). bridge (BRIDGE_SCHEMA): one row per (paragraph, instrument, via),
    with the instrument's type, the paragraph's relation to it, the first matched text and
    the cited date where one was stated.
    """
    registry = load_registry() if registry is None else registry
    paras = _paragraph_keys(paragraphs)
    for c in ("symbol", "paragraph_kind", "paragraph_ordinal", "text"):
        if c not in footnotes.columns:
            raise ValueError(f"footnotes needs a {c!r} column")
    note_cols = ["symbol", "paragraph_kind", "paragraph_ordinal", "text"]
    note_cols += [c for c in ("footnote_ordinal", "marker") if c in footnotes.columns]
    texts = pl.concat(
        [paras.select("symbol", "paragraph_kind", "paragraph_ordinal", "text", pl.lit("paragraph").alias("source")),
         footnotes.select(note_cols).with_columns(pl.col("paragraph_ordinal").cast(pl.Int32),
                                                  pl.lit("footnote").alias("source"))],
        how="diagonal_relaxed",
    )
    found = pl.concat([cited_documents(texts), named_instruments(texts, registry)])
    keys = ["symbol", "paragraph_kind", "paragraph_ordinal"]
    bridge = found.with_columns(
        pl.when(pl.col("source") == "paragraph").then(pl.lit("text")).otherwise(pl.lit("footnote")).alias("via"))
    if citations is not None and not citations.is_empty():
        links = citations.select(
            pl.col("symbol").cast(pl.Utf8), pl.col("paragraph_kind").cast(pl.Utf8),
            pl.col("paragraph_ordinal").cast(pl.Int32),
            _normalise_link(pl.col("target_symbol").cast(pl.Utf8)).alias("instrument_id"),
            pl.col("anchor_text").cast(pl.Utf8).alias("matched_text") if "anchor_text" in citations.columns
            else pl.col("target_symbol").cast(pl.Utf8).alias("matched_text"),
        ).drop_nulls("instrument_id").filter(pl.col("instrument_id") != "")
        # Compared loosely: a link to A/RES/76/246 is the text's "76/246 A", a link to
        # "A/CONF.157/24(Part I)" the text's "A/CONF.157/24 (Part I)".
        base = (pl.col("instrument_id").str.to_uppercase().str.replace(r"\(.*$", "")
                .str.replace(r" [A-Z]{1,2}(?:-[A-Z])?$", ""))
        seen = bridge.select(*keys, base.alias("_base")).unique()
        links = links.with_columns(base.alias("_base")).join(seen, on=[*keys, "_base"], how="anti").drop("_base")
        links = links.with_columns(
            _document_type(pl.col("instrument_id")).alias("instrument_type"),
            pl.lit(None, pl.Date).alias("cited_date"), pl.lit(None, pl.Int32).alias("position"),
            pl.lit("link").alias("source"), pl.lit("link").alias("via"))
        bridge = pl.concat([bridge, links.select(bridge.columns)])
    # One row per (paragraph, instrument, via): the first mention, with a date if any has one.
    bridge = (bridge.sort([*keys, "instrument_id", "via", "cited_date", "position"], nulls_last=True)
              .unique([*keys, "instrument_id", "via"], keep="first", maintain_order=True))
    # The relation only of the paragraphs in the bridge, the first of each key as before.
    rel = (paras.join(bridge.select(keys).unique(), on=keys, how="semi", nulls_equal=True, maintain_order="left")
           .select(*keys, _relation_expr(pl.col("lead_phrase"), pl.col("paragraph_kind"), pl.col("text"))
                   .alias("relation")).unique(keys, keep="first"))
    bridge = bridge.join(rel, on=keys, how="left").with_columns(pl.col("relation").fill_null("other"))
    bridge = bridge.select([pl.col(c).cast(t) for c, t in BRIDGE_SCHEMA.items()]).sort(
        [*keys, "via", "instrument_id"])

    dim_registry = registry.select("instrument_id", pl.col("type").alias("instrument_type"), "name", "year",
                                   pl.lit("registry").alias("source"))
    ident = pl.col("instrument_id")
    year_from_id = pl.coalesce(
        ident.str.extract(r"^S/RES/\d+\((\d{4})\)$", 1),
        ident.str.extract(r"/((?:19[4-9]|20[0-9])\d)(?:/|$)", 1),
    ).cast(pl.Int32)
    extracted = (
        pl.concat([found.select("instrument_id", "instrument_type", "cited_date"),
                   bridge.filter(pl.col("via") == "link").join(
                       found.select("instrument_id").unique(), on="instrument_id", how="anti")
                   .select("instrument_id", _document_type(ident).alias("instrument_type"), "cited_date")])
        .filter(~ident.is_in(dim_registry["instrument_id"].implode()))
        .group_by("instrument_id")
        .agg(pl.col("instrument_type").mode().sort().first(), pl.col("cited_date").min().dt.year().alias("_dy"))
        .with_columns(pl.coalesce(year_from_id, pl.col("_dy").cast(pl.Int32)).alias("year"),
                      ident.alias("name"), pl.lit("extracted").alias("source"))
        .select(list(DIM_SCHEMA))
    )
    dim = pl.concat([dim_registry.select([pl.col(c).cast(t) for c, t in DIM_SCHEMA.items()]),
                     extracted.select([pl.col(c).cast(t) for c, t in DIM_SCHEMA.items()])]
                    ).sort("source", "instrument_id", descending=[True, False])
    return dim, bridge
