"""Mandates (:func:`mandates`): addressee rows of operative paragraphs that request or
direct a UN organ or entity, with the report asked for and the session it is due.
"""

from __future__ import annotations

import re

import polars as pl

from transforms.actors.reference import UN_TYPES
from transforms.actors.catalogue import _Catalogue, _catalogue
from transforms.actors.addressees import _Clause, _DIRECTIVE_MANDATE, _actor_rows, _analyse

MANDATE_SCHEMA = {
    "symbol": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "number": pl.Utf8,
    "actor_id": pl.Utf8,
    "entity": pl.Utf8,
    "verb": pl.Utf8,
    "action": pl.Utf8,
    "report_requested": pl.Boolean,
    "report_session": pl.Utf8,
    "report_to": pl.Utf8,
    "position": pl.Int32,  # of the addressee in the paragraph, to tell two mandates of one paragraph apart
}


# -- mandates ----------------------------------------------------------------------

_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}
_TENS_ORD = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
             "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ORD = (
    r"(?:(?:" + "|".join(_TENS) + r")-(?:" + "|".join(k for k in _UNITS if _UNITS[k] < 10) + r")|"
    + "|".join(sorted([*_UNITS, *_TENS_ORD], key=len, reverse=True)) + r"|\d{1,3}(?:st|nd|rd|th))"
)
_SESSIONS = re.compile(
    rf"\b(?P<ords>{_ORD}(?:\s*,\s*{_ORD})*(?:,?\s+and\s+{_ORD})?)\s+(?:(?:regular|substantive|special|resumed)\s+)?"
    r"sessions?\b",
    re.I,
)
# A report asked for, not one referred to: "the report of the Secretary-General",
# "as set out in the report" do not count.
_REPORT_NOUN = r"(?<!in\sthe\s)(?<!of\sthe\s)(?<!in\shis\s)reports?\b(?!\s+of\b)"
_REPORT = re.compile(
    r"\b(?:submit|present|prepare|provide|transmit|issue|produce|make\s+available)\b[^;]{0,150}?" + _REPORT_NOUN
    + r"|(?:^|\bto\s+|\band\s+|\bcontinue\s+to\s+)report(?:ing)?\b"
    r"|\binclude\b[^;]{0,250}?\bin\s+(?:his|her|its|their|the|a|that|this)\s+(?:[\w-]+\s+){0,4}reports?\b"
    r"|\bin\s+(?:his|her|its)\s+(?:[\w-]+\s+){0,3}reports?\b",
    re.I,
)


def _ordinal_value(word: str) -> int | None:
    w = word.lower()
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS_ORD:
        return _TENS_ORD[w]
    if "-" in w:
        tens, unit = w.split("-", 1)
        if tens in _TENS and unit in _UNITS:
            return _TENS[tens] + _UNITS[unit]
    return None


def report_sessions(text: str) -> str | None:
    """ "at its seventy-ninth and eightieth sessions" -> "79, 80"."""
    found: list[int] = []
    for m in _SESSIONS.finditer(text or ""):
        for w in re.findall(_ORD, m.group("ords"), flags=re.I):
            v = _ordinal_value(w)
            if v is not None and v not in found:
                found.append(v)
    return ", ".join(str(v) for v in found) if found else None


def mandates(
    paragraphs: pl.DataFrame, addressees: pl.DataFrame, *, actors: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Operative paragraphs that request or direct a UN entity to act.

    ``addressees`` is the output of :func:`paragraph_actors` (rows with role
    'addressee' are used; a subset selects which mandates are returned).
    ``paragraphs`` supplies the text. One row per (paragraph, addressee, clause)
    with the columns of MANDATE_SCHEMA: ``verb`` lower-cased ("requests", "also
    requests", "calls upon", "decides that ... shall", "decides to request"),
    ``action`` the clause after "to" (or after "shall") up to the end of the
    clause (next directive verb, semicolon or sub-paragraph), whether it asks
    for a report, for which session(s) and to which organ.
    """
    cat = _catalogue(actors)
    wanted = addressees.filter(pl.col("role") == "addressee").select(
        "symbol", "paragraph_ordinal", "actor_id", "position"
    )
    # Whole resolutions, so that "the Office" resolves as it did in paragraph_actors; the
    # directive clauses only of the paragraphs where a UN entity is an addressee.
    ops = paragraphs.join(wanted.select("symbol").unique(), on="symbol", how="semi")
    clause_rows = wanted.filter(_mandated(cat, pl.col("actor_id"))).select(
        "symbol", pl.col("paragraph_ordinal").alias("ordinal"))
    return _mandate_rows(cat, *_analyse(cat, _with_number(ops), clause_rows), wanted)


def actors_and_mandates(
    paragraphs: pl.DataFrame, *, actors: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``paragraph_actors(paragraphs)`` and ``mandates(paragraphs, <its addressees>)`` from one analysis.

    What the enrich step needs: mandates are read from the directive clauses paragraph_actors
    finds, so finding the names, anaphors and clauses once serves both (the analysis is
    per resolution, so the resolutions without an addressee that :func:`mandates` leaves out
    change nothing).
    """
    cat = _catalogue(actors)
    rows, hits, found = _analyse(cat, _with_number(paragraphs))
    found_actors = _actor_rows(rows, hits, found)
    wanted = found_actors.filter(pl.col("role") == "addressee").select(
        "symbol", "paragraph_ordinal", "actor_id", "position")
    return found_actors, _mandate_rows(cat, rows, hits, found, wanted)


def _with_number(paragraphs: pl.DataFrame) -> pl.DataFrame:
    if "number" in paragraphs.columns:
        return paragraphs
    return paragraphs.with_columns(pl.lit(None, dtype=pl.Utf8).alias("number"))


def _mandated(cat: _Catalogue, actor_id: pl.Expr) -> pl.Expr:
    """Actors a mandate can go to: UN organs and entities and the UN system, not the Assembly or its officers."""
    ids = [a for a, row in cat.info.items()
           if (row.get("actor_type") in UN_TYPES or a == "un_system") and a not in _NOT_MANDATED]
    return actor_id.is_in(pl.Series(ids, dtype=pl.Utf8).implode())


def _mandate_rows(cat: _Catalogue, rows: pl.DataFrame, hits: pl.DataFrame, found: list[tuple],
                  wanted: pl.DataFrame) -> pl.DataFrame:
    """The mandates (MANDATE_SCHEMA) among the addressee rows ``found`` by :func:`_analyse` that
    ``wanted`` (symbol, paragraph_ordinal, actor_id, position) lists."""
    keep = {(s, o, a, p) for s, o, a, p in wanted.iter_rows()}
    candidates = [f for f in found if not (f[1] == "general_assembly" and f[3] is None)
                  and (cat.info.get(f[1], {}).get("actor_type") in UN_TYPES or f[1] == "un_system")
                  and f[1] not in _NOT_MANDATED]
    used = pl.Series("_row", sorted({f[0] for f in candidates}), dtype=pl.UInt32)
    info = {r: (s, o, n, t) for r, s, o, n, t in rows.filter(pl.col("_row").is_in(used.implode()))
            .select("_row", "symbol", "ordinal", "number", "text").iter_rows()}
    per_row_hits: dict[int, list[tuple]] = {}
    row_hits = hits.filter(pl.col("_row").is_in(used.implode())).select("_row", "start", "actor_id", "matched_text")
    for r, s, aid, t in row_hits.sort(["_row", "start"]).iter_rows():
        per_row_hits.setdefault(r, []).append((s, aid, t))
    out = []
    for r, aid, label, text_hit, pos, cl in candidates:
        symbol, ordinal, number, text = info[r]
        if (symbol, ordinal, aid, pos) not in keep:
            continue
        verb = label.lower()
        if not _DIRECTIVE_MANDATE.search(verb):
            continue
        if cl.that and re.search(r"\bdecides?$", cl.verb_text.lower()):
            verb = f"{verb} that ... {cl.modal}" if cl.modal else f"{verb} that"
        action = _action_text(text, cl)
        # Every alternative of _REPORT spells "report" (no letter of it has another case form
        # under re.I), so an action without it is no report, and the slow regex is spared.
        report = bool(action and "report" in action.lower() and _REPORT.search(action))
        session = report_sessions(action) if report else None
        report_to = _report_to(cat, action, cl, per_row_hits.get(r, [])) if report else None
        out.append((symbol, ordinal, number, aid, cat.info[aid]["name"], verb, action, report, session, report_to, pos))
    return pl.DataFrame(out, schema=MANDATE_SCHEMA, orient="row").sort(["symbol", "paragraph_ordinal", "position"])


_NOT_MANDATED = frozenset({
    "general_assembly", "main_committee_chair", "main_committee_vice_chair", "main_committee_rapporteur",
    "main_committee_bureau",
})


def _action_text(text: str, cl: _Clause) -> str | None:
    if cl.action_start is None:
        return None
    body = text[cl.action_start: cl.end]
    nl = body.find("\n")
    if nl >= 0:
        body = body[:nl]
    body = re.sub(r"(?:[\s,]+(?:and|or|and\s+also))+$", "", body.strip().rstrip(" ,;.:"))
    return body.rstrip(" ,;.:") or None


def _report_to(cat: _Catalogue, action: str, cl: _Clause, row_hits: list[tuple]) -> str | None:
    """The organ a report goes to: "to the General Assembly", "to the Human Rights Council", "to it"."""
    for s, aid, t in row_hits:
        if cl.action_start is None or s < cl.action_start or s >= cl.action_start + len(action):
            continue
        before = action[: s - cl.action_start]
        if re.search(r"\bto\s+(?:the\s+)?$", before) and cat.info.get(aid, {}).get("actor_type") in UN_TYPES:
            return cat.info[aid]["name"]
    if re.search(r"\bto\s+it\b|\bat\s+its\s+[\w-]+\s+(?:regular\s+)?session", action):
        return cat.info["general_assembly"]["name"]
    return None


