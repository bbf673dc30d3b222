"""Sponsors and voters (:func:`resolution_actors`): the names of the sponsor and vote
lists resolved to actor ids, lists split and merged where the source runs names together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from transforms.text import normalise
from transforms.actors.reference import STATE_TYPES
from transforms.actors.catalogue import _Catalogue, _catalogue

RESOLUTION_ACTOR_SCHEMA = {
    "symbol": pl.Utf8,
    "actor_id": pl.Utf8,
    "role": pl.Utf8,  # sponsor | additional_sponsor | voted_yes | voted_no | abstained
    "name_as_written": pl.Utf8,
    "position": pl.Int32,  # the sponsor's position in its list; null for votes
    "on_behalf_of": pl.Utf8,  # group a sponsor acted for ("on behalf of the Group of 77 and China")
    "resolved_by": pl.Utf8,  # name | repair | cleaned | qualified | officer | split | merged | unresolved
}

_VOTE_ROLES = {
    "yes": "voted_yes", "no": "voted_no", "abstain": "abstained",
    "infavour": "voted_yes", "in_favour": "voted_yes", "against": "voted_no", "abstaining": "abstained",
}


# -- sponsors and voters -------------------------------------------------------------

_CONTINUATION_START = re.compile(r"(?i)^(?:and\s+|,\s*)?on\s+the\s+basis\s+of\s+informal\s+consultations")
_PERSON = re.compile(r"^(?P<pre>[^()]+?)\s*\((?P<inner>[^()]+)\)(?P<post>.*)$")


def _is_continuation(cat: _Catalogue, name: str) -> str | None:
    """How an entry continues the one before it (the joiner), or None for an entry of its own."""
    if name.count(")") > name.count("("):
        return " and "  # "China)" closes "... Group of 77"
    if _CONTINUATION_START.match(name):
        return ", "
    m = _PERSON.match(name)
    if m:
        post = m.group("post").strip()
        if not post or re.match(r"(?i)^,?\s*(?:and\s+)?on\s+the\s+basis\b", post):
            inner = cat.resolve_one(m.group("inner"))
            if inner and cat.info[inner[0]]["actor_type"] in STATE_TYPES and cat.resolve_one(m.group("pre")) is None:
                return ", "  # "Ahmed Magdy (Egypt)": an officer's name and country, not a sponsor
    return None


@dataclass
class _Entry:
    position: int | None
    name: str
    found: list[tuple[str, str | None]]
    how: str


def _resolve_list(cat: _Catalogue, names: list[tuple[int | None, str]], cache: dict) -> list[_Entry]:
    def many(n: str):
        if n not in cache:
            cache[n] = cat.resolve_many(n)
        return cache[n]

    out: list[_Entry] = []
    pending: list[str] = []
    continuation = cat.memo.setdefault("continuation", {})
    for pos, raw in names:
        name = _normalised(cat, raw)
        if not name:
            continue
        if name not in continuation:
            continuation[name] = _is_continuation(cat, name)
        joiner = continuation[name]
        if joiner:
            if out:
                prev = out[-1]
                prev.name = prev.name + joiner + name
                f2, _ = many(prev.name)
                if f2:
                    prev.found = f2
                    prev.how = "merged"
            else:
                pending.append(name)
            continue
        found, how = many(name)
        if not found:
            if out:
                merged = out[-1].name + " and " + name
                f2, _ = many(merged)
                if f2:
                    out[-1] = _Entry(out[-1].position, merged, f2, "merged")
                    continue
        if pending and found:
            name = name + ", " + ", ".join(pending)
            pending = []
        out.append(_Entry(pos, name, found, how if found else "unresolved"))
    for p in pending:
        out.append(_Entry(None, p, [], "unresolved"))
    return out


def resolution_actors(
    sponsors: pl.DataFrame, votes: pl.DataFrame, *, actors: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Sponsors and voters of each resolution as actors.

    sponsors: symbol, role ('sponsor' | 'additional_sponsor'), position, sponsor;
    votes: symbol, vote ('yes' | 'no' | 'abstain'), state -- as the staging
    tables (DGACM metadata lists can be exploded into the same shape).

    One row per actor (columns of RESOLUTION_ACTOR_SCHEMA); actor_id is null
    when a name cannot be resolved. Within a list, an entry that only
    continues the one before it is joined to it (a bracket closed by "China)"
    after "... Group of 77", "The Grenadines" after "Saint Vincent", an
    officer's name "Ahmed Magdy (Egypt) and on the basis of informal
    consultations"), so a split never makes China or Egypt a sponsor. An entry
    naming several States ("Barbados. Dominican Republic", "Angola Bahamas")
    gives one row per State with the same name_as_written. A State listed
    twice in one list is kept once.
    """
    cat = _catalogue(actors)
    cache = cat.memo.setdefault("resolve_many", {})
    out: list[tuple] = []
    if sponsors.height:
        sp = sponsors.select(
            "symbol", "role", pl.col("position").cast(pl.Int32), pl.col("sponsor").cast(pl.Utf8)
        ).with_row_index("_i").sort(["symbol", "role", "position", "_i"])
        current, names = None, []

        def flush():
            if current is None:
                return
            seen: set[str] = set()
            for e in _resolve_list(cat, names, cache):
                if not e.found:
                    out.append((current[0], None, current[1], e.name, e.position, None, "unresolved"))
                for aid, group in e.found:
                    if aid in seen:
                        continue
                    seen.add(aid)
                    how = "split" if len(e.found) > 1 else e.how
                    out.append((current[0], aid, current[1], e.name, e.position, group, how))

        for _, symbol, role, pos, name in sp.iter_rows():
            if (symbol, role) != current:
                flush()
                current, names = (symbol, role), []
            names.append((pos, name))
        flush()
    by_sponsor = pl.DataFrame(out, schema=RESOLUTION_ACTOR_SCHEMA, orient="row")
    if not votes.height:
        return by_sponsor
    return pl.concat([by_sponsor, _vote_rows(cat, votes, cache)])


def _vote_rows(cat: _Catalogue, votes: pl.DataFrame, cache: dict) -> pl.DataFrame:
    """The voters' rows, in the order of ``votes``: a State once per (resolution, vote).

    A vote list holds the same 193 names in every resolution: each distinct name is
    normalised and resolved once, and the rows are joined to the answers (some 100,000 votes
    a build, where a loop over them cost as much as the sponsors).
    """
    v = votes.select(pl.col("symbol").cast(pl.Utf8), pl.col("vote").cast(pl.Utf8),
                     pl.col("state").cast(pl.Utf8)).with_row_index("_i")
    roles = pl.DataFrame(
        [(x, _VOTE_ROLES.get((x or "").strip().lower())) for x in v.get_column("vote").unique().to_list()],
        schema={"vote": pl.Utf8, "role": pl.Utf8}, orient="row")
    names = pl.DataFrame([(x, _normalised(cat, x)) for x in v.get_column("state").unique().to_list()],
                         schema={"state": pl.Utf8, "name_as_written": pl.Utf8}, orient="row")
    v = (v.join(roles, on="vote", how="left", nulls_equal=True)
         .join(names, on="state", how="left", nulls_equal=True).sort("_i"))
    unknown = v.filter(pl.col("role").is_null())
    if unknown.height:
        symbol, vote = unknown.row(0, named=True)["symbol"], unknown.row(0, named=True)["vote"]
        raise ValueError(f"{symbol}: unknown vote {vote!r} (expected yes, no or abstain)")
    v = v.filter(pl.col("name_as_written") != "")
    answers = []
    for name in v.get_column("name_as_written").unique().to_list():
        if name not in cache:
            cache[name] = cat.resolve_many(name)
        found, how = cache[name]
        if not found:
            answers.append((name, 0, None, "unresolved"))
        for k, (aid, _) in enumerate(found):
            answers.append((name, k, aid, "split" if len(found) > 1 else how))
    answers = pl.DataFrame(answers, schema={"name_as_written": pl.Utf8, "_k": pl.Int64, "actor_id": pl.Utf8,
                                            "resolved_by": pl.Utf8}, orient="row")
    rows = v.join(answers, on="name_as_written", how="inner").sort("_i", "_k")
    # A State once per (resolution, vote); an unresolved name is kept each time.
    first = pl.struct("symbol", "role", "actor_id").is_first_distinct()
    rows = rows.filter(pl.col("actor_id").is_null() | first)
    return rows.select(
        "symbol", "actor_id", "role", "name_as_written", pl.lit(None, pl.Int32).alias("position"),
        pl.lit(None, pl.Utf8).alias("on_behalf_of"), "resolved_by",
    ).cast(RESOLUTION_ACTOR_SCHEMA)


def _normalised(cat: _Catalogue, raw: str | None) -> str:
    """normalise(raw or ""), remembered by the catalogue."""
    memo = cat.memo.setdefault("normalise", {})
    if raw not in memo:
        memo[raw] = normalise(raw or "")
    return memo[raw]
