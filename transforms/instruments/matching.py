"""What every finder of the package shares: texts prepared, regex spans with their offsets,
leftmost-longest literal matches on word boundaries, hits joined back to their paragraph,
and the CITED_SCHEMA frame."""

from __future__ import annotations

import polars as pl

from transforms.automaton import leftmost_matches


TEXT_COLUMNS = ("symbol", "paragraph_kind", "paragraph_ordinal", "text", "source")
CITED_SCHEMA = {
    "symbol": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "instrument_id": pl.Utf8,
    "instrument_type": pl.Utf8,
    "cited_date": pl.Date,
    "matched_text": pl.Utf8,
    "position": pl.Int32,
    "source": pl.Utf8,
}


_SEP = "\x00"  # marks regex matches for the split trick; removed from input text first


def _prepare(texts: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in TEXT_COLUMNS if c not in texts.columns]
    if missing:
        raise ValueError(f"texts needs columns {', '.join(TEXT_COLUMNS)}; missing {', '.join(missing)}")
    extra = [c for c in ("footnote_ordinal", "marker") if c in texts.columns]
    return texts.select(
        pl.col("symbol").cast(pl.Utf8),
        pl.col("paragraph_kind").cast(pl.Utf8),
        pl.col("paragraph_ordinal").cast(pl.Int32),
        pl.col("text").cast(pl.Utf8).fill_null("").str.replace_all(_SEP, " ", literal=True),
        pl.col("source").cast(pl.Utf8),
        *extra,
    ).with_row_index("_row")


def _spans(frame: pl.DataFrame, pattern: str, column: str = "text") -> pl.DataFrame:
    """Every non-overlapping match of ``pattern`` in ``frame[column]``: (_row, match, position).

    The text is rewritten with each match wrapped in a separator and split on it: odd
    pieces are the matches, and the lengths of the pieces before one give its character
    offset. Same semantics as ``str.extract_all``, plus positions.
    """
    hits = frame.filter(pl.col(column).str.contains(pattern)).select(
        "_row",
        pl.col(column).str.replace_all(pattern, f"{_SEP}${{0}}{_SEP}").str.split(_SEP).alias("_piece"),
    )
    if hits.is_empty():
        return pl.DataFrame(schema={"_row": pl.UInt32, "match": pl.Utf8, "position": pl.Int32})
    return (
        hits.explode("_piece")
        .with_columns(
            pl.int_range(pl.len()).over("_row").alias("_i"),
            pl.col("_piece").str.len_chars().cast(pl.Int32).alias("_len"),
        )
        .with_columns((pl.col("_len").cum_sum().over("_row") - pl.col("_len")).alias("position"))
        .filter(pl.col("_i") % 2 == 1)
        .select("_row", pl.col("_piece").alias("match"), "position")
    )


def _literal_matches(frame: pl.DataFrame, patterns: list[str]) -> pl.DataFrame:
    """Leftmost-longest literal matches of ``patterns`` on word boundaries: (_row, match, position).

    Aho-Corasick (:func:`transforms.automaton.leftmost_matches`); patterns are tried longest first,
    so "Optional Protocol to the Convention on the Rights of the Child on ..." wins over
    the "Convention on the Rights of the Child" inside it.
    """
    empty = pl.DataFrame(schema={"_row": pl.UInt32, "match": pl.Utf8, "position": pl.Int32})
    if frame.is_empty() or not patterns:
        return empty
    ordered = sorted(set(patterns), key=lambda p: (-len(p), p))
    # One automaton pass gives each match's pattern and character offset (transforms.automaton).
    found = (
        leftmost_matches(frame, ordered)
        .select("_row", pl.col("hit").alias("match"), pl.col("start").cast(pl.Int32).alias("position"))
        .join(frame.select("_row", "text"), on="_row", how="left", maintain_order="left")
    )
    if found.is_empty():
        return empty
    end = pl.col("position") + pl.col("match").str.len_chars().cast(pl.Int32)
    before = pl.when(pl.col("position") > 0).then(
        pl.col("text").str.slice(pl.col("position") - 1, 1)).otherwise(pl.lit(""))
    after = pl.col("text").str.slice(end, 1)
    word = r"^[\p{L}\p{N}_]$"
    starts_word = pl.col("match").str.contains(r"^[\p{L}\p{N}_]")
    ends_letter = pl.col("match").str.contains(r"\p{L}$")
    ends_digit = pl.col("match").str.contains(r"[\p{N}_]$")
    # Some texts keep footnote markers glued to the word they follow ("... and Peoples4 and"):
    # a digit after a name that ends in a letter is such a marker, not part of a longer word.
    return found.filter(
        ~(starts_word & before.str.contains(word))
        & ~(ends_letter & after.str.contains(r"^[\p{L}_]$"))
        & ~(ends_digit & after.str.contains(word))
    ).select("_row", "match", "position")


def _attach(frame: pl.DataFrame, hits: pl.DataFrame) -> pl.DataFrame:
    """Hits joined back to their text's paragraph keys and source."""
    return hits.join(frame.select("_row", "symbol", "paragraph_kind", "paragraph_ordinal", "source"),
                     on="_row", how="left")


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    if frame.is_empty():
        return pl.DataFrame(schema=CITED_SCHEMA)
    return frame.select([pl.col(c).cast(t) for c, t in CITED_SCHEMA.items()]).sort(
        "symbol", "paragraph_kind", "paragraph_ordinal", "source", "position", "instrument_id",
        maintain_order=True)
