"""The actor reference data: the paths of transforms/reference/actors*.csv, the actor
types, the ``dim_actor`` schema, name keys and :func:`load_actors`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import polars as pl

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"
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

