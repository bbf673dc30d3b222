"""Series detection (:func:`detect_series`): recurring resolutions chained by title and
citation, with the title normalisation it rests on. See transforms/lineage/__init__.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz

from transforms.text import normalise

# --- thresholds -------------------------------------------------------------------------
#
# Calibrated on the bundled corpus (sessions 74-79); the evidence is quoted with each.

MAX_GAP = 4
"""How many sessions back a predecessor may be: 1 for a yearly series, 2 for a biennial one
(most of the Third Committee's), 3 for a triennial one (scale of assessments for
peacekeeping: 76/239 -> 79/250), 4 for a quadrennial one: the quadrennial comprehensive policy
review 75/233 -> 79/226, "Improving global road safety" 74/299 -> 78/290, "Nuclear disarmament
verification" 74/50 -> 78/239, "Technical assistance provided by UNODC related to
counter-terrorism" 74/175 -> 78/226. The corpus has eleven same-title pairs four sessions
apart with nothing of that title between them, all such series (or declarations of
high-level meetings on the same subject: 74/2 -> 78/4 on universal health coverage); ten are
linked, and 74/146 -> 78/216 is not because 78/216 follows the retitled 76/174. No
same-title pair is five sessions apart (the whole bundled corpus) with nothing between."""

TITLE_SIMILARITY = 0.87
"""Least :func:`title_similarity` for a citation to link two differently titled resolutions.

Of the 1,634 citations between resolutions 1-3 sessions apart whose titles differ, about 1,350
have a title similarity under 0.5 (a resolution recalling another instrument). Above that,
read pair by pair, the retitled series score 0.87-1.0: tourism ("and resilient" added) 0.93,
"Freedom of religion or belief" -> "and belief" 0.92, 75/327 -> 76/298 0.92, Crimea
("temporarily occupied" added) 0.90, human rights defenders 0.87, "... the promotion of
democratization and enhancing periodic and genuine elections" with the two halves swapped
1.0 (token sort), the themed series "Global health and foreign policy: <theme>" and
"Implementation of the CRPD ...: <theme>" 1.0 (same main title). Just under it are pairs that
cite each other but are *different* recurring resolutions: "Follow-up to the second/Further
modalities of the third United Nations Conference on Landlocked Developing Countries" 0.86,
"Questions relating to/Special subjects relating to the proposed programme budget" 0.86 (two
yearly series), "Scope, modalities, format and organization of/Political declaration of the
high-level meeting on tuberculosis" 0.83. The one pair above it that is not a series, "Year
of Basic Sciences" -> "Decade of Sciences for Sustainable Development" (0.89), is a
successor instrument and is kept."""


# --- schemas ----------------------------------------------------------------------------

SERIES_SCHEMA = {
    "series_id": pl.Utf8,  # symbol of the first member
    "symbol": pl.Utf8,
    "session": pl.Int32,
    "year": pl.Int32,
    "position": pl.Int32,  # 1..n within the series
    "predecessor_symbol": pl.Utf8,  # null for the first member
    "link": pl.Utf8,  # "same_title" | "cites_predecessor"; null for the first member
    "title": pl.Utf8,
    "sessions_skipped": pl.Int32,  # session - predecessor's session - 1; null for the first
}

LINK_SAME_TITLE = "same_title"
LINK_CITES = "cites_predecessor"

# --- titles -----------------------------------------------------------------------------

_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_TEENS_AND_TENS = (
    "tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
    "|nineteenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth"
    "|ninetieth|hundredth"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# "seventy-first", "twenty fourth", "Fourteenth", "125th", "2022": what changes every session.
_ORDINAL = re.compile(
    rf"\b(?:(?:{_TENS})[\s\-\u2010\u2011]?(?:{_UNITS})|{_UNITS}|{_TEENS_AND_TENS}|\d+(?:st|nd|rd|th))\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_HYPHENS = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2212]")
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_NON_WORD = re.compile(r"[^\w#]+")


def normalise_title(title: str | None) -> str:
    """A title folded for comparison across sessions, words separated by single spaces.

    Case folded; years ("for 2022", "2025-2034") and ordinals ("Fourteenth Congress",
    "seventy-first session", "125th anniversary") become ``#`` because they are what a
    recurring title changes each time; hyphens and apostrophes are deleted (the XML has both
    "Confidence-building" and "Confidencebuilding", "Follow-up" and "Followup"); any other
    punctuation is a space.
    """
    if not title:
        return ""
    t = unicodedata.normalize("NFKC", normalise(title)).casefold()
    t = _YEAR.sub("#", t)
    t = _ORDINAL.sub("#", t)
    t = _APOSTROPHES.sub("", _HYPHENS.sub("", t))
    return _NON_WORD.sub(" ", t).strip()


def title_key(title: str | None) -> str:
    """:func:`normalise_title` without spaces: the key two titles must share to be "the same".

    Spaces go too so that "Non Proliferation" (as printed in 78/30) equals
    "Non-Proliferation" (74/36, 76/31).
    """
    return normalise_title(title).replace(" ", "")


def _main_title(title: str | None) -> str:
    """The part of a title before its first colon ("Global health and foreign policy")."""
    return title_key((title or "").split(":", 1)[0])


def title_similarity(a: str | None, b: str | None) -> float:
    """How alike two titles are, in [0, 1], after :func:`normalise_title`.

    The larger of RapidFuzz's character ``ratio`` (a word added or changed) and
    ``token_sort_ratio`` (the same words reordered: "the promotion of democratization and
    enhancing periodic and genuine elections" / "enhancing periodic and genuine elections and
    the promotion of democratization").
    """
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return 0.0
    if na.replace(" ", "") == nb.replace(" ", ""):
        return 1.0
    return max(fuzz.ratio(na, nb), fuzz.token_sort_ratio(na, nb)) / 100.0


def _agenda_compatible(a: str | None, b: str | None) -> bool:
    """Whether two agenda item names may be the same item in two sessions.

    The numbers change every session; the names mostly do not, but the same item is named
    at different depths ("General and complete disarmament" and "General and complete
    disarmament: youth, disarmament and non-proliferation"), and a few names in the XML are
    empty or wrong (75/328 carries its item's Spanish name). So: compatible when either is
    missing, when the main items (before the first colon) are the same, or when the names
    are near-identical (``fuzz.ratio`` >= 90 after :func:`normalise_title`).
    """
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb or ka == kb:
        return True
    if _main_title(a) == _main_title(b):
        return True
    return fuzz.ratio(normalise_title(a), normalise_title(b)) >= 90


# --- series -----------------------------------------------------------------------------


def _part(part: str | None) -> str:
    return (part or "A").strip().upper() or "A"


def _symbol_key(symbol: str | None) -> str:
    return re.sub(r"\s+", " ", (symbol or "").strip()).upper()


@dataclass(frozen=True)
class _Candidate:
    later: int  # row index of X
    earlier: int  # row index of Y
    gap: int
    link: str
    part_agrees: bool
    agenda_agrees: bool
    cited: bool
    similarity: float

    def rank(self) -> tuple:
        """Smaller is better; see the module docstring for the order."""
        return (
            self.gap,
            0 if self.link == LINK_SAME_TITLE else 1,
            0 if self.part_agrees else 1,
            0 if self.agenda_agrees else 1,
            0 if self.cited else 1,
            -self.similarity,
        )


def detect_series(resolutions: pl.DataFrame, citations: pl.DataFrame) -> pl.DataFrame:
    """Chain recurring resolutions into series; one row per member of a series of 2 or more.

    ``resolutions`` has the columns of ``core.dim_resolution`` used here: symbol,
    base_symbol, part, session, year, title, agenda_item_name (others are ignored);
    ``citations`` those of ``core.bridge_paragraph_citation``: symbol, target_symbol.
    The rules, their order and the handling of ambiguous cases are in the module docstring.
    Output columns: :data:`SERIES_SCHEMA`, ordered by the session of the first member,
    series_id, position.
    """
    if resolutions.is_empty():
        return pl.DataFrame(schema=SERIES_SCHEMA)

    def col(name: str, dtype: pl.DataType, default: pl.Expr | None = None) -> pl.Expr:
        expr = pl.col(name) if name in resolutions.columns else (default if default is not None else pl.lit(None))
        return expr.cast(dtype).alias(name)

    rows = resolutions.select(
        col("symbol", pl.Utf8),
        col("base_symbol", pl.Utf8, pl.col("symbol")),
        col("part", pl.Utf8),
        col("session", pl.Int32),
        col("year", pl.Int32),
        col("title", pl.Utf8),
        col("agenda_item_name", pl.Utf8),
    ).unique("symbol", keep="first").sort("session", "symbol").to_dicts()

    index = {_symbol_key(r["symbol"]): i for i, r in enumerate(rows)}
    by_base: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_base[_symbol_key(r["base_symbol"] or r["symbol"])].append(i)
    keys = [title_key(r["title"]) for r in rows]
    mains = [_main_title(r["title"]) for r in rows]
    main_count: dict[tuple[int, str], int] = defaultdict(int)
    for r, m in zip(rows, mains):
        main_count[(r["session"], m)] += 1

    # Who cites whom, resolved to row indices; a citation of a base symbol cites every part.
    cites: set[tuple[int, int]] = set()
    if citations is not None and not citations.is_empty():
        for src, tgt in citations.select("symbol", "target_symbol").unique().iter_rows():
            i = index.get(_symbol_key(src))
            if i is None or tgt is None:
                continue
            t = _symbol_key(tgt)
            targets = [index[t]] if t in index else by_base.get(t, [])
            for j in targets:
                if rows[j]["session"] < rows[i]["session"]:
                    cites.add((i, j))

    def similarity(i: int, j: int) -> float:
        s = title_similarity(rows[i]["title"], rows[j]["title"])
        # A themed series keeps its main title and changes the subtitle each time
        # ("Global health and foreign policy: <theme>"): the same main title counts as the
        # same title when neither session has another resolution under that main title.
        if (
            s < 1.0
            and mains[i]
            and mains[i] == mains[j]
            and main_count[(rows[i]["session"], mains[i])] == 1
            and main_count[(rows[j]["session"], mains[j])] == 1
        ):
            s = 1.0
        return s

    candidates: dict[tuple[int, int], _Candidate] = {}

    def add(i: int, j: int, link: str, sim: float) -> None:
        gap = rows[i]["session"] - rows[j]["session"]
        if not 1 <= gap <= MAX_GAP:
            return
        c = _Candidate(
            i,
            j,
            gap,
            link,
            _part(rows[i]["part"]) == _part(rows[j]["part"]),
            _agenda_compatible(rows[i]["agenda_item_name"], rows[j]["agenda_item_name"]),
            (i, j) in cites,
            sim,
        )
        old = candidates.get((i, j))
        if old is None or c.rank() < old.rank():
            candidates[(i, j)] = c

    by_key: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k:
            by_key[k].append(i)
    for members in by_key.values():
        for i in members:
            for j in members:
                add(i, j, LINK_SAME_TITLE, 1.0)
    for i, j in cites:
        if keys[i] and keys[i] == keys[j]:
            continue  # handled above
        sim = similarity(i, j)
        if sim >= TITLE_SIMILARITY:
            add(i, j, LINK_CITES, sim)

    # Ambiguity: the best two candidates of one resolution in one session tie.
    ambiguous: set[tuple[int, int]] = set()
    for side in (0, 1):
        groups: dict[tuple[int, int], list[_Candidate]] = defaultdict(list)
        for c in candidates.values():
            me, other = (c.later, c.earlier) if side == 0 else (c.earlier, c.later)
            groups[(me, rows[other]["session"])].append(c)
        for group in groups.values():
            if len(group) < 2:
                continue
            group.sort(key=_Candidate.rank)
            if group[0].rank() == group[1].rank():
                best = group[0].rank()
                ambiguous.update((c.later, c.earlier) for c in group if c.rank() == best)

    predecessor: dict[int, _Candidate] = {}
    successor: dict[int, int] = {}
    order = sorted(
        (c for k, c in candidates.items() if k not in ambiguous),
        key=lambda c: (*c.rank(), rows[c.later]["symbol"], rows[c.earlier]["symbol"]),
    )
    for c in order:
        if c.later in predecessor or c.earlier in successor:
            continue
        predecessor[c.later] = c
        successor[c.earlier] = c.later

    out = []
    for start in sorted((j for j in successor if j not in predecessor), key=lambda j: (rows[j]["session"], rows[j]["symbol"])):
        chain = [start]
        while chain[-1] in successor:
            chain.append(successor[chain[-1]])
        series_id = rows[start]["symbol"]
        for pos, i in enumerate(chain, start=1):
            r = rows[i]
            c = predecessor.get(i) if pos > 1 else None
            out.append(
                {
                    "series_id": series_id,
                    "symbol": r["symbol"],
                    "session": r["session"],
                    "year": r["year"],
                    "position": pos,
                    "predecessor_symbol": rows[c.earlier]["symbol"] if c else None,
                    "link": c.link if c else None,
                    "title": r["title"],
                    "sessions_skipped": c.gap - 1 if c else None,
                }
            )
    return pl.DataFrame(out, schema=SERIES_SCHEMA)


