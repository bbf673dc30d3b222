"""Read DGACM's metadata extracts: one JSON object per line, one line per resolution.

The extracts (``data/landing/ga-akn/metadata/NN.json``, NN = session) describe
each resolution as the Secretariat catalogued it: adoption meeting and date,
committee, agenda items, vote, sponsors, SDGs and subject terms. They are a
second witness next to the AKN4UN documents, so this module keeps what they say
and only evens out how they say it. The rules below were written against the
files of sessions 74-79; the surprises they handle:

* **Dates** come as ``2019-12-18 00:00:00`` (74.json, and one line of 75.json)
  or ``16 December 2020``, often with a non-breaking space after the day
  (78.json, 79.json). ``transforms.symbols.parse_date`` reads all of them.
* **Collections**: one line can stand for several resolutions
  (``A/RES/75/254 A-C``); it becomes one row per part, each keeping the printed
  symbol in ``metadata_symbol`` so a row can be traced back to its line.
* **Duplicates**: 79.json repeats lines verbatim and also carries second,
  different rows for symbols it already listed (later rows add
  ``additional_sponsors`` and sometimes drop ``SDGs``). The first row wins and
  every later one is reported with its whole raw line, so nothing is lost
  silently and a later merge policy can be decided on the evidence.
* **Votes**: ``adoption_type`` is "Without a vote" or "By a recorded vote"; one
  line of 79.json has it empty (with ``voting_type`` empty too), and 78/79
  carry a ``voting_type`` ("adoptedWithoutVote"...) used as a fallback. From 75
  on, resolutions adopted without a vote carry counts of "0", where 74.json
  writes "N.A.": a count of zero there is a placeholder, not a vote, so counts
  are kept for recorded votes only. 74.json also writes "N.A." instead of 0 for
  an empty side of a recorded vote (nobody against); there the count is taken
  from the list of States, which is empty.
* **Lists** can repeat a name (``additional_sponsors`` of 74/87, the voter
  lists of 75/290 A are doubled) or hold an empty string (79/273); a State is
  listed once, empty entries are dropped.
* **Committees** are named in words, except five rows of 78.json that write the
  AKN reference ``#fifthCommittee``; those are translated.
* **Empty values**: "N.A." and "" both mean "not given" (``report_paragraph``,
  an empty ``title`` for 79/9, an empty ``agenda_item_name``) and become null.

Left as written, because they are facts about the source for later checks to
report rather than spelling to guess at: State names (upper case; 79.json
spells Türkiye three ways, one of them the mis-encoded "TÜRKÝYE"), counts that
disagree with their lists (77/293), agenda-document references among the
subject terms (["13", "A/78/251"]) and the odd ``originating_document``.
``pv`` and ``resolution_number`` are not carried: the symbol says the latter
better, and two lines of 79.json hold an adoption note in ``pv``.

``line_number`` counts every line of the file from 1, blank ones included;
``row_sha256`` hashes the line's UTF-8 text without its line ending, so a row
can be matched to the exact bytes it came from. A line whose date is missing
("N.A.") is kept with a null ``adopted_on`` when its symbol names the session;
a date that is present but unreadable drops the line.

Problems with single lines (invalid JSON, no symbol, unreadable symbol or date,
duplicates) are returned, never raised: one bad line must not keep the other
three hundred resolutions out of the warehouse. ``ParseError`` is raised only
when the file as a whole cannot be read.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from typing import Any

import polars as pl

from transforms.model import ParseError
from transforms.symbols import SymbolError, expand_symbol, parse_date, parse_symbol, session_of

SCHEMA: dict[str, pl.DataType] = {
    "symbol": pl.Utf8,
    "metadata_symbol": pl.Utf8,
    "session": pl.Int32,
    "title": pl.Utf8,
    "adopted_on": pl.Date,
    "adoption_meeting": pl.Utf8,
    "meeting_number": pl.Int32,
    "committee": pl.Utf8,
    "agenda_items": pl.List(pl.Utf8),
    "agenda_item_name": pl.Utf8,
    "originating_document": pl.Utf8,
    "report_paragraph": pl.Utf8,
    "vote_outcome": pl.Utf8,
    "votes_in_favour": pl.Int32,
    "votes_against": pl.Int32,
    "votes_abstaining": pl.Int32,
    "voters_in_favour": pl.List(pl.Utf8),
    "voters_against": pl.List(pl.Utf8),
    "voters_abstaining": pl.List(pl.Utf8),
    "sponsors": pl.List(pl.Utf8),
    "additional_sponsors": pl.List(pl.Utf8),
    "sdgs": pl.List(pl.Utf8),
    "subjects": pl.List(pl.Struct({"term": pl.Utf8, "source": pl.Utf8})),
    "line_number": pl.Int32,
    "row_sha256": pl.Utf8,
}

# Values DGACM writes for "nothing here".
_MISSING = {"", "N.A.", "N.A", "NA", "N/A", "NONE", "NULL", "-"}

# The AKN reference form of committee names, as 78.json writes five of them
# ("#fifthCommittee"); translated to the words every other row uses.
_COMMITTEE_REFS = {
    "firstcommittee": "First Committee",
    "secondcommittee": "Second Committee",
    "thirdcommittee": "Third Committee",
    "fourthcommittee": "Fourth Committee",
    "fifthcommittee": "Fifth Committee",
    "sixthcommittee": "Sixth Committee",
    "nomaincommittee": "Without reference to a Main Committee",
}

# Sides of a vote: output column suffix -> (count field, list field).
_VOTE_SIDES = {
    "in_favour": ("MS_in_favour_count", "MS_in_favour"),
    "against": ("MS_against_count", "MS_against"),
    "abstaining": ("MS_abstaining_count", "MS_abstaining"),
}

_WS = re.compile(r"\s+")  # str patterns match NBSP (78, 79) and U+202F (79) as well
# Zero-width characters and the soft hyphen: invisible in print, noise in keys.
_INVISIBLE = {c: None for c in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)}
_AGENDA_PREFIX = re.compile(r"^agenda\s+items?\b[\s:.]*", re.IGNORECASE)
_AGENDA_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
_SUBITEM = re.compile(r"^(\d+)\s*(\([a-z]{1,3}\))$", re.IGNORECASE)
_MEETING_NUMBER = re.compile(r"^(\d+)")


# -- values ----------------------------------------------------------------------


def _squash(text: str) -> str:
    """Collapse whitespace runs (non-breaking spaces included) to one space and strip.

    Only whitespace is touched: ``transforms.text.normalise`` also closes the
    space before colons, which would turn the catalogue heading
    "UN. High-Level ... (2023 : New York)" into a string the library's
    authority file does not hold. Comparisons with the documents' text use
    ``transforms.text.comparable`` downstream.
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text).translate(_INVISIBLE)).strip()


def _text(value: Any) -> str | None:
    """A string with whitespace normalised, or None for DGACM's "not given" values."""
    if value is None or isinstance(value, (list, dict)):
        return None
    s = _squash(str(value))
    return None if s.upper() in _MISSING else s


def _text_list(value: Any) -> list[str]:
    """A list of distinct, non-empty, normalised strings in their first order.

    A single string is taken as a one-element list rather than lost.
    """
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = (_text(v) for v in items if not isinstance(v, (list, dict)))
    return list(dict.fromkeys(v for v in out if v))


def _subjects(value: Any) -> list[dict[str, str | None]]:
    """[[term, source], ...] as structs; a bare term gets no source; repeats dropped."""
    if not isinstance(value, list):
        return []
    seen: dict[tuple, dict] = {}
    for item in value:
        if isinstance(item, (list, tuple)):
            term = _text(item[0]) if item else None
            source = _text(item[1]) if len(item) > 1 else None
        else:
            term, source = _text(item), None
        if term:
            seen.setdefault((term, source), {"term": term, "source": source})
    return list(seen.values())


def _count(value: Any) -> int | None:
    """A vote count: an integer, or None for "N.A." and anything that is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    s = _text(value)
    if s and re.fullmatch(r"\d+", s.replace(",", "")):
        return int(s.replace(",", ""))
    return None


def _committee(value: Any) -> str | None:
    s = _text(value)
    if s is None:
        return None
    return _COMMITTEE_REFS.get(s.lstrip("#").lower(), s)


def _agenda_items(value: Any) -> list[str]:
    """ "Agenda items 13 and 75 (a)" -> ["13", "75 (a)"]; "Agenda item 107" -> ["107"].

    The sub-item letter stays with the number it follows; "75(a)" is spaced as
    the metadata usually prints it, "75 (a)".
    """
    s = _text(value)
    if s is None:
        return []
    s = _AGENDA_PREFIX.sub("", s)
    items = []
    for part in _AGENDA_SPLIT.split(s):
        part = part.strip(" .")
        if not part:
            continue
        m = _SUBITEM.match(part)
        items.append(f"{m.group(1)} {m.group(2).lower()}" if m else part)
    return list(dict.fromkeys(items))


def _meeting(value: Any) -> tuple[str | None, int | None]:
    """ "15th  Plenary meeting" -> ("15th plenary meeting", 15). "(resumed)" is kept."""
    s = _text(value)
    if s is None:
        return None, None
    s = s.lower()
    m = _MEETING_NUMBER.match(s)
    return s, int(m.group(1)) if m else None


def _vote_outcome(obj: dict) -> str | None:
    """Read the outcome from ``adoption_type``, then ``voting_type``, then the vote itself.

    A line that names no outcome but lists votes or counts for a side was a
    recorded vote: nothing else produces a tally.
    """
    for field in ("adoption_type", "voting_type"):
        s = (_text(obj.get(field)) or "").lower().replace(" ", "")
        if "without" in s:
            return "without_vote"
        if "recorded" in s:
            return "recorded_vote"
    for count_field, list_field in _VOTE_SIDES.values():
        if (_count(obj.get(count_field)) or 0) > 0 or _text_list(obj.get(list_field)):
            return "recorded_vote"
    return None


def _votes(obj: dict, outcome: str | None) -> dict[str, Any]:
    """Counts and voter lists for the three sides of the vote.

    Counts are kept for recorded votes only: resolutions adopted without a vote
    carry "0" from session 75 on and "N.A." in 74, and neither is a tally. In a
    recorded vote a missing count ("N.A.", as 74.json writes for a side nobody
    took) is the number of States listed for that side. Where a count and its
    list disagree (75/254 A-C lists nobody, 77/293 lists 58 abstentions for a
    count of 59) the printed count is kept: it is the figure of the record.
    """
    out: dict[str, Any] = {}
    for side, (count_field, list_field) in _VOTE_SIDES.items():
        voters = _text_list(obj.get(list_field))
        count = _count(obj.get(count_field))
        if outcome != "recorded_vote":
            count = None
        elif count is None:
            count = len(voters)
        out[f"votes_{side}"] = count
        out[f"voters_{side}"] = voters
    return out


# -- lines -----------------------------------------------------------------------


def _problem(line_number: int, symbol: str | None, problem: str, raw: str) -> dict:
    return {"line_number": line_number, "symbol": symbol, "problem": problem, "raw": raw}


def _differing_fields(first: dict, second: dict) -> list[str]:
    return sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))


def _decode(data: bytes, name: str) -> str:
    """The file as text, or ParseError when it is empty, binary or not UTF-8."""
    if not isinstance(data, (bytes, bytearray)):
        raise ParseError(f"{name}: expected bytes, got {type(data).__name__}")
    if not data.strip():
        raise ParseError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise ParseError(f"{name}: the file is binary (it contains NUL bytes), not JSON lines")
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ParseError(f"{name}: not UTF-8 text (byte {e.start}, line {line}): {e.reason}") from e


def _lines(text: str):
    """(line_number, line) pairs, split on newlines only.

    ``str.splitlines`` would also split on U+2028, U+0085 and form feeds, which
    JSON allows raw inside strings; a title containing one must not become two
    broken lines.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line.removesuffix("\r")


def parse_metadata_jsonl(data: bytes, name: str = "<bytes>") -> tuple[pl.DataFrame, list[dict]]:
    """Return (rows, problems) for one DGACM metadata extract.

    rows has one row per resolution symbol (collections expanded), with the
    columns and dtypes of ``SCHEMA``. problems lists every line that did not
    become a row, or did not fully, as dicts with ``line_number``, ``symbol``
    (the printed symbol, when readable), ``problem`` (a sentence) and ``raw``
    (the whole line, so that nothing is lost).

    Raises ParseError when the file as a whole cannot be read: empty, binary,
    not UTF-8, or not a single line that yields a row.
    """
    text = _decode(data, name)
    rows: list[dict] = []
    problems: list[dict] = []
    content_seen: dict[str, int] = {}  # canonical JSON -> first line number
    symbol_seen: dict[str, tuple[int, dict]] = {}  # symbol -> (line number, object)
    json_lines = 0

    for number, raw in _lines(text):
        if not raw.strip():
            continue  # blank lines (the final newline included) carry nothing
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(_problem(number, None, f"not valid JSON: {e}", raw))
            continue
        json_lines += 1
        if not isinstance(obj, dict):
            problems.append(_problem(number, None, f"not a JSON object but a {type(obj).__name__}", raw))
            continue

        printed = _text(obj.get("symbol"))
        # Same content, however serialised: the line adds nothing.
        canonical = json.dumps(obj, sort_keys=True, ensure_ascii=False)
        if canonical in content_seen:
            problems.append(_problem(number, printed, f"duplicate of line {content_seen[canonical]}", raw))
            continue
        content_seen[canonical] = number

        if printed is None:
            problems.append(_problem(number, None, "no symbol: the line names no resolution", raw))
            continue
        try:
            _, label, _, _ = parse_symbol(printed)
            symbols = expand_symbol(printed)
        except SymbolError as e:
            problems.append(_problem(number, printed, f"unreadable symbol: {e}", raw))
            continue
        try:
            adopted_on = parse_date(obj.get("adoption_date"))
        except (ValueError, TypeError) as e:
            problems.append(
                _problem(number, printed, f"unreadable adoption date {obj.get('adoption_date')!r}: {e}", raw)
            )
            continue
        try:
            session = session_of(label, adopted_on)
        except SymbolError as e:
            problems.append(_problem(number, printed, f"no session: {e}", raw))
            continue

        # A symbol listed twice with different content: keep the first row and
        # hand back the second whole, naming what differs.
        clashes = [s for s in symbols if s in symbol_seen]
        if clashes:
            first_line, first_obj = symbol_seen[clashes[0]]
            fields = ", ".join(_differing_fields(first_obj, obj)) or "nothing"
            kept = "; its other parts are kept" if len(clashes) < len(symbols) else ""
            problems.append(
                _problem(
                    number,
                    printed,
                    f"second row for {', '.join(clashes)} (first at line {first_line}), "
                    f"differing in {fields}; the row at line {first_line} is kept{kept}",
                    raw,
                )
            )
            symbols = [s for s in symbols if s not in symbol_seen]
            if not symbols:
                continue

        meeting, meeting_number = _meeting(obj.get("adoption_meeting"))
        outcome = _vote_outcome(obj)
        common = {
            "metadata_symbol": printed,
            "session": session,
            "title": _text(obj.get("title")),
            "adopted_on": adopted_on,
            "adoption_meeting": meeting,
            "meeting_number": meeting_number,
            "committee": _committee(obj.get("committee")),
            "agenda_items": _agenda_items(obj.get("agenda_item")),
            "agenda_item_name": _text(obj.get("agenda_item_name")),
            "originating_document": _text(obj.get("originating_document")),
            "report_paragraph": _text(obj.get("report_paragraph")),
            "vote_outcome": outcome,
            **_votes(obj, outcome),
            "sponsors": _text_list(obj.get("sponsors")),
            "additional_sponsors": _text_list(obj.get("additional_sponsors")),
            "sdgs": _text_list(obj.get("SDGs")),
            "subjects": _subjects(obj.get("subjects")),
            "line_number": number,
            "row_sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        }
        for symbol in symbols:
            symbol_seen[symbol] = (number, obj)
            rows.append({"symbol": symbol, **common})

    if not rows:
        detail = f"; first problem: line {problems[0]['line_number']}: {problems[0]['problem']}" if problems else ""
        what = "no line is valid JSON" if json_lines == 0 else "no line describes a readable resolution"
        raise ParseError(f"{name}: {what}{detail}")
    frame = pl.DataFrame(rows, schema=SCHEMA)
    return frame, problems


def line_sessions(data: bytes, name: str = "<bytes>") -> list[tuple[int, str | None, int | None]]:
    """(line number, printed symbol, session) for every JSON object line of an extract.

    A cheap reading for placing the file: no columns are built. The session is the
    line's own: the one its symbol names (A/RES/78/229), or for a special or emergency
    special session (A/RES/ES-11/4) the regular session in progress at its adoption
    date, the rule ``parse_metadata_jsonl`` applies to its rows. None when the symbol
    or the date cannot be read: such a line is a problem of the full parse. Raises
    ParseError when the file as a whole cannot be read (empty, binary, not UTF-8).
    """
    text = _decode(data, name)
    out = []
    for number, raw in _lines(text):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if not isinstance(obj, dict):
            continue
        printed = _text(obj.get("symbol"))
        session = None
        if printed is not None:
            try:
                _, label, _, _ = parse_symbol(printed)
                session = session_of(label, parse_date(obj.get("adoption_date")))
            except (SymbolError, ValueError, TypeError):
                session = None
        out.append((number, printed, session))
    return out


def open_sessions(lines: list[tuple[int, str | None, int | None]], open_session: int) -> list[int]:
    """The sessions an extract's lines belong to, leaving out those that have not opened yet."""
    return sorted({s for _, _, s in lines if s is not None and 1 <= s <= open_session})


def metadata_session(lines: list[tuple[int, str | None, int | None]], open_session: int) -> int | None:
    """The session an extract's problems go to when their own line names none.

    The session most of its lines belong to (ties to the earlier, so the answer does
    not depend on line order), among sessions already open; None when no line names
    one. The file's name is never asked: a file named 78.json may hold anything.
    """
    counts = Counter(s for _, _, s in lines if s is not None and 1 <= s <= open_session)
    if not counts:
        return None
    return min(counts, key=lambda s: (-counts[s], s))


def rows_of_session(rows: pl.DataFrame, problems: list[dict], lines: list[tuple[int, str | None, int | None]],
                    session: int, open_session: int) -> tuple[pl.DataFrame, list[dict]]:
    """The rows and problems of an extract that belong to one session.

    An extract may span sessions (ES-10.json: resolutions of sessions 78 and 79), and
    the staging of each session reads it whole, so each row is kept by the session of
    its own resolution only, and each problem once: in the session of its line when the
    line names an open one, otherwise in ``metadata_session`` (a line that is not JSON
    names no session, yet must be reported once).
    """
    by_line = {n: s for n, _, s in lines}
    home = metadata_session(lines, open_session)

    def problem_session(p: dict) -> int | None:
        s = by_line.get(p["line_number"])
        return s if s is not None and 1 <= s <= open_session else home

    return (rows.filter(pl.col("session") == session),
            [p for p in problems if problem_session(p) == session])
