"""Actors in paragraphs (:func:`paragraph_actors`): directive clauses, their addressees,
anaphors and the actors only mentioned. The rules are described in transforms/actors/__init__.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from transforms.actors.catalogue import _Catalogue, _catalogue
from transforms.automaton import leftmost_matches

PARAGRAPH_ACTOR_SCHEMA = {
    "symbol": pl.Utf8,
    "paragraph_kind": pl.Utf8,
    "paragraph_ordinal": pl.Int32,
    "actor_id": pl.Utf8,
    "role": pl.Utf8,  # addressee | mentioned
    "verb": pl.Utf8,
    "matched_text": pl.Utf8,
    "position": pl.Int32,  # 0-based character offset of matched_text (of the verb for implicit addressees)
}
_KIND_RANK = {"preambular": 0, "operative": 1, "annex": 2}


# -- paragraphs --------------------------------------------------------------------

_MODS = (
    r"(?:(?:also|further|again|once\s+again|once\s+more|strongly|firmly|urgently|earnestly|hereby|"
    r"respectfully|kindly|formally|therefore|accordingly|now)\s+)*"
)
_CORE = (
    r"(?:requests?|asks?|urges?|encourages?|invites?|directs?|authori[sz]es?|mandates?|entrusts?|"
    r"instructs?|tasks?|exhorts?|reminds?|recommends?|demands?|decides?"
    r"|calls?\s+(?:once\s+again\s+|again\s+|also\s+|further\s+)?(?:upon|on)"
    r"|appeals?\s+(?:once\s+again\s+|again\s+)?to"
    r"|(?:reiterates|renews|reaffirms|recalls|repeats)\s+(?:also\s+)?its\s+(?:[a-z]+\s+)?"
    r"(?:requests?|calls?|invitation|appeal|encouragement|demand|urging|recommendation)"
    r"(?:\s+(?:to|upon|on|that)\b)?"
    r"|continues?\s+to\s+(?:request|urge|encourage|invite|call\s+upon))"
)
_OPENING_VERB = re.compile(r"^" + _MODS + _CORE + r"\b", re.I)
_MID_VERB = re.compile(
    r"(?:[,;:]\s*(?:and\s+)?|\s+and\s+)"
    r"(?:(?:in\s+(?:this|that)\s+(?:regard|context|respect|connection)|to\s+(?:this|that)\s+end|in\s+particular)"
    r"\s*,?\s+)?"
    r"(?P<verb>" + _MODS + _CORE + r")\b"
)
# A looser form of _MID_VERB that Polars (Rust regex) runs over every operative paragraph at
# once, so that Python's _MID_VERB scans only the paragraphs that can hold a clause in
# mid-paragraph (about a quarter of them; the Python scan was a third of paragraph_actors).
# It must find a match wherever _MID_VERB does, whatever the text: every \b is dropped (an
# assertion removed only widens what matches; Rust's and Python's Unicode word classes differ
# slightly) and \s also takes \x1c-\x1f, which Python's \s matches and Rust's does not. So the
# language of the loose pattern contains that of _MID_VERB, and a paragraph it does not match
# has no mid-paragraph clause. The pattern has no character class holding \s (checked below).
_MID_VERB_LOOSE = _MID_VERB.pattern.replace(r"\b", "").replace(r"\s", r"[\s\x1c-\x1f]")
assert not re.search(r"\[[^\]]*\\s[^\]]*\]", _MID_VERB.pattern)
_DECIDES_CHAIN = re.compile(
    r"^\s*,?\s*(?:also\s+)?to\s+(?P<v>request|ask|urge|encourage|invite|direct|authori[sz]e|mandate|entrust|instruct|"
    r"task|call\s+upon|call\s+on|appeal\s+to)\b",
)
_THAT = re.compile(r"^\s+that\b")
# Compiled once: _clauses and _lead_ok run them some 100,000 times a build.
_LOWER_WORD = re.compile(r"[a-z][a-z-]*")
_SPACES = re.compile(r"\s+")
_DECIDES_END = re.compile(r"\bdecides?$")
_THAT_VERB_END = re.compile(r"(?:request|recommend|urge|demand|ask|direct)s?$")
_TO_THAT_END = re.compile(r"\s+(?:to|that)$")
_PREP = frozenset(
    "of with in on for by to from at through within under among amongst between upon into towards toward "
    "regarding concerning about against as that which who whose where when is are be been have has had was "
    "were not no its their his her this these it them".split()
)
_GOV_OF = re.compile(
    r"^(?:the\s+)?(?:Governments?|authorities|competent\s+authorities|national\s+authorities|relevant\s+authorities|"
    r"de\s+facto\s+authorities|Government\s+and\s+people|people)\s+(?:of|in)\s+(?:the\s+)?$"
)
_JOIN = re.compile(
    r"^\s*(?:,\s*)?(?:(?:and|or|and/or|as\s+well\s+as|including|in\s+particular|particularly|especially|notably|"
    r"together\s+with|along\s+with|nor|but\s+also|and\s+in\s+particular|and\s+especially)\s*,?\s+)?"
    r"(?P<words>(?:[a-z][a-z-]*\s+){0,3})$"
)
_INFINITIVE = re.compile(
    r"(?:^|[\s,])to\s+(?!(?:the|a|an|its|his|her|their|this|that|these|those|all|any|each|such|which|whom|"
    r"date|it|them)\b)(?P<v>[a-z][a-z-]*)\b"
)
_MODAL = re.compile(r"\b(?:shall|should|will|must|may|is\s+to|are\s+to)\s+")
_DIRECTIVE_MANDATE = re.compile(
    r"\b(?:requests?|asks?|calls?|urges?|directs?|authori[sz]es?|authori[sz]e|mandates?|entrusts?|instructs?|"
    r"tasks?|demands?|decides?|request|ask|urge|direct|mandate|entrust|instruct|task)\b"
)


@dataclass
class _Match:
    start: int
    end: int
    actor_id: str
    text: str


def _lead_ok(gap: str) -> bool:
    g = gap.strip()
    if not g:
        return True
    if _GOV_OF.match(gap.lstrip()) or _OF_GROUP.match(gap.lstrip()):
        return True
    words = g.split()
    if len(words) > 4:
        return False
    return all(_LOWER_WORD.fullmatch(w) and w not in _PREP for w in words)


def _join_ok(gap: str) -> bool:
    m = _JOIN.match(gap)
    if not m:
        return False
    if not gap.strip():
        return False  # two names side by side are one phrase ("United Nations entities"), not a list
    return all(w not in _PREP for w in m.group("words").split())


@dataclass
class _Clause:
    verb_pos: int
    verb_text: str
    label: str  # verb as output
    that: bool
    chain: bool
    end: int
    addressees: list[_Match]
    action_start: int | None
    implicit_ga: bool = False
    modal: str | None = None


def _clauses(text: str, lead: str | None, matches: list[_Match], mid: bool = True) -> list[_Clause]:
    """The directive clauses of one operative paragraph, each with its addressees.

    ``mid`` false says the paragraph has no clause in mid-paragraph (``_MID_VERB_LOOSE`` found
    none), which spares the scan for one.
    """
    starts: list[tuple[int, int, str, bool]] = []  # (verb_pos, verb_end, verb_text, opening)
    m = _OPENING_VERB.match(text)
    if m:
        starts.append((0, m.end(), m.group(0), True))
    for m in _MID_VERB.finditer(text) if mid else ():
        if m.start("verb") == 0 or (starts and m.start("verb") < starts[-1][1]):
            continue
        starts.append((m.start("verb"), m.end("verb"), m.group("verb"), False))
    out: list[_Clause] = []
    for idx, (vpos, vend, vtext, opening) in enumerate(starts):
        end = starts[idx + 1][0] if idx + 1 < len(starts) else len(text)
        semi = text.find(";", vend, end)
        if semi >= 0:
            end = semi
        vtext = _SPACES.sub(" ", vtext)
        core = vtext.lower()
        that, chain, implicit = False, False, False
        label = (lead if opening and lead else vtext)
        pos = vend
        if _DECIDES_END.search(core):
            ch = _DECIDES_CHAIN.match(text[vend:end])
            if ch:
                chain = True
                pos = vend + ch.end()
                label = (lead or vtext) + text[vend:pos].rstrip() if opening else text[vpos:pos].strip()
                label = _SPACES.sub(" ", label)
            elif _THAT.match(text[vend:end]):
                that = True
                pos = vend + _THAT.match(text[vend:end]).end()
            else:
                implicit = True
        elif core.endswith(" that"):
            that = True
        elif _THAT.match(text[vend:end]) and _THAT_VERB_END.search(core):
            that = True
            pos = vend + _THAT.match(text[vend:end]).end()
        if not opening or not lead:
            label = _TO_THAT_END.sub("", label)
        addressees, a_end = ([], pos) if implicit else _noun_phrase(text, pos, end, matches)
        action_start, modal = None, None
        if addressees:
            tail = text[a_end:end]
            if that:
                mm = _MODAL.search(tail)
                if mm:
                    modal = mm.group(0).split()[0]
                action_start = a_end + (mm.end() if mm else len(tail) - len(tail.lstrip(" ,")))
            else:
                mm = _infinitive(tail)
                if mm is not None:
                    action_start = a_end + mm
                elif not opening:
                    addressees = []  # a verb in mid-paragraph with no infinitive: not a request
        is_decide = _DECIDES_END.search(core) is not None
        implicit_ga = is_decide and not chain and not addressees
        out.append(_Clause(vpos, vtext, label, that, chain, end, addressees, action_start, implicit_ga, modal))
    return out


def _infinitive(tail: str) -> int | None:
    for m in _INFINITIVE.finditer(tail):
        if m.group("v").endswith("ing"):
            continue
        return m.start("v")
    return None


_ASIDE = re.compile(
    r"^\s*,\s*(?:in\s+(?:this|that)\s+(?:regard|context|respect|connection)|in\s+particular|inter\s+alia|"
    r"as\s+appropriate|where\s+appropriate|therefore|also|once\s+again|again|further|accordingly)\s*,\s*"
)
_OF_GROUP = re.compile(
    r"^(?:the\s+)?(?:relevant\s+|other\s+|all\s+)?(?:entities|organizations|agencies|parts|bodies|organs|"
    r"subsidiary\s+bodies|funds\s+and\s+programmes|specialized\s+agencies)\s+of\s+(?:the\s+)?$"
)


def _noun_phrase(text: str, pos: int, end: int, matches: list[_Match]) -> tuple[list[_Match], int]:
    aside = _ASIDE.match(text, pos, end)
    if aside:
        pos = aside.end()
    cands = [m for m in matches if m.start >= pos and m.end <= end]
    if not cands or not _lead_ok(text[pos: cands[0].start]):
        return [], pos
    out = [cands[0]]
    last = cands[0].end
    for m in cands[1:]:
        if m.start < last:
            continue
        if _join_ok(text[last: m.start]):
            out.append(m)
            last = m.end
        else:
            break
    return out, last


def _find_matches(cat: _Catalogue, frame: pl.DataFrame) -> pl.DataFrame:
    """Every kept actor match: _row, start, end (characters), matched_text, actor_id, pkind."""
    hits = (
        leftmost_matches(frame, cat.patterns)  # one automaton pass: each match's pattern and offset
        .join(frame.select("_row", "text"), on="_row", how="left", maintain_order="left")
        .join(cat.pattern_frame, on="hit", how="left", maintain_order="left")
        .filter(pl.col("pkind") != "stop")
    )
    if hits.height == 0:
        return pl.DataFrame(schema={"_row": pl.UInt32, "start": pl.Int64, "end": pl.Int64,
                                    "matched_text": pl.Utf8, "actor_id": pl.Utf8, "pkind": pl.Utf8})
    hits = hits.with_columns(
        pl.col("hit").str.len_chars().cast(pl.Int64).alias("len"),
    ).with_columns((pl.col("start") + pl.col("len")).alias("end"))
    hits = hits.with_columns(
        pl.col("text").str.slice((pl.col("start") - 30).clip(lower_bound=0), pl.min_horizontal(pl.col("start"), 30))
        .alias("before"),
        pl.col("text").str.slice(pl.col("end"), 30).alias("after"),
    )
    word_before = pl.col("before").str.contains(r"[\w-]$")
    word_after = pl.col("after").str.contains(r"^\w")
    cap_before = pl.col("before").str.contains(r"[A-Z][\w'’-]*\s+$") & ~(
        (pl.col("start") <= 30) & pl.col("before").str.contains(r"^[A-Z][a-z]+\s+$")
    )
    continues_name = pl.col("after").str.contains(r"^\s+(?:of|for|on|against)\b|^\s+[A-Z]")
    keep = (
        ~word_before
        & ~word_after
        & ~((pl.col("pkind") == "head") & cap_before)
        & ~(pl.col("pkind").is_in(["tail", "anaphor"]) & continues_name)
    )
    hits = hits.filter(keep).with_columns(
        pl.when(pl.col("strip_the")).then(pl.col("start") + 4).otherwise(pl.col("start")).alias("start"),
        pl.when(pl.col("strip_the")).then(pl.col("hit").str.slice(4)).otherwise(pl.col("hit")).alias("matched_text"),
    )
    return hits.select("_row", "start", "end", "matched_text", "actor_id", "pkind")


def _resolve_anaphors(cat: _Catalogue, hits: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Give each anaphor ("the Office") the actor it refers back to; drop those without one."""
    hits = hits.join(rows.select("_row", "symbol", "_kind_rank", "ordinal"), on="_row", how="left")
    ana = hits.filter(pl.col("pkind") == "anaphor")
    named = hits.filter(pl.col("pkind") != "anaphor")
    if ana.height == 0:
        return named
    wanted = set().union(*cat.anaphor_candidates.values())
    ana_symbols = ana.get_column("symbol").unique()
    by_symbol: dict[str, dict[str, list[tuple]]] = {}
    for sym, aid, kr, ordn, start, text in (
        named.filter(pl.col("actor_id").is_in(list(wanted)) & pl.col("symbol").is_in(ana_symbols))
        .select("symbol", "actor_id", "_kind_rank", "ordinal", "start", "matched_text").iter_rows()
    ):
        by_symbol.setdefault(sym, {}).setdefault(aid, []).append(((kr, ordn, start), text))
    resolved = []
    for row in ana.iter_rows(named=True):
        phrase = row["matched_text"]
        head = phrase[4:]
        cands = cat.anaphor_candidates.get(phrase, frozenset())
        seen = by_symbol.get(row["symbol"], {})
        here = (row["_kind_rank"], row["ordinal"], row["start"])
        # Only a mention that says the head word ("... Office on Drugs and Crime") or an
        # acronym ("UNODC") makes an antecedent: "African Union" is no "Commission".
        named_as = {
            a: [o for o, t in seen[a] if head in t or t.isupper()] for a in cands if a in seen
        }
        pool = {a: [o for o in v if o < here] for a, v in named_as.items()}
        pool = {a: v for a, v in pool.items() if v} or {a: v for a, v in named_as.items() if v}
        if not pool:
            resolved.append(None)
            continue
        resolved.append(max(pool, key=lambda a: (len(pool[a]), max(pool[a]))))
    ana = ana.with_columns(pl.Series("actor_id", resolved, dtype=pl.Utf8)).drop_nulls("actor_id")
    return pl.concat([named, ana.select(named.columns)])


def _prepare(paragraphs: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in ("symbol", "kind", "ordinal", "lead_phrase", "text") if c not in paragraphs.columns]
    if missing:
        raise ValueError(f"paragraphs lack column(s) {', '.join(missing)}")
    return paragraphs.with_row_index("_row").with_columns(
        pl.col("text").fill_null(""),
        pl.col("kind").replace_strict(_KIND_RANK, default=3, return_dtype=pl.Int32).alias("_kind_rank"),
        pl.col("ordinal").cast(pl.Int32),
    )


def _analyse(
    cat: _Catalogue, paragraphs: pl.DataFrame, clause_rows: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, list[tuple]]:
    """Matches for all paragraphs, and addressee rows for operative ones.

    Addressee rows: (_row, actor_id, verb, matched_text, position, clause) where
    clause is the _Clause (None for nothing). ``clause_rows`` (symbol, ordinal), when given,
    limits the clause analysis to those operative paragraphs (mandates needs a few); the
    matches are still found in every paragraph, as anaphors read the whole resolution.
    """
    rows = _prepare(paragraphs)
    hits = _find_matches(cat, rows.select("_row", "text"))
    hits = _resolve_anaphors(cat, hits, rows)
    operative = rows.filter(pl.col("kind") == "operative")
    if clause_rows is not None:
        operative = operative.join(clause_rows.select(pl.col("symbol").cast(pl.Utf8), pl.col("ordinal").cast(pl.Int32))
                                   .unique(), on=["symbol", "ordinal"], how="semi")
    operative = operative.select("_row", "lead_phrase", "text",
                                 pl.col("text").str.contains(_MID_VERB_LOOSE).alias("_mid"))
    per_row: dict[int, list[_Match]] = {}
    op_hits = hits.filter(pl.col("_row").is_in(operative.get_column("_row"))).sort(["_row", "start"])
    for r, s, e, aid, t in op_hits.select("_row", "start", "end", "actor_id", "matched_text").iter_rows():
        per_row.setdefault(r, []).append(_Match(s, e, aid, t))
    addressees: list[tuple] = []
    for r, lead, text, mid in operative.iter_rows():
        for cl in _clauses(text, lead, per_row.get(r, []), mid):
            if cl.implicit_ga:
                addressees.append((r, "general_assembly", cl.label, None, cl.verb_pos, cl))
            for m in cl.addressees:
                addressees.append((r, m.actor_id, cl.label, m.text, m.start, cl))
    return rows, hits, addressees


def paragraph_actors(paragraphs: pl.DataFrame, *, actors: pl.DataFrame | None = None) -> pl.DataFrame:
    """Actors in paragraphs: addressees of operative paragraphs and every other mention.

    Input columns: symbol, kind, ordinal, number, lead_phrase, text (as
    ``core.fact_paragraph``). One output row per actor match (see
    PARAGRAPH_ACTOR_SCHEMA); implicit addressees (the Assembly's own "Decides")
    have a null matched_text and the verb's position. The heuristics are in the
    module docstring.
    """
    cat = _catalogue(actors)
    return _actor_rows(*_analyse(cat, paragraphs))


def _actor_rows(rows: pl.DataFrame, hits: pl.DataFrame, addressees: list[tuple]) -> pl.DataFrame:
    """paragraph_actors' output (PARAGRAPH_ACTOR_SCHEMA) from an :func:`_analyse` of the paragraphs."""
    addr = pl.DataFrame(
        # The directive clause lower-cased, as marts.mandates has it ("Also requests" -> "also requests").
        [(r, a, v.lower(), t, p) for r, a, v, t, p, _ in addressees],
        schema={"_row": pl.UInt32, "actor_id": pl.Utf8, "verb": pl.Utf8, "matched_text": pl.Utf8, "start": pl.Int64},
        orient="row",
    ).with_columns(pl.lit("addressee").alias("role"))
    mentioned = (
        hits.select("_row", "actor_id", "matched_text", "start")
        .join(addr.filter(pl.col("matched_text").is_not_null()).select("_row", "start"), on=["_row", "start"], how="anti")
        .with_columns(pl.lit(None, dtype=pl.Utf8).alias("verb"), pl.lit("mentioned").alias("role"))
    )
    out = pl.concat([addr, mentioned.select(addr.columns)])
    out = out.join(rows.select("_row", "symbol", "kind", "ordinal", "_kind_rank"), on="_row", how="left")
    return (
        out.sort(["symbol", "_kind_rank", "ordinal", "start", "role"])
        .select(
            pl.col("symbol"),
            pl.col("kind").alias("paragraph_kind"),
            pl.col("ordinal").cast(pl.Int32).alias("paragraph_ordinal"),
            "actor_id",
            "role",
            "verb",
            "matched_text",
            pl.col("start").cast(pl.Int32).alias("position"),
        )
    )


