"""Choose the current text of each symbol when several documents carry it.

DGACM reissues corrected resolutions and ships some under two naming styles. Both
stay traceable in staging; exactly one reaches the core tables: byte-identical
copies are duplicates of the first seen; the official XML beats text extracted
from a PDF; then a reissue beats an original and a later publication beats an
earlier one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from transforms.model import ParsedResolution


@dataclass(frozen=True)
class Candidate:
    document_id: str
    sha256: str
    location: str
    resolution: ParsedResolution


@dataclass(frozen=True)
class Status:
    document_id: str
    symbol: str
    status: str  # current | superseded | duplicate
    superseded_by: str | None
    reason: str | None


def choose_current(candidates: list[Candidate]) -> list[Status]:
    by_symbol: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_symbol.setdefault(c.resolution.symbol, []).append(c)
    out: list[Status] = []
    for symbol, group in by_symbol.items():
        unique: dict[str, Candidate] = {}
        for c in sorted(group, key=lambda c: c.location):
            if c.sha256 in unique:
                first = unique[c.sha256]
                out.append(Status(c.document_id, symbol, "duplicate", first.document_id,
                                  f"same bytes as {first.location}"))
            else:
                unique[c.sha256] = c
        ranked = sorted(unique.values(), key=_rank, reverse=True)
        winner = ranked[0]
        out.append(Status(winner.document_id, symbol, "current", None, None))
        for loser in ranked[1:]:
            if winner.resolution.source_format == "xml" and loser.resolution.source_format != "xml":
                why = "the official XML is canonical: superseded by "
            elif winner.resolution.is_reissue and not loser.resolution.is_reissue:
                why = "superseded by the reissue "
            else:
                why = "superseded by the later publication "
            out.append(Status(loser.document_id, symbol, "superseded", winner.document_id, why + winner.location))
    return out


def _rank(c: Candidate):
    r = c.resolution
    return (r.source_format == "xml", r.is_reissue, r.published_on or dt.date.min, c.location)
