"""Registry instruments named in text or referenced in footnotes (:func:`named_instruments`), and
United Nations Treaty Series references (:func:`treaty_series_references`)."""

from __future__ import annotations

import polars as pl

from transforms.instruments.matching import _attach, _finish, _literal_matches, _prepare, _spans
from transforms.instruments.registry import load_registry


TREATY_SERIES_SCHEMA = {
    "symbol": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "volume": pl.Int32,
    "number": pl.Int32,
    "instrument_id": pl.Utf8,
    "matched_text": pl.Utf8,
    "position": pl.Int32,
}


_UNTS = "United Nations, Treaty Series"
_TS_SEGMENT = (r"vols?\.\s+\d+(?:(?:,\s*|,?\s+and\s+)\d+)*,\s+Nos?\.\s+\d+"
               r"(?:\s*[–-]\s*\d+|(?:(?:,\s*|,?\s+and\s+)\d+)*)")
_IBID = r"^(?:See\s+(?:also\s+)?)?[Ii]bid\b"


def treaty_series_references(texts: pl.DataFrame, registry: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every United Nations Treaty Series reference in the footnotes of ``texts``.

    One row per (volume, number) cited (TREATY_SERIES_SCHEMA), with the registry instrument
    where the registry knows the pair (null otherwise, for the registry's upkeep). A footnote
    opening "Ibid." belongs to the series of the footnote before it in the same resolution:
    footnotes are taken in the order of ``footnote_ordinal`` when the column is there, else of
    their numeric ``marker``, else as given.
    """
    registry = load_registry() if registry is None else registry
    frame = _prepare(texts)
    return _treaty_series(frame, registry).drop("_row").select(list(TREATY_SERIES_SCHEMA))


def _treaty_series(frame: pl.DataFrame, registry: pl.DataFrame) -> pl.DataFrame:
    # Footnotes in document order: by footnote_ordinal, else by their numeric marker, else as given.
    if "footnote_ordinal" in frame.columns:
        order = [pl.col("footnote_ordinal")]
    elif "marker" in frame.columns:
        order = [pl.col("marker").cast(pl.Int32, strict=False)]
    else:
        order = []
    notes = frame.filter(pl.col("source") == "footnote").sort([pl.col("symbol"), *order, pl.col("_row")],
                                                              nulls_last=True)
    own = (pl.when(pl.col("text").str.contains(_UNTS, literal=True)).then(pl.lit("UNTS"))
           .when(pl.col("text").str.contains("League of Nations, Treaty Series", literal=True)).then(pl.lit("LNTS"))
           .when(pl.col("text").str.contains(_IBID)).then(pl.lit(None, pl.Utf8))
           .otherwise(pl.lit("other")))
    notes = notes.with_columns(own.alias("_series")).with_columns(
        pl.col("_series").forward_fill().over("symbol").alias("_series"))
    segments = _spans(notes.filter(pl.col("_series") == "UNTS"), _TS_SEGMENT)
    empty = pl.DataFrame(schema={"_row": pl.UInt32} | TREATY_SERIES_SCHEMA)
    if segments.is_empty():
        return empty
    nos = pl.col("match").str.extract(r"Nos?\.\s+(.*)$", 1)
    first = nos.str.extract(r"^(\d+)\s*[–-]\s*\d+$", 1).cast(pl.Int64)
    last = nos.str.extract(r"^\d+\s*[–-]\s*(\d+)$", 1).cast(pl.Int64)
    is_range = first.is_not_null() & (last >= first) & (last - first <= 20)
    segments = segments.with_columns(
        pl.col("match").str.extract(r"^vols?\.\s+(.*?),\s+Nos?\.", 1).str.extract_all(r"\d+")
        .cast(pl.List(pl.Int32)).alias("volume"),
        pl.when(is_range).then(pl.int_ranges(first, pl.when(is_range).then(last + 1).otherwise(first)))
        .otherwise(nos.str.extract_all(r"\d+").cast(pl.List(pl.Int64))).cast(pl.List(pl.Int32)).alias("number"),
    ).explode("volume").explode("number")
    known = (registry.select("instrument_id", "treaty_series").explode("treaty_series").drop_nulls()
             .with_columns(pl.col("treaty_series").str.extract_groups(r"^vol\. (?P<volume>\d+), No\. (?P<number>\d+)$")
                           .alias("_ts")).unnest("_ts")
             .select(pl.col("volume").cast(pl.Int32), pl.col("number").cast(pl.Int32), "instrument_id"))
    segments = segments.join(known, on=["volume", "number"], how="left")
    return _attach(frame, segments.rename({"match": "matched_text"})).select(
        ["_row"] + list(TREATY_SERIES_SCHEMA))


def named_instruments(texts: pl.DataFrame, registry: pl.DataFrame | None = None) -> pl.DataFrame:
    """Registry instruments named or referenced in ``texts`` (CITED_SCHEMA).

    Three ways in: a name or alias in any text; in a footnote, a Treaty Series reference the
    registry knows ("United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574"
    is the Convention and its three Protocols); in a footnote, a reference to the adopting
    resolution ("Resolution 70/175, annex"). instrument_type is the registry type;
    cited_date is null.
    """
    registry = load_registry() if registry is None else registry
    frame = _prepare(texts)
    types = registry.select("instrument_id", pl.col("type").alias("instrument_type"))
    parts = []
    aliases = registry.select("instrument_id", pl.col("aliases").alias("match")).explode("match").drop_nulls()
    hits = _literal_matches(frame, aliases["match"].to_list())
    parts.append(hits.join(aliases, on="match", how="inner"))
    refs = registry.select("instrument_id", pl.col("footnote_refs").alias("match")).explode("match").drop_nulls()
    # "Resolution 70/1" opens a footnote; "see resolution 70/1" sits inside one.
    refs = pl.concat([refs, refs.filter(pl.col("match").str.starts_with("Resolution")).with_columns(
        pl.col("match").str.replace("^Resolution", "resolution"))]).unique()
    hits = _literal_matches(frame.filter(pl.col("source") == "footnote"), refs["match"].to_list())
    parts.append(hits.join(refs, on="match", how="inner"))
    ts = _treaty_series(frame, registry).filter(pl.col("instrument_id").is_not_null())
    parts.append(ts.select("_row", pl.col("matched_text").alias("match"), "position", "instrument_id"))
    found = pl.concat([p.select("_row", "match", pl.col("position").cast(pl.Int32), "instrument_id") for p in parts])
    found = _attach(frame, found).join(types, on="instrument_id", how="left").with_columns(
        pl.col("match").alias("matched_text"), pl.lit(None, pl.Date).alias("cited_date"))
    return _finish(found)
