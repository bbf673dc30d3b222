"""Series lineage of recurring resolutions: which resolution succeeds which, and what changed.

Most of what the General Assembly adopts in a session it adopted the session before, or two
or three sessions before: "Strengthening the United Nations crime prevention and criminal
justice programme" is A/RES/74/177, 75/196, 76/187, 77/237 and 78/229, each a revision of the
last (and no session-79 member: 78/229's last paragraph takes the question up again at the
eightieth session). An analyst following a mandate, a State's language or a theme over time wants to read
such a series as one document that evolves: which paragraphs were kept word for word, which
were reworded (and how), which are new and which were dropped. This module gives that, in
three steps:

1. :func:`detect_series` chains resolutions into series from ``core.dim_resolution`` and the
   citations of ``core.bridge_paragraph_citation``.
2. :func:`align_paragraphs` matches the paragraphs of one resolution to those of its
   predecessor and gives a word-level diff of the reworded ones.
3. :func:`series_lineage` runs the alignment over every consecutive pair of every series.

Pure Python and Polars (RapidFuzz for the similarities): no Dagster, no DuckDB. On the whole
bundled corpus (sessions 74-79, 1,994 resolutions, some 85,000 paragraphs) detection takes
about 0.4 s and the lineage of its 1,259 steps about 3 s on two busy cores, most of it
preparing the words of every paragraph once; ``tests/test_lineage.py -s`` prints the timings.

Series detection
----------------
Two resolutions are linked, the later X succeeding the earlier Y (at most ``MAX_GAP``
sessions earlier), when one of these holds, in this order of strength:

``same_title``
    their titles are the same after :func:`title_key` (case, punctuation, spacing, hyphens,
    years and ordinal words folded, so "Special subjects relating to the proposed programme
    budget for 2022" recurs as "... for 2023", and the "Fourteenth"/"Fifteenth" Congress
    follow-up resolutions recur).
``cites_predecessor``
    X cites Y (an undocs.org link in a paragraph or footnote) and their titles are very
    similar (:func:`title_similarity` at least ``TITLE_SIMILARITY``): a series whose title
    was reworded, e.g. "Promotion of sustainable tourism, including ecotourism, ..." ->
    "Promotion of sustainable and resilient tourism, including ecotourism, ...".

The issue asked for the same title *under the same agenda item*. Agenda item numbers change
every session, so names are compared (:func:`_agenda_compatible`), but the names are not
reliable either: "Report of the Special Committee to Investigate Israeli Practices ..."
became "Israeli practices and settlement activities ..." in session 76, "Crimes against
humanity" left the item of the International Law Commission's report, 76/246 carries the
item "International Trade Centre" by mistake, 75/328 its item's Spanish name. Of the 1,242
``same_title`` links in sessions 74-79, 14 join resolutions whose agenda item names differ,
and reading them, all 14 are the same series. So the agenda item does not decide a link, it
ranks the candidates (below); requiring it would have broken those 14 links, or the 3 of
them that are not also citations (75/96 -> 76/80, 75/253 B -> 76/246 B, 74/4 -> 78/1) had a
citation been enough.

A series holds at most one resolution per session, so the candidate links are turned into
chains by a deterministic greedy matching: every resolution takes at most one predecessor and
gives at most one successor, and candidates are accepted in this order: nearest session first
(a yearly series is not short-circuited by a link to two sessions back), then ``same_title``
before ``cites_predecessor``, then a matching part letter, then a compatible agenda item,
then a citation, then the higher title similarity, then the symbols. *Ambiguity*: when a
resolution has two or more candidates in one session that nothing above tells apart (the
same title, part-letter agreement, agenda item and citation, the same similarity), the link is
left out rather than guessed; the same holds from the predecessor's side. Parts adopted
separately in one session (a budget's "A/RES/75/251", "B" and "C") therefore pair by part
letter, an unlettered resolution counting as part A (it is what the UN calls "A" once a "B"
exists), and a part with no same-letter counterpart ends its series instead of being
attached to an arbitrary sibling: 75/251 C, with only 76/244 and 76/244 B to follow it, ends
the series 74/261 C -> 75/251 C.

Paragraph alignment
-------------------
Paragraphs are compared within their kind (preambular, operative, annex) as lists of words
(:func:`paragraph_words`: ``transforms.text.comparable()`` folding of spacing, quotes, dashes
and case, footnote markers dropped, the paragraph's closing ``,``/``;``/``.`` ignored). Two
paragraphs with the same words are "unchanged". Then:

* the unchanged paragraphs that keep their order are the anchors (the longest common
  subsequence of the two resolutions' paragraphs);
* between two anchors, the remaining paragraphs are aligned *in order* (a dynamic programme
  maximising the total similarity) with pairs of at least ``CHANGED_THRESHOLD`` similarity,
  or of which one stands almost whole in the other (``CONTAINED_THRESHOLD``): these are
  "changed";
* what is left pairs across the document (a moved paragraph) only if at least
  ``MOVE_THRESHOLD`` similar, best pairs first;
* the rest of the current resolution is "new", the rest of the predecessor "dropped".

Similarity is RapidFuzz's normalised Indel similarity over the word lists: twice the words in
common, in order, over the total number of words (difflib's ratio, as in
``transforms/reconcile.py``): 1.0 for the same words, 1 - 1/n for one word replaced in an
n-word paragraph, 0.5 for a paragraph whose text was kept and as much again added.

The diff of a changed paragraph is one inline string in the ``wdiff`` convention, the whole
current paragraph with removed words in ``[-...-]`` and added words in ``{+...+}``::

    Requests the [-Secretary-General-] {+United Nations Office on Drugs and Crime+} to report

Words are shown as printed (the current text for kept and added words, the predecessor's for
removed ones). A dashboard can show it as is, or colour it with two regular expressions
(``\\[-(.*?)-\\]`` and ``\\{\\+(.*?)\\+\\}``); :func:`diff_chunks` gives the same edit as a
structured list for programs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

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

CHANGED_THRESHOLD = 0.4
"""Least similarity for an in-order pair of paragraphs to count as one paragraph reworded.

Calibrated on every consecutive pair of the detected series (sessions 74-79) by aligning
with a threshold of 0.3 and reading random samples of the pairs by similarity band, asking
"is this the same paragraph, updated?": 0.30-0.40 about half (5 of 12; 10 of 15 in
0.35-0.40), 0.40-0.45 13 of 15, 0.40-0.50 9 of 12, 0.50-0.60 9 of 10. The same paragraph
updated scores low when it is short or grew ("Recalling its resolution 73/20 of 30 November
2018," -> "74/13 of 3 December 2019," is 0.5; a paragraph kept whole and doubled is 0.5);
what goes wrong under 0.4 are formulae ("Takes note of paragraph IV.5 of the report of the
Advisory Committee, and ..." with another paragraph and another decision). A false "changed"
shows an analyst a diff between two unrelated paragraphs, a false "new" + "dropped" hides an
edit: 0.4 is where the two errors cross."""

CONTAINED_THRESHOLD = 0.8
CONTAINED_MIN_WORDS = 8
"""A paragraph kept almost whole inside a longer one, in order, is also "changed", whatever
its similarity: at least ``CONTAINED_THRESHOLD`` of the shorter paragraph's words (and at
least ``CONTAINED_MIN_WORDS`` words) stand in order in the longer. Found when checking 77/237
-> 78/229 by hand: operative 55 of 77/237, "Takes note of the Model Legislative Provisions to
Support the Needs and Protect the Rights of Victims of Terrorism, developed by the United
Nations Office on Drugs and Crime together with the Inter-Parliamentary Union and the Office
of Counter-Terrorism;", became the closing clause of 78/229's operative 59, a paragraph three
times as long (similarity 0.40, 85% of its words kept). Over the corpus this adds about 120
in-order pairs under 0.4; in a sample of ten all were a paragraph grown by a clause or absorbed into a
longer one (a Board of Auditors commendation grown by a sentence, 94%; an "Expresses deep
concern at ..." grown into a list of sub-paragraphs, 98%)."""

MOVE_THRESHOLD = 0.7
"""Least similarity for a pair out of order (a moved paragraph).

Higher than ``CHANGED_THRESHOLD`` because order is evidence, and without it a formulaic
paragraph pairs with any other of its kind. With 0.8, 793 paragraphs of the corpus pair as
moves (299 of them unchanged, the changed ones median similarity 0.94); lowering it to 0.6
adds 217 pairs, and reading samples: 0.7-0.8 all the same paragraph moved (8 of 8), 0.6-0.7
8 of 10 (the misses: two budget appropriations for different offices), 0.5-0.6 about half."""

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

ALIGNMENT_SCHEMA = {
    "kind": pl.Utf8,
    "ordinal": pl.Int32,  # of the current paragraph; null for dropped
    "number": pl.Utf8,
    "predecessor_ordinal": pl.Int32,  # null for new
    "predecessor_number": pl.Utf8,
    "status": pl.Utf8,  # unchanged | changed | new | dropped
    "similarity": pl.Float64,  # 1.0 unchanged, under 1 changed (see CHANGED_THRESHOLD), else null
    "diff": pl.Utf8,  # inline word diff, changed only
    "text": pl.Utf8,  # current text, or the predecessor's for dropped
}

STEP_SCHEMA = {
    "series_id": pl.Utf8,
    "symbol": pl.Utf8,
    "predecessor_symbol": pl.Utf8,
    "session": pl.Int32,
    "year": pl.Int32,
    "unchanged": pl.Int32,
    "changed": pl.Int32,
    "new": pl.Int32,
    "dropped": pl.Int32,
    "paragraphs": pl.Int32,  # of the current resolution
    "predecessor_paragraphs": pl.Int32,
}

STEP_PARAGRAPH_SCHEMA = {
    "series_id": pl.Utf8,
    "symbol": pl.Utf8,
    "predecessor_symbol": pl.Utf8,
    **ALIGNMENT_SCHEMA,
}

LINK_SAME_TITLE = "same_title"
LINK_CITES = "cites_predecessor"
_KIND_ORDER = {"preambular": 0, "operative": 1, "annex": 2}

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


# --- paragraphs -------------------------------------------------------------------------

# A footnote marker left in the text, glued to the word it annotates: "thereto,1",
# "Corruption5", "Crime;25", "of 1971,3" (all in 74/177; the XML repeats the marker of a
# footnote given earlier). Found in about 500 of the 85,000 paragraphs. Stripped:
# * after a lower-case letter and at most two closing marks, one to three digits
#   ("Crime,10"), so that "COVID-19", "G77", "CO2", "SDG16" and "2030" are kept;
# * after a number and one closing mark other than ".", one or two digits ("1988,4"), so
#   that "1,442,000" and "1.5" are kept;
# * never in a word with a slash or after an abbreviation, so that document symbols
#   ("A/74/125/Add.1", "E/CN.15/2015/16") and "No.3", "Add.1" are kept.
_MARKER_CANDIDATE = (
    r"[a-z][,;.:)\]\x{201D}\x{2019}\"']{0,2}[0-9]{1,3}( |$)|[0-9][,;:)\]\x{201D}\x{2019}\"'][0-9]{1,2}( |$)"
)
_MARKER_AFTER_WORD = re.compile(r"(.*[a-z][,;.:)\]\u201d\u2019\"']{0,2})\d{1,3}")
_MARKER_AFTER_NUMBER = re.compile(r"(.*\d[,;:)\]\u201d\u2019\"'])\d{1,2}")
_ABBREVIATIONS = re.compile(r"(?:^|[^a-z])(?:add|rev|corr|amend|no|nos|para|paras|sect|chap|vol|vols|art|arts|p|pp|op|cit)\.$", re.I)


def _without_marker(word: str) -> str:
    if "/" in word or not word[-1:].isdigit():
        return word
    m = _MARKER_AFTER_WORD.fullmatch(word) or _MARKER_AFTER_NUMBER.fullmatch(word)
    if m is None or _ABBREVIATIONS.search(m.group(1)):
        return word
    return m.group(1)


_CLOSING = ",;.:"
# transforms.text.normalise() in Polars: what Python's \s matches (str.isspace(), all below
# U+3001) other than the space, the invisible characters it drops, the hyphens it maps.
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in _SPACES) + "]"
_INVISIBLE_CLASS = r"[\x{AD}\x{200B}-\x{200F}\x{2060}\x{FEFF}]"
# transforms.text.comparable()'s folding of quotes and dashes.
_FOLD = ((r"[\x{2018}\x{2019}]", "'"), (r"[\x{201C}\x{201D}]", '"'), (r"[\x{2013}\x{2014}]", "-"))


def _normalised(text: pl.Expr) -> pl.Expr:
    """``transforms.text.normalise()`` as a Polars expression, after NFC (see :func:`_nfc`).

    The tests check that the two agree on every paragraph of the corpus.
    """
    return (
        text.fill_null("")
        .str.replace_all(_INVISIBLE_CLASS, "")
        .str.replace_all(r"[\x{2010}\x{2011}]", "-")
        .str.replace_all(_SPACE_CLASS, " ")
        .str.replace_all(" {2,}", " ")
        .str.strip_chars(" ")
        .str.replace_all(r" ([,;:.)\]])", "$1")
        .str.replace_all(r"([(\[]) ", "$1")
    )


def _nfc(texts: list[str | None]) -> list[str]:
    """Unicode NFC, done in Python only where needed (Polars' is slower by far)."""
    return [
        "" if t is None else t if t.isascii() or unicodedata.is_normalized("NFC", t) else unicodedata.normalize("NFC", t)
        for t in texts
    ]


def _folded(normalised: pl.Expr) -> pl.Expr:
    """The comparison form of normalised text (footnote markers already dropped, see
    :func:`_key_source`), words still separated by single spaces: quotes, dashes and case
    folded as ``comparable()`` folds them, the closing punctuation of the paragraph dropped."""
    out = normalised
    for pattern, replacement in _FOLD:
        out = out.str.replace_all(pattern, replacement)
    return out.str.to_lowercase().str.strip_chars_end(_CLOSING)


def _char(n: int) -> str:
    """The n-th code character: from U+0100 on, skipping the surrogates."""
    n += 0x100
    return chr(n + 0x800 if n >= 0xD800 else n)


def _prepare(texts: pl.Series) -> tuple[list[str], list[str]]:
    """Normalised text and word codes of many paragraphs at once.

    Normalised text: as ``transforms.text.normalise()`` gives it; its words split on spaces
    are the printed words. Codes: one character per word, the same character for the same
    word key (:func:`paragraph_words`) within one call, so that RapidFuzz compares word lists
    as strings, in C++: its Indel similarity and opcodes become word-level ones, and
    ``process.cdist`` scores a whole block of paragraph pairs in one call (the corpus has
    some 35,000 distinct words; code points start at U+0100 and skip the surrogates).

    Vectorised because it is most of the work: the corpus has some 85,000 paragraphs and
    4.5 million words, and a per-paragraph Python version took six seconds.
    """
    frame = pl.DataFrame({"text": _nfc(texts.cast(pl.Utf8).to_list())}, schema={"text": pl.Utf8}).select(
        norm=_normalised(pl.col("text"))
    )
    norms = frame["norm"].to_list()
    frame = pl.DataFrame({"source": _key_source(frame["norm"], norms)}, schema={"source": pl.Utf8})
    # One key per printed word: folding only replaces characters, and normalise() has glued
    # every ",;:." to the word before it, so stripping the closing punctuation never removes
    # a word (it may leave an empty key, for a paragraph that is ".").
    frame = frame.select(
        keys=pl.when(pl.col("source") == "")
        .then(pl.lit([], dtype=pl.List(pl.Utf8)))
        .otherwise(_folded(pl.col("source")).str.split(" "))
    )
    vocabulary = frame.select(pl.col("keys").explode().drop_nulls().unique(maintain_order=True))["keys"]
    chars = pl.Series([_char(i) for i in range(vocabulary.len())], dtype=pl.Utf8)
    codes = frame.select(code=pl.col("keys").list.eval(pl.element().replace_strict(vocabulary, chars)).list.join(""))
    return norms, codes["code"].to_list()


def _key_source(norm: pl.Series, norms: list[str]) -> list[str]:
    """The normalised texts with footnote markers dropped word by word (see _MARKER_*),
    in Python for the few hundred paragraphs where Polars finds a candidate."""
    out = list(norms)
    for i in norm.str.contains(_MARKER_CANDIDATE).arg_true().to_list():
        out[i] = " ".join(_without_marker(w) for w in norms[i].split(" "))
    return out


def paragraph_words(text: str | None) -> tuple[list[str], list[str]]:
    """The printed words of a paragraph and their comparison keys, one for one.

    Printed words are the text normalised as ``transforms.text.normalise()`` does, split on
    spaces. Keys are the words folded as ``transforms.text.comparable()`` folds them (quotes,
    dashes; lower-cased where it case-folds, the same for this corpus), without a footnote marker left in the text ("thereto,1" -> "thereto,",
    "Corruption5" -> "corruption"), and, on the last word only, without the closing
    punctuation (a paragraph that was last in its resolution ends with "." and with ";" once
    another follows it). Paragraphs with the same keys are "unchanged".
    """
    norm = pl.select(_normalised(pl.lit(_nfc([text])[0], dtype=pl.Utf8))).item()
    if not norm:
        return [], []
    source = _key_source(pl.Series([norm]), [norm])[0]
    return norm.split(" "), pl.select(_folded(pl.lit(source, dtype=pl.Utf8))).item().split(" ")


@dataclass
class _Para:
    kind: str
    ordinal: int | None
    number: str | None
    text: str
    norm: str  # the text normalised; its words split on spaces are the printed words
    code: str  # one character per word key (see _prepare)

    @property
    def shown(self) -> list[str]:
        return self.norm.split(" ") if self.norm else []


def _by_kind(rows, norms: list[str], codes: list[str]) -> dict[str, list[_Para]]:
    """Paragraphs by kind, in ordinal order; rows: (kind, ordinal, number, text) tuples
    standing one for one with the normalised texts and codes of :func:`_prepare`."""
    out: dict[str, list[_Para]] = defaultdict(list)
    for (kind, ordinal, number, text), w, c in zip(rows, norms, codes):
        out[kind or ""].append(_Para(kind or "", ordinal, number, text or "", w, c))
    for paras in out.values():
        paras.sort(key=lambda p: (p.ordinal is None, p.ordinal if p.ordinal is not None else 0))
    return out


DIFF_ABSORB = 2
"""A run of at most this many kept words between two edits is shown inside the edit.

The word alignment is a longest common subsequence, which happily keeps an isolated "of" or
"December" between two edits; "[-15-] {+19+} December [-2022-] {+2023+}" reads better as
"[-15 December 2022-] {+19 December 2023+}"."""


def _chunks(a: _Para, b: _Para) -> list[tuple[str, list[str], list[str]]]:
    """The edit from a to b as runs (op, old words, new words), op "equal" or "change"."""
    raw: list[tuple[str, list[str], list[str]]] = []
    sa, sb = a.shown, b.shown
    for op in Indel.opcodes(a.code, b.code):
        old, new = sa[op.src_start : op.src_end], sb[op.dest_start : op.dest_end]
        if op.tag == "equal":
            raw.append(("equal", old, new))
        elif raw and raw[-1][0] == "change":
            raw[-1][1].extend(old)
            raw[-1][2].extend(new)
        else:
            raw.append(("change", list(old), list(new)))
    out: list[tuple[str, list[str], list[str]]] = []
    for k, (op, old, new) in enumerate(raw):
        if op == "equal" and 0 < k < len(raw) - 1 and len(new) <= DIFF_ABSORB:
            op = "change"
        if op == "change" and out and out[-1][0] == "change":
            out[-1][1].extend(old)
            out[-1][2].extend(new)
        elif op == "change":
            out.append(("change", list(old), list(new)))
        else:
            out.append((op, old, new))
    return out


def _render(chunks: list[tuple[str, list[str], list[str]]]) -> str:
    parts = []
    for op, old, new in chunks:
        if op == "equal":
            parts.append(" ".join(new))
            continue
        if old:
            parts.append("[-" + " ".join(old) + "-]")
        if new:
            parts.append("{+" + " ".join(new) + "+}")
    return " ".join(parts)


def _pair(old: str | None, new: str | None) -> tuple[_Para, _Para]:
    norms, codes = _prepare(pl.Series([old, new], dtype=pl.Utf8))
    return _Para("", None, None, old or "", norms[0], codes[0]), _Para("", None, None, new or "", norms[1], codes[1])


def diff_chunks(old: str | None, new: str | None) -> list[dict]:
    """The word-level edit from ``old`` to ``new`` as a list a program can walk.

    One dict per run, in text order: ``{"op": "equal", "text": ...}`` for kept words (as
    printed now) and ``{"op": "change", "removed": ..., "added": ...}`` for an edit (either
    may be ""). The same runs as :func:`word_diff`.
    """
    out = []
    for op, a, b in _chunks(*_pair(old, new)):
        if op == "equal":
            out.append({"op": "equal", "text": " ".join(b)})
        else:
            out.append({"op": "change", "removed": " ".join(a), "added": " ".join(b)})
    return out


def word_diff(old: str | None, new: str | None) -> str:
    """The inline diff of the module docstring: ``[-removed-]`` and ``{+added+}`` in the text
    of ``new``; "" when the two have the same words."""
    a, b = _pair(old, new)
    return "" if a.code == b.code else _render(_chunks(a, b))


def _monotone(pairs: list[tuple[int, int, float]], ni: int, nj: int) -> list[tuple[int, int, float]]:
    """The in-order subset of weighted (i, j) pairs with the largest total weight.

    A small dynamic programme over the ni x nj grid of one stretch between two anchors (a
    weighted longest common subsequence); among equal totals the earliest pairs win, so the
    result is deterministic.
    """
    if not pairs:
        return []
    w = {(i, j): s for i, j, s in pairs}
    # best[i][j]: the best total over prev[i:] and cur[j:], filled backwards so that the
    # traceback runs forwards.
    best = [[0.0] * (nj + 1) for _ in range(ni + 1)]
    take = [[False] * (nj + 1) for _ in range(ni + 1)]
    for i in range(ni - 1, -1, -1):
        row, nxt = best[i], best[i + 1]
        for j in range(nj - 1, -1, -1):
            v = max(nxt[j], row[j + 1])
            s = w.get((i, j))
            if s is not None and nxt[j + 1] + s >= v:
                v = nxt[j + 1] + s
                take[i][j] = True
            row[j] = v
    out = []
    i = j = 0
    while i < ni and j < nj:
        if take[i][j]:
            out.append((i, j, w[(i, j)]))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def _contained(similarity: float, n_a: int, n_b: int) -> bool:
    """Whether the shorter of two paragraphs (of n_a and n_b words, with this Indel
    similarity) stands almost whole, in order, in the longer one (``CONTAINED_THRESHOLD``)."""
    shorter = min(n_a, n_b)
    if shorter < CONTAINED_MIN_WORDS:
        return False
    common = similarity * (n_a + n_b) / 2  # Indel similarity is 2 * common / (n_a + n_b)
    return common >= CONTAINED_THRESHOLD * shorter - 1e-9


def _align_kind(prev: list[_Para], cur: list[_Para]) -> list[tuple[int | None, int | None, float | None]]:
    """(index in prev, index in cur, similarity) for every paragraph of one kind, in the
    order of the output rows (see :func:`align_paragraphs`)."""
    match_cur: dict[int, tuple[int, float]] = {}
    match_prev: set[int] = set()

    # 1. Unchanged paragraphs kept in order: the anchors, the longest common subsequence of
    #    the two resolutions written as strings of one character per distinct paragraph.
    ids: dict[str, str] = {}
    pid = "".join(ids.setdefault(p.code, _char(len(ids))) for p in prev)
    cid = "".join(ids.setdefault(p.code, _char(len(ids))) for p in cur)
    stretches = []  # (i1, i2, j1, j2) between anchors
    for op in Indel.opcodes(pid, cid):
        if op.tag == "equal":
            for d in range(op.src_end - op.src_start):
                match_cur[op.dest_start + d] = (op.src_start + d, 1.0)
                match_prev.add(op.src_start + d)
        elif stretches and stretches[-1][1] == op.src_start and stretches[-1][3] == op.dest_start:
            stretches[-1] = (stretches[-1][0], op.src_end, stretches[-1][2], op.dest_end)
        else:
            stretches.append((op.src_start, op.src_end, op.dest_start, op.dest_end))

    rest_p = [i for i in range(len(prev)) if i not in match_prev]
    rest_c = [j for j in range(len(cur)) if j not in match_cur]
    if rest_p and rest_c:
        matrix = process.cdist(
            [prev[i].code for i in rest_p], [cur[j].code for j in rest_c], scorer=Indel.normalized_similarity, workers=1
        ).tolist()
        pos_p = {i: a for a, i in enumerate(rest_p)}
        pos_c = {j: b for b, j in enumerate(rest_c)}

        # 2. Reworded paragraphs in order, stretch by stretch.
        for i1, i2, j1, j2 in stretches:
            if i2 <= i1 or j2 <= j1:
                continue
            pairs = []
            for i in range(i1, i2):
                row = matrix[pos_p[i]]
                n_i = len(prev[i].code)
                for j in range(j1, j2):
                    s = row[pos_c[j]]
                    if s >= CHANGED_THRESHOLD or _contained(s, n_i, len(cur[j].code)):
                        pairs.append((i - i1, j - j1, s))
            for a, b, s in _monotone(pairs, i2 - i1, j2 - j1):
                match_cur[j1 + b] = (i1 + a, s)
                match_prev.add(i1 + a)

        # 3. Moved paragraphs: out of order, only when very similar; best pairs first.
        moves = []
        for i in rest_p:
            if i in match_prev:
                continue
            row = matrix[pos_p[i]]
            for j in rest_c:
                if j not in match_cur and row[pos_c[j]] >= MOVE_THRESHOLD:
                    moves.append((-row[pos_c[j]], j, i))
        for neg, j, i in sorted(moves):
            if j not in match_cur and i not in match_prev:
                match_cur[j] = (i, -neg)
                match_prev.add(i)

    # The current paragraphs in order; a dropped paragraph comes after the current paragraph
    # matched to the nearest kept predecessor paragraph before it (first if there is none).
    after: dict[int, list[int]] = defaultdict(list)
    prev_to_cur = {i: j for j, (i, _) in match_cur.items()}
    anchor = -1
    for i in range(len(prev)):
        if i in prev_to_cur:
            anchor = prev_to_cur[i]
        else:
            after[anchor].append(i)
    out: list[tuple[int | None, int | None, float | None]] = [(i, None, None) for i in after.get(-1, [])]
    for j in range(len(cur)):
        m = match_cur.get(j)
        out.append((m[0], j, m[1]) if m else (None, j, None))
        out.extend((i, None, None) for i in after.get(j, []))
    return out


def _alignment_rows(prev: dict[str, list[_Para]], cur: dict[str, list[_Para]]) -> list[dict]:
    rows = []
    kinds = sorted(set(prev) | set(cur), key=lambda k: (_KIND_ORDER.get(k, len(_KIND_ORDER)), k))
    for kind in kinds:
        pp, cc = prev.get(kind, []), cur.get(kind, [])
        for i, j, s in _align_kind(pp, cc):
            p = pp[i] if i is not None else None
            c = cc[j] if j is not None else None
            if c is None:
                status, sim, diff = "dropped", None, None
            elif p is None:
                status, sim, diff = "new", None, None
            elif p.code == c.code:
                status, sim, diff = "unchanged", 1.0, None
            else:
                status, sim, diff = "changed", s, _render(_chunks(p, c))
            rows.append(
                {
                    "kind": kind,
                    "ordinal": c.ordinal if c else None,
                    "number": c.number if c else None,
                    "predecessor_ordinal": p.ordinal if p else None,
                    "predecessor_number": p.number if p else None,
                    "status": status,
                    "similarity": sim,
                    "diff": diff,
                    "text": c.text if c else p.text,
                }
            )
    return rows


_PARAGRAPH_COLUMNS = {"kind": pl.Utf8, "ordinal": pl.Int32, "number": pl.Utf8, "text": pl.Utf8}


def _paragraph_frame(frame: pl.DataFrame | None, extra: tuple[str, ...] = ()) -> pl.DataFrame:
    """The columns this module reads, typed; an empty or missing frame gives no rows."""
    columns = {**{c: pl.Utf8 for c in extra}, **_PARAGRAPH_COLUMNS}
    if frame is None or frame.is_empty():
        return pl.DataFrame(schema=columns)
    return frame.select([pl.col(c).cast(t) for c, t in columns.items()])


def align_paragraphs(previous: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Match every paragraph of ``current`` to its predecessor in ``previous``, kind by kind.

    Both frames have the columns of ``core.fact_paragraph`` used here: kind, ordinal
    (document order within the kind), number, text (symbol and lead_phrase may be present;
    they are ignored). One row per current paragraph (unchanged, changed or new) and per
    dropped predecessor paragraph, kinds in the order preambular, operative, annex, then
    the current resolution's order, each dropped paragraph after the current paragraph
    matched to the nearest kept paragraph before it. Columns :data:`ALIGNMENT_SCHEMA`; the
    method and the thresholds are in the module docstring.
    """
    prev, cur = _paragraph_frame(previous), _paragraph_frame(current)
    # One _prepare call for both, so that the same word has the same code in each.
    norms, codes = _prepare(pl.concat([prev["text"], cur["text"]]))
    n = prev.height
    split = (
        _by_kind(prev.iter_rows(), norms[:n], codes[:n]),
        _by_kind(cur.iter_rows(), norms[n:], codes[n:]),
    )
    return pl.DataFrame(_alignment_rows(*split), schema=ALIGNMENT_SCHEMA)


def series_lineage(series: pl.DataFrame, paragraphs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Align every member of every series with its predecessor.

    ``series`` is :func:`detect_series`'s output (series_id, symbol, predecessor_symbol,
    session and year are used); ``paragraphs`` has the columns of ``core.fact_paragraph``
    used by :func:`align_paragraphs`, plus symbol. Returns ``(steps, paragraphs)``: one row
    per consecutive pair with the count of each status (:data:`STEP_SCHEMA`; unchanged +
    changed + new = paragraphs of the member, unchanged + changed + dropped =
    predecessor_paragraphs), and every pair's paragraph alignment
    (:data:`STEP_PARAGRAPH_SCHEMA`, steps in the order of ``series``). A
    member whose paragraphs are missing counts as having none.
    """
    if series is None or series.is_empty():
        return pl.DataFrame(schema=STEP_SCHEMA), pl.DataFrame(schema=STEP_PARAGRAPH_SCHEMA)
    pairs = series.filter(pl.col("predecessor_symbol").is_not_null()).select(
        pl.col("series_id").cast(pl.Utf8),
        pl.col("symbol").cast(pl.Utf8),
        pl.col("predecessor_symbol").cast(pl.Utf8),
        pl.col("session").cast(pl.Int32),
        pl.col("year").cast(pl.Int32),
    )
    wanted = set(pairs["symbol"].to_list()) | set(pairs["predecessor_symbol"].to_list())
    frame = _paragraph_frame(paragraphs, extra=("symbol",))
    frame = frame.filter(pl.col("symbol").is_in(list(wanted)))
    norms, codes = _prepare(frame["text"])
    starts: dict[str, list[int]] = defaultdict(list)
    for k, symbol in enumerate(frame["symbol"].to_list()):
        starts[symbol].append(k)
    rows_of = frame.select("kind", "ordinal", "number", "text").rows()
    by_symbol = {
        symbol: _by_kind([rows_of[k] for k in ks], [norms[k] for k in ks], [codes[k] for k in ks])
        for symbol, ks in starts.items()
    }

    steps: list[dict] = []
    rows: list[dict] = []
    for step in pairs.iter_rows(named=True):
        prev = by_symbol.get(step["predecessor_symbol"], {})
        cur = by_symbol.get(step["symbol"], {})
        aligned = _alignment_rows(prev, cur)
        counts: dict[str, int] = defaultdict(int)
        for r in aligned:
            counts[r["status"]] += 1
        steps.append(
            {
                **step,
                "unchanged": counts["unchanged"],
                "changed": counts["changed"],
                "new": counts["new"],
                "dropped": counts["dropped"],
                "paragraphs": sum(len(v) for v in cur.values()),
                "predecessor_paragraphs": sum(len(v) for v in prev.values()),
            }
        )
        head = {"series_id": step["series_id"], "symbol": step["symbol"], "predecessor_symbol": step["predecessor_symbol"]}
        rows.extend({**head, **r} for r in aligned)
    return pl.DataFrame(steps, schema=STEP_SCHEMA), pl.DataFrame(rows, schema=STEP_PARAGRAPH_SCHEMA)
