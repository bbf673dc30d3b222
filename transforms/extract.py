"""The per-session Python work, in units a process pool can run: parse documents,
and extract themes, actors, mandates and instruments from a batch of resolutions.

Both are pure functions of their arguments (no database, no shared state), so running
them in worker processes (transforms.parallel) gives the results a plain loop gives.
Extraction is split by resolution, never inside one: instruments read "Ibid." and
"the Convention" against earlier paragraphs and footnotes of the same resolution.
"""

from __future__ import annotations

import os

import polars as pl

from transforms import parallel
from transforms.actors import _catalogue, actors_and_mandates
from transforms.akn import parse_akn
from transforms.instruments import paragraph_instruments
from transforms.lineage import series_lineage
from transforms.memory import release_freed_memory
from transforms.model import ParseError, ParsedResolution
from transforms.pdf import parse_text_version
from transforms.themes import _compiled, tag_paragraphs


def parse_document(item: tuple[str, bytes, str]) -> list[ParsedResolution] | str:
    """Parse one document ``(format, content, location)``: its resolutions, or why it was rejected."""
    fmt, content, location = item
    try:
        return [parse_text_version(content, location)] if fmt == "text" else parse_akn(content, location)
    except ParseError as exc:
        return str(exc)


def parse_documents(items: list[tuple[str, bytes, str]]) -> list[list[ParsedResolution] | str]:
    """:func:`parse_document` for each item, in order, over the worker processes."""
    return parallel.map_ordered(parse_document, items, chunksize=max(1, len(items) // (8 * parallel.workers())))


def extract_batch(batch: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Themes, actors, mandates and instruments of a batch of whole resolutions.

    ``batch`` is (paragraphs, footnotes, citations) with the columns of core.fact_paragraph,
    core.fact_footnote and core.bridge_paragraph_citation that the extractors read.
    """
    paragraphs, footnotes, citations = batch
    # paragraph_actors and mandates of its addressees, from one analysis of the paragraphs.
    all_actors, all_mandates = actors_and_mandates(paragraphs)
    return {
        "themes": tag_paragraphs(paragraphs),
        "actors": all_actors,
        "mandates": all_mandates,
        "instruments": paragraph_instruments(paragraphs, footnotes, citations)[1],
    }


def extract(paragraphs: pl.DataFrame, footnotes: pl.DataFrame, citations: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """:func:`extract_batch` over all the paragraphs, split by resolution over the workers.

    Batches hold about the same number of paragraphs (a budget resolution has hundreds,
    most have a few dozen), one per worker: each call has a fixed cost (some 300 Polars
    queries, whatever the batch's size), so more batches than workers cost more than
    the balance they buy.
    """
    counts = paragraphs.group_by("symbol", maintain_order=True).len()
    symbols, sizes = counts["symbol"].to_list(), counts["len"].to_list()
    n_batches = max(1, min(len(symbols), parallel.workers()))
    target = max(1, sum(sizes) / n_batches)
    groups: list[list[str]] = [[]]
    filled = 0
    for symbol, size in zip(symbols, sizes):
        if filled >= target and len(groups) < n_batches:
            groups.append([])
            filled = 0
        groups[-1].append(symbol)
        filled += size
    batches = []
    for group in groups:
        chosen = pl.Series(group, dtype=pl.Utf8)
        batches.append(tuple(frame.filter(pl.col("symbol").is_in(chosen))
                             for frame in (paragraphs, footnotes, citations)))
    results = parallel.map_ordered(extract_batch, batches)
    return {key: pl.concat([r[key] for r in results], how="vertical_relaxed") for key in results[0]}


def warm_up(_: int = 0) -> int:
    """Import the parsers and extractors and build their caches (in a worker, ahead of the work)."""
    _catalogue(None)
    _compiled(None)
    return os.getpid()


def lineage_batch(batch: tuple[pl.DataFrame, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Series lineage (steps, paragraph alignment) of whole series and their members' paragraphs."""
    series, paragraphs = batch
    result = series_lineage(series, paragraphs)
    # A worker aligns batch after batch; what one batch's alignment freed goes back to the
    # OS before the next, or the worker's resident memory keeps every batch's peak.
    release_freed_memory()
    return result
