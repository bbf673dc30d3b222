"""Leftmost matches of many literal patterns, with their character offsets, in one pass.

The actor names (transforms/actors) and the instrument names (transforms/instruments) are
found with one Aho-Corasick automaton over all the texts of a session, leftmost-first over
the patterns sorted longest first, so that the longest name starting at a position wins.
Polars' ``str.extract_many`` gives the matched texts and ``str.find_many`` their byte
offsets, each a pass of the automaton, and a byte offset then needs converting to the
character offset the rules and the bridges use (a copy of the text's head per match).

:func:`leftmost_matches` does it in one pass: ``str.replace_many`` (the same automaton,
``leftmost=True``) rewrites each match as "\\x00<pattern index>\\x01"; splitting on "\\x00"
gives, for each match, its pattern and the text that follows it, so its character offset
is a running sum of lengths. The marks are first taken out of the texts (each becomes
"\\x02", which no pattern holds, so no match changes and every offset stays the same).
"""

from __future__ import annotations

import polars as pl

_OPEN, _CLOSE, _STAND_IN = "\x00", "\x01", "\x02"
SCHEMA = {"_row": pl.UInt32, "hit": pl.Utf8, "start": pl.Int64}


def leftmost_matches(frame: pl.DataFrame, patterns: list[str], column: str = "text") -> pl.DataFrame:
    """Every leftmost-first, non-overlapping match of ``patterns`` (in priority order) in ``frame[column]``.

    ``frame`` has a ``_row`` key. Returns (_row, hit, start): the pattern matched and its
    character offset, in the order of ``frame`` and, within a text, of the matches.
    """
    bad = [p for p in patterns if _OPEN in p or _CLOSE in p or _STAND_IN in p]
    if bad:
        raise ValueError(f"leftmost_matches: patterns may not hold \\x00-\\x02: {bad[:3]!r}")
    if frame.is_empty() or not patterns:
        return pl.DataFrame(schema=SCHEMA)
    marks = [f"{_OPEN}{i}{_CLOSE}" for i in range(len(patterns))]
    hay = pl.col(column).cast(pl.Utf8).fill_null("").str.replace_many([_OPEN, _CLOSE], [_STAND_IN, _STAND_IN])
    pieces = (
        frame.select(pl.col("_row").cast(pl.UInt32),
                     hay.str.replace_many(patterns, marks, leftmost=True).str.split(_OPEN).alias("_p"))
        .filter(pl.col("_p").list.len() > 1)
        .select("_row", pl.col("_p").list.first().str.len_chars().cast(pl.Int64).alias("_lead"),
                pl.col("_p").list.slice(1).alias("_p"))
        .explode("_p")
        .with_columns(pl.col("_p").str.splitn(_CLOSE, 2).struct.rename_fields(["_i", "_rest"]).alias("_s"))
        .unnest("_s")
    )
    if pieces.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    index = pieces.get_column("_i").cast(pl.UInt32)
    lengths = pl.Series([len(p) for p in patterns], dtype=pl.Int64).gather(index)
    step = pl.col("_plen") + pl.col("_rest").str.len_chars().cast(pl.Int64)
    return pieces.with_columns(lengths.alias("_plen")).select(
        "_row",
        pl.Series("hit", patterns, dtype=pl.Utf8).gather(index),
        (pl.col("_lead") + step.cum_sum().over("_row") - step).alias("start"),
    )
