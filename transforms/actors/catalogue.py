"""The name catalogue built from ``dim_actor``: names, aliases, repairs, exclusions and
anaphors as Aho-Corasick patterns, and :func:`resolve_name` for one name as written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import polars as pl

from transforms.text import normalise
from transforms.actors.reference import (
    EXCLUSIONS_CSV, REPAIRS_CSV, STATE_TYPES, _fold_accents, _read_simple_csv, load_actors, name_key,
)

# -- the catalogue: names, patterns, rules built from dim_actor ----------------------

# Anaphors: "the Office" refers back to an Office named in the resolution.
_ANAPHORS = (
    "the Office", "the Commission", "the Council", "the Committee", "the Conference",
    "the Conference of the Parties", "the Conference of the States Parties", "the Programme",
    "the Fund", "the Entity", "the Agency", "the High Commissioner", "the Court", "the Forum",
    "the Special Committee", "the Department", "the Unit", "the Board", "the Institute", "the University",
    "the Centre", "the Tribunal", "the Authority", "the Union", "the Academy", "the Advisory Committee",
)
# Aliases kept only when the word before them is not a capitalised name part.
_HEAD_CHECKED = frozenset({"States"})
# Aliases (and all anaphors) dropped when the next word continues an unknown name.
_TAIL_CHECKED = frozenset({"the United Nations", "the Assembly", "Secretariat", "the Secretariat"})


def _pattern_kind(pattern: str) -> str:
    base = pattern[:1].lower() + pattern[1:]
    if pattern in _HEAD_CHECKED:
        return "head"
    if pattern in _TAIL_CHECKED or base in _TAIL_CHECKED:
        return "tail"
    return "name"


@dataclass
class _Catalogue:
    dim: pl.DataFrame
    info: dict[str, dict] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    repairs: dict[str, str] = field(default_factory=dict)
    state_keys: dict[str, str] = field(default_factory=dict)
    group_keys: list[tuple[str, str]] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    pattern_frame: pl.DataFrame | None = None
    anaphor_candidates: dict[str, frozenset[str]] = field(default_factory=dict)
    # Answers for names as written, kept for the life of the catalogue (transforms.actors.sponsors):
    # the same few thousand names come back in every session's sponsor and vote lists.
    memo: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, dim: pl.DataFrame, repairs: list[dict], exclusions: list[dict]) -> "_Catalogue":
        cat = cls(dim=dim)
        for row in dim.iter_rows(named=True):
            cat.info[row["actor_id"]] = row
            for form in [row["name"], *(row["aliases"] or [])]:
                k = name_key(form)
                if k:
                    cat.keys.setdefault(k, row["actor_id"])
                    if row["actor_type"] in STATE_TYPES and len(k) >= 4:
                        cat.state_keys.setdefault(k, row["actor_id"])
        for r in repairs:
            aid = r.get("actor_id", "")
            if aid not in cat.info:
                raise ValueError(f"{REPAIRS_CSV}: repair {r.get('name_as_written')!r} names unknown actor {aid!r}")
            cat.repairs[name_key(r["name_as_written"])] = aid
        skip = {"member_states", "states", "states_parties", "un_system"}
        cat.group_keys = sorted(
            ((name_key(f), aid) for aid, row in cat.info.items()
             if row["actor_type"] not in STATE_TYPES and aid not in skip
             for f in [row["name"], *(row["aliases"] or [])] if len(name_key(f)) >= 4),
            key=lambda t: -len(t[0]),
        )
        cat._build_patterns(exclusions)
        return cat

    # .. paragraph patterns ..
    def _build_patterns(self, exclusions: list[dict]) -> None:
        table: dict[str, tuple[str | None, str, bool]] = {}  # pattern -> (actor_id, kind, strip_the)

        def add(pattern: str, aid: str | None, kind: str, strip_the: bool) -> None:
            if len(pattern) < 2:
                return
            prev = table.get(pattern)
            if prev is None or (prev[0] is not None and aid is None):
                table[pattern] = (aid, kind, strip_the)

        for aid, row in self.info.items():
            for form in dict.fromkeys([row["name"], *(row["aliases"] or [])]):
                variants = {form, form.replace("'", "’"), form.replace("’", "'"), _fold_accents(form)}
                if form[:1].islower():
                    variants.add(form[:1].upper() + form[1:])
                for v in list(variants):
                    add(v, aid, _pattern_kind(v), False)
                    if not v.lower().startswith("the "):
                        add("the " + v, aid, _pattern_kind("the " + v), True)
        for phrase in _ANAPHORS:
            add(phrase, None, "anaphor", False)
            table[phrase] = (None, "anaphor", False)
        for r in exclusions:
            phrase = r.get("phrase", "")
            for v in {phrase, "the " + phrase}:
                table[v] = (None, "stop", False)
        # Longest first: with leftmost matching, the longest pattern starting at a
        # position wins ("Guinea-Bissau" over "Guinea", "the Commission on ..." over
        # "the Commission").
        self.patterns = sorted(table, key=lambda p: (-len(p), p))
        self.pattern_frame = pl.DataFrame(
            {
                "hit": self.patterns,
                "actor_id": [table[p][0] for p in self.patterns],
                "pkind": [table[p][1] for p in self.patterns],
                "strip_the": [table[p][2] for p in self.patterns],
            },
            schema={"hit": pl.Utf8, "actor_id": pl.Utf8, "pkind": pl.Utf8, "strip_the": pl.Boolean},
        )
        for phrase in _ANAPHORS:
            head = phrase[4:]
            word = re.compile(rf"(?<![\w-]){re.escape(head)}(?![\w-])")
            self.anaphor_candidates[phrase] = frozenset(
                aid for aid, row in self.info.items()
                if row["actor_type"] not in STATE_TYPES and row["actor_type"] != "collective"
                and any(word.search(f) for f in [row["name"], *(row["aliases"] or [])])
            )

    # .. names as written ..
    def resolve_one(self, name: str) -> tuple[str, str | None, str] | None:
        """(actor_id, on_behalf_of, how) for a name that stands for one actor."""
        return self._resolve(name, 0)

    def _lookup(self, text: str) -> tuple[str, str] | None:
        k = name_key(text)
        if not k:
            return None
        if k in self.keys:
            return self.keys[k], "name"
        if k in self.repairs:
            return self.repairs[k], "repair"
        if k.startswith("the") and len(k) > 3:
            if k[3:] in self.keys:
                return self.keys[k[3:]], "name"
            if k[3:] in self.repairs:
                return self.repairs[k[3:]], "repair"
        return None

    def _resolve(self, name: str, depth: int) -> tuple[str, str | None, str] | None:
        text = normalise(name or "").strip(" .,;:")
        if not text or depth > 6:
            return None
        hit = self._lookup(text)
        if hit:
            return hit[0], None, hit[1]
        # A note run on after the name: "Togo. - Philippines was removed from the list".
        m = _NOTE.search(text)
        if m and m.start() > 0:
            r = self._resolve(text[: m.start()], depth + 1)
            if r:
                return r[0], r[1], "cleaned"
        officer = self._officer(text, depth)
        if officer:
            return officer
        m = _QUALIFIED_PAREN.match(text) or _QUALIFIED_COMMA.match(text)
        if m:
            r = self._resolve(m.group("who"), depth + 1)
            if r:
                return r[0], self.group_of(m.group("rest")), "qualified"
        m = _JUNK_PAREN.match(text)
        if m:
            r = self._resolve(m.group("who"), depth + 1)
            if r:
                return r[0], r[1], "cleaned"
        m = re.match(r"(?i)^and\s+(.+)$", text)
        if m:
            r = self._resolve(m.group(1), depth + 1)
            if r:
                return r[0], r[1], "cleaned"
        return None

    def _officer(self, text: str, depth: int) -> tuple[str, str | None, str] | None:
        """Sponsors that are not States: committee officers, the Bureau, bodies reported on."""
        m = _SUBMITTED.match(text)
        if m:
            rest = text[m.end():]
            r = self._resolve(rest, depth + 1)
            return (r[0], r[1], "officer") if r else None
        m = _REPRESENTATIVE.match(text)
        if m:
            for_whom = m.group("for").strip(" )")
            if re.fullmatch(r"(?i)bureau", for_whom):
                return "main_committee_bureau", None, "officer"
            r = self._resolve(for_whom, depth + 1)
            return (r[0], None, "officer") if r else None
        for pattern, aid in _OFFICERS:
            if pattern.match(text):
                return aid, None, "officer"
        m = _ON_THE_BASIS.match(text)
        if m:
            r = self._resolve(m.group("body"), depth + 1)
            return (r[0], None, "officer") if r else None
        return None

    def group_of(self, qualifier: str) -> str | None:
        """The group in "on behalf of the States ... members of the Group of 77 and China"."""
        k = name_key(qualifier)
        best: tuple[int, int, str] | None = None
        for gk, aid in self.group_keys:
            i = k.find(gk)
            if i >= 0 and (best is None or (i, -len(gk)) < (best[0], best[1])):
                best = (i, -len(gk), aid)
        return best[2] if best else None

    def resolve_many(self, name: str) -> tuple[list[tuple[str, str | None]], str]:
        """All actors in one list entry: one, several run together, or none."""
        r = self.resolve_one(name)
        if r:
            return [(r[0], r[1])], r[2]
        text = normalise(name or "").strip(" .,;:")
        parts = _top_level_parts(text)
        out: list[tuple[str, str | None]] = []
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                seg = text[parts[i][0]: parts[j - 1][1]]
                r = self.resolve_one(seg)
                if r:
                    out.append((r[0], r[1]))
                    i = j
                    break
            else:
                ids = self._segment_key(name_key(text[parts[i][0]: parts[i][1]]))
                if not ids:
                    return [], "unresolved"
                out.extend((x, None) for x in ids)
                i += 1
        if len(out) >= 2:
            return out, "split"
        return [], "unresolved"

    def _segment_key(self, key: str) -> list[str] | None:
        """Split run-together State names ("angolabahamas", "unitedkingdomanduruguay")."""

        @functools.lru_cache(maxsize=None)
        def seg(i: int) -> tuple[str, ...] | None:
            if i == len(key):
                return ()
            if key.startswith("and", i) and i > 0:
                rest = seg(i + 3)
                if rest:
                    return rest
            for j in range(len(key), i + 3, -1):
                aid = self.state_keys.get(key[i:j])
                if aid:
                    rest = seg(j)
                    if rest is not None:
                        return (aid, *rest)
            return None

        found = seg(0)
        return list(found) if found and len(found) >= 2 else None


_NOTE = re.compile(r"\.\s*-\s|\.\s+Subsequently\b", re.I)
_SUBMITTED = re.compile(r"^(?:was\s+)?submitted\s+by\s+(?:the\s+)?", re.I)
_REPRESENTATIVE = re.compile(
    r"^(?:introduced\s+in\s+the\s+committee\s+by\s+)?(?:the\s+)?representative\s+of\s+(?P<state>.+?)"
    r"\s*(?:,\s*|\(\s*)?on\s+behalf\s+of\s+(?:the\s+)?(?P<for>.+?)\)?\s*$",
    re.I,
)
_OFFICERS = (
    (re.compile(r"^(?:the\s+)?vice-chair\b", re.I), "main_committee_vice_chair"),
    (re.compile(r"^(?:the\s+)?rapporteur\b", re.I), "main_committee_rapporteur"),
    (re.compile(r"^(?:the\s+)?chair\b", re.I), "main_committee_chair"),
)
_ON_THE_BASIS = re.compile(
    r"^on\s+the\s+basis\s+of\s+the\s+report\s+of\s+(?:the\s+)?(?P<body>.+?)(?:\s*\([^()]*\))?\s*$", re.I
)
# "Cuba (on behalf of ... Group of 77 and China)", the bracket possibly left open by a split.
_QUALIFIED_PAREN = re.compile(
    r"^(?P<who>[^()]+?)\s*\(\s*(?P<rest>(?:(?:on|of)\s+behalf\b|in\s+(?:its|her|his)\s+capacity\b)"
    r"[^()]*(?:\([^()]*\)[^()]*)*)\)?\s*$",
    re.I,
)
_QUALIFIED_COMMA = re.compile(r"^(?P<who>[^(),]+?),\s*(?P<rest>(?:on|of)\s+behalf\b.*)$", re.I)
# "Thailand ()", "Venezuela (Bolivarian Republic of) (A74/368)".
_JUNK_PAREN = re.compile(r"^(?P<who>.+?)\s*\((?:\s*|[^()]*\d[^()]*)\)\s*$")
_SEPARATOR = re.compile(r",\s*|;\s*|\s+and\s+|\.\s+", re.I)


def _top_level_parts(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between separators that stand outside brackets."""
    depth, depth_at = 0, []
    for ch in text:
        depth_at.append(depth)
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
    spans, start = [], 0
    for m in _SEPARATOR.finditer(text):
        if depth_at[m.start()] == 0:
            if m.start() > start:
                spans.append((start, m.start()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@functools.lru_cache(maxsize=1)
def _default_catalogue() -> _Catalogue:
    return _Catalogue.build(
        load_actors(),
        _read_simple_csv(REPAIRS_CSV, ("name_as_written", "actor_id", "reason")),
        _read_simple_csv(EXCLUSIONS_CSV, ("phrase", "reason")),
    )


def _catalogue(actors: pl.DataFrame | None) -> _Catalogue:
    if actors is None:
        return _default_catalogue()
    return _Catalogue.build(
        actors,
        _read_simple_csv(REPAIRS_CSV, ("name_as_written", "actor_id", "reason")),
        _read_simple_csv(EXCLUSIONS_CSV, ("phrase", "reason")),
    )


def resolve_name(name: str, *, actors: pl.DataFrame | None = None) -> str | None:
    """The actor_id of a State or body name as written anywhere, or None.

    Case, accents, apostrophes, spaces and punctuation do not matter ("COTE
    D'IVOIRE", "Côte d’Ivoire"); historical and short names are aliases
    ("Turkey", "United Kingdom", "United States"); known slips of the corpus
    are repaired (actors_name_repairs.csv). A qualifier is set aside ("Cuba (on
    behalf of the States Members ... Group of 77 and China)" is Cuba), and so
    is a note run on after the name ("Togo. - Philippines was removed from the
    list of sponsors" is Togo). Committee officers and bodies named as authors
    resolve to them ("submitted by the Vice-Chair of the Committee, ...").
    A string naming several actors ("Angola Bahamas") gives None: use
    :func:`resolution_actors` for lists.
    """
    r = _catalogue(actors).resolve_one(name)
    return r[0] if r else None


