"""Instruments and documents that resolution paragraphs cite, found in their text.

Two kinds of thing are cited:

* **documents with a symbol**: resolutions of the General Assembly, the Economic and
  Social Council, the Security Council, the Human Rights Council, the Commission on
  Crime Prevention and Criminal Justice (CCPCJ), the Commission on Narcotic Drugs (CND)
  and the Conferences of the Parties to the Organized Crime and Corruption Conventions,
  and documents ("A/78/264", "A/CONF.234/16"). :func:`cited_documents` finds them with
  regular expressions and normalises their identifier ("resolutions 69/193 and 69/196 of
  18 December 2014" is A/RES/69/193 and A/RES/69/196, both dated 2014-12-18).
* **named instruments** (conventions, protocols, rules, declarations, programmes of action,
  agendas) from the registry ``transforms/reference/instruments.yaml``:
  :func:`named_instruments` finds their names and aliases (Aho-Corasick, longest match
  first, on word boundaries), the footnotes that cite them in the United Nations Treaty
  Series ("United Nations, Treaty Series, vol. 2225, No. 39574"; "Ibid., vol. 976,
  No. 14152" resolved through the footnotes before it), and the footnotes that cite their
  adopting resolution ("Resolution 70/175, annex").

:func:`paragraph_instruments` puts both together as a dimension and a paragraph bridge, with
the relation the paragraph states (recalls, reaffirms, urges ratification...).

Everything is vectorised with Polars: regexes run through ``str.replace_all``/``str.split``
(which gives every match *and* its character offset), registry names through
``str.find_many``/``str.extract_many``. No Python loop runs over paragraphs or patterns.

Who issued a "resolution N/M" is read from the words before it in the same sentence (see
``_ISSUERS``); a number the issuer cannot have issued (CCPCJ has held 34 sessions) is not
given to it. An unattributed "resolution N/M" with 31 <= N <= 99 is the General Assembly's
(before its thirty-first session the Assembly numbered resolutions "1514 (XV)").
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import yaml
from pydantic import ValidationError

from transforms import reference_models as rm
from transforms import yamlio
from transforms.reference_models import (  # noqa: F401  (INSTRUMENT_TYPES: part of this module's API)
    INSTRUMENT_MESSAGES,
    INSTRUMENT_TYPES,
    InstrumentModel,
)

REGISTRY = Path(__file__).with_name("reference") / "instruments.yaml"

DOCUMENT_TYPES = (
    "ga_resolution", "ecosoc_resolution", "ccpcj_resolution", "cnd_resolution", "cop_resolution",
    "sc_resolution", "hrc_resolution", "document",
)
RELATIONS = (
    "recalls", "reaffirms", "welcomes", "takes_note", "notes", "urges_ratification",
    "calls_for_implementation", "requests", "decides", "other",
)

REGISTRY_SCHEMA = {
    "instrument_id": pl.Utf8,
    "name": pl.Utf8,
    "type": pl.Utf8,
    "year": pl.Int32,
    "aliases": pl.List(pl.Utf8),
    "treaty_series": pl.List(pl.Utf8),
    "footnote_refs": pl.List(pl.Utf8),
    "parent": pl.Utf8,
    "adopted_by": pl.Utf8,
    "source": pl.Utf8,
}
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

# Highest session number each body could have printed by 2025 (with a little headroom):
# a number above it is not that body's resolution. CCPCJ held its 34th session in 2025,
# CND its 68th, the Human Rights Council its 60th; the UNTOC Conference of the Parties
# its 12th (2024), the UNCAC Conference of the States Parties its 11th (2025).
_MAX_SESSION = {"ccpcj": 36, "cnd": 70, "hrc": 65, "cop_untoc": 14, "cosp_uncac": 13, "ga": 99}
# Nor has any of them adopted more than a few dozen resolutions at one session: "56/266" is
# the Assembly's even where the Human Rights Council is named before it.
_MAX_NUMBER = {"ccpcj": 30, "cnd": 30, "hrc": 99, "cop_untoc": 30, "cosp_uncac": 30}
_GA_LAST_ROMAN_SESSION = 30  # "3474 (XXX)"; "990 (LIV)" is another body's
_GA_FIRST_TWO_PART_SESSION = 31  # "31/20" (1976) onwards; earlier resolutions are "1514 (XV)"

_ID_RE = rm.SNAKE_CASE
_TS_RE = rm.TREATY_SERIES
_SEP = "\x00"  # marks regex matches for the split trick; removed from input text first


# -- registry ------------------------------------------------------------------------------
def load_registry(path: str | Path | None = None) -> pl.DataFrame:
    """The instrument registry as a frame (one row per instrument), validated.

    Raises ValueError naming every problem: a missing or unknown field, a duplicate id, a
    type outside INSTRUMENT_TYPES, a parent that is not in the registry, a missing source,
    a malformed Treaty Series reference, or an alias, Treaty Series reference or footnote
    reference claimed by two instruments.
    """
    path = Path(path) if path is not None else REGISTRY
    try:
        data = yamlio.read(path)
    except OSError as exc:
        raise ValueError(f"instrument registry {path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ValueError(f"instrument registry {path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("instruments"), list):
        raise ValueError(f"instrument registry {path}: expected a mapping with a list under 'instruments'")
    rows, problems = _validate(data["instruments"])
    if problems:
        raise ValueError(f"instrument registry {path} is invalid:\n  - " + "\n  - ".join(problems))
    return pl.DataFrame(rows, schema=REGISTRY_SCHEMA, orient="row")


def _validate(entries: list) -> tuple[list[tuple], list[str]]:
    """Each entry through :class:`InstrumentModel`, then what spans entries: duplicate ids,
    an alias, Treaty Series reference or footnote reference claimed by two instruments,
    parents missing or in a circle."""
    problems: list[str] = []
    rows: list[tuple] = []
    ids: dict[str, int] = {}
    claimed: dict[tuple[str, str], str] = {}  # (what, value) -> instrument_id

    def claim(what: str, value: str, iid: str) -> None:
        key = (what, value)
        if key in claimed and claimed[key] != iid:
            problems.append(f"{what} {value!r} is claimed by both {claimed[key]!r} and {iid!r}")
        claimed.setdefault(key, iid)

    for i, e in enumerate(entries, start=1):
        where = f"entry {i}"
        if not isinstance(e, dict):
            problems.append(f"{where}: not a mapping")
            continue
        iid = e.get("instrument_id")
        if isinstance(iid, str):
            where = f"entry {i} ({iid})"
        if isinstance(iid, str) and _ID_RE.match(iid):
            if iid in ids:
                problems.append(f"{where}: duplicate instrument_id (also entry {ids[iid]})")
            ids.setdefault(iid, i)
            if e.get("parent") == iid:
                problems.append(f"{where}: an instrument cannot be its own parent")
        try:
            m = InstrumentModel.model_validate(e)
        except ValidationError as exc:
            problems += rm.problems(exc, where, INSTRUMENT_MESSAGES)
            continue
        aliases = list(dict.fromkeys([m.name, *m.aliases]))
        for alias in aliases:
            claim("alias", alias, m.instrument_id)
        for ts in m.treaty_series:
            v, n = _TS_RE.match(ts).groups()
            claim("treaty_series", f"vol. {int(v)}, No. {int(n)}", m.instrument_id)
        for ref in m.footnote_refs:
            claim("footnote_ref", ref, m.instrument_id)
        rows.append((m.instrument_id, m.name, m.type, m.year, aliases, list(m.treaty_series), list(m.footnote_refs),
                     m.parent, m.adopted_by if isinstance(m.adopted_by, str) else None, m.source))
    parents = {row[0]: row[7] for row in rows}
    for row in rows:
        if row[7] is not None and row[7] not in ids:
            problems.append(f"entry {ids[row[0]]} ({row[0]}): parent {row[7]!r} is not in the registry")
        seen, at = {row[0]}, parents.get(row[0])
        while at is not None and at in parents and at not in seen:
            seen.add(at)
            at = parents[at]
        if at is not None and at in seen and row[7] != row[0]:  # (its own parent is reported above)
            problems.append(f"entry {ids[row[0]]} ({row[0]}): its chain of parents runs in a circle")
    return rows, problems


# -- shared helpers -------------------------------------------------------------------------
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

    Aho-Corasick through ``find_many``/``extract_many``; patterns are tried longest first,
    so "Optional Protocol to the Convention on the Rights of the Child on ..." wins over
    the "Convention on the Rights of the Child" inside it.
    """
    empty = pl.DataFrame(schema={"_row": pl.UInt32, "match": pl.Utf8, "position": pl.Int32})
    if frame.is_empty() or not patterns:
        return empty
    ordered = sorted(set(patterns), key=lambda p: (-len(p), p))
    found = (
        frame.select(
            "_row", "text",
            pl.col("text").str.find_many(ordered, leftmost=True).alias("_byte"),
            pl.col("text").str.extract_many(ordered, leftmost=True).alias("match"),
        )
        .filter(pl.col("match").list.len() > 0)
        .explode("_byte", "match")
    )
    if found.is_empty():
        return empty
    found = found.with_columns(
        pl.col("text").cast(pl.Binary).bin.head(pl.col("_byte")).cast(pl.Utf8).str.len_chars()
        .cast(pl.Int32).alias("position")
    )
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


# -- cited documents -----------------------------------------------------------------------
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}"
# 74/172, 67/234 B, ES-11/1, S-32/1, 2017/19 | 1373 (2001) | 2200 A (XXI), 1514 (XV), 1874 (S-IV)
# Parts: "67/234 B", "36/87 A and B", "51/211 A to E", "53/77 AA".
_PARTS = r"[A-Z]{1,2}(?:(?:\s(?:and|to)\s|\s?-\s?|,\s)[A-Z]{1,2})*\b"
_NUM = (rf"(?:(?:E?S-)?\d{{1,4}}/\d{{1,4}}(?:\s{_PARTS})?"
        r"|\d{1,4}\s?\(\d{4}\)"
        r"|\d{1,4}(?:\s[A-H])?\s?\((?:S-)?[IVXL]+\))")
_SECTION = r"(?:,\s+(?:section|part)\s+[IVXLC]+[A-Z]?,?)?"  # "45/248 B, section VI, of 21 December 1990"
_ITEM = rf"{_NUM}{_SECTION}(?:,?\s+(?:of|on)\s+{_DATE})?"
_LIST_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
# Between the numbers of a list: a title or a subject ("74/306 of 11 September 2020, entitled
# “...”, 74/307 ..."; "78/132 of 19 December 2023 on information and communications
# technologies for sustainable development, 78/160 ..."; "60/251 of 15 March 2006, by which it
# established the Human Rights Council, and 65/281 ..."). A subject never crosses a "/", so it
# cannot swallow another body's "resolution 5/1".
_TAIL = r"(?:,?\s+entitled\s+“[^”]{0,300}”|\s+on\s+[^;/“”]{1,200}?|,\s+(?:by|in|through) which\s+[^;/“”]{1,200}?)?"
_GROUP = rf"\b[Rr]esolutions?\s+{_ITEM}(?:{_TAIL}{_LIST_SEP}{_ITEM})*"
_ITEM_PARTS = (
    rf"^(?:(?P<ses>(?:E?S-)?\d{{1,4}})/(?P<num>\d{{1,4}})(?:\s(?P<part>{_PARTS}))?"
    r"|(?P<scn>\d{1,4})\s?\((?P<scy>\d{4})\)"
    r"|(?P<ron>\d{1,4})(?:\s(?P<rop>[A-H]))?\s?\((?P<ros>(?:S-)?[IVXL]+)\))"
    rf"{_SECTION}(?:,?\s+(?:of|on)\s+(?P<date>{_DATE}))?"
)

# Who issues resolutions, as the words before "resolution" name them. Order matters where
# two alternatives start at the same place (the specific Conference before the generic).
_ISSUERS: list[tuple[str, str]] = [
    ("cop_untoc", r"Conference of the Parties to the United Nations Convention against Transnational Organized Crime"),
    ("cosp_uncac", r"Conference of the States Parties to the United Nations Convention against Corruption"),
    # A footnote citing a body's report names the body by the report's symbol: "Official
    # Records of the General Assembly, ..., Supplement No. 53A (A/74/53/Add.1), chap. III,
    # resolution 42/12" is the Human Rights Council's; E/yyyy/30 is CCPCJ's report, E/yyyy/28
    # CND's, E/yyyy/27 the Commission on the Status of Women's, A/nn/25 UNEP's.
    ("ccpcj", r"Commission on Crime Prevention and Criminal Justice|\(E/\d{4}/30\b[^)]*\)"),
    ("cnd", r"Commission on Narcotic Drugs|\(E/\d{4}/28\b[^)]*\)"),
    ("ecosoc", r"Economic and Social Council"),
    ("sc", r"Security Council"),
    ("hrc", r"Human Rights Council|\(A/\d+/53\b[^)]*\)"),
    # Other bodies that number resolutions "N/M" or "YYYY/N": their numbers are not extracted
    # and must not fall to the Assembly. Bodies numbering otherwise (WHA72.3, IMO A.1090(28),
    # UNESCO 40 C/...) need no entry: their numbers do not look like the Assembly's.
    ("other", r"Commission on Human Rights|Commission on the Status of Women|Commission on Population and "
              r"Development|Commission for Social Development|Commission on Sustainable Development|Commission "
              r"on Science and Technology for Development|Statistical Commission|[A-Z][a-z]+ (?:Tuna|Fisheries) "
              r"Commission|(?:United Nations )?Environment Assembly|UN-Habitat Assembly|Assembly of States Parties|"
              r"World Health Assembly|Food and Agriculture Organization|Governing Council|Executive Board|Trusteeship "
              r"Council|Conference of the (?:States )?Parties|Meeting of (?:the )?States Parties|"
              r"\(E/\d{4}/27\b[^)]*\)|\(A/\d+/25\b[^)]*\)"),
    ("council", r"Council"),
    ("ga", r"General Assembly|Assembly"),
]
_OTHER = dict(_ISSUERS)["other"]
# A new clause or sentence: an issuer named before it no longer counts. The window before a
# citation is cut after the last one (keeping the capital that opens the sentence).
_BREAK = r"(?s)^.*(?:;|\n|\.\s+([A-Z][a-z]))"
_ITS_DIRECT = r"\b(?:in|by|through|under)\s+(?:paragraph\s+\S+\s+of\s+)?its\s+$"  # "the Council, in its resolution"
_ITS = r"\b[Ii]ts\s+$"  # "Recalling its resolution": the Assembly's own
_ISSUER_TOKENS = "|".join([f"(?:{_ITS_DIRECT})", f"(?:{_ITS})"] + [f"(?:{p})" for _, p in _ISSUERS])
# "resolution 8/12 of 20 December 2019, entitled “...”, of the Conference of the States Parties ..."
_ISSUER_AFTER = (r"^(?:,?\s+entitled\s+“[^”]*”)?,?\s+(?:of|by)\s+the\s+("
                 + "|".join(p for _, p in _ISSUERS) + ")")
_WINDOW = 400  # characters before a citation searched for its issuer



def _roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


_ROMAN = {_roman(n): n for n in range(1, 100)}  # "XXI" -> 21: the session of "2200 A (XXI)"

# A document symbol: at least three parts ("A/78/264", "CTOC/COP/2022/9", "A/CONF.234/16",
# "E/CN.15/2019/5", "ICCD/COP(14)/23/Add.1", "A/ES-10/273"), a Security Council year kept.
_DOC = (r"\b[A-Z][A-Z0-9]{0,9}(?:\.\d+)?"
        r"(?:/(?:[A-Z]+(?:-[A-Z]+)+|(?:[A-Z]{1,2}-)?[A-Za-z0-9][A-Za-z0-9.]*(?:\(\d+\))?)){2,}"
        r"(?:\s?\(\d{4}\))?")


def _classify_tokens(token: pl.Expr) -> pl.Expr:
    expr = pl.when(token.is_null()).then(pl.lit(None, pl.Utf8))
    expr = expr.when(token.str.contains(f"^(?:{_ITS_DIRECT})")).then(pl.lit("its_direct"))
    expr = expr.when(token.str.contains(f"^(?:{_ITS})")).then(pl.lit("its"))
    for key, pattern in _ISSUERS:
        expr = expr.when(token.str.contains(f"^(?:{pattern})$")).then(pl.lit(key))
    return expr.otherwise(pl.lit(None, pl.Utf8))


def cited_documents(texts: pl.DataFrame) -> pl.DataFrame:
    """Resolutions and documents cited in ``texts``, with a normalised identifier.

    ``texts``: symbol, paragraph_kind, paragraph_ordinal, text, source ('paragraph' |
    'footnote'). Returns one row per citation (CITED_SCHEMA): symbol, paragraph_kind,
    paragraph_ordinal, instrument_id (A/RES/74/172, E/RES/2017/19, S/RES/1373(2001),
    A/HRC/RES/53/4, CCPCJ/RES/25/2, CND/RES/61/2, CTOC/COP/RES/10/6, CAC/COSP/RES/9/8, or
    the document symbol), instrument_type (DOCUMENT_TYPES), cited_date (the "of 18 December
    2014" after the number, or after the last number of a list it closes; null when not
    stated or when the date cannot belong to that resolution), matched_text, position
    (character offset in the text) and source.
    """
    frame = _prepare(texts)
    parts = [_resolution_citations(frame), _document_citations(frame)]
    return _finish(pl.concat([p for p in parts if not p.is_empty()], how="diagonal_relaxed")
                   if any(not p.is_empty() for p in parts) else pl.DataFrame())


def _resolution_citations(frame: pl.DataFrame) -> pl.DataFrame:
    groups = _spans(frame, _GROUP).with_row_index("_group")
    if groups.is_empty():
        return pl.DataFrame()
    # Who issued the group: the last issuer named before it in the same sentence.
    text = frame.select("_row", "text")
    groups = groups.join(text, on="_row", how="left")
    start = (pl.col("position") - _WINDOW).clip(lower_bound=0)
    before = pl.col("text").str.slice(start, pl.col("position") - start).str.replace(_BREAK, "$1")
    end = pl.col("position") + pl.col("match").str.len_chars().cast(pl.Int32)
    after = pl.col("text").str.slice(end, 600)
    tokens = before.str.extract_all(_ISSUER_TOKENS)
    groups = groups.with_columns(
        _classify_tokens(tokens.list.get(-1, null_on_oob=True)).alias("_last"),
        _classify_tokens(tokens.list.get(-2, null_on_oob=True)).alias("_prev"),
        _classify_tokens(after.str.extract(_ISSUER_AFTER, 1)).alias("_after"),
        pl.col("text").str.contains("Human Rights Council").alias("_hrc_context"),
        # Another body blocks only when named right before the number ("Commission on the Status
        # of Women resolution 60/2", "the Environment Assembly, in its resolution 5/8"); further
        # back it is a subject ("... the Commission on the Status of Women ... resolutions 75/161").
        before.str.contains(f"(?:{_OTHER})[^;]{{0,80}}$").alias("_other_near"),
    )
    issuer_keys = [k for k, _ in _ISSUERS]
    prev_issuer = pl.when(pl.col("_prev").is_in(issuer_keys)).then(pl.col("_prev"))
    groups = groups.with_columns(
        pl.coalesce(
            pl.col("_after"),
            pl.when(pl.col("_last") == "its_direct").then(pl.coalesce(prev_issuer, pl.lit("ga")))
            .when((pl.col("_last") == "other") & ~pl.col("_other_near")).then(pl.lit(None, pl.Utf8))
            .otherwise(pl.col("_last")),
        ).alias("_issuer"),
        prev_issuer.alias("_fallback"),
    )
    # The numbers of each group, each with its own position, number parts and date.
    items = _spans(groups.select(pl.col("_group").alias("_row"), pl.col("match").alias("text")), _ITEM)
    items = items.rename({"_row": "_group", "position": "_offset", "match": "matched_text"}).join(
        groups.select("_group", "_row", pl.col("position").alias("_gpos"), "_issuer", "_fallback", "_hrc_context"),
        on="_group", how="left",
    )
    items = items.with_columns(
        pl.col("matched_text").str.extract_groups(_ITEM_PARTS).alias("_p"),
        (pl.col("_gpos") + pl.col("_offset")).alias("position"),
    ).unnest("_p")
    # A date closes the list before it: "69/193 and 69/196 of 18 December 2014".
    items = items.sort("_group", "_offset").with_columns(
        pl.col("date").str.to_date("%d %B %Y", strict=False).alias("_date"),
    ).with_columns(pl.col("_date").backward_fill().over("_group").alias("_date"))
    return _type_resolutions(items).join(
        frame.select("_row", "symbol", "paragraph_kind", "paragraph_ordinal", "source"), on="_row", how="left")


def _type_resolutions(items: pl.DataFrame) -> pl.DataFrame:
    ses, num = pl.col("ses"), pl.col("num").cast(pl.Int32, strict=False).cast(pl.Utf8)
    special = ses.str.contains("^E?S-")
    n = ses.cast(pl.Int32, strict=False)
    fmt = (pl.when(pl.col("scn").is_not_null()).then(pl.lit("sc"))
           .when(pl.col("ron").is_not_null()).then(pl.lit("roman"))
           .when(special).then(pl.lit("special"))
           .when(ses.str.len_chars() == 4).then(pl.lit("ecosoc"))
           .otherwise(pl.lit("slash")))
    items = items.with_columns(fmt.alias("_fmt"), n.alias("_n"))
    ga_ok = (pl.col("_fmt") == "slash") & pl.col("_n").is_between(_GA_FIRST_TWO_PART_SESSION, _MAX_SESSION["ga"])
    issuer = (pl.when((pl.col("_issuer") == "its") & ~ga_ok).then(pl.col("_fallback"))
              .when(pl.col("_issuer") == "its").then(pl.lit("ga"))
              .otherwise(pl.col("_issuer")))
    items = items.with_columns(issuer.alias("_who"))
    who, fmt_, nn = pl.col("_who"), pl.col("_fmt"), pl.col("_n")

    def fits(body: str) -> pl.Expr:
        return (nn <= _MAX_SESSION[body]) & (pl.col("num").cast(pl.Int32, strict=False) <= _MAX_NUMBER[body])

    slash_type = (
        pl.when(who == "ccpcj").then(pl.when(fits("ccpcj")).then(pl.lit("ccpcj_resolution")))
        .when(who == "cnd").then(pl.when(fits("cnd")).then(pl.lit("cnd_resolution")))
        .when(who == "hrc").then(pl.when(fits("hrc")).then(pl.lit("hrc_resolution")))
        .when(who.is_in(["cop_untoc", "cosp_uncac"])).then(
            pl.when(fits("cop_untoc") & (who == "cop_untoc") | fits("cosp_uncac") & (who == "cosp_uncac"))
            .then(pl.lit("cop_resolution")))
        .when((who == "council") & pl.col("_hrc_context") & fits("hrc")).then(pl.lit("hrc_resolution"))
        .when(who == "other").then(pl.lit(None, pl.Utf8))
    )
    # A body that cannot have issued the number (CCPCJ "78/225") leaves it to the Assembly.
    slash_type = pl.coalesce(
        slash_type,
        pl.when((who != "other") | who.is_null()).then(pl.when(ga_ok).then(pl.lit("ga_resolution"))),
    )
    roman_session = pl.col("ros").replace_strict(_ROMAN, default=None, return_dtype=pl.Int32)
    rtype = (
        pl.when(fmt_ == "sc").then(pl.lit("sc_resolution"))
        .when(fmt_ == "roman").then(pl.when(pl.col("ros").str.starts_with("S-")
                                            | (roman_session <= _GA_LAST_ROMAN_SESSION))
                                    .then(pl.lit("ga_resolution")))
        .when(fmt_ == "special").then(
            pl.when(who == "hrc").then(pl.lit("hrc_resolution"))
            .when((who != "other") | who.is_null()).then(pl.lit("ga_resolution")))
        .when(fmt_ == "ecosoc").then(
            pl.when(((who != "other") | who.is_null()) & nn.is_between(1946, 2100)).then(pl.lit("ecosoc_resolution")))
        .otherwise(slash_type)
    )
    items = items.with_columns(rtype.alias("instrument_type")).filter(pl.col("instrument_type").is_not_null())
    # "36/87 A and B" is two resolutions, "51/211 A to E" five.
    letters = pl.col("part").str.extract_all(r"[A-Z]{1,2}")
    is_range = (pl.col("part").str.contains(r"^[A-Z](?:\s?-\s?|\sto\s)[A-Z]$")
                & (letters.list.first() < letters.list.last()))
    codes = {chr(65 + i): i for i in range(26)}
    lo = letters.list.first().replace_strict(codes, default=None, return_dtype=pl.Int32)
    hi = letters.list.last().replace_strict(codes, default=None, return_dtype=pl.Int32)
    span = pl.int_ranges(lo, pl.when(is_range).then(hi + 1).otherwise(lo)).list.eval(
        pl.element().replace_strict({v: k for k, v in codes.items()}, return_dtype=pl.Utf8))
    items = items.with_columns(pl.when(is_range).then(span).otherwise(letters).alias("part")).explode("part")
    body = pl.col("ses") + "/" + num
    part = pl.when(pl.col("part").is_not_null()).then(" " + pl.col("part")).otherwise(pl.lit(""))
    t = pl.col("instrument_type")
    ident = (
        pl.when(t == "sc_resolution").then("S/RES/" + pl.col("scn").cast(pl.Int32).cast(pl.Utf8) + "(" + pl.col("scy") + ")")
        .when((t == "ga_resolution") & (fmt_ == "roman")).then(
            "A/RES/" + pl.col("ron").cast(pl.Int32).cast(pl.Utf8) + "(" + pl.col("ros") + ")")
        .when(t == "ga_resolution").then("A/RES/" + body + part)
        .when(t == "ecosoc_resolution").then("E/RES/" + body)
        .when(t == "hrc_resolution").then("A/HRC/RES/" + body)
        .when(t == "ccpcj_resolution").then("CCPCJ/RES/" + body)
        .when(t == "cnd_resolution").then("CND/RES/" + body)
        .when((t == "cop_resolution") & (who == "cop_untoc")).then("CTOC/COP/RES/" + body)
        .otherwise("CAC/COSP/RES/" + body)
    )
    # A stated date is kept only where it can be that resolution's: inside the Assembly
    # session, in the Council's year.
    d = pl.col("_date")
    ga_session = pl.when(fmt_ == "roman").then(roman_session).when(fmt_ == "slash").then(nn)
    in_session = d.is_between(pl.date(ga_session + 1945, 9, 1), pl.date(ga_session + 1946, 9, 30))
    valid = (
        pl.when(t == "sc_resolution").then(d.dt.year() == pl.col("scy").cast(pl.Int32))
        .when(t == "ecosoc_resolution").then(d.dt.year() == nn)
        .when((t == "ga_resolution") & ga_session.is_not_null()).then(in_session)
        .otherwise(pl.lit(True))
    )
    return items.with_columns(
        ident.alias("instrument_id"),
        pl.when(valid).then(d).alias("cited_date"),
    ).select("_row", "instrument_id", "instrument_type", "cited_date", "matched_text", "position")


def _document_type(symbol: pl.Expr) -> pl.Expr:
    return (pl.when(symbol.str.starts_with("A/RES/")).then(pl.lit("ga_resolution"))
            .when(symbol.str.starts_with("S/RES/")).then(pl.lit("sc_resolution"))
            .when(symbol.str.starts_with("E/RES/")).then(pl.lit("ecosoc_resolution"))
            .when(symbol.str.starts_with("A/HRC/RES/")).then(pl.lit("hrc_resolution"))
            .otherwise(pl.lit("document")))


def _document_citations(frame: pl.DataFrame) -> pl.DataFrame:
    docs = _spans(frame, _DOC)
    if docs.is_empty():
        return pl.DataFrame()
    # A symbol has a number in it: "FAO/ILO/IMO" is a list of agencies.
    docs = docs.with_columns(pl.col("match").str.strip_chars_end(".").alias("matched_text")).filter(
        pl.col("matched_text").str.contains(r"\d"))
    ident = pl.col("matched_text").str.replace(r"\s+\(", "(")
    docs = docs.with_columns(ident.alias("instrument_id")).with_columns(
        _document_type(pl.col("instrument_id")).alias("instrument_type"),
        pl.lit(None, pl.Date).alias("cited_date"),
    )
    return _attach(frame, docs.select("_row", "instrument_id", "instrument_type", "cited_date",
                                      "matched_text", "position"))


# -- named instruments ----------------------------------------------------------------------
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


# -- relations -----------------------------------------------------------------------------
_LEAD_ADVERBS = r"^(?:(?:also|further|again|once again|strongly|furthermore|moreover|finally|in this regard|" \
                r"in this context|therefore),?\s+)+"
_CALLS = r"^(?:urg|calls? (?:up)?on|calling (?:up)?on|calls for|calling for|encourag|invit|appeal|demand|exhort|" \
         r"reiterat\w* its (?:call|appeal|invitation|urging)|renews its call)"
_RATIFY = r"(?i)\bratif|\baccede|\baccession|\bbecom(?:e|es|ing) (?:a )?part(?:y|ies)\b|\badhere to\b"
# A call to act on an instrument rather than to join it: implement, comply with, apply, use...
_IMPLEMENT = (r"(?i)\b(?:implement|compl(?:y|iance)|apply|application|give (?:full )?effect|make (?:full |effective )?use|"
              r"utiliz|fulfil|respect|observ|abide|enforce|uphold|in (?:line|accordance|conformity) with|consistent with|"
              r"obligations under|take into (?:account|consideration))")


def _relation_expr(lead: pl.Expr, kind: pl.Expr, text: pl.Expr) -> pl.Expr:
    lo = lead.fill_null("").str.to_lowercase().str.strip_chars(" ,;:.").str.replace(_LEAD_ADVERBS, "")
    body = text.fill_null("")
    calls = lo.str.contains(_CALLS)
    return (
        pl.when(lo.str.contains(r"^reiterat\w* its request")).then(pl.lit("requests"))
        .when(calls & body.str.contains(_RATIFY)).then(pl.lit("urges_ratification"))
        .when(calls & body.str.contains(_IMPLEMENT)).then(pl.lit("calls_for_implementation"))
        .when(lo.str.contains(r"^recall")).then(pl.lit("recalls"))
        .when(lo.str.contains(r"^(?:reaffirm|reiterat)")).then(pl.lit("reaffirms"))
        .when(lo.str.contains(r"^welcom")).then(pl.lit("welcomes"))
        .when(lo.str.contains(r"^tak(?:es|ing) note")).then(pl.lit("takes_note"))
        .when(lo.str.contains(r"^not(?:es|ing)\b")).then(pl.lit("notes"))
        .when(lo.str.contains(r"^request")).then(pl.lit("requests"))
        .when(lo.str.contains(r"^decid")).then(pl.lit("decides"))
        .otherwise(pl.lit("other"))
    )


def relation(lead_phrase: str | None, kind: str, text: str | None = None) -> str:
    """What a paragraph does with what it cites, from its lead phrase (and text, for calls).

    recalls, reaffirms, welcomes, takes_note, notes, requests, decides; a call (Urges,
    Calls upon, Encourages, Invites, Appeals, Demands, "Reiterates its call upon", in either
    kind of paragraph) is urges_ratification when ``text`` speaks of ratifying, acceding or
    becoming party, calls_for_implementation when it speaks of implementing, complying,
    applying or using; anything else (Recognizing, Stresses, a call on neither) is other.
    ``kind`` is accepted for the record: the lead phrase already says what the paragraph does.
    """
    row = pl.DataFrame({"lead": [lead_phrase], "kind": [kind], "text": [text]},
                       schema={"lead": pl.Utf8, "kind": pl.Utf8, "text": pl.Utf8})
    return row.select(_relation_expr(pl.col("lead"), pl.col("kind"), pl.col("text"))).item()


# -- dimension and bridge -------------------------------------------------------------------
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
    rel = paras.select(*keys, _relation_expr(pl.col("lead_phrase"), pl.col("paragraph_kind"), pl.col("text"))
                       .alias("relation")).unique(keys, keep="first")
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
