"""The instrument registry, ``transforms/reference/instruments.yaml``, read and validated."""

from __future__ import annotations

import functools
from pathlib import Path

import polars as pl
from pydantic import ValidationError

from transforms import reference_models as rm
from transforms import yamlio
from transforms.reference_models import INSTRUMENT_MESSAGES, InstrumentModel

REGISTRY = Path(__file__).parents[1] / "reference" / "instruments.yaml"


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


_ID_RE = rm.SNAKE_CASE
_TS_RE = rm.TREATY_SERIES


def load_registry(path: str | Path | None = None) -> pl.DataFrame:
    """The instrument registry as a frame (one row per instrument), validated.

    Raises ValueError naming every problem: a missing or unknown field, a duplicate id, a
    type outside INSTRUMENT_TYPES, a parent that is not in the registry, a missing source,
    a malformed Treaty Series reference, or an alias, Treaty Series reference or footnote
    reference claimed by two instruments.
    """
    path = Path(path) if path is not None else REGISTRY
    try:
        stat = path.stat()
    except OSError:
        stat = None  # read_reference says what is wrong with it
    if stat is None:
        return _load(path)
    # Read and validated once per version of the file: the enrich step asks for it in every
    # batch of every session, and parsing and validating the YAML cost as much as a finder.
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> pl.DataFrame:
    return _load(Path(path))


def _load(path: Path) -> pl.DataFrame:
    data = yamlio.read_reference(path, "instrument registry")
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
