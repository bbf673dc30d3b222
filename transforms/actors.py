"""Actors: who a resolution names, who it asks to act, who sponsored it and who voted.

Reference data (``transforms/reference/``):

* ``actors.csv`` -- the actor dimension: the 193 Member States and the 2 observer
  States (ISO3 ids, M49 codes, names as the UN writes them), UN organs and
  entities, other organisations, and the collective addressees the resolutions
  use ("Member States", "civil society"...). ``aliases`` lists other spellings
  and historical names, separated by semicolons.
* ``actors_name_repairs.csv`` -- spellings seen in the sponsor and vote lists of
  sessions 74-79 that are slips (truncations, typos, a mis-encoded letter), each
  mapped to the actor meant and the reason. Used by :func:`resolve_name` only,
  never to find actors in paragraph text.
* ``actors_text_exclusions.csv`` -- phrases that contain an actor's name without
  naming the actor ("Gulf of Guinea", "United States dollars", "Charter of the
  United Nations"). In paragraph text they are matched and discarded.

Functions:

* :func:`load_actors` -- the validated dimension (``dim_actor``).
* :func:`resolve_name` -- the actor id of one name as written anywhere
  (case-, accent- and punctuation-insensitive).
* :func:`paragraph_actors` -- actors found in paragraphs, each an ``addressee``
  (asked to act) or ``mentioned``.
* :func:`resolution_actors` -- sponsors and voters resolved to actor ids.
* :func:`mandates` -- operative paragraphs requesting or directing a UN entity.

How addressees are found
------------------------
Actor names are found with one Aho-Corasick pass over all paragraphs (Polars
``str.extract_many``/``str.find_many``, leftmost-longest, case-sensitive; every
alias also in its "the ..." form, with both apostrophes and without accents).
A match inside a longer word, or inside an excluded phrase, is dropped;
"States" preceded by a capitalised word ("Arab States", "Small Island
Developing States") is not the collective "States"; "the United Nations",
"the Assembly", "the Secretariat" and the anaphors below are dropped when the
next word continues a name we do not know ("the Secretariat of the
Convention...").

In an operative paragraph a *directive clause* is a verb that asks someone to
act -- requests, calls upon, urges, encourages, invites, appeals to, directs,
authorizes, mandates, entrusts, instructs, asks, exhorts, reminds, recommends,
demands, decides, and "reiterates/renews/reaffirms/recalls its request/call/
invitation/appeal (to)", with modifiers (also, further, again, strongly...).
It is taken at the start of the paragraph, and in the middle where it follows
", ", "; ", ", and " or " and " ("Welcomes ..., and requests the Commission
... to"). The addressee is the noun phrase right after the verb (or after
"that" for "Decides that", "Recommends that", "Requests that"): the first actor
match, reached over at most four lower-case words that are not prepositions
("all", "interested", "relevant") or over "the Government(s)/authorities of",
then further actors joined by ",", "and", "or", "as well as", "including",
"in particular", "especially"; a leading aside (", in this regard,") and "the
entities/organizations/parts of" are stepped over. An actor after a preposition ("in cooperation
with UNODC") is not an addressee, only mentioned. A clause in mid-paragraph
counts only when an infinitive ("to provide") follows the addressees, so that
the noun "requests" ("needs, requests and priorities of Member States") does
not make an addressee; an opening clause needs no infinitive.

"Decides": "Decides to request/invite/urge/authorize... X" addresses X;
"Decides that X shall..." addresses X when X is an actor; otherwise (the
Assembly deciding for itself: "Decides to include in the provisional agenda",
"Decides that the meeting shall...") the addressee is ``general_assembly``
with a null ``matched_text``, so that analysts can count the Assembly's
self-decisions and leave them out of mandates.

Anaphors ("the Office", "the Commission", "the Council", "the Committee", "the
Special Committee", "the Advisory Committee", "the Conference (of the (States)
Parties)", "the Programme", "the Fund", "the Entity", "the Agency", "the
Department", "the High Commissioner", "the Court", "the Tribunal", "the
Authority", "the Board", "the Forum", "the Institute", "the Union"...; see
``_ANAPHORS``) resolve to an actor that has the word in its name and that the
same resolution names explicitly with a form that holds the word or with an
acronym ("United Nations Office on Drugs and Crime", "UNODC"; a mention of
"African Union" makes no antecedent for "the Commission"). Among those named
before the anaphor (or, if none, anywhere in the resolution) the one named most
often wins, ties going to the one named last before it. In a crime-prevention
resolution "the Office" is thus UNODC, in a human-rights one OHCHR, and "the
Special Committee" of a decolonization text is the Special Committee on
decolonization. An anaphor with no candidate is dropped; one whose next word
continues a name ("the Office of the Special Envoy") is not an anaphor.
``matched_text`` keeps "the Office". The heuristic fails when the body meant
is not in actors.csv but a namesake is named in the same text.

An actor that is an addressee is not repeated as ``mentioned`` for the same
match; it can be both at different positions of one paragraph.

Mandates follow the 2006 Mandate Registry: a request or direction for action
by the Secretariat or another implementing entity. They are the addressee rows
of operative paragraphs whose actor is a UN organ or entity (``un_organ``,
``un_entity``; the Secretary-General is a ``un_entity``) or the United Nations
system as a whole (``un_system``), and whose verb requests or directs
(requests, asks, calls upon, urges, directs, authorizes, mandates, entrusts,
instructs, tasks, demands, decides that X shall, decides to request...). Not
mandates: invitations and encouragement ("invites", "encourages", "appeals
to", "recommends", "reminds"), the Assembly's own decisions, and anything
addressed to Member States or other collectives.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms.text import normalise

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ACTORS_CSV = REFERENCE_DIR / "actors.csv"
REPAIRS_CSV = REFERENCE_DIR / "actors_name_repairs.csv"
EXCLUSIONS_CSV = REFERENCE_DIR / "actors_text_exclusions.csv"

ACTOR_TYPES = ("member_state", "observer_state", "un_organ", "un_entity", "other_organization", "collective")
STATE_TYPES = frozenset({"member_state", "observer_state"})
UN_TYPES = frozenset({"un_organ", "un_entity"})
COLUMNS = ("actor_id", "name", "actor_type", "m49", "iso3", "aliases", "parent", "source")
REQUIRED_COLUMNS = ("actor_id", "name", "actor_type", "m49", "iso3", "aliases", "source")

DIM_ACTOR_SCHEMA = {
    "actor_id": pl.Utf8,
    "name": pl.Utf8,
    "actor_type": pl.Utf8,
    "m49": pl.Utf8,
    "iso3": pl.Utf8,
    "parent": pl.Utf8,
    "aliases": pl.List(pl.Utf8),
    "source": pl.Utf8,
}
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
RESOLUTION_ACTOR_SCHEMA = {
    "symbol": pl.Utf8,
    "actor_id": pl.Utf8,
    "role": pl.Utf8,  # sponsor | additional_sponsor | voted_yes | voted_no | abstained
    "name_as_written": pl.Utf8,
    "position": pl.Int32,  # the sponsor's position in its list; null for votes
    "on_behalf_of": pl.Utf8,  # group a sponsor acted for ("on behalf of the Group of 77 and China")
    "resolved_by": pl.Utf8,  # name | repair | cleaned | qualified | officer | split | merged | unresolved
}
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

_VOTE_ROLES = {
    "yes": "voted_yes", "no": "voted_no", "abstain": "abstained",
    "infavour": "voted_yes", "in_favour": "voted_yes", "against": "voted_no", "abstaining": "abstained",
}
_KIND_RANK = {"preambular": 0, "operative": 1, "annex": 2}


# -- names -----------------------------------------------------------------------

_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss", "’": "'", "‘": "'"})


def name_key(text: str) -> str:
    """The comparison key of a name: accents, case, spaces and punctuation removed.

    "COTE D'IVOIRE", "Côte d’Ivoire" and "Côte D'ivoire" all give "cotedivoire";
    "TÜRKİYE" and "Türkiye" give "turkiye".
    """
    t = unicodedata.normalize("NFKD", (text or "").translate(_FOLD))
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", "", t)


def _fold_accents(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return unicodedata.normalize("NFC", "".join(c for c in t if not unicodedata.combining(c)))


# -- reference data ----------------------------------------------------------------


def load_actors(path: str | Path | None = None) -> pl.DataFrame:
    """Read and validate the actor reference file; return ``dim_actor``.

    Raises ValueError naming every problem (with its line) when the file is
    missing, unreadable, lacks a column, or has an empty required field, a
    duplicate or malformed id, an unknown type, a State without a 3-digit M49
    code or a 3-letter ISO code, an unknown parent, or one name or alias that
    stands for two actors.
    """
    path = Path(path) if path is not None else ACTORS_CSV
    if not path.is_file():
        raise ValueError(f"{path}: actor reference file not found")
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            raw_rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{path}: unreadable actor reference file: {exc}") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")

    problems: list[str] = []
    rows: list[dict] = []
    for line, raw in enumerate(raw_rows, start=2):
        if None in raw:  # more fields than the header
            problems.append(f"line {line}: more fields than columns")
        row = {c: (raw.get(c) or "").strip() or None for c in COLUMNS}
        aid, atype = row["actor_id"], row["actor_type"]
        for col in ("actor_id", "name", "actor_type", "source"):
            if not row[col]:
                problems.append(f"line {line}: empty {col}")
        if atype and atype not in ACTOR_TYPES:
            problems.append(f"line {line}: actor_type {atype!r} is not one of {', '.join(ACTOR_TYPES)}")
        if atype in STATE_TYPES:
            if not (row["m49"] and re.fullmatch(r"\d{3}", row["m49"])):
                problems.append(f"line {line}: State {aid!r} needs a 3-digit M49 code, got {row['m49']!r}")
            if not (row["iso3"] and re.fullmatch(r"[A-Z]{3}", row["iso3"])):
                problems.append(f"line {line}: State {aid!r} needs a 3-letter ISO3 code, got {row['iso3']!r}")
            elif aid and aid != row["iso3"]:
                problems.append(f"line {line}: State id {aid!r} must be its ISO3 code {row['iso3']!r}")
        else:
            if row["m49"] and not re.fullmatch(r"\d{3}", row["m49"]):
                problems.append(f"line {line}: M49 code {row['m49']!r} is not 3 digits")
            if aid and not re.fullmatch(r"[a-z][a-z0-9_]*", aid):
                problems.append(f"line {line}: actor_id {aid!r} is not snake_case")
        row["_aliases"] = [a.strip() for a in (row["aliases"] or "").split(";") if a.strip()]
        row["_line"] = line
        rows.append(row)

    seen: dict[str, int] = {}
    for key_col in ("actor_id", "m49", "iso3"):
        seen = {}
        for row in rows:
            value = row[key_col]
            if value is None or (key_col != "actor_id" and row["actor_type"] not in STATE_TYPES):
                continue
            if value in seen:
                problems.append(f"line {row['_line']}: duplicate {key_col} {value!r} (first at line {seen[value]})")
            else:
                seen[value] = row["_line"]
    ids = {r["actor_id"] for r in rows if r["actor_id"]}
    for row in rows:
        if row["parent"] and row["parent"] not in ids:
            problems.append(f"line {row['_line']}: parent {row['parent']!r} is not an actor_id")
        if row["parent"] and row["parent"] == row["actor_id"]:
            problems.append(f"line {row['_line']}: actor {row['actor_id']!r} is its own parent")
    owner: dict[str, tuple[str, int]] = {}
    for row in rows:
        for form in [row["name"] or "", *row["_aliases"]]:
            k = name_key(form)
            if not k:
                continue
            prev = owner.get(k)
            if prev and prev[0] != row["actor_id"]:
                problems.append(
                    f"line {row['_line']}: name or alias {form!r} of {row['actor_id']!r} already stands for "
                    f"{prev[0]!r} (line {prev[1]})"
                )
            else:
                owner[k] = (row["actor_id"], row["_line"])
    if not rows:
        problems.append("no actors")
    if problems:
        shown = "\n- ".join(problems[:40])
        more = f"\n(and {len(problems) - 40} more)" if len(problems) > 40 else ""
        raise ValueError(f"{path}: {len(problems)} problem(s) in the actor reference data:\n- {shown}{more}")
    return pl.DataFrame(
        [{**{c: r[c] for c in COLUMNS if c != "aliases"}, "aliases": r["_aliases"]} for r in rows],
        schema=DIM_ACTOR_SCHEMA,
    ).select(list(DIM_ACTOR_SCHEMA))


def _read_simple_csv(path: Path, columns: tuple[str, ...]) -> list[dict]:
    if not path.is_file():
        raise ValueError(f"{path}: reference file not found")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        return [{c: (r.get(c) or "").strip() for c in reader.fieldnames or []} for r in reader]


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
_DECIDES_CHAIN = re.compile(
    r"^\s*,?\s*(?:also\s+)?to\s+(?P<v>request|ask|urge|encourage|invite|direct|authori[sz]e|mandate|entrust|instruct|"
    r"task|call\s+upon|call\s+on|appeal\s+to)\b",
)
_THAT = re.compile(r"^\s+that\b")
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
    return all(re.fullmatch(r"[a-z][a-z-]*", w) and w not in _PREP for w in words)


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


def _clauses(text: str, lead: str | None, matches: list[_Match]) -> list[_Clause]:
    """The directive clauses of one operative paragraph, each with its addressees."""
    starts: list[tuple[int, int, str, bool]] = []  # (verb_pos, verb_end, verb_text, opening)
    m = _OPENING_VERB.match(text)
    if m:
        starts.append((0, m.end(), m.group(0), True))
    for m in _MID_VERB.finditer(text):
        if m.start("verb") == 0 or (starts and m.start("verb") < starts[-1][1]):
            continue
        starts.append((m.start("verb"), m.end("verb"), m.group("verb"), False))
    out: list[_Clause] = []
    for idx, (vpos, vend, vtext, opening) in enumerate(starts):
        end = starts[idx + 1][0] if idx + 1 < len(starts) else len(text)
        semi = text.find(";", vend, end)
        if semi >= 0:
            end = semi
        vtext = re.sub(r"\s+", " ", vtext)
        core = vtext.lower()
        that, chain, implicit = False, False, False
        label = (lead if opening and lead else vtext)
        pos = vend
        if re.search(r"\bdecides?$", core):
            ch = _DECIDES_CHAIN.match(text[vend:end])
            if ch:
                chain = True
                pos = vend + ch.end()
                label = (lead or vtext) + text[vend:pos].rstrip() if opening else text[vpos:pos].strip()
                label = re.sub(r"\s+", " ", label)
            elif _THAT.match(text[vend:end]):
                that = True
                pos = vend + _THAT.match(text[vend:end]).end()
            else:
                implicit = True
        elif core.endswith(" that"):
            that = True
        elif _THAT.match(text[vend:end]) and re.search(r"(?:request|recommend|urge|demand|ask|direct)s?$", core):
            that = True
            pos = vend + _THAT.match(text[vend:end]).end()
        if not opening or not lead:
            label = re.sub(r"\s+(?:to|that)$", "", label)
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
        is_decide = re.search(r"\bdecides?$", core) is not None
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
        frame.select(
            "_row",
            "text",
            pl.col("text").str.extract_many(cat.patterns, leftmost=True).alias("hit"),
            pl.col("text").str.find_many(cat.patterns, leftmost=True).alias("byte"),
        )
        .explode(["hit", "byte"])
        .drop_nulls("hit")
        .join(cat.pattern_frame, on="hit", how="left")
        .filter(pl.col("pkind") != "stop")
    )
    if hits.height == 0:
        return pl.DataFrame(schema={"_row": pl.UInt32, "start": pl.Int64, "end": pl.Int64,
                                    "matched_text": pl.Utf8, "actor_id": pl.Utf8, "pkind": pl.Utf8})
    hits = hits.with_columns(
        pl.col("text").cast(pl.Binary).bin.head(pl.col("byte").cast(pl.Int64)).cast(pl.Utf8).str.len_chars()
        .cast(pl.Int64).alias("start"),
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


def _analyse(cat: _Catalogue, paragraphs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, list[tuple]]:
    """Matches for all paragraphs, and addressee rows for operative ones.

    Addressee rows: (_row, actor_id, verb, matched_text, position, clause) where
    clause is the _Clause (None for nothing).
    """
    rows = _prepare(paragraphs)
    hits = _find_matches(cat, rows.select("_row", "text"))
    hits = _resolve_anaphors(cat, hits, rows)
    operative = rows.filter(pl.col("kind") == "operative").select("_row", "lead_phrase", "text")
    per_row: dict[int, list[_Match]] = {}
    op_hits = hits.filter(pl.col("_row").is_in(operative.get_column("_row"))).sort(["_row", "start"])
    for r, s, e, aid, t in op_hits.select("_row", "start", "end", "actor_id", "matched_text").iter_rows():
        per_row.setdefault(r, []).append(_Match(s, e, aid, t))
    addressees: list[tuple] = []
    for r, lead, text in operative.iter_rows():
        for cl in _clauses(text, lead, per_row.get(r, [])):
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
    rows, hits, addressees = _analyse(cat, paragraphs)
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
    # Whole resolutions, so that "the Office" resolves as it did in paragraph_actors.
    ops = paragraphs.join(wanted.select("symbol").unique(), on="symbol", how="semi")
    if "number" not in ops.columns:
        ops = ops.with_columns(pl.lit(None, dtype=pl.Utf8).alias("number"))
    rows, hits, found = _analyse(cat, ops)
    info = {r: (s, o, n, t) for r, s, o, n, t in rows.select("_row", "symbol", "ordinal", "number", "text").iter_rows()}
    keep = {(s, o, a, p) for s, o, a, p in wanted.iter_rows()}
    per_row_hits: dict[int, list[tuple]] = {}
    for r, s, aid, t in hits.select("_row", "start", "actor_id", "matched_text").sort(["_row", "start"]).iter_rows():
        per_row_hits.setdefault(r, []).append((s, aid, t))
    out = []
    for r, aid, label, text_hit, pos, cl in found:
        if aid == "general_assembly" and text_hit is None:
            continue
        atype = cat.info.get(aid, {}).get("actor_type")
        if not (atype in UN_TYPES or aid == "un_system") or aid in _NOT_MANDATED:
            continue
        symbol, ordinal, number, text = info[r]
        if (symbol, ordinal, aid, pos) not in keep:
            continue
        verb = label.lower()
        if not _DIRECTIVE_MANDATE.search(verb):
            continue
        if cl.that and re.search(r"\bdecides?$", cl.verb_text.lower()):
            verb = f"{verb} that ... {cl.modal}" if cl.modal else f"{verb} that"
        action = _action_text(text, cl)
        report = bool(action and _REPORT.search(action))
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
    for pos, raw in names:
        name = normalise(raw or "")
        if not name:
            continue
        joiner = _is_continuation(cat, name)
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
    cache: dict = {}
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
    if votes.height:
        seen_votes: set[tuple] = set()
        for symbol, vote, state in votes.select("symbol", "vote", "state").iter_rows():
            role = _VOTE_ROLES.get((vote or "").strip().lower())
            if role is None:
                raise ValueError(f"{symbol}: unknown vote {vote!r} (expected yes, no or abstain)")
            name = normalise(state or "")
            if not name:
                continue
            if name not in cache:
                cache[name] = cat.resolve_many(name)
            found, how = cache[name]
            if not found:
                out.append((symbol, None, role, name, None, None, "unresolved"))
            for aid, _ in found:
                if (symbol, role, aid) in seen_votes:
                    continue
                seen_votes.add((symbol, role, aid))
                out.append((symbol, aid, role, name, None, None, "split" if len(found) > 1 else how))
    return pl.DataFrame(out, schema=RESOLUTION_ACTOR_SCHEMA, orient="row")
